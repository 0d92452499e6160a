"""Solver backends on small compiled models: brute-force optima, LP duals, CP-SAT scaling,
model export round trip, and a helpful error for a solver that is not installed."""

import itertools
import subprocess
import sys
import time
from pathlib import Path

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from optimizer.compiled import CompiledModel, RowFamily
from optimizer.formulation import compile_problem
from optimizer.problem import build_problem
from optimizer.solvers import SolverUnavailableError, relative_gap, solve
from optimizer.solvers.export import write_model


def random_model(seed: int) -> CompiledModel:
    """≤ 10 binaries and one continuous column; ≤, ≥ and = rows."""
    rng = np.random.default_rng(seed)
    n = 9
    a = np.round(rng.uniform(0, 10, (4, n + 1)), 2)
    a[3] = 0
    a[3, [0, 1, n]] = 1.0  # x0 + x1 + c = 1 (c continuous in [0, 1])
    lower = np.array([-np.inf, -np.inf, a[2, :n].sum() * 0.2, 1.0])
    upper = np.array([a[0].sum() * 0.4, a[1].sum() * 0.5, np.inf, 1.0])
    return CompiledModel("max", np.round(rng.uniform(-1, 5, n + 1), 3), sp.csr_matrix(a),
                         lower, upper, np.zeros(n + 1), np.ones(n + 1),
                         np.array([True] * n + [False]),
                         (RowFamily("budget", 0, 2, ("budget[1]", "budget[2]")),
                          RowFamily("target", 2, 4, ("target[a]", "target[b]"))))


def brute(model: CompiledModel) -> float | None:
    best = None
    n = int(model.integrality.sum())
    for bits in itertools.product([0.0, 1.0], repeat=n):
        for c in (0.0, 1.0 - bits[0] - bits[1]):  # c is fixed by the equality row
            x = np.array([*bits, c])
            if 0 <= c <= 1 and not model.violations(x):
                value = model.objective_value(x)
                best = value if best is None else max(best, value)
    return best


@pytest.mark.parametrize("seed", range(20))
def test_three_solvers_reach_the_brute_force_optimum(seed: int) -> None:
    model = random_model(seed)
    expected = brute(model)
    for name in ("highs", "cbc", "cpsat"):
        result = solve(model, name, gap=0.0)
        if expected is None:
            assert result.status == "infeasible", name
        else:
            assert result.status == "optimal", name
            assert result.objective == pytest.approx(expected, rel=1e-6), name


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("setting", [{"presolve": False}, {"restart": False}])
def test_highs_without_presolve_or_restart_reaches_the_same_optimum(seed: int,
                                                                    setting: dict) -> None:
    model = random_model(seed)
    expected = brute(model)
    result = solve(model, "highs", gap=0.0, **setting)
    if expected is None:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal"
        assert result.objective == pytest.approx(expected, rel=1e-6)


def test_restart_false_reaches_highs_as_its_option(monkeypatch) -> None:
    from optimizer.solvers import highs_child
    from optimizer.solvers.highs import model_arrays

    seen: dict[str, object] = {}

    class Recording(highspy.Highs):
        def setOptionValue(self, name, value):  # noqa: N802 (highspy's name)
            seen[name] = value
            return super().setOptionValue(name, value)

    monkeypatch.setattr(highs_child.highspy, "Highs", Recording)
    options = {"verbose": False, "gap": 0.0, "abs_gap": 1e-6, "threads": 1, "seed": 0,
               "presolve": True, "lp_method": "simplex", "node_limit": None,
               "iteration_limit": None}
    model = random_model(0)
    for restart, expected in ((True, None), (False, False)):
        seen.clear()
        highs_child.run({"model": model_arrays(model), "warm_start": None,
                         "options": options | {"restart": restart},
                         "deadline": time.monotonic() + 30})
        assert seen.get("mip_allow_restart") is expected


def test_lp_duals_match_a_hand_computed_lp() -> None:
    # max 3x + 2y  s.t. x + y ≤ 4 (dual 2), x ≤ 3 (dual 1); optimum x=3, y=1, value 11
    model = CompiledModel("max", np.array([3.0, 2.0]), sp.csr_matrix([[1.0, 1.0], [1.0, 0.0]]),
                          np.full(2, -np.inf), np.array([4.0, 3.0]), np.zeros(2),
                          np.full(2, np.inf), np.zeros(2, bool))
    result = solve(model, "highs", lp_relaxation=True)
    assert result.objective == pytest.approx(11.0)
    np.testing.assert_allclose(np.abs(result.row_duals), [2.0, 1.0])


def test_cpsat_error_bound_covers_the_scaling_error() -> None:
    obj = np.array([1.0 / 3.0, 2.0 / 7.0, 1e-9, 5.0])
    model = CompiledModel("max", obj, sp.csr_matrix(np.ones((1, 4))), np.array([-np.inf]),
                          np.array([2.0]), np.zeros(4), np.ones(4), np.ones(4, bool))
    result = solve(model, "cpsat")
    bound = float(result.message.split("scaling error bound ")[1].split(";")[0])
    optimum = 5.0 + 1.0 / 3.0
    assert result.objective == pytest.approx(optimum)
    # the reported bound stays a valid bound on the true optimum despite the rounding, and
    # is off by at most twice the stated error (once for the scaled optimum, once added)
    assert result.bound >= optimum
    assert result.bound - optimum <= 2 * bound + 1e-12
    assert bound > 0


def test_export_and_reread_gives_the_same_optimum(tmp_path) -> None:
    model = random_model(3)
    expected = solve(model, "highs", gap=0.0).objective
    for suffix in (".lp", ".mps"):
        path = write_model(model, tmp_path / f"model{suffix}")
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.readModel(str(path))
        h.setOptionValue("mip_rel_gap", 0.0)
        h.run()
        assert h.getInfo().objective_function_value == pytest.approx(expected, rel=1e-6)


def test_unavailable_solver_names_what_is_available() -> None:
    with pytest.raises(SolverUnavailableError, match=r"not available here.*highs, cpsat"):
        solve(random_model(0), "gurobi")


def test_time_limit_never_claims_optimality_it_has_not_proven() -> None:
    rng = np.random.default_rng(0)
    n = 400
    a = sp.csr_matrix(rng.uniform(1, 100, (30, n)).round(1))
    model = CompiledModel("max", rng.uniform(1, 100, n).round(2), a, np.full(30, -np.inf),
                          np.asarray(a.sum(axis=1)).ravel() * 0.3, np.zeros(n), np.ones(n),
                          np.ones(n, bool))
    result = solve(model, "highs", time_limit_s=0.05, gap=0.0)
    assert result.status in ("feasible", "time_limit_no_solution", "optimal")
    if result.x is not None:
        assert model.violations(result.x) == []
        assert result.objective == pytest.approx(model.objective_value(result.x))
        assert result.bound >= result.objective - 1e-9  # a maximisation's bound is above
        assert result.gap == pytest.approx(relative_gap(result.objective, result.bound))
    if result.status == "feasible":
        assert result.gap > 0.0  # stopped early: the gap it reports is the open one
    if result.status == "optimal":  # only if it really closed the tree in time
        proven = solve(model, "highs", time_limit_s=600.0, gap=0.0)
        assert result.objective == pytest.approx(proven.objective, abs=1e-6)


def test_highs_solves_after_a_change_of_thread_count(kit) -> None:
    # HiGHS keeps one thread pool per process; a second solve with another thread count
    # used to come back empty ("Not Set"). The backend now rebuilds the pool.
    options, actions, scenario = kit.random_instance(3)
    problem = build_problem(options, actions, scenario, {"sand": 0.6, "water": 0.4})
    model, _ = compile_problem(problem)
    first = solve(model, "highs", gap=0.0, threads=1)
    second = solve(model, "highs", gap=0.0, threads=2)
    assert first.status == second.status == "optimal"
    assert second.objective == pytest.approx(first.objective)


def test_cbc_stopped_at_a_gap_reports_that_gap_not_zero(kit) -> None:
    # PuLP gives no dual bound: a CBC "optimal" at gapRel g only proves the objective within
    # g of the optimum, and the result must say so instead of claiming gap 0.
    options, actions, scenario = kit.random_instance(5)
    problem = build_problem(options, actions, scenario, {"sand": 0.6, "water": 0.4})
    model, _ = compile_problem(problem)
    exact = solve(model, "highs", gap=0.0)
    loose = solve(model, "cbc", gap=0.05)
    assert loose.status == "optimal" and loose.gap == 0.05
    assert loose.bound == pytest.approx(loose.objective * 1.05)
    assert loose.objective <= exact.objective + 1e-9 <= loose.bound + 1e-9


def test_export_keeps_stdout_clean_for_json(tmp_path) -> None:
    """'run --export model.mps --json' printed HiGHS's banner before the JSON: the first
    Highs() of a process writes it to stdout (a fresh interpreter, so it is the first)."""
    code = ("import sys; sys.path.insert(0, 'tests/optimizer/solvers'); "
            "from test_backends import random_model; "
            "from optimizer.solvers.export import write_model; "
            f"write_model(random_model(3), {str(tmp_path / 'm.mps')!r})")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).parents[3], check=True)
    assert done.stdout == ""
    assert (tmp_path / "m.mps").read_text().startswith("NAME")
