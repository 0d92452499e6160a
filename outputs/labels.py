"""Bilingual labels and area units shared by every planner output.

Chinese planning documents state areas in 亩 (mu) and 公顷 (hm²); 1 km² = 100 hm² = 1,500 亩
(1 亩 = 666.67 m², the statutory 市亩); from 1 万亩 (10,000 亩 = 6.67 km²) on, areas are
written in 万亩.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from optimizer.gap import PROVEN_GAP, gap_up, within_gap_only
from region.io import Region
from region.schema import LAND_COVERS

MU_PER_KM2 = 1500.0
HM2_PER_KM2 = 100.0
MU_PER_WAN_MU = 10_000.0
#: The solver's status in both languages (optimizer/compiled.py SolveResult.status); a run
#: that stopped at the gap it asked for is said as :func:`status_words` says.
STATUS_WORDS = {"optimal": "最优解 optimal", "feasible": "可行解（未证明最优） feasible",
                "infeasible": "无可行解 infeasible", "unbounded": "无界 unbounded",
                "time_limit_no_solution": "限时内无解 no solution within the time limit",
                "error": "求解出错 error"}
#: A run the solver calls optimal with its gap above the solver's tolerance: proven within
#: the gap it asked for (mip_rel_gap), not optimal. The sensitivity report's words
#: (sensitivity/status.py: "距最优不超过", "within … of optimal").
WITHIN_GAP = ("近优解（距最优不超过 {gap}）", "within {gap} of optimal")


def status_words(status: str, gap: float | None) -> str:
    """A run's status as a planner reads it, in Chinese and English: "最优解 optimal" only
    when the gap is closed (at most :data:`PROVEN_GAP`, the solver's tolerance) or the
    solver gives none; a run HiGHS calls optimal within the gap it asked for (a sweep point
    stopped at its 0.5 %: "近优解（距最优不超过 0.41%） within 0.41% of optimal"), the gap
    rounded up so the words never claim more than was proven (optimizer/gap.py); any other
    status as :data:`STATUS_WORDS`."""
    if within_gap_only(status, gap):
        text = gap_up(gap)
        return f"{WITHIN_GAP[0].format(gap=text)} {WITHIN_GAP[1].format(gap=text)}"
    return STATUS_WORDS.get(status, status)


def status_cell(status: str, gap: float | None) -> str:
    """A run's status in a table that shows its gap beside it: "optimal" only when the gap is
    closed (as :func:`status_words`), "within gap" when the solver stopped at the gap it was
    asked for, any other status as it is."""
    known = gap is not None and math.isfinite(gap)
    return "within gap" if status == "optimal" and known and gap > PROVEN_GAP else status

def figure_text(value: float) -> str:
    """A figure for a reader, to 4 significant digits: 0.2545, 1,854; from 10,000 on in
    full with thousands separators (271,500 and 126,100,000, not 2.715e+05 and 1.261e+08),
    as a funding application writes them."""
    if not math.isfinite(value) or abs(value) < 1e4:
        return f"{value:,.4g}"
    return f"{float(f'{value:.4g}'):,.0f}"


def bilingual(zh: str, en: str) -> str:
    """"中文 English", or whichever of the two exists."""
    return " ".join(part for part in (str(zh).strip(), str(en).strip()) if part)


def both_names(zh: pd.Series, en: pd.Series) -> pd.Series:
    """Every row's "中文 English" (:func:`bilingual` of two columns): counties, townships,
    zones and plan projects by both names, as the guide asks of every list handed in; a name
    given once when both are the same (an unnamed code)."""
    zh, en = (names.fillna("").astype(str).str.strip() for names in (zh, en))
    return (zh + " " + en.where(en != zh, "")).str.strip()


def zone_names(region: Region) -> dict[int, tuple[str, str]]:
    """Zone code → (Chinese name, English name)."""
    labels = region.zone_labels
    return {int(z): (zh, en) for z, zh, en in
            zip(labels["zone"], labels["name_zh"], labels["name_en"], strict=True)}


def county_names(region: Region) -> dict[str, tuple[str, str]]:
    """County code (as text) → (Chinese name, English name)."""
    labels = region.county_labels
    return {str(c): (zh, en) for c, zh, en in
            zip(labels["county"], labels["name_zh"], labels["name_en"], strict=True)}


def action_names(region: Region) -> dict[str, tuple[str, str]]:
    """Action code → (Chinese name, English name), as the catalogue (actions.csv) names it."""
    actions = region.actions
    return {str(code): (zh, en) for code, zh, en in
            zip(actions["code"], actions["name_zh"], actions["name_en"], strict=True)}


def code_names(region: Region) -> dict[str, dict]:
    """The names plan.csv writes beside its coded columns (optimizer/plan.py with_names):
    county, zone and land cover, each code → (Chinese name, English name)."""
    return {"county": county_names(region), "zone": zone_names(region),
            "land_cover": dict(LAND_COVERS)}


def label_column(codes: pd.Series, names: dict, language: int) -> pd.Series:
    """The Chinese (language 0) or English (1) name of every code; the code when unnamed."""
    key = int if isinstance(next(iter(names), ""), int) else str
    return codes.map(lambda code: names.get(key(code), (str(code), str(code)))[language])


def area_text(km2: float) -> str:
    """An area as a Chinese planning document writes it: in 万亩 from 1 万亩 up (two
    decimals), in 亩 below."""
    mu = float(km2) * MU_PER_KM2
    if mu >= MU_PER_WAN_MU:
        return f"{mu / MU_PER_WAN_MU:,.2f} 万亩"
    return f"{mu:,.0f} 亩"


def rounded_to_total(values: pd.Series, decimals: int) -> pd.Series:
    """``values`` rounded to ``decimals`` so that they add up to their total rounded the
    same way (largest remainder: the parts that lost most to rounding down get the last
    units), as a printed table whose rows must add up to its total row needs."""
    if values.empty:
        return values.astype(float)
    unit = 10.0 ** -decimals
    scaled = values.to_numpy(float) / unit
    floor = np.floor(scaled + 1e-9)
    missing = int(round(round(scaled.sum()) - floor.sum()))
    order = np.argsort(-(scaled - floor), kind="stable")
    floor[order[:max(missing, 0)]] += 1
    return pd.Series(np.round(floor * unit, decimals), index=values.index)
