"""Plan projects without works (无入选措施的重点项目): for each, why it gets nothing.

The plan names 20 key projects under 7 works (plan lines 96-102); a funding body asks, for
each one the plan leaves without works, why. Per project that takes works (levels
``programme``, ``work``, ``project`` with actions: region/projects.py) and has none in the
plan, the table says:

* its **feasible options** after every rule (the option table's parcel × action pairs filed
  under it, less what ``locked_out`` rules remove) and their area; with none, **which
  condition leaves none**: the project's own rule (zone, county, land cover, place), the
  action catalogue's (zones, land covers, degradation, place, something to treat) or a
  spatial rule (red lines, reserves), or that a more specific project takes its options
  (region/projects.py). The conditions are the very steps that build the options
  (region/projects.py ``rule_conditions``, criteria/feasibility.py
  ``catalogue_conditions`` and ``forbidden_by_rules``), taken one at a time;
* the **best option's value per 万元** (its objective coefficient over its whole cost, at
  its best start year: optimizer/project_options.py) as a share of the **marginal funded
  work's**: the least value per 万元 among the works the plan chose for their return — not
  those a rule requires (mandatory works, targets), nor water-saving irrigation, which the
  plan funds for the water it frees rather than for its own benefit;
* whether its options need **new water in a county with none** (no allocation and no
  credited water saved by the plan there, or with ``saving_scope = "city"`` anywhere in the
  city: docs/water.md), or are held back by an action's **yearly
  capacity**: only when, in every horizon year, the plan leaves less of it than the
  project's best option's area;
* one sentence in Chinese and one in English.

outputs/unfunded.py writes the table (sheet, CSV, report).
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
from outputs.explain import plan_benefit
from outputs.labels import action_names, area_text, county_names
from outputs.place_words import cover_words, place_words
from region.io import Region
from region.projects import FILED_UNDER, assign_projects, parcels_in_place, rule_conditions
from region.validate import split_list

#: Numeric tolerance of "no water" and "capacity full".
TOLERANCE = 1e-6
#: Columns of :func:`projects_without_works`.
TABLE_COLUMNS = ["project_id", "project_label", "options", "area_km2", "best_pct_per_1000_wan",
                 "share_of_marginal_pct", "water_options", "reason", "best_option", "why_zh",
                 "why_en", "share_of_marginal"]
#: Short words of each reason (the ``reason`` column).
REASONS = {
    "none": ("无可行选项", "no feasible option"),
    "water": ("缺水", "no water"),
    "return": ("效益偏低", "lower return"),
    "water_used": ("水量已用尽", "water used up"),
    "capacity": ("实施能力已满", "capacity full"),
    "other": ("其他约束", "other limits"),
}


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


def saving_scope(plan: Plan) -> str:
    """Where the plan's credited savings may be used: "county" (the default) or "city"."""
    return plan.scenario.water.saving_scope if plan.scenario is not None else "county"


def dry_accounts(plan: Plan) -> set[str]:
    """Water accounts with no water for new works in any horizon year: no allocation, no
    lake source beyond the lake's target, and no credited saving it may draw on — its own
    (``saving_scope = "county"``) or, as credited savings then move between counties
    (optimizer/water_accounts.py), any county's (``"city"``)."""
    accounts = plan.water_accounts
    if accounts is None or accounts.empty:
        return set()
    source, target = accounts.get("lake_source", 0.0), accounts.get("lake_target", 0.0)
    if "allocation" in accounts:
        saved = accounts.get("saving_credited", pd.Series(0.0, index=accounts.index))
        if saving_scope(plan) == "city":  # what is moved in is part of this sum
            saved = saved.groupby(accounts["year"]).transform("sum")
        else:
            saved = saved + accounts.get("moved_in", 0.0)
        new = accounts["allocation"] + saved + np.maximum(source - target, 0.0)
    else:  # a table with availability only: what the lake's target leaves of it
        new = accounts["water_available"] - np.minimum(source, target)
    most = new.groupby(accounts["account"].astype(str)).max()
    return set(most.index[most <= TOLERANCE])


def _account(county: str, accounts: set[str]) -> str:
    return county if county in accounts else "city"


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
    city = saving_scope(plan) == "city"
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


def pct_text(share: float) -> str:
    """A share as the sentences write it: "40%", "5.3%", "n/a"."""
    return "n/a" if not np.isfinite(share) else f"{share:.0%}" if share >= 0.1 \
        else f"{share:.1%}"


def projects_without_works(plan: Plan, region: Region) -> pd.DataFrame:
    """One row per plan project that takes works and has none in the plan: see the module
    docstring. Empty when the region has no projects or the plan no option summary."""
    columns = TABLE_COLUMNS
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
    actions = action_names(region)
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
    has = (f"有{n}个可行选项（{area_text(area)}），最佳选项每万元效益为边际入选措施的"
           f"{pct_text(share)}",
           f"{options_en} ({area_text(area)}, {area:,.1f} km²); its best returns "
           f"{pct_text(share)} of what the marginal funded work returns per 万元")
    them_zh = "全部" if water_options == n else f"其中{water_options}个"
    them_en = ("it needs" if n == 1 else "all need") if water_options == n \
        else f"{water_options} of them need"
    city = saving_scope(plan) == "city"
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
            share_text = pct_text(max(outbid[a] for a in full))
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
