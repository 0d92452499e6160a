"""Which limit binds: each year's money and water (per county), on plans whose answer is
known by hand."""

import dataclasses

import pandas as pd

from cli.run_table import binds_in_words
from optimizer.binding import binding_limits
from optimizer.compiled import SolveResult
from optimizer.plan import Plan
from outputs.limits import RULE, county_water, limits_by_year, summary_binds

COUNTIES = {"650402": ("高昌区", "Gaochang District"), "650421": ("鄯善县", "Shanshan County")}


def plan_with(years: pd.DataFrame, prices: dict, accounts: pd.DataFrame | None = None) -> Plan:
    result = SolveResult("optimal", None, 1.0, 1.0, 0.0, 0.1, "test", "0")
    return Plan(pd.DataFrame(), years, result, prices,
                water_accounts=accounts if accounts is not None else pd.DataFrame())


def years_frame() -> pd.DataFrame:
    return pd.DataFrame({"year": [2027, 2028, 2029, 2030], "budget": [100.0] * 4,
                         "spend": [99.8, 50.0, 50.0, 10.0], "water_limit": [10.0] * 4,
                         "water_use": [2.0, 10.0, 5.0, 1.0]})


def two_counties(**columns: list[float]) -> pd.DataFrame:
    """2027's water accounts of 高昌区 (650402) and 鄯善县 (650421) with the given columns."""
    return pd.DataFrame({"year": [2027, 2027], "account": ["650402", "650421"], **columns})


def test_a_limit_binds_when_its_shadow_price_is_positive() -> None:
    prices = {2027: {"budget_per_wan": 1e-6, "water_per_wan_m3": 0.0},
              2028: {"budget_per_wan": 0.0, "water_per_wan_m3": 3e-6},
              2029: {"budget_per_wan": 1e-6, "water_per_wan_m3": 2e-6},
              2030: {"budget_per_wan": 0.0, "water_per_wan_m3": 1e-12}}  # noise: not > 1e-9
    limits = limits_by_year(plan_with(years_frame(), prices)).set_index("year")
    assert limits["binds"].to_dict() == {2027: "money", 2028: "water", 2029: "both",
                                         2030: "neither"}
    assert limits.loc[2027, "money_share"] == 0.998
    assert limits.loc[2028, "sentence"].startswith("2028年：水紧约束。支出 50 / 可用 100 万元")
    assert "2028: water binds; spend 50 of 100 万元 available (50.0%), water 10 of 10" \
        in limits.loc[2028, "sentence"]


def test_water_binds_in_the_counties_whose_account_is_priced() -> None:
    years = years_frame().iloc[:1]
    prices = {2027: {"budget_per_wan": 0.0, "water_per_wan_m3": 1e-6,
                     "water_per_wan_m3_by_county": {"650402": 1e-6, "650421": 0.0}}}
    accounts = two_counties(water_use=[5.0, 1.0], water_available=[5.0, 5.0],
                            saving_credited=[0.0, 2.0], groundwater_relief=[0.0, 2.0])
    plan = plan_with(years, prices, accounts)
    limits = limits_by_year(plan, COUNTIES).set_index("year")
    assert limits.loc[2027, "binds"] == "water" and limits.loc[2027, "water_binds"] == ["高昌区"]
    assert "（水：高昌区）" in limits.loc[2027, "sentence"]
    assert "(water: Gaochang District)" in limits.loc[2027, "sentence"]
    table = county_water(plan, COUNTIES)
    assert table["county"].tolist() == ["高昌区 Gaochang District", "鄯善县 Shanshan County"]
    assert table["binds"].tolist() == ["水紧约束 binds", ""]
    assert table["groundwater_relief"].tolist() == [0.0, 2.0]


def test_a_binding_account_that_leaves_water_says_how_much() -> None:
    """The baseline's 2030: 高昌区's water is priced in the LP relaxation, yet the plan of
    whole works uses 4,260 of 4,564.5: the words name the 304.5 left, so "binds" beside
    unused water does not read as a contradiction; an account used up says nothing more."""
    years = years_frame().iloc[:1]
    prices = {2027: {"budget_per_wan": 0.0, "water_per_wan_m3": 1e-6,
                     "water_per_wan_m3_by_county": {"650402": 1e-6, "650421": 1e-6}}}
    accounts = two_counties(water_use=[4260.0, 5.0], water_available=[4564.5, 5.0],
                            saving_credited=[304.5, 0.0], groundwater_relief=[304.5, 0.0])
    limits = limits_by_year(plan_with(years, prices, accounts), COUNTIES).set_index("year")
    assert "（水：高昌区余 304.5 万m³、鄯善县）" in limits.loc[2027, "sentence"]
    assert "(water: Gaochang District with 304.5 万m³ left, Shanshan County)" \
        in limits.loc[2027, "sentence"]
    assert "余" in RULE and "left" in RULE and "LP relaxation" in RULE


def test_one_city_wide_account_gives_no_county_table() -> None:
    accounts = pd.DataFrame({"year": [2027], "account": ["city"], "water_use": [1.0],
                             "water_available": [2.0], "saving_credited": [0.0],
                             "groundwater_relief": [0.0]})
    plan = plan_with(years_frame().iloc[:1], {2027: {}}, accounts)
    assert county_water(plan, COUNTIES).empty
    assert limits_by_year(plan).loc[0, "binds"] == "neither"


def test_a_county_with_no_water_that_binds_says_it_has_none() -> None:
    """鄯善县 with 0 allocated and 0 used, its water row priced (any water there would buy
    benefit), read "水紧约束 binds" beside 0 / 0: the words say none is allocated."""
    years = years_frame().iloc[:1]
    prices = {2027: {"budget_per_wan": 1e-6, "water_per_wan_m3": 1e-6,
                     "water_per_wan_m3_by_county": {"650402": 1e-6, "650421": 2e-6}}}
    accounts = two_counties(water_use=[5.0, 0.0], water_available=[5.0, 0.0],
                            saving_credited=[0.0, 0.0], groundwater_relief=[0.0, 0.0])
    plan = plan_with(years, prices, accounts)
    binding = binding_limits(prices, accounts).set_index("account")
    assert binding["water"].all() and binding["water_none"].tolist() == [False, True]
    assert binding.loc["650402", "binds_en"] == "money and water bind"
    assert binding.loc["650421", "binds_zh"] == "资金和水均紧约束：未分配水量"
    assert binding.loc["650421", "binds_en"] == "money and water bind: none allocated"
    table = county_water(plan, COUNTIES)
    assert table["binds"].tolist() == ["水紧约束 binds",
                                       "水紧约束：未分配水量 binds: none allocated"]
    limits = limits_by_year(plan, COUNTIES).set_index("year")
    assert "（水：高昌区；鄯善县未分配水量）" in limits.loc[2027, "sentence"]
    assert "(water: Gaochang District; Shanshan County: none allocated)" \
        in limits.loc[2027, "sentence"]
    assert limits.loc[2027, "water_places"] == "高昌区；鄯善县未分配水量"
    # the Summary's 约束 cell and the report's column name the places in English too
    assert limits.loc[2027, "water_places_en"] == ("Gaochang District; Shanshan County: "
                                                   "none allocated")
    assert summary_binds(limits.reset_index())[0].endswith(
        "（高昌区；鄯善县未分配水量 / Gaochang District; Shanshan County: none allocated）")
    names = {code: zh for code, (zh, _) in COUNTIES.items()}
    assert binds_in_words(plan.binding(), names) == (
        {2027: "money+water†"}, {"鄯善县": [2027]}, {"高昌区": [2027]}, {})
    assert "未分配水量" in RULE and "none allocated" in RULE


def test_the_dagger_line_names_no_past_year_of_a_replan(tmp_path) -> None:
    """A re-plan's past year (2027, recorded) shows 记录 in the run table, not what binds:
    the † line under the table named it all the same ('鄯善县 (2027, 2028)', no 2027 row
    marked). Now it names the years whose row carries the †."""
    from cli.common import console
    from cli.run_table import show_plan

    prices = {year: {"budget_per_wan": 1e-6, "water_per_wan_m3": 1e-6,
                     "water_per_wan_m3_by_county": {"650402": 1e-6, "650421": 2e-6}}
              for year in (2027, 2028)}
    accounts = pd.concat([two_counties(water_use=[5.0, 0.0], water_available=[5.0, 0.0],
                                       saving_credited=[0.0, 0.0],
                                       groundwater_relief=[0.0, 0.0]).assign(year=year)
                          for year in (2027, 2028)], ignore_index=True)
    years = years_frame().iloc[:2].assign(recorded=[True, False], reported=False)
    plan = dataclasses.replace(plan_with(years, prices, accounts),
                               chosen=pd.DataFrame({"start_year": [], "area_km2": []}))
    names = {code: zh for code, (zh, _) in COUNTIES.items()}
    width, console.width = console.width, 200  # one line per row
    try:
        with console.capture() as captured:
            show_plan(plan, tmp_path, names)
    finally:
        console.width = width
    text = captured.get()
    rows = {line.split()[1]: line for line in text.splitlines()
            if line.startswith("│") and line.split()[1].startswith("202")}
    assert "记录" in rows["2027*"] and "†" not in rows["2027*"]
    assert "†" in rows["2028"]
    assert "未分配水量): 鄯善县 (2028):" in " ".join(text.split())


def test_the_lakes_delivery_is_shown_apart_from_the_works_water() -> None:
    """2027-28 use only Aydingkol's delivery (source = target): "4,260 / 4,260 (100 %)" must
    say it is the lake's water, not 4,260 万m³ of new use; the figures stay as they are."""
    from types import SimpleNamespace

    from region.scenario_budget_water import Aydingkol

    years = pd.DataFrame({"year": [2027, 2028], "budget": [100.0] * 2, "spend": [90.0] * 2,
                          "water_limit": [4260.0] * 2, "water_use": [4260.0, 4300.0]})
    lake = Aydingkol(county="650402", source_wan_m3=4260.0, target_wan_m3=4260.0)
    plan = dataclasses.replace(plan_with(years, {2027: {}, 2028: {}}),
                               scenario=SimpleNamespace(water=SimpleNamespace(aydingkol=lake)))
    limits = limits_by_year(plan).set_index("year")
    assert limits.loc[2027, "water_use"] == 4260.0 and limits.loc[2027, "water_share"] == 1.0
    assert limits["lake_delivery"].tolist() == [4260.0, 4260.0]
    assert limits["works_water"].tolist() == [0.0, 40.0]
    assert "用水 4,260 / 可用 4,260 万m³（100.0%，含艾丁湖输水 4,260）" in limits.loc[2027,
                                                                              "sentence"]
    assert "(100.0%, incl. Aydingkol delivery 4,260)" in limits.loc[2027, "sentence"]
    import json

    from outputs.report import _money_water_charts

    chart = _money_water_charts(plan)[1]  # the lake stacked apart from the works' water
    figure = json.loads(chart.split(", ", 1)[1].rsplit(");</script>", 1)[0])
    bars = {trace["name"]: trace["y"] for trace in figure["data"] if trace["type"] == "bar"}
    assert bars == {"工程用水 Works' water": [0.0, 40.0],
                    "艾丁湖输水 Aydingkol delivery": [4260.0, 4260.0]}
    assert figure["layout"]["barmode"] == "stack"


def test_money_with_carry_over_binds_on_the_cumulative_row_that_is_priced() -> None:
    """With carry-over a year's price is positive whenever a later cumulative row binds:
    money binds in a year whose own cumulative row is priced (the price drops after it),
    whatever the plan of whole works leaves (as water); a year priced only through a later
    row carries its money on while that row binds ("carried": the total budget binds, not
    "money does not bind", findings_review.md #2). With no price, money binds only when
    what is left pays none of the works still open (tests/optimizer/test_money_binds.py)."""
    from optimizer.binding import money_binding

    years = pd.DataFrame({"year": [2027, 2028, 2029, 2030], "budget": [100.0] * 4,
                          "spend": [99.0, 60.0, 120.0, 100.0],
                          "budget_available": [100.0, 101.0, 141.0, 121.0],
                          "water_limit": [10.0] * 4, "water_use": [1.0] * 4})
    prices = {2027: {"budget_per_wan": 4e-6}, 2028: {"budget_per_wan": 3e-6},
              2029: {"budget_per_wan": 3e-6}, 2030: {"budget_per_wan": 0.0}}
    # 2027: 4e-6 → 3e-6, its row priced → binds; 2028: 3e-6 = 3e-6, priced through 2029's
    # row → carried; 2029: drops to 0 → binds (21 万元 left: a plan of whole works)
    said = money_binding(prices, years, carry_over=True)
    assert said == {2027: "binds", 2028: "carried", 2029: "binds", 2030: "free"}
    # without carry-over what a year leaves is lost: priced means binds
    assert money_binding(prices, years, carry_over=False) == {
        2027: "binds", 2028: "binds", 2029: "binds", 2030: "free"}
    # 2030 has no price and 21 万元 left: a work still open of 30 binds it, one of 20 not
    dear = pd.DataFrame({"start_year": [2030], "cost_2030": [30.0]})
    assert money_binding(prices, years, True, dear)[2030] == "binds"
    assert money_binding(prices, years, True, dear.assign(cost_2030=20.0))[2030] == "free"
    plan = plan_with(years, prices)
    limits = limits_by_year(plan).set_index("year")
    # the plan has no scenario: carry-over unknown, so the price decides (as before)
    assert limits.loc[2029, "money_binds"]


def test_a_capacity_that_binds_is_named_in_the_year_sentence_and_the_table() -> None:
    """封育 enclosure's 28.7 km²/yr (plan line 12's pace) limited every baseline year and was
    named nowhere: its row's price names it, in Chinese and English."""
    from types import SimpleNamespace

    from cli.run_table import binds_notes
    from optimizer.binding import capacity_binding

    years = years_frame().iloc[:2].assign(budget_available=[100.0, 100.2])
    prices = {2027: {"budget_per_wan": 1e-6, "capacity_by_action": {"enclosure": 2e-6,
                                                                    "sand_barrier": 0.0}},
              2028: {"budget_per_wan": 0.0, "capacity_by_action": {"enclosure": 1e-6}}}
    assert capacity_binding(prices) == {2027: ["enclosure"], 2028: ["enclosure"]}
    chosen = pd.DataFrame({"action": ["enclosure"], "action_zh": ["封育"],
                           "action_en": ["enclosure / natural recovery"], "start_year": [2027],
                           "area_km2": [28.5], "cost_2027": [1.0], "cost_2028": [0.0]})
    budget = SimpleNamespace(carry_over=True)
    plan = dataclasses.replace(plan_with(years, prices), chosen=chosen,
                               scenario=SimpleNamespace(budget=budget, water=None))
    limits = limits_by_year(plan).set_index("year")
    assert "；实施能力紧约束：封育" in limits.loc[2027, "sentence"]
    assert "; capacity binds: enclosure" in limits.loc[2027, "sentence"]
    assert limits.loc[2027, "capacity_binds"] == "封育 enclosure"
    assert limits.loc[2028, "binds"] == "neither"  # money and water: capacity said apart
    assert "受目标、进度或可选地块限制" not in limits.loc[2028, "sentence"]
    assert limits.loc[2027, "binds"] == "money"  # priced, and 2028 is not
    # review: the Summary's 约束 column said 2028 "均无 neither" while enclosure's capacity
    # bound it (the report and the CLI name it): the cell names the capacity too
    assert summary_binds(limits.reset_index()) == [
        "资金 money；实施能力 capacity（封育 enclosure）", "实施能力 capacity（封育 enclosure）"]
    binding = pd.DataFrame({"year": [2027, 2028], "account": ["city"] * 2,
                            "money": [True, False], "water": [False, False],
                            "water_none": [False, False]})
    cells, _, _, _ = binds_in_words(binding, {}, capacity_binding(prices))
    assert cells == {2027: "money+cap.", 2028: "cap."}
    notes = " ".join(binds_notes(plan, [2027, 2028], {}, {}, capacity_binding(prices), cells))
    assert "cap. 实施能力: an action's yearly capacity binds" in notes
    assert "封育 enclosure (2027-2028)" in notes
    # review finding 6: given the catalogue's grades, the cells say the capacity's grade
    graded = limits_by_year(plan, grades={"enclosure": ("推算", "derived")})
    assert list(graded["capacity_binds"]) == ["封育（推算） enclosure (derived)"] * 2
    assert "；实施能力紧约束：封育（推算）" in graded["sentence"].iat[0]


def test_beside_a_county_that_binds_the_carry_over_line_is_the_citys_alone() -> None:
    """A county's own money binds in 2027 while the city's is carried on: the line under the
    run table said "money does not bind there" right under "a county's own money binds"."""
    from types import SimpleNamespace

    from cli.run_table import binds_notes

    plan = SimpleNamespace(money_binding=lambda: {2027: "carried", 2028: "binds"},
                           money_until=lambda: {2027: 2028, 2028: 2028},
                           chosen=pd.DataFrame())
    notes = binds_notes(plan, [2027, 2028], {}, {}, {}, {2027: "money", 2028: "money"},
                        {"高昌区": [2027]})
    assert notes[0] == "money 资金: a county's own money binds (budget.per_county): 高昌区 (2027)."
    # findings_review.md #2: a carried year was said "money does not bind" while the total
    # (here 2028's row, the last) was priced
    assert notes[1] == ("the city's money 全市资金: the total budget binds (资金总额起约束), "
                        "2027 carries money on (逐年结转); the year's own money binds (资金紧约束) "
                        "in 2028.")
    alone = binds_notes(plan, [2027, 2028], {}, {}, {}, {2027: "total", 2028: "money"})
    assert alone[0].startswith("money 资金: the total budget binds")
    assert all("does not bind" not in line for line in [*notes, *alone])
