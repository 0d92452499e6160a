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

The conditions are said by outputs/no_option_cause.py, the plan's limits measured by
outputs/project_limits.py; outputs/unfunded.py writes the table (sheet, CSV, report).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.plan import Plan
from outputs.explain import plan_benefit
from outputs.labels import action_names, area_text, county_names
from outputs.limits import lake_delivery
from outputs.no_option_cause import no_option_cause
from outputs.project_limits import (
    capacity_full,
    capacity_use,
    dry_accounts,
    least_funded,
    marginal_ratio,
    saving_scope,
    water_account,
    water_binds,
)
from region.io import Region
from region.projects import FILED_UNDER
from region.validate import split_list

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
            lambda c: water_account(str(c), accounts) in dry).astype(bool)
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
            why = _with_lake(plan, project, reason, why)
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


#: The actions whose water is the lake's (a project of them is Aydingkol's own).
LAKE_ACTIONS = {"wetland_replenishment"}


def _with_lake(plan: Plan, project: pd.Series, reason: str,
               why: tuple[str, str]) -> tuple[str, str]:
    """A lake project stopped by water says that the lake's delivery goes on outside the
    plan's works: P2-8 read "water used up" beside 4,260 万m³ a year booked to the lake (a
    reviewer's finding)."""
    delivery = lake_delivery(plan)
    if reason not in ("water", "water_used") or delivery <= 0 \
            or not LAKE_ACTIONS & set(split_list(project.get("actions", ""))):
        return why
    return (f"{why[0]}艾丁湖的生态输水（情景估算每年{delivery:,.0f}万m³）在本方案工程之外照常进行，"
            "本项目未安排的是其新增补水工程。",
            f"{why[1]} Aydingkol's ecological delivery (the scenario's estimate, "
            f"{delivery:,.0f} 万m³ a year) goes on outside this plan's works; what the plan "
            "does not schedule is the project's new replenishment works.")


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
        elif capacity_full(plan, region, action, float(top["best_area_km2"])):
            statuses[action] = "capacity"
            least = least_funded(plan.chosen, action)
            if np.isfinite(least) and top["best_per_wan"] < least:
                outbid[action] = _share(top["best_per_wan"], least)
        else:
            statuses[action] = "open"
    if "open" not in statuses.values() and "capacity" in statuses.values():
        full = [a for a, s in statuses.items() if s == "capacity"]
        zh_c = "、".join(f"{actions[a][0]}（{capacity_use(plan, region, a)[0]}）" for a in full)
        en_c = ", ".join(f"{actions[a][1]} ({capacity_use(plan, region, a)[1]})" for a in full)
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
    if "open" not in statuses.values() and water_options and np.isfinite(share) and share >= 1:
        # its best options would be funded on their return, but they need water the county
        # has not: that, not the return of the rest, is why (P2-9 read "lower return" beside
        # a best option at 736 % of the marginal work's, a stranger's finding)
        rest = "其余选项" if water_options < n else "各选项"
        return "water", (f"{has[0]}；{water[0]}；{rest}每万元效益低于边际入选措施。",
                         f"{has[1]}; {water[1]}; the others return less per 万元 than the "
                         "marginal funded work.")
    if "open" not in statuses.values():
        saving = _saving_words(plan, region, free, counties)
        return "return", (f"{has[0]}，资金用于每万元效益更高的措施{with_water[0]}{saving[0]}。",
                          f"{has[1]}: the money goes to works returning more{with_water[1]}"
                          f"{saving[1]}.")
    open_options = free[free["action"].isin([a for a, s in statuses.items() if s == "open"])]
    binds = water_binds(plan, open_options, counties)
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
        uses = {a: capacity_use(plan, region, a) for a in limited}
        with_water = (
            f"{with_water[0]}；年实施能力："
            f"{'；'.join(actions[a][0] + uses[a][0] for a in limited)}",
            f"{with_water[1]}; yearly capacity: "
            f"{'; '.join(f'{actions[a][1]} {uses[a][1]}' for a in limited)}")
    return "other", (
        f"{has[0]}，未受缺水或实施能力所限{with_water[0]}；未入选源于各年预算以整块地块排满、"
        f"每块地一项措施、县内用水等约束的组合，或求解间隙（{gap_text}）。",
        f"{has[1]}, and neither missing water nor a full capacity stops it{with_water[1]}; "
        f"it is left out by the rules together (each year's budget filled with whole "
        f"parcels, one action per parcel, water shared within the county) or within the "
        f"solver's gap "
        f"({gap_text}).")


