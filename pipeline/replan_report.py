"""The re-plan's first sections of the report: the past years as they happened, then the
next year's priority list and the changes against the previous plan."""

from __future__ import annotations

import html

import pandas as pd

from optimizer.plan import Plan
from outputs.html_page import html_table, paragraphs
from outputs.priority_lists import priority_lists
from pipeline.work_pairs import change_counts, change_label
from region.io import Region


def _count_label(kind: str) -> str:
    """"替换 replaced (previous works)": a class of change; a replacement's two sides apart."""
    if kind.startswith("replaced_"):
        side = ("原计划工程", "previous works") if kind == "replaced_out" else \
            ("新工程", "new works")
        return f"{change_label('replaced')}（{side[0]}） ({side[1]})"
    return change_label(kind)


def past_years_sections(record: dict) -> list[str]:
    """The report's first lines on the past years: the contradictions between the actuals
    and the progress (warnings), that their works are scored on other criterion scales than
    in the previous plan's report when they are (pipeline/replan_scales.py), then what the
    reported years' figures are."""
    warnings = record.get("warnings", [])
    notes = record.get("reported_years", [])
    scales = record.get("scale_note")
    if not warnings and not notes and not scales:
        return []
    out = ["<h2>往年实际 The past years as they happened</h2>"]
    if warnings:
        out.append(paragraphs([f"注意 Warning: {w['zh']} {w['en']}" for w in warnings],
                              "banner"))
    if scales:  # the past works' weighted figures are on today's scales (replan_scales.py)
        out.append(paragraphs([f"{scales['zh']} {scales['en']}"]))
    return [*out, paragraphs([*notes, "往年按实报数（无实报数的按进度表）显示（运行表、汇总表、"
                                      "本报告）；其余年度为模型计划数。 The past years are shown "
                                      "as reported (actuals) or, without actuals, as the "
                                      "progress file records them (run table, 汇总 sheet, this "
                                      "report); the other years are the plan's."])]


def next_year_sections(plan: Plan, region: Region, changes_table: pd.DataFrame,
                       year: int) -> list[str]:
    """The report's opening: the next year's priority list, then the changes."""
    lists = priority_lists(plan, region)
    first = lists[lists["start_year"] == year]
    change = changes_table.set_index(["parcel_id", "action"])["change"]
    view = pd.DataFrame({
        "优先序 Rank": first["rank"], "地块 Parcel": first["parcel_id"],
        "区县 County": first["county_both"], "措施 Action": first["action_label"],
        "项目 Project": first["project_both"], "面积 Area (km²)": first["area_km2"],
        "投资 Cost (万元)": first["total_cost_wan"],
        "变化 Change": [change_label(change[p, a]) if (p, a) in change.index else ""
                       for p, a in zip(first["parcel_id"], first["action"], strict=True)]})
    counts = change_counts(changes_table["change"], changes_table["new_start"])
    kinds = ("kept", "moved", "resized", "dropped", "replaced_out", "replaced_in", "added")
    summary = pd.DataFrame({"变化 Change": [_count_label(kind) for kind in kinds],
                            "工程数 Works": [counts[kind] for kind in kinds]})
    changed = changes_table[changes_table["change"] != "kept"]
    detail = changed.assign(label=changed["change"].map(change_label)).rename(columns={
        "parcel_id": "地块 Parcel", "action_zh": "措施 Action", "previous_start": "原年度 Was",
        "new_start": "新年度 Now", "label": "变化 Change", "reason_zh": "原因",
        "reason_en": "Reason"})[["地块 Parcel", "措施 Action", "原年度 Was", "新年度 Now",
                                 "变化 Change", "原因", "Reason"]]
    return [f"<h2>{year}年度优先项目清单（滚动调整后） Priority list {year} (re-planned)</h2>",
            "<p class='note'>Ranked as in priorities.xlsx; 变化 Change against the previous "
            "plan (changes.csv).</p>", html_table(view),
            "<h2>与上一版计划相比 Changes against the previous plan</h2>",
            html_table(summary),
            html_table(detail.head(200)) if len(detail) else
            f"<p class='note'>{html.escape('No announced work changed.')}</p>"]
