"""Marks on a listed work that say how its plan project is deployed (部署标注), and the
report's table of what each plan project gets.

Two marks, per work of the priority lists:

* **最低部署 minimum deployment**: a scenario target needs the work — without it the
  target's works fall short of its minimum (:func:`outputs.reasons.target_needs`): a
  target on the work's plan project (or on the key work it belongs to, or an umbrella
  covering it), or a target on its action or places when the work belongs to a plan project
  (the mine programme W0's pending mines that "all 10 mines by 2030" needs: a stranger found
  them unmarked). A work under no plan project has no deployment to mark (its list row says
  which target needs it). For the key-projects scenario (at least one work per project) that
  is a project's only work. The target placed it; whether the plan would choose it for its
  return alone is not tested, and the plan gives no area per project (review finding 5).
* **跨分区（规划为第N区 name） outside the plan's zone**: the plan files the project under the
  key work of zone N (plan lines 98-102; projects.csv: the ``zones`` of the project's
  ``parent`` work, or the work's own), and the work lies in another zone — where the project
  table's rule lets it work beyond the plan's zone (an estimate, said in its ``source``;
  review finding 6). The zone is named by the region's zone labels (zones.csv) beside its
  number.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from outputs.html_page import html_table, paragraphs
from outputs.labels import MU_PER_KM2, zone_names
from outputs.reasons import target_needs
from region.io import Region
from region.projects import FILED_UNDER
from region.scenario import Scenario
from region.validate import split_list

MINIMUM = ("最低部署", "minimum deployment")


def outside_zone_mark(plan_zones: list[str], names: Mapping[int, tuple[str, str]]
                      ) -> tuple[str, str]:
    """("跨分区（规划为第2区 绿洲特色农业…区）", "outside the plan's zone (zone 2, Oasis
    agriculture …)") for a project the plan puts in ``plan_zones``, each zone by its number
    and its name in ``names`` (zone code → (Chinese, English): outputs/labels.py
    :func:`zone_names`), by its number alone where it has none."""
    def named(zone: str) -> tuple[str, str]:
        zh, en = names.get(int(zone), ("", "")) if zone.isdigit() else ("", "")
        return (f"第{zone}区{' ' + zh if zh else ''}", f"zone {zone}{', ' + en if en else ''}")

    zones = [named(z) for z in plan_zones]
    return (f"跨分区（规划为{'；'.join(zh for zh, _ in zones)}）",
            f"outside the plan's zone ({'; '.join(en for _, en in zones)})")


def minimum_deployment(frame: pd.DataFrame, scenario: Scenario | None) -> NDArray[np.bool_]:
    """Per row of ``frame`` (chosen works: start_year, project_id, work_id …), whether a
    scenario target needs it (:func:`outputs.reasons.target_needs`): a target on a plan
    project, or any other target when the work belongs to a plan project (a work with a
    ``project_id``)."""
    flags = np.zeros(len(frame), dtype=bool)
    if scenario is None or frame.empty:
        return flags
    frame = frame.reset_index(drop=True)
    in_project = (frame["project_id"].fillna("").astype(str).str.strip() != "").to_numpy() \
        if "project_id" in frame else np.zeros(len(frame), dtype=bool)
    for target in scenario.targets:
        needed = target_needs(frame, target)[0]
        flags[needed if target.project is not None else needed[in_project[needed]]] = True
    return flags


def plan_zones(region: Region) -> dict[str, list[str]]:
    """Per project of the region's project table, the zones of the key work the plan files
    it under (its ``parent``'s ``zones``, a work's own); projects whose work states no zone
    (the mine programme, the umbrella work, support projects) are not keys."""
    projects = region.projects
    if projects is None or projects.empty or "zones" not in projects:
        return {}
    table = projects.set_index("project_id")
    out = {}
    for project, row in table.iterrows():
        parent = str(row.get("parent", "") or "")
        work = parent if parent in table.index else project
        zones = list(split_list(table.at[work, "zones"]))
        if zones and table.at[work, "level"] == "work":
            out[str(project)] = zones
    return out


def outside_plan_zone(frame: pd.DataFrame, region: Region) -> list[list[str] | None]:
    """Per row of ``frame`` (project_id, zone), the zones the plan puts its project in when
    the row lies elsewhere; None when it lies in them or its project states none."""
    zones = plan_zones(region)
    out: list[list[str] | None] = []
    for project, zone in zip(frame["project_id"].fillna("").astype(str),
                             pd.to_numeric(frame["zone"], errors="coerce"), strict=True):
        wanted = zones.get(project)
        inside = pd.notna(zone) and zone in pd.to_numeric(pd.Series(wanted or [], dtype=object),
                                                           errors="coerce").to_list()
        out.append(wanted if wanted and not inside else None)
    return out


def deployment_flags(frame: pd.DataFrame, scenario: Scenario | None,
                     region: Region) -> pd.Series:
    """部署标注 of every row of ``frame``: "最低部署 minimum deployment" and/or
    "跨分区（规划为第2区 …） outside the plan's zone (zone 2, …)", joined by "；"; '' for
    none."""
    minimum = minimum_deployment(frame, scenario)
    outside = outside_plan_zone(frame, region) if "project_id" in frame else [None] * len(frame)
    names = zone_names(region)
    out = []
    for needed, zones in zip(minimum, outside, strict=True):
        marks = [MINIMUM] if needed else []
        if zones:
            marks.append(outside_zone_mark(zones, names))
        out.append("；".join(f"{zh} {en}" for zh, en in marks))
    return pd.Series(out, index=frame.index, dtype=object)


def _years_text(years: pd.Series) -> str:
    """"2032, 2035": the distinct start years, in order."""
    return ", ".join(str(int(y)) for y in sorted(set(years)))


def project_table(lists: pd.DataFrame, region: Region) -> pd.DataFrame:
    """Per plan project that takes works (region/projects.py ``FILED_UNDER`` levels with
    actions), in the project table's order, what the plan gives it: its works, the zones
    they lie in beside the plan's zone, area (亩), whole cost (万元), start years and how
    many are minimum deployments (``deployment_flag`` of the lists). Projects with no work
    show 0 (why: the table of projects without works)."""
    projects = region.projects
    if projects is None or projects.empty:
        return pd.DataFrame()
    taking = projects[projects["level"].isin(FILED_UNDER)
                      & (projects["actions"].map(split_list).map(len) > 0)]
    zones = plan_zones(region)
    flags = lists.get("deployment_flag", pd.Series("", index=lists.index)).fillna("")
    rows = []
    for _, project in taking.iterrows():
        pid = str(project["project_id"])
        works = lists[lists["project_id"].fillna("").astype(str) == pid]
        rows.append({
            "project": f"{pid} {project['name_zh']} {project['name_en']}",
            "plan_zone": ", ".join(zones.get(pid, [])) or "—",
            "zones": ", ".join(str(z) for z in sorted(set(works["zone"].astype(int)))) or "—",
            "works": len(works),
            "area_mu": float(works["area_km2"].sum() * MU_PER_KM2),
            "cost_wan": float(works["total_cost_wan"].sum()),
            "years": _years_text(works["start_year"]) or "—",
            "minimum": int(flags[works.index].str.contains(MINIMUM[0]).sum()),
        })
    return pd.DataFrame(rows)


CAPTION = "各项目的入选措施 What each plan project gets"
HEADERS = {"project": "重点工程/项目 Plan project", "plan_zone": "规划分区 Plan's zone",
           "zones": "措施所在分区 Zones of its works", "works": "措施数 Works",
           "area_mu": "面积(亩) Area (mu)", "cost_wan": "总投资(万元) Total cost (10k CNY)",
           "years": "开工年 Start years", "minimum": "其中最低部署 Of which minimum deployment"}
NOTE = (
    "每个承担地块措施的规划项目在本方案中的措施数、面积、总投资（含规划期后的分期）和开工年；"
    "规划分区为规划将该项目列入的分区重点工程（第98-102行），措施所在分区不同者在清单中标注"
    "“跨分区”；最低部署：情景目标需要的措施（去掉即达不到目标，如“至少实施1处”的项目仅有的一处，"
    "或“2030年前治理全部待治理矿山”所需的W0矿山），为目标所安排的最低限度，规划未给出各项目的"
    "面积，是否会因效益入选未经检验。"
    "编号为本工具所编。 "
    "Per plan project that takes parcel works: its works in this plan, their area, whole cost "
    "(instalments after the horizon included) and start years; the plan's zone is the zone "
    "whose key work the plan files the project under (lines 98-102), and works in another "
    "zone are marked 'outside the plan's zone' in the lists; minimum deployment: works a "
    "scenario target needs (without one the target fails, e.g. the only work of a project "
    "asked for at least one, or W0's mines that 'all pending mines by 2030' needs), the "
    "least the target requires; the plan gives "
    "no area per project, and whether the plan would choose them for their return alone is "
    "not tested. The codes are this tool's.")


def only_minimum_line(table: pd.DataFrame) -> list[str]:
    """One sentence naming the projects whose every work is a minimum deployment (none when
    there are none): what a reviewer should not read as the project carried out."""
    only = table[(table["works"] > 0) & (table["minimum"] == table["works"])]
    if only.empty:
        return []
    ids = only["project"].str.split(" ").str[0].tolist()
    return [f"{len(ids)} 个项目的全部措施均为最低部署（仅为满足情景目标，不是项目的实施规模）："
            f"{'、'.join(ids)}。 {len(ids)} projects get only the works a scenario target "
            f"requires (minimum deployments, not the project's scale): {', '.join(ids)}."]


def project_table_html(lists: pd.DataFrame, region: Region) -> list[str]:
    """The report's section: heading, the table of :func:`project_table`, the projects
    whose works are all minimum deployments, the note."""
    table = project_table(lists, region)
    if table.empty:
        return []
    shown = table.assign(minimum=table["minimum"].map(lambda n: f"{n:,}" if n else ""))
    return [f"<h2>{CAPTION}</h2>",
            html_table(shown.rename(columns=HEADERS),
                       {HEADERS["area_mu"]: ",.0f", HEADERS["cost_wan"]: ",.1f",
                        HEADERS["works"]: ",.0f"}),
            paragraphs([*only_minimum_line(table), NOTE])]
