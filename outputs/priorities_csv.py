"""priorities.csv and project_units.csv: the lists as the year sheets have them, one row a
year's new start or continuing work, single-line bilingual headers, UTF-8 with a byte-order
mark so that Excel opens the Chinese text correctly. Where a sheet names a county,
township, zone or plan project by both names in one cell, a CSV gives two columns, the
Chinese name and the English one (``区县(中文) County (zh)``, ``区县(英文) County (en)``),
as a machine reader wants them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from outputs.labels import rounded_to_total
from outputs.list_columns import BOTH_NAMES, CONTINUING_COLUMNS, LIST_COLUMNS
from outputs.recorded_year import PAID_LAPSED, is_record, status_label
from outputs.workbook import Column
from outputs.year_funds import continuing_works

#: The columns priorities.csv puts before the list's: the year whose funds a row asks for
#: (a year sheet), whether the work starts then or continues, and its start year.
CSV_LEAD = [Column("funds_year", "年度", "Year"),
            Column("entry", "类型", "Entry"),
            Column("start_year", "开工年", "Start year")]
#: A re-plan's recorded status of a work started before the year re-planned (blank ahead).
STATUS = Column("status_label", "状态", "Status", "General", 12,
                note="重新规划的往年（实施记录）：进度表记录的状态 | a re-plan's past year (a "
                     "record): the status the progress file gives")
NEW_START, CONTINUING = "新开工 new start", "续建 continuing"


def csv_columns(columns: list[Column]) -> list[Column]:
    """``columns`` as a CSV has them: each column of both names (:data:`BOTH_NAMES`) as
    two, its Chinese and its English names."""
    split = []
    for column in columns:
        if column.key not in BOTH_NAMES:
            split.append(column)
            continue
        zh, en = BOTH_NAMES[column.key]
        split += [Column(zh, f"{column.zh}(中文)", f"{column.en} (zh)"),
                  Column(en, f"{column.zh}(英文)", f"{column.en} (en)")]
    return split


def csv_rows(lists: pd.DataFrame, years: list[int],
             paid: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of priorities.csv, as the year sheets have them: per year its new starts
    in rank order, then its continuing works (started earlier, an instalment due that year,
    outputs/year_funds.py) with only the columns of the sheet's 续建项目 block; every row
    with the money paid before the year and due after it. A year's 当年资金需求 add up to
    its spend (plan.csv's cost_<year> summed): in a re-plan's recorded year with the
    failed and cancelled works it paid (``paid``: outputs/recorded_year.py, entry
    :data:`PAID_LAPSED`, after the continuing works)."""
    shown = list(dict.fromkeys([*(c.key for c in csv_columns(CONTINUING_COLUMNS)),
                                *(c.key for c in CONTINUING_COLUMNS), STATUS.key]))
    lists = lists.assign(status_label=status_label(lists["status"]) if "status" in lists
                         else "")
    parts = []
    for year in years:
        starts = lists[lists["start_year"] == year]
        parts.append(starts.assign(
            rank=starts["rank"].where(~is_record(starts)),  # a record is not ranked
            funds_year=year, entry=NEW_START, paid_before_wan=0.0,
            due_later_wan=starts["total_cost_wan"] - starts["year_cost_wan"]))
        continuing = continuing_works(lists, year)
        parts.append(continuing[shown].assign(funds_year=year, entry=CONTINUING))
        if paid is not None and f"cost_{year}" in paid:
            parts.append(_paid_in(paid, year).reindex(columns=shown).assign(
                funds_year=year, entry=PAID_LAPSED))
    return pd.concat(parts, ignore_index=True) if parts else lists.assign(
        funds_year=pd.Series(dtype=int), entry="", paid_before_wan=0.0, due_later_wan=0.0)


def _paid_in(paid: pd.DataFrame, year: int) -> pd.DataFrame:
    """The failed and cancelled works paid in ``year``: what (``year_cost_wan``), before it
    and in all; nothing is due later (they are not re-scheduled as such)."""
    rows = paid[paid[f"cost_{year}"] > 0]
    costs = [c for c in rows if c.startswith("cost_") and c.removeprefix("cost_").isdigit()]
    before = [c for c in costs if int(c.removeprefix("cost_")) < year]
    return rows.assign(year_cost_wan=rows[f"cost_{year}"], total_cost_wan=rows[costs].sum(
        axis=1), paid_before_wan=rows[before].sum(axis=1) if before else 0.0,
        due_later_wan=0.0)


#: Decimals of money in the CSVs and the sheets' cells: 万元 to the yuan.
YUAN_DECIMALS = 4
#: Decimals of water (万m³) in the CSVs and the sheets' cells: to the cubic metre.
WATER_DECIMALS = 4
#: Decimals of areas in the CSVs: to 0.01 hm² (parcel areas carry 4 decimals of km²), so that
#: a column adds up to the Summary's area treated (the sheets' 0.01 万亩 did not: 283.45).
AREA_DECIMALS = {"area_mu": 2, "area_hm2": 2, "area_wan_mu": 6}


def csv_decimals(column: Column) -> int | None:
    """The decimals a CSV gives ``column`` (and a sheet's cell holds): money to the yuan,
    water to the m³, areas to 0.01 hm²; the others those their number format shows on the
    sheet ("#,##0.000" → 3, "0" → 0; a per-cent format two more); None for text and
    "General" columns, which are written as they are."""
    if column.zh.endswith("(万元)"):
        return YUAN_DECIMALS
    if column.key.startswith("water"):  # water used, not the modelled benefit
        return WATER_DECIMALS
    if column.key in AREA_DECIMALS:
        return AREA_DECIMALS[column.key]
    if column.number_format == "General":
        return None
    shown = column.number_format.rstrip("%")
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    return decimals + (2 if column.number_format.endswith("%") else 0)


def _adding_up(values: pd.Series, decimals: int) -> pd.Series:
    """``values`` rounded so that they add up to their total rounded the same way (blanks
    stay blank)."""
    known = values.notna()
    out = values.astype(float).copy()
    out[known] = rounded_to_total(values[known], decimals)
    return out


def rounded_figures(frame: pd.DataFrame, columns: list[Column],
                    by: str | None = None) -> pd.DataFrame:
    """``frame`` with each figure of ``columns`` rounded to :func:`csv_decimals`; a column
    that a total adds up (``summed``) by largest remainder, so that its rows (those of one
    ``by`` group: a year's in priorities.csv) add up exactly to their total rounded the same
    way; a row then differs from its plain rounding by one unit of the last decimal at most
    (1 元 of money)."""
    out = frame.copy()
    for column in columns:
        decimals = csv_decimals(column)
        if decimals is None or column.key not in out or \
                not pd.api.types.is_float_dtype(out[column.key]):
            continue
        values = out[column.key]
        if column.summed:
            values = values.groupby(out[by]).transform(lambda v, d=decimals: _adding_up(
                v, d)) if by is not None else _adding_up(values, decimals)
        out[column.key] = values.round(decimals) + 0.0  # no "-0"
    return out


def write_csv(frame: pd.DataFrame, columns: list[Column], path: Path,
              by: str | None = None) -> None:
    """A list as CSV: single-line bilingual headers, names in two columns
    (:func:`csv_columns`), UTF-8 with BOM for Excel, every figure rounded as
    :func:`rounded_figures` says (a reviewer opening the CSV saw 5.02397248e-10 where the
    sheet shows 0.00), the summed ones adding up within each ``by`` group."""
    columns = csv_columns(columns)
    table = rounded_figures(frame[[c.key for c in columns] + ([by] if by and by not in
                                                              [c.key for c in columns]
                                                              else [])], columns, by)
    table[[c.key for c in columns]].set_axis(
        [c.header.replace("\n", " ") for c in columns], axis=1).to_csv(
        path, index=False, encoding="utf-8-sig", float_format="%.10g")


#: The columns of priorities.csv: the year, the entry, the start year, the list's columns
#: and the money paid before the year and due after it.
CSV_COLUMNS = [*CSV_LEAD, STATUS, *LIST_COLUMNS, *[c for c in CONTINUING_COLUMNS
                                           if c.key in ("paid_before_wan", "due_later_wan")]]


def year_sheet_rows(lists: pd.DataFrame, years: list[int],
                    paid: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`csv_rows` with their figures rounded as priorities.csv has them, a year's
    funds due adding up to its spend (:func:`rounded_figures`): the year sheets' cells
    hold these same figures."""
    return rounded_figures(csv_rows(lists, years, paid),
                           list(dict.fromkeys([*CSV_COLUMNS, *CONTINUING_COLUMNS])),
                           by="funds_year")


def write_priorities_csv(lists: pd.DataFrame, years: list[int], path: Path,
                         paid: pd.DataFrame | None = None) -> None:
    """priorities.csv: :func:`csv_rows` in :data:`CSV_COLUMNS`, rounded as
    :func:`year_sheet_rows`."""
    write_csv(year_sheet_rows(lists, years, paid), CSV_COLUMNS, path, by="funds_year")
