"""How stable the priority list is across runs: selection frequency, robust core,
Jaccard similarity and Kendall's tau of the first year's ranking against the base plan."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from scipy.stats import kendalltau


def _chosen(record: str | float) -> dict[int, int]:
    """parcel → start year, from a run's ``chosen`` field."""
    if not isinstance(record, str) or not record:
        return {}
    return {int(p): int(y) for p, y in (item.split(":") for item in record.split())}


def selection_frequency(runs: pd.DataFrame, robust_share: float) -> pd.DataFrame:
    """Per parcel chosen in any run: share of successful runs choosing it, its most common
    start year and that year's share, and whether it is in the robust core."""
    solved = runs[runs["chosen"].notna()] if "chosen" in runs else runs.iloc[:0]
    count, years = Counter(), {}
    for record in solved["chosen"]:
        for parcel, year in _chosen(record).items():
            count[parcel] += 1
            years.setdefault(parcel, Counter())[year] += 1
    n = max(len(solved), 1)
    rows = [{"parcel_id": p, "frequency": c / n,
             "modal_year": years[p].most_common(1)[0][0],
             "modal_year_share": years[p].most_common(1)[0][1] / c} for p, c in count.items()]
    frame = pd.DataFrame(rows, columns=["parcel_id", "frequency", "modal_year",
                                        "modal_year_share"])
    frame["robust_core"] = frame["frequency"] >= robust_share
    return frame.sort_values(["frequency", "parcel_id"], ascending=[False, True])


def first_year_tau(base_order: str, run_order: str | float) -> float:
    """Kendall's tau between the base plan's and a run's first-year priority lists (each
    ordered by its own benefit per 万元), over the parcels both lists hold."""
    if not isinstance(run_order, str):
        return np.nan
    base = [int(p) for p in base_order.split()]
    position = {int(p): k for k, p in enumerate(run_order.split())}
    common = [p for p in base if p in position]
    if len(common) < 2:
        return np.nan
    return float(kendalltau(np.arange(len(common)), [position[p] for p in common]).statistic)


def stability(runs: pd.DataFrame, base: dict) -> pd.DataFrame:
    """Per run: Jaccard of chosen parcels against the base plan, share of the base's
    first-year list kept, and Kendall's tau of the first-year ranking."""
    base_order = base.get("first_year_order", "")
    base = _chosen(base.get("chosen", ""))
    first = min(base.values()) if base else None
    rows = []
    for record in runs.itertuples():
        chosen = _chosen(getattr(record, "chosen", None))
        if not chosen:
            continue
        base_first = {p for p, y in base.items() if y == first}
        kept = {p for p in base_first if chosen.get(p) == first}
        rows.append({"run_id": record.run_id, "jaccard": record.jaccard,
                     "first_year_kept": len(kept) / len(base_first) if base_first else np.nan,
                     "first_year_tau": first_year_tau(base_order,
                                                      record.first_year_order)})
    return pd.DataFrame(rows, columns=["run_id", "jaccard", "first_year_kept",
                                       "first_year_tau"])


def dependent_parcels(runs: pd.DataFrame, factor: str, threshold: float = 0.5) -> list[int]:
    """Parcels whose selection follows one factor: |correlation| between "chosen in this
    run" and the factor's multiplier ≥ ``threshold`` over the solved runs."""
    column = f"x:{factor}"
    if column not in runs or "chosen" not in runs:
        return []
    solved = runs[runs["chosen"].notna()]
    if len(solved) < 3 or solved[column].nunique() < 2:
        return []
    picks = [_chosen(record) for record in solved["chosen"]]
    parcels = sorted(set().union(*picks))
    chosen = np.array([[p in pick for p in parcels] for pick in picks], dtype=float)
    varying = chosen.std(axis=0) > 0
    x = solved[column].to_numpy(float)
    corr = np.zeros(len(parcels))
    if varying.any():
        centred = chosen[:, varying] - chosen[:, varying].mean(axis=0)
        corr[varying] = (centred * (x - x.mean())[:, None]).mean(axis=0) / (
            centred.std(axis=0) * x.std())
    return [p for p, c in zip(parcels, corr, strict=True) if abs(c) >= threshold]


def weight_only_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs in which only criterion weights moved (all other multipliers at 1)."""
    others = [c for c in runs.columns if c.startswith("x:") and not c.startswith("x:weight:")]
    if not others:
        return runs
    return runs[(runs[others] - 1.0).abs().max(axis=1) < 1e-9]
