"""Where an action may go: shares, counted karez, places, and the scenario's spatial rules."""

import numpy as np
import pandas as pd
import pytest

from criteria.feasibility import KAREZ_AREA_KM2, allowed_by_rules, feasible_pairs
from criteria.options import build_options
from region.io import TURPAN_DIR, load_actions
from region.scenario_spatial_rules import (
    PLAN_SPATIAL_RULES,
    PROTECTION_LED_ACTIONS,
    RED_LINE_ACTIONS,
    SpatialRule,
)

RED = "北部天山水源涵养与生物多样性维护生态保护红线 Tianshan red line"


def test_a_shelterbelt_treats_a_share_of_a_farmland_parcel(landscape, actions) -> None:
    rows = [{"land_cover": "oasis_farmland", "zone": 2}, {"land_cover": "sand_dune"}]
    table = build_options(landscape(*rows), actions(
        land_covers="oasis_farmland|sand_dune", area_share="oasis_farmland=0.05"))
    area = table.set_index("parcel_id")["area_km2"]
    assert area.loc[1] == pytest.approx(0.25) and area.loc[2] == pytest.approx(5.0)
    assert table.set_index("parcel_id")["cost_wan"].loc[1] == pytest.approx(25.0)


def test_karez_are_counted_objects(landscape, actions) -> None:
    rows = [{"karez_count": 3}, {"karez_count": 0}, {"karez_count": 1}]
    table = build_options(landscape(*rows), actions(area_basis="karez")).set_index(
        "parcel_id")
    assert list(table.index) == [1, 3]  # no karez, no option
    assert list(table["object_count"]) == [3, 1]
    cost_per_karez = table["cost_wan"] / table["object_count"]
    assert cost_per_karez.tolist() == pytest.approx([100.0 * KAREZ_AREA_KM2] * 2)
    for c in ("sand", "water", "bio", "carbon"):
        per_karez = table[f"benefit_{c}"] / table["object_count"]
        assert per_karez.loc[1] == pytest.approx(per_karez.loc[3])


def test_the_shipped_karez_cost_is_the_sourced_figure_per_karez() -> None:
    actions = load_actions(TURPAN_DIR / "actions.csv").set_index("code")
    karez = actions.loc["karez_protection"]
    assert karez["area_basis"] == "karez"
    assert karez["unit_cost_wan_per_km2"] * KAREZ_AREA_KM2 == pytest.approx(60.0, rel=0.001)


def test_places_keep_an_action_at_the_oasis_edge(landscape, actions) -> None:
    rows = [{"dist_oasis_km": 2.0}, {"dist_oasis_km": 25.0}, {"dist_oasis_km": 25.0}]
    parcels = landscape(*rows).assign(road_rail=["", "", "G30"])
    pairs = feasible_pairs(parcels, actions(places="dist_oasis_km<=10|road_rail!=''"))
    assert list(pairs["parcel_id"]) == [1, 3]


def rule(layer: str = "red_line", allow=("enclosure",), match=()) -> SpatialRule:
    return SpatialRule(name="test", layer=layer, allow=list(allow), match=list(match))


def test_inside_a_layer_only_the_allowed_actions(landscape, actions) -> None:
    parcels = landscape({}, {}).assign(red_line=[RED, ""])
    assert list(feasible_pairs(parcels, actions(), [rule()])["parcel_id"]) == [2]
    assert list(feasible_pairs(parcels, actions(), [rule(allow=["plant"])])["parcel_id"]) \
        == [1, 2]
    # a rule's match narrows the layer to the areas whose name contains one of its texts
    assert list(feasible_pairs(parcels, actions(), [rule(match=["防风固沙"])])["parcel_id"]) \
        == [1, 2]
    assert list(feasible_pairs(parcels, actions(), [rule(match=["天山"])])["parcel_id"]) \
        == [2]


def test_a_rule_on_a_missing_layer_warns_and_forbids_nothing(landscape, actions) -> None:
    with pytest.warns(UserWarning, match="no 'red_line' column"):
        pairs = feasible_pairs(landscape({}), actions(), [rule()])
    assert len(pairs) == 1


def test_a_users_own_options_lose_the_rows_a_rule_forbids(landscape) -> None:
    parcels = landscape({}, {}).assign(red_line=[RED, ""])
    options = pd.DataFrame({"parcel_id": [1, 1, 2, 7], "action": ["plant", "enclosure",
                                                                  "plant", "plant"]})
    assert allowed_by_rules(options, parcels, [rule()]).tolist() == [False, True, True, True]


def test_the_plans_default_rules_keep_engineering_out_of_red_lines_and_reserves() -> None:
    """On the shipped parcels and catalogue, with every third parcel put in a red line and
    the reserve and the geopark as shipped: no engineering option there, protection-led
    work still possible, and small-watershed control in red lines (line 63) but not in the
    reserves."""
    from region.io import load_region

    region = load_region()
    parcels = region.parcels.copy()
    if "red_line" not in parcels.columns or not (parcels["red_line"] != "").any():
        parcels["red_line"] = np.where(parcels["parcel_id"] % 3 == 0, RED, "")
    options = build_options(parcels, region.actions, rules=PLAN_SPATIAL_RULES)
    attributes = parcels.set_index("parcel_id").loc[options["parcel_id"]]
    in_red = (attributes["red_line"] != "").to_numpy()
    in_reserve = attributes["protected_area"].str.contains("自然保护区|地质公园").to_numpy()
    action = options["action"]
    engineering = ~action.isin(PROTECTION_LED_ACTIONS).to_numpy()
    assert not (~action.isin(RED_LINE_ACTIONS).to_numpy() & in_red).any()
    assert not (engineering & in_reserve).any()
    assert (in_red & (action == "watershed_control").to_numpy()).any()
    assert {"sand_barrier", "afforestation", "watershed_control"} <= set(
        options.loc[engineering, "action"])  # engineering still happens outside them
    assert (in_red & ~engineering).any() and (in_reserve & ~engineering).any()
    engineering_codes = {"sand_barrier", "afforestation", "karez_protection",
                         "water_saving_irrigation"}
    assert engineering_codes.isdisjoint(RED_LINE_ACTIONS)
    assert "watershed_control" not in PROTECTION_LED_ACTIONS
