"""Why each announced work was kept, moved, resized, dropped, replaced or added, in Chinese
and English: the re-plan's changes table (``changes.csv``, pipeline/changes.py builds it)."""

from __future__ import annotations

import pandas as pd

from criteria.feasibility import conditions_failed
from optimizer.plan import Plan
from outputs.labels import action_names
from pipeline.changes import Reason, replan_changes
from pipeline.replan_former import dropped_words
from pipeline.replan_history import catalogue_words
from pipeline.replan_model import ReplanModel
from pipeline.replan_previous import PreviousResult
from pipeline.replan_unscheduled import unscheduled_reasons
from pipeline.rule_words import rule_words
from region.io import Region
from region.progress import KEPT_STATUSES, KEY
from region.scenario import Scenario

ADDED = {"strict": ("新增：利用结余资金和水量", "added with the money and water left"),
         "penalties": ("新增：调整后综合效益更高", "added: a better use of the money and water")}


def _in_words(labels: list[str], scenario: Scenario, region: Region) -> Reason:
    """The first three rows of ``labels`` in the planner's words (pipeline/rule_words.py),
    each named once."""
    words = list(dict.fromkeys(rule_words(label, scenario, region) for label in labels))[:3]
    return "；".join(zh for zh, _ in words), "; ".join(en for _, en in words)


def catalogue_rule(work, scenario: Scenario, region: Region) -> Reason | None:
    """What rules an announced work's action out on its parcel today (catalogue or spatial
    rule, pipeline/replan_history.py's words); None when nothing does (another limit
    leaves it no option) or the parcel or action is no longer in the region."""
    parcels = region.parcels["parcel_id"]
    catalogue = region.actions.set_index("code", drop=False)
    if work.action not in catalogue.index or not (parcels == work.parcel_id).any():
        return None
    failed = [name for name in conditions_failed(
        region.parcels, catalogue.loc[work.action], work.parcel_id, scenario.spatial_rules,
        region.places) if name != "treated"]
    return catalogue_words(failed, catalogue.loc[work.action], work.parcel_id, region) \
        if failed else None


def _freed(saves_water: bool) -> Reason:
    """What dropping a work frees, in Chinese and English: money and water, or for a
    water-saving work (catalogue water < 0) money only: its credited saving is lost, so
    dropping it takes water away (review finding 4)."""
    if saves_water:
        return ("资金（节水措施：其节水量随之失去，并不腾出水量）",
                " in the money (a water-saving work: its saving is lost, no water is freed)")
    return "资金和水量", " in the money and water"


def announced_reasons(formulation: ReplanModel, scenario: Scenario,
                      region: Region) -> dict[tuple, Reason]:
    """Why each announced work was moved or dropped, in Chinese and English, the rules it
    meets named as the lists name them (``scenario``: the re-plan's, its targets due)."""
    announced = formulation.announced
    facts = formulation.facts
    kept_parcels = dict(zip(facts.loc[facts["status"].isin(KEPT_STATUSES), "parcel_id"],
                            facts.loc[facts["status"].isin(KEPT_STATUSES), "action"],
                            strict=True))
    unmet = _in_words(formulation.conflicts.get(-1, []), scenario, region)
    names = action_names(region)
    penalties = formulation.record.get("stability", {}).get("mode") == "penalties"
    removed = set(formulation.former["action"]) if "action" in formulation.former else set()
    today = set(region.actions["code"]) - removed
    saves = set(region.actions.loc[region.actions["water_wan_m3_per_km2_yr"] < 0, "code"]) \
        if "water_wan_m3_per_km2_yr" in region.actions else set()
    reasons = {}
    for k, work in enumerate(announced.works.itertuples(index=False)):
        key = (work.parcel_id, work.action, work.start_year)
        if announced.option[k] < 0 and work.action not in today:
            reasons[key] = dropped_words(work.action, names.get(work.action, (work.action,) * 2))
        elif announced.option[k] < 0 and (rule := catalogue_rule(work, scenario, region)):
            reasons[key] = (f"现行目录不再允许：{rule[0]}",
                            f"no longer allowed by today's catalogue: {rule[1]}")
        elif announced.option[k] < 0:
            reasons[key] = ("该地块已不能按原年度实施此措施", "no longer possible on this "
                                                            "parcel in that year")
        elif work.parcel_id in kept_parcels and kept_parcels[work.parcel_id] != work.action:
            other = names.get(kept_parcels[work.parcel_id], (kept_parcels[work.parcel_id],) * 2)
            reasons[key] = (f"地块已实施{other[0]}", f"the parcel was treated with {other[1]}")
        elif rows := formulation.conflicts.get(int(announced.option[k])):
            zh, en = _in_words(rows, scenario, region)
            reasons[key] = (f"原计划超出新的限额：{zh}", f"the previous plan no longer fits: {en}")
        elif penalties:  # a change the facts did not force: it paid for its penalty
            reasons[key] = ("调整后综合效益的增加超过稳定性惩罚",
                            "the benefit gained exceeds the stability penalty")
        elif unmet[0]:
            reasons[key] = (f"为满足规则腾出{_freed(work.action in saves)[0]}：{unmet[0]}",
                            f"makes room{_freed(work.action in saves)[1]} for what the "
                            f"rules now need: {unmet[1]}")
        else:
            reasons[key] = (f"为重新安排的工程腾出{_freed(work.action in saves)[0]}",
                            f"makes room{_freed(work.action in saves)[1]} for re-scheduled "
                            "works")
    return reasons


def changes_table(model: ReplanModel, previous: PreviousResult, plan: Plan,
                  facts: pd.DataFrame, year: int, region: Region) -> pd.DataFrame:
    """The changes table of a re-plan (``changes.csv``): each announced work kept, moved,
    resized, dropped, replaced or added, with its reason."""
    mode = model.record.get("stability", {}).get("mode")
    columns = [*KEY, "area_km2", "action_zh", "action_en"]
    gone = model.no_longer_allowed
    rules = {(int(w.parcel_id), w.action, int(w.start_year)): (w.rule_zh, w.rule_en)
             for w in gone.itertuples(index=False)}
    unscheduled = unscheduled_reasons(model.problem, plan, facts, year, action_names(region)) \
        if model.problem is not None else {}
    return replan_changes(previous.plan.reindex(columns=columns), plan.chosen[columns], facts,
                          year, announced_reasons(model, plan.scenario, region),
                          ADDED["penalties" if mode == "penalties" else "strict"], rules,
                          unscheduled)
