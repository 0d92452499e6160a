"""Which limit binds in which year, in words: money (in which county, where counties have
their own), water (in which county), both or neither.

The rule is the plan's (optimizer/binding.py), one for money and water: a limit binds when
one more unit of it would buy more benefit, i.e. its shadow price — the LP relaxation's
dual — is positive (money also when nothing is priced but what is left could pay no
further work); with carry-over a year whose money is priced only through the total (or a
later year's cumulative budget) is said so: "资金总额起约束（逐年结转）/ the total budget
binds; each year carries money on". Water is judged per water account (a county, or the
city). The words here add how much of each
limit the plan uses, so that a reader sees a limit that binds although some of it is left
(what is left fits no whole option) or one used up without a price; a county with no water
that year binds whenever water there would buy benefit, and is said to have none allocated.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from optimizer.binding import (
    NONE_ALLOCATED,
    WORDS,
    cheapest_start,
    kind_of,
    money_words,
)
from optimizer.plan import Plan

#: What limits a year that neither money nor water does, said in the year's sentence.
NEITHER_WHY = ("（受目标、进度或可选地块限制）",
               " (targets, capacity or the parcels available limit the plan)")
#: A re-plan's past year given by the actuals (pipeline/reported.py), said in its sentence.
REPORTED = ("往年，按实报数（actuals）", "past year, as reported (actuals)", "", "")
#: A re-plan's past year without actuals, as the progress file recorded it.
RECORDED = ("往年，按进度表（无实报数）",
            "past year, as recorded in the progress file (no actuals)", "", "")
RULE = ("紧约束：资金和水同一定义——该年影子价格大于0，即在线性松弛（工程可部分实施）中增加该年"
        "资金或水量可提高方案效益；由完整工程组成的方案仍可能留有少量余额或余水（标“余”），因余量"
        "不足以再开展一项完整工程，或受其他限制。影子价格为0而余下的资金付不起任何一项仍可增加的"
        "未选工程时，资金亦为紧约束。未分配水量的区县，只要有水就能提高效益，即为紧约束，"
        "标为“未分配水量”。 "
        "One definition for money and water: a limit binds when its shadow price is "
        "positive: in the LP relaxation (works may be taken in part) more of it that year "
        "would raise the plan's benefit. A plan of whole works can still leave some of a "
        "binding limit unused (marked 'left'): too little for a further whole work, or "
        "another limit stops one. Money with no price also binds when what is left could "
        "pay none of the works not chosen that could still be added. A county with no water "
        "that year binds whenever water there would raise it, and is marked 'none "
        "allocated'.")
#: How money with carry-over and capacities bind, said under the year sentences
#: (optimizer/binding.py).
MONEY_RULE = ("资金可结转时，各年预算相连（至某年累计支出 ≤ 累计下达）：某年多1万元可用于该年及以后"
              "各年，故该年影子价格为该年及以后各累计行影子价格之和。该年累计行有价（影子价格高于"
              "下一年）时称资金紧约束；仅以后的累计行有价时称“资金总额起约束（逐年结转）”（最后一年"
              "的累计行即资金总额；若为更早年份则称“至某年累计资金起约束”）；只有各行均无影子价格且"
              "余额足以再开展一项未选工程（受实施能力、水量等限制而未开展）时，才称资金不构成约束。"
              "措施年度实施能力（actions.csv capacity_km2_per_yr，如封育 28.7 km²/年）的影子价格"
              "大于0时，称实施能力紧约束。 "
              "With carry-over the yearly budgets chain (spend up to a year ≤ money granted "
              "up to it): a 万元 more in a year can be spent then or later, so the year's "
              "price is the sum of the prices of its cumulative row and every later one. "
              "Money binds in a year whose own cumulative row is priced (its price is above "
              "the next year's); a year priced only through a later row says 'the total "
              "budget binds; each year carries money on' (the last year's row is the total; "
              "an earlier one is named: 'the money granted up to <year> binds'); money does "
              "not bind only when no row is priced and the money left could pay a further "
              "work not chosen (capacity, water or another limit stops it). An action's "
              "yearly capacity (actions.csv capacity_km2_per_yr, e.g. enclosure 封育 28.7 "
              "km²/yr) binds when its row is priced.")
#: Water left in a binding account (万m³) below this is not said: rounding, not water.
LEFT_SAID = 0.05


def account_name(account: str, counties: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """A water account's Chinese and English name: its county's, or the whole city."""
    return counties.get(str(account), ("全市", "the city") if account == "city"
                        else (str(account), str(account)))


def _binding(plan: Plan) -> pd.DataFrame:
    """The plan's binding table (year, account, money, water, …: Plan.binding), with one
    city-wide account per year when the plan has no water accounts."""
    if len(plan.water_accounts):
        return plan.binding()
    city = pd.DataFrame({"year": plan.years["year"].astype(int), "account": "city"})
    return dataclasses.replace(plan, water_accounts=city).binding()


def water_places(binding: list[str], none: list[str], language: int) -> str:
    """The places whose water binds, in Chinese (language 0: "高昌区；鄯善县未分配水量") or
    English (1: "Gaochang District; Shanshan County: none allocated"); ``none`` those of
    them with no water that year."""
    allocated = [name for name in binding if name not in none]
    if language == 0:
        return "；".join([*(["、".join(allocated)] if allocated else []),
                         *([f"{'、'.join(none)}{NONE_ALLOCATED[0]}"] if none else [])])
    return "; ".join([*([", ".join(allocated)] if allocated else []),
                      *([f"{', '.join(none)}: {NONE_ALLOCATED[1]}"] if none else [])])


def action_names(chosen: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Action code → (Chinese, short English name) from the plan's works (action_zh and
    action_en columns; "enclosure" of "enclosure / natural recovery")."""
    if chosen.empty or "action_zh" not in chosen:
        return {}
    first = chosen.drop_duplicates("action")
    english = first["action_en"] if "action_en" in first else first["action"]
    return {str(a): (str(zh), str(en).split(" /")[0]) for a, zh, en in
            zip(first["action"], first["action_zh"], english, strict=True)}


def lake_delivery(plan: Plan) -> float:
    """Water delivered to Aydingkol each year (万m³), counted in the year's water use as an
    item of its county's account (docs/water.md): not new use by the works."""
    water = plan.scenario.water if plan.scenario is not None else None
    lake = getattr(water, "aydingkol", None)
    return float(lake.target_wan_m3) if lake is not None else 0.0


def lake_note(plan: Plan, counties: dict[str, tuple[str, str]] | None = None) -> str:
    """The sentence beside every table that counts Aydingkol's delivery in the year's water
    use: the figure, the county it is booked to, the lake's source where it is not the
    delivery (tight_water: 3,408 of 4,260 万m³, in the water available), in Chinese and
    English, and the scenario's basis (grade first), so that a scenario's estimate is not
    read as a measured or planned figure (a reviewer's finding); "" without a delivery."""
    lake = getattr(plan.scenario.water, "aydingkol", None) if plan.scenario else None
    if lake is None or lake_delivery(plan) <= 0:
        return ""
    zh, en = (counties or {}).get(lake.county, (lake.county, lake.county))
    basis = lake.basis.strip() or "来源未注明 / source not given"
    source = lake.source_wan_m3
    source_zh, source_en = (("", "") if source == lake.target_wan_m3 else (
        f"湖泊水源 {source:,.0f} 万m³/年计入可用水量。",
        f" The lake's source, {source:,.0f} 万m³ a year, is in the water available."))
    return (f"艾丁湖生态输水 {lake.target_wan_m3:,.0f} 万m³/年计入各年用水（{zh}水账），不是本方案"
            f"工程的用水，也不是规划的输水目标。{source_zh} Aydingkol's delivery, "
            f"{lake.target_wan_m3:,.0f} 万m³ a year, is counted in each year's water use "
            f"({en}'s account): not the plan's works' water, nor a delivery target of the "
            f"plan.{source_en} 依据 Basis: {basis}.")


def _water_left(plan: Plan) -> dict[tuple[int, str], float]:
    """Water available but unused (万m³) per year and account of the plan."""
    accounts = plan.water_accounts
    if accounts.empty or "water_available" not in accounts:
        return {}
    left = accounts["water_available"] - accounts["water_use"]
    return {(int(y), str(a)): float(v)
            for y, a, v in zip(accounts["year"], accounts["account"], left, strict=True)}


def _with_left(names: tuple[str, str], left: float) -> tuple[str, str]:
    """An account's names, with the water a binding account leaves unused when there is
    any (a plan of whole works; RULE)."""
    if left <= LEFT_SAID:
        return names
    return f"{names[0]}余 {left:,.1f} 万m³", f"{names[1]} with {left:,.1f} 万m³ left"


def _more_binds(paced: list[tuple[str, str]], money: str | None, left: float,
                county_binds: bool = False, cheapest: float = 0.0) -> tuple[str, str]:
    """What the year's sentence adds to money and water: the action capacities that bind,
    and the money the year leaves — kept in a binding year (a plan of whole works), or
    carried on while the total binds — the city's where a county's own money binds
    (optimizer/binding.py); ``cheapest``: the first instalment of the cheapest work the
    plan could still start that year (0: none)."""
    zh, en = "", ""
    if paced:
        zh += f"；实施能力紧约束：{'、'.join(name for name, _ in paced)}"
        en += f"; capacity binds: {', '.join(name for _, name in paced)}"
    sum_zh, sum_en = f"余 {left:,.0f} 万元", f"{left:,.0f} 万元 left"
    if money == "carried" and county_binds:
        zh += f"；全市资金结转（{sum_zh}，全市资金总额起约束）"
        en += f"; the city's money carried on ({sum_en}: the city's total budget binds)"
    elif money == "carried":
        zh += f"；结转 {left:,.0f} 万元"
        en += f"; {left:,.0f} 万元 carried on"
    elif money == "binds" and left >= MONEY_LEFT_SAID and cheapest > 0 and left < cheapest:
        zh += f"；资金{sum_zh}（少于可再增加的最便宜工程首年投资 {cheapest:,.0f} 万元）"
        en += (f"; money: {sum_en} (less than the first instalment of the cheapest work "
               f"not chosen, {cheapest:,.0f} 万元)")
    elif money == "binds" and left >= MONEY_LEFT_SAID:
        zh += f"；资金{sum_zh}（由完整工程组成的方案留下的余额）"
        en += f"; money: {sum_en} (what a plan of whole works leaves)"
    return zh, en


#: Money left (万元) below this is not said in a binding year: rounding, not money.
MONEY_LEFT_SAID = 0.5


def limits_by_year(plan: Plan, counties: dict[str, tuple[str, str]] | None = None,
                   grades: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """Per year: spend and water against their limits and the shares used, whether money
    binds, the water accounts that bind (``water_binds``; ``water_none`` those of them with
    no water that year; ``water_places`` both in Chinese words), which limit binds (money,
    water, both, neither; ``reported`` for a re-plan's past year shown as the bureau
    reported it, ``recorded`` for one shown from the progress file) and a bilingual
    sentence saying so. ``grades`` (outputs/project_limits.py capacity_grades) marks each
    action whose capacity binds with its capacity's grade: "估算 estimate", "推算 derived",
    or the user's figure beside the sourced one (outputs/capacity_source.py)."""
    counties = counties or {}
    years = plan.years
    available = years["budget_available"] if "budget_available" in years else years["budget"]
    binding = _binding(plan)
    money_said = plan.money_binding() if plan.shadow_prices else {}
    until = plan.money_until() if plan.shadow_prices else {}
    last = int(years["year"].max()) if len(years) else None
    capacity = plan.capacity_binding() if plan.shadow_prices else {}
    actions = action_names(plan.chosen)
    left = _water_left(plan)
    lake = lake_delivery(plan)
    lake_zh = f"，含艾丁湖输水 {lake:,.0f}" if lake > 0 else ""
    lake_en = f", incl. Aydingkol delivery {lake:,.0f}" if lake > 0 else ""
    rows = []
    for row, money in zip(years.itertuples(index=False), available, strict=True):
        this = binding[binding["year"] == int(row.year)]
        money_binds = bool(this["money"].any())
        total = bool(this["money_total"].any()) and not money_binds
        dry = [_with_left(account_name(a, counties), left.get((int(row.year), a), 0.0))
               for a in this.loc[this["water"], "account"]]
        none = [account_name(a, counties) for a in
                this.loc[this["water"] & this["water_none"], "account"]]
        binds = kind_of(money_binds, bool(dry), total)
        zh, en = WORDS[binds]
        below = until.get(int(row.year)) if total and until.get(int(row.year)) != last \
            else None  # money binds up to an earlier year than the last: named
        if below is not None:
            zh, en = money_words("carried", below, last)
            if dry:
                zh, en = f"{zh}，水紧约束", f"{en}; water binds"
        paced = [graded(actions.get(a, (a, a)), (grades or {}).get(a))
                 for a in capacity.get(int(row.year), [])]
        if binds == "neither" and not paced:
            zh, en = zh + NEITHER_WHY[0], en + NEITHER_WHY[1]
        own = [account_name(c, counties) for c in
               sorted({c for named in this["money_counties"] for c in named})]
        cheapest = cheapest_start(getattr(plan, "open_works", None), int(row.year))
        extra_zh, extra_en = _more_binds(paced, money_said.get(int(row.year)),
                                         float(money - row.spend), bool(own), cheapest)
        places = water_places([n[0] for n in dry], [n[0] for n in none], 0)
        city = set(this.loc[this["water"], "account"]) == {"city"}
        where_zh = f"（水：{places}）" if dry and (not city or dry[0][0] != "全市") else ""
        where_en = (f" (water: {water_places([n[1] for n in dry], [n[1] for n in none], 1)})"
                    if where_zh else "")
        if own:  # a county's own money (budget.per_county) binds: say whose
            where_zh += f"（资金：{'、'.join(n[0] for n in own)}）"
            where_en += f" (money: {', '.join(n[1] for n in own)})"
        carried_own = [account_name(c, counties) for c in
                       sorted({c for named in this["money_total_counties"] for c in named})]
        if total and carried_own and money_said.get(int(row.year)) != "carried":
            # only a county's own total binds (the city's money does not): say whose
            where_zh += f"（资金总额：{'、'.join(n[0] for n in carried_own)}）"
            where_en += f" (total budget: {', '.join(n[1] for n in carried_own)})"
        money_share = row.spend / money if money > 0 else np.nan
        water_share = row.water_use / row.water_limit if row.water_limit > 0 else np.nan
        past = "reported" if getattr(row, "reported", False) else \
            "recorded" if getattr(row, "recorded", False) else ""
        if past:  # a re-plan's past year: no limit binds it now
            money_binds, dry, none, places, binds, paced = False, [], [], "", past, []
            total, below = False, None
            zh, en, where_zh, where_en = REPORTED if past == "reported" else RECORDED
            extra_zh, extra_en = "", ""
        sentence = (f"{row.year}年：{zh}{where_zh}{extra_zh}。支出 {row.spend:,.0f} / 可用 "
                    f"{money:,.0f} 万元（{money_share:.1%}），用水 {row.water_use:,.0f} / 可用 "
                    f"{row.water_limit:,.0f} 万m³（{water_share:.1%}{lake_zh}）。 {row.year}: "
                    f"{en}{where_en}{extra_en}; spend {row.spend:,.0f} of {money:,.0f} 万元 "
                    f"available ({money_share:.1%}), water {row.water_use:,.0f} of "
                    f"{row.water_limit:,.0f} 万m³ available ({water_share:.1%}{lake_en}).")
        rows.append({"year": int(row.year), "spend": row.spend, "money_available": money,
                     "money_share": money_share, "money_binds": money_binds,
                     "money_total": total, "money_until": below,
                     "water_use": row.water_use, "lake_delivery": lake,
                     "works_water": row.water_use - lake, "water_limit": row.water_limit,
                     "water_share": water_share, "water_binds": [n[0] for n in dry],
                     "water_none": [n[0] for n in none], "water_places": places,
                     "water_places_en": water_places([n[1] for n in dry],
                                                     [n[1] for n in none], 1),
                     "capacity_binds": "、".join(f"{zh_name} {en_name}"
                                                 for zh_name, en_name in paced),
                     "binds": binds, "sentence": sentence})
    return pd.DataFrame(rows)


def graded(names: tuple[str, str], grade: tuple[str, str] | None) -> tuple[str, str]:
    """An action's names with its capacity's grade ("退化林修复（估算）"), as given."""
    return names if grade is None else (f"{names[0]}（{grade[0]}）", f"{names[1]} ({grade[1]})")


#: The Summary's words for which of money and water binds (limits_by_year's ``binds``).
SUMMARY_WORDS = {"money": "资金 money", "water": "水 water", "both": "资金和水 both",
                 "neither": "均无 neither", "reported": "往年实报 reported",
                 "recorded": "往年记录 recorded",
                 "total": "资金总额（逐年结转） total budget (carried on)",
                 "total_water": "资金总额（逐年结转）和水 total budget (carried on) and water"}


def money_water_cell(row: tuple) -> str:
    """Which of money and water binds in a row of :func:`limits_by_year`, in the Summary's
    and the report's words; a cumulative budget before the last year is named by its year
    ("至2030年累计资金（结转） money up to 2030 (carried on)")."""
    word = SUMMARY_WORDS[row.binds]
    until = getattr(row, "money_until", None)
    if row.binds in ("total", "total_water") and until is not None and not pd.isna(until):
        word = word.replace("资金总额", f"至{int(until)}年累计资金").replace(
            "total budget", f"money up to {int(until)}")
    return word


def summary_binds(limits: pd.DataFrame) -> list[str]:
    """The Summary sheet's 约束 cell of each row of :func:`limits_by_year`: money, water
    (where) and the actions whose yearly capacity binds, in Chinese and English — "均无
    neither" only when none of them does (a year whose enclosure capacity bound read
    "neither")."""
    cells = []
    for row in limits.itertuples(index=False):
        water = row.water_binds and row.water_binds != ["全市"]
        said = [money_water_cell(row) + (f"（{places_text(row)}）" if water else "")]
        if row.capacity_binds:
            said = [] if row.binds == "neither" else said
            said.append(f"实施能力 capacity（{row.capacity_binds}）")
        cells.append("；".join(said))
    return cells


def places_text(row: tuple) -> str:
    """Where water binds in a row of :func:`limits_by_year`, in Chinese and English
    ("高昌区 / Gaochang District")."""
    return " / ".join(part for part in (row.water_places, row.water_places_en) if part)


def county_water(plan: Plan, counties: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The plan's water accounts (万m³) per year and account, with the account's binding
    words; empty when the plan has no per-county accounts (one city-wide account)."""
    accounts = plan.water_accounts
    if accounts.empty or set(accounts["account"]) <= {"city"}:
        return pd.DataFrame()
    binding = _binding(plan).set_index(["year", "account"])
    rows = []
    for row in accounts.itertuples(index=False):
        zh, en = account_name(row.account, counties)
        known = (int(row.year), row.account) in binding.index
        binds = known and bool(binding.loc[(int(row.year), row.account), "water"])
        none = known and bool(binding.loc[(int(row.year), row.account), "water_none"])
        said = ("", "") if not binds else (f"水紧约束：{NONE_ALLOCATED[0]}",
                                           f"binds: {NONE_ALLOCATED[1]}") if none \
            else ("水紧约束", "binds")
        rows.append({"year": int(row.year), "county": f"{zh} {en}",
                     "water_use": row.water_use, "water_available": row.water_available,
                     "saving_credited": row.saving_credited,
                     "groundwater_relief": row.groundwater_relief,
                     "binds": f"{said[0]} {said[1]}".strip()})
    return pd.DataFrame(rows)
