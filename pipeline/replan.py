"""The yearly cycle: re-plan the years ahead from what was done.

Each autumn the bureau reports the year's works (``progress.csv``: done, partly done,
failed, cancelled; what they cost) and, if it differs, the money and water the year had;
the scenario may change the limits ahead. :func:`replan` then

1. checks the progress against the previous result (every past work reported, no unknown
   or impossible work: region/progress.py), all problems at once; a past work of the
   previous plan that today's catalogue no longer allows is a fact, kept as history and
   never offered again (pipeline/replan_history.py), and so is one whose action code the
   catalogue no longer has, from what the previous result recorded of it
   (pipeline/replan_former.py);
2. solves the whole horizon again with the past fixed as it happened
   (optimizer/history.py): kept works locked in and paid as paid, failed and cancelled ones
   free from the re-planned year on, the money carried and the water used as they were;
3. with stability against the previous plan's works for the years ahead still to do
   (a work reported done early is not announced again: :func:`announced_ahead`)
   (optimizer/stability.py): by default it changes only what the new facts require (the
   fewest announced works moved or dropped that any plan meeting every rule needs, proven
   by the integer programme, then the best benefit), or, with ``[replan]`` penalties, trades
   benefit against changes;
4. writes what ``run`` writes, plus ``changes.csv`` (pipeline/changes.py), the progress
   recorded so far (``progress.csv``, ``actuals.csv``: the next re-plan starts from them),
   and the report opens with the next year's priority list and the changes; the past years
   the actuals give are shown as reported, with a warning where they contradict the
   progress (pipeline/reported.py).

The result folder is a previous result for the next year's re-plan. The parts: the
previous result read (pipeline/replan_previous.py), the progress as facts
(pipeline/replan_facts.py), the formulation with the past and stability
(pipeline/replan_model.py), the reasons of the changes (pipeline/replan_reasons.py) and the
report's first sections (pipeline/replan_report.py); this module strings them together.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from optimizer.plan import Plan
from optimizer.stages import ProgressFn
from outputs.bundle import write_planner_outputs
from pipeline.changes import announced_counts
from pipeline.replan_facts import record_facts, scale_partial_works
from pipeline.replan_former import (
    first_named,
    former_options,
    former_works,
    with_former_actions,
)
from pipeline.replan_history import (
    history_options,
    kept_marks,
    no_longer_allowed,
    with_history,
)
from pipeline.replan_model import ReplanModel
from pipeline.replan_previous import (
    ACTUAL_FIELDS,
    PreviousResult,
    previous_scenario,
    read_previous,
)
from pipeline.replan_reasons import changes_table
from pipeline.replan_report import next_year_sections, past_years_sections
from pipeline.run import PreparedInputs, RunOutcome, prepare, run_scenario
from region.action_names import action_codes_by_name
from region.cycle import YearActuals
from region.errors import InputError, InputProblem
from region.io import Region
from region.progress import (
    KEPT_STATUSES,
    KEY,
    STATUSES,
    ProgressContext,
    merge_actuals,
    read_actuals,
    read_progress,
)
from region.scenario import Scenario, horizon_budget_wan, horizon_water_wan_m3
from region.validate import split_list
from storage import CSV_FLOATS


def _check_year(previous: PreviousResult, scenario: Scenario, year: int, source: str) -> None:
    horizon = scenario.horizon
    problems = []
    if not horizon.start < year <= horizon.end:
        problems.append(f"--year {year}: a re-plan needs a year after the horizon's first "
                        f"({horizon.start}) and within it (to {horizon.end})")
    if previous.replanned_from is not None and year < previous.replanned_from:
        problems.append(f"--year {year}: the previous result was re-planned from "
                        f"{previous.replanned_from} already; re-plan from that year or later")
    starts = previous.plan["start_year"]
    outside = previous.plan[(starts < horizon.start) | (starts > horizon.end)]
    if len(outside):
        problems.append(f"the previous plan has works outside the horizon {horizon.start}-"
                        f"{horizon.end} (e.g. parcel {outside['parcel_id'].iat[0]} in "
                        f"{outside['start_year'].iat[0]}): use the same horizon")
    if problems:
        raise InputError([InputProblem(source, p) for p in problems])


def _stacked(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """``first`` and ``second``, one below the other (an empty one adds nothing)."""
    if second.empty:
        return first
    return second.reset_index(drop=True) if first.empty else \
        pd.concat([first, second], ignore_index=True)


def announced_ahead(plan: pd.DataFrame, facts: pd.DataFrame, year: int) -> pd.DataFrame:
    """The previous plan's works from ``year`` on that are still to do: a work the progress
    reports done or partly done in an earlier year (done early) occupies that year only, its
    money and water counted there (optimizer/history.py); its announced slot is not a work
    to keep as well (it was: the same work counted twice, so 'can every announced work
    stay' failed and a work was dropped for a later year's money)."""
    ahead = plan.loc[plan["start_year"] >= year, KEY]
    kept = facts[(facts["start_year"] < year) & facts["status"].isin(KEPT_STATUSES)]
    done = pd.MultiIndex.from_frame(kept[["parcel_id", "action"]])
    return ahead[~pd.MultiIndex.from_frame(ahead[["parcel_id", "action"]]).isin(done)] \
        .reset_index(drop=True)


def with_status_zh(facts: pd.DataFrame) -> pd.DataFrame:
    """The recorded facts as progress.csv writes them: ``status`` stays the code the next
    re-plan reads back (done, partial, failed, cancelled), ``status_zh`` after it says it in
    Chinese (已完成, 部分完成, 失败, 取消: region/progress.py's names)."""
    return facts.assign(status_zh=[STATUSES[s][0] for s in facts["status"]])[
        [*facts.columns[:facts.columns.get_loc("status") + 1], "status_zh",
         *facts.columns[facts.columns.get_loc("status") + 1:]]]


@dataclass(frozen=True)
class ReplanOutcome:
    """A re-plan: the run, the changes against the previous plan (``changes.csv``), every
    fact reported so far (``progress.csv``) and what the re-plan records (year, history,
    stability, announced works kept, moved, resized, dropped or replaced,
    counted as changes.csv pairs them)."""

    run: RunOutcome
    changes: pd.DataFrame
    facts: pd.DataFrame
    record: dict


def replan(region: Region, previous_dir: Path, progress_file: Path, year: int,
           scenario: Scenario | None = None, actuals_file: Path | None = None,
           out_dir: Path | None = None, manifest_extra: dict | None = None,
           progress: ProgressFn | None = None) -> ReplanOutcome:
    """Re-plan from ``year`` on (see the module docstring); ``scenario`` defaults to the
    previous result's. Raises InputError with every problem of the progress and actuals
    files, InfeasibleScenarioError when no plan meets the rules with the past as it was."""
    previous = read_previous(previous_dir)
    scenario = scenario or previous_scenario(previous)
    _check_year(previous, scenario, year, str(previous_dir))
    prepared = prepare(region, scenario, progress=progress)
    gone = no_longer_allowed(region, scenario, prepared.options, previous, year)
    former = former_works(region, previous, year)
    prepared = replace(prepared, options=with_history(prepared.options, _stacked(
        history_options(region, scenario, prepared.options, gone,
                        horizon_budget_wan(scenario)),
        former_options(former, region, prepared.options))))
    today_codes = frozenset(region.actions["code"])
    region = with_former_actions(region, former, str(previous_dir / "plan.csv"))
    gone = _stacked(gone.assign(code_removed=False), former.assign(code_removed=True))
    reported, actuals = _read_reports(region, prepared, previous, scenario, progress_file,
                                      actuals_file, year, today_codes)
    facts = record_facts(previous.facts, reported, year)
    actuals = merge_actuals(previous.actuals, scenario.actuals, actuals)
    prepared = replace(prepared, options=scale_partial_works(prepared.options, facts))
    plan = previous.plan
    announced = announced_ahead(plan, facts, year)
    marks = kept_marks(gone, facts)
    marks["first_named"] = first_named(marks, previous, year)
    model = ReplanModel(facts, year, actuals, announced,
                        float(previous.manifest.get("objective") or 0.0), progress,
                        done_early=int((plan["start_year"] >= year).sum()) - len(announced),
                        no_longer_allowed=marks, former=former,
                        previous_credit=previous_scenario(previous).water.saving_credit,
                        previous_scales=previous.manifest.get("criterion_scales"))
    holder: dict[str, pd.DataFrame] = {}

    def count_changes(plan: Plan) -> dict[str, int]:
        """The changes table of the restated plan (kept for the outputs) and its counts of
        the announced works, for the manifest."""
        holder["changes"] = changes_table(model, previous, plan, facts, year, region)
        return announced_counts(holder["changes"], announced)

    model.count_changes = count_changes

    def outputs(folder: Path, plan: Plan) -> None:
        table = holder["changes"]
        write_planner_outputs(folder, plan, region, prepared.corridors,
                              first=[*past_years_sections(model.record),
                                     *next_year_sections(plan, region, table, year)])
        table.to_csv(folder / "changes.csv", index=False, encoding="utf-8-sig",
                     float_format=CSV_FLOATS)
        # UTF-8 with a BOM as every list and the --template (Excel reads the Chinese)
        with_status_zh(facts).to_csv(folder / "progress.csv", index=False,
                                     encoding="utf-8-sig", float_format=CSV_FLOATS)
        pd.DataFrame([{"year": y, **a.model_dump()} for y, a in actuals.items()],
                     columns=["year", *ACTUAL_FIELDS]).to_csv(
            folder / "actuals.csv", index=False, encoding="utf-8-sig",
            float_format=CSV_FLOATS)

    extra = {"replan_inputs": {"previous": str(previous_dir), "progress": str(progress_file),
                               "actuals": None if actuals_file is None else str(actuals_file),
                               "previous_inputs_sha256":
                                   previous.manifest.get("inputs_sha256")},
             **(manifest_extra or {})}
    outcome = run_scenario(region, scenario, out_dir, manifest_extra=extra, progress=progress,
                           prepared=prepared, formulate=model, outputs=outputs)
    return ReplanOutcome(outcome, holder["changes"], facts, model.record)


def _money_as_planned(previous: PreviousResult, scenario: Scenario) -> float:
    """The horizon's money a year's actuals are held against (a unit check): the larger of
    the re-plan's and the previous plan's, so that a what-if cut (--budget-scale 0.05) does
    not refuse the money a past year really had."""
    return max(horizon_budget_wan(scenario), horizon_budget_wan(previous_scenario(previous)))


def _water_as_planned(previous: PreviousResult, scenario: Scenario) -> float | None:
    """The horizon's water a year's actuals are held against (a unit check, as
    :func:`_money_as_planned`: the larger of the re-plan's and the previous plan's, so a
    what-if --water-scale does not refuse the water a past year really used); None when
    neither's allocations cover the horizon."""
    found = []
    for each in (scenario, previous_scenario(previous)):
        with contextlib.suppress(ValueError):
            found.append(horizon_water_wan_m3(each))
    return max(found, default=None)


def _read_reports(region: Region, prepared: PreparedInputs, previous: PreviousResult,
                  scenario: Scenario, progress_file: Path, actuals_file: Path | None,
                  year: int, today_codes: frozenset[str]
                  ) -> tuple[pd.DataFrame, dict[int, YearActuals]]:
    """The progress rows and actuals, every problem of both files in one InputError.
    ``region``'s catalogue may hold removed codes of past works (pipeline/replan_former.py)
    beside ``today_codes``: only a planned or recorded work may name one."""
    chains = frozenset((a.code, follower) for a in region.actions.itertuples()
                       for follower in split_list(a.compatible_with))
    context = ProgressContext(
        parcel_ids=frozenset(int(p) for p in region.parcels["parcel_id"]),
        action_codes=today_codes, options=prepared.options,
        planned=previous.plan[KEY], recorded=previous.facts, chains=chains,
        year=year, first_year=scenario.horizon.start,
        action_names=action_codes_by_name(region.actions),  # today's first, removed last
        former_codes=frozenset(region.actions["code"]) - today_codes)
    problems: list[InputProblem] = []
    reported, actuals = pd.DataFrame(), {}
    try:
        reported = read_progress(progress_file, context)
    except InputError as err:
        problems += err.problems
    if actuals_file is not None:
        try:
            actuals = read_actuals(actuals_file, year, scenario.horizon.start,
                                   _money_as_planned(previous, scenario),
                                   _water_as_planned(previous, scenario))
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return reported, actuals
