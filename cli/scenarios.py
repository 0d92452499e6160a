"""``sweep`` and ``compare``: budget, water and corridor questions answered from the command
line."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from analysis.compare import compare as compare_results
from analysis.compare import read_results, where_plans_differ
from analysis.sweep import SWEPT_TOTAL, UNIT, SweepPoint, parse_scales, run_sweep
from cli.cluster import check_scheduler
from cli.common import console, errors, print_json
from cli.failures import reports_input_errors
from cli.options import (
    SHIPPED_ACTIONS,
    SHIPPED_PARCELS,
    SHIPPED_PROJECTS,
    ActionsOpt,
    CompareOutOpt,
    CrsOpt,
    DaskSchedulerOpt,
    GapOpt,
    JsonOpt,
    LayerOpt,
    OptionsOpt,
    ParcelsOpt,
    ProjectsOpt,
    ScenarioOpt,
    SolverOpt,
    SweepOutOpt,
    TimeLimitOpt,
    WeightsOpt,
)
from cli.region_paths import region_paths
from outputs.crs import crs_code, in_output_crs, why_crs, written_in
from outputs.labels import status_cell
from pipeline.inputs import check_inputs
from pipeline.work_pairs import CHANGE_WORDS
from region.io import DEFAULT_SCENARIO, REPO_ROOT, TURPAN_DIR
from region.overrides import parse_overrides
from region.parcels import load_labels
from storage import CSV_FLOATS, check_writable, fitting_name, write_atomically

if TYPE_CHECKING:
    import pandas as pd


def gap_label(gap: float | None) -> str:
    """The gap as a percentage, or why there is none (no solve or no finite bound)."""
    if gap is None or math.isnan(gap):
        return "n/a"
    return "no bound" if math.isinf(gap) else f"{gap:.2%}"


@reports_input_errors
def sweep(
    budget_scale: Annotated[str | None, typer.Option(
        "--budget-scale", help="Budget scales START:STOP:STEP (e.g. 0.5:1.5:0.1) or a "
                               "list (0.6,0.8,1.0).")] = None,
    water_scale: Annotated[str | None, typer.Option(
        "--water-scale", help="Water scales, same forms: the allocations for new use and "
                              "the saving credit (docs/water.md) together; the marginal is "
                              "the gain of both divided by the allocation's step alone (not "
                              "what more allocation alone would give).")] = None,
    corridor_weight: Annotated[str | None, typer.Option(
        "--corridor-weight", help="Corridor bonus weights (\\[corridors] bonus_weight, 0 or "
                                  "more), same forms (e.g. 0,0.1,1,5).")] = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    parcels: ParcelsOpt = SHIPPED_PARCELS,
    actions: ActionsOpt = SHIPPED_ACTIONS,
    projects: ProjectsOpt = SHIPPED_PROJECTS,
    layer: LayerOpt = None,
    options: OptionsOpt = None,
    weights: WeightsOpt = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    dask_scheduler: DaskSchedulerOpt = None,
    out: SweepOutOpt = None,
    crs: CrsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One solve per budget or water scale, or per corridor bonus weight, each warm-started
    from the previous plan (on a Dask cluster: all at once, a point below the previous one
    solved again from its plan); writes sweep.csv, the curve (benefit and its marginal; for
    corridors, the benefit kept and the corridors completed), and each point's plan."""
    given = {"budget": budget_scale, "water": water_scale, "corridor": corridor_weight}
    named = [name for name, text in given.items() if text is not None]
    if len(named) != 1:
        raise ValueError("give exactly one of --budget-scale, --water-scale or "
                         "--corridor-weight")
    parameter = named[0]
    option = "--corridor-weight" if parameter == "corridor" else f"--{parameter}-scale"
    scales = parse_scales(given[parameter], option, allow_zero=parameter == "corridor")
    changes = parse_overrides(weights=weights, solver=solver, time_limit_s=time_limit,
                              gap=gap)
    inputs = check_inputs(region_paths(parcels, actions, projects, layer), scenario, changes,
                          options)
    region, scen = in_output_crs(inputs.region, crs), inputs.scenario
    out_dir = out or REPO_ROOT / "results" / scen.name / f"sweep-{parameter}"
    check_writable(out_dir)
    check_scheduler(dask_scheduler, quiet=as_json)
    extra = {"overrides": changes.as_record(), "scenario_file": str(scenario)}
    progress = Progress(TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                        console=console, disable=as_json)
    with progress:
        task = progress.add_task(f"{parameter} sweep", total=len(scales))

        def advance(point: SweepPoint) -> None:
            progress.advance(task)
            if as_json:
                return
            gap_text = gap_label(point.gap)
            label = f"weight {point.scale:g}" if parameter == "corridor" else \
                f"×{point.scale:g}"
            progress.console.print(f"{label}: {status_cell(point.status, point.gap)}, objective "
                                   f"{point.objective:.5g}, gap {gap_text}, "
                                   f"{point.time_s:.1f} s")

        table = run_sweep(region, scen, parameter, scales, out_dir, options_file=options,
                          progress=advance, manifest_extra=extra, scheduler=dask_scheduler)
    if as_json:
        records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        print_json({"out": str(out_dir), "crs": crs_code(region.parcels.crs),
                    "points": records})
        return
    layers = f"[dim]points' plan.gpkg: {written_in(region.parcels.crs, why_crs(crs))}[/]"
    if parameter == "corridor":
        console.print(corridor_table(table))
        console.print(layers)
        console.print(f"results → {out_dir}")
        return
    console.print(limit_sweep_table(table, parameter))
    if table[SWEPT_TOTAL[parameter]].nunique() < len(table):
        console.print("— : the swept figure did not change between these points, so there is "
                      "no benefit per unit"
                      + (" (the scenario allocates no water for new use: --water-scale scaled "
                         "only the saving credit)" if parameter == "water" else ""))
    console.print(layers)
    console.print(f"results → {out_dir}")


def limit_sweep_table(table: pd.DataFrame, parameter: str) -> Table:
    """Per point of a budget or water sweep: the swept total (the scenario's budget, or its
    water allocated for new use), status, objective, gap and the marginal benefit per 亿 (10,000
    万) of that total ("—" where it did not change), with the range the points' gaps leave it
    (as curve.png's error bars)."""
    unit = UNIT[parameter]
    swept = "budget" if parameter == "budget" else "water allocated for new use"
    code = "wan" if parameter == "budget" else "wan_m3"
    per = "亿元 (10,000 万元)" if parameter == "budget" else "亿m³ (10,000 万m³)"
    view = Table(title=f"{parameter} sweep: benefit against the {swept} ({unit})")
    for column in ("scale", f"{'total' if parameter == 'budget' else 'allocated'} {unit}",
                   "status", "objective", "gap", f"marginal per {per}",
                   "range (gaps)"):
        view.add_column(column, justify="right")
    for index, row in enumerate(table.itertuples()):
        value = getattr(row, f"marginal_benefit_per_{code}")
        low = getattr(row, f"marginal_low_per_{code}", math.nan)
        high = getattr(row, f"marginal_high_per_{code}", math.nan)
        view.add_row(f"×{row.scale:g}", f"{getattr(row, SWEPT_TOTAL[parameter]):,.0f}",
                     status_cell(row.status, row.gap), f"{row.objective:.5g}", gap_label(row.gap),
                     "" if index == 0 else "—" if math.isnan(value) else f"{value * 1e4:.4g}",
                     "" if index == 0 or math.isnan(low) or math.isnan(high)
                     else f"{low * 1e4:.3g} to {high * 1e4:.3g}")
    return view


def corridor_table(table: pd.DataFrame) -> Table:
    """Per weight: corridors completed, the criteria's benefit kept and given up, the gap."""
    view = Table(title="corridor sweep: what completing corridors costs the criteria")
    for column in ("bonus weight", "corridors completed", "benefit without bonus",
                   "given up", "status", "gap"):
        view.add_column(column, justify="right")
    first = table["benefit_without_bonus"].iloc[0]
    for row in table.itertuples():
        share = row.benefit_given_up / first if first else math.nan
        view.add_row(f"{row.scale:g}", str(row.corridors_completed),
                     f"{row.benefit_without_bonus:.5g}", f"{row.benefit_given_up:.4g} "
                     f"({share:.1%})", status_cell(row.status, row.gap), gap_label(row.gap))
    return view


@reports_input_errors
def compare(
    folders: Annotated[list[Path], typer.Argument(
        help="Result folders of 'solve.py run'; the first is the reference.")],
    out: CompareOutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What changed between plans: works kept, moved, resized, dropped, added or replaced
    (paired by parcel and action, as the re-plan's changes.csv), benefits per criterion,
    spend and water per year (gross use, saving credited, net use), and where (area, water
    used and saved per county and action). Writes compare.csv, compare_years.csv,
    compare_where.csv and changes.csv."""
    if len(folders) < 2:
        raise ValueError("compare needs at least two result folders")
    results = read_results(folders)
    summary, yearly, changes = compare_results(results)
    where = where_plans_differ(results)
    out_dir = out or REPO_ROOT / "results" / fitting_name("compare-" + "-".join(
        r.name.replace("/", "_") for r in results))
    check_writable(out_dir)

    def write(folder: Path) -> None:
        for table, name in ((summary, "compare.csv"), (yearly, "compare_years.csv"),
                            (changes, "changes.csv"), (where, "compare_where.csv")):
            table.to_csv(folder / name, index=False, encoding="utf-8-sig",
                         float_format=CSV_FLOATS)

    write_atomically(out_dir, write)
    if as_json:
        print_json({"out": str(out_dir), "summary": summary.to_dict(orient="records"),
                    "changes": changes["change"].value_counts().to_dict()})
        return
    for row in summary[summary["objective_mismatch"] != ""].itertuples():
        errors.print(f"note: the objectives of {row.plan} and {results[0].name} are not on one "
                     f"scale ({row.objective_mismatch}): Δ objective is n/a; compare the "
                     "benefits per criterion (compare.csv)", style="dim", markup=False,
                     highlight=False)
    # At 80 columns (a log, a narrow terminal) nothing is cut: figures do not wrap, a value
    # and its Δ share a cell on two lines, and plan names and labels wrap instead.
    view = Table(title=f"Plans compared with {results[0].name} (Δ: against it, below)")
    _columns(view, ["plan"], ["objective\nΔ", "works", "area\nkm²"])
    for row in summary.itertuples():
        delta = "n/a" if math.isnan(row.delta_objective) else f"{row.delta_objective:+.4g}"
        view.add_row(row.plan, f"{row.objective:.5g}\n{delta}", str(row.options),
                     f"{row.area_km2:,.1f}")
    console.print(view)
    console.print(_works_table(summary, results[0].name))
    console.print(_years_table(yearly))
    console.print(_where_table(where))
    console.print(f"results → {out_dir}")


def _works_table(summary: pd.DataFrame, reference: str) -> Table:
    """Per plan: its works against the reference's, paired by parcel and action
    (pipeline/work_pairs.py); the counts add up: the reference's works − dropped − replaced
    out + added + replaced in = the plan's works."""
    legend = ", ".join(f"{en} {zh}" for zh, en in CHANGE_WORDS.values())
    view = Table(title=f"Works 工程 against {reference}: {legend} (replaced out: the "
                       f"reference's works, in: the plan's); {reference}'s works − dropped − "
                       "replaced out + added + replaced in = the plan's works")
    kinds = ("kept", "moved", "resized", "dropped", "added")
    _columns(view, ["plan"], [*kinds, "replaced\nout/in"])
    for row in summary.itertuples():
        view.add_row(row.plan, *[str(getattr(row, kind)) for kind in kinds],
                     f"{row.replaced_out}/{row.replaced_in}")
    return view


def _years_table(yearly: pd.DataFrame) -> Table:
    """Per plan and year: works started, spend, and water as gross use, the saving credited
    against it and net use (gross − credited), each with its Δ against the reference below
    it: a plan that drops water-saving irrigation uses less gross water but loses the
    saving that paid for it, so only the net says whether it needs more or less water."""
    years = Table(title="Per year: spend 万元; water 万m³: 用水 gross use, 计入节水 saving "
                        "credited, 净用水 net use = gross − credited (Δ against the reference, "
                        "below)")
    _columns(years, ["plan"], ["year", "started", "spend\nΔ spend", "用水 use\nΔ water",
                               "计入节水\nΔ credited", "净用水 net\nΔ net"])

    def cell(value: float, delta: float) -> str:
        if value is None or math.isnan(value):
            return "n/a"
        return f"{value:,.0f}\n{delta:+,.0f}"

    for row in yearly.itertuples():
        years.add_row(row.plan, str(row.year), str(row.options_started),
                      cell(row.spend, row.delta_spend), cell(row.water_use, row.delta_water_use),
                      cell(row.saving_credited, row.delta_saving_credited),
                      cell(row.net_water_use, row.delta_net_water_use))
    return years


def _columns(table: Table, words: list[str], figures: list[str]) -> None:
    """Columns of words that wrap (plan names, places, actions), then right-aligned columns
    of figures that never wrap nor are cut."""
    for column in words:
        table.add_column(column, overflow="fold", min_width=6)
    for column in figures:
        table.add_column(column, justify="right", no_wrap=True)


def _where_table(where: pd.DataFrame) -> Table:
    """Where the plans differ: area and water per county and action (named as the plans
    name them, compare_where.csv's columns; a county of an older plan.csv by the shipped
    county table), each with its Δ against the first below it."""
    if "county_zh" in where:
        county_zh = dict(zip(where["county"], where["county_zh"], strict=True))
    else:
        counties = load_labels(TURPAN_DIR / "counties.csv", "county")
        county_zh = dict(zip(counties["county"].astype(str), counties["name_zh"],
                             strict=True))
    names = {}
    if "action_zh" in where:
        names = {a: " ".join(dict.fromkeys(n for n in (zh, en) if isinstance(n, str) and n))
                 for a, zh, en in zip(where["action"], where["action_zh"],
                                      where["action_en"], strict=True)}
    view = Table(title="Where they differ: per county and action, area km² and water 万m³ "
                       "used / saved over the horizon (Δ against the reference, below)")
    _columns(view, ["plan", "county", "action"], ["area\nΔ", "water\nΔ", "saved\nΔ"])
    for row in where.itertuples():
        view.add_row(row.plan, county_zh.get(row.county, row.county),
                     names.get(row.action, row.action),
                     f"{row.area_km2:,.1f}\n{row.delta_area_km2:+,.1f}",
                     f"{row.water_wan_m3:,.0f}\n{row.delta_water_wan_m3:+,.0f}",
                     f"{row.saving_wan_m3:,.0f}\n{row.delta_saving_wan_m3:+,.0f}")
    return view
