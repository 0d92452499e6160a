"""``pareto``: what one criterion costs in another (analysis/pareto.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli.common import console, print_json
from cli.failures import reports_input_errors
from cli.options import (
    SHIPPED_ACTIONS,
    SHIPPED_PARCELS,
    SHIPPED_PROJECTS,
    ActionsOpt,
    CrsOpt,
    GapOpt,
    JsonOpt,
    LayerOpt,
    ParcelsOpt,
    ParetoOutOpt,
    ProjectsOpt,
    ScenarioOpt,
    SolverOpt,
    TimeLimitOpt,
    WeightsOpt,
)
from cli.region_paths import region_paths
from outputs.crs import crs_code, in_output_crs, why_crs, written_in
from outputs.labels import status_cell
from pipeline.inputs import check_inputs
from region.io import DEFAULT_SCENARIO, REPO_ROOT
from region.overrides import parse_overrides
from storage import check_writable


@reports_input_errors
def pareto(
    between: Annotated[str, typer.Option(
        "--between", help="Two objectives, the first maximised and the second held at "
                          "each ε (at least ε; for cost, a spend of at most ε): criteria "
                          "(sand, water, bio, mine, carbon, or their Chinese names as --weights "
                          "reads them), benefit or cost, e.g. sand,bio, 防风固沙,生物多样性 "
                          "or benefit,cost.")] = "benefit,cost",
    points: Annotated[int, typer.Option(
        "--points", min=2, help="Points of the front, both ends included.")] = 9,
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    parcels: ParcelsOpt = SHIPPED_PARCELS,
    actions: ActionsOpt = SHIPPED_ACTIONS,
    projects: ProjectsOpt = SHIPPED_PROJECTS,
    layer: LayerOpt = None,
    weights: WeightsOpt = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    out: ParetoOutOpt = None,
    crs: CrsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Pareto front between two objectives by the ε-constraint method: one solve per point,
    each with its gap, under every rule of the scenario; writes front.csv (both objectives,
    objective, bound, gap, plan folder), front.png and front.svg, and each point's plan.
    Points another point beats in both objectives are left out."""
    from analysis.pareto import FrontPoint, parse_between, run_front

    first, second = parse_between(between)
    changes = parse_overrides(weights=weights, solver=solver, time_limit_s=time_limit,
                              gap=gap)
    inputs = check_inputs(region_paths(parcels, actions, projects, layer), scenario, changes)
    region, scen = in_output_crs(inputs.region, crs), inputs.scenario
    out_dir = out or REPO_ROOT / "results" / scen.name / f"pareto-{first}-{second}"
    check_writable(out_dir)
    progress = Progress(TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                        console=console, disable=as_json)
    with progress:
        task = progress.add_task(f"front {first} — {second}", total=points)

        def advance(point: FrontPoint) -> None:
            progress.advance(task)
            if not as_json:
                gap_text = "n/a" if point.gap is None else f"{point.gap:.2%}"
                progress.console.print(f"point {point.point} (solve {point.solve}/{points}): "
                                       f"{status_cell(point.status, point.gap)}, "
                                       f"gap {gap_text}, {point.time_s:.1f} s")

        table = run_front(region, scen, (first, second), points, out_dir, advance,
                          {"overrides": changes.as_record(), "scenario_file": str(scenario)})
    if as_json:
        records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        print_json({"out": str(out_dir), "between": [first, second],
                    "crs": crs_code(region.parcels.crs), "points": records})
        return
    held = "spend ≤ ε" if second == "cost" else "≥ ε"  # cost is held as spend, 万元
    view = Table(title=f"Pareto front: {first} (maximised) against {second} ({held})")
    for column in ("point", first, second, "status", "gap", "plan"):
        view.add_column(column, justify="right")
    for row in table.itertuples():
        gap_text = "n/a" if row.gap is None else f"{row.gap:.2%}"
        view.add_row(str(row.point), f"{getattr(row, first):,.5g}",
                     f"{getattr(row, second):,.5g}", status_cell(row.status, row.gap),
                     gap_text, row.plan)
    console.print(view)
    if len(table) < points:
        console.print(f"[dim]{points - len(table)} point(s) left out: another point beats "
                      "them in both (front.json lists them)[/]")
    console.print(f"[dim]points' plan.gpkg: {written_in(region.parcels.crs, why_crs(crs))}[/]")
    console.print(f"results → {out_dir}")
