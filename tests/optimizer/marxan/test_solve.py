"""Minimum set, max coverage and connectivity against brute force on the tiny problem."""

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from optimizer.marxan import (
    compile_minset,
    greedy,
    marxan_score,
    penalty_objective,
    read_marxan,
    repair,
    selection,
    solve_max_coverage,
    solve_minset,
)
from optimizer.marxan.formulation import warm_start
from optimizer.marxan.lns import lns
from optimizer.solvers import solve


def _objective_by_hand(p):
    """cost + BLM (fixed + Σ pairs b |x_i − x_j|) from the symmetric matrix, independently."""
    b = p.boundary_matrix().toarray()

    def value(x):
        return p.cost @ x + p.blm * (p.fixed_boundary @ x
                                     + 0.5 * np.sum(b * np.abs(x[:, None] - x[None, :])))
    return value


@pytest.mark.parametrize("blm", [0.0, 0.5, 3.0])
@pytest.mark.parametrize("form", ["product", "abs"])
def test_minset_matches_brute_force(tiny, brute, blm, form):
    p = read_marxan(tiny).with_overrides(blm=blm)
    best, _ = brute(p, _objective_by_hand(p))
    sol = solve_minset(p, time_limit_s=10, boundary_form=form)
    assert sol.objective == pytest.approx(best)
    assert sol.status == "optimal"
    assert (p.amounts.T @ sol.x >= p.targets - 1e-9).all()


def test_locks_honoured(tmp_path, marxan_writer, brute):
    pu = "id\tcost\tstatus\n1\t3\t2\n2\t2\t0\n3\t4\t3\n4\t1\t0\n5\t5\t0\n6\t2\t1\n"
    p = read_marxan(marxan_writer(tmp_path, pu=pu))
    best, _ = brute(p, _objective_by_hand(p))
    sol = solve_minset(p, time_limit_s=10)
    assert sol.x[0] == 1 and sol.x[2] == 0
    assert sol.objective == pytest.approx(best)


def test_window_model_matches_full(tiny):
    """Fixing units outside a window gives the same objective for the same selection."""
    p = read_marxan(tiny)
    x = np.array([1.0, 1, 0, 1, 1, 0])
    free = np.array([True, False, True, False, True, True])
    model = compile_minset(p, free=free, base=x)
    assert model.objective_value(warm_start(model, x)) == pytest.approx(
        penalty_objective(p, x))
    res = solve(model, "highs", time_limit_s=5)
    full = selection(model, res.x)
    assert (full[~free] == x[~free]).all()
    assert penalty_objective(p, full) == pytest.approx(res.objective)


def test_heuristics_feasible_and_lns_reaches_optimum(tiny, brute):
    p = read_marxan(tiny).with_overrides(blm=3.0)
    start = repair(p, greedy(p))
    assert (p.amounts.T @ start >= p.targets - 1e-9).all()
    best, _ = brute(p, _objective_by_hand(p))
    found = lns(p, start, time_limit_s=1.0, window=6)
    assert found.objective == pytest.approx(best)


def test_marxan_score_by_hand(tiny):
    p = read_marxan(tiny)  # BLM 0.5, spf 10 each
    x = np.array([0.0, 1, 0, 1, 0, 0])  # units 2 and 4
    s = marxan_score(p, x)
    assert s["cost"] == 3
    # fixed 1 (unit 2) + 2 (unit 4); pairs cut: 1-2, 2-3, 2-5, 4-5, 1-4 (each 1)
    assert s["boundary"] == 3 + 5
    # held: wolf 2 of 6, ibex 3 of 4, saxaul 1 of 3. Penalties P_k by Marxan's greedy with
    # unit cost c + 0.5 (fixed + all boundary): u1 3+0.5*4=5, u2 2+0.5*4=4, u3 4+0.5*4=6,
    # u4 1+0.5*4=3, u5 5+0.5*4=7, u6 2+0.5*4=4.
    # wolf (6): ratios u1 3/5, u2 2/4, u3 4/6, u5 5/7 -> no unit alone holds 6; take u5 (5/7),
    #   remaining 1: cheapest unit holding >= 1 is u2 (4) -> P = 7 + 4 = 11
    # ibex (4): u6 (3) alone can't; best ratio u6 3/4 -> take; remaining 1: u4 (3) -> P = 7
    # saxaul (3): u6 holds 2, u3 2: ratios u1 1/5, u3 2/6, u4 1/3, u6 2/4 -> take u6,
    #   remaining 1: cheapest holding >= 1: u4 (3) -> P = 7
    short = 10 * (11 * 4 / 6 + 7 * 1 / 4 + 7 * 2 / 3)
    assert s["shortfall_penalty"] == pytest.approx(short)
    assert s["score"] == pytest.approx(3 + 0.5 * 8 + short)


def test_max_coverage_matches_brute_force(tiny):
    p = read_marxan(tiny)
    amounts = p.amounts.toarray()
    for budget in (2.0, 5.0, 8.0):
        best = max(int((amounts.T @ x >= p.targets - 1e-9).sum())
                   for x in (np.array([(b >> i) & 1 for i in range(6)], float)
                             for b in range(64)) if p.cost @ x <= budget)
        sol = solve_max_coverage(p, budget, time_limit_s=10)
        assert sol.objective == pytest.approx(best)
        assert p.cost @ sol.x <= budget + 1e-9


def test_connectivity_penalty_matches_brute_force(tiny, brute):
    p = read_marxan(tiny).with_overrides(blm=1.0)
    conn = sp.csr_matrix(np.array([[0, 4, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 3],
                                   [0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0],
                                   [0, 0, 0, 0, 0, 0]], float))
    p = replace(p, conn=conn)
    hand = _objective_by_hand(p)
    c = conn.toarray()

    def value(x):
        return hand(x) + p.blm * np.sum(c * x[:, None] * (1 - x[None, :]))
    best, _ = brute(p, value)
    sol = solve_minset(p, time_limit_s=10)
    assert sol.objective == pytest.approx(best)
    assert marxan_score(p, sol.x)["connectivity"] == pytest.approx(
        p.blm * np.sum(c * sol.x[:, None] * (1 - sol.x[None, :])))


def test_annealing_minimises_marxans_own_score(tiny):
    """The annealer's Δ-evaluation objective is Marxan's score (cost, boundary and the
    shortfall penalty) for every selection, and the annealer finds its minimum."""
    import itertools

    from optimizer.marxan import anneal
    from optimizer.marxan.heuristics import Landscape

    p = read_marxan(tiny / "input.dat")
    land = Landscape.of(p)
    scores = {}
    for bits in itertools.product((0.0, 1.0), repeat=p.n_units):
        x = np.array(bits)
        scores[bits] = marxan_score(p, x)["score"]
        assert land.objective(x) == pytest.approx(scores[bits])
    best = anneal(p, np.zeros(p.n_units), steps=500, batch=4, seed=1)
    assert marxan_score(p, best)["score"] == pytest.approx(min(scores.values()))
