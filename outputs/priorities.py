"""Annual priority lists (年度优先项目清单) for funding applications.

``write_priorities`` writes into a result folder:

* ``priorities.xlsx``: 说明 Notes (rules, units, sources, what every column means), 汇总
  Summary (by year with the limit that binds, county, zone and plan project, areas in 万亩;
  the plan projects without works and why: outputs/unfunded.py;
  each criterion's share of the weighted benefit and of the region's potential; the
  plan's indicators; funding by level; project-unit sizes), one ranked sheet per horizon
  year (``2027年``…) with the project-library columns (乡镇, 建设内容及规模, 资金来源, 责任单位,
  建设期限, 绩效目标: outputs/library.py) and 项目单元 Project units; bilingual headers
  (Chinese first), number formats, units in the headers, frozen header; printed on A3
  landscape in three column groups of one page width each, the header row and the
  identifying columns repeated on every page (outputs/workbook.py);
* ``priorities.csv``, ``project_units.csv`` and ``projects_without_works.csv``: the same
  lists and table, UTF-8 with a byte-order
  mark so that Excel opens the Chinese text correctly;
* ``priorities.gpkg``: one layer per year (``priorities_2027``…) with the parcel polygons
  and ``project_units`` with the dissolved units, ASCII field names for QGIS and ArcGIS,
  in the parcels' CRS (``solve.py run --crs``).

Columns that carry a physical unit (t/年, 万m³/年 …) hold the model's physical quantity at
maturity after survival; weights, bonuses and the normalisation live only in the score
columns (综合得分 and its part per criterion: outputs/explain.py).

The columns (headers, formats, notes) are listed in outputs/list_columns.py; how a table is
written into a sheet and printed, in outputs/workbook.py; the CSV files, in
outputs/priorities_csv.py. The order within a year is outputs/ranking.py's.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from criteria.corridors import CorridorAnalysis
from criteria.plausibility import wind_erosion_modulus
from optimizer.plan import Plan
from outputs import workbook as xl
from outputs.data_note import data_note
from outputs.explain import (
    criterion_shares,
    dominance_lines,
    normalisation_rule,
    plan_benefit,
    score_note,
)
from outputs.indicators import FIGURES, excel_format, plan_indicators
from outputs.labels import (
    HM2_PER_KM2,
    MU_PER_KM2,
    MU_PER_WAN_MU,
    area_text,
    county_names,
    figure_text,
    label_column,
    rounded_to_total,
    status_words,
    zone_names,
)
from outputs.library import (
    LEVELS,
    SAND_CAVEAT,
    add_library_columns,
    department_basis,
    load_library,
)
from outputs.limits import limits_by_year, summary_binds
from outputs.list_columns import (
    CONTINUING_COLUMNS,
    CRITERION_UNITS_SHORT,
    FUND_TOTAL_COLUMNS,
    INDICATOR_COLUMNS,
    LAYER_FIELDS,
    LIST_COLUMNS,
    SCORE,
    SHARE_COLUMNS,
    SIZE_COLUMNS,
    SUMMARY_COLUMNS,
    UNCALIBRATED,
    UNIT_COLUMNS,
    UNIT_RULE,
    UNIT_SUMMED,
    YEAR_COLUMNS,
)
from outputs.plan_basis import project_fields
from outputs.priorities_csv import write_csv, write_priorities_csv
from outputs.project_causes import projects_without_works
from outputs.project_units import project_units, size_distribution, unit_ids
from outputs.ranking import in_rank_order, rank_values
from outputs.reasons import reasons, required_by_rules
from outputs.unfunded import COLUMNS as UNFUNDED_COLUMNS
from outputs.unfunded import write_unfunded_csv, write_unfunded_sheet_table
from outputs.water_reliance import saving_links
from outputs.workbook import Column
from outputs.year_funds import (
    continuing_works,
    first_instalment,
    funds_line,
    obligation_lines,
)
from region.io import Region
from region.schema import CRITERIA

NOTES, SUMMARY, UNITS = "说明 Notes", "汇总 Summary", "项目单元 Project units"
#: Parcel fields the RWEQ wind-erosion model reads (criteria/sand_control.py).
RWEQ_INPUTS = ("wind_exposure", "erodibility", "land_cover", "veg_cover")

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
    chosen["year_cost_wan"] = first_instalment(chosen)
    chosen["water_wan_m3_per_yr"] = water[np.arange(len(water)), np.abs(water).argmax(axis=1)] \
        if len(water) else 0.0
    saving = [f"saving_{y}" for y in years if f"saving_{y}" in chosen]
    chosen["saving_wan_m3_per_yr"] = chosen[saving].max(axis=1) if saving else 0.0
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
    chosen["sand_now_t"] = chosen["parcel_id"].map(_sand_modulus(region)) * chosen["area_km2"]
    catalogue = region.actions.set_index("code")
    basis = chosen["action"].map(catalogue["area_basis"]) if "area_basis" in catalogue \
        else pd.Series("", index=chosen.index)
    chosen["sites"] = (basis == "mine").astype(int)
    chosen["action_label"] = chosen["action_zh"] + " " + chosen["action_en"]
    chosen["project_label"] = _project_label(chosen)
    chosen = chosen.join(project_fields(chosen, region))
    total = plan_benefit(plan)
    chosen["score_pct"] = chosen["value"] * 100.0 / total if total else np.nan
    for c in CRITERIA:
        chosen[f"score_{c}"] = chosen[f"value_{c}"] * 100.0 / total if total else np.nan
    value = chosen["value"].to_numpy(float)
    chosen["benefit_per_wan"] = np.divide(value, cost.to_numpy(float),
                                          out=np.full(len(value), np.inf), where=cost > 0)
    chosen["pct_per_1000_wan"] = chosen["benefit_per_wan"] * 1000 * 100.0 / total \
        if total else np.nan
    if plan.scenario is not None:  # only what a rule needs (not every target member) first
        chosen["required"] = required_by_rules(chosen, plan.scenario)
    by_row = pd.Series(cost.to_numpy(float), index=chosen.index)  # chosen was re-indexed
    chosen = chosen.join(rank_values(chosen, by_row, saving_links(
        chosen, plan.water_accounts, plan.scenario, region)))
    chosen["rank_pct_per_1000_wan"] = chosen["rank_value"] * 1000 * 100.0 / total \
        if total else np.nan
    chosen = in_rank_order(chosen)
    chosen["rank"] = chosen.groupby("start_year").cumcount() + 1
    chosen["unit_id"] = unit_ids(chosen, region.parcels, sites=chosen["sites"] == 1)
    chosen["reason"] = reasons(chosen, plan.scenario, region, corridors,
                               plan.corridors_completed, plan.water_accounts)
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


def _sand_modulus(region: Region) -> pd.Series:
    """Today's modelled wind erosion per parcel (t/km²·yr, RWEQ) by parcel id, the base the
    sand benefit is a reduction of; empty when the parcels lack the RWEQ inputs."""
    parcels = region.parcels
    if not set(RWEQ_INPUTS) <= set(parcels.columns):
        return pd.Series(dtype=float)
    return pd.Series(wind_erosion_modulus(parcels), index=parcels["parcel_id"].to_numpy())


def _project_label(frame: pd.DataFrame) -> pd.Series:
    """"<project id> <Chinese name>", empty when the option belongs to no plan project."""
    return (frame["project_id"].fillna("") + " " + frame["project_zh"].fillna("")).str.strip()


def _totals(frame: pd.DataFrame, by: str, label: str | None = None) -> pd.DataFrame:
    """The summed columns per value of ``by``, in the order of ``by`` (zone 1 → 5, county
    codes), shown by the value's ``label`` when given (the zone's name)."""
    keys = [c.key for c in SUMMARY_COLUMNS if c.key != "work_count"]
    sums = frame.groupby(by)[keys].sum()
    sums.insert(0, "work_count", frame.groupby(by).size())
    if label is not None:
        sums.index = frame.groupby(by)[label].first().reindex(sums.index).to_numpy()
    return sums


def net_area_km2(frame: pd.DataFrame) -> float:
    """The area the works cover, each parcel once (a parcel's largest work: barriers then
    afforestation on one parcel cover it once, not twice)."""
    return float(frame.groupby("parcel_id")["area_km2"].max().sum()) if len(frame) else 0.0


def area_lines(frame: pd.DataFrame) -> list[str]:
    """Area treated (the works' areas added up) and net area (each parcel once), and how
    many parcels carry more than one work, in words."""
    works, parcels = len(frame), int(frame["parcel_id"].nunique()) if len(frame) else 0
    gross, net = float(frame["area_km2"].sum()) if works else 0.0, net_area_km2(frame)
    twice = works - parcels
    again = (f"；其中 {twice} 个地块先后实施两项措施，面积在实施面积中计两次" if twice > 0
             else "")
    again_en = (f"; {twice} parcel{'s carry' if twice > 1 else ' carries'} two works one "
                "after the other, counted twice in the area treated" if twice > 0 else "")
    return [f"实施面积 {area_text(gross)}（{works} 项措施）；净面积 {area_text(net)}"
            f"（{parcels} 个地块，每个地块只计一次）{again}。 Area treated "
            f"{gross * MU_PER_KM2 / MU_PER_WAN_MU:,.2f} 万亩 ({works} works); net area "
            f"{net * MU_PER_KM2 / MU_PER_WAN_MU:,.2f} 万亩 ({parcels} parcels, each once)"
            f"{again_en}."]


def units_total_label(units: pd.DataFrame, lists: pd.DataFrame) -> str:
    """The units sheet's total row: units, area treated (the units' areas added up, a
    parcel with two works twice) and net area (each parcel once), in 万亩."""
    gross, net = float(units["area_km2"].sum()), net_area_km2(lists)
    parcels = int(lists["parcel_id"].nunique()) if len(lists) else 0
    return (f"合计 Total: {len(units)} 个单元 units；实施面积 Area treated {area_text(gross)}"
            f"（{len(lists)} 项措施 works）；净面积 Net area {area_text(net)}（{parcels} 个地块 "
            "parcels，每个地块只计一次 each once）")


def criterion_table(plan: Plan) -> pd.DataFrame:
    """criterion_shares with display columns: label, area in 万亩, physical benefit and
    potential with their units."""
    shares = criterion_shares(plan)
    shares["label"] = shares["name_zh"] + " " + shares["name_en"]
    shares["area_wan_mu"] = shares["area_driven_km2"] * MU_PER_KM2 / MU_PER_WAN_MU
    units = [CRITERION_UNITS_SHORT[c] + (f"（{UNCALIBRATED[c][0]}）" if c in UNCALIBRATED
                                         else "") for c in shares["criterion"]]
    shares["physical_text"] = [f"{figure_text(v)} {u}" for v, u in
                               zip(shares["physical"], units, strict=True)]
    shares["potential_text"] = [f"{figure_text(v)} {u}" if np.isfinite(v) else "" for v, u in
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


def size_lines(units: pd.DataFrame, lists: pd.DataFrame) -> list[str]:
    """The number of units and their median and largest size, and what their areas add up
    to (the area treated; the net area of ``lists``, each parcel once), in words."""
    if units.empty:
        return []
    area = units["area_km2"]
    return [f"{len(units)} 个项目单元（{int(units['parcels'].sum())} 项措施），单元面积中位数 "
            f"{area_text(area.median())}，最大 {area_text(area.max())}；每单元地块数中位数 "
            f"{units['parcels'].median():g}。 {len(units)} project units of "
            f"{int(units['parcels'].sum())} works; median unit "
            f"{area.median() * MU_PER_KM2:,.0f} mu, largest {area.max() * MU_PER_KM2:,.0f} mu; "
            f"median parcels per unit {units['parcels'].median():g}.",
            "单元面积之和为实施面积：" + area_lines(lists)[0]]


def _summary_sheet(wb: Workbook, lists: pd.DataFrame, units: pd.DataFrame, plan: Plan,
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
    limits = limits_by_year(plan, county_names(region)).set_index("year")
    limits["binds"] = summary_binds(limits)
    limits = pd.DataFrame({"spend": years["spend"],
                           "budget": years.get("budget_available", years["budget"]),
                           "water_use": years["water_use"],
                           "water_limit": years["water_limit"], "binds": limits["binds"]})
    by_year = _totals(lists, "start_year").reindex(years.index).fillna(0.0).join(limits)
    by_year["work_count"] = by_year["work_count"].astype(int)
    text = {c: lists[c].fillna("").astype(str) for c in
            ("county_zh", "county_en", "zone_zh", "zone_en", "project_label", "project_en")}
    named = lists.assign(  # counties, zones and projects by both names, as the guide asks
        county_label=text["county_zh"] + " " + text["county_en"],
        zone_label=text["zone_zh"] + " " + text["zone_en"],
        project_label=(text["project_label"] + " " + text["project_en"]).str.strip()
        .replace("", "(无 none)"))
    tables = [
        ("按年度 By year", Column("key", "年度", "Year", "0", 30), by_year,
         SUMMARY_COLUMNS + YEAR_COLUMNS),
        ("按区县 By county", Column("key", "区县", "County", width=30),
         _totals(named, "county", "county_label"), SUMMARY_COLUMNS),
        ("按分区 By zone", Column("key", "分区", "Zone", width=30, wrap=True),
         _totals(named, "zone", "zone_label"), SUMMARY_COLUMNS),
        ("按重点工程/项目 By plan project",
         Column("key", "所属重点工程/项目", "Plan project", width=30, wrap=True),
         _totals(named, "project_label"), SUMMARY_COLUMNS),
    ]
    _summary_widths(ws, tables[0][1])
    row = 4
    for caption, key, table, columns in tables:
        row = xl.write_table(ws, row, caption, table.rename_axis("key").reset_index(),
                             [key, *columns], total=True)
        if columns is tables[0][3]:  # under the years: what the totals count
            row = xl.text_block(ws, row - 1, [*area_lines(lists), *obligation_lines(plan)]) + 1
    row = write_unfunded_sheet_table(ws, row, unfunded, plan,
                                     [tables[0][1], *SUMMARY_COLUMNS, *YEAR_COLUMNS])
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
                    excel_format(unit)
    row = xl.write_table(ws, row, "资金来源 Funding by level (估算 estimates)",
                         funding_totals(lists), FUND_TOTAL_COLUMNS, total=True)
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
    below = [SHARE_COLUMNS, INDICATOR_COLUMNS, FUND_TOTAL_COLUMNS, SIZE_COLUMNS]
    layout = [dataclasses.replace(column, width=max(column.width, min(SUMMARY_WIDEST, max(
        (table[k].width for table in below if k < len(table)), default=0.0))))
        for k, column in enumerate(by_year)]
    xl.page_setup(ws, layout, None, None)


def _continuing_block(ws: Worksheet, year: int, starts: pd.DataFrame, lists: pd.DataFrame,
                      plan: Plan) -> None:
    """Under a year's list of new starts: the 续建项目 block (works started earlier with an
    instalment due in ``year``) and the year's funds due, new plus continuing, which is
    the Summary's spend in that year (outputs/year_funds.py)."""
    continuing = continuing_works(lists, year)
    row = ws.max_row + 2
    caption = (f"续建项目 Continuing works: {year}年以前开工、{year}年仍有分期付款的措施 "
               f"(started before {year}, with an instalment due in {year})")
    if continuing.empty:
        ws.cell(row=row, column=1, value=caption).font = Font(bold=True)
        ws.cell(row=row + 1, column=1, value="无 None")
        row += 3
    else:
        row = xl.write_table(ws, row, caption, continuing, CONTINUING_COLUMNS, total=True) - 1
    years = plan.years.set_index("year")
    budget = years.get("budget_available", years["budget"]).get(year)
    xl.text_block(ws, row, [funds_line(year, float(starts["year_cost_wan"].sum()),
                                       float(continuing["year_cost_wan"].sum()),
                                       None if budget is None else float(budget))])
    ws.cell(row=row, column=1).font = Font(bold=True)


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
         "（综合得分÷总投资）从高到低。节水灌溉自身效益很低，其价值在于腾出的水量：某区县的"
         "用水措施需水超过自有水量时，超出部分来自节水计入的水量，这些措施离开节水就无法实施。"
         "因此节水灌溉与依赖其节水的措施作为一个组合排序：组合内各项均按组合的单位投资效益"
         "（合计效益÷合计投资）排序，节水项目排在其所供措施之前，入选理由写明组合；"
         "组合宜整体保留或整体削减，不应只削减节水项目而保留用水措施。组合的单位投资效益通常"
         "很低（用水措施须连同节水投资一起计），因此仍排在年内靠后的位置，表中的单位投资效益"
         "列仍为各项自身的数值。 Within a year: mandatory works and options a target needs "
         "first, then by benefit per 1,000万元 (score ÷ total cost), highest first. "
         "Water-saving irrigation returns little of its own; its worth is the water it frees: "
         "where a county's water-using works need more than its own water, the rest is "
         "credited savings, and those works cannot go ahead without them. So the savings and "
         "the works relying on them rank as one package, each at the package's benefit per "
         "万元 (their benefit ÷ their cost together), the savings just before the works they "
         "serve, and the reason names the package: keep or cut it whole, never the savings "
         "alone. A package's return is usually low (the works carry the savings' cost), so it "
         "still ranks late in its year; the benefit-per-money column keeps each work's own."),
        ("得分 Score", normalisation_rule(plan)),
        ("效益 Benefits", "带单位的效益列（t/年、万m³/年等）为模型估算的物理量（成熟期×成活率），"
         "不含权重与加成，不是实测值；所依据的地块属性为按规则模拟（见第2行数据说明）。"
         f"{SAND_CAVEAT[0]} Benefit columns with a unit are the models' physical quantities "
         "(at maturity × survival), without weights or bonuses: MODELLED estimates, not "
         "measurements, from modelled parcel attributes (row 2). " + SAND_CAVEAT[1]),
        ("单位 Units", "1 km² = 100 公顷 hm² = 1,500 亩 mu；1万亩以上的面积以万亩计；"
         "万元 = 10,000 CNY；万m³ = 10,000 m³。"),
        ("投资 Cost", "清单中的总投资为措施全部投资，列在开工年；当年资金需求为该年应付部分。"
         "各年度表在新开工项目之后列出续建项目（往年开工、该年仍有分期付款），两者的当年资金需求"
         "之和即汇总表该年的当年支出，可作该年资金申请。 Lists show each option's whole "
         "cost in its start year and the part due that year; each year sheet lists, after "
         "the new starts, the continuing works (started earlier, with an instalment due that "
         "year): the two parts' funds due add up to the Summary's spend in that year, the "
         "year's application."),
        ("项目单元 Units", UNIT_RULE),
        ("资金来源 Funding", "各级分担比例来自情景文件的 [funding] 表；规划未给出分担比例"
         "（第125行：争取中央资金、统筹多层级资金、吸引社会资本），现有比例均为估算，须与财政局核实。"
         " Shares by level come from the scenario's [funding] tables; the plan gives no split "
         "(line 125), so the shipped shares are estimates to confirm with the Finance Bureau."),
        ("责任单位 Departments", department_basis(load_library(region))),
        ("乡镇 Townships", "来自地块数据的 township 字段；吐鲁番数据为按乡镇驻地位置模拟，"
         "非乡镇界线。 From the parcels' township field; in the shipped Turpan data modelled "
         "from township seat locations, not township boundaries."),
        ("坐标系 CRS", f"priorities.gpkg 与 plan.gpkg：{crs}（默认 EPSG:4326 WGS84；"
         f"可按 CGCS2000（EPSG:4490）输出）。"),
        ("求解 Solve", f"求解器 solver {r.solver}：{status_words(r.status, r.gap)}；"
                     f"目标值 objective {objective}；与最优的差距上限 gap {gap}。"),
    ]
    notes = {SCORE.key: score_note(plan)}  # notes that depend on the run
    glossary = [(column.header.replace("\n", " "), notes.get(column.key, column.note))
                for column in dict.fromkeys([*LIST_COLUMNS, *CONTINUING_COLUMNS,
                                             *SUMMARY_COLUMNS, *YEAR_COLUMNS,
                                             *UNIT_COLUMNS, *UNFUNDED_COLUMNS])
                if notes.get(column.key, column.note)]
    rows = pd.DataFrame([*general, ("", ""), ("列 Column", "说明 Meaning"), *glossary],
                        columns=["topic", "text"])
    columns = [Column("topic", "", "", width=34, wrap=True),
               Column("text", "", "", width=110, wrap=True)]
    xl.write_title(ws, "吐鲁番市国土空间生态修复 年度优先项目清单 Annual priority lists")
    ws.merge_cells("A2:B2")
    note = ws.cell(row=2, column=1, value=data_note(region))
    note.alignment = Alignment(wrap_text=True, vertical="top")
    note.font = Font(bold=True, color="7F4F00")
    ws.row_dimensions[2].height = xl.LINE_PT * xl.text_lines(
        note.value, sum(c.width for c in columns)) + 4
    xl.write_rows(ws, 3, rows, columns)
    heading = 3 + len(general) + 1  # the glossary's heading, after a blank row
    for row in [*range(3, 3 + len(general)), heading]:
        ws.cell(row=row, column=1).font = Font(bold=True)
    ws.cell(row=heading, column=2).font = Font(bold=True)
    xl.page_setup(ws, columns, None, None)


def units_frame(lists: pd.DataFrame, plan: Plan, region: Region) -> gpd.GeoDataFrame:
    """The project units of the lists, with their library columns rebuilt from the sums."""
    units = project_units(lists, region.parcels, UNIT_SUMMED)
    units["area_wan_mu"] = units["area_km2"] * MU_PER_KM2 / MU_PER_WAN_MU
    units["action_label"] = units["action_zh"] + " " + units["action_en"]
    units["project_label"] = _project_label(units)
    if "umbrella_id" in lists:  # a unit counts towards the umbrella work its parcels all do
        shared = lists.groupby("unit_id")["umbrella_id"].agg(
            lambda ids: ids.iat[0] if ids.nunique(dropna=False) == 1 else "")
        units["umbrella_id"] = units["unit_id"].map(shared)
    units = units.join(project_fields(units, region))
    units["survival"] = units["action"].map(region.actions.set_index("code")["survival"])
    return add_library_columns(units, region, plan.scenario, load_library(region))


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
    _notes_sheet(wb, plan, region)
    unfunded = projects_without_works(plan, region) if unfunded is None else unfunded
    _summary_sheet(wb, lists, units, plan, region, unfunded)
    for year in years:
        starts = lists[lists["start_year"] == year]
        ws = xl.list_sheet(wb, f"{year}年", f"{year}年度生态修复优先项目清单 Priority list {year}",
                           starts, LIST_COLUMNS, "D3", note=data_note(region))
        _continuing_block(ws, year, starts, lists, plan)
    xl.list_sheet(wb, UNITS, "项目单元 Project units: " + UNIT_RULE.split(" Chosen")[0], units,
                  UNIT_COLUMNS, "B3", total_label=units_total_label(units, lists))
    paths = [folder / "priorities.xlsx", folder / "priorities.csv",
             folder / "project_units.csv", folder / "priorities.gpkg",
             folder / "projects_without_works.csv"]
    wb.save(paths[0])
    write_unfunded_csv(unfunded, paths[4])
    write_priorities_csv(lists, years, paths[1])
    write_csv(units, UNIT_COLUMNS, paths[2])
    geometry = region.parcels[["parcel_id", "geometry"]]
    for year in years:
        layer = lists.loc[lists["start_year"] == year, LAYER_FIELDS].merge(
            geometry, on="parcel_id")  # in rank order
        gpd.GeoDataFrame(layer, geometry="geometry", crs=region.parcels.crs).to_file(
            paths[3], layer=f"priorities_{year}", driver="GPKG")
    unit_fields = [c.key for c in UNIT_COLUMNS] + ["action", "area_km2", "geometry"]
    units[unit_fields].to_file(paths[3], layer="project_units", driver="GPKG")
    return paths
