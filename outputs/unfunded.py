"""Plan projects without works (无入选措施的重点项目): for each, why it gets nothing.

The plan names 20 key projects under 7 works (plan lines 96-102); a funding body asks, for
each one the plan leaves without works, why. Per project that takes works (levels
``programme``, ``work``, ``project`` with actions: region/projects.py) and has none in the
plan, the table says:

* its **feasible options** after every rule (the option table's parcel × action pairs filed
  under it, less what ``locked_out`` rules remove) and their area; with none, **which
  condition leaves none**: the project's own rule (zone, county, land cover, place), the
  action catalogue's (zones, land covers, degradation, place, something to treat) or a
  spatial rule (red lines, reserves: criteria/feasibility.py), or that a more specific
  project takes its options (region/projects.py);
* the **best option's value per 万元** (its objective coefficient over its whole cost, at
  its best start year: optimizer/project_options.py) as a share of the **marginal funded
  work's**: the least value per 万元 among the works the plan chose for their return — not
  those a rule requires (mandatory works, targets), nor water-saving irrigation, which the
  plan funds for the water it frees rather than for its own benefit;
* whether its options need **new water in a county with none** (no allocation and no water
  saved there by the plan: docs/water.md), or are held back by an action's **yearly
  capacity**: only when, in every horizon year, the plan leaves less of it than the
  project's best option's area;
* one sentence in Chinese and one in English.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from criteria.feasibility import forbidden_by_rules, inside, treated_area
from optimizer.plan import Plan
from outputs import workbook as xl
from outputs.explain import plan_benefit
from outputs.labels import area_text, county_names
from outputs.workbook import Column
from region.io import Region
from region.places import Comparison, PlaceSyntaxError, parse_place
from region.projects import FILED_UNDER, assign_projects
from region.schema import LAND_COVERS
from region.validate import split_list

#: Numeric tolerance of "no water" and "capacity full".
TOLERANCE = 1e-6
#: Short words of each reason (the ``reason`` column).
REASONS = {
    "none": ("无可行选项", "no feasible option"),
    "water": ("缺水", "no water"),
    "return": ("效益偏低", "lower return"),
    "water_used": ("水量已用尽", "water used up"),
    "capacity": ("实施能力已满", "capacity full"),
    "other": ("其他约束", "other limits"),
}
MARGINAL_RULE = (
    "边际入选措施：本方案为其回报而入选的措施中每万元效益最低者（不计规则要求的必须实施或目标"
    "措施，也不计为腾出水量而实施的节水灌溉）；每万元效益 = 该选项在目标函数中的系数 ÷ 总投资，"
    "取最佳开工年。 "
    "The marginal funded work: the one with the least value per 万元 among the works the plan "
    "chose for their return (not those a rule requires, mandatory works and targets, nor "
    "water-saving irrigation, funded for the water it frees); value per 万元 = the option's "
    "coefficient in the objective ÷ its total cost, at its best start year.")
COLUMNS = [
    Column("project_label", "重点项目", "Plan project", width=34, wrap=True),
    Column("options", "可行选项", "Feasible options", "#,##0", 10,
           note="规则筛选后归入该项目的地块×措施数 Parcel × action pairs filed under the "
                "project after every rule"),
    Column("area_km2", "可行面积\nkm²", "Feasible area km²", "#,##0.0", 11),
    Column("best_pct_per_1000_wan", "最佳选项每千万元效益(%)", "Best option, % of plan "
           "benefit per 1,000万元", "0.000", 14),
    Column("share_of_marginal_pct", "占边际入选措施(%)", "% of the marginal funded work",
           '0.0"%"', 12, note="最佳选项每万元效益 ÷ 边际入选措施每万元效益 Best option's value "
                              "per 万元 ÷ the marginal funded work's"),
    Column("water_options", "无水县的需水选项", "Options needing water where none",
           "#,##0", 12),
    Column("reason", "原因", "Reason", width=14, wrap=True),
    Column("best_option", "最佳选项", "Best option", width=24, wrap=True,
           note="按每万元效益最佳的选项：措施、区县、开工年 The option with the best value per "
                "万元: action, county, start year"),
    Column("why_zh", "原因说明", "Why, in Chinese", width=60, wrap=True),
    Column("why_en", "原因说明（英文）", "Why, in English", width=60, wrap=True),
]


def marginal_ratio(chosen: pd.DataFrame) -> float:
    """The least value per 万元 among the works chosen for their return (not required,
    not freeing water); NaN when there is none."""
    if chosen.empty:
        return np.nan
    years = sorted(int(c.removeprefix("cost_")) for c in chosen.columns
                   if c.startswith("cost_") and c.removeprefix("cost_").isdigit())
    cost = chosen[[f"cost_{y}" for y in years]].sum(axis=1) + chosen["cost_after_horizon"]
    saving = chosen[[c for c in chosen.columns if c.startswith("saving_")]].sum(axis=1)
    free = ~chosen["required"].astype(bool) & (saving <= TOLERANCE) & (cost > 0)
    ratio = chosen.loc[free, "value"] / cost[free]
    return float(ratio.min()) if len(ratio) else np.nan


def dry_accounts(plan: Plan) -> set[str]:
    """Water accounts with no water for new works in any horizon year: no allocation, no
    credited saving, nothing moved in, no lake source beyond the lake's target."""
    accounts = plan.water_accounts
    if accounts is None or accounts.empty:
        return set()
    source, target = accounts.get("lake_source", 0.0), accounts.get("lake_target", 0.0)
    if "allocation" in accounts:
        new = accounts["allocation"] + accounts.get("saving_credited", 0.0) \
            + accounts.get("moved_in", 0.0) + np.maximum(source - target, 0.0)
    else:  # a table with availability only: what the lake's target leaves of it
        new = accounts["water_available"] - np.minimum(source, target)
    most = new.groupby(accounts["account"].astype(str)).max()
    return set(most.index[most <= TOLERANCE])


def _account(county: str, accounts: set[str]) -> str:
    return county if county in accounts else "city"


def _action_names(region: Region) -> dict[str, tuple[str, str]]:
    actions = region.actions
    return {code: (zh, en) for code, zh, en in
            zip(actions["code"], actions["name_zh"], actions["name_en"], strict=True)}


def _cover_words(covers: tuple[str, ...]) -> tuple[str, str]:
    names = [LAND_COVERS.get(c, (c, c)) for c in covers]
    return "、".join(n[0] for n in names), ", ".join(n[1] for n in names)


#: The treated objects of each ``area_basis`` when none is left (Chinese, English).
NOTHING_TO_TREAT = {
    "parcel": ("无可实施面积的地块", "no parcel with area to treat"),
    "mine": ("无待修复矿山的地块", "no parcel with a mine awaiting remediation"),
    "karez": ("无坎儿井的地块", "no parcel with a karez"),
}
_BOUNDS = {"<=": ("以内", "within"), "<": ("以内", "within")}
_LEVELS = {"<=": ("≤", "or less"), "<": ("<", "or less, exclusive"),
           ">=": ("≥", "or more"), ">": (">", "or more, exclusive")}
#: Features the shipped rules measure distance to (``near(layer)``, ``dist_*_km``).
_FEATURES = {"dist_oasis_km": ("绿洲", "the oasis"), "dist_river_km": ("河道", "a river"),
             "aydingkol_lake": ("艾丁湖", "Lake Aydingkol")}
RIVERS = {"白杨河": "the Baiyang River (白杨河)"}


def _term_words(term: Comparison, counties: dict[str, tuple[str, str]]) \
        -> tuple[str, str] | None:
    """One comparison of a place in words, for the columns and layers the shipped catalogue
    and projects use; None for any other (a bureau's own), which is then shown as written."""
    right = f"{term.right:g}" if isinstance(term.right, float) else str(term.right)
    near = term.near
    feature = _FEATURES.get(near[0] if near else term.left)
    if near and near[1] and near[0] == "rivers":
        feature = (near[1], RIVERS.get(near[1], near[1]))
    if feature and term.op in _BOUNDS:
        return f"距{feature[0]}{right}公里{_BOUNDS[term.op][0]}", \
            f"within {right} km of {feature[1]}"
    if term.left == "karez_count" and term.op == ">=" and term.right == 1:
        return "有坎儿井穿过", "a karez crosses it"
    if term.left == "road_rail" and term.op == "!=" and term.right == "":
        return "沿公路、铁路", "along a road or railway"
    if term.left == "degradation" and term.op in _LEVELS:
        return f"退化等级{_LEVELS[term.op][0]}{right}", \
            f"degradation level {right} {_LEVELS[term.op][1]}"
    if term.left == "land_cover" and term.op in ("==", "!="):
        zh, en = LAND_COVERS.get(right, (right, right))
        return (f"地类为{zh}", f"on {en}") if term.op == "==" else (f"地类非{zh}", f"not on {en}")
    if term.left in ("county", "township") and term.op in ("==", "!="):
        zh, en = counties.get(right, (right, right)) if term.left == "county" else (right, right)
        return (f"位于{zh}", f"in {en}") if term.op == "==" else (f"不在{zh}", f"outside {en}")
    return None


def place_words(text: object, counties: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """A place expression (region/places.py) in words, Chinese and English:
    ``dist_oasis_km<=10`` → 距绿洲10公里以内 / within 10 km of the oasis; the expression itself
    where any part of it is not one the shipped rules use."""
    try:
        alternatives = parse_place(text)
    except PlaceSyntaxError:
        return str(text), str(text)
    words = [[_term_words(term, counties) for term in terms] for terms in alternatives]
    if not words or any(w is None for terms in words for w in terms):
        return str(text), str(text)
    if len(words) > 1 and all(len(t) == 1 and t[0].left == alternatives[0][0].left
                              and t[0].op == "==" for t in alternatives) \
            and alternatives[0][0].left in ("county", "township"):  # one of several places
        return (f"位于{'、'.join(t[0][0].removeprefix('位于') for t in words)}",
                f"in {', '.join(t[0][1].removeprefix('in ') for t in words)}")
    wrap = len(words) > 1  # (a and b) or c
    zh = ["且".join(w[0] for w in t) if len(t) == 1 or not wrap
          else f"（{'且'.join(w[0] for w in t)}）" for t in words]
    en = [" and ".join(w[1] for w in t) if len(t) == 1 or not wrap
          else f"({' and '.join(w[1] for w in t)})" for t in words]
    return "或".join(zh), " or ".join(en)


def no_option_cause(project: pd.Series, region: Region, plan: Plan) -> tuple[str, str]:
    """Which condition leaves the project no option (Chinese, English): its own rule, the
    catalogue's rule of each of its actions, a spatial rule, or a more specific project."""
    parcels = pd.DataFrame(region.parcels.drop(columns="geometry", errors="ignore")) \
        .reset_index(drop=True)
    counties = county_names(region)
    mask = np.ones(len(parcels), bool)
    own = []
    zones = split_list(project.get("zones", ""))
    if zones:
        own.append((parcels["zone"].astype(str).isin(zones).to_numpy(),
                    f"{'、'.join(zones)}区", f"zone {', '.join(zones)}"))
    wanted = split_list(project.get("counties", ""))
    if wanted:
        own.append((parcels["county"].astype(str).isin(wanted).to_numpy(),
                    "、".join(counties.get(c, (c, c))[0] for c in wanted),
                    ", ".join(counties.get(c, (c, c))[1] for c in wanted)))
    covers = split_list(project.get("land_covers", ""))
    if covers:
        zh, en = _cover_words(covers)
        own.append((parcels["land_cover"].isin(covers).to_numpy(), f"地类为{zh}",
                    f"land cover {en}"))
    place = str(project.get("places", "") or "").strip()
    if place:
        zh, en = place_words(place, counties)
        own.append((region.places.mask(place), f"位置：{zh}", f"place: {en}"))
    said_zh, said_en = [], []
    for condition, zh, en in own:
        mask &= condition
        said_zh.append(zh)
        said_en.append(en)
        if not mask.any():
            return (f"没有地块同时满足本项目的条件（{'，'.join(said_zh)}）",
                    f"no parcel meets the project's own rule ({'; '.join(said_en)})")
    names = _action_names(region)
    catalogue = region.actions.set_index("code")
    rules = plan.scenario.spatial_rules if plan.scenario is not None else []
    causes, left = [], []
    for code in split_list(project["actions"]):
        zh_a, en_a = names.get(code, (code, code))
        if code not in catalogue.index:
            causes.append((f"目录中无{zh_a}", f"the catalogue has no {en_a}"))
            continue
        action = catalogue.loc[code]
        area, _ = treated_area(parcels, action.rename(code))
        a_zones = split_list(action["zones"])
        a_covers = split_list(action["land_covers"])
        a_place = place_words(action.get("places", ""), counties)
        nothing = NOTHING_TO_TREAT.get(str(action.get("area_basis", "parcel")),
                                       NOTHING_TO_TREAT["parcel"])
        steps = [
            (parcels["zone"].astype(str).isin(a_zones).to_numpy(),
             f"目录只允许{zh_a}用于{'、'.join(a_zones)}区",
             f"the catalogue allows {en_a} only in zone {', '.join(a_zones)}"),
            (parcels["land_cover"].isin(a_covers).to_numpy(),
             f"目录只允许{zh_a}用于{_cover_words(a_covers)[0]}",
             f"the catalogue allows {en_a} only on {_cover_words(a_covers)[1]}"),
            ((parcels["degradation"] >= action["min_degradation"]).to_numpy(),
             f"无退化程度达到{action['min_degradation']}级的地块（{zh_a}的条件）",
             f"no parcel degraded to level {action['min_degradation']} or more, as "
             f"{en_a} needs"),
            (region.places.mask(action.get("places", "")),
             f"不在目录规定的{zh_a}位置（{a_place[0]}）",
             f"none lies where the catalogue places {en_a} ({a_place[1]})"),
            (area > 0, f"{nothing[0]}可供{zh_a}", f"{nothing[1]} for {en_a}"),
        ]
        here = mask.copy()
        cause = None
        for condition, zh, en in steps:
            here &= condition
            if not here.any():
                cause = (zh, en)
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


def _has_capacity(region: Region, action: str) -> bool:
    catalogue = region.actions.set_index("code")
    return "capacity_km2_per_yr" in catalogue and action in catalogue.index \
        and bool(np.isfinite(float(catalogue.at[action, "capacity_km2_per_yr"])))


def _capacity_full(plan: Plan, region: Region, action: str, area_km2: float) -> bool:
    """Whether the plan leaves less than ``area_km2`` of ``action``'s yearly capacity in
    every horizon year (no capacity: never full)."""
    if not _has_capacity(region, action):
        return False
    capacity = float(region.actions.set_index("code").at[action, "capacity_km2_per_yr"])
    chosen = plan.chosen
    started = chosen.loc[chosen["action"] == action].groupby("start_year")["area_km2"].sum()
    years = plan.years["year"].astype(int)
    room = capacity - started.reindex(years).fillna(0.0).to_numpy()
    return bool((room < area_km2 - TOLERANCE).all())


def _saving_words(plan: Plan, region: Region, options: pd.DataFrame,
                  counties: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """For options that free water (the catalogue's water per km² below 0): that their own
    benefit is small and the water they would free buys nothing the plan chooses in their
    counties; ("", "") otherwise."""
    rate = region.actions.set_index("code")["water_wan_m3_per_km2_yr"]
    saving = options[options["action"].map(rate).fillna(0.0) < 0]
    if saving.empty:
        return "", ""
    chosen = plan.chosen
    demand = chosen[[c for c in chosen.columns if c.startswith("water_")
                     and c.removeprefix("water_").isdigit()]].clip(lower=0.0).sum(axis=1)
    places = sorted(set(saving["county"].astype(str)))
    city = plan.scenario is not None and plan.scenario.water.saving_scope == "city"
    if ((city | chosen["county"].astype(str).isin(places)) & (demand > 0)).any():
        return "", ""
    if city:  # credited savings may go to any county
        return ("；节水灌溉自身效益小，其价值在于为需水措施腾出水量，而本方案在全市未选需水措施",
                "; water saving's own benefit is small: it pays through the water it frees for "
                "water-using works anywhere in the city, and the plan chooses none")
    zh = "、".join(counties.get(c, (c, c))[0] for c in places)
    en = ", ".join(counties.get(c, (c, c))[1] for c in places)
    return (f"；节水灌溉自身效益小，其价值在于为本县需水措施腾出水量，而本方案在{zh}未选需水措施",
            f"; water saving's own benefit is small: it pays through the water it frees for "
            f"water-using works in the same county, and the plan chooses none in {en}")


def _capacity_use(plan: Plan, region: Region, action: str) -> str:
    """"27.3-28.7 / 28.7 km²": the least and most area of ``action`` the plan starts in a
    year, against its yearly capacity."""
    capacity = float(region.actions.set_index("code").at[action, "capacity_km2_per_yr"])
    chosen = plan.chosen
    started = chosen.loc[chosen["action"] == action].groupby("start_year")["area_km2"].sum()
    started = started.reindex(plan.years["year"].astype(int)).fillna(0.0)
    return f"{started.min():.1f}-{started.max():.1f} / {capacity:g} km²"


def _water_binds(plan: Plan, options: pd.DataFrame,
                 counties: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """Where a project's water-using options compete for water that binds: "高昌区（水在9年中
    6年为紧约束）" and its English, or None (no such option, or no binding table)."""
    thirsty = options[options["needs_water"].astype(bool)]
    if thirsty.empty or plan.water_accounts is None or plan.water_accounts.empty \
            or not plan.shadow_prices:
        return None
    binding = plan.binding()
    accounts = set(binding["account"].astype(str))
    words_zh, words_en = [], []
    for county in sorted(set(thirsty["county"].astype(str))):
        account = _account(county, accounts)
        rows = binding[binding["account"].astype(str) == account]
        years = int(rows["water"].astype(bool).sum())
        if years:
            zh, en = counties.get(county, (county, county))
            words_zh.append(f"{zh}水量在{len(rows)}年中有{years}年为紧约束（已被本方案其他措施用尽）")
            words_en.append(f"{en}, where water binds in {years} of {len(rows)} years (the "
                            "plan's other works use all of it)")
    return ("、".join(words_zh), "; ".join(words_en)) if words_zh else None


def _option_words(best: pd.Series, actions: dict[str, tuple[str, str]],
                  counties: dict[str, tuple[str, str]]) -> str:
    """"封育 鄯善县 2027年 enclosure, Shanshan County, 2027"."""
    action = actions.get(str(best["action"]), (str(best["action"]),) * 2)
    county = counties.get(str(best["county"]), (str(best["county"]),) * 2)
    year = int(best["best_year"])
    return f"{action[0]} {county[0]} {year}年 {action[1]}, {county[1]}, {year}"


def _share(ratio: float, marginal: float) -> float:
    return ratio / marginal if np.isfinite(ratio) and np.isfinite(marginal) and marginal > 0 \
        else np.nan


def _pct(share: float) -> str:
    return "n/a" if not np.isfinite(share) else f"{share:.0%}" if share >= 0.1 \
        else f"{share:.1%}"


def projects_without_works(plan: Plan, region: Region) -> pd.DataFrame:
    """One row per plan project that takes works and has none in the plan: see the module
    docstring. Empty when the region has no projects or the plan no option summary."""
    columns = ["project_id", *[c.key for c in COLUMNS], "share_of_marginal"]
    projects = region.projects
    summary = plan.project_options
    if projects is None or projects.empty or summary is None:
        return pd.DataFrame(columns=columns)
    takes = projects[projects["level"].isin(FILED_UNDER)
                     & (projects["actions"].map(split_list).map(len) > 0)]
    funded = set(plan.chosen.get("project_id", pd.Series(dtype=str)).astype(str))
    marginal = marginal_ratio(plan.chosen)
    total = plan_benefit(plan)
    accounts = set(plan.water_accounts["account"].astype(str)) \
        if len(plan.water_accounts) else set()
    dry = dry_accounts(plan)
    counties = county_names(region)
    actions = _action_names(region)
    gap = plan.result.gap
    rows = []
    for _, project in takes.iterrows():
        pid = str(project["project_id"])
        if pid in funded:
            continue
        locked = int(summary.loc[summary["project_id"] == pid, "locked_out"].sum())
        mine = summary[(summary["project_id"] == pid) & (summary["options"] > 0)]
        n, area = int(mine["options"].sum()), float(mine["area_km2"].sum())
        blocked = mine["needs_water"].astype(bool) & mine["county"].map(
            lambda c: _account(str(c), accounts) in dry).astype(bool)
        water_options = int(mine.loc[blocked, "options"].sum())
        dry_names = sorted({counties.get(str(c), (str(c), str(c))) for c in
                            mine.loc[blocked, "county"]})
        best = mine.loc[mine["best_per_wan"].idxmax()] if n else None
        share = _share(best["best_per_wan"], marginal) if best is not None else np.nan
        free = mine[~blocked]
        if n == 0 and locked:
            reason, why = "none", (f"无可行选项：其{locked}个选项均被情景的 locked_out 规则排除。",
                                   f"No feasible option: the scenario's locked_out rules "
                                   f"remove all {locked} of its options.")
        else:
            reason, why = _reason(plan, region, project, n, area, free, marginal, share,
                                  water_options, dry_names, actions, counties, gap)
        rows.append({
            "project_id": pid,
            "project_label": f"{pid} {project['name_zh']} {project['name_en']}",
            "reason": " ".join(REASONS[reason]), "options": n, "area_km2": area,
            "best_pct_per_1000_wan": best["best_per_wan"] * 1000 * 100.0 / total
            if best is not None and total else np.nan,
            "share_of_marginal": share, "share_of_marginal_pct": share * 100.0,
            "water_options": water_options,
            "why_zh": why[0], "why_en": why[1],
            "best_option": "" if best is None else _option_words(best, actions, counties)})
    return pd.DataFrame(rows, columns=columns)


def _reason(plan: Plan, region: Region, project: pd.Series, n: int, area: float,
            free: pd.DataFrame, marginal: float, share: float, water_options: int,
            dry_names: list[tuple[str, str]], actions: dict[str, tuple[str, str]],
            counties: dict[str, tuple[str, str]],
            gap: float | None) -> tuple[str, tuple[str, str]]:
    """The reason's key and the (Chinese, English) sentence."""
    if n == 0:
        zh, en = no_option_cause(project, region, plan)
        return "none", (f"无可行选项：{zh}。", f"No feasible option: {en}.")
    where_zh = "、".join(zh for zh, _ in dry_names)
    where_en = ", ".join(en for _, en in dry_names)
    options_en = "1 feasible option" if n == 1 else f"{n} feasible options"
    has = (f"有{n}个可行选项（{area_text(area)}），最佳选项每万元效益为边际入选措施的{_pct(share)}",
           f"{options_en} ({area_text(area)}, {area:,.1f} km²); its best returns "
           f"{_pct(share)} of what the marginal funded work returns per 万元")
    them_zh = "全部" if water_options == n else f"其中{water_options}个"
    them_en = ("it needs" if n == 1 else "all need") if water_options == n \
        else f"{water_options} of them need"
    city = plan.scenario is not None and plan.scenario.water.saving_scope == "city"
    frees = ("须先在全市任一县实施节水灌溉腾出水量", "water-saving irrigation anywhere in the "
             "city must free it first") if city else \
        ("须先在本县实施节水灌溉腾出水量", "water-saving irrigation in the same county must "
         "free it first")
    water = (f"{them_zh}需新增用水，而{where_zh}在本方案中无可用水量（分配为0，{frees[0]}）",
             f"{them_en} new water in {where_en}, where the plan has none (allocation 0: "
             f"{frees[1]})")
    if free.empty:
        return "water", (f"{has[0]}；{water[0]}。", f"{has[1]}; {water[1]}.")
    with_water = (f"；{water[0]}", f"; {water[1]}") if water_options else ("", "")
    statuses, outbid = {}, {}
    for _, group in free.groupby("action"):
        top = group.loc[group["best_per_wan"].idxmax()]
        action = str(top["action"])
        if np.isfinite(marginal) and top["best_per_wan"] < marginal:
            statuses[action] = "return"
        elif _capacity_full(plan, region, action, float(top["best_area_km2"])):
            statuses[action] = "capacity"
            least = _least_funded(plan.chosen, action)
            if np.isfinite(least) and top["best_per_wan"] < least:
                outbid[action] = _share(top["best_per_wan"], least)
        else:
            statuses[action] = "open"
    if "open" not in statuses.values() and "capacity" in statuses.values():
        full = [a for a, s in statuses.items() if s == "capacity"]
        zh_c = "、".join(f"{actions[a][0]}（每年{_capacity_use(plan, region, a)}）" for a in full)
        en_c = ", ".join(f"{actions[a][1]} ({_capacity_use(plan, region, a)} a year)"
                         for a in full)
        if all(a in outbid for a in full):
            share_text = _pct(max(outbid[a] for a in full))
            return "capacity", (
                f"{has[0]}，但{zh_c}的年实施能力用于每万元效益更高的其他项目措施（本项目最佳选项"
                f"为其中最低者的{share_text}）{with_water[0]}。",
                f"{has[1]}, but the yearly capacity of {en_c} goes to other projects' works "
                f"returning more per 万元 (its best returns {share_text} of the least of "
                f"them){with_water[1]}.")
        return "capacity", (
            f"{has[0]}，但{zh_c}的年实施能力在各年均已由其他项目的措施用满，余量容不下其最佳选项"
            f"{with_water[0]}。",
            f"{has[1]}, but the yearly capacity of {en_c} is used up by other projects' works "
            f"in every year, too little left for its best option{with_water[1]}.")
    if "open" not in statuses.values():
        saving = _saving_words(plan, region, free, counties)
        return "return", (f"{has[0]}，资金用于每万元效益更高的措施{with_water[0]}{saving[0]}。",
                          f"{has[1]}: the money goes to works returning more{with_water[1]}"
                          f"{saving[1]}.")
    open_options = free[free["action"].isin([a for a, s in statuses.items() if s == "open"])]
    binds = _water_binds(plan, open_options, counties)
    if binds is not None and open_options["needs_water"].astype(bool).all():
        return "water_used", (
            f"{has[0]}{with_water[0]}；{'其余' if water_options else ''}选项均需用水，所在的"
            f"{binds[0]}。",
            f"{has[1]}{with_water[1]}; {'the rest' if water_options else 'they'} need water "
            f"in {binds[1]}.")
    gap_text = "n/a" if gap is None else f"{gap:.2%}"
    capacity = region.actions.set_index("code").get("capacity_km2_per_yr")
    limited = [a for a in sorted(set(open_options["action"]))
               if capacity is not None and np.isfinite(float(capacity.get(a, np.nan)))]
    if limited:
        with_water = (
            f"{with_water[0]}；{'、'.join(actions[a][0] for a in limited)}的年实施能力已用"
            f"{'、'.join(_capacity_use(plan, region, a) for a in limited)}",
            f"{with_water[1]}; the yearly capacity of "
            f"{', '.join(actions[a][1] for a in limited)} is used "
            f"{', '.join(_capacity_use(plan, region, a) for a in limited)}")
    return "other", (
        f"{has[0]}，未受缺水或实施能力所限{with_water[0]}；未入选源于各年预算以整块地块排满、"
        f"每块地一项措施、县内用水等约束的组合，或求解间隙（{gap_text}）。",
        f"{has[1]}, and neither missing water nor a full capacity stops it{with_water[1]}; "
        f"it is left out by the rules together (each year's budget filled with whole "
        f"parcels, one action per parcel, water shared within the county) or within the "
        f"solver's gap "
        f"({gap_text}).")


def _least_funded(chosen: pd.DataFrame, action: str) -> float:
    """The least value per 万元 among the plan's works of ``action`` (NaN: none)."""
    rows = chosen[chosen["action"] == action]
    if rows.empty:
        return np.nan
    cost = rows[[c for c in rows.columns if c.startswith("cost_")]].sum(axis=1)
    return float((rows["value"] / cost).min())


CAPTION = "无入选措施的重点项目及原因 Plan projects without works, and why"
NONE_LEFT = "规划所列各重点项目均有入选措施。 Every plan project that takes works has some."
NOT_KNOWN = ("本方案未记录各项目的可选措施，无法说明。 The plan keeps no summary of its "
             "projects' options (optimizer/project_options.py), so it cannot say.")


def _empty_line(plan: Plan) -> str:
    return NOT_KNOWN if plan.project_options is None else NONE_LEFT


def write_unfunded_sheet_table(ws: Worksheet, row: int, table: pd.DataFrame, plan: Plan,
                               layout: list[Column]) -> int:
    """The table under its caption in a worksheet whose column widths ``layout`` sets (the
    sentences, too long for a column, as lines merged across the sheet below it; the best
    option only in the CSV and the report, as it would make every row tall), or a line
    saying every project has works, and the rule of the marginal work; returns the next
    free row. ``table``: the plan's :func:`projects_without_works`."""
    if table.empty:
        ws.cell(row=row, column=1, value=CAPTION).font = Font(bold=True)
        return xl.text_block(ws, row + 1, [_empty_line(plan)]) + 1
    short = [c for c in COLUMNS if not c.key.startswith("why_") and c.key != "best_option"]
    fitted = [replace(c, width=w.width) for c, w in zip(short, layout, strict=False)]
    row = xl.write_table(ws, row, CAPTION, table, fitted, total=False) - 1
    lines = [f"{pid}：{zh} {en}" for pid, zh, en in
             zip(table["project_id"], table["why_zh"], table["why_en"], strict=True)]
    return xl.text_block(ws, row, [*lines, MARGINAL_RULE]) + 1


def write_unfunded_csv(table: pd.DataFrame, path: Path) -> None:
    """The table as CSV: single-line bilingual headers, UTF-8 with BOM for Excel."""
    frame = table[[c.key for c in COLUMNS]]
    frame.set_axis([c.header.replace("\n", " ") for c in COLUMNS], axis=1).to_csv(
        path, index=False, encoding="utf-8-sig", float_format="%.10g")


def unfunded_html(table: pd.DataFrame, plan: Plan) -> list[str]:
    """The report's section from the plan's :func:`projects_without_works`: heading, the
    table (project, reason, options, area, share of the marginal work, the two sentences)
    or a line saying every project has works, and the rule of the marginal work."""
    from outputs.report import html_table, paragraphs  # report.py imports this module

    heading = f"<h2>{CAPTION}</h2>"
    if table.empty:
        return [heading, paragraphs([_empty_line(plan)])]
    shown = [c for c in COLUMNS if c.key not in ("best_pct_per_1000_wan",)]
    frame = table[[c.key for c in shown]].copy()
    frame["share_of_marginal_pct"] = (table["share_of_marginal"]).map(_pct)
    frame["area_km2"] = frame["area_km2"].map(lambda km2: f"{area_text(km2)} ({km2:,.1f} km²)")
    frame.columns = [c.header.replace("\n", " ") for c in shown]
    return [heading, html_table(frame), paragraphs([MARGINAL_RULE])]
