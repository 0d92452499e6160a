"""What was done: the progress of past years' works and the money and water they had.

``progress.csv`` has one row per work of the past years (before the year re-planned):

    parcel_id, action, start_year, status[, area_km2_done, cost_wan_actual, new]

``status`` is done | partial | failed | cancelled, or the Chinese name the tool prints for
it (已完成 or 完成, 部分完成, 失败, 取消: :data:`STATUS_SYNONYMS`), or both names as the
template and the priority lists write them (已完成 done: :data:`STATUS_LABELS`), in any case
(Done);
``action`` the catalogue's code or its Chinese name (封育 for enclosure, as the template's
``action_zh``); ``area_km2_done`` (km², needed for a partial work) is the area treated (the
rest of the parcel is not re-scheduled: a parcel keeps its one action); ``cost_wan_actual``
(万元) what the work has cost up to the end of the last past year; ``new`` = true (or 是,
region/validate.py's :func:`truth_values`) for a work that was not in the previous plan
(added during the year). ``actuals.csv`` (optional) has
one row per past year: ``year[, budget_wan, spend_wan, water_wan_m3]`` (see region/cycle.py).

Both are checked like every input: every problem of the file at once, with its row and
column (:func:`check_progress` also checks the rows against the previous plan, the region
and the year re-planned). A column may be headed as the priority lists (priorities.csv)
head it, by both names or either (地块编号 Parcel ID, 措施 Action, 开工年 Start year, 状态
Status: :data:`PROGRESS_HEADERS`), so that a list's rows can be reported on.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from region.action_names import as_action_codes
from region.cycle import YearActuals
from region.errors import InputError, InputProblem
from region.schema import Column
from region.validate import (
    BOOL_EXPECTED,
    MONEY_UNIT,
    WATER_UNIT,
    check_table,
    coerce_table,
    columns_not_ours,
    implausibly_large,
    read_csv_table,
    rows_problems,
    truth_values,
)

STATUSES: dict[str, tuple[str, str]] = {
    "done": ("已完成", "done"),
    "partial": ("部分完成", "partly done"),
    "failed": ("失败", "failed"),
    "cancelled": ("取消", "cancelled"),
}
#: Chinese status names accepted for the codes: the names the tool prints (changes.csv, the
#: template's message), and 完成 as planners write 已完成. Read as the codes and recorded so.
STATUS_SYNONYMS: dict[str, str] = {**{zh: code for code, (zh, _) in STATUSES.items()},
                                   "完成": "done"}
#: A status by both names, as the progress template writes it and the priority lists print
#: it (outputs/recorded_year.py): read back as its code.
STATUS_LABELS: dict[str, str] = {code: f"{zh} {en}" for code, (zh, en) in STATUSES.items()}
#: Statuses whose work stays on its parcel: fixed in the re-plan as recorded.
KEPT_STATUSES = ("done", "partial")
#: Statuses whose work is gone from its parcel: in plan.csv only as money paid.
LAPSED_STATUSES = ("failed", "cancelled")

PROGRESS_COLUMNS: tuple[Column, ...] = (
    Column("parcel_id", "int", "", "parcel of the work", minimum=0),
    Column("action", "str", "", "action code of the catalogue, or its Chinese name (封育)"),
    Column("start_year", "int", "", "year the work started (before the year re-planned)"),
    Column("status", "str", "", "done, partial, failed or cancelled (or 已完成, 部分完成, 失败, "
           "取消)", choices=tuple(STATUSES)),
    Column("area_km2_done", "float", "km²", "area treated (needed for a partial work)",
           required=False, minimum=0.0, allow_blank=True),
    Column("cost_wan_actual", "float", "万元", "cost paid so far (blank: as planned)",
           required=False, minimum=0.0, allow_blank=True),
    Column("new", "bool", "", "true: not in the previous plan, added during the year "
           "(blank: false)", required=False, allow_blank=True),
)
ACTUALS_COLUMNS: tuple[Column, ...] = (
    Column("year", "int", "", "a past year"),
    Column("budget_wan", "float", "万元", "money granted", required=False, minimum=0.0,
           allow_blank=True),
    Column("spend_wan", "float", "万元", "money spent on the works", required=False,
           minimum=0.0, allow_blank=True),
    Column("water_wan_m3", "float", "万m³", "water used (the works' and the lake's delivery)",
           required=False,
           allow_blank=True),
)
#: The headers the priority lists give our columns (outputs/list_columns.py,
#: outputs/priorities_csv.py: Chinese, English), read as ours: by both names (地块编号 Parcel
#: ID, as priorities.csv heads it) or either alone, the English in any case.
PROGRESS_HEADERS: dict[str, tuple[str, str]] = {
    "parcel_id": ("地块编号", "Parcel ID"), "action": ("措施", "Action"),
    "start_year": ("开工年", "Start year"), "status": ("状态", "Status")}
KEY = ["parcel_id", "action", "start_year"]
#: Columns the progress template writes beside ours for a person to read the works by
#: (pipeline/replan_facts.py): not read back, never taken for a misspelling of ours.
TEMPLATE_ONLY_COLUMNS = ("action_zh", "action_en", "planned_area_km2")
#: A done work's area may differ from the planned one by this share (rounding in reports).
AREA_TOLERANCE = 0.01
#: A work's reported cost beyond this many times its planned whole cost is taken for a unit
#: mistake (元 typed where 万元 are asked: 10,000 times too large) and refused. Our rule, an
#: estimate: the plan is silent on re-planning; overruns of a few times are real and pass.
COST_PLAUSIBLE_FACTOR = 100


@dataclass(frozen=True)
class ProgressContext:
    """What progress rows are checked against.

    ``options``: the feasible parcel × action pairs (``parcel_id, action, area_km2``, area
    treated; ``history_only`` true for a past work the catalogue no longer allows, which
    only the previous plan's or a recorded work may be: pipeline/replan_history.py);
    ``planned``: the previous plan's works (``parcel_id, action, start_year``);
    ``recorded``: works whose progress an earlier re-plan recorded (same key columns);
    ``chains``: (first action, follow-up) pairs of the catalogue; ``action_names``: the
    catalogue's names → codes (region/action_names.py), read as the codes (a row a planner
    adds types 封育);
    ``former_codes``: codes today's catalogue no longer has, of past works of the previous
    plan or recorded, which only those works may name (pipeline/replan_former.py)."""

    parcel_ids: frozenset[int]
    action_codes: frozenset[str]
    options: pd.DataFrame
    planned: pd.DataFrame
    recorded: pd.DataFrame
    chains: frozenset[tuple[str, str]]
    year: int
    first_year: int
    action_names: Mapping[str, str] = field(default_factory=dict)
    former_codes: frozenset[str] = frozenset()


def read_cells(path: str | Path) -> pd.DataFrame:
    """The cells of a table the planner edits (``progress.csv``, ``actuals.csv``) as text,
    before any check: a file that cannot be read as a table (not found, neither UTF-8 nor
    GBK, ragged) raises InputError. A GBK file (Excel's plain "CSV" on Chinese Windows) is
    read with a note."""
    return read_csv_table(path, gbk=True, dtype=str, keep_default_na=False, na_values=[""])


def check_progress_readable(path: str | Path) -> None:
    """Raises InputError when ``progress.csv`` cannot be read as a table: cheap, so the
    re-plan says it before its slow steps (a file refused after 34 s, stranger's F7). Its
    GBK note is said once, when the file is read to be checked."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read_cells(path)


def misspelt_columns(frame: pd.DataFrame, specs: tuple[Column, ...],
                     file: str, known: tuple[str, ...] = ()) -> list[InputProblem]:
    """Columns that are not ours but close to one of ours (``cost_actual`` for
    ``cost_wan_actual``): their figures would be ignored without a word. Other extra
    columns (a planner's remarks, the template's ``known`` ones) are kept out of the way,
    not refused."""
    ours = [spec.name for spec in specs]
    problems = []
    for column in frame.columns:
        close = difflib.get_close_matches(str(column), ours, n=1, cutoff=0.6)
        if column not in [*ours, *known] and close and close[0] not in frame.columns:
            problems.append(InputProblem(
                file, f"unknown column (did you mean '{close[0]}'?): expected "
                      f"{', '.join(ours)}; its figures would be ignored", column=str(column)))
    return problems


def status_codes(values: pd.Series) -> pd.Series:
    """Each status cell as its code: the code in any case, its Chinese name
    (:data:`STATUS_SYNONYMS`) or both names (:data:`STATUS_LABELS`, 已完成 done); a cell
    that is none of them is kept as typed, for its check to name it."""
    labels = {label.lower(): code for code, label in STATUS_LABELS.items()}

    def code(value: object) -> object:
        if not isinstance(value, str):
            return value
        text = " ".join(value.split())
        lower = text.lower()
        return STATUS_SYNONYMS.get(text) or labels.get(lower) or (
            lower if lower in STATUSES else value)

    return values.map(code)


def ours_by_header(columns: pd.Index) -> dict[str, str]:
    """The file's headers that head our columns as the priority lists do
    (:data:`PROGRESS_HEADERS`) → ours, for a column the file does not already have by our
    name (the first header of it, if two)."""
    renamed: dict[str, str] = {}
    for ours, (zh, en) in PROGRESS_HEADERS.items():
        names = {zh, en.lower(), f"{zh} {en}".lower()}
        header = next((c for c in columns if isinstance(c, str)
                       and " ".join(c.split()).lower() in names), None)
        if header is not None and ours not in columns and header not in renamed:
            renamed[header] = ours
    return renamed


def as_headed(problems: list[InputProblem], renamed: Mapping[str, str]
              ) -> list[InputProblem]:
    """``problems`` with each column read under another header (``renamed``: header →
    ours) named by that header, as the planner sees it (状态 Status, not status)."""
    headers = {ours: header for header, ours in renamed.items()}
    return [replace(p, column=headers.get(p.column, p.column)) for p in problems]


def read_progress(path: str | Path, context: ProgressContext) -> pd.DataFrame:
    """The rows of ``progress.csv``, checked (every problem in one InputError) and typed."""
    path = Path(path)
    frame = read_cells(path)
    renamed = ours_by_header(frame.columns)
    frame = frame.rename(columns=renamed)
    if "status" in frame.columns:  # the Chinese names are the codes
        frame["status"] = status_codes(frame["status"])
    if "action" in frame.columns:  # and the catalogue's Chinese names
        frame["action"] = as_action_codes(frame["action"], context.action_names)
    problems = check_table(frame, PROGRESS_COLUMNS, str(path))
    problems += columns_not_ours(frame.columns, PROGRESS_COLUMNS, problems, str(path),
                                 known=TEMPLATE_ONLY_COLUMNS)
    problems += misspelt_columns(frame, PROGRESS_COLUMNS, str(path), TEMPLATE_ONLY_COLUMNS)
    problems += check_progress(frame, str(path), context)
    if problems:
        raise InputError(as_headed(problems, renamed))
    frame = coerce_table(frame, PROGRESS_COLUMNS)
    if "new" not in frame.columns:
        frame["new"] = False
    for column in ("area_km2_done", "cost_wan_actual"):
        if column not in frame.columns:
            frame[column] = np.nan
    return frame[[c.name for c in PROGRESS_COLUMNS]]


def read_recorded(path: str | Path) -> pd.DataFrame:
    """The facts an earlier re-plan recorded (a result folder's ``progress.csv``: our
    columns, ``status_zh`` beside ``status``), read as the ``--progress`` file is when a
    planner has edited them: headers and statuses by their Chinese names or both
    (:func:`ours_by_header`, :func:`status_codes`), ``new`` as any yes/no column; a status
    or ``new`` that is none of these, or a ``status_zh`` that says another status than
    ``status``, is refused with its row (either could be the one edited)."""
    file = str(path)
    frame = read_csv_table(path)
    renamed = ours_by_header(frame.columns)
    frame = frame.rename(columns=renamed)
    problems: list[InputProblem] = []
    if "status" in frame.columns:
        typed = frame["status"]
        frame["status"] = status_codes(typed)
        problems += rows_problems(file, "status", ~frame["status"].isin(STATUSES).to_numpy(),
                                  typed, f"expected one of {', '.join(STATUSES)} (or "
                                         f"{', '.join(STATUS_SYNONYMS)})")
        if "status_zh" in frame.columns:
            said = status_codes(frame["status_zh"])
            differ = said.notna().to_numpy() & (said != frame["status"]).to_numpy() \
                & frame["status"].isin(STATUSES).to_numpy()
            problems += rows_problems(file, "status_zh", differ, frame["status_zh"],
                                      "says another status than the status column: make "
                                      "them agree (status is the one read)")
    if "new" in frame.columns:
        new = truth_values(frame["new"], False)
        problems += rows_problems(file, "new", new.isna().to_numpy(), frame["new"],
                                  BOOL_EXPECTED)
        frame["new"] = new.eq(True)
    if problems:
        raise InputError(as_headed(problems, renamed))
    return frame


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(float)


def check_progress(frame: pd.DataFrame, file: str, context: ProgressContext
                   ) -> list[InputProblem]:
    """Problems of progress rows against the region, the previous plan and the year:
    unknown parcels and actions, years outside the past, repeated works, works neither
    planned nor declared new, works that cannot be on their parcel, areas, two works kept
    on one parcel, and past works of the previous plan left unreported."""
    if any(c not in frame.columns for c in ("parcel_id", "action", "start_year", "status")):
        return []  # check_table reported the missing columns
    parcel = _numbers(frame, "parcel_id")
    start = _numbers(frame, "start_year")
    action = frame["action"].fillna("").astype(str).str.strip()
    status = frame["status"].fillna("").astype(str).str.strip()
    new = truth_values(frame["new"], False).eq(True).to_numpy() if "new" in frame.columns \
        else np.zeros(len(frame), bool)
    ok = ~np.isnan(parcel) & ~np.isnan(start)
    problems: list[InputProblem] = []

    def flag(mask, column: str, values, message: str) -> None:
        problems.extend(rows_problems(file, column, np.asarray(mask) & ok, values, message))

    known_parcel = pd.Series(parcel).isin(context.parcel_ids).to_numpy()
    flag(~known_parcel, "parcel_id", frame["parcel_id"],
         "unknown parcel (not in the parcels file)")
    keys = pd.DataFrame({"parcel_id": parcel, "action": action, "start_year": start})
    former = action.isin(context.former_codes).to_numpy()
    known_action = action.isin(context.action_codes).to_numpy() | (former & (
        _in(keys, context.planned) | _in(keys, context.recorded)))
    problems += rows_problems(file, "action", ~known_action & ~former, frame["action"],
                              f"unknown action: expected one of {sorted(context.action_codes)}"
                              " or its Chinese name (name_zh in the action catalogue)")
    problems += rows_problems(
        file, "action", ~known_action & former, frame["action"],
        "an action code today's catalogue no longer has: only a work of the previous plan "
        "(or one recorded earlier) with it can be reported, as history; a new work needs "
        f"one of {sorted(context.action_codes)}")
    flag(start >= context.year, "start_year", frame["start_year"],
         f"not a past year: a re-plan from {context.year} takes the works started before "
         f"{context.year}")
    flag(start < context.first_year, "start_year", frame["start_year"],
         f"before the plan's first year {context.first_year}")
    repeated = keys.duplicated(keep="first").to_numpy()
    flag(repeated, "parcel_id", frame["parcel_id"],
         "the same work (parcel, action, start year) appears earlier in the file")
    # The remaining checks read rows whose work is well named, once each.
    ok = ok & known_parcel & known_action & (start < context.year) \
        & (start >= context.first_year) & ~repeated
    known = _in(keys, context.planned) | _in(keys, context.recorded)
    flag(~known & ~new, "new", frame["action"],
         "not in the previous plan: set new = true if this work was added during the year")
    options = context.options.reindex(columns=["parcel_id", "action", "area_km2", "cost_wan",
                                               "history_only"])
    option = keys.merge(options, on=["parcel_id", "action"], how="left")
    option_area = option["area_km2"].to_numpy(float)
    unavailable = np.isnan(option_area)
    history_only = option["history_only"].eq(True).to_numpy()
    flag((unavailable | history_only) & ~known, "action", frame["action"],
         "this action cannot be applied to this parcel (its zones, land covers, degradation "
         "or places rule it out, see actions.csv)")
    flag(unavailable & known, "action", frame["action"],
         "the previous plan's work, which leaves nothing to treat on this parcel now (no "
         "area, pending mine or karez for the action's area_basis, see actions.csv and the "
         "parcels file)")
    done_area = _numbers(frame, "area_km2_done")
    flag((status == "partial").to_numpy() & np.isnan(done_area), "area_km2_done",
         pd.Series(done_area), "a partial work needs the area treated (km²)")
    shown = pd.Series([f"{d:.4g} km² of a {a:.4g} km² work" for d, a in
                       zip(done_area, option_area, strict=True)])
    over = done_area > option_area * (1 + AREA_TOLERANCE)
    flag(over, "area_km2_done", shown, "more than the work's whole area")
    short = (status == "done").to_numpy() & (done_area < option_area * (1 - AREA_TOLERANCE))
    flag(short, "area_km2_done", shown, "a done work covers its whole area: use status "
                                        "partial for part of it")
    problems += _implausible_cost(frame, option, ok, file)
    problems += _two_works_kept(frame, keys, status, ok, file, context)
    misnamed = ~known_action | (~known & ~new)  # a row already named for its action
    problems += _unreported(keys[ok], file, context,
                            keys[misnamed & ~np.isnan(parcel) & ~np.isnan(start)])
    return problems


def _implausible_cost(frame: pd.DataFrame, option: pd.DataFrame, ok: np.ndarray, file: str
                      ) -> list[InputProblem]:
    """Rows whose ``cost_wan_actual`` is more than :data:`COST_PLAUSIBLE_FACTOR` times the
    work's planned whole cost (``option``'s ``cost_wan``, row by row): a stranger's 13,000,000
    (元) for a mine planned at 1,167.7 万元 was solved and only warned of afterwards as a
    64,987 % overspend. Said as actuals.csv's money is (:func:`implausible_money`)."""
    actual = _numbers(frame, "cost_wan_actual")
    planned = option.reindex(columns=["cost_wan"])["cost_wan"].to_numpy(float)
    shown = pd.Series([f"{a:,.6g} 万元 for a work planned at {p:,.1f} 万元" for a, p in
                       zip(actual, planned, strict=True)])
    return rows_problems(file, "cost_wan_actual",
                         ok & (planned > 0) & (actual > COST_PLAUSIBLE_FACTOR * planned), shown,
                         implausibly_large(f"more than {COST_PLAUSIBLE_FACTOR} × the work's "
                                           "planned whole cost", "万元 expected (1 万元 = "
                                           "10,000 元)"))


def _in(keys: pd.DataFrame, table: pd.DataFrame) -> np.ndarray:
    """Which rows of ``keys`` (parcel_id, action, start_year) are in ``table``."""
    if table.empty:
        return np.zeros(len(keys), bool)
    index = pd.MultiIndex.from_frame(table[KEY].astype({"parcel_id": float,
                                                        "start_year": float}))
    return pd.MultiIndex.from_frame(keys.astype({"parcel_id": float, "start_year": float})
                                    ).isin(index)


def _two_works_kept(frame: pd.DataFrame, keys: pd.DataFrame, status: pd.Series,
                    ok: np.ndarray, file: str, context: ProgressContext
                    ) -> list[InputProblem]:
    """A parcel keeps one work, or a catalogue chain's first action and its follow-up
    started later; a second kept work on a parcel (here or recorded before) is a problem."""
    kept = keys[ok & status.isin(KEPT_STATUSES).to_numpy()]
    earlier = context.recorded
    if not earlier.empty and "status" in earlier.columns:
        earlier = earlier[earlier["status"].isin(KEPT_STATUSES)]
        replaced = _in(earlier[KEY].astype({"parcel_id": float, "start_year": float}), keys)
        earlier = earlier[~replaced]
    problems = []
    for row, work in kept.iterrows():
        others = [(o.action, o.start_year) for o in kept.itertuples()
                  if o.Index < row and o.parcel_id == work.parcel_id]
        if not earlier.empty:
            others += [(o.action, o.start_year) for o in earlier.itertuples()
                       if o.parcel_id == work.parcel_id]
        for action, start in others:
            chain = ((action, work.action) in context.chains and start < work.start_year) or \
                ((work.action, action) in context.chains and work.start_year < start)
            if not chain:
                problems.append(InputProblem(
                    file, f"parcel {int(work.parcel_id)} already keeps {action} started "
                          f"{int(start)}: a parcel takes one action, or a catalogue follow-up "
                          "started after its first action", row=int(row) + 1,
                    column="status", value=frame["status"].iat[row]))
    return problems


def _unreported(keys: pd.DataFrame, file: str, context: ProgressContext,
                misnamed: pd.DataFrame) -> list[InputProblem]:
    """Past works of the previous plan with no progress, here or recorded before; not one
    whose parcel and start year a row of ``misnamed`` has (its action unknown or not the
    plan's): that row is its progress with the wrong action, already named, one problem
    one message."""
    planned = context.planned
    past = planned[planned["start_year"] < context.year]
    place = ["parcel_id", "start_year"]
    claimed = pd.MultiIndex.from_frame(past[place].astype(float)).isin(
        pd.MultiIndex.from_frame(misnamed[place].astype(float)))
    missing = past[~_in(past[KEY], keys) & ~_in(past[KEY], context.recorded) & ~claimed]
    problems = [InputProblem(file, f"no progress for the previous plan's work: parcel "
                                   f"{int(w.parcel_id)}, {w.action}, started {int(w.start_year)}"
                                   " (add a row with its status)")
                for w in missing.head(5).itertuples()]
    if len(missing) > 5:
        problems.append(InputProblem(file, f"and {len(missing) - 5} more past works of the "
                                           "previous plan without progress"))
    return problems


def read_actuals(path: str | Path, year: int, first_year: int,
                 horizon_money_wan: float | None = None,
                 horizon_water_wan_m3: float | None = None) -> dict[int, YearActuals]:
    """``actuals.csv``: per past year, money granted and spent and water used. With
    ``horizon_money_wan`` (the scenario's money for its whole horizon), a year's money
    beyond it is refused as a unit mistake, and with ``horizon_water_wan_m3`` (its water
    for the whole horizon) a year's water beyond that (:func:`implausible_figures`)."""
    path = Path(path)
    frame = read_cells(path)
    file = str(path)
    problems = check_table(frame, ACTUALS_COLUMNS, file)
    if not problems:
        problems += implausible_figures(frame, file, horizon_money_wan, horizon_water_wan_m3)
    problems += misspelt_columns(frame, ACTUALS_COLUMNS, file)
    figures = [c.name for c in ACTUALS_COLUMNS[1:]]
    if not set(figures) & set(frame.columns):
        problems.append(InputProblem(file, f"has none of the columns {', '.join(figures)}: "
                                           "expected the year's money or water"))
    if "year" in frame.columns:
        years = pd.to_numeric(frame["year"], errors="coerce")
        problems += rows_problems(file, "year", ((years >= year) | (years < first_year))
                                  .to_numpy(), frame["year"],
                                  f"expected a past year, {first_year}-{year - 1}")
        problems += rows_problems(file, "year", years.duplicated(keep="first").to_numpy(),
                                  frame["year"], "the same year appears earlier in the file")
    if problems:
        raise InputError(problems)
    frame = coerce_table(frame, ACTUALS_COLUMNS)
    fields = [c.name for c in ACTUALS_COLUMNS[1:] if c.name in frame.columns]
    return {int(row["year"]): YearActuals(**{f: float(row[f]) for f in fields
                                            if pd.notna(row[f])})
            for _, row in frame.iterrows()}


def implausible_figures(frame: pd.DataFrame, file: str, horizon_money_wan: float | None,
                        horizon_water_wan_m3: float | None) -> list[InputProblem]:
    """Rows of an actuals table whose money granted or spent in one year is more than the
    scenario's money for its whole horizon, or whose water used in one year is more than
    its water for the whole horizon: figures typed in 元 where 万元 are asked, or in m³
    where 万m³ are asked (10,000 times too large), that would otherwise be carried on as
    money available (a stranger's 200,000,000 gave every later year 10,000,000 万元) or
    printed as the year's water (a stranger's 3,000,000 against 400 a year). A yardstick
    left None checks nothing. Said as the scenario's own figures are (region/validate.py
    :func:`implausibly_large`). Our rule, an estimate: the plan is silent on re-planning."""
    problems = []
    for columns, limit, unit in ((("budget_wan", "spend_wan"), horizon_money_wan, MONEY_UNIT),
                                 (("water_wan_m3",), horizon_water_wan_m3, WATER_UNIT)):
        for column in columns:
            if limit is None or column not in frame.columns:
                continue
            figure = pd.to_numeric(frame[column], errors="coerce")
            problems += rows_problems(file, column, (figure > limit).to_numpy(),
                                      frame[column], implausibly_large(
                                          f"more than the {unit.what} for the whole horizon, "
                                          f"{limit:,.0f} {unit.name}", unit.explained))
    return problems


def merge_actuals(*layers: dict[int, YearActuals]) -> dict[int, YearActuals]:
    """Later layers' figures over earlier ones, key by key (a key left out keeps the
    earlier figure)."""
    merged: dict[int, dict] = {}
    for layer in layers:
        for year, actual in layer.items():
            merged.setdefault(int(year), {}).update(actual.model_dump(exclude_none=True))
    return {year: YearActuals(**values) for year, values in sorted(merged.items())}
