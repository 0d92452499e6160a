"""Ranking within a year of the priority lists: mandatory works and options that a target
needs come first (they are commitments, funded whatever their return), then by benefit per
万元 (the option's weighted benefit to the evaluation year divided by its total cost),
highest first: the order in which a funding body gets the most for its money. Ties go to
the larger benefit. Water-saving works and the works relying on their water rank as one
package (outputs/water_reliance.py)."""

from __future__ import annotations

import pandas as pd

from outputs.water_reliance import PoolLinks, saving_packages


def rank_values(chosen: pd.DataFrame, cost: pd.Series, links: list[PoolLinks]) -> pd.DataFrame:
    """The key each row ranks by in its year, with its water package: its benefit per 万元;
    for the water-saving works of a pool and the works relying on their water
    (outputs/water_reliance.py), the package's (its rows' benefit ÷ their cost), so that
    the savings rank with the works they make possible, just before them (``saves_water``
    breaks the tie), and neither ranks as if the other were free. Columns ``rank_value``,
    ``water_package`` (-1: none) and ``saves_water``."""
    saving = [c for c in chosen if c.startswith("saving_") and c[7:].isdigit()]
    frame = pd.DataFrame({"rank_value": chosen["benefit_per_wan"].astype(float),
                          "water_package": saving_packages(chosen, links),
                          "saves_water": (chosen[saving] > 0).any(axis=1) if saving
                          else False}, index=chosen.index)
    for _, members in frame[frame["water_package"] >= 0].groupby("water_package"):
        total = float(cost.loc[members.index].sum())
        if total > 0:
            frame.loc[members.index, "rank_value"] = \
                float(chosen.loc[members.index, "value"].sum()) / total
    return frame


def in_rank_order(chosen: pd.DataFrame) -> pd.DataFrame:
    """``chosen`` (with :func:`rank_values`' columns and ``required``) by start year, then
    what rules require, then the rank key, a water package's savings before its works."""
    return chosen.sort_values(["start_year", "required", "rank_value", "saves_water",
                               "value", "parcel_id"],
                              ascending=[True, False, False, False, False, True])
