"""One run, end to end: inputs → criteria → corridors → problem → solve → plan → files.

The CLI's ``run`` and the sweeps call this; it is the only place that strings the stages
together, so every run records the same manifest.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from criteria.connectivity import iic
from criteria.corridors import CorridorAnalysis, analyse_corridors
from criteria.options import build_options, options_from_table
from criteria.weights import resolve_weights
from optimizer.compiled import CompiledModel, SolveResult
from optimizer.formulation import Layout, compile_problem
from optimizer.greedy import greedy_solution
from optimizer.heuristics import WarmStart, best_start, best_warm_start
from optimizer.infeasibility import explain_infeasibility
from optimizer.lagrangian import LagrangianBound, NotDecomposableError, lagrangian_bound
from optimizer.neighbourhoods import polish_neighbourhoods
from optimizer.plan import Plan, build_plan
from optimizer.presolve import InfeasibleScenarioError, check
from optimizer.problem import Problem, build_problem
from optimizer.solvers import solve
from optimizer.solvers.common import relative_gap
from optimizer.solvers.export import write_model
from outputs.bundle import write_planner_outputs
from region.errors import InputError, InputProblem
from region.io import Region, sha256_of_inputs
from region.scenario import Scenario

ProgressFn = Callable[[str], None]


@dataclass(frozen=True)
class RunOutcome:
    plan: Plan
    problem: Problem
    out_dir: Path | None
    timings_s: dict[str, float] = field(default_factory=dict)
    corridors: CorridorAnalysis | None = None  # when the scenario enables corridors


def read_options_file(path: Path, weights: dict[str, float]) -> pd.DataFrame:
    """A user's option table from CSV or GeoPackage (``--options``)."""
    if not path.exists():
        raise InputError([InputProblem(str(path), "file not found")])
    if path.suffix.lower() in (".gpkg", ".geojson", ".shp"):
        import geopandas as gpd

        frame = pd.DataFrame(gpd.read_file(path).drop(columns="geometry", errors="ignore"))
    else:
        frame = pd.read_csv(path)
    return options_from_table(frame, str(path), weights)


def shadow_prices(model: CompiledModel, years: tuple[int, ...],
                  row_duals: np.ndarray | None = None) -> dict[int, dict[str, float]]:
    """Benefit (objective units) one more 万元 or 万m³ would buy in each year: the duals of
    the budget and water rows in the LP relaxation (``row_duals`` when the run solved it
    already, else solved here)."""
    if row_duals is None:
        row_duals = solve(model, "highs", time_limit_s=60.0, lp_relaxation=True).row_duals
    if row_duals is None:
        return {}
    prices: dict[int, dict[str, float]] = {y: {} for y in years}
    for name, key in (("budget", "budget_per_wan"), ("water", "water_per_wan_m3")):
        family = model.family(name)
        for year, dual in zip(years, row_duals[family.start:family.stop], strict=True):
            prices[year][key] = abs(float(dual))
    return prices


class Stopwatch:
    """Named stage times of one run, in seconds."""

    def __init__(self, timings: dict[str, float] | None = None) -> None:
        self.timings = dict(timings or {})
        self._clock = time.perf_counter()

    def lap(self, name: str) -> None:
        """Record the time since the last lap as stage ``name``."""
        now = time.perf_counter()
        self.timings[name] = round(now - self._clock, 3)
        self._clock = now

    def add(self, stages: dict[str, float]) -> None:
        """Record stages timed elsewhere, which end now."""
        self.timings.update(stages)
        self._clock = time.perf_counter()


@dataclass(frozen=True)
class PreparedInputs:
    """What a scenario's weights, money and water do not change: the option table (raw and
    normalised benefits per parcel × action) and the corridor analysis. Sweeps and
    sensitivity runs prepare once and solve many times."""

    options: pd.DataFrame
    corridors: CorridorAnalysis | None
    timings_s: dict[str, float] = field(default_factory=dict)


def prepare(region: Region, scenario: Scenario, options_file: Path | None = None,
            progress: ProgressFn | None = None) -> PreparedInputs:
    """Criteria (or the user's option table) and, when enabled, the corridors."""
    say = progress or (lambda _msg: None)
    watch = Stopwatch()
    weights = resolve_weights(scenario.weights)
    say("criteria: benefits of every feasible parcel × action")
    options = (read_options_file(options_file, weights) if options_file
               else build_options(region.parcels, region.actions, weights))
    watch.lap("criteria")
    analysis = None
    if scenario.corridors.enabled:
        say("corridors: sources, least-cost paths, pinch points")
        analysis = analyse_corridors(region.parcels, scenario.corridors.max_corridors)
        watch.lap("corridors")
    return PreparedInputs(options, analysis, watch.timings)


def tightest(model: CompiledModel, *bounds: float | None) -> float | None:
    """The tightest of the finite ``bounds`` on the optimum (None when there is none)."""
    finite = [b for b in bounds if b is not None and np.isfinite(b)]
    if not finite:
        return None
    return min(finite) if model.sense == "max" else max(finite)


def lagrangian_start(problem: Problem, model: CompiledModel, layout: Layout,
                     time_limit_s: float, threads: int
                     ) -> tuple[LagrangianBound | None, np.ndarray | None]:
    """The Lagrangian bound (optimizer/lagrangian.py) and the greedy plan that takes options
    in the order of its reduced values: a bound and a start without the LP relaxation, which
    on the largest models does not finish in the time a run has. (None, None) when the model
    has no one-action rows to decompose on."""
    try:
        bound = lagrangian_bound(model, time_limit_s, threads=threads)
    except NotDecomposableError:
        return None, None
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
                   message=f"{result.message}; the heuristic start was better and is kept")


#: The MIP runs only when at least this share of the time limit is left after the warm
#: start. The polish stops early once its sub-MIPs stop improving, as on small models,
#: where the MIP then proves the optimum. When the polish runs to its deadline, the rest
#: would not take HiGHS past its root (Turpan: presolve and set-up ~15 s, overrunning short
#: limits by seconds), so the plan is the polish's and its gap is against the LP bound.
MIP_MIN_SHARE = 0.2

#: The warm start may take all of a short time limit, up to this many seconds, and half
#: of a long one: the filler-parcel polish needs 35-55 s on Turpan to find plans that 40
#: minutes of branch and bound found, while a long run's MIP lowers the bound (600 s:
#: 5.2888 → 5.2848) where the polish cannot.
WARM_START_MIN_S = 45.0


def solve_compiled(problem: Problem, model: CompiledModel, layout: Layout,
                   warm_start: np.ndarray | None = None, progress: ProgressFn | None = None
                   ) -> tuple[SolveResult, dict, dict[str, float]]:
    """The solve stage of a run, within the scenario's time limit: greedy; the LP warm
    start (fix and re-solve, support polish), for as long as it improves within
    :data:`WARM_START_MIN_S` or half the time limit, whichever is longer; if the LP
    relaxation did not finish, the Lagrangian bound and its greedy instead (never tighter
    than the LP's, only cheaper); the best start is the answer when a bound already proves
    it within the gap, else the solver runs from it — unless the LP did not finish, since
    the MIP would start from that LP, or too little time is left (:data:`MIP_MIN_SHARE`).
    Returns the result (never worse than a start, with the tightest bound known, timed
    from the greedy on, with the LP relaxation's row duals when it was solved), what the
    heuristics found, and the stage times. Raises
    InfeasibleScenarioError with the conflicting rules."""
    say = progress or (lambda _msg: None)
    scenario = problem.scenario
    settings = scenario.solver
    watch = Stopwatch()
    say("greedy baseline: benefit per cost, earliest feasible year")
    starts = {"greedy": greedy_solution(problem, model, layout, settings.threads)}
    if warm_start is not None:
        starts["given"] = warm_start
    watch.lap("greedy")
    say("warm start: LP relaxation, fix and re-solve, support polish")
    left = settings.time_limit_s - watch.timings["greedy"]
    budget = min(left, max(WARM_START_MIN_S, left / 2))
    found = best_warm_start(model, starts, budget, settings.threads, scenario.seed,
                            polish_neighbourhoods(problem, budget),
                            lp_time_limit_s=min(30.0, settings.time_limit_s / 2))
    watch.lap("warm_start")
    lagrangian = None
    lp_unfinished = found.lp_bound is None and found.x is not None  # (infeasible: no plan)
    if lp_unfinished:
        say("the LP relaxation did not finish: Lagrangian bound, money and water priced")
        lagrangian, priced_x = lagrangian_start(problem, model, layout,
                                                settings.time_limit_s / 20, settings.threads)
        priced = best_start(model, {found.source: found.x, "lagrangian_greedy": priced_x})
        found = replace(priced, candidates={**found.candidates, **priced.candidates})
        watch.lap("lagrangian")
    result = certified_start(model, found, settings.gap, lagrangian)
    if result is None and lp_unfinished:
        # The MIP starts from the LP that did not finish; HiGHS would overrun its time
        # limit by minutes (its presolve and root set-up check the clock rarely).
        gap_note = ("its gap against the Lagrangian bound" if lagrangian is not None
                    else "without a bound (no one-action rows to decompose on)")
        result = start_as_result(found, "feasible",
                                 "the LP relaxation did not finish in its share of the time "
                                 "limit, so no MIP solve was started: the plan is the best "
                                 f"heuristic start, {gap_note}")
    remaining = settings.time_limit_s - sum(watch.timings.values())
    if (result is None and found.x is not None
            and remaining < MIP_MIN_SHARE * settings.time_limit_s):
        result = start_as_result(found, "feasible",
                                 f"the {found.source} warm start used the time limit, too "
                                 "little was left for a MIP solve: the gap is against the "
                                 "LP relaxation's bound")
    if result is None:
        say(f"solve: {settings.name}, gap ≤ {settings.gap:.2%}, ≤ {remaining:.0f} s")
        result = solve(model, settings.name, max(remaining, 1.0), settings.gap,
                       settings.threads, scenario.seed, warm_start=found.x)
    watch.lap("solve")
    lagrangian_value = None if lagrangian is None else lagrangian.bound
    heuristics = {"greedy_objective": found.candidates.get("greedy"),
                  "lagrangian_bound": lagrangian_value, "warm_start_source": found.source,
                  "candidates": found.candidates, "lp_bound": found.lp_bound}
    if result.status == "infeasible":
        raise InfeasibleScenarioError(explain_infeasibility(model))
    best_bound = tightest(model, found.lp_bound, lagrangian_value)
    result = tighter_bound(model, never_below(model, result, found.x), best_bound)
    # time: the stage's, not the MIP's; duals: the LP relaxation's, for the shadow prices
    result = replace(result, time_s=sum(watch.timings.values()), row_duals=found.lp_duals)
    return result, heuristics, watch.timings


def run_scenario(region: Region, scenario: Scenario, out_dir: Path | None,
                 options_file: Path | None = None, manifest_extra: dict | None = None,
                 progress: ProgressFn | None = None,
                 warm_start: np.ndarray | None = None,
                 export_path: Path | None = None,
                 prepared: PreparedInputs | None = None) -> RunOutcome:
    """Solve one scenario on a region and write its result folder (when ``out_dir``).

    ``prepared`` (from :func:`prepare` with the same region, option file and corridor
    settings) skips the criteria and corridor stages. Raises InfeasibleScenarioError (with
    the conflicting rules) when the scenario cannot be met; nothing is written then.
    """
    say = progress or (lambda _msg: None)
    inputs = prepared or prepare(region, scenario, options_file, progress)
    watch = Stopwatch(inputs.timings_s if prepared is None else None)
    weights = resolve_weights(scenario.weights)
    options, analysis = inputs.options, inputs.corridors
    corridors = analysis.corridors if analysis is not None else ()
    say(f"problem: {len(options):,} parcel-actions × {len(scenario.horizon.years)} years")
    problem = build_problem(options, region.actions, scenario, weights, corridors)
    model, layout = compile_problem(problem)
    watch.lap("build")
    check(problem, model)
    if export_path is not None:
        write_model(model, export_path)
    result, heuristics, stages = solve_compiled(problem, model, layout, warm_start, say)
    watch.add(stages)
    if result.x is None:
        raise RuntimeError(f"the solver found no plan: {result.status} {result.message}. "
                           "Give it more time (--time-limit) or a larger gap (--gap).")
    prices = shadow_prices(model, problem.years, result.row_duals)
    watch.lap("shadow_prices")
    plan = build_plan(problem, layout, result, region.projects,
                      (prices, "dual values of the budget and water rows in the LP "
                               "relaxation (HiGHS): objective gain per extra 万元 / 万m³"))
    connectivity = {}
    if analysis is not None:
        restored = region.parcels["parcel_id"].isin(plan.chosen["parcel_id"]).to_numpy()
        connectivity = {"index": "IIC", "now": analysis.connectivity_now,
                        "after_plan": iic(region.parcels, analysis.graph, restored)}
    if out_dir is not None:
        files = region.paths.files() + ([options_file] if options_file else [])
        extra = {"inputs_sha256": sha256_of_inputs(files),
                 "inputs": [str(p) for p in files], "seed": scenario.seed,
                 "weights": weights, "scenario": scenario.model_dump(mode="json"),
                 "timings_s": watch.timings, "connectivity": connectivity,
                 "heuristics": heuristics,
                 **(manifest_extra or {})}
        plan.write(out_dir, region.parcels, extra,
                   also=lambda folder: write_planner_outputs(folder, plan, region, analysis))
        watch.lap("write")
    return RunOutcome(plan, problem, out_dir, watch.timings, analysis)

