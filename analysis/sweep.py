"""Budget, water and corridor-bonus sweeps: one solve per point, each warm-started from the
last.

Points are solved in ascending order. A plan that fits a smaller budget (or less water) fits
a larger one, so each solve starts from the previous plan and the run keeps the better of
the solver's answer and that start (optimizer.solve_stage.never_below): the benefit curve is
non-decreasing by construction, whatever the time limit. Each row records what became of the
start (:func:`warm_start_fate`).

A corridor sweep varies ``[corridors] bonus_weight`` (a value, not a scale: 0 is allowed),
the way Marxan users calibrate the boundary length modifier: the limits stay, so every plan
fits every point, and a plan's objective only grows with the weight, so the same warm start
holds. Its table says, per weight, how many corridors the plan completes and how much of the
criteria's benefit it gives up for them (``benefit_without_bonus``, ``benefit_given_up``).

On a Dask cluster (``scheduler``) every point is solved at once, without a start; a point
whose plan came out below the previous point's is then solved again here from that plan, as
the local sweep does, so the curve is non-decreasing there too.

The sweep folder (``sweep.csv``, the curve as PNG and SVG, one sub-folder per point with its
plan.csv and manifest.json) is written atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from analysis.curves import SWEPT_TOTAL, plot_curve
from optimizer.formulation import compile_problem
from outputs.data_note import write_readme
from outputs.labels import code_names, status_cell
from pipeline.run import PreparedInputs, RunOutcome, prepare, run_scenario
from region.io import Region
from region.overrides import Overrides, apply_overrides
from region.scenario import MAX_NAME, Scenario
from region.scenario_problems import scenario_from_dict
from region.schema import CRITERIA
from storage import CSV_FLOATS, write_atomically

Parameter = Literal["budget", "water", "corridor"]
#: The unit of the budget and water sweeps' totals.
UNIT = {"budget": "万元", "water": "万m³"}


@dataclass(frozen=True)
class SweepPoint:
    """What the progress callback hears after each solve."""

    index: int
    scale: float
    status: str
    objective: float
    gap: float | None
    time_s: float


def parse_scales(text: str, option: str = "--budget-scale", allow_zero: bool = False
                 ) -> list[float]:
    """``0.5:1.5:0.25`` (start:stop:step, stop included) or ``0.6,0.8,1.0``; sorted. Values
    must be positive (``allow_zero``: or zero)."""
    try:
        if ":" in text:
            start, stop, step = (float(part) for part in text.split(":"))
            if step <= 0 or stop < start:
                raise ValueError
            count = int(np.floor((stop - start) / step + 1e-9)) + 1
            values = [round(start + k * step, 10) for k in range(count)]
        else:
            values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"{option}: expected START:STOP:STEP (e.g. 0.5:1.5:0.1) or a list "
                         f"(e.g. 0.6,0.8,1.0) of positive numbers, got {text!r}") from None
    if not values or not np.isfinite(values).all() or min(values) < 0 or \
            (min(values) == 0 and not allow_zero):
        kind = "zero or positive" if allow_zero else "positive"
        raise ValueError(f"{option}: values must be {kind} finite numbers, got {text!r}")
    return sorted(set(values))


def point_name(parameter: Parameter, value: float) -> str:
    """A point's name: its sub-folder and the suffix of its scenario's name, a safe folder
    name (region/scenario.py SAFE_NAME) whatever the value: 1e9 is ``1e9``, not the
    ``1e+09`` of ``{:g}`` that the name rule refuses."""
    number = re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", f"{value:g}")
    return f"corridor-weight-{number}" if parameter == "corridor" else \
        f"{parameter}x{number}"


def point_scenario_name(scenario: Scenario, parameter: Parameter, value: float) -> str:
    """The name of a point's scenario: the scenario's name and the point's, the scenario's
    cut so that the whole stays within the 80 characters a name may have."""
    suffix = point_name(parameter, value)
    return f"{scenario.name[:MAX_NAME - len(suffix) - 1]}-{suffix}"


def scaled(scenario: Scenario, parameter: Parameter, scale: float) -> Scenario:
    """The scenario with every budget (or water) figure multiplied by ``scale``; for
    "corridor", with corridors on and ``bonus_weight`` = ``scale``."""
    raw = scenario.model_dump(mode="json", exclude_none=True)
    if parameter == "corridor":
        raw["corridors"] = {**raw.get("corridors", {}), "enabled": True, "bonus_weight": scale}
        source = f"{scenario.name} with corridor bonus weight {scale:g}"
    else:
        changes = (Overrides(budget_scale=scale) if parameter == "budget"
                   else Overrides(water_scale=scale))
        raw = apply_overrides(raw, changes)
        source = f"{scenario.name} × {scale:g} {parameter}"
    raw["name"] = point_scenario_name(scenario, parameter, scale)
    return scenario_from_dict(raw, source=source)


def budget_total(scenario: Scenario) -> float:
    """The scenario's total budget over its horizon, 万元."""
    return float(sum(scenario.budget.for_years(scenario.horizon.years).values()))


def water_allocated_total(scenario: Scenario) -> float:
    """The scenario's allocations for new ecological use over its horizon, 万m³: the
    counties' (``per_county``) or else the city's, as its water accounts take them
    (optimizer/water_accounts.py); the water figure ``--water-scale`` multiplies."""
    years, water = scenario.horizon.years, scenario.water
    limits = [limit.for_years(years) for limit in water.per_county.values()] \
        if water.per_county else [water.for_years(years)]
    return float(sum(sum(limit.values()) for limit in limits))


def warm_start_fate(outcome: RunOutcome, start: np.ndarray | None) -> tuple[str, float | None]:
    """What became of the previous point's plan given as the warm start, and its objective.

    ``rejected``: it violates this point's limits (the solver could not use it);
    ``improved``/``matched``: the solver's plan is better than / as good as the start;
    ``solver did worse; … kept``: the solver returned a worse plan (or none in time) and the
    better of the start and the greedy plan was kept instead (optimizer.solve_stage.never_below).
    """
    if start is None:
        return "none (first point: heuristics)", None
    model, _ = compile_problem(outcome.problem)
    value = model.objective_value(start)
    if model.violations(start):
        return "rejected (infeasible here)", value
    result = outcome.plan.result
    if result.kept_start:
        kept = "start" if abs(result.objective - value) <= 1e-9 * max(1.0, abs(value)) \
            else "greedy (better than the start)"
        return f"solver did worse; {kept} kept", value
    if result.objective > value + 1e-9 * max(1.0, abs(value)):
        return "improved", value
    return "matched", value


def solve_on_cluster(region: Region, points: Sequence[Scenario], prepared: PreparedInputs,
                     options_file: Path | None, scheduler: str) -> list[RunOutcome]:
    """Every point solved at once on the Dask cluster at ``scheduler`` (no warm start)."""
    from distributed import Client

    with Client(scheduler) as client:
        shared_region, shared_inputs = client.scatter([region, prepared], broadcast=True)
        futures = [client.submit(run_scenario, shared_region, point, None,
                                 options_file=options_file, prepared=shared_inputs,
                                 pure=False) for point in points]
        return client.gather(futures)


def run_sweep(region: Region, scenario: Scenario, parameter: Parameter,
              scales: Sequence[float], out_dir: Path | None = None,
              options_file: Path | None = None,
              progress: Callable[[SweepPoint], None] | None = None,
              manifest_extra: dict | None = None,
              scheduler: str | None = None) -> pd.DataFrame:
    """Solve the scenario at every scale (ascending) and return one row per point; with
    ``out_dir``, also write the sweep folder (see the module docstring); with
    ``scheduler`` (``tcp://host:port``), solve the points on that Dask cluster."""
    points = [scaled(scenario, parameter, scale) for scale in sorted(scales)]
    # A corridor sweep turns corridors on; prepared from a scenario with them off, it would
    # have no corridor analysis and every point would solve without the bonus.
    prepared = prepare(region, points[0] if parameter == "corridor" and points else scenario,
                       options_file)
    on_cluster = (solve_on_cluster(region, points, prepared, options_file, scheduler)
                  if scheduler is not None else None)
    rows, plans = [], []
    previous = None
    for index, (scale, point) in enumerate(zip(sorted(scales), points, strict=True)):
        if on_cluster is None:
            outcome = run_scenario(region, point, None, options_file=options_file,
                                   prepared=prepared, warm_start=previous)
            fate, start_value = warm_start_fate(outcome, previous)
        else:
            outcome, fate, start_value = _not_below(region, point, prepared, options_file,
                                                    on_cluster[index], previous)
        result = outcome.plan.result
        previous = result.x
        chosen = outcome.plan.chosen
        years = outcome.plan.years
        rows.append({
            "scale": scale, "budget_total": budget_total(point),
            "water_allocated_total": water_allocated_total(point),
            # water available to new use in the plan: allocations, the lake's source and the
            # credited savings of the plan's own water saving (docs/water.md)
            "water_total": float(years["water_limit"].sum()),
            # the solver's word, and as a planner reads it ("within gap", not "optimal", for
            # a point stopped at the gap it asked for)
            "status": result.status, "solved": status_cell(result.status, result.gap),
            "objective": result.objective, "bound": result.bound,
            "gap": result.gap, "time_s": round(result.time_s, 2),
            "warm_start": fate, "warm_start_objective": start_value,
            "spend_wan": float(years["spend"].sum()),
            "water_use_wan_m3": float(years["water_use"].sum()),
            "options": len(chosen), "area_km2": float(chosen["area_km2"].sum()),
            "corridor_weight": point.corridors.bonus_weight,
            "corridors_completed": len(outcome.plan.corridors_completed),
            "benefit_without_bonus": float(chosen["value"].sum()),
            **{f"benefit_{c}": v for c, v in outcome.plan.criterion_totals.items()},
        })
        plans.append((scale, outcome, fate))
        if progress is not None:
            progress(SweepPoint(index, scale, result.status, result.objective, result.gap,
                                result.time_s))
    table = with_marginals(pd.DataFrame(rows), parameter)
    if out_dir is not None:
        def write(folder: Path) -> None:
            table.to_csv(folder / "sweep.csv", index=False, encoding="utf-8-sig",
                         float_format=CSV_FLOATS)
            plot_curve(table, parameter, folder / "curve")
            for scale, outcome, fate in plans:  # each point's manifest records its run as
                # a run's does (inputs' hash, seed, criterion scales, heuristics …), and its
                # plan.csv comes with the data note that says what is modelled
                outcome.plan.write(folder / point_name(parameter, scale), region.parcels,
                                   {**outcome.record,
                                    "sweep": {"parameter": parameter, "scale": scale,
                                              "warm_start": fate},
                                    **(manifest_extra or {})},
                                   also=lambda point: write_readme(point, region),
                                   names=code_names(region))

        write_atomically(out_dir, write)
    return table


def _not_below(region: Region, point: Scenario, prepared: PreparedInputs,
               options_file: Path | None, outcome: RunOutcome, previous: np.ndarray | None
               ) -> tuple[RunOutcome, str, float | None]:
    """A cluster's point, or the point solved again from the previous point's plan when
    that plan is better here (it fits: more money or water)."""
    if previous is None:
        return outcome, "none (solved in parallel on the Dask cluster)", None
    model, _ = compile_problem(outcome.problem)
    value = model.objective_value(previous)
    result = outcome.plan.result
    if model.violations(previous) or result.objective >= value - 1e-9 * max(1.0, abs(value)):
        return outcome, "none (solved in parallel on the Dask cluster)", None
    again = run_scenario(region, point, None, options_file=options_file, prepared=prepared,
                         warm_start=previous)
    fate, start_value = warm_start_fate(again, previous)
    return again, f"{fate} (solved again here: the cluster's plan was below the start)", \
        start_value


def with_marginals(table: pd.DataFrame, parameter: Parameter) -> pd.DataFrame:
    """Add the marginal benefit per 万元 (or 万m³) between consecutive points (for a corridor
    sweep: the criteria's benefit given up against the lowest weight) and the criterion
    benefits' changes.

    The marginal is taken over the swept quantity (:data:`SWEPT_TOTAL`), never over what a
    plan happens to use: a water sweep's is the gain between two points divided by the
    allocation's step alone, while ``--water-scale`` also scales the saving credit; so the
    gain mixes more allocation and more credited savings, and is not what one more 万m³ of
    allocation alone would give. Where that quantity did not change (a scenario allocating no
    water, whose ``--water-scale`` scales only the saving credit; a zero budget) there is no
    marginal per unit: empty (NaN). ``marginal_low``/``marginal_high`` bound the marginal of
    the optimal plans from the points' gaps (each optimum lies between the plan's objective
    and its bound): a gap of 0.8 % on steps of 1-2 % leaves a wide range (empty without a
    bound)."""
    out = table.copy()
    if parameter == "corridor":
        without = out["benefit_without_bonus"]
        out["benefit_given_up"] = without.iloc[0] - without if len(out) else without
    else:
        step = np.diff(table[SWEPT_TOTAL[parameter]].to_numpy(float))
        objective = table["objective"].to_numpy(float)
        bound = (table["bound"].to_numpy(float) if "bound" in table.columns
                 else np.full(len(table), np.nan))
        unit = "wan" if parameter == "budget" else "wan_m3"
        # the optimum of each point lies in [objective, bound]: the gain between two points
        # in [objective − previous bound, bound − previous objective]
        for column, gain in ((f"marginal_benefit_per_{unit}", np.diff(objective)),
                             (f"marginal_low_per_{unit}", objective[1:] - bound[:-1]),
                             (f"marginal_high_per_{unit}", bound[1:] - objective[:-1])):
            marginal = np.full(len(table), np.nan)
            np.divide(gain, step, out=marginal[1:], where=step > 0)
            out[column] = marginal
    for c in CRITERIA:
        out[f"delta_benefit_{c}"] = out[f"benefit_{c}"].diff()
    return out
