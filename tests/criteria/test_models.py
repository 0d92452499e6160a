"""Each benefit model on a tiny landscape: monotone where it should be, zero where it can't help."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteria.options import build_options, feasible_pairs


def benefits(landscape, actions, rows, **action_overrides):
    table = build_options(landscape(*rows), actions(**action_overrides))
    return table.set_index("parcel_id")


def test_sand_rises_with_wind_and_erodibility_and_shielding_only_weights_the_score(
        landscape, actions) -> None:
    got = benefits(landscape, actions, [
        {}, {"wind_exposure": 0.9}, {"erodibility": 0.9}, {"oasis_shield": 0.9},
        {"sand_priority": True}])
    assert (got["benefit_sand"].loc[[2, 3]] > got["benefit_sand"].loc[1]).all()
    # shielding an oasis or lying in a priority township is a weight of the score, not tonnes
    assert got["benefit_sand"].loc[4] == got["benefit_sand"].loc[1] == got["benefit_sand"].loc[5]
    assert got["priority_sand"].loc[4] == pytest.approx(1.0 + 0.9)
    assert got["priority_sand"].loc[5] == pytest.approx(1.5 * (1.0 + 0.3))
    assert got["norm_sand"].loc[4] / got["norm_sand"].loc[1] == pytest.approx(1.9 / 1.3)


@settings(max_examples=25, deadline=None)
@given(low=st.floats(0.05, 0.5), high=st.floats(0.55, 1.0))
def test_sand_monotone_in_effect(landscape, actions, low: float, high: float) -> None:
    weak = benefits(landscape, actions, [{}], effect_sand=low)["benefit_sand"].iloc[0]
    strong = benefits(landscape, actions, [{}], effect_sand=high)["benefit_sand"].iloc[0]
    assert strong > weak > 0


def test_no_effect_or_no_wind_gives_no_sand_benefit(landscape, actions) -> None:
    assert benefits(landscape, actions, [{}], effect_sand=0.0)["benefit_sand"].iloc[0] == 0
    assert benefits(landscape, actions, [{"wind_exposure": 0.0}])["benefit_sand"].iloc[0] == \
        pytest.approx(0, abs=1e-9)


def test_water_higher_in_wet_mountains_and_source_areas(landscape, actions) -> None:
    mountain = {"precip_mm": 350.0, "elevation_m": 2500.0, "land_cover": "forest", "zone": 1}
    got = benefits(landscape, actions, [
        {},  # basin: 16 mm, ET0 1,500 mm: no yield to retain
        mountain, {**mountain, "water_source": 0.9}])["benefit_water"]
    assert got.loc[1] == pytest.approx(0.0, abs=1e-4)
    assert got.loc[3] > got.loc[2] > got.loc[1]


def test_biodiversity_gain_follows_the_threat_factor_and_reserves_weight_the_score(
        landscape, actions) -> None:
    got = benefits(landscape, actions, [
        {}, {"habitat_quality": 0.15}, {"protected_area": "Lop Nur wild camel reserve"},
        {"degradation": 0}], min_degradation=0)
    gain = got["benefit_bio"]
    assert gain.loc[2] < gain.loc[1]  # more threatened now: less of the restored H shows
    assert gain.loc[3] == gain.loc[1]  # a reserve weights the score, not the gain
    assert got["priority_bio"].loc[3] == pytest.approx(1.5 * 1.5)
    assert gain.loc[4] == 0  # undegraded: restoration cannot raise H


def test_mine_benefit_only_on_pending_mines(landscape, actions) -> None:
    rows = [{"land_cover": "mine", "mine_status": "pending", "mine_area_km2": 1.0,
             "mine_hazard": 0.8},
            {"land_cover": "mine", "mine_status": "done", "mine_area_km2": 1.0,
             "mine_hazard": 0.8},
            {}]
    got = build_options(landscape(*rows), actions(effect_mine=1.0, area_basis="mine"))
    assert list(got["parcel_id"]) == [1]  # done mines and non-mines are not options
    assert got["benefit_mine"].iloc[0] == pytest.approx(1.0 * 1.0 * 0.8)
    plain = benefits(landscape, actions, rows, effect_mine=1.0)["benefit_mine"]
    assert plain.loc[1] == pytest.approx(5.0 * 0.8) and plain.loc[2] == 0 and plain.loc[3] == 0


def test_feasibility_follows_zone_land_cover_and_degradation(landscape, actions) -> None:
    rows = [{}, {"zone": 5}, {"land_cover": "gobi"}, {"degradation": 0}]
    pairs = feasible_pairs(landscape(*rows), actions())
    assert list(pairs["parcel_id"]) == [1]


def test_cost_and_water_scale_with_treated_area(landscape, actions) -> None:
    table = build_options(landscape({"area_km2": 2.0}), actions())
    assert table["cost_wan"].iloc[0] == pytest.approx(200.0)
    assert table["water_wan_m3_per_yr"].iloc[0] == pytest.approx(20.0)


def test_normalised_to_regional_potential(landscape, actions) -> None:
    table = build_options(landscape({}, {"wind_exposure": 0.9}), actions(),
                          weights={"sand": 1.0})
    assert table["norm_sand"].sum() == pytest.approx(1.0)  # one action: potential = sum
    assert table["norm_mine"].eq(0).all()  # no potential → 0, not NaN
    np.testing.assert_allclose(table["score"], table["norm_sand"])


def test_a_species_habitat_is_found_by_its_chinese_name_too() -> None:
    import pandas as pd

    from criteria.priority import priority_factors

    names = pd.DataFrame({"protected_area": ["罗布泊野骆驼国家级自然保护区", "艾丁湖湿地",
                                             "Lop Nur reserve", "某自然保护区", ""]})
    assert priority_factors(names)["priority_bio"].tolist() == pytest.approx(
        [2.25, 2.25, 2.25, 1.5, 1.0])

