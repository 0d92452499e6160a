"""A re-plan's recorded years in the lists: each work's status, and the failed and
cancelled works paid that year.

A past year of a re-plan is history (pipeline/reported.py): its spend is what its works
were paid, failed and cancelled works included (optimizer/history.py). Its kept works (done,
partial) are plan rows; the failed and cancelled ones are not, so priorities.csv and the year
sheet list them as entries of their own (类型 "失败/取消 已支付 failed/cancelled, paid"),
their 当年资金需求 what was paid: a year's rows then add up to its recorded spend, as the
data note says. The year sheet of such a year is a record (实施记录 Record), not a list of
priorities, with a status column.
"""

from __future__ import annotations

import pandas as pd

from optimizer.plan import Plan
from outputs.labels import both_names, county_names, label_column, zone_names
from region.io import Region
from region.progress import STATUS_LABELS

#: priorities.csv's 类型 Entry of a failed or cancelled work's payment in a recorded year.
PAID_LAPSED = "失败/取消 已支付 failed/cancelled, paid"


def status_label(status: pd.Series) -> pd.Series:
    """"已完成 done", "失败 failed" …: the recorded status by both names; blank for a work
    ahead."""
    return status.fillna("").map(lambda code: STATUS_LABELS.get(code, code))


def is_record(rows: pd.DataFrame) -> pd.Series:
    """True for a row of a work the progress recorded (a re-plan's past work, its status
    set): a record of what was done, not ranked among priorities ("居2027年第 17/44 位" for
    a done mine meant little, stranger's F10)."""
    if "status" not in rows:
        return pd.Series(False, index=rows.index)
    return rows["status"].fillna("").astype(str).ne("")


def recorded_years(plan: Plan) -> list[int]:
    """The past years a re-plan restated (``reported`` or ``recorded``): history."""
    years = plan.years
    flags = [c for c in ("reported", "recorded") if c in years]
    if not flags:
        return []
    return [int(y) for y in years.loc[years[flags].any(axis=1), "year"]]


def paid_lapsed_rows(plan: Plan, region: Region) -> pd.DataFrame:
    """The failed and cancelled works paid in a recorded year, as rows of the lists
    (parcel, places and action by both names, status) with ``cost_<year>``: what each year
    paid them; empty when there are none."""
    paid = plan.paid_lapsed
    if paid is None or paid.empty:
        return pd.DataFrame()
    rows = paid.copy()
    rows["county"] = rows["county"].astype(str)
    counties, zones = county_names(region), zone_names(region)
    for name, codes in (("county", counties), ("zone", zones)):
        rows[f"{name}_both"] = both_names(label_column(rows[name], codes, 0),
                                          label_column(rows[name], codes, 1))
    rows["action_label"] = rows["action_zh"] + " " + rows["action_en"]
    rows["status_label"] = status_label(rows["status"])
    rows["area_km2"] = 0.0
    return rows
