"""Annual priority lists (年度优先项目清单) for funding applications.

``write_priorities`` writes into a result folder:

* ``priorities.xlsx``: 说明 Notes (what every column means), 汇总 Summary (by year, county,
  zone and plan project), one ranked sheet per horizon year (``2027年``…) and 项目单元
  Project units; bilingual headers (Chinese first), number formats, units in the headers,
  frozen header, A4 landscape fitted to the page width with the header row repeated on
  every printed page and page numbers in the footer;
* ``priorities.csv`` and ``project_units.csv``: the same lists, UTF-8 with a byte-order
  mark so that Excel opens the Chinese text correctly;
* ``priorities.gpkg``: one layer per year (``priorities_2027``…) with the parcel polygons
  and ``project_units`` with the dissolved units, ASCII field names for QGIS and ArcGIS.

Ranking within a year: mandatory works and options that a target needs come first (they
are commitments, funded whatever their return), then by benefit per 万元 (the option's
weighted benefit to the evaluation year divided by its total cost), highest first: the
order in which a funding body gets the most for its money. Ties go to the larger benefit.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.plan import Plan
from outputs.labels import HM2_PER_KM2, MU_PER_KM2, county_names, label_column, zone_names
from outputs.project_units import project_units, unit_ids
from region.io import Region
from region.schema import CRITERIA, CRITERION_LABELS

#: Short unit of each criterion's benefit (criteria/options.py CRITERION_UNITS in full).
CRITERION_UNITS_SHORT = {"sand": "t/年", "water": "万m³/年", "bio": "km²·质量",
                         "mine": "km²·风险", "carbon": "tC/年"}
BENEFIT_FORMATS = {"sand": "#,##0", "water": "#,##0.00", "bio": "#,##0.000",
                   "mine": "#,##0.000", "carbon": "#,##0.0"}


@dataclass(frozen=True)
class Column:
    """One column of a table: data key, Chinese and English header, Excel number format,
    width (in characters), whether text wraps, whether a total row sums it, and a note
    for the 说明 Notes sheet."""

    key: str
    zh: str
    en: str
    number_format: str = "General"
    width: float = 10.0
    wrap: bool = False
    summed: bool = False
    note: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh}\n{self.en}"


MU, HM2, MONEY, WATER, COUNT = "#,##0", "#,##0.0", "#,##0.0", "#,##0.0", "#,##0"
BENEFIT_COLUMNS = [
    Column(f"expected_{c}", f"{CRITERION_LABELS[c][0]}({CRITERION_UNITS_SHORT[c]})",
           CRITERION_LABELS[c][1], BENEFIT_FORMATS[c], 12, summed=True,
           note="模型估算的成熟期年效益×成活率（估算值，非实测） | modelled yearly benefit at "
                "maturity × survival (an estimate, not a measurement)")
    for c in CRITERIA]
AREA_COLUMNS = [
    Column("area_mu", "面积(亩)", "Area (mu)", MU, 11, summed=True, note="1 km² = 1,500 亩"),
    Column("area_hm2", "面积(公顷)", "Area (hm²)", HM2, 10, summed=True,
           note="1 km² = 100 公顷 hm²"),
]
COST = Column("total_cost_wan", "总投资(万元)", "Total cost (10k CNY)", MONEY, 11, summed=True,
              note="措施全部投资（含分年及规划期后部分），列在开工年 | the option's whole cost, "
                   "every instalment (also after the horizon), listed in its start year")
WATER_USE = Column("water_wan_m3_per_yr", "用水(万m³/年)", "Water (10k m³/yr)", WATER, 9,
                   summed=True,
                   note="实施后每年用水；负值为节水灌溉节约的水量 | yearly water need once "
                        "started; negative = water freed by water-saving irrigation")
SCORE = Column("score_pct", "综合得分(占方案%)", "Score (% of plan benefit)", "0.000", 10,
               summed=True,
               note="加权效益（至评估年，含滞后、成长期、成活率）占全方案目标值的百分比 | weighted "
                    "benefit to the evaluation year (lag, ramp-up, survival) as % of the "
                    "plan's objective")
PER_MONEY = Column("pct_per_1000_wan", "单位投资效益(%/千万元)", "Benefit per 10M CNY (%)",
                   "0.00", 10,
                   note="综合得分÷总投资×1,000，排序依据，与报告中预算影子价格同单位 | score ÷ "
                        "total cost × 1,000: the ranking key, in the unit of the budget "
                        "shadow price in report.html")
LIST_COLUMNS = [
    Column("rank", "优先序", "Rank", "0", 6,
           note="年度内排序：必须实施和目标所需在前，其余按单位投资效益从高到低 | order in "
                "the year: mandatory works and options a target needs first, then by "
                "benefit per 1,000万元"),
    Column("parcel_id", "地块编号", "Parcel ID", "0", 8,
           note="与 plan.csv、priorities.gpkg 一致 | as in plan.csv and priorities.gpkg"),
    Column("county_zh", "区县", "County", width=8),
    Column("zone_zh", "分区", "Zone", width=16, wrap=True, note="生态修复分区 | restoration zone"),
    Column("action_label", "措施", "Action", width=16, wrap=True),
    Column("project_label", "所属重点工程/项目", "Plan project", width=18, wrap=True,
           note="规划重点工程/项目（编号 名称）| the plan's key project (id, name)"),
    Column("unit_id", "项目单元", "Project unit", width=10,
           note="开工年-序号，年内按综合得分从高到低编号，见“项目单元”表 | start year-number, "
                "numbered by score within the year; see the Project units sheet"),
    *AREA_COLUMNS, COST, WATER_USE, *BENEFIT_COLUMNS, SCORE, PER_MONEY,
    Column("reason", "入选理由", "Reason", width=34, wrap=True,
           note="主要效益来源、必须实施、目标、生态廊道 | leading criteria, mandatory, "
                "targets, corridors"),
]
SUMMARY_COLUMNS = [
    Column("parcels", "地块数", "Parcels", COUNT, 8, summed=True),
    *AREA_COLUMNS,
    Column("total_cost_wan", "投资(按开工年,万元)", "Cost by start year (10k CNY)", MONEY, 11,
           summed=True),
    Column("water_wan_m3_per_yr", "新增用水(万m³/年)", "New water (10k m³/yr)", WATER, 10,
           summed=True),
    *BENEFIT_COLUMNS, SCORE,
]
YEAR_COLUMNS = [
    Column("spend", "当年支出(万元)", "Spend in year (10k CNY)", MONEY, 11, summed=True),
    Column("budget", "可用预算(万元)", "Budget available (10k CNY)", MONEY, 11),
    Column("water_use", "当年用水(万m³)", "Water use in year (10k m³)", WATER, 11, summed=True),
    Column("water_limit", "用水上限(万m³)", "Water limit (10k m³)", WATER, 11),
]
UNIT_COLUMNS = [
    Column("unit_id", "项目单元", "Project unit", width=10),
    Column("start_year", "开工年", "Start year", "0", 7),
    Column("action_label", "措施", "Action", width=16, wrap=True),
    Column("project_label", "所属重点工程/项目", "Plan project", width=18, wrap=True),
    Column("county_zhs", "区县", "Counties", width=10, wrap=True),
    Column("zone_zhs", "分区", "Zones", width=16, wrap=True),
    Column("parcels", "地块数", "Parcels", COUNT, 7, summed=True),
    *AREA_COLUMNS, COST, WATER_USE, *BENEFIT_COLUMNS, SCORE,
    Column("centroid_lon", "中心经度", "Centroid lon", "0.00000", 9),
    Column("centroid_lat", "中心纬度", "Centroid lat", "0.00000", 9),
    Column("west", "西界经度", "West lon", "0.00000", 9, note="范围 extent (bbox), WGS84"),
    Column("south", "南界纬度", "South lat", "0.00000", 9),
    Column("east", "东界经度", "East lon", "0.00000", 9),
    Column("north", "北界纬度", "North lat", "0.00000", 9),
    Column("parcel_ids", "地块编号", "Parcel IDs", width=18, wrap=True),
]
UNIT_SUMMED = [c.key for c in UNIT_COLUMNS if c.summed and c.key != "parcels"] + [
    "area_km2", "value"]
LAYER_FIELDS = ["parcel_id", "start_year", "rank", "county", "county_zh", "county_en", "zone",
                "zone_zh", "zone_en", "action", "action_zh", "action_en", "project_id",
                "project_zh", "project_en", "unit_id", "area_mu", "area_hm2", "total_cost_wan",
                "water_wan_m3_per_yr", *[f"expected_{c}" for c in CRITERIA], "score_pct",
                "pct_per_1000_wan", "required", "reason"]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
LINE_PT = 16.0  # row height per line of 11 pt text, CJK fonts' line spacing included
NOTES, SUMMARY, UNITS = "说明 Notes", "汇总 Summary", "项目单元 Project units"


def priority_lists(plan: Plan, region: Region) -> pd.DataFrame:
    """The chosen options with bilingual labels, areas in 亩 and hm², total cost, yearly
    water, expected benefits, score, project unit and rank per start year, sorted by year
    and rank."""
    chosen = plan.chosen.copy()
    for column in ("project_id", "project_zh", "project_en"):  # a region without projects
        if column not in chosen:
            chosen[column] = ""
    years = plan.years["year"].astype(int).tolist()
    cost = chosen[[f"cost_{y}" for y in years]].sum(axis=1) + chosen["cost_after_horizon"]
    water = chosen[[f"water_{y}" for y in years]].to_numpy(float)
    chosen["total_cost_wan"] = cost
    chosen["water_wan_m3_per_yr"] = water[np.arange(len(water)), np.abs(water).argmax(axis=1)]
    chosen["area_mu"] = chosen["area_km2"] * MU_PER_KM2
    chosen["area_hm2"] = chosen["area_km2"] * HM2_PER_KM2
    for c in CRITERIA:
        chosen[f"expected_{c}"] = chosen[f"benefit_{c}"] * chosen["survival"]
    counties, zones = county_names(region), zone_names(region)
    chosen["county"] = chosen["county"].astype(str)
    for language, suffix in enumerate(("zh", "en")):
        chosen[f"county_{suffix}"] = label_column(chosen["county"], counties, language)
        chosen[f"zone_{suffix}"] = label_column(chosen["zone"], zones, language)
    chosen["action_label"] = chosen["action_zh"] + " " + chosen["action_en"]
    chosen["project_label"] = _project_label(chosen)
    total = plan.result.objective or float(chosen["value"].sum())
    chosen["score_pct"] = chosen["value"] * 100.0 / total if total else np.nan
    value = chosen["value"].to_numpy(float)
    chosen["benefit_per_wan"] = np.divide(value, cost.to_numpy(float),
                                          out=np.full(len(value), np.inf), where=cost > 0)
    chosen["pct_per_1000_wan"] = chosen["benefit_per_wan"] * 1000 * 100.0 / total \
        if total else np.nan
    chosen = chosen.sort_values(["start_year", "required", "benefit_per_wan", "value",
                                 "parcel_id"], ascending=[True, False, False, False, True])
    chosen["rank"] = chosen.groupby("start_year").cumcount() + 1
    chosen["unit_id"] = unit_ids(chosen, region.parcels)
    return chosen.reset_index(drop=True)


def _project_label(frame: pd.DataFrame) -> pd.Series:
    """"<project id> <Chinese name>", empty when the option belongs to no plan project."""
    return (frame["project_id"].fillna("") + " " + frame["project_zh"].fillna("")).str.strip()


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide (East Asian
    wide characters count twice, as in Excel's CJK fonts). Spreadsheets do not
    size wrapped rows on opening, so rows get this height to print all their text."""
    chars = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, math.ceil(chars / max(width - 1.0, 1.0)))


def _header(ws: Worksheet, row: int, columns: list[Column]) -> None:
    for k, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=k, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    lines = max(_lines(column.zh, column.width) + _lines(column.en, column.width)
                for column in columns)
    ws.row_dimensions[row].height = LINE_PT * lines + 4


def _value(value: object) -> object:
    """A cell value: numpy scalars as Python ones, NaN and NA as empty cells."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value if isinstance(value, int | float | str | bool) else str(value)


def _rows(ws: Worksheet, row: int, frame: pd.DataFrame, columns: list[Column]) -> int:
    """Write ``frame``'s columns from ``row`` on; wrapped rows get a height that fits their
    longest text (so that the printed list shows it all). Returns the next free row."""
    top, wrapped = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True,
                                                         indent=1)
    for values in frame[[c.key for c in columns]].itertuples(index=False):
        lines = 1
        for k, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(row=row, column=k, value=_value(value))
            cell.number_format = column.number_format
            cell.alignment = wrapped if column.wrap else top
            cell.border = GRID
            if column.wrap and isinstance(value, str):
                lines = max(lines, _lines(value, column.width - 1))  # 1 for the indent
        if lines > 1:
            ws.row_dimensions[row].height = LINE_PT * lines
        row += 1
    return row


def _total_row(ws: Worksheet, row: int, frame: pd.DataFrame, columns: list[Column],
               label: str) -> None:
    ws.cell(row=row, column=1, value=label).font = Font(bold=True)
    for k, column in enumerate(columns, start=1):
        if column.summed and column.key in frame:
            cell = ws.cell(row=row, column=k, value=float(frame[column.key].sum()))
            cell.number_format, cell.font = column.number_format, Font(bold=True)


def _page_setup(ws: Worksheet, columns: list[Column], header_row: int | None,
                freeze: str | None) -> None:
    """Column widths; A4 landscape fitted to the page width, the header row repeated on
    every page, the sheet name and page numbers in the header and footer."""
    for k, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = column.width
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.horizontalCentered = True
    ws.oddHeader.left.text = "&A"
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页  Page &P of &N"
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = freeze


def _title(ws: Worksheet, text: str) -> None:
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=13)


def _list_sheet(wb: Workbook, name: str, title: str, rows: pd.DataFrame,
                columns: list[Column], freeze: str) -> None:
    """A ranked list: title, header on row 2, one row per entry, a total row."""
    ws = wb.create_sheet(name)
    _title(ws, title)
    _header(ws, 2, columns)
    end = _rows(ws, 3, rows, columns)
    if rows.empty:
        ws.cell(row=end, column=1, value="无 None")
    else:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{end - 1}"
        _total_row(ws, end, rows, columns, f"合计 Total: {len(rows)} 项 entries")
    _page_setup(ws, columns, 2, freeze)


def _totals(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = [c.key for c in SUMMARY_COLUMNS if c.key != "parcels"]
    sums = frame.groupby(by)[keys].sum()
    sums.insert(0, "parcels", frame.groupby(by).size())
    return sums


def _summary_sheet(wb: Workbook, lists: pd.DataFrame, plan: Plan) -> None:
    """Totals by start year (with spend and water in each year against the limits), by
    county, by zone and by plan project, each with a total row."""
    ws = wb.create_sheet(SUMMARY)
    _title(ws, "生态修复规划方案汇总 Plan summary")
    ws.cell(row=2, column=1, value=(
        "投资(按开工年)=当年开工措施的全部投资；当年支出=该年实际支付(含往年开工措施的分期)。 "
        "Cost by start year = whole cost of the options starting that year; spend in year = "
        "what is paid that year, instalments of earlier starts included."))
    years = plan.years.set_index("year")
    limits = pd.DataFrame({"spend": years["spend"],
                           "budget": years.get("budget_available", years["budget"]),
                           "water_use": years["water_use"],
                           "water_limit": years["water_limit"]})
    by_year = _totals(lists, "start_year").reindex(years.index).fillna(0.0).join(limits)
    by_year["parcels"] = by_year["parcels"].astype(int)
    projects = lists.assign(project_label=lists["project_label"].replace("", "(无 none)"))
    tables = [
        ("按年度 By year", Column("key", "年度", "Year", "0", 30), by_year,
         SUMMARY_COLUMNS + YEAR_COLUMNS),
        ("按区县 By county", Column("key", "区县", "County", width=30),
         _totals(lists, "county_zh"), SUMMARY_COLUMNS),
        ("按分区 By zone", Column("key", "分区", "Zone", width=30, wrap=True),
         _totals(lists, "zone_zh"), SUMMARY_COLUMNS),
        ("按重点工程/项目 By plan project",
         Column("key", "所属重点工程/项目", "Plan project", width=30, wrap=True),
         _totals(projects, "project_label"), SUMMARY_COLUMNS),
    ]
    row = 4
    for caption, key, table, columns in tables:
        ws.cell(row=row, column=1, value=caption).font = Font(bold=True)
        _header(ws, row + 1, [key, *columns])
        frame = table.rename_axis("key").reset_index()
        row = _rows(ws, row + 2, frame, [key, *columns])
        _total_row(ws, row, frame, [key, *columns], "合计 Total")
        row += 3
    _page_setup(ws, [tables[0][1], *SUMMARY_COLUMNS, *YEAR_COLUMNS], None, None)


def _notes_sheet(wb: Workbook, plan: Plan) -> None:
    """What the workbook is, how it ranks, the units, and what every column means."""
    ws = wb.active
    ws.title = NOTES
    r = plan.result
    gap = "n/a" if r.gap is None else f"{r.gap:.3%}"
    objective = "n/a" if r.objective is None else f"{r.objective:.6g}"
    general = [
        ("排序 Ranking", "年度内：必须实施和目标所需的措施在前，其余按单位投资效益"
         "（综合得分÷总投资）从高到低。Within a year: mandatory works and options a "
         "target needs first, then by benefit per 1,000万元 (score ÷ total cost), highest first."),
        ("单位 Units", "1 km² = 100 公顷 hm² = 1,500 亩 mu；万元 = 10,000 CNY；万m³ = 10,000 m³。"),
        ("投资 Cost", "清单中的总投资为措施全部投资，列在开工年；汇总表的当年支出为各年实际支付。"
         "Lists show each option's whole cost in its start year; the summary's spend in "
         "year is what is paid in each year."),
        ("效益 Benefits", "各项效益均为模型估算值（见 data/README.md、docs/criteria.md），"
         "不是实测值。Benefits are MODELLED estimates (data/README.md, docs/criteria.md), "
         "not measurements."),
        ("项目单元 Units", "同一开工年、同一措施、相邻（共边）地块组成一个项目单元，可整体申报。"
         "Adjacent parcels (sharing a side) with the same action and start year form one "
         "project unit, to apply for as one project."),
        ("求解 Solve", f"{r.solver}: {r.status}; objective {objective}; gap {gap}."),
    ]
    glossary = [(column.header.replace("\n", " "), column.note)
                for column in dict.fromkeys([*LIST_COLUMNS, *SUMMARY_COLUMNS, *UNIT_COLUMNS])
                if column.note]
    rows = pd.DataFrame([*general, ("", ""), ("列 Column", "说明 Meaning"), *glossary],
                        columns=["topic", "text"])
    columns = [Column("topic", "", "", width=34, wrap=True),
               Column("text", "", "", width=110, wrap=True)]
    _title(ws, "吐鲁番市国土空间生态修复 年度优先项目清单 Annual priority lists")
    _rows(ws, 3, rows, columns)
    heading = 3 + len(general) + 1  # the glossary's heading, after a blank row
    for row in [*range(3, 3 + len(general)), heading]:
        ws.cell(row=row, column=1).font = Font(bold=True)
    ws.cell(row=heading, column=2).font = Font(bold=True)
    _page_setup(ws, columns, None, None)


def _units_frame(lists: pd.DataFrame, region: Region) -> gpd.GeoDataFrame:
    units = project_units(lists, region.parcels, UNIT_SUMMED)
    units["action_label"] = units["action_zh"] + " " + units["action_en"]
    units["project_label"] = _project_label(units)
    return units


def _csv(frame: pd.DataFrame, columns: list[Column], path: Path) -> None:
    """A list as CSV: single-line bilingual headers, UTF-8 with BOM for Excel."""
    table = frame[[c.key for c in columns]]
    table.set_axis([c.header.replace("\n", " ") for c in columns], axis=1).to_csv(
        path, index=False, encoding="utf-8-sig", float_format="%.10g")


def write_priorities(folder: Path, plan: Plan, region: Region) -> list[Path]:
    """Write priorities.xlsx, priorities.csv, project_units.csv and priorities.gpkg into
    ``folder`` (a temporary folder the caller renames into place); return their paths."""
    lists = priority_lists(plan, region)
    units = _units_frame(lists, region)
    years = plan.years["year"].astype(int).tolist()
    wb = Workbook()
    _notes_sheet(wb, plan)
    _summary_sheet(wb, lists, plan)
    for year in years:
        _list_sheet(wb, f"{year}年", f"{year}年度生态修复优先项目清单 Priority list {year}",
                    lists[lists["start_year"] == year], LIST_COLUMNS, "C3")
    _list_sheet(wb, UNITS, "项目单元（相邻、同措施、同开工年的地块）Project units: adjacent "
                "parcels with the same action and start year", units, UNIT_COLUMNS, "B3")
    paths = [folder / "priorities.xlsx", folder / "priorities.csv",
             folder / "project_units.csv", folder / "priorities.gpkg"]
    wb.save(paths[0])
    _csv(lists, [Column("start_year", "开工年", "Start year"), *LIST_COLUMNS], paths[1])
    _csv(units, UNIT_COLUMNS, paths[2])
    geometry = region.parcels[["parcel_id", "geometry"]]
    for year in years:
        layer = lists.loc[lists["start_year"] == year, LAYER_FIELDS].merge(
            geometry, on="parcel_id")  # in rank order
        gpd.GeoDataFrame(layer, geometry="geometry", crs=region.parcels.crs).to_file(
            paths[3], layer=f"priorities_{year}", driver="GPKG")
    unit_fields = [c.key for c in UNIT_COLUMNS] + ["action", "area_km2", "geometry"]
    units[unit_fields].to_file(paths[3], layer="project_units", driver="GPKG")
    return paths
