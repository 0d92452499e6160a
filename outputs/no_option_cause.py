"""Which condition leaves a plan project no feasible option, in Chinese and English.

The conditions are the very steps that build the options, taken one at a time in their
order: the project's own rule (region/projects.py ``rule_conditions``: zone, county, land
cover, place), the action catalogue's (criteria/feasibility.py ``catalogue_conditions``:
zones, land covers, degradation, place, something to treat), the spatial rules (red lines,
reserves: ``forbidden_by_rules``), or that a more specific project takes its options.
outputs/project_causes.py says it for each project the plan leaves without works.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from criteria.feasibility import (
    CATALOGUE_CONDITIONS,
    catalogue_conditions,
    forbidden_by_rules,
    inside,
)
from optimizer.plan import Plan
from outputs.labels import action_names, county_names
from outputs.place_words import cover_words, place_words
from region.io import Region
from region.projects import assign_projects, parcels_in_place, rule_conditions
from region.validate import split_list

#: The treated objects of each ``area_basis`` when none is left (Chinese, English).
NOTHING_TO_TREAT = {
    "parcel": ("无可实施面积的地块", "no parcel with area to treat"),
    "mine": ("无待修复矿山的地块", "no parcel with a mine awaiting remediation"),
    "karez": ("无坎儿井的地块", "no parcel with a karez"),
}


def _own_rule_words(project: pd.Series, names: list[str],
                    counties: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The conditions ``names`` of a project's own rule in words (Chinese, English)."""
    words = {}
    if "zones" in names:
        zones = split_list(project["zones"])
        words["zones"] = f"{'、'.join(zones)}区", f"zone {', '.join(zones)}"
    if "counties" in names:
        wanted = [counties.get(c, (c, c)) for c in split_list(project["counties"])]
        words["counties"] = "、".join(c[0] for c in wanted), ", ".join(c[1] for c in wanted)
    if "land_covers" in names:
        zh, en = cover_words(split_list(project["land_covers"]))
        words["land_covers"] = f"地类为{zh}", f"land cover {en}"
    if "places" in names:
        zh, en = place_words(project["places"], counties)
        words["places"] = f"位置：{zh}", f"place: {en}"
    return words


def _catalogue_words(action: pd.Series, name: tuple[str, str],
                     counties: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Per condition of criteria/feasibility.py's :data:`CATALOGUE_CONDITIONS`, the words
    (Chinese, English) saying that it leaves no parcel for the catalogue row ``action``."""
    zh_a, en_a = name
    zones = split_list(action["zones"])
    covers = cover_words(split_list(action["land_covers"]))
    place = place_words(action.get("places", ""), counties)
    level = action["min_degradation"]
    nothing = NOTHING_TO_TREAT.get(str(action.get("area_basis", "parcel")),
                                   NOTHING_TO_TREAT["parcel"])
    return {
        "zone": (f"目录只允许{zh_a}用于{'、'.join(zones)}区",
                 f"the catalogue allows {en_a} only in zone {', '.join(zones)}"),
        "land_cover": (f"目录只允许{zh_a}用于{covers[0]}",
                       f"the catalogue allows {en_a} only on {covers[1]}"),
        "degradation": (f"无退化程度达到{level}级的地块（{zh_a}的条件）",
                        f"no parcel degraded to level {level} or more, as {en_a} needs"),
        "place": (f"不在目录规定的{zh_a}位置（{place[0]}）",
                  f"none lies where the catalogue places {en_a} ({place[1]})"),
        "treated": (f"{nothing[0]}可供{zh_a}", f"{nothing[1]} for {en_a}"),
    }


def no_option_cause(project: pd.Series, region: Region, plan: Plan) -> tuple[str, str]:
    """Which condition leaves the project no option (Chinese, English): its own rule, the
    catalogue's rule of each of its actions, a spatial rule, or a more specific project.
    The conditions are those that build the options, checked one at a time in their
    order: region/projects.py's :func:`rule_conditions` and criteria/feasibility.py's
    :func:`catalogue_conditions` and :func:`forbidden_by_rules`."""
    parcels = pd.DataFrame(region.parcels.drop(columns="geometry", errors="ignore")) \
        .reset_index(drop=True)
    counties = county_names(region)
    own = rule_conditions(parcels, project,
                          parcels_in_place(region.places, project.get("places", "")))
    own_words = _own_rule_words(project, list(own), counties)
    mask = np.ones(len(parcels), bool)
    said_zh, said_en = [], []
    for name, condition in own.items():
        mask &= condition
        said_zh.append(own_words[name][0])
        said_en.append(own_words[name][1])
        if not mask.any():
            return (f"没有地块同时满足本项目的条件（{'，'.join(said_zh)}）",
                    f"no parcel meets the project's own rule ({'; '.join(said_en)})")
    names = action_names(region)
    catalogue = region.actions.set_index("code")
    rules = plan.scenario.spatial_rules if plan.scenario is not None else []
    causes, left = [], []
    for code in split_list(project["actions"]):
        zh_a, en_a = names.get(code, (code, code))
        if code not in catalogue.index:
            causes.append((f"目录中无{zh_a}", f"the catalogue has no {en_a}"))
            continue
        action = catalogue.loc[code]
        conditions = catalogue_conditions(parcels, action, region.places)
        words = _catalogue_words(action, (zh_a, en_a), counties)
        here = mask.copy()
        cause = None
        for name in CATALOGUE_CONDITIONS:
            here &= conditions[name]
            if not here.any():
                cause = words[name]
                break
        if cause is None:
            blocked = forbidden_by_rules(parcels, code, rules)
            if (here & ~blocked).any():
                left.append((code, here & ~blocked))
                continue
            named = [rule.name for rule in rules
                     if code not in rule.allow and (inside(parcels, rule) & here).any()]
            cause = (f"其余{int(here.sum())}个地块均在空间规则（{'；'.join(named)}）内，"
                     f"不允许{zh_a}",
                     f"the spatial rule{'s' if len(named) > 1 else ''} "
                     f"{'; '.join(named)} forbid{'' if len(named) > 1 else 's'} {en_a} on "
                     f"all {int(here.sum())} parcels left")
        causes.append(cause)
    if left:
        taken = _taken_by(left, parcels, region, str(project["project_id"]))
        if taken:
            causes.append((f"其选项按更具体的项目规则归入{'、'.join(taken)}",
                           f"its options are filed under {', '.join(taken)}, whose rule is "
                           "more specific (region/projects.py)"))
        else:
            causes.append(("其选项不在选项表中（自备的 --options 表未列出）",
                           "its options are missing from the option table (a --options "
                           "file without them)"))
    return "；".join(c[0] for c in causes), "; ".join(c[1] for c in causes)


def _taken_by(left: list[tuple[str, np.ndarray]], parcels: pd.DataFrame, region: Region,
              project_id: str) -> list[str]:
    """The projects that the pairs a project could have are filed under instead."""
    pieces = [parcels.loc[where, ["parcel_id", "zone", "county", "land_cover"]].assign(
        action=code) for code, where in left]
    pairs = pd.concat(pieces, ignore_index=True)
    filed = assign_projects(pairs, region.projects, region.places)["project_id"]
    return sorted(set(filed) - {project_id, ""})
