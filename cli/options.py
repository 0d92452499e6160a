"""The options shared by every command that reads inputs: their declarations, the shipped
files they default to, and the callbacks that check a number before anything is read."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from region.io import TURPAN_DIR

ParcelsOpt = Annotated[Path, typer.Option("--parcels", help="Parcels: GeoPackage, Shapefile "
                                          "or GeoJSON (WGS84, CGCS2000 or projected).")]
ActionsOpt = Annotated[Path, typer.Option("--actions", help="Action catalogue CSV.")]
ProjectsOpt = Annotated[Path, typer.Option("--projects", help="Plan projects CSV.")]
LayerOpt = Annotated[list[str] | None, typer.Option(
    "--layer", help="Your own layer laid over the parcels as the attribute the spatial rules "
                    "read, NAME=FILE (GeoPackage, Shapefile; FILE|layername=X for one layer), "
                    "e.g. red_line=三区三线.gpkg; NAME is red_line, protected_area, the "
                    "layer of a [\\[spatial_rules]] or a column the places of the action "
                    "catalogue or project table compare (road_rail for sand barriers). "
                    "Repeatable.")]
OptionsOpt = Annotated[Path | None, typer.Option(
    "--options", help="Your own benefit table (CSV or GeoPackage, one row per parcel × "
                      "action with cost, water and benefit_<criterion>): skips the criteria "
                      "models.")]
ScenarioOpt = Annotated[Path, typer.Option("--scenario", help="Scenario TOML file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable summary "
                                       "instead of tables.")]
VerboseOpt = Annotated[bool, typer.Option("-v", "--verbose", help="Print more detail.")]
BudgetOpt = Annotated[str | None, typer.Option(
    "--budget", help="Budget per year in 万元, e.g. 2027=8000,2028=9000; years inside "
                     "the horizon (--horizon's, if given).")]
BudgetScaleOpt = Annotated[float | None, typer.Option(
    "--budget-scale", help="Multiply every budget figure, e.g. 0.8.")]
WaterScaleOpt = Annotated[float | None, typer.Option(
    "--water-scale", help="Multiply the water for new ecological use, e.g. 0.7: every "
                          "allocation (per year, per county) and the saving credit (capped "
                          "at 1); Aydingkol lake's source and target stay the scenario's "
                          "(docs/water.md). The baseline allocates none, so there it scales "
                          "the saving credit only.")]
WeightsOpt = Annotated[str | None, typer.Option(
    "--weights", help="Criterion weights, e.g. sand=0.4,water=0.3,bio=0.15,mine=0.1,"
                      "carbon=0.05 (or 防风固沙=0.4，水源涵养=0.3 …; 40% for 0.4); a "
                      "criterion left out weighs 0 (a note says so).")]
HorizonOpt = Annotated[str | None, typer.Option(
    "--horizon", help="Years to schedule, e.g. 2027-2035; the scenario file's budget "
                      "years outside it are left unused.")]
SolverOpt = Annotated[str | None, typer.Option(
    "--solver", help="highs (default), cbc, cpsat, or gurobi/cplex/… through PuLP.")]
TimeLimitOpt = Annotated[float | None, typer.Option("--time-limit", help="Solver time limit, s.")]
GapOpt = Annotated[float | None, typer.Option(
    "--gap", help="Relative gap to stop at, a fraction: 0.001 = 0.1 %.")]
DaskSchedulerOpt = Annotated[str | None, typer.Option(
    "--dask-scheduler", help="Run on this Dask cluster instead, e.g. tcp://host:8786.")]


def out_option(default: str) -> object:
    """The --out option of a command whose result folder defaults to ``default``."""
    return Annotated[Path | None, typer.Option(
        "--out", help=f"Result folder (default: {default}); written atomically.")]


OutOpt = out_option("results/<scenario name>")
CriteriaOutOpt = out_option("results/<scenario name>/criteria")
SweepOutOpt = out_option("results/<scenario name>/sweep-<budget, water or corridor>")
CompareOutOpt = out_option("results/compare-<the folders' names>, a long one shortened with "
                           "a hash of it")
SensitivityOutOpt = out_option("results/<scenario name>/sensitivity")
ReplanOutOpt = out_option("results/<scenario name>-replan-<year>")
ParetoOutOpt = out_option("results/<scenario name>/pareto-<first>-<second>")
ExportOpt = Annotated[Path | None, typer.Option(
    "--export", help="Also write the integer programme as .lp or .mps (for Gurobi, CPLEX, "
                     "SCIP).")]
CrsOpt = Annotated[str | None, typer.Option(
    "--crs", help="CRS of the layers the command writes (plan.gpkg, priorities.gpkg, "
                  "corridors.gpkg, frequency.gpkg), e.g. EPSG:4490 "
                  "(CGCS2000, the CRS of the bureau's 国土空间规划一张图), EPSG:4326 (WGS84) or "
                  "a CGCS2000 Gauss-Krüger zone EPSG:4513-4554. Default: the parcels file's "
                  "own CRS (the shipped Turpan data: WGS84). The lon/lat columns are degrees "
                  "of it, or of its geographic base when it is projected.",
    show_default=False)]
ReplanParcelsOpt = Annotated[Path | None, typer.Option(
    "--parcels", help="Parcels: GeoPackage, Shapefile or GeoJSON (default: the file the "
                      "previous result was solved on).")]
ReplanCrsOpt = Annotated[str | None, typer.Option(
    "--crs", help="CRS of the written layers, as for 'run' (e.g. EPSG:4490, CGCS2000). "
                  "Default: the previous result's (its manifest's output_crs), so a yearly "
                  "cycle stays in one CRS; else the parcels file's own CRS.",
    show_default=False)]


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


def gap_fraction(value: float | None) -> float | None:
    """An option callback: a relative gap is a fraction in [0, 1) (region/overrides.py)."""
    from region.overrides import gap_problem

    problem = None if value is None else gap_problem(value)
    if problem:
        raise typer.BadParameter(problem)
    return value


SHIPPED_PARCELS = TURPAN_DIR / "parcels.gpkg"
SHIPPED_ACTIONS = TURPAN_DIR / "actions.csv"
SHIPPED_PROJECTS = TURPAN_DIR / "projects.csv"
