"""What the plan leaves a project: the marginal funded work's return, the water accounts
with no water for new works, where water binds, and how much of an action's yearly
capacity the plan uses (outputs/project_causes.py words them per project).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.plan import Plan
from outputs.capacity_source import catalogue_capacity_source
from region.io import Region

#: Numeric tolerance of "no water" and "capacity full".
TOLERANCE = 1e-6


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


def water_account(county: str, accounts: set[str]) -> str:
    """The water account a county's works draw on: its own, or the city's when the plan
    keeps no account per county."""
    return county if county in accounts else "city"


def _has_capacity(region: Region, action: str) -> bool:
    """Whether the catalogue gives ``action`` a finite yearly capacity."""
    catalogue = region.actions.set_index("code")
    return "capacity_km2_per_yr" in catalogue and action in catalogue.index \
        and bool(np.isfinite(float(catalogue.at[action, "capacity_km2_per_yr"])))


def _started(plan: Plan, action: str) -> pd.Series:
    """The area of ``action`` the plan starts in each horizon year, km² (0 where none)."""
    chosen = plan.chosen
    started = chosen.loc[chosen["action"] == action].groupby("start_year")["area_km2"].sum()
    return started.reindex(plan.years["year"].astype(int)).fillna(0.0)


def capacity_full(plan: Plan, region: Region, action: str, area_km2: float) -> bool:
    """Whether the plan leaves less than ``area_km2`` of ``action``'s yearly capacity in
    every horizon year (no capacity: never full)."""
    if not _has_capacity(region, action):
        return False
    capacity = float(region.actions.set_index("code").at[action, "capacity_km2_per_yr"])
    room = capacity - _started(plan, action).to_numpy()
    return bool((room < area_km2 - TOLERANCE).all())


def capacity_use(plan: Plan, region: Region, action: str) -> tuple[str, str]:
    """"每年实施27.6-28.7 km²，能力28.7 km²，推算：规划第12行…" and "27.6-28.7 km² started a
    year of 28.7 km², derived: plan line 12's …": the least and most area of ``action`` the
    plan starts in a year (one figure where they are equal), against its yearly capacity and
    the capacity's grade and source (:func:`capacity_source`)."""
    capacity = float(region.actions.set_index("code").at[action, "capacity_km2_per_yr"])
    started = _started(plan, action)
    least, most = f"{started.min():.1f}", f"{started.max():.1f}"
    span_zh, span_en = (least, least) if least == most else (f"{least}-{most}",
                                                             f"{least}-{most}")
    source_zh, source_en = capacity_source(region, action)
    return (f"每年实施{span_zh} km²，能力{capacity:g} km²，{source_zh}",
            f"{span_en} km² started a year of {capacity:g} km², {source_en}")


def capacity_source(region: Region, action: str) -> tuple[str, str]:
    """The grade and source of ``action``'s yearly capacity, in Chinese and English
    ("估算：无出处", "estimate: no source found"): three capacities behind "capacity full" were
    unsourced estimates and read as facts (a reviewer's finding). A capacity the catalogue's
    source does not give is the user's (outputs/capacity_source.py)."""
    return catalogue_capacity_source(region.actions.set_index("code").loc[action]).words


def capacity_grades(region: Region) -> dict[str, tuple[str, str]]:
    """Per action with a yearly capacity: its grade alone ("估算", "estimate"; "用户设定，来源
    数值28.7 km²/年" for the user's figure), for cells too short for the source."""
    catalogue = region.actions.set_index("code")
    return {action: catalogue_capacity_source(catalogue.loc[action]).grade
            for action in region.actions["code"] if _has_capacity(region, action)}


def water_binds(plan: Plan, options: pd.DataFrame,
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
        account = water_account(county, accounts)
        rows = binding[binding["account"].astype(str) == account]
        years = int(rows["water"].astype(bool).sum())
        if years:
            zh, en = counties.get(county, (county, county))
            # a binding year may leave some water (the baseline's 高昌区 4.8-191.6 万m³):
            # taken, not "used up" (outputs/limits.py RULE)
            words_zh.append(f"{zh}水量在{len(rows)}年中有{years}年为紧约束（本方案其他措施已占用，"
                            "余量不足以再开展一项完整工程或受其他限制）")
            words_en.append(f"{en}, where water binds in {years} of {len(rows)} years (the "
                            "plan's other works take it; what is left fits no further whole "
                            "work, or another limit stops one)")
    return ("、".join(words_zh), "; ".join(words_en)) if words_zh else None


def least_funded(chosen: pd.DataFrame, action: str) -> float:
    """The least value per 万元 among the plan's works of ``action`` (NaN: none)."""
    rows = chosen[chosen["action"] == action]
    if rows.empty:
        return np.nan
    cost = rows[[c for c in rows.columns if c.startswith("cost_")]].sum(axis=1)
    return float((rows["value"] / cost).min())
