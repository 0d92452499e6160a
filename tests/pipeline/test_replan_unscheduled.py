"""Why a failed or cancelled work was not re-scheduled (pipeline/replan_unscheduled.py), on a
hand-made problem and plan whose capacities and money are counted by hand: the reason says
only what stops the work in every year it could start, and nothing when nothing does."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from pipeline.replan_unscheduled import unscheduled_reasons, year_span
from region.scenario_budget_water import Budget

YEARS = (2027, 2028, 2029)
NAMES = {"x": ("甲", "action x"), "y": ("乙", "action y")}


def _case() -> tuple[SimpleNamespace, SimpleNamespace, pd.DataFrame]:
    """Action x may start 10 km² a year, y has no capacity. The plan starts 8 km² of x in
    2028 and 5 km² in 2029 and leaves 50 万元 at the end of 2028 and 20 at the end of 2029
    (carried on). Failed 2027 works, re-planned from 2028, with their options' instalments
    (万元 per year 2027-2029):

    * 1: x on 6 km², 10 a start: 8 + 6 and 5 + 6 > 10 → capacity in both years;
    * 2: y, 100 a start → the money in both years (100 > 50, 100 > 20);
    * 3: x on 4 km², 15 in 2028 or 30 in 2029: 2028 full (12 > 10), fits the money
      (15 ≤ 50 and ≤ 20 carried on); 2029 room (9 ≤ 10) but 30 > 20 → capacity, then money;
    * 4: x on 1 km², 10 a start: room and money in both years → no reason;
    * 5: y, every start year locked out → no year open;
    * 6: y, in the plan again → not asked."""
    pairs = pd.DataFrame({"parcel_id": [1, 2, 3, 4, 5, 6],
                          "action": ["x", "y", "x", "x", "y", "y"],
                          "area_km2": [6.0, 2.0, 4.0, 1.0, 2.0, 2.0],
                          "capacity_km2_per_yr": [10.0, np.nan, 10.0, 10.0, np.nan, np.nan],
                          "county": "650402"})
    option_pair = np.repeat(np.arange(6), 3)
    option_year = np.tile(np.array(YEARS), 6)
    cost = np.zeros((18, 3))
    start_cost = {0: 10.0, 1: 100.0, 3: 10.0, 4: 10.0, 5: 10.0}
    for option, (pair, year) in enumerate(zip(option_pair, option_year, strict=True)):
        if pair in start_cost:
            cost[option, YEARS.index(year)] = start_cost[pair]
    cost[3 * 2 + 1, 1] = 15.0  # work 3 started in 2028
    cost[3 * 2 + 2, 2] = 30.0  # work 3 started in 2029
    locked = option_pair == 4
    budget = Budget(default=0.0, per_year={2027: 100.0, 2028: 150.0, 2029: 170.0},
                    carry_over=True)
    problem = SimpleNamespace(pairs=pairs, years=YEARS, option_pair=option_pair,
                              option_year=option_year, locked_out=locked,
                              cost=sp.csr_matrix(cost), money=sp.csr_matrix(cost),
                              n_options=len(option_pair),
                              scenario=SimpleNamespace(budget=budget))
    chosen = pd.DataFrame({"parcel_id": [10, 11, 6], "action": ["x", "x", "y"],
                           "start_year": [2028, 2029, 2028], "area_km2": [8.0, 5.0, 2.0]})
    years = pd.DataFrame({"year": list(YEARS), "budget_available": [100.0, 150.0, 170.0],
                          "spend": [100.0, 100.0, 150.0]})
    plan = SimpleNamespace(chosen=chosen, years=years,
                           scenario=SimpleNamespace(budget=SimpleNamespace(carry_over=True)))
    facts = pd.DataFrame({"parcel_id": [1, 2, 3, 4, 5, 6], "action": pairs["action"],
                          "start_year": 2027, "status": ["failed", "cancelled"] * 3})
    return problem, plan, facts


def test_what_stops_a_work_in_every_year_it_could_start_is_said() -> None:
    problem, plan, facts = _case()
    reasons = unscheduled_reasons(problem, plan, facts, 2028, NAMES)
    assert set(reasons) == {(1, "x", 2027), (2, "y", 2027), (3, "x", 2027), (5, "y", 2027)}
    assert reasons[(1, "x", 2027)][1] == ("action x's yearly capacity (10 km²/yr) is taken in "
                                          "every year it could start (2028-2029): no room for "
                                          "its 6 km²")
    assert "甲年度实施能力（10 km²/年）" in reasons[(1, "x", 2027)][0]
    assert reasons[(2, "y", 2027)][1] == ("the money the plan leaves could not pay it in any "
                                          "year it could start (2028-2029): the plan spends "
                                          "it on other works")
    assert reasons[(3, "x", 2027)][1] == ("action x's yearly capacity is taken in 2028 and the "
                                          "money the plan leaves could not pay it in 2029")
    assert reasons[(5, "y", 2027)][1].startswith("no start year from 2028 on is open to it")


def test_without_carry_over_each_years_own_money_is_asked() -> None:
    """Work 3 started in 2028 paid 15 in 2028 and 15 in 2029: with carry-over the 30 due by
    2029 exceed the 20 carried on then, so money stops both its start years; without it,
    2029's 15 fits 2029's own 20 left (budget 170 − spend 150), and only 2029's start is
    stopped by money (its 30), 2028's by capacity."""
    problem, plan, facts = _case()
    cost = problem.cost.toarray()
    cost[3 * 2 + 1] = [0.0, 15.0, 15.0]
    problem.cost = problem.money = sp.csr_matrix(cost)
    carried = unscheduled_reasons(problem, plan, facts, 2028, NAMES)
    assert carried[(3, "x", 2027)][1].startswith("the money the plan leaves could not pay it "
                                                 "in any year it could start (2028-2029)")
    plan.scenario.budget.carry_over = False
    plan.years = plan.years.assign(budget=[100.0, 150.0, 170.0])
    own = unscheduled_reasons(problem, plan, facts, 2028, NAMES)
    assert own[(3, "x", 2027)][1] == ("action x's yearly capacity is taken in 2028 and the "
                                      "money the plan leaves could not pay it in 2029")
    assert "could not pay it in any year" in own[(2, "y", 2027)][1]


def test_a_work_no_money_could_pay_is_not_blamed_on_other_works() -> None:
    """Work 2 at 200 a start, without carry-over: above 2028's 150 and 2029's 170 whatever
    else is chosen (the model closes such options: optimizer/problem.py unaffordable), so
    its reason is its own cost, not the money the other works took (review F1)."""
    problem, plan, facts = _case()
    cost = problem.cost.toarray()
    cost[problem.option_pair == 1] *= 2.0
    problem.cost = problem.money = sp.csr_matrix(cost)
    problem.scenario.budget = problem.scenario.budget.model_copy(update={"carry_over": False})
    plan.scenario.budget.carry_over = False
    plan.years = plan.years.assign(budget=[100.0, 150.0, 170.0])
    reason = unscheduled_reasons(problem, plan, facts, 2028, NAMES)[(2, "y", 2027)]
    assert reason == ("其投资本身即超过可实施的2028-2029年的资金（与其他工程无关）",
                      "its cost alone exceeds the scenario's money in every year it could "
                      "start (2028-2029), whatever else the plan chose")


def test_start_years_closed_by_the_works_own_cost_are_said_beside_a_mixed_reason() -> None:
    """Work 2 without carry-over at 200 if started in 2028 (above 2028's 150 whatever else
    is chosen: closed) and 100 in 2029 (above the 20 the plan leaves): the reason named
    2029's money alone and 2028 dropped out of it without a word (review); now both."""
    problem, plan, facts = _case()
    cost = problem.cost.toarray()
    cost[3 * 1 + 1, 1] = 200.0  # work 2 started in 2028
    problem.cost = problem.money = sp.csr_matrix(cost)
    problem.scenario.budget = problem.scenario.budget.model_copy(update={"carry_over": False})
    plan.scenario.budget.carry_over = False
    plan.years = plan.years.assign(budget=[100.0, 150.0, 170.0])
    reason = unscheduled_reasons(problem, plan, facts, 2028, NAMES)[(2, "y", 2027)]
    assert reason == ("本方案结余资金在可实施的2029年均不足以支付其投资（资金已用于其他工程）；"
                      "2028年其投资本身即超过情景资金（与其他工程无关）",
                      "the money the plan leaves could not pay it in any year it could start "
                      "(2029): the plan spends it on other works; 2028 is closed to it: its "
                      "cost alone exceeds the scenario's money there, whatever else the plan "
                      "chose")


@pytest.mark.parametrize(("years", "said"), [([2028], "2028"), ([2030, 2028, 2029], "2028-2030"),
                                             ([2028, 2030, 2031], "2028, 2030-2031")])
def test_years_are_said_as_spans(years, said) -> None:
    assert year_span(years) == said


def test_changes_csv_says_why_a_failed_work_was_not_re_scheduled() -> None:
    """The reason after "not re-scheduled": the action another work put on the parcel, what
    the solve shows stops it, else only that the re-plan did not choose it again (it said
    "2027年失败，未重新安排" whatever the cause); the status in Chinese beside its code."""
    from pipeline.changes import replan_changes
    from pipeline.replan_previous import FACT_COLUMNS

    def plan(rows):
        frame = pd.DataFrame(rows, columns=["parcel_id", "action", "start_year", "area_km2"])
        names = {"x": ("封育", "Enclosure"), "y": ("草地恢复", "Grassland recovery")}
        return frame.assign(action_zh=frame["action"].map(lambda a: names[a][0]),
                            action_en=frame["action"].map(lambda a: names[a][1]))

    previous = plan([(1, "x", 2027, 5.0), (2, "x", 2027, 5.0), (3, "y", 2027, 5.0)])
    new = plan([(1, "y", 2028, 5.0)])
    facts = pd.DataFrame([(1, "x", 2027, "failed"), (2, "x", 2027, "failed"),
                          (3, "y", 2027, "cancelled")],
                         columns=["parcel_id", "action", "start_year", "status"]) \
        .reindex(columns=FACT_COLUMNS).assign(reported_for=2028)
    table = replan_changes(previous, new, facts, 2028, {}, ("新增", "added"),
                           unscheduled={(3, "y", 2027): ("资金不足", "no money")})
    said = table.set_index(["parcel_id", "action"])
    assert said.loc[(1, "x"), "reason_zh"] == "2027年失败，未重新安排：地块改为实施草地恢复"
    assert said.loc[(1, "x"), "reason_en"] == ("failed in 2027, not re-scheduled: the parcel "
                                               "takes Grassland recovery instead")
    assert said.loc[(2, "x"), "reason_en"] == "failed in 2027, not chosen again in the re-plan"
    assert said.loc[(2, "x"), "reason_zh"] == "2027年失败，重新规划未再选入"
    assert said.loc[(3, "y"), "reason_en"] == "cancelled in 2027, not re-scheduled: no money"
    assert said.loc[(3, "y"), "status_zh"] == "取消" and said.loc[(1, "x"), "status_zh"] == "失败"
