"""Time limits hold: a HiGHS call made to overrun (the 12,178-unit Marxan model whole, which
HiGHS's MIP set-up keeps for 9-15 s past a 1-s limit) is stopped, a time box cuts every
call inside it, and the HiGHS process serves the next call after a kill. Bounds on wall time
are generous (a busy 2-core machine) and far below the uncontrolled overrun."""

import time

import numpy as np
import pytest
import scipy.sparse as sp

from optimizer.compiled import CompiledModel
from optimizer.marxan import compile_minset, greedy, read_marxan, repair
from optimizer.marxan.formulation import warm_start
from optimizer.marxan.lns import lns
from optimizer.solvers import solve, time_box
from optimizer.solvers.watchdog import allowance, grace, time_left

SLACK_S = 5.0  # beyond the limit and grace: a loaded machine, the child's restart


@pytest.fixture(scope="module")
def big(marxan_benchmarks):
    problem = read_marxan(marxan_benchmarks / "marxan-cloud-sample").with_overrides(
        prop=0.3, spf=100, blm=1)
    start = repair(problem, greedy(problem))
    return problem, compile_minset(problem, dominance=True), start


def _knapsack() -> CompiledModel:
    """max 5a + 4b + 3c s.t. 2a + 3b + c ≤ 4 (optimum 8: a and c)."""
    return CompiledModel("max", np.array([5.0, 4.0, 3.0]), sp.csr_matrix([[2.0, 3.0, 1.0]]),
                         np.array([-np.inf]), np.array([4.0]), np.zeros(3), np.ones(3),
                         np.ones(3, bool))


def test_a_call_that_overruns_is_stopped_and_the_next_one_works(big):
    _, model, start = big
    limit = 0.5
    began = time.monotonic()
    result = solve(model, "highs", time_limit_s=limit, gap=1e-6,
                   warm_start=warm_start(model, start))
    assert time.monotonic() - began < limit + grace(limit) + SLACK_S
    assert result.status != "optimal"
    after = solve(_knapsack(), "highs", time_limit_s=10)
    assert after.status == "optimal" and after.objective == pytest.approx(8.0)


def test_a_time_box_cuts_every_call_inside(big):
    _, model, _ = big
    with time_box(1.0):
        began = time.monotonic()
        solve(model, "highs", time_limit_s=600, lp_relaxation=True)
        assert time.monotonic() - began < 1.0 + grace(1.0) + SLACK_S
        time.sleep(max(time_left(600), 0.0) + 0.01)
        late = solve(_knapsack(), "highs", time_limit_s=10)  # the box has run out
    assert late.x is None and "no time" in late.message
    with time_box(0.0), allowance(10.0):  # …unless the call is one an answer needs
        assert solve(_knapsack(), "highs", time_limit_s=10).objective == pytest.approx(8.0)


def test_another_solver_is_not_started_when_the_box_has_run_out():
    """CBC with no time left was started with 0.01 s and the run said "nor did the MIP
    solve in its 0.0 s": it is not started, as HiGHS is not, and the run says no time was
    left for the MIP (optimizer/solve_stage.py no_plan_found)."""
    from optimizer.solve_stage import no_plan_found

    with time_box(0.0):
        time.sleep(0.01)
        late = solve(_knapsack(), "cbc", time_limit_s=10)
    assert (late.status, late.time_s, late.x) == ("time_limit_no_solution", 0.0, None)
    assert no_plan_found(late).endswith("so no time was left for the MIP solve, which could "
                                        "find a plan or prove that none exists")
    assert solve(_knapsack(), "cbc", time_limit_s=10).objective == pytest.approx(8.0)


def test_lns_with_a_window_of_the_whole_problem_ends_in_time(big):
    problem, _, start = big
    limit = 1.5
    began = time.monotonic()
    found = lns(problem, start, time_limit_s=limit, window=problem.n_units,
                window_time_s=limit)
    assert time.monotonic() - began < limit + grace(limit) + SLACK_S
    assert (problem.amounts.T @ found.x >= problem.targets * (1 - 1e-9)).all()


def test_variants_of_one_model_reuse_its_matrix_and_others_do_not():
    """Bounds changed on the same matrix object (sent once) and a different matrix of the
    same shape: each solve answers its own model."""
    from dataclasses import replace

    from optimizer.solvers.watchdog import highs_process

    model = _knapsack()
    assert solve(model, "highs").objective == pytest.approx(8.0)
    assert highs_process().holds(model.A)
    without_a = replace(model, col_upper=np.array([0.0, 1.0, 1.0]))  # b and c: 7
    assert solve(without_a, "highs").objective == pytest.approx(7.0)
    other = replace(model, A=sp.csr_matrix([[1.0, 1.0, 1.0]]), row_upper=np.array([2.0]))
    assert not highs_process().holds(other.A)
    assert solve(other, "highs").objective == pytest.approx(9.0)  # a and b


def test_every_call_of_the_turpan_solve_stage_gets_the_time_left(monkeypatch):
    """A synthetic region solved with a 3-s limit and gap 0: every HiGHS call of the stage
    (LP warm start, fix-and-resolve, polish, MIP) is asked to end by the stage's end (the
    greedy's completing LP may take its small allowance), and the stage ends within the
    limit plus a grace."""
    from optimizer.formulation import compile_problem
    from optimizer.greedy import COMPLETION_S
    from optimizer.problem import build_problem
    from optimizer.solve_stage import solve_compiled
    from optimizer.solvers.watchdog import HighsProcess
    from optimizer.synthetic import synthetic_region

    options, actions, scenario = synthetic_region(400, 3, seed=3)
    solver = scenario.solver.model_copy(update={"gap": 0.0, "time_limit_s": 3.0})
    problem = build_problem(options, actions, scenario.model_copy(update={"solver": solver}),
                            {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0})
    model, layout = compile_problem(problem)
    deadlines: list[float] = []
    real_call = HighsProcess.call

    def spy(self, request, deadline, limit_s, matrix=None):
        deadlines.append(deadline)
        return real_call(self, request, deadline, limit_s, matrix=matrix)

    monkeypatch.setattr(HighsProcess, "call", spy)
    began = time.monotonic()
    result, _, _ = solve_compiled(problem, model, layout)
    assert time.monotonic() - began < 3.0 + grace(3.0) + SLACK_S
    assert deadlines and max(deadlines) <= began + 3.0 + COMPLETION_S
    assert sorted(deadlines)[-2] <= began + 3.0 + 0.05  # one completing LP at most
    assert result.x is not None and model.violations(result.x) == []
