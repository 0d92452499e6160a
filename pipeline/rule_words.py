"""A model row named in the planner's words, in Chinese and English.

The re-plan says why an announced work moved or was dropped by the rows of the model it
would break (``budget[2028]``, ``one_action[13439]``, ``target[…]``): internal notation a
planner does not read. Here each row is named as the priority lists name things: the
parcel by its number, a county and an action by their names, a target written out from its
fields as the lists' reasons write it (情景目标, the scenario's, outputs/reasons.py).
"""

from __future__ import annotations

import re

from outputs.labels import action_names, county_names
from outputs.reasons import split_bilingual, target_text
from region.io import Region
from region.scenario import Scenario

_ROW = re.compile(r"^(?P<family>[a-z_]+)(?:\[(?P<inside>.*)\])?$")


def _parcel(part: str) -> str:
    return part.removeprefix("parcel ").strip()


def rule_words(label: str, scenario: Scenario, region: Region) -> tuple[str, str]:
    """(Chinese, English) words for the model row ``label`` (optimizer/formulation.py's
    labels); a row of a family not known here keeps its label."""
    match = _ROW.match(label)
    if match is None:
        return label, label
    family, inside = match["family"], match["inside"] or ""
    parts = inside.split(",")
    counties = county_names(region)
    actions = action_names(region)

    def action(code: str) -> tuple[str, str]:
        return actions.get(code, (code, code))

    def county(code: str) -> tuple[str, str]:
        return counties.get(code, ("全市", "the city") if code == "city" else (code, code))

    if family in ("one_action", "one_action_chain"):
        parcel = _parcel(parts[0])
        return f"地块 {parcel} 只能实施一项措施", f"parcel {parcel} takes one work only"
    if family == "chain_order":
        parcel = _parcel(parts[0])
        return (f"地块 {parcel} 的后续措施须在先行措施之后开工",
                f"on parcel {parcel} the follow-up work starts after the first")
    if family == "budget":
        return f"{inside}年资金", f"the money of {inside}"
    if family == "budget_county":
        (zh, en), years = county(parts[0]), parts[-1]
        if "-" in years:  # the county's money up to a year, carried over
            return f"{zh}{years}年累计资金", f"{en}'s money of {years} (carried over)"
        return f"{years}年{zh}资金", f"{en}'s money of {years}"
    if family == "budget_total":
        return "规划期资金总额", "the horizon's total money"
    if family in ("water", "water_city", "water_export", "water_balance"):
        year = parts[-1]
        zh, en = county(parts[0]) if len(parts) > 1 else ("全市", "the city")
        return f"{year}年{zh}用水限额", f"{en}'s water limit in {year}"
    if family == "water_total":
        return "规划期用水总量", "the horizon's total water"
    if family == "target":
        for target in scenario.targets:
            if target.name == inside:
                zh, en = target_text(target, region)
                return f"情景目标：{zh}", f"the scenario target: {en}"
        zh, en = split_bilingual(inside)
        return f"情景目标：{zh}", f"the scenario target: {en}"
    if family == "locked_in":
        zh, en = split_bilingual(inside)
        return f"情景规定必须实施的工程（{zh}）", f"the scenario's mandatory works ({en})"
    if family in ("capacity", "capacity_count", "capacity_mir"):
        (zh, en), year = action(parts[0]), parts[-1]
        return f"{year}年{zh}施工能力", f"the capacity for {en} in {year}"
    if family == "county_share":
        zh, en = county(inside)
        return f"{zh}投资比例下限", f"{en}'s minimum share of the money"
    return label, label
