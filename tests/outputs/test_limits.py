"""Which limit binds: each year's money and water, used up, priced or slack, on a plan
whose answer is known by hand."""

import pandas as pd

from optimizer.compiled import SolveResult
from optimizer.plan import Plan
from outputs.limits import binding_limits, county_water


def plan_with(years: pd.DataFrame, prices: dict) -> Plan:
    result = SolveResult("optimal", None, 1.0, 1.0, 0.0, 0.1, "test", "0")
    return Plan(pd.DataFrame(), years, result, prices)


def test_used_up_priced_and_slack_limits_bind_as_stated() -> None:
    years = pd.DataFrame({"year": [2027, 2028, 2029, 2030],
                          "budget": [100.0] * 4, "spend": [99.8, 50.0, 50.0, 10.0],
                          "water_limit": [10.0] * 4, "water_use": [2.0, 10.0, 5.0, 1.0]})
    prices = {2027: {"budget_per_wan": 0.0, "water_per_wan_m3": 0.0},
              2028: {"budget_per_wan": 0.0, "water_per_wan_m3": 0.0},
              2029: {"budget_per_wan": 1e-6, "water_per_wan_m3": 2e-6},
              2030: {"budget_per_wan": 0.0, "water_per_wan_m3": 0.0}}
    limits = binding_limits(plan_with(years, prices)).set_index("year")
    assert limits["binds"].to_dict() == {2027: "money", 2028: "water", 2029: "both",
                                         2030: "neither"}
    assert limits.loc[2027, "money_state"] == "used up"  # 99.8 % ≥ 99.5 %
    assert limits.loc[2029, "money_state"] == limits.loc[2029, "water_state"] == "priced"
    assert limits.loc[2030, "water_state"] == "slack"
    assert "2028年：水量约束起作用" in limits.loc[2028, "sentence"]
    assert "2028: water binds" in limits.loc[2028, "sentence"]


def test_carried_over_money_is_what_is_available() -> None:
    years = pd.DataFrame({"year": [2027, 2028], "budget": [100.0, 100.0],
                          "spend": [50.0, 150.0], "budget_available": [100.0, 150.0],
                          "water_limit": [10.0, 10.0], "water_use": [0.0, 0.0]})
    limits = binding_limits(plan_with(years, {})).set_index("year")
    assert limits.loc[2028, "money_share"] == 1.0 and limits.loc[2028, "binds"] == "money"
    assert limits.loc[2027, "binds"] == "neither"


def test_county_water_accounts_are_read_from_the_manifest_when_present() -> None:
    manifest = {"years": {"2027": {"counties": {"650402": {
        "water_use": 5.0, "water_available": 8.0, "saving_credited": 1.0,
        "groundwater_relief": 0.5}}}, "2028": {}}}
    accounts = county_water(manifest, {"650402": ("高昌区", "Gaochang District")})
    assert accounts.to_dict("records") == [{
        "year": 2027, "county": "高昌区 Gaochang District", "water_use": 5.0,
        "water_available": 8.0, "saving_credited": 1.0, "groundwater_relief": 0.5}]
    assert county_water({"years": {"2027": {}}}, {}).empty
