"""What every command of the CLI shares: consoles, input options, error reporting.

Commands live in solve.py and in this package (one module per command family); they import
these so that every command reads inputs, reports bad input and prints JSON the same way.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from optimizer.presolve import InfeasibleScenarioError
from optimizer.solvers import SolverUnavailableError
from region.errors import InputError
from region.io import TURPAN_DIR, RegionPaths
from region.overrides import Overrides, parse_horizon, parse_weights, parse_year_values
from region.survey import placed_in_shipped_region

console = Console()
errors = Console(stderr=True)

# Options shared by every command that reads inputs.
ParcelsOpt = Annotated[Path, typer.Option("--parcels", help="Parcels: GeoPackage, Shapefile "
                                          "or GeoJSON (WGS84, CGCS2000 or projected).")]
ActionsOpt = Annotated[Path, typer.Option("--actions", help="Action catalogue CSV.")]
ProjectsOpt = Annotated[Path, typer.Option("--projects", help="Plan projects CSV.")]
ScenarioOpt = Annotated[Path, typer.Option("--scenario", help="Scenario TOML file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable summary "
                                       "instead of tables.")]
VerboseOpt = Annotated[bool, typer.Option("-v", "--verbose", help="Print more detail.")]
BudgetOpt = Annotated[str | None, typer.Option(
    "--budget", help="Budget per year in 万元, e.g. 2027=8000,2028=9000.")]
BudgetScaleOpt = Annotated[float | None, typer.Option(
    "--budget-scale", help="Multiply every budget figure, e.g. 0.8.")]
WaterScaleOpt = Annotated[float | None, typer.Option(
    "--water-scale", help="Multiply every water limit, e.g. 0.7.")]
WeightsOpt = Annotated[str | None, typer.Option(
    "--weights", help="Criterion weights, e.g. sand=0.4,water=0.3,bio=0.2,mine=0.1.")]
HorizonOpt = Annotated[str | None, typer.Option(
    "--horizon", help="Years to schedule, e.g. 2027-2035.")]
SolverOpt = Annotated[str | None, typer.Option(
    "--solver", help="highs (default), cbc, cpsat, or gurobi/cplex/… through PuLP.")]
TimeLimitOpt = Annotated[float | None, typer.Option("--time-limit", help="Solver time limit, s.")]
GapOpt = Annotated[float | None, typer.Option(
    "--gap", help="Relative gap to stop at, e.g. 0.001.")]
DaskSchedulerOpt = Annotated[str | None, typer.Option(
    "--dask-scheduler", help="Run on this Dask cluster instead, e.g. tcp://host:8786.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Result folder (default: "
                                             "results/<scenario name>); written atomically.")]
CrsOpt = Annotated[str, typer.Option(
    "--crs", help="CRS of the written layers (plan.gpkg, priorities.gpkg) and lon/lat "
                  "columns. Default EPSG:4326 (WGS84); EPSG:4490 is CGCS2000, the CRS of the "
                  "bureau's 国土空间规划一张图.")]


def number_in(low: float | None = None, high: float | None = None, *, low_open: bool = False,
              high_open: bool = False) -> Callable[[float | None], float | None]:
    """An option callback: a given value must be a finite number within [low, high] (open
    ends where said), else the command stops before it reads or writes anything (exit 2)."""
    def check(value: float | None) -> float | None:
        if value is None:
            return value
        above = low is None or (value > low if low_open else value >= low)
        below = high is None or (value < high if high_open else value <= high)
        if not (math.isfinite(value) and above and below):
            parts = ([f"{'>' if low_open else '≥'} {low:g}"] if low is not None else []) + (
                [f"{'<' if high_open else '≤'} {high:g}"] if high is not None else [])
            raise typer.BadParameter(f"must be a finite number {' and '.join(parts)}, "
                                     f"not {value:g}")
        return value

    return check


SHIPPED_PARCELS = TURPAN_DIR / "parcels.gpkg"
SHIPPED_ACTIONS = TURPAN_DIR / "actions.csv"
SHIPPED_PROJECTS = TURPAN_DIR / "projects.csv"


def region_paths(parcels: Path, actions: Path, projects: Path) -> RegionPaths:
    """Input paths; the label tables come from the shipped region only when its data is used."""
    shipped = (parcels.resolve() == (TURPAN_DIR / "parcels.gpkg").resolve()
               or placed_in_shipped_region(parcels))
    return RegionPaths(parcels=parcels, actions=actions, projects=projects,
                       zones=TURPAN_DIR / "zones.csv" if shipped else None,
                       counties=TURPAN_DIR / "counties.csv" if shipped else None)


def reports_input_errors(command: Callable) -> Callable:
    """Print every input problem (no traceback) and exit with status 2, writing nothing."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as err:
            errors.print(f"[bold red]{len(err.problems)} problem(s) in the inputs:[/]")
            for problem in err.problems:
                errors.print(f"  • {problem}", markup=False, highlight=False)
            raise typer.Exit(code=2) from None
        except InfeasibleScenarioError as err:
            errors.print("[bold red]The scenario cannot be met. Conflicting rules:[/]")
            for line in err.lines:
                errors.print(f"  • {line}", markup=False, highlight=False)
            errors.print("Relax one of them (budget, water, targets, mandatory works) and run "
                         "again. Nothing was written.")
            raise typer.Exit(code=2) from None
        except (ValueError, SolverUnavailableError) as err:
            errors.print(f"[bold red]Error:[/] {err}", markup=True, highlight=False)
            raise typer.Exit(code=2) from None

    return wrapper


def print_json(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def make_overrides(budget: str | None, budget_scale: float | None, water_scale: float | None,
               weights: str | None, horizon: str | None, solver: str | None,
               time_limit: float | None, gap: float | None) -> Overrides:
    """Command-line overrides of a scenario, parsed and checked."""
    return Overrides(
        budget=parse_year_values(budget, "--budget") if budget else {},
        budget_scale=budget_scale, water_scale=water_scale,
        weights=parse_weights(weights) if weights else {},
        horizon=parse_horizon(horizon) if horizon else None,
        solver=solver, time_limit_s=time_limit, gap=gap)


def county_names(region) -> dict[str, str]:
    """County code → Chinese name, for the run table."""
    labels = region.county_labels
    return dict(zip(labels["county"].astype(str), labels["name_zh"], strict=True))


def binds_in_words(binding, names: dict[str, str]) -> dict[int, str]:
    """Per year: which limits bind, e.g. "money; water: 高昌区, 托克逊县" (shadow prices > 0)."""
    words = {}
    for year, group in binding.groupby("year"):
        parts = ["money 资金"] if group["money"].any() else []
        water = group.loc[group["water"], "account"]
        if len(water):
            parts.append("water 水: " + ", ".join(names.get(a, a) for a in water))
        words[int(year)] = "; ".join(parts) or "neither 均未"
    return words


def show_plan(plan, out_dir: Path, names: dict[str, str] | None = None) -> None:
    """The solve's status and gap, money and water per year against the limits, and which
    limit binds (county names from ``names``)."""
    r = plan.result
    gap = "n/a" if r.gap is None else f"{r.gap:.3%}"
    console.print(f"[bold]{r.status}[/] with {r.solver}: objective {r.objective:,.5g}, "
                  f"bound {r.bound if r.bound is None else f'{r.bound:,.5g}'}, gap {gap}, "
                  f"{r.time_s:.1f} s")
    if r.status != "optimal" and r.message:
        console.print(f"[dim]{r.message}. More time: --time-limit SECONDS.[/]")
    carry = "budget_available" in plan.years.columns
    table = Table(title="Per year: money 万元 and water 万m³ against the limits")
    for column in ("year", "options", "area km²", "spend",
                   "available (with carry-over)" if carry else "budget", "water use",
                   "water available"):
        table.add_column(column, justify="right")
    binds = binds_in_words(plan.binding(), names or {}) if plan.shadow_prices else {}
    if binds:
        table.add_column("binds 紧约束 (shadow price > 0)")
    chosen = plan.chosen
    for row in plan.years.itertuples():
        started = chosen[chosen["start_year"] == row.year]
        limit = row.budget_available if carry else row.budget
        table.add_row(str(row.year), str(len(started)), f"{started['area_km2'].sum():,.1f}",
                      f"{row.spend:,.0f}", f"{limit:,.0f}", f"{row.water_use:,.0f}",
                      f"{row.water_limit:,.0f}", *([binds.get(int(row.year), "")] if binds
                                                   else []))
    console.print(table)
    console.print(f"results → {out_dir}")
