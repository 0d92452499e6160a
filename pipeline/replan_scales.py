"""Whether a re-plan scores the past years' works on another scale than the previous plan.

A re-plan scores every work, the kept past ones too, on one set of criterion scales R_c:
today's (criteria/normalise.py: the achievable range of today's option table with today's
horizon money). That keeps the objective one sum on one scale, whose past part is a constant
and whose future part the solve trades on; scoring the past on the previous plan's scales
would add figures of two scales. But when today's scales differ from those the previous
plan's manifest records (``criterion_scales``: another horizon money, a --budget-scale
what-if, another catalogue or other parcels), the past works' weighted figures (value,
value per 万元, the objective) differ from the previous plan's report for the same works.
The report and the manifest say so; areas, money, water and each criterion's physical
benefit are not scaled and do not change.
"""

from __future__ import annotations

import math

import pandas as pd

from region.schema import CRITERION_LABELS

#: Relative difference below which two scales are the same: R_c is recovered from the option
#: table as a quotient of sums (optimizer/plan.py criterion_scales), exact to ~1e-12.
SAME_SCALE = 1e-6


def scale_changes(previous: dict | None, today: pd.DataFrame | None
                  ) -> dict[str, dict[str, float | None]]:
    """The criteria whose scale R_c differs between the previous plan's manifest
    (``previous``: criterion → R_c or None) and today's plan (``today``: its ``scales``),
    each with both figures; {} when either is unknown (a result from before the manifest
    recorded them)."""
    if not previous or today is None or "scale" not in today:
        return {}
    changed = {}
    for criterion, now in today["scale"].items():
        if criterion not in previous:
            continue
        before = previous[criterion]
        now = None if now is None or math.isnan(now) else float(now)
        same = (before is None and now is None) or (
            before is not None and now is not None
            and abs(now - before) <= SAME_SCALE * max(abs(before), abs(now)))
        if not same:
            changed[str(criterion)] = {"previous": before, "today": now}
    return changed


def scale_note(changed: dict[str, dict[str, float | None]], year: int) -> dict[str, str] | None:
    """The report's note on the past years (before ``year``) when the scales changed: which
    criteria, from what to what, and which figures it moves; None when none changed."""
    if not changed:
        return None

    def said(figure: float | None) -> str:
        return "—" if figure is None else f"{figure:.4g}"

    zh_list = "，".join(f"{CRITERION_LABELS[c][0]} {said(f['previous'])} → {said(f['today'])}"
                        for c, f in changed.items())
    en_list = ", ".join(f"{CRITERION_LABELS[c][1]} {said(f['previous'])} → {said(f['today'])}"
                        for c, f in changed.items())
    return {"zh": f"注：{year}年以前保留的工程与今后的工程一样，按本次重新规划的准则尺度计分；"
                  f"本次的尺度与上一方案不同（上一方案 → 本次：{zh_list}），因此往年工程的"
                  "加权效益（价值、每万元价值、目标值）与上一方案报告中的数值不同，不可直接"
                  "比较；面积、投资、用水和各准则的实物效益不受尺度影响。",
            "en": f"Note: the works kept from before {year} are scored, as the works ahead "
                  "are, on this re-plan's criterion scales, which differ from the previous "
                  f"plan's (previous → now: {en_list}); so the past works' weighted figures "
                  "(value, value per 万元, the objective) differ from those in the previous "
                  "plan's report and do not compare with them. Areas, money, water and each "
                  "criterion's physical benefit do not depend on the scales."}
