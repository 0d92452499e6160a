"""The solve stage of a run, within the scenario's time limit: greedy, warm start, bound
certificates, and the MIP only when it can still help.

The policy lives here, apart from the steps it strings together (optimizer/greedy.py,
heuristics.py, lagrangian.py, solvers/): which start is the answer, which bound certifies
it, when no MIP is run. Runs and sweeps call :func:`solve_compiled`; sensitivity samples
use the certificate and never-worse rules with a time split of their own.
"""

from __future__ import annotations

from dataclasses import replace
from importlib.metadata import version

import numpy as np

from optimizer.compiled import CompiledModel, SolveResult
from optimizer.formulation import Layout
from optimizer.greedy import greedy_solution
from optimizer.heuristics import WarmStart, best_start, best_warm_start
from optimizer.infeasibility import explain_infeasibility
from optimizer.lagrangian import LagrangianBound, NotDecomposableError, lagrangian_bound
from optimizer.messages import sentences
from optimizer.neighbourhoods import EXCHANGES_MIN_EFFORT, polish_neighbourhoods
from optimizer.presolve import InfeasibleScenarioError
from optimizer.problem import Problem
from optimizer.solvers import prestart, solve, solver_key, time_box, time_left
from optimizer.solvers.common import relative_gap
from optimizer.solvers.watchdog import allowance
from optimizer.stages import ProgressFn, Stopwatch
from optimizer.work import clock_audit, note_clock_stop, work_limits


class NoPlanFoundError(RuntimeError):
    """No feasible plan was found within the solve's limits, although none of the rules is
    known to conflict: more time (or a looser gap) may find one."""


def tightest(model: CompiledModel, *bounds: float | None) -> float | None:
    """The tightest of the finite ``bounds`` on the optimum (None when there is none)."""
    finite = [b for b in bounds if b is not None and np.isfinite(b)]
    if not finite:
        return None
    return min(finite) if model.sense == "max" else max(finite)


def lagrangian_start(problem: Problem, model: CompiledModel, layout: Layout,
                     time_limit_s: float, threads: int, max_iterations: int = 200
                     ) -> tuple[LagrangianBound | None, np.ndarray | None]:
    """The Lagrangian bound (optimizer/lagrangian.py) and the greedy plan that takes options
    in the order of its reduced values: a bound and a start without the LP relaxation, which
    on the largest models does not finish in the time a run has. (None, None) when the model
    has no one-action rows to decompose on; no greedy plan when the time box has run out."""
    try:
        bound = lagrangian_bound(model, time_limit_s, max_iterations, threads=threads)
    except NotDecomposableError:
        return None, None
    if time_left(1.0) <= 0:  # a second greedy would run past the time limit
        note_clock_stop("the Lagrangian greedy (not started: no time was left)")
        return bound, None
    return bound, greedy_solution(problem, model, layout, threads,
                                  option_score=bound.reduced_value)


def start_as_result(found: WarmStart, status: str, message: str, bound: float | None = None
                    ) -> SolveResult:
    """The heuristic start as the run's answer, no MIP solved (the gap from ``bound``)."""
    gap = None if bound is None else relative_gap(found.objective, bound)
    return SolveResult(status, found.x, found.objective, bound, gap, 0.0, "highs",
                       version("highspy"), message=message)


def certified_start(model: CompiledModel, found: WarmStart, gap: float,
                    lagrangian: LagrangianBound | None = None) -> SolveResult | None:
    """The warm start as the answer when the LP relaxation's bound or the Lagrangian bound
    already proves it within ``gap``: the requested certificate exists, so the MIP solve
    is skipped."""
    if found.x is None or found.objective is None:
        return None
    bound = tightest(model, found.lp_bound, None if lagrangian is None else lagrangian.bound)
    if bound is None:
        return None
    reached = relative_gap(found.objective, bound)
    if reached > gap:
        return None
    which = ("LP relaxation's bound (HiGHS)" if bound == found.lp_bound
             else f"Lagrangian bound ({lagrangian.iterations} cutting-plane steps)")
    return start_as_result(found, "optimal",
                           f"the {found.source} warm start is within {reached:.3%} of the "
                           f"{which}: no MIP solve was needed", bound)


def tighter_bound(model: CompiledModel, result: SolveResult,
                  bound: float | None) -> SolveResult:
    """The result with the tighter of the solver's bound and ``bound`` (the LP relaxation's
    or the Lagrangian; a solver stopped before its root LP reports none, or an infinite one)."""
    if bound is None or result.objective is None:
        return result
    bound = tightest(model, result.bound, bound)
    if bound == result.bound:
        return result
    return replace(result, bound=bound, gap=relative_gap(result.objective, bound))


def never_below(model: CompiledModel, result: SolveResult,
                baseline: np.ndarray | None) -> SolveResult:
    """The solver's answer, or the baseline plan when the solver returned a worse one (a
    solver that ignores warm starts, stopped early): the plan is never worse than greedy or
    than a feasible warm start it was given."""
    if baseline is None:
        return result
    value = model.objective_value(baseline)
    if result.x is not None and result.objective >= value - 1e-9 * max(1.0, abs(value)):
        return result
    bound = result.bound
    return replace(result, status="feasible", x=baseline, objective=value, kept_start=True,
                   gap=None if bound is None else relative_gap(value, bound),
                   message=sentences(result.message,
                                     "the heuristic start was better and is kept"))


#: No MIP runs when its work budget (optimizer/work.py) allows fewer nodes than this: on
#: such a model HiGHS's root alone takes the time, so the plan is the polish's and its gap
#: is against the LP bound. Measured on the Turpan baseline (427,745 non-zeros then, 117
#: nodes at effort 1; quiet machine, 2026-12-01; 410,155 and 122 on main deafc04,
#: 2026-12-02): HiGHS's root cut loop did not finish in 47 s (0 nodes), lowered the bound by
#: 0.04 % and found no better plan than the polish; from scratch it was still at the root
#: after 90 s (benchmarks/results.md).
MIP_MIN_NODES = 200

#: Above this many columns the LP relaxation is not tried: the Lagrangian bound and its
#: greedy take its place at once. Measured (HiGHS, 2 threads, benchmarks/results.md): the
#: Turpan baseline's LP (≈ 94,000 columns) solves in seconds; synthetic regions of 10,000
#: parcels (180,000 columns) took 47.5 s on a busy machine and of 25,000 parcels (450,000
#: columns) did not finish in 150 s — time a run would lose before the Lagrangian starts.
LP_MAX_COLUMNS = 250_000

#: Nor when less than this many seconds are left (the run then says the clock decided).
MIP_MIN_S = 1.0

#: The most the conflict of an infeasible LP relaxation may take to be found, past the time
#: limit if need be (optimizer/solvers/watchdog.py allowance): its elastic model is an LP,
#: solved in seconds on Turpan's (an estimate; no plan is found without it, only "no time").
LP_EXPLAIN_S = 30.0


def lp_time_limit(model: CompiledModel, time_limit_s: float) -> float:
    """Seconds the warm start's LP relaxation may take: none above :data:`LP_MAX_COLUMNS`
    columns, else up to 30 s or half the time limit."""
    return 0.0 if model.n_cols > LP_MAX_COLUMNS else min(30.0, time_limit_s / 2)


def no_plan_found(mip: SolveResult) -> str:
    """Why a run has no plan although no rule is known to conflict: the starts found none,
    and the MIP solve, which could find one or prove that none exists, was not started for
    want of time, or found none in the time it had."""
    starts = "the greedy plan and the warm starts found none"
    if mip.status == "time_limit_no_solution" and mip.time_s == 0.0:  # not started
        return (f"{starts} and used the time limit, so no time was left for the MIP solve, "
                "which could find a plan or prove that none exists")
    said = f" ({mip.message.rstrip('.')})" if mip.message else ""
    ran = f"{mip.time_s:.1f} s" if mip.time_s >= 0.05 else "less than 0.1 s"
    return f"{starts}, nor did the MIP solve in the {ran} it ran{said}"


def solve_compiled(problem: Problem, model: CompiledModel, layout: Layout,
                   warm_start: np.ndarray | None = None, progress: ProgressFn | None = None
                   ) -> tuple[SolveResult, dict, dict[str, float]]:
    """:func:`solve_stage` in a time box of the scenario's time limit: every solver call
    inside gets at most the time left, and a HiGHS call that overruns is stopped
    (optimizer/solvers/watchdog.py)."""
    prestart()
    with time_box(problem.scenario.solver.time_limit_s), clock_audit() as stops:
        result, heuristics, timings = solve_stage(problem, model, layout, warm_start,
                                                  progress)
    heuristics |= {"reproducible": not stops, "clock_stops": stops}
    if stops:  # said once, apart from the solver's message (optimizer/work.py)
        result = replace(result, clock_stopped=True, clock_stops=tuple(stops))
    return result, heuristics, timings


def solve_stage(problem: Problem, model: CompiledModel, layout: Layout,
                warm_start: np.ndarray | None = None, progress: ProgressFn | None = None
                ) -> tuple[SolveResult, dict, dict[str, float]]:
    """The solve stage of a run, bounded by work (optimizer/work.py) within the scenario's
    time limit: greedy; the LP warm start (fix and re-solve, support polish while it
    improves, for its rounds); if the LP relaxation did not finish within its iterations,
    the Lagrangian bound and its greedy instead (never tighter than the LP's, only
    cheaper); the best start is the answer when a bound already proves it within the gap,
    else the solver runs from it for its nodes — unless the LP did not finish, since the
    MIP would start from that LP, or its node budget is below :data:`MIP_MIN_NODES`, or
    too little time is left (:data:`MIP_MIN_S`).
    Returns the result (never worse than a start, with the tightest bound known, timed
    from the greedy on, with the LP relaxation's row duals when it was solved), what the
    heuristics found, and the stage times. Raises
    InfeasibleScenarioError with the conflicting rules."""
    say = progress or (lambda _msg: None)
    scenario = problem.scenario
    settings = scenario.solver
    limits = work_limits(model, settings.effort)
    watch = Stopwatch()
    say("greedy baseline: benefit per cost, earliest feasible year")
    starts = {"greedy": greedy_solution(problem, model, layout, settings.threads)}
    if warm_start is not None:
        starts["given"] = warm_start
    watch.lap("greedy")
    say("warm start: LP relaxation, fix and re-solve, support polish")
    left = settings.time_limit_s - watch.timings["greedy"]
    found = best_warm_start(model, starts, left, settings.threads, scenario.seed,
                            polish_neighbourhoods(problem, settings.time_limit_s,
                                                  settings.effort >= EXCHANGES_MIN_EFFORT),
                            lp_time_limit_s=lp_time_limit(model, settings.time_limit_s),
                            work=limits)
    watch.lap("warm_start")
    if found.x is None and found.lp_infeasible:
        # no plan can exist: said now, from the LP's conflict, whatever time is left
        with allowance(LP_EXPLAIN_S):
            raise InfeasibleScenarioError(explain_infeasibility(model, LP_EXPLAIN_S,
                                                                relaxed=True))
    lagrangian = None
    lp_unfinished = found.lp_bound is None and found.x is not None  # (infeasible: no plan)
    if lp_unfinished:
        say("no LP relaxation (too large, or it did not finish): Lagrangian bound, money "
            "and water priced")
        lagrangian, priced_x = lagrangian_start(problem, model, layout,
                                                settings.time_limit_s / 20, settings.threads,
                                                limits.lagrangian_steps)
        priced = best_start(model, {found.source: found.x, "lagrangian_greedy": priced_x})
        found = replace(priced, candidates={**found.candidates, **priced.candidates})
        watch.lap("lagrangian")
    result = certified_start(model, found, settings.gap, lagrangian)
    if result is None and lp_unfinished:
        # The MIP starts from the LP that did not finish; HiGHS would overrun its time
        # limit by minutes (its presolve and root set-up check the clock rarely).
        gap_note = ("its gap against the Lagrangian bound" if lagrangian is not None
                    else "without a bound (no one-action rows to decompose on)")
        why = (f"the model has more than {LP_MAX_COLUMNS:,} columns, so its LP relaxation "
               "was not tried" if model.n_cols > LP_MAX_COLUMNS else
               "the LP relaxation did not finish within its work and time")
        result = start_as_result(found, "feasible",
                                 f"{why} and no MIP solve was started: the plan is the best "
                                 f"heuristic start, {gap_note}")
    if result is None and found.x is not None and limits.mip_nodes < MIP_MIN_NODES:
        result = start_as_result(found, "feasible",
                                 f"the model is too large for a MIP solve within its work "
                                 f"({limits.mip_nodes} nodes: HiGHS's root alone would take "
                                 f"them), so the {found.source} warm start is the plan: the "
                                 "gap is against the LP relaxation's bound")
    remaining = settings.time_limit_s - sum(watch.timings.values())
    if result is None and found.x is not None and remaining < MIP_MIN_S:
        note_clock_stop(f"the solve stage before its MIP ({max(remaining, 0.0):.1f} s were "
                        "left)")
        result = start_as_result(found, "feasible",
                                 f"the {found.source} warm start used the time limit, too "
                                 "little was left for a MIP solve: the gap is against the "
                                 "LP relaxation's bound")
    if result is None:
        say(f"solve: {settings.name}, gap ≤ {settings.gap:.2%}, ≤ {limits.mip_nodes:,} "
            f"nodes, ≤ {remaining:.0f} s")
        result = solve(model, settings.name, max(remaining, 1.0), settings.gap,
                       settings.threads, scenario.seed, warm_start=found.x,
                       node_limit=limits.mip_nodes)
        if solver_key(settings.name) != "highs" and result.status != "optimal":
            note_clock_stop(f"the {settings.name} MIP (bounded by time only)")
        if result.x is None and found.x is None:
            result = replace(result, message=no_plan_found(result))
    watch.lap("solve")
    lagrangian_value = None if lagrangian is None else lagrangian.bound
    heuristics = {"greedy_objective": found.candidates.get("greedy"),
                  "lagrangian_bound": lagrangian_value, "warm_start_source": found.source,
                  "candidates": found.candidates, "lp_bound": found.lp_bound,
                  "work_limits": limits.as_record()}
    if result.status == "infeasible":
        raise InfeasibleScenarioError(explain_infeasibility(model))
    best_bound = tightest(model, found.lp_bound, lagrangian_value)
    result = tighter_bound(model, never_below(model, result, found.x), best_bound)
    # time: the stage's, not the MIP's; duals: the LP relaxation's, for the shadow prices
    result = replace(result, time_s=sum(watch.timings.values()), row_duals=found.lp_duals)
    return result, heuristics, watch.timings
