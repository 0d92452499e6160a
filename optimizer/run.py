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
from optimizer.formulation import compile_problem
from optimizer.greedy import greedy_solution
from optimizer.heuristics import WarmStart, best_warm_start
from optimizer.infeasibility import explain_infeasibility
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


def shadow_prices(model: CompiledModel, years: tuple[int, ...]) -> dict[int, dict[str, float]]:
    """Benefit (objective units) one more 万元 or 万m³ would buy in each year: the duals of
    the budget and water rows in the LP relaxation."""
    relaxed = solve(model, "highs", time_limit_s=60.0, lp_relaxation=True)
    if relaxed.row_duals is None:
        return {}
    prices: dict[int, dict[str, float]] = {y: {} for y in years}
    for name, key in (("budget", "budget_per_wan"), ("water", "water_per_wan_m3")):
        family = model.family(name)
        for year, dual in zip(years, relaxed.row_duals[family.start:family.stop], strict=True):
            prices[year][key] = abs(float(dual))
    return prices


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
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    weights = resolve_weights(scenario.weights)
    say("criteria: benefits of every feasible parcel × action")
    options = (read_options_file(options_file, weights) if options_file
               else build_options(region.parcels, region.actions, weights))
    timings["criteria"] = round(time.perf_counter() - clock, 3)
    analysis = None
    if scenario.corridors.enabled:
        clock = time.perf_counter()
        say("corridors: sources, least-cost paths, pinch points")
        analysis = analyse_corridors(region.parcels, scenario.corridors.max_corridors)
        timings["corridors"] = round(time.perf_counter() - clock, 3)
    return PreparedInputs(options, analysis, timings)


def neighbouring_years(problem: Problem):
    """Widen a set of options to the same parcel-action started one year earlier or later
    (the support polish's second neighbourhood)."""
    n_years = len(problem.years)
    year_index = problem.option_year - problem.years[0]

    def widen(mask: np.ndarray) -> np.ndarray:
        wide = mask.copy()
        options = np.flatnonzero(mask[:problem.n_options])
        for step in (-1, 1):  # options are laid out pair by pair, year by year
            ok = (year_index[options] + step >= 0) & (year_index[options] + step < n_years)
            target = options[ok] + step
            same_pair = problem.option_pair[target] == problem.option_pair[options[ok]]
            wide[target[same_pair]] = True
        return wide

    return widen


def certified_start(found: WarmStart, gap: float) -> SolveResult | None:
    """The warm start as the answer when the LP relaxation already proves it within
    ``gap``: the requested certificate exists, so the MIP solve is skipped."""
    if found.x is None or found.lp_bound is None or found.objective is None:
        return None
    reached = relative_gap(found.objective, found.lp_bound)
    if reached > gap:
        return None
    return SolveResult("optimal", found.x, found.objective, found.lp_bound, reached, 0.0,
                       "highs", version("highspy"),
                       message=f"the {found.source} warm start is within {reached:.3%} of the "
                               "LP relaxation's bound (HiGHS): no MIP solve was needed")


def tighter_bound(model: CompiledModel, result: SolveResult,
                  lp_bound: float | None) -> SolveResult:
    """The result with the tighter of the solver's bound and the LP relaxation's (a solver
    stopped before its root LP reports none, or an infinite one)."""
    if lp_bound is None or result.objective is None:
        return result
    bounds = [b for b in (result.bound, lp_bound) if b is not None and np.isfinite(b)]
    bound = min(bounds) if model.sense == "max" else max(bounds)
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
    timings: dict[str, float] = dict(inputs.timings_s) if prepared is None else {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    weights = resolve_weights(scenario.weights)
    options, analysis = inputs.options, inputs.corridors
    corridors = analysis.corridors if analysis is not None else ()
    say(f"problem: {len(options):,} parcel-actions × {len(scenario.horizon.years)} years")
    problem = build_problem(options, region.actions, scenario, weights, corridors)
    model, layout = compile_problem(problem)
    lap("build")
    check(problem, model)
    if export_path is not None:
        write_model(model, export_path)
    settings = scenario.solver
    say("greedy baseline: benefit per cost, earliest feasible year")
    greedy_x = greedy_solution(problem, model, layout, settings.threads)
    greedy_value = None if greedy_x is None else model.objective_value(greedy_x)
    lap("greedy")
    heuristics: dict = {"greedy_objective": greedy_value}
    say("warm start: LP relaxation, fix and re-solve, support polish")
    found = best_warm_start(model, greedy_x, min(30.0, settings.time_limit_s / 2),
                            settings.threads, scenario.seed, neighbouring_years(problem),
                            given=warm_start)
    given_start, warm_start = warm_start, found.x
    heuristics.update(warm_start_source=found.source, candidates=found.candidates,
                      lp_bound=found.lp_bound)
    lap("warm_start")
    result = certified_start(found, settings.gap)
    if result is None:
        remaining = max(settings.time_limit_s - timings.get("warm_start", 0.0), 1.0)
        say(f"solve: {settings.name}, gap ≤ {settings.gap:.2%}, ≤ {remaining:.0f} s")
        result = solve(model, settings.name, remaining, settings.gap, settings.threads,
                       scenario.seed, warm_start=warm_start)
    lap("solve")
    if result.status == "infeasible":
        raise InfeasibleScenarioError(explain_infeasibility(model))
    starts = [x for x in (greedy_x, given_start, warm_start)
              if x is not None and not model.violations(x)]
    result = never_below(model, result,
                         max(starts, key=model.objective_value) if starts else None)
    result = tighter_bound(model, result, heuristics.get("lp_bound"))
    if result.x is None:
        raise RuntimeError(f"the solver found no plan: {result.status} {result.message}. "
                           "Give it more time (--time-limit) or a larger gap (--gap).")
    prices = shadow_prices(model, problem.years)
    lap("shadow_prices")
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
                 "timings_s": timings, "connectivity": connectivity,
                 "heuristics": heuristics,
                 **(manifest_extra or {})}
        plan.write(out_dir, region.parcels, extra,
                   also=lambda folder: write_planner_outputs(folder, plan, region, analysis))
        lap("write")
    return RunOutcome(plan, problem, out_dir, timings, analysis)

