"""One run, end to end: inputs → criteria → corridors → problem → solve → plan → files.

Every command that solves calls this (``run``, ``sweep``, ``pareto``, ``replan``,
``sensitivity``); it is the only place that strings the stages together, so every run
records the same manifest.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from criteria.connectivity import iic
from criteria.corridors import CorridorAnalysis, analyse_corridors
from criteria.feasibility import allowed_by_rules
from criteria.normalise import (
    live_weights,
    negligible_criteria,
    normalise,
    score,
)
from criteria.options import CRITERION_UNITS, build_options
from criteria.weights import resolve_weights
from optimizer.compiled import CompiledModel
from optimizer.formulation import Layout, compile_problem
from optimizer.greedy import greedy_solution
from optimizer.objectives import min_cost_model
from optimizer.plan import Plan, build_plan
from optimizer.presolve import check
from optimizer.problem import Problem, build_problem, restoring
from optimizer.shadow_prices import shadow_prices
from optimizer.solve_stage import LP_MAX_COLUMNS, NoPlanFoundError, solve_compiled
from optimizer.solvers.export import write_model
from optimizer.stages import ProgressFn, Stopwatch
from outputs.bundle import write_planner_outputs
from outputs.data_note import README_NAME
from outputs.labels import code_names
from pipeline.inputs import read_options_file
from region.files import sha256_of_inputs
from region.io import Region
from region.projects import assign_projects
from region.scenario import Scenario, horizon_budget_wan


@dataclass(frozen=True)
class Formulation:
    """The integer programme a run solves: the problem, its compiled model and column
    layout, a start for the solve (None: the heuristics' own), what the manifest should
    say about how the model was made, and how the solved plan is told before it is written
    (``restate``: a re-plan shows its past years as reported, pipeline/reported.py)."""

    problem: Problem
    model: CompiledModel
    layout: Layout
    warm_start: np.ndarray | None = None
    manifest: dict = field(default_factory=dict)
    restate: Callable[[Plan], Plan] | None = None


#: Turns the scenario's problem into the model a run solves: the plain scenario
#: (:func:`standard_formulation`), the cheapest plan (:func:`min_cost_formulation`), a
#: point of a Pareto front (analysis/pareto.py) or a re-plan that fixes what was done
#: (pipeline/replan.py).
Formulate = Callable[[Problem], Formulation]


def standard_formulation(problem: Problem) -> Formulation:
    """The scenario as written: maximise the weighted benefit under every rule."""
    model, layout = compile_problem(problem)
    return Formulation(problem, model, layout)


def min_cost_formulation(problem: Problem) -> Formulation:
    """The cheapest plan that meets every rule and target (optimizer/objectives.py), as the
    maximum of minus the money spent in the horizon: the sense the solve stage works in.
    Its start: the greedy plan of the required works alone."""
    model, layout = min_cost_model(problem)
    model = replace(model, sense="max", obj=-model.obj)
    required_only = replace(problem, value=np.zeros(problem.n_options))
    start = greedy_solution(required_only, model, layout, problem.scenario.solver.threads)
    return Formulation(problem, model, layout, start, {
        "objective_kind": "min_cost: the objective is minus the money spent in the horizon, "
                          "万元; the options' value column is still their weighted benefit"})


#: The objectives ``solve.py run --objective`` offers.
OBJECTIVES: dict[str, Formulate] = {"benefit": standard_formulation,
                                    "min_cost": min_cost_formulation}


@dataclass(frozen=True)
class RunOutcome:
    """What a run gives back: the plan, the problem it solves, where it was written (None:
    not written), seconds per stage, the corridor analysis, and the solve's record of its
    heuristics (the manifest's ``heuristics``: work limits, whether the clock stopped it)."""

    plan: Plan
    problem: Problem
    out_dir: Path | None
    timings_s: dict[str, float] = field(default_factory=dict)
    corridors: CorridorAnalysis | None = None  # when the scenario enables corridors
    heuristics: dict = field(default_factory=dict)
    # the manifest's record of the run (inputs' hash, seed, weights, criterion scales,
    # scenario, timings, heuristics …), for callers that write the plan themselves (sweeps)
    record: dict = field(default_factory=dict)


def region_options(region: Region, scenario: Scenario, weights: dict[str, float],
                   options_file: Path | None = None) -> pd.DataFrame:
    """Every option the catalogue and the scenario's spatial rules allow (or the planner's
    own table without the rows those rules forbid), each filed under its plan project
    (region/projects.py); benefits normalised to what the horizon's budget can achieve."""
    budget = horizon_budget_wan(scenario)  # the criteria's achievable range (swing weights)
    if options_file is None:
        options = build_options(region.parcels, region.actions, weights, budget,
                                scenario.spatial_rules, region.places)
    else:
        options = read_options_file(options_file, weights, region, budget_wan=budget)
        allowed = allowed_by_rules(options, region.parcels, scenario.spatial_rules)
        if not allowed.all():
            options = normalise(options.loc[allowed].reset_index(drop=True), budget)
            options["score"] = score(options, weights)
    return assign_projects(options, region.projects, region.places)


@dataclass(frozen=True)
class PreparedInputs:
    """What a scenario's weights, money and water do not change: the option table (raw and
    normalised benefits per parcel × action; normalised to what the prepared scenario's
    budget can achieve, so a budget sweep keeps one scale) and the corridor analysis.
    Sweeps and sensitivity runs prepare once and solve many times. ``negligible``: the
    criteria whose achievable range is below their smallest meaningful swing (they score 0
    and weigh 0), each with its ``range`` and ``floor`` in its physical unit."""

    options: pd.DataFrame
    corridors: CorridorAnalysis | None
    timings_s: dict[str, float] = field(default_factory=dict)
    negligible: dict[str, dict[str, float]] = field(default_factory=dict)


def prepare(region: Region, scenario: Scenario, options_file: Path | None = None,
            progress: ProgressFn | None = None) -> PreparedInputs:
    """Criteria (or the user's option table) and, when enabled, the corridors."""
    say = progress or (lambda _msg: None)
    watch = Stopwatch()
    weights = resolve_weights(scenario.weights)
    say("criteria: benefits of every feasible parcel × action")
    options = region_options(region, scenario, weights, options_file)
    negligible = negligible_criteria(options, horizon_budget_wan(scenario))
    note_negligible(negligible, weights)
    watch.lap("criteria")
    analysis = None
    if scenario.corridors.enabled:
        say("corridors: sources, least-cost paths, pinch points")
        analysis = analyse_corridors(region.parcels, scenario.corridors.max_corridors)
        watch.lap("corridors")
    return PreparedInputs(options, analysis, watch.timings, negligible)


def note_negligible(negligible: dict[str, dict[str, float]],
                    weights: dict[str, float]) -> None:
    """A note (a warning: stderr on the command line, never the ``--json`` output) naming
    each weighted criterion dropped as negligible, its range and floor, and the weights used."""
    dropped = [c for c in negligible if weights.get(c, 0.0) > 0]
    if not dropped:
        return
    used = live_weights(weights, set(weights) - set(negligible))

    def unit(c: str) -> str:
        return CRITERION_UNITS[c].split(" (")[0]

    said = "; ".join(
        f"{c}: the most the budget can buy is {negligible[c]['range']:.3g} {unit(c)}, below "
        f"its smallest meaningful swing {negligible[c]['floor']:g} {unit(c)} (given weight "
        f"{weights[c]:.3g})" for c in dropped)
    warnings.warn(f"{said}. {'They carry' if len(dropped) > 1 else 'It carries'} no weight in "
                  "this plan; the other weights are scaled to keep their total: "
                  + ", ".join(f"{c}={w:.3g}" for c, w in used.items() if w > 0)
                  + " (manifest.json: negligible_criteria, weights_used; docs/criteria.md)",
                  stacklevel=2)


def run_scenario(region: Region, scenario: Scenario, out_dir: Path | None,
                 options_file: Path | None = None, manifest_extra: dict | None = None,
                 progress: ProgressFn | None = None,
                 warm_start: np.ndarray | None = None,
                 export_path: Path | None = None,
                 prepared: PreparedInputs | None = None,
                 formulate: Formulate = standard_formulation,
                 outputs: Callable[[Path, Plan], None] | None = None) -> RunOutcome:
    """Solve one scenario on a region and write its result folder (when ``out_dir``).

    ``prepared`` (from :func:`prepare` with the same region, option file and corridor
    settings) skips the criteria and corridor stages. ``formulate`` makes the model from
    the scenario's problem; ``outputs(folder, plan)`` writes the planner's files beside
    plan.csv and manifest.json (default: priority lists, maps, report). Raises
    InfeasibleScenarioError (with the conflicting rules) when the scenario cannot be met;
    nothing is written then.
    """
    say = progress or (lambda _msg: None)
    inputs = prepared or prepare(region, scenario, options_file, progress)
    watch = Stopwatch(inputs.timings_s if prepared is None else None)
    weights = resolve_weights(scenario.weights)
    options, analysis = inputs.options, inputs.corridors
    corridors = analysis.corridors if analysis is not None else ()
    say(f"problem: {len(options):,} parcel-actions × {len(scenario.horizon.years)} years")
    problem = build_problem(options, region.actions, scenario, weights, corridors)
    formulation = formulate(problem)
    problem, model, layout = formulation.problem, formulation.model, formulation.layout
    watch.lap("build")
    check(problem, model)
    if export_path is not None:
        write_model(model, export_path)
    start = warm_start if warm_start is not None else formulation.warm_start
    result, heuristics, stages = solve_compiled(problem, model, layout, start, say)
    watch.add(stages)
    if result.x is None:
        limit = scenario.solver.time_limit_s
        raise NoPlanFoundError(
            f"the solver found no feasible plan within the time limit of {limit:g} s: "
            f"{(result.message or result.status).rstrip('.')}. No rule is known to "
            "conflict: the checks before the solve (each target's and mandatory work's "
            "options and their cheapest cost against the horizon's money) found none. Give "
            f"it more time, e.g. --time-limit {max(4 * limit, 60):g}, or relax the targets "
            "and mandatory works that make a first plan hard to find.")
    if result.row_duals is None and model.n_cols > LP_MAX_COLUMNS:
        prices, method = {}, (f"not computed: the model has more than {LP_MAX_COLUMNS:,} "
                              "columns, too many for its LP relaxation in a run's time")
    else:
        prices = shadow_prices(model, problem.years, result.row_duals)
        method = ("dual values of the budget and water rows in the LP relaxation (HiGHS): "
                  "objective gain per extra 万元 / 万m³")
    watch.lap("shadow_prices")
    plan = build_plan(problem, layout, result, (prices, method))
    if formulation.restate is not None:
        plan = formulation.restate(plan)
    connectivity = {}
    if analysis is not None:
        habitat_made = plan.chosen.loc[restoring(plan.chosen), "parcel_id"]
        restored = region.parcels["parcel_id"].isin(habitat_made).to_numpy()
        connectivity = {"index": "IIC", "now": analysis.connectivity_now,
                        "after_plan": iic(region.parcels, analysis.graph, restored)}
    files = region.paths.files() + ([options_file] if options_file else [])
    record = {"inputs_sha256": sha256_of_inputs(files),
              "inputs": [str(p) for p in files], "seed": scenario.seed,
              # as given or derived: 0.3, not the 0.30000000000000004 of dividing by
              # a sum that is 0.9999999999999999 (the solver uses the exact quotient)
              "weights": {c: float(f"{w:.12g}") for c, w in weights.items()},
              # the objective's: 0 for a criterion no option scores on (negligible)
              "weights_used": {c: float(f"{w:.12g}") for c, w in problem.weights.items()},
              "negligible_criteria": {c: {**figures, "weight_given": weights.get(c, 0.0)}
                                      for c, figures in inputs.negligible.items()},
              # R_c of every criterion: objectives compare only on the same (compare.py)
              "criterion_scales": {c: None if np.isnan(r) else float(r)
                                   for c, r in plan.scales["scale"].items()},
              "scenario": scenario.model_dump(mode="json"),
              "timings_s": watch.timings, "connectivity": connectivity,
              "heuristics": heuristics, **formulation.manifest,
              # the CSVs' data note, written with the planner's files (outputs/bundle.py)
              "data_note_file": README_NAME}
    if out_dir is not None:
        write_outputs = outputs or (lambda folder, plan: write_planner_outputs(
            folder, plan, region, analysis))
        plan.write(out_dir, region.parcels, record | (manifest_extra or {}),
                   also=lambda folder: write_outputs(folder, plan), names=code_names(region))
        watch.lap("write")
    return RunOutcome(plan, problem, out_dir, watch.timings, analysis, heuristics, record)

