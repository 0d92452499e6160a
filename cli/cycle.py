"""``replan``: the yearly cycle from the command line (pipeline/replan.py)."""

from __future__ import annotations

import os
import tempfile
import warnings
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cli.common import console, print_json
from cli.failures import reports_input_errors
from cli.options import (
    SHIPPED_ACTIONS,
    SHIPPED_PARCELS,
    SHIPPED_PROJECTS,
    ActionsOpt,
    BudgetOpt,
    BudgetScaleOpt,
    GapOpt,
    JsonOpt,
    LayerOpt,
    ProjectsOpt,
    ReplanCrsOpt,
    ReplanOutOpt,
    ReplanParcelsOpt,
    SolverOpt,
    TimeLimitOpt,
    VerboseOpt,
    WaterScaleOpt,
)
from cli.region_paths import region_paths
from cli.run_table import county_names_zh, show_plan
from outputs.project_limits import capacity_grades
from pipeline.inputs import check_inputs, scenario_problems
from pipeline.work_pairs import change_counts, change_label
from region.errors import InputError, not_found
from region.io import REPO_ROOT, load_region
from region.overrides import apply_overrides, keep_past_years, parse_overrides
from region.plausible_figures import implausible_notes
from region.progress import STATUSES as STATUS_NAMES
from region.progress import check_progress_readable
from region.scenario_problems import scenario_from_dict
from storage import CSV_FLOATS, check_writable, usual_file_mode

if TYPE_CHECKING:
    import pandas as pd

    from optimizer.plan import Plan

#: Rows of the next year's priority list printed (all of them are in the files).
SHOWN = 15


@reports_input_errors
def replan(
    previous: Annotated[Path, typer.Argument(
        help="Result folder of 'run' or of last year's 'replan'.")],
    progress_file: Annotated[Path, typer.Option(
        "--progress", help="progress.csv: parcel_id, action, start_year, status (done, "
                           "partial, failed, cancelled, or 已完成, 部分完成, 失败, 取消)"
                           "[, area_km2_done, cost_wan_actual, new], one row per work of "
                           "the past years; the first four may be headed as priorities.csv "
                           "heads them (地块编号 Parcel ID …).")],
    year: Annotated[int, typer.Option(
        "--year", help="First year to re-plan (the years before it are past), e.g. 2028.")],
    scenario: Annotated[Path | None, typer.Option(
        "--scenario", help="Scenario TOML with the limits ahead and the actuals and "
                           "replan tables (default: the previous result's scenario).")] = None,
    actuals: Annotated[Path | None, typer.Option(
        "--actuals", help="actuals.csv: year[, budget_wan, spend_wan, water_wan_m3] per "
                          "past year (over the scenario's actuals table).")] = None,
    template: Annotated[bool, typer.Option(
        "--template", help="Only write the --progress file to fill in: every past work of "
                           "the previous plan not yet reported, as done (never overwrites a "
                           "file).")] = False,
    parcels: ReplanParcelsOpt = None,
    actions: ActionsOpt = SHIPPED_ACTIONS,
    projects: ProjectsOpt = SHIPPED_PROJECTS,
    layer: LayerOpt = None,
    out: ReplanOutOpt = None,
    crs: ReplanCrsOpt = None,
    budget: BudgetOpt = None,
    budget_scale: BudgetScaleOpt = None,
    water_scale: WaterScaleOpt = None,
    solver: SolverOpt = None,
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    as_json: JsonOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Re-plan the years ahead from what was done: past works fixed as recorded (done and
    partly done ones paid as paid, their later instalments and water still due), failed and
    cancelled works free to be re-scheduled, the money and water left re-optimised, changing
    as few of the previous plan's announced works as the new facts require (or as the
    scenario's replan penalties allow). Writes what 'run' writes plus changes.csv,
    progress.csv and actuals.csv; the folder is the previous result of next year's re-plan.
    Its layers are in the previous result's CRS unless --crs asks for another."""
    from outputs.crs import PREVIOUS, crs_code, in_output_crs, why_crs, written_in
    from pipeline.replan import replan as run_replan
    from pipeline.replan_previous import (
        inputs_changed,
        previous_parcels,
        previous_scenario,
        read_previous,
    )

    if template:
        write_template(previous, progress_file, year, as_json)
        return
    if not progress_file.exists():  # the first re-plan's usual slip: say how to make one
        raise InputError([not_found(progress_file, hint=(
            f"; write one to fill in with 'solve.py replan {previous} --year {year} "
            f"--progress {progress_file} --template'"))])
    check_progress_readable(progress_file)  # said before the slow steps
    changes = parse_overrides(budget=budget, budget_scale=budget_scale,
                              water_scale=water_scale, solver=solver, time_limit_s=time_limit,
                              gap=gap)
    earlier = read_previous(previous)
    if parcels is None:
        parcels, note = previous_parcels(earlier, SHIPPED_PARCELS)
        if note and not as_json:
            console.print(f"[dim]{note}[/]")
    if scenario is None:  # the previous result's, checked when it was solved
        region = load_region(region_paths(parcels, actions, projects, layer))
        before = previous_scenario(earlier)
        raw = keep_past_years(apply_overrides(before.model_dump(mode="json", exclude_none=True),
                                              changes), before, year, changes)
        scen = scenario_from_dict(raw, source=str(previous / "manifest.json"))
        problems = [*changes.problems, *scenario_problems(
            scen, str(previous / "manifest.json"), changes, region.paths, region)]
        if problems:  # the options' problems: without them the option was left out
            raise InputError(problems)
        for note in implausible_notes(scen, "manifest.json", changes):  # as check_inputs
            warnings.warn(note, stacklevel=1)
    else:  # a new scenario: the checks every command runs
        inputs = check_inputs(region_paths(parcels, actions, projects, layer), scenario, changes)
        region, scen = inputs.region, inputs.scenario
    kept = crs is None and earlier.manifest.get("output_crs") is not None
    region = in_output_crs(region, earlier.manifest["output_crs"] if kept else crs)
    why = PREVIOUS if kept else why_crs(crs)
    if inputs_changed(region, earlier) and not as_json:
        console.print("[yellow]The region's input files differ from the previous result's: "
                      "works are matched by parcel id and action as they are now.[/]")
    out_dir = out or REPO_ROOT / "results" / f"{scen.name}-replan-{year}"
    check_writable(out_dir)
    say = (lambda msg: console.print(f"[dim]{msg}[/]")) if verbose else None
    extra = {"overrides": changes.as_record(),
             "scenario_file": str(scenario) if scenario else "previous result"}
    with console.status("re-planning…", spinner="dots") if not as_json else nullcontext():
        outcome = run_replan(region, previous, progress_file, year, scen, actuals, out_dir,
                             extra, say)
    plan = outcome.run.plan
    table = outcome.changes
    counts = change_counts(table["change"], table["new_start"])
    if as_json:
        first = plan.chosen[plan.chosen["start_year"] == year]
        print_json({"out": str(out_dir), "year": year, "status": plan.result.status,
                    "objective": plan.result.objective, "gap": plan.result.gap,
                    "changes": counts, "stability": outcome.record.get("stability"),
                    "crs": crs_code(region.parcels.crs),
                    "announced_changes": outcome.record.get("announced_changes"),
                    "warnings": outcome.record.get("warnings", []),
                    "no_longer_allowed": outcome.record.get("no_longer_allowed", []),
                    "next_year": first[["parcel_id", "action", "area_km2"]]
                    .to_dict(orient="records")})
        return
    names = county_names_zh(region)
    show_next_year(plan, table, year, names)
    show_no_longer_allowed(outcome.record.get("no_longer_allowed", []), year)
    console.print(f"Against the previous plan (every work of it, the recorded years' "
                  f"included): {counts['kept']} kept, {counts['moved']} moved, "
                  f"{counts['resized']} resized, {counts['dropped']} dropped, "
                  f"{counts['replaced_out']} replaced by {counts['replaced_in']} other "
                  f"action(s), {counts['added']} added; changes.csv says why")
    console.print(announced_sentence(outcome.record, year))
    show_plan(plan, out_dir, names, capacity_grades(region))
    console.print(f"[dim]{written_in(region.parcels.crs, why)}[/]")
    # whole lines (soft wrap): a figure or a file name is never cut on a log
    for line in outcome.record.get("reported_years", []):
        console.print(f"[dim]{escape(line)}[/]", soft_wrap=True)
    for warning in outcome.record.get("warnings", []):
        console.print(f"[bold yellow]注意 Warning:[/] {escape(warning['zh'])}\n"
                      f"{escape(warning['en'])}", soft_wrap=True)


def announced_sentence(record: dict, year: int) -> str:
    """What the stability step counted: of the works the previous plan announced for
    ``year`` on (a failed or cancelled past work is not one of them), the fewest any plan
    meeting every rule must move or drop (proven or not), or the penalties traded."""
    stability = record.get("stability", {})
    announced = record.get("announced_works", 0)
    if stability.get("mode") != "fewest changes":
        return (f"Works announced for {year} on: {announced}; changes to them traded "
                "against benefit by the penalties of \\[replan].")
    proven = "" if stability.get("proven", True) else " (not proven fewest)"
    return (f"Of the {announced} works announced for {year} on (past works not counted), "
            f"the fewest that any plan meeting every rule must move or drop: "
            f"{stability.get('fewest_changes')}{proven}.")


def write_template(previous: Path, progress_file: Path, year: int, as_json: bool) -> None:
    """The progress file to fill in (pipeline.replan_facts.progress_template), never over a file."""
    from pipeline.replan_facts import progress_template
    from pipeline.replan_previous import read_previous

    if progress_file.exists():
        raise ValueError(f"{progress_file} exists: not overwritten; give another --progress "
                         "path for the template")
    table = progress_template(read_previous(previous), year)
    handle, temporary = tempfile.mkstemp(prefix=f".{progress_file.name}.",
                                         dir=progress_file.parent)
    os.close(handle)
    try:
        table.to_csv(temporary, index=False, encoding="utf-8-sig", float_format=CSV_FLOATS)
        Path(temporary).chmod(usual_file_mode())  # mkstemp's is private: colleagues read it
        os.replace(temporary, progress_file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if as_json:
        print_json({"progress": str(progress_file), "works": len(table)})
        return
    console.print(f"{len(table)} past works written to {progress_file} as done (已完成 "
                  "done): set status to failed, cancelled or partial (with area_km2_done) "
                  "where they were not (or in Chinese: 失败, 取消, 部分完成; 已完成 or 完成 "
                  "for done), "
                  "cost_wan_actual where they cost otherwise, add works done outside the "
                  "plan with new = true; then run this command without --template.")


def show_no_longer_allowed(works: list[dict], year: int) -> None:
    """Each recorded work today's catalogue no longer allows (or whose action code it no
    longer has): a kept one stays as history (pipeline/replan_history.py,
    pipeline/replan_former.py), a failed or cancelled one is not re-scheduled. Warned of
    once, by the re-plan that first names it (``first_named``); later re-plans list it in
    the manifest and say only how many there are."""
    earlier = [w for w in works if w.get("first_named", year) < year]
    for work in works:
        if work.get("first_named", year) < year:
            continue
        zh, en = STATUS_NAMES[work["status"]]
        fate = ("按历史保留 kept as history, never offered again" if work["kept"] else
                "不再安排 not re-scheduled")
        head = ("现行目录已无此措施代码 Action code no longer in today's catalogue"
                if work.get("code_removed") else
                "现行目录不再允许 No longer allowed by today's catalogue")
        console.print(
            f"[yellow]{head}:[/] parcel {work['parcel_id']} {escape(work['action'])} "
            f"{escape(work['action_zh'])} {escape(work['action_en'])}, "
            f"{work['start_year']}, {zh} {en}: {fate}.\n  {escape(work['rule_zh'])}\n  "
            f"{escape(work['rule_en'])}", soft_wrap=True)
    if earlier:
        console.print(f"[dim]{len(earlier)} past work(s) kept or recorded as history since an "
                      "earlier re-plan (此前已说明): manifest.json replan.no_longer_allowed[/]",
                      soft_wrap=True)


def show_next_year(plan: Plan, table: pd.DataFrame, year: int, names: dict[str, str]
                   ) -> None:
    """The next year's works first: what the bureau applies for (county names from
    ``names``, code → Chinese name)."""
    change = table.set_index(["parcel_id", "action"])["change"]
    first = plan.chosen[plan.chosen["start_year"] == year].sort_values(
        ["required", "value"], ascending=False)
    view = Table(title=f"{year}: works to start ({len(first)}; the ranked list is in "
                       "priorities.xlsx and report.html)")
    for column in ("parcel", "action", "county", "area km²", f"cost {year} 万元", "change"):
        view.add_column(column, justify="left" if column in ("action", "change") else "right")
    for row in first.head(SHOWN).itertuples():
        view.add_row(str(row.parcel_id), f"{row.action_zh} {row.action}",
                     names.get(str(row.county), str(row.county)),
                     f"{row.area_km2:,.2f}", f"{getattr(row, f'cost_{year}'):,.0f}",
                     change_label(change[row.parcel_id, row.action])
                     if (row.parcel_id, row.action) in change.index else "")
    console.print(view)
    if len(first) > SHOWN:
        console.print(f"[dim]… and {len(first) - SHOWN} more[/]")
