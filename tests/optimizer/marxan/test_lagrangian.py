"""The targets' Lagrangian: each evaluation an exact minimum cut (checked against brute force),
every value a valid lower bound, and at its best the LP relaxation's bound."""

from dataclasses import replace
from itertools import product

import numpy as np
import pytest
import scipy.sparse as sp

from optimizer.marxan import compile_minset, read_marxan, repair
from optimizer.marxan.lagrangian import CutOracle, lagrangian_bound
from optimizer.marxan.score import penalty_objective
from optimizer.solvers import solve

CONN = np.array([[0, 4, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 3],
                 [0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]], float)


def _selections(problem):
    """Every 0/1 selection honouring the locks."""
    for bits in product((0.0, 1.0), repeat=problem.n_units):
        x = np.array(bits)
        if (x[problem.locked_in] == 1).all() and (x[problem.locked_out] == 0).all():
            yield x


@pytest.mark.parametrize("blm", [0.0, 0.5, 3.0])
@pytest.mark.parametrize("connectivity", [False, True])
@pytest.mark.parametrize("locks", [False, True])
def test_cut_is_the_exact_minimum(tiny, blm, connectivity, locks):
    p = read_marxan(tiny).with_overrides(blm=blm)
    if connectivity:
        p = replace(p, conn=sp.csr_matrix(CONN))
    if locks:
        p = replace(p, status=np.array([2, 0, 3, 0, 0, 0]))
    oracle = CutOracle(p)
    rng = np.random.default_rng(7)
    for _ in range(5):
        u = rng.normal(0, 4, p.n_units)
        # u·x + pair terms = penalty_objective with the unit costs replaced by u
        objective = replace(p, cost=u - p.blm * p.fixed_boundary)
        best = min(penalty_objective(objective, x) for x in _selections(p))
        value, x = oracle.minimum(u)
        assert value == pytest.approx(best, abs=1e-6)
        assert value <= best + 1e-9  # rounding only ever lowers it
        assert penalty_objective(objective, x) == pytest.approx(best, abs=1e-6)
        assert (x[p.locked_in] == 1).all() and (x[p.locked_out] == 0).all()


@pytest.mark.parametrize("blm", [0.0, 0.5, 3.0, 20.0])
def test_bound_below_the_optimum_and_equal_to_the_lp(tiny, brute, blm):
    p = read_marxan(tiny).with_overrides(blm=blm)
    optimum, _ = brute(p, lambda x: penalty_objective(p, x))
    found = lagrangian_bound(p, time_limit_s=10)
    lp = solve(compile_minset(p), "highs", lp_relaxation=True).objective
    assert found.converged
    assert found.bound <= optimum + 1e-9
    assert found.bound == pytest.approx(lp, rel=1e-3)


def test_bound_on_a_public_problem_near_its_lp(marxan_benchmarks):
    """The 653-unit Marxan Connect problem cut to 200 units (with its boundary)."""
    p = read_marxan(marxan_benchmarks / "marxanconnect-cf-demographic" / "input_no_connect.dat")
    cut = p.subset(np.arange(p.n_units) < 200)
    lp = solve(compile_minset(cut), "highs", lp_relaxation=True).objective
    found = lagrangian_bound(cut, time_limit_s=20)
    assert found.bound <= lp * (1 + 1e-6)
    assert found.bound >= lp * (1 - 5e-3)
    start = repair(cut, found.cut, batch=5)
    assert (cut.amounts.T @ start >= cut.targets * (1 - 1e-9)).all()
    assert penalty_objective(cut, start) >= found.bound


def test_no_rounding_is_repaired_once_the_time_box_has_run_out(tiny, monkeypatch):
    """A repair cannot be interrupted, so none starts after the command's time limit: the
    start comes back unchanged (a 3-s limit took 10 s at load 10 when the first two
    roundings were repaired whatever the clock said)."""
    import optimizer.marxan.minset as minset
    from optimizer.solvers import time_box

    p = read_marxan(tiny)
    start = repair(p, np.zeros(p.n_units))
    lag = lagrangian_bound(p, time_limit_s=10)
    repaired = []
    monkeypatch.setattr(minset, "repair", lambda *a, **k: repaired.append(1) or repair(*a, **k))
    with time_box(0.0):
        assert minset._best_repaired_cut(p, lag, start, time_limit_s=10.0) is start
    assert repaired == []
    with time_box(60.0):  # with time left the roundings are tried and the best is kept
        found = minset._best_repaired_cut(p, lag, start, time_limit_s=10.0)
    assert len(repaired) >= 1
    assert penalty_objective(p, found) <= penalty_objective(p, start) + 1e-9
