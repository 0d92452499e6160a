"""``changes.csv`` of a re-plan: every work of the previous plan and of the new one, what
became of it, and why, in Chinese and English.

The works are paired as ``compare`` pairs them (pipeline/work_pairs.py), so both tools say the
same of the same two plans: ``change`` is *kept* (same parcel, action, start year and area),
*moved* (same parcel and action, another start year; a failed or cancelled work
re-scheduled is moved too, and an announced work the progress reports done in an earlier
year, "done early"), *resized* (same parcel, action and year, another area: a partly done
work), *dropped* (the pair is no longer in the plan), *added* (a pair the previous plan did
not have) or *replaced* (on one parcel a work dropped and another action added: both rows,
each naming the other's action in ``replaced_with``). ``change`` and ``status`` are codes
(done, partial, failed, cancelled, as progress.csv takes them); ``change_zh`` and
``status_zh`` say them in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from pipeline.work_pairs import CHANGE_WORDS, pair_works
from region.progress import KEY, STATUSES

COLUMNS = ["parcel_id", "action", "action_zh", "action_en", "previous_start", "new_start",
           "previous_area_km2", "new_area_km2", "change", "change_zh", "replaced_with",
           "status", "status_zh", "reason_zh", "reason_en"]
#: Order of the rows: what changed first, what stayed last.
ORDER = {"moved": 0, "resized": 1, "replaced": 2, "dropped": 3, "added": 4, "kept": 5}
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
                   no_longer_allowed: Mapping[tuple, Reason] | None = None,
                   unscheduled: Mapping[tuple, Reason] | None = None) -> pd.DataFrame:
    """One row per work of ``previous`` and ``new`` plans (parcel_id, action, start_year,
    area_km2, action_zh, action_en), paired by :func:`pipeline.work_pairs.pair_works`;
    ``facts`` are the recorded progress rows; ``announced_reasons`` give, per announced work
    (its key) moved, dropped or replaced, why; ``added_reason`` is said of added works that
    no fact explains; ``no_longer_allowed``: per recorded work (its key) whose pair today's
    catalogue no longer allows, the rule that says so (a kept one is kept as history, a
    failed or cancelled one cannot be re-scheduled); ``unscheduled``: per failed or
    cancelled work not re-scheduled, what the solve shows stops it
    (pipeline/replan_unscheduled.py); one another action replaced names that action, and
    one with neither reads "not chosen again in the re-plan"."""
    gone = no_longer_allowed or {}
    facts = facts.set_index(KEY) if len(facts) else facts
    pairs = pair_works(previous, new)
    labels = pd.concat([previous, new])[["action", "action_zh", "action_en"]] \
        .drop_duplicates("action").set_index("action")
    names = {a: (zh, en) for a, zh, en in zip(labels.index, labels["action_zh"],
                                              labels["action_en"], strict=True)}
    rows = []
    for work in pairs.itertuples(index=False):
        if pd.isna(work.start_before):  # added, or replacing a dropped work
            key = (work.parcel_id, work.action, int(work.start_after))
            status = ""
            if len(facts) and key in facts.index:
                fact = facts.loc[key]
                status = fact["status"]
                zh, en = _with_rule(_status_reason(fact, key[2], year), gone.get(key))
                reason = (f"计划外新增，{zh}", f"added during the year, {en}")
            else:
                reason = added_reason
        else:
            status, reason = _previous_reason(work, facts, year, announced_reasons, gone,
                                              unscheduled or {}, names)
        rows.append((work.parcel_id, work.action, work.start_before, work.start_after,
                     work.area_before, work.area_after, work.change,
                     CHANGE_WORDS[work.change][0], work.replaced_with, status,
                     STATUSES[status][0] if status else "", *reason))
    table = pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in labels.columns])
    table = table.join(labels, on="action")
    for column in ("previous_start", "new_start"):
        table[column] = table[column].astype("Int64")
    order = table["change"].map(ORDER)
    year_order = table["new_start"].fillna(table["previous_start"]).astype(float)
    table = table.assign(_o=order.to_numpy(), _y=year_order.fillna(np.inf).to_numpy())
    return table.sort_values(["_o", "_y", "parcel_id"], kind="stable")[COLUMNS] \
        .reset_index(drop=True)


def _not_rescheduled(work, key: tuple, unscheduled: Mapping[tuple, Reason],
                     names: Mapping[str, tuple[str, str]]) -> Reason:
    """Why a failed or cancelled work (a row of the pairing) was not re-scheduled: another
    action took its parcel, what the solve shows stops it, or only that it was not chosen."""
    if work.replaced_with:
        other = [names.get(a, (a, a)) for a in work.replaced_with.split(";")]
        return (f"未重新安排：地块改为实施{'、'.join(zh for zh, _ in other)}",
                f"not re-scheduled: the parcel takes {', '.join(en for _, en in other)} "
                "instead")
    if key in unscheduled:
        zh, en = unscheduled[key]
        return f"未重新安排：{zh}", f"not re-scheduled: {en}"
    return "重新规划未再选入", "not chosen again in the re-plan"


def _previous_reason(work, facts: pd.DataFrame, year: int,
                     announced_reasons: Mapping[tuple, Reason],
                     gone: Mapping[tuple, Reason], unscheduled: Mapping[tuple, Reason],
                     names: Mapping[str, tuple[str, str]]) -> tuple[str, Reason]:
    """(status, reason) of a work of the previous plan (a row of the pairing): its recorded
    fact for a past year, else kept as planned, done early, or the announced reason."""
    key = (work.parcel_id, work.action, int(work.start_before))
    new_start = None if pd.isna(work.start_after) else int(work.start_after)
    if key[2] < year:
        fact = facts.loc[key]
        zh, en = _status_reason(fact, key[2], year)
        if fact["status"] in ("done", "partial"):
            return fact["status"], _with_rule((zh, en), gone.get(key))
        if new_start is not None:
            return fact["status"], (f"{zh}，改于{new_start}年重新实施",
                                    f"{en}, re-scheduled for {new_start}")
        if key in gone:
            return fact["status"], _with_rule((f"{zh}，未重新安排", f"{en}, not re-scheduled"),
                                              gone[key])
        why = _not_rescheduled(work, key, unscheduled, names)
        return fact["status"], (f"{zh}，{why[0]}", f"{en}, {why[1]}")
    if new_start == key[2]:
        return "", ("按原计划", "as planned")
    if new_start is not None and new_start < year and len(facts) \
            and (*key[:2], new_start) in facts.index:  # done before its year, reported
        fact = facts.loc[(*key[:2], new_start)]
        zh, en = _status_reason(fact, new_start, year)
        return fact["status"], (f"提前实施：进度表报告{zh}", f"done early: reported {en}")
    return "", announced_reasons.get(key, ("", ""))


#: The classes an announced work can fall in (never added: it was in the previous plan).
ANNOUNCED_KINDS = ("kept", "moved", "resized", "dropped", "replaced")


def announced_counts(table: pd.DataFrame, announced: pd.DataFrame) -> dict[str, int]:
    """How many of the announced works (``announced``: parcel_id, action, start_year) the
    changes table ``table`` (:func:`replan_changes`) says were kept, moved, resized,
    dropped or replaced: the one pairing of changes.csv and ``compare``
    (pipeline/work_pairs.py), so the manifest's ``announced_changes`` counts a work another
    action replaced on its parcel as replaced, as changes.csv does (the optimizer's fate of
    a work, optimizer/stability.py, knows no replacement: it said dropped). The counts add
    up to the announced works (asserted: every one is a row of the table)."""
    keys = pd.MultiIndex.from_frame(announced[KEY].astype({"parcel_id": "int64",
                                                           "start_year": "int64"}))
    previous = table.dropna(subset=["previous_start"])
    mine = pd.MultiIndex.from_arrays([previous["parcel_id"].astype("int64"),
                                      previous["action"],
                                      previous["previous_start"].astype("int64")]).isin(keys)
    change = previous.loc[mine, "change"]
    counts = {kind: int((change == kind).sum()) for kind in ANNOUNCED_KINDS}
    assert sum(counts.values()) == len(announced), (
        f"{sum(counts.values())} announced works counted in the changes table, "
        f"{len(announced)} announced")
    return counts
