"""What became of each work between two plans: the one pairing that ``compare``
(analysis/compare.py) and the re-plan's ``changes.csv`` (pipeline/changes.py) both use, so the
two tools never disagree on the same two plans.

A work is a (parcel, action) pair with its start year and area; a plan holds each pair at
most once. Paired by (parcel, action), every work of either plan is

* *kept*: same parcel, action, start year and area;
* *moved*: same parcel and action, another start year;
* *resized*: same parcel, action and start year, another area (a partly done work);
* *dropped*: only the first plan has the pair, and the second adds nothing on that parcel;
* *added*: only the second plan has the pair, and the first drops nothing on that parcel;
* *replaced*: on one parcel the first plan's work is gone and the second plan has another
  action there instead: both works are *replaced* (the dropped one "replaced out", the new
  one "replaced in"), each naming the other side's action(s) in ``replaced_with``.

So works_before − dropped − replaced_out + added + replaced_in = works_after: it follows
from every work falling in exactly one class, and :func:`reconcile` asserts it on every
pairing as a guard against a class the counts leave out (not a check of the plans).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

#: Each class of change in Chinese and English (the re-plan's report, compare's tables).
CHANGE_WORDS: Mapping[str, tuple[str, str]] = {
    "kept": ("保持", "kept"), "moved": ("调整年度", "moved"), "resized": ("调整面积", "resized"),
    "dropped": ("不再安排", "dropped"), "added": ("新增", "added"),
    "replaced": ("替换", "replaced")}
PAIR_COLUMNS = ["parcel_id", "action", "start_before", "start_after", "area_before",
                "area_after", "change", "replaced_with"]
_PAIR = ["parcel_id", "action"]


def change_label(change: str) -> str:
    """"替换 replaced": a class of change as the tables show it."""
    zh, en = CHANGE_WORDS[change]
    return f"{zh} {en}"


def _unique_works(plan: pd.DataFrame, name: str) -> pd.DataFrame:
    twice = plan.duplicated(_PAIR, keep=False)
    if twice.any():
        rows = plan.loc[twice, _PAIR].drop_duplicates().itertuples(index=False)
        raise ValueError(f"{name} holds a (parcel, action) pair more than once: "
                         + ", ".join(f"({p}, {a})" for p, a in rows))
    return plan.set_index(_PAIR)[["start_year", "area_km2"]]


def _same_area(a: float, b: float) -> bool:
    """Areas equal up to the 12 digits plan.csv keeps (storage.CSV_FLOATS)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def pair_works(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """One row per work of ``before`` or ``after`` (each: parcel_id, action, start_year,
    area_km2; a pair at most once), what became of it (``change``, see the module) and, for
    a replacement, the other plan's action(s) on that parcel (``replaced_with``, ";"-joined;
    "" otherwise). The counts are checked with :func:`reconcile`."""
    left = _unique_works(before, "the first plan").add_suffix("_b")
    right = _unique_works(after, "the second plan").add_suffix("_a")
    both = left.join(right, how="outer").reset_index()
    only_before = both["start_year_a"].isna()
    only_after = both["start_year_b"].isna()
    gone = both.loc[only_before].groupby("parcel_id")["action"].agg(";".join)
    new = both.loc[only_after].groupby("parcel_id")["action"].agg(";".join)
    rows = []
    for work in both.itertuples(index=False):
        replaced_with = ""
        if math.isnan(work.start_year_a):
            replaced_with = new.get(work.parcel_id, "")
            change = "replaced" if replaced_with else "dropped"
        elif math.isnan(work.start_year_b):
            replaced_with = gone.get(work.parcel_id, "")
            change = "replaced" if replaced_with else "added"
        elif work.start_year_b != work.start_year_a:
            change = "moved"
        elif not _same_area(work.area_km2_b, work.area_km2_a):
            change = "resized"
        else:
            change = "kept"
        rows.append((work.parcel_id, work.action, work.start_year_b, work.start_year_a,
                     work.area_km2_b, work.area_km2_a, change, replaced_with))
    pairs = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    for column in ("start_before", "start_after"):
        pairs[column] = pairs[column].astype("Int64")
    reconcile(pairs, len(before), len(after))
    return pairs


def change_counts(change: pd.Series, start_after: pd.Series) -> dict[str, int]:
    """The works of each class, from a pairing's ``change`` and the second plan's start year
    of each row (empty for a work the second plan does not hold); a replacement is counted
    on each side: replaced_out, the first plan's works replaced, and replaced_in, the
    second plan's works replacing them."""
    replaced = (change == "replaced").to_numpy()
    out = start_after.isna().to_numpy()
    counts = {kind: int((change == kind).sum())
              for kind in ("kept", "moved", "resized", "dropped", "added")}
    return counts | {"replaced_out": int((replaced & out).sum()),
                     "replaced_in": int((replaced & ~out).sum())}


def reconcile(pairs: pd.DataFrame, works_before: int, works_after: int) -> dict[str, int]:
    """The counts of a pairing, asserted to add up: works_before − dropped − replaced_out +
    added + replaced_in = works_after (every work of either plan in exactly one class);
    returns them, works_before first and works_after last."""
    counts = {"works_before": works_before,
              **change_counts(pairs["change"], pairs["start_after"]),
              "works_after": works_after}
    got = (works_before - counts["dropped"] - counts["replaced_out"] + counts["added"]
           + counts["replaced_in"])
    assert got == works_after, (
        f"the changes do not add up: works_before {works_before} − dropped "
        f"{counts['dropped']} − replaced_out {counts['replaced_out']} + added "
        f"{counts['added']} + replaced_in {counts['replaced_in']} = {got}, but works_after "
        f"is {works_after}")
    return counts
