"""What "money binds" means, said the same way as water (findings_review.md #2).

The Turpan baseline said "money does not bind / 资金不构成约束" in every year while the
budget's price was positive and the same in every year (only the horizon's total was
priced), 99.85 % of the money was spent and the 271 万元 left in 2035 could pay none of the
works still open (the old test compared it with the cheapest work *chosen* that year). Each
case here is a small plan solved by HiGHS, its choice checked against the hand-solved
answer, and read by the run table, the report's year sentences, the Summary cells and the
manifest, in Chinese and English.
"""

import pandas as pd
import pytest

from cli.run_table import binds_in_words, binds_notes
from optimizer.binding import PRICE_TOLERANCE, money_rule
from optimizer.formulation import compile_problem
from optimizer.plan import build_plan
from optimizer.problem import build_problem
from optimizer.shadow_prices import shadow_prices
from optimizer.solvers import solve
from outputs.limits import limits_by_year, summary_binds

WEIGHTS = {"sand": 1.0}
YEARS = (2027, 2028, 2029)


def solved(kit, options: list[dict], budget: dict, action: dict | None = None,
           locked_out: list[dict] | None = None):
    """The plan (with its LP duals) of one action "a" (cost paid in the start year) over
    ``options`` (parcel_id, cost_wan, norm_sand; 1 km² each) and the scenario's ``budget``."""
    frame = kit.make_options([{"action": "a", "area_km2": 1.0, **row} for row in options])
    actions = kit.make_actions([{"code": "a", **(action or {})}])
    scenario = kit.make_scenario(budget=budget, locked_out=locked_out or [])
    problem = build_problem(frame, actions, scenario, WEIGHTS)
    model, layout = compile_problem(problem)
    result = solve(model, "highs", gap=0.0)
    assert result.status == "optimal" and model.violations(result.x) == []
    return build_plan(problem, layout, result,
                      (shadow_prices(model, problem.years), "LP relaxation duals"))


def started(plan) -> dict[int, int]:
    """Parcel → start year of the plan's works."""
    return dict(zip(plan.chosen["parcel_id"], plan.chosen["start_year"], strict=True))


def said(plan) -> tuple[pd.DataFrame, dict[int, str], list[str], dict[int, str]]:
    """The plan read as the outputs read it: the report's year rows, the run table's
    cells and the lines under it, and the manifest's money codes."""
    limits = limits_by_year(plan).set_index("year")
    binding = plan.binding()
    cells, _, _, _ = binds_in_words(binding, {}, plan.capacity_binding())
    notes = binds_notes(plan, list(YEARS), {}, {}, plan.capacity_binding(), cells)
    manifest = plan.manifest({})["years"]
    return limits, cells, notes, {y: manifest[y]["binds"]["money"] for y in YEARS}


def test_only_the_total_binds_each_year_carries_money_on(kit) -> None:
    """5 万元 a year carried on; three works of 5 万元 may start in 2029 only, and one of
    1 万元 in 2027 (parcel 4) and in 2028 (parcel 5) (hand solved: 15 万元 pay the two small
    works and the two best large ones, parcels 1 and 2: 12 万元, 3 left). A 万元 of
    2027 or 2028 buys what it buys in 2029, so the price is the same in every year: the
    total binds, 2027 and 2028 carry their money on (not "money does not bind"), and 2029,
    whose cumulative row is the total, binds with 3 万元 left — less than the third work."""
    late = [2027, 2028]
    plan = solved(kit, [{"parcel_id": p, "cost_wan": c, "norm_sand": v}
                        for p, c, v in ((1, 5.0, 0.9), (2, 5.0, 0.8), (3, 5.0, 0.5),
                                        (4, 1.0, 0.3), (5, 1.0, 0.3))],
                  {"default": 5.0, "carry_over": True},
                  locked_out=[*({"parcel_ids": [1, 2, 3], "year": y} for y in late),
                              *({"parcel_ids": [4], "year": y} for y in (2028, 2029)),
                              *({"parcel_ids": [5], "year": y} for y in (2027, 2029))])
    assert started(plan) == {1: 2029, 2: 2029, 4: 2027, 5: 2028}
    prices = [plan.shadow_prices[y]["budget_per_wan"] for y in YEARS]
    assert prices[0] > PRICE_TOLERANCE and max(prices) - min(prices) <= PRICE_TOLERANCE
    assert plan.money_binding() == {2027: "carried", 2028: "carried", 2029: "binds"}
    assert plan.money_until() == dict.fromkeys(YEARS, 2029)
    limits, cells, notes, manifest = said(plan)
    assert manifest == {2027: "carried", 2028: "carried", 2029: "binds"}
    assert limits["binds"].to_dict() == {2027: "total", 2028: "total", 2029: "money"}
    for year, left in ((2027, 4), (2028, 8)):
        sentence = limits.loc[year, "sentence"]
        assert sentence.startswith(f"{year}年：资金总额起约束（逐年结转）；结转 {left} 万元。")
        assert (f"{year}: the total budget binds; each year carries money on; {left} 万元 "
                "carried on;") in sentence
        assert "不构成约束" not in sentence and "does not bind" not in sentence
    short = "资金余 3 万元（少于可再增加的最便宜工程首年投资 5 万元）"
    assert short in limits.loc[2029, "sentence"]
    assert "money: 3 万元 left (less than the first instalment of the cheapest work not " \
        "chosen, 5 万元)" in limits.loc[2029, "sentence"]
    assert summary_binds(limits.reset_index()) == [
        "资金总额（逐年结转） total budget (carried on)"] * 2 + ["资金 money"]
    assert cells == {2027: "total", 2028: "total", 2029: "money"}
    assert notes == ["money 资金: the total budget binds (资金总额起约束), 2027-2028 carry money "
                     "on (逐年结转); the year's own money binds (资金紧约束) in 2029."]
    accounts = plan.binding().set_index("year")
    assert accounts.loc[2027, "binds_zh"] == "资金总额起约束（逐年结转）"
    assert accounts.loc[2027, "binds_en"] == "the total budget binds; each year carries money on"


def test_money_that_could_pay_a_work_capacity_blocks_does_not_bind(kit) -> None:
    """100 万元 a year, not carried; capacity 1 km² a year; five works of 5 万元 (hand solved:
    one a year, the three best, parcels 1-3, the best first). Parcels 4 and 5 stay open and
    95 万元 could pay either each year: capacity binds, money has no price — the one case
    where money does not bind."""
    plan = solved(kit, [{"parcel_id": p, "cost_wan": 5.0, "norm_sand": v}
                        for p, v in ((1, 0.9), (2, 0.8), (3, 0.7), (4, 0.2), (5, 0.1))],
                  {"default": 100.0}, {"capacity_km2_per_yr": 1.0})
    assert started(plan) == {1: 2027, 2: 2028, 3: 2029}
    assert all(plan.shadow_prices[y]["budget_per_wan"] <= PRICE_TOLERANCE for y in YEARS)
    assert plan.money_binding() == dict.fromkeys(YEARS, "free")
    limits, cells, notes, manifest = said(plan)
    assert manifest == dict.fromkeys(YEARS, "free")
    assert limits["binds"].tolist() == ["neither"] * 3
    assert "；实施能力紧约束：措施" in limits.loc[2027, "sentence"]
    assert "; capacity binds: action" in limits.loc[2027, "sentence"]
    assert not limits["money_binds"].any() and not limits["money_total"].any()
    assert cells == dict.fromkeys(YEARS, "cap.")
    assert not any("资金" in line for line in notes)


def test_a_single_year_binds(kit) -> None:
    """Money carried on: 5 万元 in 2027, 100 in 2028 and 2029; four works of 5 万元, each
    worth more the earlier it starts (hand solved: the best, parcel 1, in 2027, the rest in
    2028). 2027's cumulative row is priced and no later one: 2027 binds, 2028 and 2029 have
    no price and no work left to pay, so money does not bind there."""
    plan = solved(kit, [{"parcel_id": p, "cost_wan": 5.0, "norm_sand": v}
                        for p, v in ((1, 0.9), (2, 0.8), (3, 0.7), (4, 0.6))],
                  {"per_year": {"2027": 5.0, "2028": 100.0, "2029": 100.0},
                   "carry_over": True})
    assert started(plan) == {1: 2027, 2: 2028, 3: 2028, 4: 2028}
    assert plan.money_binding() == {2027: "binds", 2028: "free", 2029: "free"}
    limits, cells, notes, manifest = said(plan)
    assert manifest == {2027: "binds", 2028: "free", 2029: "free"}
    assert limits["binds"].to_dict() == {2027: "money", 2028: "neither", 2029: "neither"}
    assert limits.loc[2027, "sentence"].startswith("2027年：资金紧约束。")
    assert "2027: money binds; spend 5 of 5 万元" in limits.loc[2027, "sentence"]
    assert cells == {2027: "money", 2028: "neither", 2029: "neither"}
    assert notes == []  # no year carries money on: the cells say it


def test_money_left_below_the_cheapest_open_work_binds_without_a_price(kit) -> None:
    """The reviewer's case: 8 万元 a year, not carried; capacity 1.5 km² a year; six works of
    1 km², 5 万元 (hand solved: one a year, parcels 1-3). The LP takes 1.5 works a year
    (7.5 万元): money has no price, yet the 3 万元 left can pay none of the works still open
    (5 万元): money binds, as the old rule said only of the cheapest work chosen."""
    plan = solved(kit, [{"parcel_id": p, "cost_wan": 5.0, "norm_sand": 1.0 - p / 10}
                        for p in range(1, 7)],
                  {"default": 8.0}, {"capacity_km2_per_yr": 1.5})
    assert started(plan) == {1: 2027, 2: 2028, 3: 2029}
    assert all(plan.shadow_prices[y]["budget_per_wan"] <= PRICE_TOLERANCE for y in YEARS)
    assert plan.money_binding() == dict.fromkeys(YEARS, "binds")
    limits, cells, _, manifest = said(plan)
    assert manifest == dict.fromkeys(YEARS, "binds")
    assert limits["binds"].tolist() == ["money"] * 3
    short = "资金余 3 万元（少于可再增加的最便宜工程首年投资 5 万元）"
    assert short in limits.loc[2028, "sentence"]
    assert "money binds" in limits.loc[2028, "sentence"]
    assert all(cell.startswith("money") for cell in cells.values())


@pytest.mark.parametrize(("open_cost", "expected"), [(600.0, "binds"), (200.0, "free")])
def test_the_money_left_is_held_against_the_works_not_chosen(open_cost, expected) -> None:
    """2035 of the baseline's shape: 271 万元 left, the cheapest work chosen that year 30.4
    (its action's capacity full), no price. Against the chosen work (the old rule) 271 would
    buy "another" one; against the cheapest work still open, 600 万元, money binds; an open
    work of 200 万元 it could pay, and money does not bind."""
    years = pd.DataFrame({"year": [2035], "budget": [20000.0], "spend": [19729.0],
                          "budget_available": [20000.0]})
    open_works = pd.DataFrame({"start_year": [2035], "cost_2035": [open_cost]})
    assert money_rule({2035: 0.0}, years, True, open_works) == {2035: expected}
    # without the open works the rule cannot say money stopped one: "free"
    assert money_rule({2035: 0.0}, years, True, None) == {2035: "free"}


def test_the_money_the_last_year_holds_for_later_instalments_is_not_left() -> None:
    """2035's money also holds the instalments due after it (Problem.money): 271 万元 unspent
    of which 200 are held leave 71, which pays no open work of 100 (money binds); without
    the held column the 271 would have read as money left (review of the session's diff)."""
    from optimizer.binding import money_left

    years = pd.DataFrame({"year": [2035], "budget": [20000.0], "spend": [19729.0],
                          "budget_available": [20000.0], "held_wan": [200.0]})
    assert money_left(years, True) == {2035: pytest.approx(71.0)}
    open_works = pd.DataFrame({"start_year": [2035], "cost_2035": [100.0]})
    assert money_rule({2035: 0.0}, years, True, open_works) == {2035: "binds"}
    assert money_rule({2035: 0.0}, years.drop(columns="held_wan"), True,
                      open_works) == {2035: "free"}


def test_carry_over_names_the_cumulative_row_that_binds() -> None:
    """With carry-over a year's price is the sum of its row's and every later one's: prices
    4, 4, 1, 1 say 2028's row and 2030's (the total) bind; 2027 carries on to 2028's, 2029
    to the total. The carried years name the row that binds."""
    from optimizer.binding import carried_until, money_words

    price = {2027: 4e-6, 2028: 4e-6, 2029: 1e-6, 2030: 1e-6}
    years = pd.DataFrame({"year": list(price), "budget": [10.0] * 4, "spend": [9.0] * 4,
                          "budget_available": [10.0, 11.0, 12.0, 13.0]})
    assert money_rule(price, years, True) == {2027: "carried", 2028: "binds",
                                              2029: "carried", 2030: "binds"}
    assert carried_until(price) == {2027: 2028, 2028: 2028, 2029: 2030, 2030: 2030}
    assert money_words("carried", 2028, 2030) == (
        "至2028年累计资金起约束（本年结转）",
        "the money granted up to 2028 binds; this year carries money on")
    assert money_words("carried", 2030, 2030) == (
        "资金总额起约束（逐年结转）", "the total budget binds; each year carries money on")
    # the manifest's words and the run table's cell name that row as the report does (docs
    # audit #8: the baseline's 2027 read "the total budget binds" / "total" there only)
    from optimizer.binding import binding_limits

    accounts = pd.DataFrame({"year": list(price), "account": "city",
                             "water_available": 1.0})
    binding = binding_limits({y: {"budget_per_wan": p} for y, p in price.items()}, accounts,
                             {2027: False, 2028: True, 2029: False, 2030: True}, {},
                             {2027: True, 2028: False, 2029: True, 2030: False}, {},
                             {2027: 2028}).set_index("year")
    assert binding.loc[2027, "binds_en"] == \
        "the money granted up to 2028 binds; this year carries money on"
    assert binding.loc[2027, "binds_zh"] == "至2028年累计资金起约束（本年结转）"
    assert binding.loc[2029, "binds_en"] == "the total budget binds; each year carries money on"
    cells, _, _, _ = binds_in_words(binding.reset_index(), {})
    assert cells == {2027: "≤2028", 2028: "money", 2029: "total", 2030: "money"}
    # without carry-over what a year leaves is lost: priced means binds
    assert money_rule(price, years, False) == dict.fromkeys(price, "binds")


def test_without_carry_over_the_year_that_runs_short_binds_not_the_start_year() -> None:
    """An unpriced plan without carry-over leaves 50 万元 in 2026 and 30 in 2027; the one
    work still open costs 40 in each. 2026's money could pay its part, 2027's cannot: 2027
    binds and 2026 does not (the rule looked only at the start year, and blamed 2026)."""
    from optimizer.binding import money_rule

    years = pd.DataFrame({"year": [2026, 2027], "spend": [50.0, 70.0],
                          "budget": [100.0, 100.0]})
    works = pd.DataFrame({"start_year": [2026], "cost_2026": [40.0], "cost_2027": [40.0]})
    assert money_rule({}, years, False, works) == {2026: "free", 2027: "binds"}
    roomy = years.assign(spend=[50.0, 50.0])  # 50 left in each: the work fits, none binds
    assert money_rule({}, roomy, False, works) == {2026: "free", 2027: "free"}
    short = years.assign(spend=[70.0, 70.0])  # 30 left in each: both years are short
    assert money_rule({}, short, False, works) == {2026: "binds", 2027: "binds"}
