"""``sensitivity``: how much the plan depends on weights, money, water and uncertain inputs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from cli.cluster import check_scheduler
from cli.common import console, print_json
from cli.failures import reports_input_errors
from cli.options import (
    SHIPPED_ACTIONS,
    SHIPPED_PARCELS,
    SHIPPED_PROJECTS,
    ActionsOpt,
    CrsOpt,
    DaskSchedulerOpt,
    JsonOpt,
    LayerOpt,
    ParcelsOpt,
    ProjectsOpt,
    ScenarioOpt,
    SensitivityOutOpt,
)
from cli.region_paths import region_paths
from pipeline.inputs import check_inputs
from region.errors import InputError
from region.io import DEFAULT_SCENARIO, REPO_ROOT
from region.overrides import parse_overrides
from region.scenario_run_settings import SensitivitySettings
from storage import check_writable


class SamplesDone(ProgressColumn):
    """"3/10" samples solved; blank while the base plan is solved and the number of samples
    is not yet known (rich's own "{task.total}" printed "0/None")."""

    def render(self, task: Task) -> Text:
        return Text("" if task.total is None else f"{task.completed:g}/{task.total:g}")


class Method(StrEnum):
    """Sample designs (see docs/sensitivity.md)."""

    morris = "morris"
    sobol = "sobol"
    oat = "oat"
    montecarlo = "montecarlo"


@reports_input_errors
def sensitivity(
    scenario: ScenarioOpt = DEFAULT_SCENARIO,
    method: Annotated[Method | None, typer.Option(
        "--method", help="Design (default: the scenario's \\[sensitivity] method, morris).")
    ] = None,
    samples: Annotated[int | None, typer.Option(
        "--samples", min=1, help="Morris trajectories, Sobol base samples or Monte Carlo "
                                 "draws (default: the scenario's \\[sensitivity] samples).")
    ] = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", help="Time limit of each sample's solve, s (default: the scenario's "
                             "\\[sensitivity] time_limit_s, "
                             f"{SensitivitySettings.model_fields['time_limit_s'].default:g}).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local processes.")] = 2,
    dask_scheduler: DaskSchedulerOpt = None,
    resume: Annotated[bool, typer.Option(
        "--resume", help="Continue an interrupted analysis from its finished runs.")] = False,
    parcels: ParcelsOpt = SHIPPED_PARCELS,
    actions: ActionsOpt = SHIPPED_ACTIONS,
    projects: ProjectsOpt = SHIPPED_PROJECTS,
    layer: LayerOpt = None,
    out: SensitivityOutOpt = None,
    crs: CrsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Sensitivity of the plan: one warm-started solve per sample, in parallel; writes
    report.html, runs.csv, indices.csv, frequency.gpkg and analysis.json into
    results/<scenario>/sensitivity/. Ctrl-C keeps the finished runs and writes a partial
    report; --resume continues. frequency.gpkg is in the parcels' CRS unless --crs asks for
    another."""
    from outputs.crs import crs_code, in_output_crs, why_crs, written_in
    from sensitivity.analysis import run_sensitivity

    bad = parse_overrides(time_limit_s=time_limit).problems  # > 0, finite
    if bad:
        raise InputError(list(bad))
    inputs = check_inputs(region_paths(parcels, actions, projects, layer), scenario)
    region, scen = in_output_crs(inputs.region, crs), inputs.scenario
    settings = scen.sensitivity
    if time_limit is not None:
        settings = settings.model_copy(update={"time_limit_s": time_limit})
    out_dir = out or REPO_ROOT / "results" / scen.name / "sensitivity"
    check_writable(out_dir)
    check_scheduler(dask_scheduler, quiet=as_json)
    progress = Progress(TextColumn("{task.description}"), BarColumn(),
                        SamplesDone(), TimeElapsedColumn(),
                        TimeRemainingColumn(), console=console, disable=as_json)
    with progress:
        task = progress.add_task("base plan, then samples", total=None)
        result = run_sensitivity(
            region, scen, settings, out_dir, method.value if method else None, samples,
            workers, dask_scheduler, resume,
            progress=lambda _record: progress.advance(task),
            on_total=lambda n: progress.update(task, total=n))
    failed = int((~result.runs["status"].isin(["optimal", "feasible"])).sum())
    warning = result.warning()  # as analysis.json says it
    summary = {"out": str(out_dir), "runs": len(result.runs), "partial": result.partial,
               "failed": failed, "crs": crs_code(region.parcels.crs),
               "reliability": None if warning is None else {"zh": warning[0], "en": warning[1]}}
    if as_json:
        print_json(summary)
        return
    state = "[yellow]PARTIAL[/] (run again with --resume)" if result.partial \
        else "[green]complete[/]"
    zh, en = result.status_words()
    console.print(f"{state}: {summary['runs']} runs → {out_dir}")
    console.print(f"[dim]frequency.gpkg: {written_in(region.parcels.crs, why_crs(crs))}[/]")
    console.print(escape(f"{en}. {zh}。"))
    if warning is not None:
        console.print(f"[yellow]{escape(warning[1])}[/] {escape(warning[0])}")
