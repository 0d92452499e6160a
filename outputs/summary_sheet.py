"""The 汇总 Summary sheet of priorities.xlsx: totals by start year (spend and water against
the limits, what binds), by county, zone and plan project; the plan projects without works;
the criteria's shares; the plan's indicators; funding by level; project-unit sizes."""

from __future__ import annotations

import dataclasses

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.plan import Plan
from outputs import workbook as xl
from outputs.explain import dominance_lines, normalisation_rule
from outputs.indicators import FIGURES, excel_format, plan_indicators
from outputs.labels import MU_PER_KM2, MU_PER_WAN_MU, county_names, rounded_to_total
from outputs.limits import lake_note, limits_by_year, summary_binds
from outputs.list_columns import (
    DUE_TOTAL_COLUMNS,
    FUND_TOTAL_COLUMNS,
    INDICATOR_COLUMNS,
    SHARE_COLUMNS,
    SIZE_COLUMNS,
    SUMMARY_COLUMNS,
    UNIT_RULE,
    YEAR_COLUMNS,
)
from outputs.list_totals import area_lines, criterion_table, funding_totals, size_lines
from outputs.project_limits import capacity_grades
from outputs.project_units import size_distribution
from outputs.unfunded import write_unfunded_sheet_table
from outputs.workbook import Column
from outputs.year_funds import funds_due_by_year, obligation_lines
from region.io import Region

SUMMARY = "汇总 Summary"


def _totals(frame: pd.DataFrame, by: str, label: str | None = None) -> pd.DataFrame:
    """The summed columns per value of ``by``, in the order of ``by`` (zone 1 → 5, county
    codes), shown by the value's ``label`` when given (the zone's name)."""
    keys = [c.key for c in SUMMARY_COLUMNS if c.key != "work_count"]
    sums = frame.groupby(by)[keys].sum()
    sums.insert(0, "work_count", frame.groupby(by).size())
    if label is not None:
        sums.index = frame.groupby(by)[label].first().reindex(sums.index).to_numpy()
    return sums


def summary_sheet(wb: Workbook, lists: pd.DataFrame, units: pd.DataFrame, plan: Plan,
                  region: Region, unfunded: pd.DataFrame) -> None:
    """Totals by start year (with spend and water in each year against the limits and the
    limit that binds), by county, by zone and by plan project; the criteria's shares and
    the sentence when one dominates; the plan's indicators; funding by level; unit sizes."""
    ws = wb.create_sheet(SUMMARY)
    xl.write_title(ws, "生态修复规划方案汇总 Plan summary")
    ws.cell(row=2, column=1, value=(
        "投资(按开工年)=当年开工措施的全部投资；当年支出=该年实际支付(含往年开工措施的分期)。 "
        "Cost by start year = whole cost of the options starting that year; spend in year = "
        "what is paid that year, instalments of earlier starts included."))
    lists = lists.assign(area_wan_mu=lists["area_km2"] * MU_PER_KM2 / MU_PER_WAN_MU)
    years = plan.years.set_index("year")
    limits = limits_by_year(plan, county_names(region),
                            capacity_grades(region)).set_index("year")
    limits["binds"] = summary_binds(limits)
    limits = pd.DataFrame({"spend": years["spend"],
                           "budget": years.get("budget_available", years["budget"]),
                           "water_use": years["water_use"],
                           "water_limit": years["water_limit"], "binds": limits["binds"]})
    by_year = _totals(lists, "start_year").reindex(years.index).fillna(0.0).join(limits)
    by_year["work_count"] = by_year["work_count"].astype(int)
    named = lists.assign(  # counties, zones and projects by both names (priority_lists)
        project_both=lists["project_both"].replace("", "(无 none)"))
    tables = [
        ("按年度 By year", Column("key", "年度", "Year", "0", 30), by_year,
         SUMMARY_COLUMNS + YEAR_COLUMNS),
        ("按区县 By county", Column("key", "区县", "County", width=30),
         _totals(named, "county", "county_both"), SUMMARY_COLUMNS),
        ("按分区 By zone", Column("key", "分区", "Zone", width=30, wrap=True),
         _totals(named, "zone", "zone_both"), SUMMARY_COLUMNS),
        ("按重点工程/项目 By plan project",
         Column("key", "所属重点工程/项目", "Plan project", width=30, wrap=True),
         _totals(named, "project_both"), SUMMARY_COLUMNS),
    ]
    _summary_widths(ws, tables[0][1])
    row = 4
    for caption, key, table, columns in tables:
        row = xl.write_table(ws, row, caption, table.rename_axis("key").reset_index(),
                             [key, *columns], total=True)
        if columns is tables[0][3]:  # under the years: what the totals count
            row = xl.text_block(ws, row - 1, [*area_lines(lists),
                                            *obligation_lines(plan, region.actions),
                                            *filter(None, [lake_note(plan, county_names(
                                                region))])]) + 1
    row = write_unfunded_sheet_table(ws, row, unfunded, plan,
                                     [tables[0][1], *SUMMARY_COLUMNS, *YEAR_COLUMNS], region)
    shares = criterion_table(plan)
    row = xl.write_table(ws, row, "准则构成 What the score is made of", shares,
                         SHARE_COLUMNS, total=False) - 1
    row = xl.text_block(ws, row, [*dominance_lines(shares), normalisation_rule(plan)]) + 1
    indicators = plan_indicators(lists, region, (int(years.index.min()),
                                                 int(years.index.max())))
    if len(indicators):
        first = row + 2  # under the caption and the header
        row = xl.write_table(ws, row, "规划指标 The plan's indicators", indicators,
                             INDICATOR_COLUMNS, total=False)
        keys = [column.key for column in INDICATOR_COLUMNS]
        for offset, unit in enumerate(indicators["unit"]):  # each row's unit, its decimals
            for key in FIGURES:
                ws.cell(row=first + offset, column=keys.index(key) + 1).number_format = \
                    excel_format(unit, key)
    row = xl.write_table(ws, row, "资金来源（总投资）Funding of the total cost by level "
                         "(估算 estimates)", funding_totals(lists), FUND_TOTAL_COLUMNS,
                         total=True)
    due = funds_due_by_year(lists, years.index.astype(int).tolist())
    row = xl.write_table(ws, row, "分年度资金申请（按级次，各年度表新开工与续建项目合计）Funds "
                         "due by year and level (each year sheet's new starts and continuing "
                         "works; 估算 estimates)", due.reset_index(), DUE_TOTAL_COLUMNS,
                         total=True)
    sizes = size_distribution(units).assign(
        area_wan_mu=lambda f: rounded_to_total(f["area_mu"] / MU_PER_WAN_MU, 2))
    row = xl.write_table(ws, row, "项目单元规模 Project-unit sizes", sizes, SIZE_COLUMNS,
                         total=True) - 1
    xl.text_block(ws, row, [*size_lines(units, lists), UNIT_RULE])


#: The widest a Summary column grows for the tables under the by-year one (characters).
SUMMARY_WIDEST = 24.0


def _summary_widths(ws: Worksheet, key: Column) -> None:
    """The Summary's page set-up, its column widths set before any table is written: the
    by-year table's, widened (to :data:`SUMMARY_WIDEST`) where a table below it needs more
    (the indicators' note and source, 40 characters as written, printed cut off in the
    by-year table's 12-character columns); rows are then sized for these widths."""
    by_year = [key, *SUMMARY_COLUMNS, *YEAR_COLUMNS]
    below = [SHARE_COLUMNS, INDICATOR_COLUMNS, FUND_TOTAL_COLUMNS, DUE_TOTAL_COLUMNS,
             SIZE_COLUMNS]
    layout = [dataclasses.replace(column, width=max(column.width, min(SUMMARY_WIDEST, max(
        (table[k].width for table in below if k < len(table)), default=0.0))))
        for k, column in enumerate(by_year)]
    xl.page_setup(ws, layout, None, None)
