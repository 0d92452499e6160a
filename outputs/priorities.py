"""Annual priority lists (年度优先项目清单) for funding applications.

``write_priorities`` writes into a result folder:

* ``priorities.xlsx``: 说明 Notes (rules, units, sources, what every column means), 汇总
  Summary (by year with the limit that binds, county, zone and plan project, areas in 万亩;
  each criterion's share of the weighted benefit and of the region's potential; the
  plan's indicators; funding by level; project-unit sizes), one ranked sheet per horizon
  year (``2027年``…) with the project-library columns (乡镇, 建设内容及规模, 资金来源, 责任单位,
  建设期限, 绩效目标: outputs/library.py) and 项目单元 Project units; bilingual headers
  (Chinese first), number formats, units in the headers, frozen header, A4 landscape
  fitted to the page width with the header row repeated on every printed page;
* ``priorities.csv`` and ``project_units.csv``: the same lists, UTF-8 with a byte-order
  mark so that Excel opens the Chinese text correctly;
* ``priorities.gpkg``: one layer per year (``priorities_2027``…) with the parcel polygons
  and ``project_units`` with the dissolved units, ASCII field names for QGIS and ArcGIS,
  in the parcels' CRS (``solve.py run --crs``).

Columns that carry a physical unit (t/年, 万m³/年 …) hold the model's physical quantity at
maturity after survival; weights, bonuses and the normalisation live only in the score
columns (综合得分 and its part per criterion: outputs/explain.py).

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
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from criteria.corridors import CorridorAnalysis
from optimizer.plan import Plan
from outputs.explain import criterion_shares, dominance_lines, normalisation_rule, plan_benefit
from outputs.indicators import plan_indicators
from outputs.labels import (
    HM2_PER_KM2,
    MU_PER_KM2,
    MU_PER_WAN_MU,
    area_text,
    county_names,
    label_column,
    zone_names,
)
from outputs.library import LEVELS, add_library_columns, library_path, load_library
from outputs.limits import limits_by_year
from outputs.project_units import MAX_KM2, project_units, size_distribution, unit_ids
from outputs.reasons import reasons
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
WAN_MU = "#,##0.00"
BENEFIT_COLUMNS = [
    Column(f"expected_{c}", f"{CRITERION_LABELS[c][0]}({CRITERION_UNITS_SHORT[c]})",
           CRITERION_LABELS[c][1], BENEFIT_FORMATS[c], 12, summed=True,
           note="模型估算的物理量：成熟期年效益×成活率（有使用年限的措施如草方格沙障为使用年限内），"
                "不含权重、优先系数与归一化（估算值，非实测） | the model's physical quantity: "
                "yearly benefit at maturity × survival (while it lasts, for works with a "
                "lifetime such as straw checkerboards), without weights, priority factors or "
                "normalisation (an estimate, not a measurement)")
    for c in CRITERIA]
AREA_COLUMNS = [
    Column("area_mu", "面积(亩)", "Area (mu)", MU, 10, summed=True, note="1 km² = 1,500 亩"),
    Column("area_hm2", "面积(公顷)", "Area (hm²)", HM2, 10, summed=True,
           note="1 km² = 100 公顷 hm²"),
]
WAN_MU_AREA = Column("area_wan_mu", "面积(万亩)", "Area (10k mu)", WAN_MU, 10, summed=True,
                     note="1 万亩 = 10,000 亩 = 6.667 km²；1万亩以上的面积以万亩计")
COST = Column("total_cost_wan", "总投资(万元)", "Total cost (10k CNY)", MONEY, 11, summed=True,
              note="措施全部投资（含分年及规划期后部分），列在开工年 | the option's whole cost, "
                   "every instalment (also after the horizon), listed in its start year")
FUND_COLUMNS = [
    Column(column, f"其中{label}(万元)", f"of which {en} (10k CNY)", MONEY, 10, summed=True,
           note="总投资×情景中该措施的资金分担比例（估算，见情景文件 [funding]） | total cost × "
                "the scenario's funding share of that level (estimates: the scenario's "
                "[funding] tables)")
    for (_, column, label), en in zip(LEVELS, ("central", "autonomous region", "city/county",
                                               "private"), strict=True)]
WATER_USE = Column("water_wan_m3_per_yr", "用水(万m³/年)", "Water (10k m³/yr)", WATER, 9,
                   summed=True,
                   note="实施后每年用水；负值为节水灌溉节约的水量 | yearly water need once "
                        "started; negative = water freed by water-saving irrigation")
SCORE = Column("score_pct", "综合得分(占方案%)", "Score (% of plan benefit)", "0.000", 10,
               summed=True,
               note="加权效益（按全域潜力归一化、乘权重，至评估年，含滞后、成长期、成活率）占全方案"
                    "加权效益（目标值）的百分比 | weighted benefit (normalised to the region's "
                    "potential, weighted, to the evaluation year with lag, ramp-up and "
                    "survival) as % of the plan's weighted benefit (its objective)")
SCORE_PARTS = [
    Column(f"score_{c}", f"得分:{CRITERION_LABELS[c][0]}(%)",
           f"Score: {CRITERION_LABELS[c][1]}", "0.000", 8, summed=True,
           note="该准则对综合得分的贡献，各准则之和=综合得分 | that criterion's part of the "
                "score; the parts add up to the score")
    for c in CRITERIA]
PER_MONEY = Column("pct_per_1000_wan", "单位投资效益(%/千万元)", "Benefit per 10M CNY (%)",
                   "0.00", 10,
                   note="综合得分÷总投资×1,000，排序依据，与报告中预算影子价格同单位 | score ÷ "
                        "total cost × 1,000: the ranking key, in the unit of the budget "
                        "shadow price in report.html")
LIBRARY_COLUMNS = [
    Column("works", "建设内容及规模", "Works and scale", width=20, wrap=True,
           note="措施及面积（1万亩以上以万亩计），矿山另列处数 | the works and their area "
                "(万亩 from 1 万亩), sites for mines"),
    Column("period", "建设期限", "Period", width=10,
           note="开工年至该措施投资的最后一年（措施目录 cost_years） | start year to the last "
                "year of the action's cost (catalogue cost_years)"),
]
FUNDING_TEXT = Column("funding", "资金来源", "Funding", width=22, wrap=True,
                      note="各级资金分担比例及常用渠道（来自情景 [funding]；“估算”表示无出处）| "
                           "shares by level and the usual channel (scenario [funding]; "
                           "'估算' = an estimate)")
DEPARTMENT = Column("department", "责任单位", "Lead department", width=18, wrap=True,
                    note="按规划第124行各部门分工确定牵头单位；规划未列的按相关法律的主管部门，"
                         "依据见 project_library.csv | lead department by the plan's division "
                         "of work (line 124); where the plan is silent, the department the "
                         "law assigns (basis in project_library.csv)")
PERFORMANCE = Column("performance", "绩效目标", "Performance targets", width=30, wrap=True,
                     note="措施的绩效指标及目标值：面积、成活率（措施目录）与模型估算的"
                          "成熟期效益 | "
                          "the action's indicators and values: area, survival (catalogue) "
                          "and the modelled mature benefits")
LIST_COLUMNS = [
    Column("rank", "优先序", "Rank", "0", 6,
           note="年度内排序：必须实施和目标所需在前，其余按单位投资效益从高到低 | order in "
                "the year: mandatory works and options a target needs first, then by "
                "benefit per 1,000万元"),
    Column("unit_id", "项目单元", "Project unit", width=10,
           note="开工年-序号，年内按综合得分从高到低编号，见“项目单元”表 | start year-number, "
                "numbered by score within the year; see the Project units sheet"),
    Column("parcel_id", "地块编号", "Parcel ID", "0", 8,
           note="与 plan.csv、priorities.gpkg 一致 | as in plan.csv and priorities.gpkg"),
    Column("county_zh", "区县", "County", width=8),
    Column("township_zh", "乡镇", "Township", width=10, wrap=True,
           note="地块所在乡镇（随地块数据提供；Turpan 数据按乡镇驻地位置模拟，见 data/README.md）"
                " | the parcel's township (from the parcel data; modelled from township "
                "seat locations in the shipped Turpan data: data/README.md)"),
    Column("zone_zh", "分区", "Zone", width=16, wrap=True, note="生态修复分区 | restoration zone"),
    Column("project_label", "所属重点工程/项目", "Plan project", width=18, wrap=True,
           note="规划重点工程/项目（编号 名称）| the plan's key project (id, name)"),
    Column("action_label", "措施", "Action", width=14, wrap=True),
    *LIBRARY_COLUMNS, *AREA_COLUMNS, COST, *FUND_COLUMNS, FUNDING_TEXT, DEPARTMENT,
    PERFORMANCE, WATER_USE, *BENEFIT_COLUMNS, SCORE, *SCORE_PARTS, PER_MONEY,
    Column("reason", "入选理由", "Reason", width=40, wrap=True,
           note="必须实施或目标要求；或年内单位投资效益名次及主导准则；所在生态廊道 | the rule "
                "or target requiring it; or its rank in benefit per 万元 and the criterion "
                "that drives it; the corridor it lies on or completes"),
]
SUMMARY_COLUMNS = [
    Column("parcels", "地块数", "Parcels", COUNT, 8, summed=True),
    WAN_MU_AREA, AREA_COLUMNS[1],
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
    Column("binds", "约束", "Binding limit", width=14, wrap=True,
           note="当年起约束作用的限额：资金、水、两者或均无（影子价格>0或用满99.5%） | the "
                "limit that binds that year: money, water, both or neither (shadow price > "
                "0 or ≥ 99.5 % used)"),
]
UNIT_COLUMNS = [
    Column("unit_id", "项目单元", "Project unit", width=10),
    Column("start_year", "开工年", "Start year", "0", 7),
    Column("county_zhs", "区县", "Counties", width=9, wrap=True),
    Column("township_zhs", "乡镇", "Townships", width=12, wrap=True),
    Column("zone_zhs", "分区", "Zones", width=16, wrap=True),
    Column("project_label", "所属重点工程/项目", "Plan project", width=18, wrap=True),
    Column("action_label", "措施", "Action", width=14, wrap=True),
    *LIBRARY_COLUMNS,
    Column("parcels", "地块数", "Parcels", COUNT, 7, summed=True),
    WAN_MU_AREA, AREA_COLUMNS[1], COST, *FUND_COLUMNS, FUNDING_TEXT, DEPARTMENT, PERFORMANCE,
    WATER_USE, *BENEFIT_COLUMNS, SCORE,
    Column("centroid_lon", "中心经度", "Centroid lon", "0.00000", 9,
           note="经纬度取输出坐标系（默认 WGS84；--crs EPSG:4490 为 CGCS2000） | lon/lat in "
                "the output CRS (WGS84 by default; CGCS2000 with --crs EPSG:4490)"),
    Column("centroid_lat", "中心纬度", "Centroid lat", "0.00000", 9),
    Column("west", "西界经度", "West lon", "0.00000", 9, note="范围 extent (bbox)"),
    Column("south", "南界纬度", "South lat", "0.00000", 9),
    Column("east", "东界经度", "East lon", "0.00000", 9),
    Column("north", "北界纬度", "North lat", "0.00000", 9),
    Column("parcel_ids", "地块编号", "Parcel IDs", width=18, wrap=True),
]
#: Columns summed over a unit's parcels (the text columns are rebuilt from the sums).
UNIT_SUMMED = ["area_km2", "area_hm2", "total_cost_wan", "water_wan_m3_per_yr", "value",
               "score_pct", "sites", "karez_count", *[f"expected_{c}" for c in CRITERIA]]
LAYER_FIELDS = ["parcel_id", "start_year", "rank", "county", "county_zh", "county_en",
                "township_zh", "township_en", "zone", "zone_zh", "zone_en", "action",
                "action_zh", "action_en", "project_id", "project_zh", "project_en", "unit_id",
                "works", "period", "area_mu", "area_hm2", "total_cost_wan",
                *[c.key for c in FUND_COLUMNS], "funding", "department", "performance",
                "water_wan_m3_per_yr", *[f"expected_{c}" for c in CRITERIA], "score_pct",
                *[f"score_{c}" for c in CRITERIA], "pct_per_1000_wan", "required", "reason"]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
LINE_PT = 16.0  # row height per line of 11 pt text, CJK fonts' line spacing included
NOTES, SUMMARY, UNITS = "说明 Notes", "汇总 Summary", "项目单元 Project units"
UNIT_RULE = (
    f"同一重点工程/项目、同一措施、同一开工年、同一区县的入选地块合并为一个项目单元（年度实施计划"
    f"中的一项，列出其地块与乡镇）；每处历史遗留矿山单独成一个单元（规划第90行按矿山立项）；"
    f"单元面积超过 {area_text(MAX_KM2)} 的按地块中心分成最少的紧凑子单元（上限为估算值）。 "
    f"Chosen parcels of one plan project, one action, one start year and one county form one "
    f"project unit (a line of the annual implementation plan, listing its parcels and "
    f"townships); each historical mine is a unit of its own (the plan makes each a project, "
    f"line 90); a unit above {MAX_KM2 * MU_PER_KM2 / MU_PER_WAN_MU:g} 万亩 is split into the "
    f"fewest compact parts (the cap is an estimate).")


def priority_lists(plan: Plan, region: Region,
                   corridors: CorridorAnalysis | None = None) -> pd.DataFrame:
    """The chosen options with bilingual labels, township, areas in 亩 and hm², total
    cost and its funding, yearly water, physical benefits, score and its parts, the
    project-library columns, project unit, reason and rank per start year, sorted by year
    and rank."""
    chosen = plan.chosen.copy()
    for column in ("project_id", "project_zh", "project_en"):  # a region without projects
        if column not in chosen:
            chosen[column] = ""
    years = plan.years["year"].astype(int).tolist()
    cost = chosen[[f"cost_{y}" for y in years]].sum(axis=1) + chosen["cost_after_horizon"]
    water = chosen[[f"water_{y}" for y in years]].to_numpy(float)
    chosen["total_cost_wan"] = cost
    chosen["water_wan_m3_per_yr"] = water[np.arange(len(water)), np.abs(water).argmax(axis=1)] \
        if len(water) else 0.0
    chosen["area_mu"] = chosen["area_km2"] * MU_PER_KM2
    chosen["area_hm2"] = chosen["area_km2"] * HM2_PER_KM2
    for c in CRITERIA:
        chosen[f"expected_{c}"] = chosen[f"benefit_{c}"] * chosen["survival"]
    counties, zones = county_names(region), zone_names(region)
    chosen["county"] = chosen["county"].astype(str)
    for language, suffix in enumerate(("zh", "en")):
        chosen[f"county_{suffix}"] = label_column(chosen["county"], counties, language)
        chosen[f"zone_{suffix}"] = label_column(chosen["zone"], zones, language)
    chosen = chosen.merge(_parcel_fields(region), on="parcel_id", how="left")
    catalogue = region.actions.set_index("code")
    basis = chosen["action"].map(catalogue["area_basis"]) if "area_basis" in catalogue \
        else pd.Series("", index=chosen.index)
    chosen["sites"] = (basis == "mine").astype(int)
    chosen["action_label"] = chosen["action_zh"] + " " + chosen["action_en"]
    chosen["project_label"] = _project_label(chosen)
    total = plan_benefit(plan)
    chosen["score_pct"] = chosen["value"] * 100.0 / total if total else np.nan
    for c in CRITERIA:
        chosen[f"score_{c}"] = chosen[f"value_{c}"] * 100.0 / total if total else np.nan
    value = chosen["value"].to_numpy(float)
    chosen["benefit_per_wan"] = np.divide(value, cost.to_numpy(float),
                                          out=np.full(len(value), np.inf), where=cost > 0)
    chosen["pct_per_1000_wan"] = chosen["benefit_per_wan"] * 1000 * 100.0 / total \
        if total else np.nan
    chosen = chosen.sort_values(["start_year", "required", "benefit_per_wan", "value",
                                 "parcel_id"], ascending=[True, False, False, False, True])
    chosen["rank"] = chosen.groupby("start_year").cumcount() + 1
    chosen["unit_id"] = unit_ids(chosen, region.parcels, sites=chosen["sites"] == 1)
    chosen["reason"] = reasons(chosen, plan.scenario, region, corridors,
                               plan.corridors_completed)
    chosen = add_library_columns(chosen, region, plan.scenario, load_library(region))
    return chosen.reset_index(drop=True)


def _parcel_fields(region: Region) -> pd.DataFrame:
    """Per parcel: township (Chinese, English; blank when the parcels have none) and the
    number of karez crossing it (0 when unknown)."""
    parcels = region.parcels
    fields = pd.DataFrame({"parcel_id": parcels["parcel_id"].to_numpy()})
    for source, target in (("township", "township_zh"), ("township_en", "township_en")):
        fields[target] = parcels[source].fillna("").astype(str).to_numpy() \
            if source in parcels else ""
    fields["karez_count"] = pd.to_numeric(parcels["karez_count"], errors="coerce").fillna(0) \
        .to_numpy() if "karez_count" in parcels else 0
    return fields


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


def _cell_style(ws: Worksheet, column: Column) -> str:
    """The workbook's named style for the cells of ``column`` (number format, top-aligned,
    wrapped or not, grid), registered once: one style per cell instead of three
    assignments makes writing a long list several times faster."""
    name = f"清单 {'wrap' if column.wrap else 'cell'} {column.number_format}"
    if name not in ws.parent.named_styles:
        alignment = Alignment(vertical="top", wrap_text=True, indent=1) if column.wrap \
            else Alignment(vertical="top")
        ws.parent.add_named_style(NamedStyle(name=name, number_format=column.number_format,
                                             alignment=alignment, border=GRID))
    return name


def _rows(ws: Worksheet, row: int, frame: pd.DataFrame, columns: list[Column]) -> int:
    """Write ``frame``'s columns from ``row`` on; wrapped rows get a height that fits their
    longest text (so that the printed list shows it all). Returns the next free row."""
    styles = [_cell_style(ws, column) for column in columns]
    for values in frame[[c.key for c in columns]].itertuples(index=False):
        lines = 1
        for k, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(row=row, column=k, value=_value(value))
            cell.style = styles[k - 1]
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
    """A ranked list: title, header on row 2, one row per entry, a total row (its label
    gives the area in 万亩 or 亩)."""
    ws = wb.create_sheet(name)
    _title(ws, title)
    _header(ws, 2, columns)
    end = _rows(ws, 3, rows, columns)
    if rows.empty:
        ws.cell(row=end, column=1, value="无 None")
    else:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{end - 1}"
        _total_row(ws, end, rows, columns, f"合计 Total: {len(rows)} 项 entries, "
                                           f"{area_text(rows['area_km2'].sum())}")
    _page_setup(ws, columns, 2, freeze)


def _totals(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = [c.key for c in SUMMARY_COLUMNS if c.key != "parcels"]
    sums = frame.groupby(by)[keys].sum()
    sums.insert(0, "parcels", frame.groupby(by).size())
    return sums


def _text_block(ws: Worksheet, row: int, lines: list[str], width: int = 12) -> int:
    """Bold-free paragraphs merged across ``width`` columns, one per row, heights fitted."""
    for line in lines:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = ws.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = LINE_PT * _lines(line, 12.0 * width) + 4
        row += 1
    return row


def _table(ws: Worksheet, row: int, caption: str, frame: pd.DataFrame,
           columns: list[Column], total: bool) -> int:
    """A captioned table with a header and, if asked, a total row; returns the next row
    after a blank line."""
    ws.cell(row=row, column=1, value=caption).font = Font(bold=True)
    _header(ws, row + 1, columns)
    row = _rows(ws, row + 2, frame, columns)
    if total:
        _total_row(ws, row, frame, columns, "合计 Total")
        row += 1
    return row + 2


SHARE_COLUMNS = [
    Column("label", "准则", "Criterion", width=30),
    Column("weight", "权重", "Weight", "0.000", 8),
    Column("share_weighted", "占加权效益", "Share of weighted benefit", "0.0%", 11),
    Column("options_driven", "主导措施数", "Options it drives", COUNT, 9),
    Column("area_wan_mu", "主导措施面积(万亩)", "Their area (10k mu)", WAN_MU, 11),
    Column("share_scale", "占归一化尺度(成熟期)", "Share of its scale (mature)", "0.0%", 11),
    Column("physical_text", "成熟期物理效益(×成活率)", "Physical benefit at maturity",
           width=20),
    Column("potential_text", "全域潜力", "Region's potential", width=18),
    Column("share_potential", "占全域潜力", "Share of the region's potential", "0.0%", 11),
]
INDICATOR_COLUMNS = [
    Column("name", "指标", "Indicator", width=30, wrap=True),
    Column("unit", "单位", "Unit", width=8),
    Column("base", "规划数值", "Plan's figure", "#,##0.00", 10),
    Column("base_period", "规划口径", "Plan's period", width=16, wrap=True),
    Column("plan", "本方案(2027起,模型)", "This plan (modelled)", "#,##0.00", 11),
    Column("after", "方案实施后", "After the plan", "#,##0.00", 10),
    Column("source", "出处", "Source", width=40, wrap=True),
]
FUND_TOTAL_COLUMNS = [
    Column("level", "资金来源", "Funding level", width=30),
    Column("amount", "金额(万元)", "Amount (10k CNY)", MONEY, 12, summed=True),
    Column("share", "占比", "Share", "0.0%", 8, summed=True),
]
SIZE_COLUMNS = [
    Column("size", "单元规模", "Unit size", width=30),
    Column("units", "单元数", "Units", COUNT, 8, summed=True),
    Column("parcels", "地块数", "Parcels", COUNT, 8, summed=True),
    Column("area_wan_mu", "面积(万亩)", "Area (10k mu)", WAN_MU, 10, summed=True),
]


def criterion_table(plan: Plan) -> pd.DataFrame:
    """criterion_shares with display columns: label, area in 万亩, physical benefit and
    potential with their units."""
    shares = criterion_shares(plan)
    shares["label"] = shares["name_zh"] + " " + shares["name_en"]
    shares["area_wan_mu"] = shares["area_driven_km2"] * MU_PER_KM2 / MU_PER_WAN_MU
    units = shares["criterion"].map(CRITERION_UNITS_SHORT)
    shares["physical_text"] = [f"{v:,.4g} {u}" for v, u in zip(shares["physical"], units,
                                                                 strict=True)]
    shares["potential_text"] = [f"{v:,.4g} {u}" if np.isfinite(v) else "" for v, u in
                                zip(shares["potential"], units, strict=True)]
    return shares


def funding_totals(lists: pd.DataFrame) -> pd.DataFrame:
    """Total cost of the plan by funding level (万元 and share)."""
    amounts = [(f"{label} " + en, float(lists[column].sum())) for (_, column, label), en in
               zip(LEVELS, ("central", "autonomous region", "city/county", "private"),
                   strict=True)]
    frame = pd.DataFrame(amounts, columns=["level", "amount"])
    total = frame["amount"].sum()
    frame["share"] = frame["amount"] / total if total > 0 else np.nan
    return frame


def size_lines(units: pd.DataFrame) -> list[str]:
    """The number of units and their median and largest size, in words."""
    if units.empty:
        return []
    area = units["area_km2"]
    return [f"{len(units)} 个项目单元（{int(units['parcels'].sum())} 个地块），单元面积中位数 "
            f"{area_text(area.median())}，最大 {area_text(area.max())}；每单元地块数中位数 "
            f"{units['parcels'].median():g}。 {len(units)} project units from "
            f"{int(units['parcels'].sum())} parcels; median unit "
            f"{area.median() * MU_PER_KM2:,.0f} mu, largest {area.max() * MU_PER_KM2:,.0f} mu; "
            f"median parcels per unit {units['parcels'].median():g}."]


def _summary_sheet(wb: Workbook, lists: pd.DataFrame, units: pd.DataFrame, plan: Plan,
                   region: Region) -> None:
    """Totals by start year (with spend and water in each year against the limits and the
    limit that binds), by county, by zone and by plan project; the criteria's shares and
    the sentence when one dominates; the plan's indicators; funding by level; unit sizes."""
    ws = wb.create_sheet(SUMMARY)
    _title(ws, "生态修复规划方案汇总 Plan summary")
    ws.cell(row=2, column=1, value=(
        "投资(按开工年)=当年开工措施的全部投资；当年支出=该年实际支付(含往年开工措施的分期)。 "
        "Cost by start year = whole cost of the options starting that year; spend in year = "
        "what is paid that year, instalments of earlier starts included."))
    lists = lists.assign(area_wan_mu=lists["area_km2"] * MU_PER_KM2 / MU_PER_WAN_MU)
    years = plan.years.set_index("year")
    limits = limits_by_year(plan, county_names(region)).set_index("year")
    words = {"money": "资金 money", "water": "水 water", "both": "资金和水 both",
             "neither": "均无 neither"}
    limits["binds"] = [words[b] + (f"（{'、'.join(d)}）" if d and d != ["全市"] else "")
                       for b, d in zip(limits["binds"], limits["water_binds"], strict=True)]
    limits = pd.DataFrame({"spend": years["spend"],
                           "budget": years.get("budget_available", years["budget"]),
                           "water_use": years["water_use"],
                           "water_limit": years["water_limit"], "binds": limits["binds"]})
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
        row = _table(ws, row, caption, table.rename_axis("key").reset_index(),
                     [key, *columns], total=True)
    shares = criterion_table(plan)
    row = _table(ws, row, "准则构成 What the score is made of", shares, SHARE_COLUMNS,
                 total=False) - 1
    row = _text_block(ws, row, [*dominance_lines(shares), normalisation_rule(plan)]) + 1
    indicators = plan_indicators(lists, region)
    if len(indicators):
        row = _table(ws, row, "规划指标 The plan's indicators", indicators,
                     INDICATOR_COLUMNS, total=False)
    row = _table(ws, row, "资金来源 Funding by level (估算 estimates)", funding_totals(lists),
                 FUND_TOTAL_COLUMNS, total=True)
    sizes = size_distribution(units).assign(
        area_wan_mu=lambda f: f["area_mu"] / MU_PER_WAN_MU)
    row = _table(ws, row, "项目单元规模 Project-unit sizes", sizes, SIZE_COLUMNS,
                 total=True) - 1
    _text_block(ws, row, [*size_lines(units), UNIT_RULE])
    _page_setup(ws, [tables[0][1], *SUMMARY_COLUMNS, *YEAR_COLUMNS], None, None)


def _notes_sheet(wb: Workbook, plan: Plan, region: Region) -> None:
    """What the workbook is, how it ranks and scores, the units, the sources of the
    project-library columns, and what every column means."""
    ws = wb.active
    ws.title = NOTES
    r = plan.result
    gap = "n/a" if r.gap is None else f"{r.gap:.3%}"
    objective = "n/a" if r.objective is None else f"{r.objective:.6g}"
    crs = region.parcels.crs.to_string() if region.parcels.crs is not None else "n/a"
    general = [
        ("排序 Ranking", "年度内：必须实施和目标所需的措施在前，其余按单位投资效益"
         "（综合得分÷总投资）从高到低。Within a year: mandatory works and options a "
         "target needs first, then by benefit per 1,000万元 (score ÷ total cost), highest first."),
        ("得分 Score", normalisation_rule(plan)),
        ("效益 Benefits", "带单位的效益列（t/年、万m³/年等）为模型估算的物理量（成熟期×成活率），"
         "不含权重与加成，不是实测值（见 data/README.md、docs/criteria.md）。Benefit columns "
         "with a unit are the models' physical quantities (at maturity × survival), without "
         "weights or bonuses: MODELLED estimates, not measurements."),
        ("单位 Units", "1 km² = 100 公顷 hm² = 1,500 亩 mu；1万亩以上的面积以万亩计；"
         "万元 = 10,000 CNY；万m³ = 10,000 m³。"),
        ("投资 Cost", "清单中的总投资为措施全部投资，列在开工年；汇总表的当年支出为各年实际支付。"
         "Lists show each option's whole cost in its start year; the summary's spend in "
         "year is what is paid in each year."),
        ("项目单元 Units", UNIT_RULE),
        ("资金来源 Funding", "各级分担比例来自情景文件的 [funding] 表；规划未给出分担比例"
         "（第125行：争取中央资金、统筹多层级资金、吸引社会资本），现有比例均为估算，须与财政局核实。"
         " Shares by level come from the scenario's [funding] tables; the plan gives no split "
         "(line 125), so the shipped shares are estimates to confirm with the Finance Bureau."),
        ("责任单位 Departments", f"按规划第124行的部门分工；逐项依据见 "
         f"{library_path(region).name}。 By the plan's division of work (line 124); the "
         f"basis of each is in {library_path(region).name}."),
        ("乡镇 Townships", "来自地块数据的 township 字段；吐鲁番数据为按乡镇驻地位置模拟，"
         "非乡镇界线。 From the parcels' township field; in the shipped Turpan data modelled "
         "from township seat locations, not township boundaries."),
        ("坐标系 CRS", f"priorities.gpkg 与 plan.gpkg：{crs}（默认 EPSG:4326 WGS84；"
         f"solve.py run --crs EPSG:4490 输出 CGCS2000）。"),
        ("求解 Solve", f"{r.solver}: {r.status}; objective {objective}; gap {gap}."),
    ]
    glossary = [(column.header.replace("\n", " "), column.note)
                for column in dict.fromkeys([*LIST_COLUMNS, *SUMMARY_COLUMNS, *YEAR_COLUMNS,
                                             *UNIT_COLUMNS])
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


def units_frame(lists: pd.DataFrame, plan: Plan, region: Region) -> gpd.GeoDataFrame:
    """The project units of the lists, with their library columns rebuilt from the sums."""
    units = project_units(lists, region.parcels, UNIT_SUMMED)
    units["area_wan_mu"] = units["area_km2"] * MU_PER_KM2 / MU_PER_WAN_MU
    units["action_label"] = units["action_zh"] + " " + units["action_en"]
    units["project_label"] = _project_label(units)
    units["survival"] = units["action"].map(region.actions.set_index("code")["survival"])
    return add_library_columns(units, region, plan.scenario, load_library(region))


def _csv(frame: pd.DataFrame, columns: list[Column], path: Path) -> None:
    """A list as CSV: single-line bilingual headers, UTF-8 with BOM for Excel."""
    table = frame[[c.key for c in columns]]
    table.set_axis([c.header.replace("\n", " ") for c in columns], axis=1).to_csv(
        path, index=False, encoding="utf-8-sig", float_format="%.10g")


def write_priorities(folder: Path, plan: Plan, region: Region,
                     corridors: CorridorAnalysis | None = None,
                     lists: pd.DataFrame | None = None) -> list[Path]:
    """Write priorities.xlsx, priorities.csv, project_units.csv and priorities.gpkg into
    ``folder`` (a temporary folder the caller renames into place); return their paths.
    ``lists``: the plan's :func:`priority_lists`, when the caller has them already."""
    lists = priority_lists(plan, region, corridors) if lists is None else lists
    units = units_frame(lists, plan, region)
    years = plan.years["year"].astype(int).tolist()
    wb = Workbook()
    _notes_sheet(wb, plan, region)
    _summary_sheet(wb, lists, units, plan, region)
    for year in years:
        _list_sheet(wb, f"{year}年", f"{year}年度生态修复优先项目清单 Priority list {year}",
                    lists[lists["start_year"] == year], LIST_COLUMNS, "D3")
    _list_sheet(wb, UNITS, "项目单元 Project units: " + UNIT_RULE.split(" Chosen")[0], units,
                UNIT_COLUMNS, "B3")
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
