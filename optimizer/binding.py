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

Money and water bind by one definition: a limit binds when its shadow price is positive —
and money also when no row of it is priced but what the plan leaves of it could not pay any
further work that could still be added (the LP of parts of works prices it at nothing, the
plan of whole works is stopped by it). Money with carry-over is one chain of cumulative
rows (spend up to year t ≤ money granted up to t), and a 万元 more in year t loosens t's row
and every later one, so the price of year t is the sum of the prices of the cumulative
rows from t on (:func:`money_rule`):

* "binds": the year's own cumulative row is priced (the year's price is above the next
  year's; without carry-over, any price), or nothing is priced and the money left could
  not pay the cheapest work not chosen (:func:`affordable`);
* "carried": priced, but only through a later cumulative row — the total (the last year's
  row) or the money up to a later year binds, and the year carries its money on
  (:func:`carried_until` names the row; :func:`money_words` says it: "资金总额起约束（逐年
  结转）/ the total budget binds; each year carries money on");
* "free": no row is priced and money is not what stops a further work — the money left
  could pay one that something else (a capacity, water) stops, or no work is left to add:
  only then "money does not bind".

A plan of whole works can leave money in a binding year, as it leaves water (said as
"余 … 万元 left"). The works "that could still be added" are the options the plan did not
choose, on parcels it leaves untouched, that no rule locks out (``Plan.open_works``);
capacity and water are not asked, since those limits are said apart. One rule for the
city's money (:func:`money_binding`) and a county's own (:func:`county_money_binding`: its
price, spend, money and works).

An action's yearly capacity (actions.csv ``capacity_km2_per_yr``, e.g. enclosure 封育
28.7 km²/yr) binds when its row (or its count cut) is priced (:func:`capacity_binding`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
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
#: Each kind in Chinese and English: the one wording of the run table, report and lists;
#: "total" a year whose money is carried on while the total budget binds (money_rule's
#: "carried"), "total_water" the same with water binding.
WORDS = {"both": ("资金和水均紧约束", "money and water bind"),
         "money": ("资金紧约束", "money binds"),
         "water": ("水紧约束", "water binds"),
         "neither": ("资金与水均未紧约束", "neither money nor water binds"),
         "total": ("资金总额起约束（逐年结转）",
                   "the total budget binds; each year carries money on"),
         "total_water": ("资金总额起约束（逐年结转），水紧约束",
                         "the total budget binds (each year carries money on) and water binds")}


def kind_of(money: bool, water: bool, carried: bool = False) -> str:
    """The kind of a year or account: money binds there (its own row), water binds, and
    ``carried``: its money is carried on while a later row of it binds (the total)."""
    if carried and not money:
        return "total_water" if water else "total"
    return KIND[(money, water)]
#: Water available (万m³) at or below this is none: an account with no allocation and no
#: credited saving that year.
NONE_AVAILABLE = 1e-6
#: What is said of a binding water account with none available.
NONE_ALLOCATED = ("未分配水量", "none allocated")


def words(kind: str, water_none: bool) -> tuple[str, str]:
    """The (Chinese, English) words of a kind of year or account; where water binds with none
    available, they say so ("水紧约束：未分配水量", "water binds: none allocated")."""
    zh, en = WORDS[kind]
    if water_none and kind in ("water", "both", "total_water"):
        zh, en = f"{zh}：{NONE_ALLOCATED[0]}", f"{en}: {NONE_ALLOCATED[1]}"
    return zh, en


def money_binding(prices: dict[int, dict], years: pd.DataFrame, carry_over: bool,
                  open_works: pd.DataFrame | None = None) -> dict[int, str]:
    """Per year, whether the city's money binds (:func:`money_rule` on ``budget_per_wan``).
    ``years`` has year, spend, budget and, with carry-over, budget_available;
    ``open_works`` the works the plan could still add (start_year, cost_<year>)."""
    return money_rule(city_price(prices, years), years, carry_over, open_works)


def city_price(prices: dict[int, dict], years: pd.DataFrame) -> dict[int, float]:
    """Per year of ``years``, the city's money's price (``budget_per_wan``; 0 unpriced)."""
    return {int(y): float(prices.get(int(y), {}).get("budget_per_wan", 0.0))
            for y in years["year"]}


def county_money_binding(prices: dict[int, dict], chosen: pd.DataFrame,
                         budget: Budget | None = None,
                         years: list[int] | None = None,
                         open_works: pd.DataFrame | None = None
                         ) -> dict[str, dict[int, str]]:
    """Per county with money of its own (priced in ``budget_per_wan_by_county``, or named in
    ``budget.per_county``), per year: :func:`money_rule` on the county's price, its works'
    spend and, with the county's carry-over, its money available (granted up to the year
    less its spend before it). ``budget`` is the scenario's (per_county, county_carries);
    without it carry-over is unknown and the price decides. ``years`` defaults to the
    years of ``prices``; ``open_works`` the works the plan could still add (county,
    start_year, cost_<year>)."""
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
        could = None
        if open_works is not None and "county" in open_works:
            could = open_works[(open_works["county"].map(code_text) == code).to_numpy()]
        spend = [float(mine[f"cost_{y}"].sum()) if f"cost_{y}" in mine else 0.0
                 for y in order]
        frame = pd.DataFrame({"year": order, "spend": spend})
        carry = code in own and bool(budget.county_carries(code))
        if code in own:
            granted = own[code].for_years(order)
            frame["budget"] = [granted[y] for y in order]
        if carry:
            frame["budget_available"] = (frame["budget"].cumsum()
                                         - frame["spend"].cumsum().shift(fill_value=0.0))
        out[code] = money_rule(price, frame, carry, could)
    return out


def counties_binding(by_county: dict[str, dict[int, str]], code: str = "binds"
                     ) -> dict[int, list[str]]:
    """Per year, the counties whose own money binds (from :func:`county_money_binding`), or
    is said ``code`` ("carried": carried on while a later row of it, its total, binds)."""
    out: dict[int, list[str]] = {}
    for county, said in sorted(by_county.items()):
        for year, word in said.items():
            out.setdefault(year, [])
            if word == code:
                out[year].append(county)
    return out


def money_rule(price: dict[int, float], years: pd.DataFrame, carry_over: bool,
               open_works: pd.DataFrame | None = None) -> dict[int, str]:
    """Per year, whether one account's money (the city's, or a county's own) "binds", is
    "carried" on while a later cumulative row (the total, or the money up to a later year)
    binds, or is "free" (the module's rule). ``price`` is what one more 万元 in a year would
    buy: with carry-over it loosens that year's cumulative row and every later one, so the
    year's own row is priced by the drop from the year to the next. ``years`` has year,
    spend and budget (granted) and, with carry-over, budget_available (granted + carried
    in); ``open_works`` the works the plan could still add (start_year, cost_<year>):
    without them (or the money granted) an unpriced year is "free"."""
    order = sorted(int(y) for y in years["year"])
    left = money_left(years, carry_over)
    out: dict[int, str] = {}
    for k, year in enumerate(order):
        if price.get(year, 0.0) > PRICE_TOLERANCE:
            later = price.get(order[k + 1], 0.0) if k + 1 < len(order) else 0.0
            chained = carry_over and "budget_available" in years
            out[year] = "carried" if chained and price[year] - later <= PRICE_TOLERANCE \
                else "binds"
        elif left is None or open_works is None or not len(open_works):
            out[year] = "free"
        else:
            out[year] = unpriced_word(open_works, year, left, carry_over)
    return out


#: Money left below this (万元) is none: rounding of the solver's spend, not money.
MONEY_TOLERANCE_WAN = 1e-6


def money_left(years: pd.DataFrame, carry_over: bool) -> dict[int, float] | None:
    """Per year, the money the plan leaves (万元): with carry-over what it carries on
    (budget_available − spend), without it what it leaves of the year's grant, less what
    the last year holds for instalments due after it (``held_wan``); None when ``years``
    does not give the money granted."""
    column = "budget_available" if carry_over else "budget"
    if column not in years:
        return None
    held = years["held_wan"] if "held_wan" in years else pd.Series(0.0, index=years.index)
    return {int(y): float(a - s - h) for y, a, s, h in
            zip(years["year"], years[column], years["spend"], held, strict=True)}


def unpriced_word(open_works: pd.DataFrame, year: int, left: dict[int, float],
                  carry_over: bool) -> str:
    """An unpriced year's word: "free" when the money left could pay some work not chosen
    that has an instalment due in ``year`` (every instalment within the money left in its
    own year, or, with carry-over, its instalments up to each year within the money carried
    on then); "binds" when none does and this year's money is short for one of them (so a
    later year's shortfall is not blamed on the year a work starts); else "free". Capacity
    and water are not asked: they are said as limits of their own."""
    columns = [f"cost_{y}" for y in sorted(left) if f"cost_{y}" in open_works]
    if not columns or f"cost_{year}" not in open_works:
        return "free"
    cost = open_works[columns].to_numpy(float)
    due = cost.cumsum(axis=1) if carry_over else cost
    fits = instalments_fit(cost, [left[int(c.removeprefix("cost_"))] for c in columns],
                           carry_over)
    here = columns.index(f"cost_{year}")
    waiting = due[:, here] > 0  # works with money due in this year
    if not waiting.any():
        return "free"
    if fits[waiting].all(axis=1).any():
        return "free"
    return "binds" if (~fits[waiting][:, here]).any() else "free"


def instalments_fit(cost: np.ndarray, left: list[float], carry_over: bool) -> np.ndarray:
    """Per work (a row of ``cost``: its instalments, 万元, in the years of ``left``) and
    year: whether the money the plan leaves (``left``, :func:`money_left`) pays it there —
    its own instalment within the year's money left, or, with carry-over, its instalments
    up to the year within the money carried on then; a year with nothing due asks nothing."""
    due = cost.cumsum(axis=1) if carry_over else cost
    return (due <= np.asarray(left, float) + MONEY_TOLERANCE_WAN) | (due <= 0)


def cheapest_start(works: pd.DataFrame, year: int) -> float:
    """The smallest first-year instalment (万元) of ``works`` starting in ``year`` (the
    works a plan could still add, as :func:`money_words` names the cheapest); 0 when none
    does."""
    column = f"cost_{year}"
    if works is None or works.empty or column not in works or "start_year" not in works:
        return 0.0
    costs = works.loc[works["start_year"] == year, column]
    costs = costs[costs > 0]
    return float(costs.min()) if len(costs) else 0.0


def carried_until(price: dict[int, float]) -> dict[int, int]:
    """Per year whose money is carried on (priced, its own row not), the year of the first
    later cumulative row that is priced (the price drops after it): the last year is the
    horizon's total."""
    order = sorted(price)
    out: dict[int, int] = {}
    for k, year in enumerate(order):
        for j in range(k, len(order)):
            later = price.get(order[j + 1], 0.0) if j + 1 < len(order) else 0.0
            if price.get(order[j], 0.0) - later > PRICE_TOLERANCE:
                out[year] = order[j]
                break
    return out


#: The money rule's codes in words (Chinese, English): the run table, report, lists and
#: manifest say each code so. "carried" is the total's wording; :func:`money_words` names
#: another year's cumulative row when that one binds.
MONEY_WORDS = {"binds": ("资金紧约束", "money binds"),
               "carried": ("资金总额起约束（逐年结转）",
                           "the total budget binds; each year carries money on"),
               "free": ("资金不构成约束", "money does not bind")}


def money_words(code: str, until: int | None = None, last: int | None = None
                ) -> tuple[str, str]:
    """The (Chinese, English) words of a money code; for "carried", the cumulative row that
    binds when it is not the total (``until`` before the ``last`` year)."""
    if code == "carried" and until is not None and last is not None and until < last:
        return (f"至{until}年累计资金起约束（本年结转）",
                f"the money granted up to {until} binds; this year carries money on")
    return MONEY_WORDS[code]


def capacity_binding(prices: dict[int, dict]) -> dict[int, list[str]]:
    """Per year, the actions whose yearly capacity binds (its row's price is positive)."""
    return {int(year): sorted(a for a, p in values.get("capacity_by_action", {}).items()
                              if p > PRICE_TOLERANCE)
            for year, values in prices.items()}


def binding_limits(prices: dict[int, dict], accounts: pd.DataFrame,
                   money_binds: dict[int, bool] | None = None,
                   county_binds: dict[int, list[str]] | None = None,
                   carried: dict[int, bool] | None = None,
                   county_carried: dict[int, list[str]] | None = None,
                   carried_to: dict[int, int] | None = None) -> pd.DataFrame:
    """One row per year and water account: ``money`` and ``water`` (bool: binds), their
    shadow prices (``budget_per_wan`` the city's money), ``water_none`` (the account has no
    water that year), the words (``binds_zh``, ``binds_en``) and ``money_counties``, the
    counties whose own money binds there (its county, or any for the city's account).

    ``prices`` is a plan's shadow prices per year (budget_per_wan, water_per_wan_m3 and, with
    county accounts, water_per_wan_m3_by_county); ``accounts`` its water-account table
    (year, account, …); ``money_binds`` whether the city's money binds each year and
    ``county_binds`` the counties whose own money does, when the price alone does not say
    it (carry-over: :func:`money_binding`, :func:`county_money_binding`; not given: the
    price decides); ``carried`` the years whose city money is carried on while a later
    row binds and ``county_carried`` the counties whose own money is (``money_total``: the
    words say "the total budget binds"; ``money_total_counties`` those counties);
    ``carried_to`` per carried year of the city the cumulative row that binds when it is
    not the last year's (the total): the words and ``money_until`` name it, as the report
    and the lines under the run table do ("至2028年累计资金起约束（本年结转）").
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
        own_total = tuple(c for c in (county_carried or {}).get(int(record.year), [])
                          if record.account in (c, "city"))
        total = (bool((carried or {}).get(int(record.year), False)) or bool(own_total)) \
            and not money
        zh, en = words(kind_of(money, water, total), none)
        until = (carried_to or {}).get(int(record.year)) \
            if total and (carried or {}).get(int(record.year)) else None
        if until is not None:  # an earlier cumulative row binds, not the total
            zh, en = money_words("carried", until, until + 1)
            if water:
                water_zh, water_en = words("water", none)
                zh, en = f"{zh}，{water_zh}", f"{en}; {water_en}"
        rows.append({"year": int(record.year), "account": record.account, "money": money,
                     "water": water, "money_total": total, "money_until": until,
                     "budget_per_wan": money_price,
                     "water_per_wan_m3": water_price, "water_none": none, "binds_zh": zh,
                     "binds_en": en, "money_counties": own,
                     "money_total_counties": own_total})
    return pd.DataFrame(rows, columns=["year", "account", "money", "water", "money_total",
                                       "money_until", "budget_per_wan",
                                       "water_per_wan_m3", "water_none", "binds_zh",
                                       "binds_en", "money_counties",
                                       "money_total_counties"])
