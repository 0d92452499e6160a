"""Annual priority lists (年度优先项目清单) for funding applications.

``write_priorities`` writes into a result folder:

* ``priorities.xlsx``: 说明 Notes (rules, units, sources, what every column means), 汇总
  Summary (by year with the limit that binds, county, zone and plan project, areas in 万亩;
  the plan projects without works and why: outputs/unfunded.py;
  each criterion's share of the weighted benefit and of the region's potential; the
  plan's indicators; funding by level; project-unit sizes), one ranked sheet per horizon
  year (``2027年``…) with the project-library columns (乡镇, 建设内容及规模, 资金来源, 责任单位,
  资金安排年度, 绩效目标: outputs/library.py) and 项目单元 Project units; bilingual headers
  (Chinese first), number formats, units in the headers, frozen header; printed on A3
  landscape in three column groups of one page width each, the header row and the
  identifying columns repeated on every page (outputs/workbook.py);
* ``priorities.csv``, ``project_units.csv`` and ``projects_without_works.csv``: the same
  lists and table, UTF-8 with a byte-order
  mark so that Excel opens the Chinese text correctly;
* ``priorities.gpkg``: one layer per year (``priorities_2027``…) with the parcel polygons
  and ``project_units`` with the dissolved units, ASCII field names for QGIS and ArcGIS,
  in the parcels' CRS: their file's unless ``--crs`` asked for another (outputs/crs.py).

Columns that carry a physical unit (t/年, 万m³/年 …) hold the model's physical quantity at
maturity after survival; weights, bonuses and the normalisation live only in the score
columns (综合得分 and its part per criterion: outputs/explain.py).

The lists themselves are built by outputs/priority_lists.py (the order within a year is
outputs/ranking.py's); the 说明 Notes and 汇总 Summary sheets are outputs/notes_sheet.py and
outputs/summary_sheet.py (what the lists add up to: outputs/list_totals.py). The columns
(headers, formats, notes) are listed in outputs/list_columns.py; how a table is written into
a sheet and printed, in outputs/workbook.py; the CSV files, in outputs/priorities_csv.py.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from criteria.corridors import CorridorAnalysis
from optimizer.plan import Plan
from outputs import workbook as xl
from outputs.data_note import data_note
from outputs.list_columns import (
    CONTINUING_COLUMNS,
    LAYER_FIELDS,
    LIST_COLUMNS,
    UNIT_COLUMNS,
    UNIT_RULE,
)
from outputs.list_totals import units_total_label
from outputs.notes_sheet import notes_sheet
from outputs.priorities_csv import (
    CONTINUING,
    NEW_START,
    STATUS,
    rounded_figures,
    write_csv,
    write_priorities_csv,
    year_sheet_rows,
)
from outputs.priority_lists import priority_lists, units_frame
from outputs.project_causes import projects_without_works
from outputs.recorded_year import PAID_LAPSED, is_record, paid_lapsed_rows, recorded_years
from outputs.summary_sheet import summary_sheet
from outputs.unfunded import write_unfunded_csv
from outputs.year_funds import funds_due_by_year, funds_line
from region.io import Region

UNITS = "项目单元 Project units"


def _continuing_block(ws: Worksheet, year: int, starts: pd.DataFrame,
                      continuing: pd.DataFrame, lists: pd.DataFrame, plan: Plan,
                      paid: pd.DataFrame) -> None:
    """Under a year's list of new starts: the 续建项目 block (``continuing``: works started
    earlier with an instalment due in ``year``) and the year's funds due, new plus
    continuing, which is the Summary's spend in that year (outputs/year_funds.py)."""
    row = ws.max_row + 2
    caption = (f"续建项目 Continuing works: {year}年以前开工、{year}年仍有分期付款的措施 "
               f"(started before {year}, with an instalment due in {year})")
    if continuing.empty:
        ws.cell(row=row, column=1, value=caption).font = Font(bold=True)
        ws.cell(row=row + 1, column=1, value="无 None")
        row += 3
    else:
        row = xl.write_table(ws, row, caption, continuing, CONTINUING_COLUMNS, total=True) - 1
    if len(paid):  # a recorded year's failed and cancelled works: money paid, no work
        row = xl.write_table(ws, row + 1, f"{PAID_LAPSED}：{year}年失败或取消、当年已支付的措施"
                             f"（不再计入方案） works failed or cancelled in {year}, paid "
                             "that year (no longer works of the plan)", paid,
                             [STATUS, *CONTINUING_COLUMNS], total=True) - 1
    years = plan.years.set_index("year")
    budget = years.get("budget_available", years["budget"]).get(year)
    due = funds_due_by_year(lists, [year]).loc[year]
    xl.text_block(ws, row, [funds_line(year, float(starts["year_cost_wan"].sum()),
                                       float(continuing["year_cost_wan"].sum()),
                                       None if budget is None else float(budget), due,
                                       float(paid["year_cost_wan"].sum()) if len(paid)
                                       else 0.0)])
    ws.cell(row=row, column=1).font = Font(bold=True)


def write_priorities(folder: Path, plan: Plan, region: Region,
                     corridors: CorridorAnalysis | None = None,
                     lists: pd.DataFrame | None = None,
                     unfunded: pd.DataFrame | None = None) -> list[Path]:
    """Write priorities.xlsx, priorities.csv, project_units.csv and priorities.gpkg into
    ``folder`` (a temporary folder the caller renames into place); return their paths.
    ``lists``, ``unfunded``: the plan's :func:`priority_lists` and
    :func:`projects_without_works`, when the caller has them already."""
    lists = priority_lists(plan, region, corridors) if lists is None else lists
    units = units_frame(lists, plan, region)
    years = plan.years["year"].astype(int).tolist()
    wb = Workbook()
    notes_sheet(wb, plan, region)
    unfunded = projects_without_works(plan, region) if unfunded is None else unfunded
    summary_sheet(wb, lists, units, plan, region, unfunded)
    paid = paid_lapsed_rows(plan, region)
    rows = year_sheet_rows(lists, years, paid)  # as priorities.csv rounds them
    recorded = recorded_years(plan)
    for year in years:
        starts = rows[(rows["funds_year"] == year) & (rows["entry"] == NEW_START)]
        in_year = rows[rows["funds_year"] == year]
        if year in recorded:  # history: what was done, with its status
            ws = xl.list_sheet(wb, f"{year}年", f"{year}年度 实施记录 Record {year}", starts,
                               [STATUS, *LIST_COLUMNS], "E3", note=data_note(region))
        else:
            ws = xl.list_sheet(wb, f"{year}年",
                               f"{year}年度生态修复优先项目清单 Priority list {year}",
                               starts, LIST_COLUMNS, "D3", note=data_note(region))
        _continuing_block(ws, year, starts, in_year[in_year["entry"] == CONTINUING], lists,
                          plan, in_year[in_year["entry"] == PAID_LAPSED])
    xl.list_sheet(wb, UNITS, "项目单元 Project units: " + UNIT_RULE.split(" Chosen")[0],
                  rounded_figures(units, UNIT_COLUMNS), UNIT_COLUMNS, "B3",
                  total_label=units_total_label(units, lists))
    paths = [folder / "priorities.xlsx", folder / "priorities.csv",
             folder / "project_units.csv", folder / "priorities.gpkg",
             folder / "projects_without_works.csv"]
    wb.save(paths[0])
    write_unfunded_csv(unfunded, paths[4])
    write_priorities_csv(lists, years, paths[1], paid)
    write_csv(units, UNIT_COLUMNS, paths[2])  # rounded as the sheet's cells
    geometry = region.parcels[["parcel_id", "geometry"]]
    for year in years:
        in_year = lists[lists["start_year"] == year]
        layer = in_year[LAYER_FIELDS].assign(  # in rank order; a record is not ranked
            rank=in_year["rank"].where(~is_record(in_year))).merge(geometry, on="parcel_id")
        gpd.GeoDataFrame(layer, geometry="geometry", crs=region.parcels.crs).to_file(
            paths[3], layer=f"priorities_{year}", driver="GPKG")
    unit_fields = [c.key for c in UNIT_COLUMNS] + ["action", "area_km2", "geometry"]
    units[unit_fields].to_file(paths[3], layer="project_units", driver="GPKG")
    return paths
