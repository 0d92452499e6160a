"""Annual priority lists (年度优先项目清单) for funding applications.

``write_priorities`` writes into a result folder:

* ``priorities.xlsx``: 说明 Notes, 汇总 Summary (by year, county, zone and plan project),
  one ranked sheet per start year (``2027年``…) and 项目单元 Project units; bilingual headers
  (Chinese first), number formats with units, frozen header, A4 landscape, fitted to the
  page width, header row repeated on every printed page;
* ``priorities.csv`` and ``project_units.csv``: the same lists, UTF-8 with a byte-order
  mark so that Excel opens the Chinese text correctly;
* ``priorities.gpkg``: one layer per year (``priorities_2027``…) and ``project_units``.

Ranking within a year: mandatory works and options that a target needs come first (they
must be funded whatever their return), then by benefit per 万元 (the option's weighted
benefit to the evaluation year divided by its total cost), the order in which a funding
body gets the most for its money.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.plan import Plan
from outputs.labels import HM2_PER_KM2, MU_PER_KM2, county_names, label_column, zone_names
from outputs.project_units import project_units, unit_ids
from region.io import Region
from region.schema import CRITERIA, CRITERION_LABELS

CRITERION_UNITS_SHORT = {"sand": "t/年", "water": "万m³/年", "bio": "km²·质量",
                         "mine": "km²·风险", "carbon": "tC/年"}


@dataclass(frozen=True)
class Column:
    """One column of a list: data key, Chinese and English header, Excel format, width."""

    key: str
    zh: str
    en: str
    number_format: str = "General"
    width: float = 12.0

    @property
    def header(self) -> str:
        return f"{self.zh}\n{self.en}"


MONEY, AREA, COUNT = "#,##0.0", "#,##0.0", "#,##0"
BENEFIT_COLUMNS = [Column(f"benefit_{c}", f"{CRITERION_LABELS[c][0]}({CRITERION_UNITS_SHORT[c]})",
                          CRITERION_LABELS[c][1], "#,##0.00", 13) for c in CRITERIA]
LIST_COLUMNS = [
    Column("rank", "优先序", "Rank", COUNT, 7),
    Column("parcel_id", "地块编号", "Parcel ID", "0", 9),
    Column("county_zh", "区县", "County", width=10),
    Column("zone_zh", "分区", "Zone", width=30),
    Column("action_label", "措施", "Action", width=26),
    Column("project_label", "所属重点工程/项目", "Plan project", width=30),
    Column("unit_id", "项目单元", "Project unit", width=22),
    Column("area_mu", "面积(亩)", "Area (mu)", COUNT, 10),
    Column("area_hm2", "面积(公顷)", "Area (hm²)", AREA, 10),
    Column("total_cost_wan", "总投资(万元)", "Total cost (10k CNY)", MONEY, 12),
    Column("water_wan_m3_per_yr", "用水(万m³/年)", "Water (10k m³/yr)", "#,##0.00", 11),
    *BENEFIT_COLUMNS,
    Column("score", "综合得分", "Weighted benefit", "0.000000", 12),
    Column("benefit_per_wan", "单位投资效益", "Benefit per 10k CNY", "0.00E+00", 12),
    Column("reason", "入选理由", "Reason", width=60),
]
SUMMARY_COLUMNS = [
    Column("parcels", "地块数", "Parcels", COUNT, 9),
    Column("area_mu", "面积(亩)", "Area (mu)", COUNT, 11),
    Column("area_hm2", "面积(公顷)", "Area (hm²)", AREA, 11),
    Column("total_cost_wan", "投资(按开工年,万元)", "Cost by start year (10k CNY)", MONEY, 14),
    Column("water_wan_m3_per_yr", "新增用水(万m³/年)", "New water (10k m³/yr)", "#,##0.0", 12),
    *BENEFIT_COLUMNS,
]
YEAR_COLUMNS = [
    Column("spend", "当年支出(万元)", "Spend in year (10k CNY)", MONEY, 13),
    Column("budget", "可用预算(万元)", "Budget available (10k CNY)", MONEY, 13),
    Column("water_use", "当年用水(万m³)", "Water use in year (10k m³)", MONEY, 13),
    Column("water_limit", "用水上限(万m³)", "Water limit (10k m³)", MONEY, 13),
]


def priority_lists(plan: Plan, region: Region) -> pd.DataFrame:
    """The chosen options with bilingual labels, units, unit ids and a rank per year."""
    chosen = plan.chosen.copy()
    years = [c for c in chosen.columns if c.startswith("cost_2")]
    water_years = [c for c in chosen.columns if c.startswith("water_2")]
    chosen["total_cost_wan"] = chosen[years].sum(axis=1) + chosen["cost_after_horizon"]
    chosen["water_wan_m3_per_yr"] = (chosen[water_years].max(axis=1) if water_years
                                     else 0.0)
    chosen["area_mu"] = chosen["area_km2"] * MU_PER_KM2
    chosen["area_hm2"] = chosen["area_km2"] * HM2_PER_KM2
    counties, zones = county_names(region), zone_names(region)
    chosen["county_zh"] = label_column(chosen["county"].astype(str), counties, 0)
    chosen["county_en"] = label_column(chosen["county"].astype(str), counties, 1)
    chosen["zone_zh"] = label_column(chosen["zone"], zones, 0)
    chosen["zone_en"] = label_column(chosen["zone"], zones, 1)
    chosen["action_label"] = chosen["action_zh"] + " " + chosen["action_en"]
    chosen["project_label"] = (chosen["project_id"].fillna("") + " "
                               + chosen["project_zh"].fillna("")).str.strip()
    chosen["benefit_per_wan"] = chosen["value"] / chosen["total_cost_wan"].where(
        chosen["total_cost_wan"] > 0)
    required = chosen["reason"].fillna("").str.contains("mandatory|target", regex=True)
    chosen["_required"] = required
    chosen = chosen.sort_values(["start_year", "_required", "benefit_per_wan", "value"],
                                ascending=[True, False, False, False], na_position="first")
    chosen["rank"] = chosen.groupby("start_year").cumcount() + 1
    chosen["unit_id"] = unit_ids(chosen, region.parcels)
    return chosen.drop(columns="_required").reset_index(drop=True)


def _totals(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    sums = frame.groupby(by)[[c.key for c in SUMMARY_COLUMNS if c.key != "parcels"]].sum()
    sums.insert(0, "parcels", frame.groupby(by).size())
    return sums


def _style_header(ws: Worksheet, row: int, columns: list[Column], first_col: int = 1) -> None:
    fill = PatternFill("solid", fgColor="DDEBF7")
    for k, column in enumerate(columns, start=first_col):
        cell = ws.cell(row=row, column=k, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[row].height = 42


def _write_rows(ws: Worksheet, row: int, frame: pd.DataFrame, columns: list[Column],
                first_col: int = 1) -> int:
    for record in frame.itertuples(index=False):
        values = record._asdict()
        for k, column in enumerate(columns, start=first_col):
            value = values[column.key]
            if isinstance(value, np.generic):
                value = value.item()
            if isinstance(value, float) and np.isnan(value):
                value = None
            cell = ws.cell(row=row, column=k, value=value)
            cell.number_format = column.number_format
        row += 1
    return row


def _print_ready(ws: Worksheet, columns: list[Column], header_row: int) -> None:
    for k, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = column.width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def _year_sheet(wb: Workbook, year: int, rows: pd.DataFrame) -> None:
    ws = wb.create_sheet(f"{year}年")
    ws.cell(row=1, column=1, value=f"{year}年度生态修复优先项目清单 Priority list {year}"
            ).font = Font(bold=True, size=13)
    _style_header(ws, 2, LIST_COLUMNS)
    _write_rows(ws, 3, rows, LIST_COLUMNS)
    _print_ready(ws, LIST_COLUMNS, 2)
    ws.auto_filter.ref = f"A2:{get_column_letter(len(LIST_COLUMNS))}{len(rows) + 2}"


def _summary_sheet(wb: Workbook, lists: pd.DataFrame, plan: Plan) -> None:
    ws = wb.create_sheet("汇总 Summary", 1)
    ws.cell(row=1, column=1, value="生态修复规划方案汇总 Plan summary").font = Font(
        bold=True, size=13)
    key = Column("key", "", "")
    row = 3
    by_year = _totals(lists, "start_year")
    years = plan.years.set_index("year")
    budget = years["budget_available"] if "budget_available" in years else years["budget"]
    by_year = by_year.join(pd.DataFrame({"spend": years["spend"], "budget": budget,
                                         "water_use": years["water_use"],
                                         "water_limit": years["water_limit"]}), how="outer")
    tables = [
        ("按年度 By year (开工年 start year)", Column("key", "年度", "Year", "0", 16),
         by_year, SUMMARY_COLUMNS + YEAR_COLUMNS),
        ("按区县 By county", Column("key", "区县", "County", width=16),
         _totals(lists, "county_zh"), SUMMARY_COLUMNS),
        ("按分区 By zone", Column("key", "分区", "Zone", width=16),
         _totals(lists, "zone_zh"), SUMMARY_COLUMNS),
        ("按重点工程/项目 By plan project", Column("key", "所属重点工程/项目", "Plan project",
                                               width=16),
         _totals(lists.assign(project_label=lists["project_label"].replace("", "(无 none)")),
                 "project_label"), SUMMARY_COLUMNS),
    ]
    for title, key, table, columns in tables:
        ws.cell(row=row, column=1, value=title).font = Font(bold=True)
        _style_header(ws, row + 1, [key, *columns])
        frame = table.reset_index().rename(columns={table.index.name or "index": "key"})
        row = _write_rows(ws, row + 2, frame, [key, *columns])
        total = frame[[c.key for c in columns]].sum()
        ws.cell(row=row, column=1, value="合计 Total").font = Font(bold=True)
        for k, column in enumerate(columns, start=2):
            if column.key in ("budget", "water_limit") and title.startswith("按年度"):
                continue
            cell = ws.cell(row=row, column=k, value=float(total[column.key]))
            cell.number_format, cell.font = column.number_format, Font(bold=True)
        row += 3
    _print_ready(ws, [key, *SUMMARY_COLUMNS, *YEAR_COLUMNS], 4)
    ws.column_dimensions["A"].width = 34
    ws.freeze_panes = None


UNIT_COLUMNS = [
    Column("unit_id", "项目单元", "Project unit", width=22),
    Column("start_year", "开工年", "Start year", "0", 8),
    Column("action_zh", "措施", "Action", width=16),
    Column("action_en", "措施(英)", "Action (en)", width=24),
    Column("project_label", "所属重点工程/项目", "Plan project", width=30),
    Column("county_zhs", "区县", "Counties", width=14),
    Column("zone_zhs", "分区", "Zones", width=30),
    Column("parcels", "地块数", "Parcels", COUNT, 8),
    Column("area_mu", "面积(亩)", "Area (mu)", COUNT, 10),
    Column("area_hm2", "面积(公顷)", "Area (hm²)", AREA, 10),
    Column("total_cost_wan", "总投资(万元)", "Total cost (10k CNY)", MONEY, 12),
    Column("water_wan_m3_per_yr", "用水(万m³/年)", "Water (10k m³/yr)", "#,##0.00", 11),
    *BENEFIT_COLUMNS,
    Column("centroid_lon", "中心经度", "Centroid lon", "0.00000", 11),
    Column("centroid_lat", "中心纬度", "Centroid lat", "0.00000", 11),
    Column("extent", "范围(经纬度)", "Extent lon/lat", width=36),
    Column("parcel_ids", "地块编号", "Parcel IDs", width=40),
]


def _units_frame(lists: pd.DataFrame, region: Region) -> gpd.GeoDataFrame:
    units = project_units(lists, region.parcels)
    units["area_mu"] = units["area_km2"] * MU_PER_KM2
    units["area_hm2"] = units["area_km2"] * HM2_PER_KM2
    units["project_label"] = (units["project_id"].fillna("") + " "
                              + units["project_zh"].fillna("")).str.strip()
    return units


def _notes_sheet(wb: Workbook, plan: Plan) -> None:
    ws = wb.active
    ws.title = "说明 Notes"
    r = plan.result
    gap = "n/a" if r.gap is None else f"{r.gap:.3%}"
    lines = [
        ("吐鲁番市国土空间生态修复 年度优先项目清单", "Turpan ecological restoration: "
         "annual priority lists"),
        ("排序", "Rank: mandatory works and options a target needs first, then benefit per "
         "10k CNY (weighted benefit to the evaluation year ÷ total cost)."),
        ("面积", "Area: 1 km² = 100 公顷 hm² = 1,500 亩 mu."),
        ("投资", "Total cost: the option's whole cost (万元 = 10k CNY), listed in its start "
         "year; 当年支出 on the summary sheet is what is paid in each year."),
        ("用水", "Water: the option's largest yearly water need (万m³/年); negative = water "
         "freed by water-saving irrigation."),
        ("效益", "Benefits per criterion are MODELLED estimates at maturity (see "
         "data/README.md and docs/criteria.md), not measurements."),
        ("项目单元", "Project unit: adjacent parcels with the same action and start year."),
        ("求解", f"Solver {r.solver}: {r.status}, objective {r.objective:.6g}, gap {gap}."),
    ]
    for k, (zh, en) in enumerate(lines, start=1):
        ws.cell(row=k, column=1, value=zh).font = Font(bold=k == 1)
        ws.cell(row=k, column=2, value=en)
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 110


def write_priorities(folder: Path, plan: Plan, region: Region) -> list[Path]:
    """Write priorities.xlsx, priorities.csv, project_units.csv and priorities.gpkg into
    ``folder`` (a temporary folder the caller renames into place)."""
    lists = priority_lists(plan, region)
    units = _units_frame(lists, region)
    wb = Workbook()
    _notes_sheet(wb, plan)
    _summary_sheet(wb, lists, plan)
    for year, rows in lists.groupby("start_year"):
        _year_sheet(wb, int(year), rows)
    ws = wb.create_sheet("项目单元 Project units")
    _style_header(ws, 1, UNIT_COLUMNS)
    _write_rows(ws, 2, units, UNIT_COLUMNS)
    _print_ready(ws, UNIT_COLUMNS, 1)
    paths = [folder / "priorities.xlsx", folder / "priorities.csv",
             folder / "project_units.csv", folder / "priorities.gpkg"]
    wb.save(paths[0])
    columns = ["start_year", *[c.key for c in LIST_COLUMNS]]
    headers = ["开工年\nStart year", *[c.header for c in LIST_COLUMNS]]
    csv_frame = lists[columns].set_axis([h.replace("\n", " ") for h in headers], axis=1)
    csv_frame.to_csv(paths[1], index=False, encoding="utf-8-sig")
    unit_table = units.drop(columns="geometry")[[c.key for c in UNIT_COLUMNS]]
    unit_table.set_axis([c.header.replace("\n", " ") for c in UNIT_COLUMNS], axis=1).to_csv(
        paths[2], index=False, encoding="utf-8-sig")
    layer_columns = ["parcel_id", "start_year", "rank", "county_zh", "county_en", "zone_zh",
                     "action", "action_zh", "action_en", "project_id", "project_zh", "unit_id",
                     "area_mu", "area_hm2", "total_cost_wan", "water_wan_m3_per_yr",
                     *[f"benefit_{c}" for c in CRITERIA], "score", "benefit_per_wan", "reason"]
    geometry = region.parcels[["parcel_id", "geometry"]]
    for year, rows in lists.groupby("start_year"):
        layer = geometry.merge(rows[layer_columns], on="parcel_id")
        gpd.GeoDataFrame(layer, crs=region.parcels.crs).to_file(
            paths[3], layer=f"priorities_{int(year)}", driver="GPKG")
    unit_layer = ["unit_id", "area_km2", *[c.key for c in UNIT_COLUMNS if c.key != "unit_id"]]
    units[[*unit_layer, "geometry"]].to_file(paths[3], layer="project_units", driver="GPKG")
    return paths
