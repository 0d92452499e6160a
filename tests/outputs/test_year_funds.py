"""The obligations a plan hands on after its horizon (outputs/year_funds.py), on the small
plan with two works put in by hand: an afforestation drinking past the horizon and a
water-saving irrigation whose credited saving runs on past it."""

import dataclasses

import pytest

from outputs.labels import figure_text
from outputs.year_funds import obligation_lines, water_after_horizon


def _plan_with(library_plan, need: float, credit: float, county: str = "650402",
               saver_county: str = "650402"):
    """The small plan's first work twice: one afforestation drawing ``need`` 万m³ a year
    (started in the horizon's last year, water to the evaluation year) and one water-saving
    irrigation crediting ``credit`` a year (started in its first, its catalogue's 30-year
    water life, past the evaluation year 2050)."""
    plan = library_plan
    years = plan.years["year"].astype(int).tolist()
    evaluation = plan.scenario.horizon.evaluation_year
    row = plan.chosen.iloc[[0, 0]].reset_index(drop=True).copy()
    row["action"] = ["afforestation", "water_saving_irrigation"]
    row["action_zh"], row["action_en"] = ["人工造林", "节水灌溉"], ["afforestation", "irrigation"]
    row["start_year"] = [years[-1], years[0]]
    row["county"] = [county, saver_county]
    for y in years:
        row[f"water_{y}"] = [need if y == years[-1] else 0.0, -credit]
        row[f"saving_{y}"] = [0.0, 2 * credit]
    row["water_after_horizon"] = [need * (evaluation - years[-1]), 0.0]
    return dataclasses.replace(plan, chosen=row), evaluation - years[-1]


def test_the_water_after_the_horizon_is_set_against_the_credited_saving(
        library_plan, small_region) -> None:
    """Review of the baseline (finding 3): "7 afforestation works still need 1,125 万m³ a
    year in 2036 … the next period's allocation must provide it", while the plan's own
    water-saving irrigation credits 1,141.9 a year for 30 years: net −17.3. The sentence
    now sets the saving against the need and says the net figure."""
    actions = small_region[0].actions
    plan, extra = _plan_with(library_plan, need=1124.55, credit=1141.875)
    accounts = water_after_horizon(plan, actions)
    assert accounts.loc["650402", "need_first"] == pytest.approx(1124.55)
    assert accounts.loc["650402", "credit_first"] == pytest.approx(1141.875)
    # the saving started in 2027 lasts 30 years, past the evaluation year 2050
    assert accounts.loc["650402", "credit_total"] == pytest.approx(1141.875 * extra)
    line = obligation_lines(plan, actions)[1]
    net = figure_text(1124.55 - 1141.875)
    assert f"全市合计净新增用水 {net} 万m³/年" in line
    assert f"net new water, city-wide sum, {net} a year" in line
    assert "由本方案自身的节水覆盖" in line and "须在下一规划期" not in line
    assert "covers it while the savings run" in line


def test_water_the_saving_does_not_cover_is_handed_to_the_next_period(
        library_plan, small_region) -> None:
    """A need beyond the credited saving, or in another county than the saving (credits
    count in their own county), is still said to need the next period's allocation, by
    the uncovered amount."""
    actions = small_region[0].actions
    plan, extra = _plan_with(library_plan, need=1200.0, credit=1000.0)
    line = obligation_lines(plan, actions)[1]
    after = library_plan.years["year"].max() + 1
    assert f"{after}年 200 万m³/年" in line and f"共 {200 * extra:,.0f} 万m³" in line
    assert "须在下一规划期的用水指标中安排" in line
    plan, _ = _plan_with(library_plan, need=100.0, credit=1000.0,
                         saver_county="650421")
    line = obligation_lines(plan, actions)[1]
    assert f"{after}年 100 万m³/年" in line and "须在下一规划期" in line


def test_instalments_after_the_horizon_are_said_held_in_its_last_year(library_plan) -> None:
    """The last year's money holds the instalments due after the horizon (Problem.money):
    the total-cost sentence says so in both languages when there are any, and not when there
    are none."""
    plan, _ = _plan_with(library_plan, need=0.0, credit=0.0)
    end = int(plan.years["year"].max())
    owed = plan.chosen.assign(cost_after_horizon=[12.5, 0.0])
    line = obligation_lines(dataclasses.replace(plan, chosen=owed))[0]
    assert f"{end + 1}年起到期的分期付款 12.5 万元" in line
    assert f"已计入{end}年的资金（规划期内的资金付清工程全部投资）" in line
    assert f"held in {end}'s money (the plan period's money pays every work whole)" in line
    none = obligation_lines(dataclasses.replace(plan, chosen=owed.assign(
        cost_after_horizon=0.0)))[0]
    assert "已计入" not in none and "held in" not in none
