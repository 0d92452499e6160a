"""The table of plan projects without works, written for a funding body: a block of the
汇总 Summary sheet, ``projects_without_works.csv`` and a section of the report.

The table itself — each project the plan leaves without works and why — comes from
outputs/project_causes.py (:func:`projects_without_works`), computed once per run.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from optimizer.plan import Plan
from outputs import workbook as xl
from outputs.html_page import html_table, paragraphs
from outputs.labels import area_text
from outputs.workbook import Column
from region.io import Region

MARGINAL_RULE = (
    "边际入选措施：本方案为其回报而入选的措施中每万元效益最低者（不计规则要求的必须实施或目标"
    "措施，也不计为腾出水量而实施的节水灌溉）；每万元效益 = 该选项在目标函数中的系数 ÷ 总投资，"
    "取最佳开工年。 "
    "The marginal funded work: the one with the least value per 万元 among the works the plan "
    "chose for their return (not those a rule requires, mandatory works and targets, nor "
    "water-saving irrigation, funded for the water it frees); value per 万元 = the option's "
    "coefficient in the objective ÷ its total cost, at its best start year.")
RETURN_NOTE = (
    "每万元效益只计选项自身在目标函数中的系数，因而不含：廊道连通奖励（整条廊道的退化地块全部"
    "修复后才计入，不属于任何单项措施；方案总效益含此奖励），以及无水县的需水选项须先实施的节水"
    "灌溉的投资（其选项须先腾出水量，实际每万元效益低于表中数值）。 "
    "Value per 万元 counts the option's own coefficient only, so it leaves out the corridor "
    "bonus (earned only once every degraded parcel of a corridor is restored, it belongs to "
    "no single work; the plan's benefit includes it) and the cost of the water-saving "
    "irrigation that a water-using option in a county without water would need first (such "
    "an option returns less per 万元 than the table says).")
#: Figures as a reader needs them, the same in the sheet, the CSV and the report: areas to
#: 0.1 km², shares of the marginal work to 0.1 %, and the best option's % of the plan's
#: benefit, which spans 0.0003 % to 0.5 % per 1,000万元, to 3 significant figures.
ROUNDING = {"area_km2": 1, "share_of_marginal_pct": 1}
SIGNIFICANT = {"best_pct_per_1000_wan": 3}
COLUMNS = [
    Column("project_label", "重点项目", "Plan project", width=34, wrap=True,
           note="规划所列、本方案未安排任何措施的重点项目（编号为本工具所编）| a plan project "
                "the plan gives no work (the codes are this tool's)"),
    Column("options", "可行选项", "Feasible options", "#,##0", 10,
           note="规则筛选后归入该项目的地块×措施数 Parcel × action pairs filed under the "
                "project after every rule"),
    Column("area_km2", "可行面积\nkm²", "Feasible area km²", "#,##0.0", 11,
           note="可行选项（地块×措施）的面积之和：一个地块有两项可行措施时计两次 | the "
                "feasible parcel × action pairs' areas added up: a parcel with two feasible "
                "actions counts twice"),
    Column("best_pct_per_1000_wan", "最佳选项每千万元效益(%)", "Best option, % of plan "
           "benefit per 1,000万元", "General", 14,
           note="最佳选项每1,000万元总投资可得的效益，占方案加权效益的百分比（与清单的单位投资"
                "效益同单位），3位有效数字 | the best option's benefit per 1,000万元 of its "
                "total cost as a % of the plan's weighted benefit (the lists' unit of benefit "
                "per 10M CNY), to 3 significant figures"),
    Column("share_of_marginal_pct", "占边际入选措施(%)", "% of the marginal funded work",
           '0.0"%"', 12, note="最佳选项每万元效益 ÷ 边际入选措施每万元效益 Best option's value "
                              "per 万元 ÷ the marginal funded work's"),
    Column("water_options", "无水县的需水选项", "Options needing water where none",
           "#,##0", 12,
           note="可行选项中需新增用水、而所在区县在本方案中无可用水量（分配为0）的个数 | "
                "feasible options that need new water in a county the plan allocates none"),
    Column("reason", "原因", "Reason", width=14, wrap=True,
           note="未安排的主要原因（简称），完整说明见原因说明 | the cause in short; the "
                "sentences (Why) say it in full"),
    Column("best_option", "最佳选项", "Best option", width=24, wrap=True,
           note="按每万元效益最佳的选项：措施、区县、开工年 The option with the best value per "
                "万元: action, county, start year"),
    Column("why_zh", "原因说明", "Why, in Chinese", width=60, wrap=True,
           note="原因的完整说明：可行选项与面积、最佳选项与边际入选措施之比、需水选项 | the "
                "cause in full: feasible options and area, the best option against the "
                "marginal funded work, options needing water"),
    Column("why_en", "原因说明（英文）", "Why, in English", width=60, wrap=True,
           note="同上，英文 | the same in English"),
]


CAPTION = "无入选措施的重点项目及原因 Plan projects without works, and why"
NONE_LEFT = ("规划所列承担地块措施的各项目均有入选措施。 Every plan project that takes parcel "
             "works has some.")
NOT_KNOWN = ("本方案未记录各项目的可选措施，无法说明。 The plan keeps no summary of its "
             "projects' options (optimizer/project_options.py), so it cannot say.")


def reader_figures(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its figures rounded as :data:`ROUNDING` and :data:`SIGNIFICANT` say."""
    out = table.copy()
    for key, decimals in ROUNDING.items():
        out[key] = out[key].astype(float).round(decimals)
    for key, digits in SIGNIFICANT.items():
        out[key] = out[key].astype(float).map(lambda value, d=digits: float(f"{value:.{d}g}"))
    return out


def _empty_line(plan: Plan) -> str:
    return NOT_KNOWN if plan.project_options is None else NONE_LEFT


def support_line(region: Region | None) -> list[str]:
    """The plan's support projects (projects.csv level ``support``: no parcel work), which
    neither this table nor the plan's works cover, named with the plan's lines, in Chinese
    and English; none when the region has none. (The report had said every plan project had
    works, while the 3 support projects of plan line 104 take none: review finding 14b.)"""
    projects = None if region is None else region.projects
    if projects is None or projects.empty:
        return []
    support = projects[projects["level"] == "support"]
    if support.empty:
        return []
    sources = " ".join(support["source"].fillna("").astype(str))
    lines = list(dict.fromkeys(re.findall(r"l\.\s*(\d+)", sources)))
    zh = "、".join(f"{p} {name}" for p, name in zip(support["project_id"], support["name_zh"],
                                                    strict=True))
    en = "; ".join(f"{p} {name}" for p, name in zip(support["project_id"], support["name_en"],
                                                    strict=True))
    cited_zh = "、".join(f"第{line}行" for line in lines)
    cited_en = ", ".join(f"l.{line}" for line in lines)
    return [f"规划的{len(support)}项支撑项目不安排地块措施，不在本方案的措施和本表之列："
            f"{zh}（规划{cited_zh}）。 The plan's {len(support)} support projects take no parcel "
            f"work and are neither among this plan's works nor in this table: {en} (plan "
            f"{cited_en})."]


def write_unfunded_sheet_table(ws: Worksheet, row: int, table: pd.DataFrame, plan: Plan,
                               layout: list[Column], region: Region | None = None) -> int:
    """The table under its caption in a worksheet whose column widths ``layout`` sets (the
    sentences, too long for a column, as lines merged across the sheet below it; the best
    option only in the CSV and the report, as it would make every row tall), or a line
    saying every project has works, the rule of the marginal work and what value per 万元
    leaves out, and the support projects of ``region`` (:func:`support_line`); returns the
    next free row. ``table``: the plan's :func:`projects_without_works`."""
    if table.empty:
        ws.cell(row=row, column=1, value=CAPTION).font = Font(bold=True)
        return xl.text_block(ws, row + 1, [_empty_line(plan), *support_line(region)]) + 1
    short = [c for c in COLUMNS if not c.key.startswith("why_") and c.key != "best_option"]
    fitted = [replace(c, width=w.width) for c, w in zip(short, layout, strict=False)]
    row = xl.write_table(ws, row, CAPTION, reader_figures(table), fitted, total=False) - 1
    lines = [f"{pid}：{zh} {en}" for pid, zh, en in
             zip(table["project_id"], table["why_zh"], table["why_en"], strict=True)]
    return xl.text_block(ws, row, [*lines, *support_line(region), MARGINAL_RULE,
                                   RETURN_NOTE]) + 1


def write_unfunded_csv(table: pd.DataFrame, path: Path) -> None:
    """The table as CSV: single-line bilingual headers, figures as in the sheet
    (:func:`reader_figures`), UTF-8 with BOM for Excel."""
    frame = reader_figures(table)[[c.key for c in COLUMNS]]
    frame.set_axis([c.header.replace("\n", " ") for c in COLUMNS], axis=1).to_csv(
        path, index=False, encoding="utf-8-sig", float_format="%.10g")


def unfunded_html(table: pd.DataFrame, plan: Plan, region: Region | None = None) -> list[str]:
    """The report's section from the plan's :func:`projects_without_works`: heading, the
    table (project, reason, options, area, share of the marginal work, the two sentences)
    or a line saying every project has works, the rule of the marginal work and what value
    per 万元 leaves out, and the support projects of ``region`` (:func:`support_line`)."""

    heading = f"<h2>{CAPTION}</h2>"
    if table.empty:
        return [heading, paragraphs([_empty_line(plan), *support_line(region)])]
    shown = [c for c in COLUMNS if c.key not in ("best_pct_per_1000_wan",)]
    frame = reader_figures(table)[[c.key for c in shown]].copy()
    frame["share_of_marginal_pct"] = frame["share_of_marginal_pct"].map(
        lambda pct: "n/a" if not np.isfinite(pct) else f"{pct:,.1f}%")
    frame["area_km2"] = table["area_km2"].map(lambda km2: f"{area_text(km2)} ({km2:,.1f} km²)")
    frame.columns = [c.header.replace("\n", " ") for c in shown]
    return [heading, html_table(frame), paragraphs([*support_line(region), MARGINAL_RULE,
                                                    RETURN_NOTE])]
