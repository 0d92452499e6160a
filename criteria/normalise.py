"""Bring the criteria to one scale (swing weighting): each option's priority-weighted benefit
as a share of what the horizon's money could achieve on that criterion.

    norm_c(p, a) = benefit_c(p, a) · priority_c(p, a) / R_c

R_c, the criterion's *achievable range*, is the most the whole budget could buy on c alone:
parcels take their best option for c per 万元, in falling order of that ratio, until the
horizon's money is spent (the last one in part). Without a budget R_c is the regional
potential Σ_p max_a benefit_c · priority_c. A weight w_c then means what swing weighting
means: the value of going from nothing to the best the budget can do on c. Dividing by the
regional potential instead makes a criterion with few, cheap, fully-fundable options (the 10
pending mines) worth 10 % of its criterion each, while a criterion whose potential is far
beyond the budget (sand on 6,000 km² of dunes) counts each option at a fraction of what
money can buy of it. A criterion with no range is 0, not NaN.

A criterion whose *physical* range (the same greedy on benefit_c alone, priorities left out)
is below its smallest meaningful swing (criteria/parameters.py, SWING_FLOOR) has no swing to
weigh: its norm_c is 0 everywhere, and :func:`live_weights` gives it weight 0 (water on the
basin floor, whose best the budget can do is a third of a litre a year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from criteria.parameters import SWING_FLOOR
from region.schema import CRITERIA


def weighted_benefit(options: pd.DataFrame, criterion: str) -> np.ndarray:
    """benefit_c · priority_c (priority 1 where the table has none)."""
    raw = options[f"benefit_{criterion}"].to_numpy(float)
    column = f"priority_{criterion}"
    return raw * (options[column].to_numpy(float) if column in options.columns else 1.0)


def regional_potential(options: pd.DataFrame) -> dict[str, float]:
    """Σ over parcels of the best option's weighted benefit, per criterion."""
    out = {}
    for c in CRITERIA:
        value = pd.Series(weighted_benefit(options, c), index=options.index)
        out[c] = float(value.groupby(options["parcel_id"]).max().sum())
    return out


def achievable_range(options: pd.DataFrame, budget_wan: float) -> dict[str, float]:
    """Per criterion, the weighted benefit the budget buys spent on that criterion alone
    (greedy by benefit per 万元, one option per parcel, the last one fractional)."""
    cost = options["cost_wan"].to_numpy(float)
    out = {}
    for c in CRITERIA:
        value = weighted_benefit(options, c)
        ratio = np.divide(value, cost, out=np.full(len(cost), np.inf), where=cost > 0)
        frame = pd.DataFrame({"parcel": options["parcel_id"].to_numpy(), "value": value,
                              "cost": cost, "ratio": ratio})
        frame = frame.loc[frame["value"] > 0]
        best = frame.sort_values(["ratio", "value"], ascending=False) \
            .drop_duplicates("parcel")
        spent = best["cost"].cumsum().to_numpy()
        before = spent - best["cost"].to_numpy()
        share = np.clip(np.divide(budget_wan - before, best["cost"].to_numpy(),
                                  out=np.ones(len(best)), where=best["cost"].to_numpy() > 0),
                        0.0, 1.0)
        out[c] = float(np.sum(best["value"].to_numpy() * share))
    return out


def physical_range(options: pd.DataFrame, budget_wan: float | None = None) -> dict[str, float]:
    """Per criterion, the range in its physical unit (benefit_c, priorities left out): the
    achievable range, or the regional potential when no budget is given."""
    raw = options.drop(columns=[f"priority_{c}" for c in CRITERIA], errors="ignore")
    return (achievable_range(raw, budget_wan) if budget_wan is not None
            else regional_potential(raw))


def negligible_criteria(options: pd.DataFrame,
                        budget_wan: float | None = None) -> dict[str, dict[str, float]]:
    """The criteria whose physical range is below their smallest meaningful swing, each
    with its ``range`` and ``floor`` (criteria/parameters.py, SWING_FLOOR)."""
    ranges = physical_range(options, budget_wan)
    return {c: {"range": ranges[c], "floor": SWING_FLOOR[c]} for c in CRITERIA
            if ranges[c] < SWING_FLOOR[c]}


def normalise(options: pd.DataFrame, budget_wan: float | None = None,
              scale_from: pd.DataFrame | None = None) -> pd.DataFrame:
    """A copy with ``norm_<c>`` for every criterion (share of the achievable range, or of
    the regional potential when no budget is given); 0 for a negligible criterion. The
    ranges are those of ``scale_from`` when given (an option table's: rows added to it are
    scored on its scale), else of ``options``."""
    out = options.copy()
    basis = options if scale_from is None else scale_from
    ranges = (achievable_range(basis, budget_wan) if budget_wan is not None
              else regional_potential(basis))
    negligible = negligible_criteria(basis, budget_wan)
    for criterion, scale in ranges.items():
        value = weighted_benefit(out, criterion)
        live = scale > 0 and criterion not in negligible
        out[f"norm_{criterion}"] = value / scale if live else np.zeros(len(out))
    return out


def scoring_criteria(options: pd.DataFrame) -> set[str]:
    """The criteria some option scores on (norm_c > 0 somewhere): not negligible, with range."""
    return {c for c in CRITERIA if f"norm_{c}" in options
            and (options[f"norm_{c}"].to_numpy(float) > 0).any()}


def live_weights(weights: dict[str, float], scoring: set[str]) -> dict[str, float]:
    """The weights the objective uses: 0 for a criterion outside ``scoring`` (negligible or
    without range), the others scaled up to keep the weights' total, so their ratios (the
    planner's judgements) stay and the objective keeps its scale (docs/criteria.md).
    Unchanged when every weighted criterion scores."""
    live = {c: w if c in scoring else 0.0 for c, w in weights.items()}
    kept, total = sum(live.values()), sum(weights.values())
    if kept <= 0 or kept == total:
        return dict(weights)
    return {c: w * total / kept for c, w in live.items()}


def score(options: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Weighted sum of the normalised criteria: the annual mature value of each option."""
    return sum(weights.get(c, 0.0) * options[f"norm_{c}"] for c in CRITERIA)
