"""Work budgets: fixed by the model and the effort, never by the clock; the clock's stops are
recorded; the polish and the MIP keep to their budgets."""

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.problem import build_problem
from optimizer.solve_stage import MIP_MIN_NODES
from optimizer.solvers import solve
from optimizer.synthetic import synthetic_region
from optimizer.work import clock_audit, work_limits

WEIGHTS = {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


@pytest.fixture(scope="module")
def model():
    options, actions, scenario = synthetic_region(40, 3, seed=3)
    compiled, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
    return compiled


def test_budgets_shrink_with_the_model_and_grow_with_the_effort(model) -> None:
    small = work_limits(model)
    assert small == work_limits(model)  # nothing but the model and the effort decides
    assert work_limits(model, 2.0).mip_nodes == 2 * small.mip_nodes
    assert work_limits(model, 1e-6).mip_nodes == 10  # every MIP searches a little
    big = type("Big", (), {"A": type("A", (), {"nnz": 427_745})(), "n_rows": 10_474,
                           "n_cols": 68_742})()  # the Turpan baseline's size
    turpan = work_limits(big)
    assert turpan.polish_rounds == 2 and turpan.polish_nodes == 2
    assert turpan.mip_nodes < MIP_MIN_NODES  # HiGHS's root alone would use the time
    assert small.mip_nodes >= MIP_MIN_NODES and small.polish_rounds > turpan.polish_rounds


def test_a_solve_ended_by_the_clock_is_recorded_and_one_ended_by_work_is_not(model) -> None:
    with clock_audit() as stops:
        by_work = solve(model, "highs", time_limit_s=60.0, gap=0.0, node_limit=1)
    assert stops == [] and by_work.x is not None and by_work.work["nodes"] >= 1
    with clock_audit() as stops:
        solve(model, "highs", time_limit_s=0.001, gap=0.0)
    assert len(stops) == 1 and "time limit" in stops[0]


def test_the_same_node_budget_gives_the_same_answer(model) -> None:
    first = solve(model, "highs", time_limit_s=60.0, gap=0.0, node_limit=20, seed=5)
    second = solve(model, "highs", time_limit_s=60.0, gap=0.0, node_limit=20, seed=5)
    assert first.work == second.work
    assert np.array_equal(first.x, second.x) and first.bound == second.bound


def test_the_polish_keeps_to_its_rounds(model, monkeypatch) -> None:
    import optimizer.heuristics as heuristics

    calls = []
    real = heuristics.solve

    def counted(*args, **kwargs):
        calls.append((kwargs.get("node_limit"), kwargs.get("restart")))
        return real(*args, **kwargs)

    lp = real(model, "highs", lp_relaxation=True).x
    start = heuristics.fix_and_resolve(model, lp=lp)
    assert model.violations(start) == []
    monkeypatch.setattr(heuristics, "solve", counted)
    limits = work_limits(model)
    limits = type(limits)(**{**limits.as_record(), "polish_rounds": 2, "polish_nodes": 7})
    heuristics.support_polish(model, lp, start, 60.0, work=limits,
                              neighbourhoods=(heuristics.support_only,) * 3)
    # node-limited sub-MIPs run without HiGHS's restart (their root would run twice)
    assert 1 <= len(calls) <= 2 and set(calls) == {(7, False)}
