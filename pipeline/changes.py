"""``changes.csv`` of a re-plan: every work of the previous plan and of the new one, what
became of it, and why, in Chinese and English.

``change`` is *kept* (same parcel, action and start year), *moved* (same parcel and action,
another start year; a failed or cancelled work re-scheduled is moved too, and an announced
work the progress reports done in an earlier year, "done early"), *dropped* (the
pair is no longer in the plan) or *added* (a pair the previous plan did not have).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from region.progress import KEY, STATUSES

COLUMNS = ["parcel_id", "action", "action_zh", "action_en", "previous_start", "new_start",
           "change", "status", "reason_zh", "reason_en"]
Reason = tuple[str, str]  # (Chinese, English)


def _status_reason(fact: pd.Series, start: int, year: int) -> Reason:
    zh, en = STATUSES[fact["status"]]
    if fact["status"] == "partial":
        area = f"{fact['area_km2_done']:.4g} km²"
        zh, en = f"{zh}（{area}）", f"{en} ({area})"
    when = "" if fact.get("reported_for", year) == year else "（此前已报告）"
    when_en = "" if not when else " (reported earlier)"
    return f"{start}年{zh}{when}", f"{en} in {start}{when_en}"


def _with_rule(reason: Reason, rule: Reason | None) -> Reason:
    """A recorded work's reason, with the catalogue rule that no longer allows it."""
    if rule is None:
        return reason
    return (f"{reason[0]}（现行目录不再允许：{rule[0]}）",
            f"{reason[1]} (no longer allowed by today's catalogue: {rule[1]})")


def replan_changes(previous: pd.DataFrame, new: pd.DataFrame, facts: pd.DataFrame,
                   year: int, announced_reasons: Mapping[tuple, Reason],
                   added_reason: Reason,
                   no_longer_allowed: Mapping[tuple, Reason] | None = None) -> pd.DataFrame:
    """One row per work of ``previous`` and ``new`` plans (parcel_id, action, start_year,
    action_zh, action_en); ``facts`` are the recorded progress rows; ``announced_reasons``
    give, per announced work (its key) moved or dropped, why; ``added_reason`` is said of
    added works that no fact explains; ``no_longer_allowed``: per recorded work (its key)
    whose pair today's catalogue no longer allows, the rule that says so (a kept one is
    kept as history, a failed or cancelled one cannot be re-scheduled)."""
    gone = no_longer_allowed or {}
    facts = facts.set_index(KEY) if len(facts) else facts
    chosen = new.groupby(["parcel_id", "action"])["start_year"].first()
    previous_pairs = set(zip(previous["parcel_id"], previous["action"], strict=True))
    labels = pd.concat([previous, new])[["action", "action_zh", "action_en"]] \
        .drop_duplicates("action").set_index("action")
    rows = []
    for work in previous.itertuples(index=False):
        key = (work.parcel_id, work.action, work.start_year)
        now = chosen.get((work.parcel_id, work.action))
        new_start = None if now is None else int(now)
        status = ""
        if work.start_year < year:
            fact = facts.loc[key]
            status = fact["status"]
            if status in ("done", "partial"):
                change = "kept"
                reason = _with_rule(_status_reason(fact, int(key[2]), year), gone.get(key))
            else:
                zh, en = _status_reason(fact, int(key[2]), year)
                change = "moved" if new_start is not None else "dropped"
                reason = ((f"{zh}，改于{new_start}年重新实施",
                           f"{en}, re-scheduled for {new_start}") if new_start is not None
                          else _with_rule((f"{zh}，未重新安排", f"{en}, not re-scheduled"),
                                          gone.get(key)))
        elif new_start == work.start_year:
            change, reason = "kept", ("按原计划", "as planned")
        elif new_start is not None and new_start < year and len(facts) \
                and (*key[:2], new_start) in facts.index:  # done before its year, reported
            fact = facts.loc[(*key[:2], new_start)]
            status = fact["status"]
            zh, en = _status_reason(fact, new_start, year)
            change, reason = "moved", (f"提前实施：进度表报告{zh}", f"done early: reported {en}")
        else:
            change = "dropped" if new_start is None else "moved"
            reason = announced_reasons.get(key, ("", ""))
        rows.append((work.parcel_id, work.action, work.start_year, new_start, change, status,
                     *reason))
    for work in new.itertuples(index=False):
        if (work.parcel_id, work.action) in previous_pairs:
            continue
        key = (work.parcel_id, work.action, work.start_year)
        if len(facts) and key in facts.index:
            fact = facts.loc[key]
            zh, en = _with_rule(_status_reason(fact, int(key[2]), year), gone.get(key))
            rows.append((*key[:2], None, work.start_year, "added", fact["status"],
                         f"计划外新增，{zh}", f"added during the year, {en}"))
        else:
            rows.append((*key[:2], None, work.start_year, "added", "", *added_reason))
    table = pd.DataFrame(rows, columns=["parcel_id", "action", "previous_start", "new_start",
                                        "change", "status", "reason_zh", "reason_en"])
    table = table.join(labels, on="action")
    for column in ("previous_start", "new_start"):
        table[column] = table[column].astype("Int64")
    order = table["change"].map({"moved": 0, "dropped": 1, "added": 2, "kept": 3})
    year_order = table["new_start"].fillna(table["previous_start"]).astype(float)
    table = table.assign(_o=order.to_numpy(), _y=year_order.fillna(np.inf).to_numpy())
    return table.sort_values(["_o", "_y", "parcel_id"], kind="stable")[COLUMNS] \
        .reset_index(drop=True)
