"""The exact path: dominance rows keep the optimum, and a cut of a public Marxan problem is
proven optimal (gap ≤ 1e-4) by HiGHS."""

from dataclasses import replace

import numpy as np
import pytest

from optimizer.marxan import compile_minset, read_marxan, solve_minset
from optimizer.marxan.formulation import dominated_pairs

# Units 2 and 5 (the middle column of the 2x3 grid) hold no feature.
PUVSP_HOLES = "species pu amount\n1 1 3\n1 3 4\n2 4 1\n2 6 3\n3 1 1\n3 3 2\n3 4 1\n3 6 2\n"
SPEC_HOLES = "id,prop,target,spf,name\n1,0,6,10,wolf\n2,0,4,10,ibex\n3,0.5,0,10,saxaul\n"


def _objective(p):
    b = p.boundary_matrix().toarray()
    return lambda x: p.cost @ x + p.blm * (p.fixed_boundary @ x + 0.5 * np.sum(
        b * np.abs(x[:, None] - x[None, :])))


@pytest.mark.parametrize("blm", [0.5, 3.0, 20.0])
def test_dominance_keeps_the_optimum(tmp_path, marxan_writer, brute, blm):
    p = read_marxan(marxan_writer(tmp_path, puvsp=PUVSP_HOLES, spec=SPEC_HOLES))
    p = p.with_overrides(blm=blm)
    best, _ = brute(p, _objective(p))
    model = compile_minset(p, dominance=True)
    assert model.family("dominance").stop > model.family("dominance").start
    sol = solve_minset(p, time_limit_s=10)
    assert sol.status == "optimal"
    assert sol.objective == pytest.approx(best)


def test_dominated_pairs_rule(tmp_path, marxan_writer):
    p = read_marxan(marxan_writer(tmp_path, puvsp=PUVSP_HOLES, spec=SPEC_HOLES))
    # unit 5 (index 4): cost 5, fixed 1, three neighbours of boundary 1 each; BLM 0.5:
    # 5 + 0.5 (1 + 2 − 3) > 0 for each neighbour, so x5 ≤ x2, x4, x6 (indices 1, 3, 5).
    i, j = dominated_pairs(p)
    assert sorted(j[i == 4].tolist()) == [1, 3, 5]
    # cost 0, BLM 10: 0 + 10 (1 + 2 − 3) = 0, no strict gain from dropping it: no rows
    cheap = replace(p.with_overrides(blm=10.0), cost=np.where(np.arange(6) == 4, 0.0, p.cost))
    i, _ = dominated_pairs(cheap)
    assert 4 not in i.tolist()


def test_cut_of_public_problem_proven_optimal(marxan_benchmarks):
    """The 653-unit Marxan Connect problem cut to its first 100 units (9 features, BLM 0.2)."""
    p = read_marxan(marxan_benchmarks / "marxanconnect-cf-demographic" / "input_no_connect.dat")
    cut = p.subset(np.arange(p.n_units) < 100)
    assert cut.n_units == 100 and cut.edge_i.max() < 100
    sol = solve_minset(cut, time_limit_s=20, gap=1e-4)
    assert sol.status == "optimal" and sol.gap <= 1e-4
    assert sol.bound <= sol.objective + 1e-6
    assert (cut.amounts.T @ sol.x >= cut.targets * (1 - 1e-9)).all()
