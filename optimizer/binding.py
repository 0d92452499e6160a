"""Which limit binds, per year and water account: money, water, both or neither.

A limit binds when one more unit of it would buy more benefit: its shadow price (the LP
relaxation's dual, optimizer/shadow_prices.py) is positive. Money is one city-wide limit
per year, and a county's own where the scenario gives one (``budget.per_county``: it binds
its county's account, or the city's when water is one city-wide account); water is one per
account (county, or the city). An account with no water at all
that year (no allocation, no credited saving) binds whenever water there would buy benefit:
its words say it has none ("water binds: none allocated"), so that a county with 0 available
and 0 used does not read as a contradiction. Words in Chinese and English for the run table,
the report and the 汇总 sheet.

Money with carry-over: the yearly rows chain (what a year leaves is carried into the next),
so what binds is the cumulative budget — Σ spend ≤ Σ granted up to year t — whose price is
the drop of the yearly price from t to t + 1 (:func:`money_rule`). A year whose
cumulative row is priced binds only when the plan leaves less money than the cheapest work
it starts that year: a year that carries more on was not stopped by money (its capacity
or water was), and is said to carry it on. One rule for the city's money
(:func:`money_binding`) and a county's own (:func:`county_money_binding`: its price, spend,
money and works), so that a county with carry-over is not said to bind in every year before
the one where its cumulative row binds.

An action's yearly capacity (actions.csv ``capacity_km2_per_yr``, e.g. enclosure 封育
28.7 km²/yr) binds when its row (or its count cut) is priced (:func:`capacity_binding`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from region.references import code_text

if TYPE_CHECKING:
    from region.scenario_budget_water import Budget

#: A shadow price at or below this (objective units per 万元 or 万m³) counts as zero: the
#: LP's dual feasibility tolerance, so solver noise is not read as a binding limit.
PRICE_TOLERANCE = 1e-9

#: (money binds, water binds) → the kind of year or account.
KIND = {(True, True): "both", (True, False): "money", (False, True): "water",
        (False, False): "neither"}
#: Each kind in Chinese and English: the one wording of the run table, report and lists.
WORDS = {"both": ("资金和水均紧约束", "money and water bind"),
         "money": ("资金紧约束", "money binds"),
         "water": ("水紧约束", "water binds"),
         "neither": ("资金与水均未紧约束", "neither money nor water binds")}
#: Water available (万m³) at or below this is none: an account with no allocation and no
#: credited saving that year.
NONE_AVAILABLE = 1e-6
#: What is said of a binding water account with none available.
NONE_ALLOCATED = ("未分配水量", "none allocated")


def words(kind: str, water_none: bool) -> tuple[str, str]:
    """The (Chinese, English) words of a kind of year or account; where water binds with none
    available, they say so ("水紧约束：未分配水量", "water binds: none allocated")."""
    zh, en = WORDS[kind]
    if water_none and kind in ("water", "both"):
        zh, en = f"{zh}：{NONE_ALLOCATED[0]}", f"{en}: {NONE_ALLOCATED[1]}"
    return zh, en


def money_binding(prices: dict[int, dict], years: pd.DataFrame, chosen: pd.DataFrame,
                  carry_over: bool) -> dict[int, str]:
    """Per year, whether the city's money binds (:func:`money_rule` on ``budget_per_wan``).
    ``years`` has year, spend and, with carry-over, budget_available; ``chosen`` the plan's
    works (start_year, cost_<year>)."""
    price = {int(y): float(prices.get(int(y), {}).get("budget_per_wan", 0.0))
             for y in years["year"]}
    return money_rule(price, years, chosen, carry_over)


def county_money_binding(prices: dict[int, dict], chosen: pd.DataFrame,
                         budget: Budget | None = None,
                         years: list[int] | None = None) -> dict[str, dict[int, str]]:
    """Per county with money of its own (priced in ``budget_per_wan_by_county``, or named in
    ``budget.per_county``), per year: :func:`money_rule` on the county's price, its works'
    spend and, with the county's carry-over, its money available (granted up to the year
    less its spend before it). ``budget`` is the scenario's (per_county, county_carries);
    without it carry-over is unknown and the price decides. ``years`` defaults to the
    years of ``prices``."""
    order = sorted(int(y) for y in (years if years is not None else prices))
    own = getattr(budget, "per_county", None) or {}
    codes = sorted({str(c) for y in order
                    for c in prices.get(y, {}).get("budget_per_wan_by_county", {})} | set(own))
    county = chosen["county"].map(code_text) if "county" in chosen else pd.Series(dtype=str)
    out: dict[str, dict[int, str]] = {}
    for code in codes:
        price = {y: float(prices.get(y, {}).get("budget_per_wan_by_county", {}).get(code, 0.0))
                 for y in order}
        mine = chosen[(county == code).to_numpy()] if len(chosen) else chosen
        spend = [float(mine[f"cost_{y}"].sum()) if f"cost_{y}" in mine else 0.0
                 for y in order]
        frame = pd.DataFrame({"year": order, "spend": spend})
        carry = code in own and bool(budget.county_carries(code))
        if carry:
            granted = own[code].for_years(order)
            frame["budget_available"] = (pd.Series([granted[y] for y in order]).cumsum()
                                         - frame["spend"].cumsum().shift(fill_value=0.0))
        out[code] = money_rule(price, frame, mine, carry)
    return out


def counties_binding(by_county: dict[str, dict[int, str]]) -> dict[int, list[str]]:
    """Per year, the counties whose own money binds (from :func:`county_money_binding`)."""
    out: dict[int, list[str]] = {}
    for county, said in sorted(by_county.items()):
        for year, word in said.items():
            out.setdefault(year, [])
            if word == "binds":
                out[year].append(county)
    return out


def money_rule(price: dict[int, float], years: pd.DataFrame, chosen: pd.DataFrame,
               carry_over: bool) -> dict[int, str]:
    """Per year, whether one account's money (the city's, or a county's own) binds:
    "binds", "carried" (priced, but the year carries money on: with carry-over only) or
    "free" (no price). ``price`` is what one more 万元 in a year would buy: with carry-over
    it loosens that year's cumulative row and every later one, so the cumulative row's own
    price is the drop from the year to the next. Without carry-over a priced year binds
    (what it leaves is lost, not carried). ``years`` has year, spend and, with carry-over,
    budget_available (granted + carried in); ``chosen`` the account's works (start_year,
    cost_<year>)."""
    order = sorted(int(y) for y in years["year"])
    out: dict[int, str] = {}
    for k, year in enumerate(order):
        if price.get(year, 0.0) <= PRICE_TOLERANCE:
            out[year] = "free"
            continue
        if not carry_over or "budget_available" not in years:
            out[year] = "binds"
            continue
        later = price.get(order[k + 1], 0.0) if k + 1 < len(order) else 0.0
        row = years[years["year"] == year].iloc[0]
        left = float(row["budget_available"] - row["spend"])
        out[year] = "binds" if price[year] - later > PRICE_TOLERANCE and (
            left <= MONEY_TOLERANCE_WAN or left < cheapest_start(chosen, year)) else "carried"
    return out


#: Money left below this (万元) is none: a year that spends all it has binds even when it
#: starts no work (its money went to instalments).
MONEY_TOLERANCE_WAN = 1e-6


def cheapest_start(chosen: pd.DataFrame, year: int) -> float:
    """The smallest first-year instalment (万元) of the works the plan starts in ``year``;
    0 when it starts none (then any money left means money did not stop one)."""
    column = f"cost_{year}"
    if chosen.empty or column not in chosen or "start_year" not in chosen:
        return 0.0
    costs = chosen.loc[chosen["start_year"] == year, column]
    costs = costs[costs > 0]
    return float(costs.min()) if len(costs) else 0.0


def capacity_binding(prices: dict[int, dict]) -> dict[int, list[str]]:
    """Per year, the actions whose yearly capacity binds (its row's price is positive)."""
    return {int(year): sorted(a for a, p in values.get("capacity_by_action", {}).items()
                              if p > PRICE_TOLERANCE)
            for year, values in prices.items()}


def binding_limits(prices: dict[int, dict], accounts: pd.DataFrame,
                   money_binds: dict[int, bool] | None = None,
                   county_binds: dict[int, list[str]] | None = None) -> pd.DataFrame:
    """One row per year and water account: ``money`` and ``water`` (bool: binds), their
    shadow prices (``budget_per_wan`` the city's money), ``water_none`` (the account has no
    water that year), the words (``binds_zh``, ``binds_en``) and ``money_counties``, the
    counties whose own money binds there (its county, or any for the city's account).

    ``prices`` is a plan's shadow prices per year (budget_per_wan, water_per_wan_m3 and, with
    county accounts, water_per_wan_m3_by_county); ``accounts`` its water-account table
    (year, account, …); ``money_binds`` whether the city's money binds each year and
    ``county_binds`` the counties whose own money does, when the price alone does not say
    it (carry-over: :func:`money_binding`, :func:`county_money_binding`; not given: the
    price decides).
    """
    if county_binds is None:
        county_binds = counties_binding(county_money_binding(prices, pd.DataFrame()))
    rows = []
    available = accounts["water_available"] if "water_available" in accounts \
        else pd.Series(float("inf"), index=accounts.index)
    for record, water_available in zip(accounts[["year", "account"]].itertuples(index=False),
                                       available, strict=True):
        year = prices.get(int(record.year), {})
        money_price = float(year.get("budget_per_wan", 0.0))
        own = tuple(c for c in county_binds.get(int(record.year), [])
                    if record.account in (c, "city"))
        by_county = year.get("water_per_wan_m3_by_county")
        water_price = float(by_county.get(record.account, 0.0) if by_county is not None
                            else year.get("water_per_wan_m3", 0.0))
        money = money_price > PRICE_TOLERANCE
        if money_binds is not None:  # the city's money with carry-over (money_binding)
            money = money_binds.get(int(record.year), money)
        money, water = money or bool(own), water_price > PRICE_TOLERANCE
        none = bool(water_available <= NONE_AVAILABLE)
        zh, en = words(KIND[(money, water)], none)
        rows.append({"year": int(record.year), "account": record.account, "money": money,
                     "water": water, "budget_per_wan": money_price,
                     "water_per_wan_m3": water_price, "water_none": none, "binds_zh": zh,
                     "binds_en": en, "money_counties": own})
    return pd.DataFrame(rows, columns=["year", "account", "money", "water", "budget_per_wan",
                                       "water_per_wan_m3", "water_none", "binds_zh",
                                       "binds_en", "money_counties"])
