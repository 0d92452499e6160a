"""Which limit binds in which year, in words: money, water, both or neither.

Each limit is, in each year, *used up* (the plan uses ≥ 99.5 % of it), *priced* (not used
up, but its shadow price — the LP relaxation's dual — is positive: more of it would raise
the objective, while what is left fits no whole option) or *slack*. It binds when used up
or priced. With carry-over, the money available in a year is that year's budget plus what
earlier years left unspent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.plan import Plan

#: Share of a limit above which it counts as used up.
USED_UP = 0.995
#: Shadow prices below this (objective per 万元 or 万m³) count as zero.
PRICE_TOL = 1e-12
WORDS = {"money": ("资金约束起作用", "money binds"),
         "water": ("水量约束起作用", "water binds"),
         "both": ("资金与水量同时约束", "money and water both bind"),
         "neither": ("资金与水量均未约束（受目标、进度或可选地块限制）",
                     "neither money nor water binds (targets, capacity or the parcels "
                     "available limit the plan)")}
STATES = {"used up": ("用满", "used up"),
          "priced": ("未用满但有影子价格：增加可提高效益，余量不足以再安排一个整地块",
                     "not used up but priced: more would raise the benefit, what is left "
                     "fits no whole option"),
          "slack": ("有余", "slack")}


def limit_state(share: float, price: float) -> str:
    """"used up", "priced" or "slack" (module docstring)."""
    if share >= USED_UP:
        return "used up"
    return "priced" if price > PRICE_TOL else "slack"


def binding_limits(plan: Plan) -> pd.DataFrame:
    """Per year: spend and water against their limits, shares used, shadow prices, which
    limit binds (money, water, both, neither) and a bilingual sentence saying so."""
    years = plan.years
    available = years["budget_available"] if "budget_available" in years else years["budget"]
    rows = []
    for row, money in zip(years.itertuples(index=False), available, strict=True):
        prices = plan.shadow_prices.get(int(row.year), {})
        money_share = row.spend / money if money > 0 else np.nan
        water_share = row.water_use / row.water_limit if row.water_limit > 0 else np.nan
        money_state = limit_state(money_share, prices.get("budget_per_wan", 0.0))
        water_state = limit_state(water_share, prices.get("water_per_wan_m3", 0.0))
        binds = {(True, True): "both", (True, False): "money", (False, True): "water",
                 (False, False): "neither"}[(money_state != "slack", water_state != "slack")]
        zh, en = WORDS[binds]
        sentence = (f"{row.year}年：{zh}。资金{STATES[money_state][0]}：支出 {row.spend:,.0f} / "
                    f"可用 {money:,.0f} 万元（{money_share:.1%}）；水{STATES[water_state][0]}："
                    f"用水 {row.water_use:,.0f} / 上限 {row.water_limit:,.0f} 万m³"
                    f"（{water_share:.1%}）。 {row.year}: {en}. Money "
                    f"{STATES[money_state][1]}: spend {row.spend:,.0f} of {money:,.0f} 万元 "
                    f"available ({money_share:.1%}); water {STATES[water_state][1]}: "
                    f"{row.water_use:,.0f} of {row.water_limit:,.0f} 万m³ "
                    f"({water_share:.1%}).")
        rows.append({"year": int(row.year), "spend": row.spend, "money_available": money,
                     "money_share": money_share, "money_state": money_state,
                     "water_state": water_state,
                     "money_price": prices.get("budget_per_wan", 0.0),
                     "water_use": row.water_use, "water_limit": row.water_limit,
                     "water_share": water_share,
                     "water_price": prices.get("water_per_wan_m3", 0.0),
                     "binds": binds, "sentence": sentence})
    return pd.DataFrame(rows)


def county_water(manifest: dict, county_labels: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The per-county water accounts of the manifest (``years[<year>]["counties"][<code>]``
    = water_use, water_available, saving_credited, groundwater_relief, in 万m³), one row per
    year and county; empty when the run has none."""
    rows = []
    for year, record in sorted((manifest.get("years") or {}).items()):
        for code, account in sorted((record.get("counties") or {}).items()):
            zh, en = county_labels.get(str(code), (str(code), str(code)))
            rows.append({"year": int(year), "county": f"{zh} {en}", **{
                key: account.get(key, np.nan) for key in (
                    "water_use", "water_available", "saving_credited", "groundwater_relief")}})
    return pd.DataFrame(rows, columns=["year", "county", "water_use", "water_available",
                                       "saving_credited", "groundwater_relief"])
