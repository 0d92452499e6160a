"""Shadow prices of money and water: what one more 万元 or 万m³ in a year would buy."""

from __future__ import annotations

import re

import numpy as np

from optimizer.compiled import CompiledModel
from optimizer.solvers import solve

_WATER_LABEL = re.compile(r"water\[(?:(?P<account>[^,\]]+),)?(?P<year>\d+)\]")
_COUNTY_MONEY_LABEL = re.compile(
    r"budget_county\[(?P<county>[^,\]]+),(?:(?P<first>\d+)-)?(?P<year>\d+)\]")
_CAPACITY_LABEL = re.compile(r"capacity(?:_count|_mir)?\[(?P<action>[^,\]]+),(?P<year>\d+)\]")


def shadow_prices(model: CompiledModel, years: tuple[int, ...],
                  row_duals: np.ndarray | None = None) -> dict[int, dict]:
    """Benefit (objective units) one more 万元 or 万m³ would buy in each year: the duals of
    the budget and water rows in the LP relaxation (``row_duals`` when the run solved it
    already, else solved here).

    Per year: ``budget_per_wan``; ``water_per_wan_m3``, the largest over the water accounts
    (water binds somewhere when it is positive); with county accounts also
    ``water_per_wan_m3_by_county`` {county code: price}; with counties' own money
    (``budget.per_county``) ``budget_per_wan_by_county`` {county code: price}: with the
    county's carry-over a 万元 more in year t loosens its rows of t and every later year,
    so its price is their duals' sum; with action capacities ``capacity_by_action``
    {action: price of its capacity row, or of its count or rounding cut, whichever
    is larger} — per km² or per work: > 0 means the action's yearly pace limits the plan.
    """
    if row_duals is None:
        row_duals = solve(model, "highs", time_limit_s=60.0, lp_relaxation=True).row_duals
    if row_duals is None:
        return {}
    prices: dict[int, dict] = {y: {} for y in years}
    budget = model.family("budget")
    for year, dual in zip(years, row_duals[budget.start:budget.stop], strict=True):
        prices[year]["budget_per_wan"] = abs(float(dual))
    _county_money(model, row_duals, prices)
    water = model.family("water")
    for label, dual in zip(water.labels, row_duals[water.start:water.stop], strict=True):
        match = _WATER_LABEL.fullmatch(label)
        year, account = int(match["year"]), match["account"]
        price = abs(float(dual))
        prices[year]["water_per_wan_m3"] = max(prices[year].get("water_per_wan_m3", 0.0), price)
        if account is not None:
            prices[year].setdefault("water_per_wan_m3_by_county", {})[account] = price
    for name in ("capacity", "capacity_count", "capacity_mir"):
        try:
            rows = model.family(name)
        except KeyError:  # no action has a yearly capacity
            continue
        for label, dual in zip(rows.labels, row_duals[rows.start:rows.stop], strict=True):
            match = _CAPACITY_LABEL.fullmatch(label)
            if match is None or int(match["year"]) not in prices:
                continue
            by_action = prices[int(match["year"])].setdefault("capacity_by_action", {})
            by_action[match["action"]] = max(by_action.get(match["action"], 0.0),
                                             abs(float(dual)))
    return prices


def _county_money(model: CompiledModel, row_duals: np.ndarray, prices: dict[int, dict]
                  ) -> None:
    """Add each county's own money price per year (see :func:`shadow_prices`)."""
    try:
        family = model.family("budget_county")
    except KeyError:
        return
    rows: dict[str, list[tuple[int, float, bool]]] = {}
    for label, dual in zip(family.labels, row_duals[family.start:family.stop], strict=True):
        match = _COUNTY_MONEY_LABEL.fullmatch(label)
        rows.setdefault(match["county"], []).append(
            (int(match["year"]), abs(float(dual)), match["first"] is not None))
    for county, entries in rows.items():
        for year, price, _ in entries:
            later = sum(p for y, p, cumulative in entries if cumulative and y > year)
            prices.setdefault(year, {}).setdefault("budget_per_wan_by_county", {})[
                county] = price + later
