"""The 说明 Notes sheet of priorities.xlsx: the data note, how the lists rank and score, the
units, costs, funding and departments, and what every column means."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from optimizer.plan import Plan
from outputs import workbook as xl
from outputs.crs import crs_name, lonlat_crs
from outputs.data_note import data_note
from outputs.explain import normalisation_rule, score_note
from outputs.labels import status_words
from outputs.library import SAND_CAVEAT, department_basis, load_library
from outputs.list_columns import (
    CONTINUING_COLUMNS,
    LIST_COLUMNS,
    SCORE,
    SUMMARY_COLUMNS,
    UNIT_COLUMNS,
    UNIT_RULE,
    YEAR_COLUMNS,
)
from outputs.unfunded import COLUMNS as UNFUNDED_COLUMNS
from outputs.workbook import Column
from region.io import Region

NOTES = "说明 Notes"


def notes_sheet(wb: Workbook, plan: Plan, region: Region) -> None:
    """What the workbook is, how it ranks and scores, the units, the sources of the
    project-library columns, and what every column means."""
    ws = wb.active
    ws.title = NOTES
    r = plan.result
    gap = "n/a" if r.gap is None else f"{r.gap:.3%}"
    objective = "n/a" if r.objective is None else f"{r.objective:.6g}"
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
         "之和即汇总表该年的当年支出；两部分的每一行都按资金分担比例拆分当年资金需求（当年其中中央、"
         "自治区、市县、社会资本），其合计即该年按级次的资金申请（汇总表“分年度资金申请”）。 "
         "Lists show each option's whole cost in its start year and the part due that year; "
         "each year sheet lists, after the new starts, the continuing works (started earlier, "
         "with an instalment due that year): the two parts' funds due add up to the "
         "Summary's spend in that year, and every row of both splits its funds due by level "
         "(central, autonomous region, city/county, private), so that their totals are the "
         "year's application by level (the Summary's 'Funds due by year and level')."),
        ("项目单元 Units", UNIT_RULE),
        ("资金来源 Funding", "各级分担比例来自情景文件的 [funding] 表；规划未给出分担比例"
         "（第125行：争取中央资金、统筹多层级资金、吸引社会资本），现有比例均为估算，须与财政局核实。"
         " Shares by level come from the scenario's [funding] tables; the plan gives no split "
         "(line 125), so the shipped shares are estimates to confirm with the Finance Bureau."),
        ("责任单位 Departments", department_basis(load_library(region))),
        ("乡镇 Townships", "来自地块数据的 township 字段；吐鲁番数据为按乡镇驻地位置模拟，"
         "非乡镇界线。 From the parcels' township field; in the shipped Turpan data modelled "
         "from township seat locations, not township boundaries."),
        ("坐标系 CRS", crs_sentence(region)),
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


def crs_sentence(region: Region) -> str:
    """The layers' CRS and the lon/lat columns' (outputs/crs.py), in both languages."""
    layers = crs_name(region.parcels.crs)
    lonlat = crs_name(lonlat_crs(region.parcels.crs))
    return (f"priorities.gpkg 与 plan.gpkg：{layers}；经纬度列为 {lonlat} 的度。默认按地块文件的"
            "坐标系输出，可用 --crs 另选（如 CGCS2000 EPSG:4490）；面积与距离均在等积投影中计算，"
            f"不随坐标系改变。 Layers priorities.gpkg and plan.gpkg: {layers}; the lon/lat "
            f"columns are degrees of {lonlat}. By default the parcels file's CRS; --crs picks "
            "another (e.g. CGCS2000 EPSG:4490); areas and distances are computed in the "
            "equal-area projection whatever it is.")
