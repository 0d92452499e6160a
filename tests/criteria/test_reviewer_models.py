"""The benefit models of issue 21, each recomputed by hand from its paper's equations."""

import math

import numpy as np
import pandas as pd
import pytest

from criteria.biodiversity import habitat_gain_km2
from criteria.carbon import carbon_tc_per_yr
from criteria.climate import precip_mm
from criteria.cover import cover_after
from criteria.normalise import achievable_range, normalise
from criteria.options import build_options
from criteria.parameters import (
    CARBON_RATE_TC_PER_KM2,
    RWEQ_A,
    RWEQ_REFERENCE_EXPOSURE,
    RWEQ_WF_ANNUAL_KG_PER_M,
)
from criteria.ramp import benefit_fraction, cumulative_benefit
from criteria.sand_control import X_PEAK, period_wind_factor, rweq_x, soil_loss_of_x
from criteria.water_conservation import water_yield_mm
from region.io import load_region

DUNE = {"land_cover": "sand_dune", "zone": 3, "veg_cover": 0.02, "erodibility": 1.0,
        "wind_exposure": 0.5, "degradation": 2, "habitat_quality": 0.02}
BARRIER = {"code": "sand_barrier", "land_covers": "sand_dune", "effect_sand": 0.0,
           "effect_water": 0.0, "effect_bio": 0.0, "effect_carbon": 0.0, "lag_years": 0,
           "maturity_years": 1, "survival": 1.0, "roughness_k": 0.15, "lifetime_years": 5,
           "water_wan_m3_per_km2_yr": 0.0, "water_years": 0}


@pytest.fixture(scope="module")
def shipped():
    return load_region()


def hand_soil_loss(wf: float, ef_scf: float, k: float, a: float, cover: float) -> float:
    """RWEQ (Fryrear et al. 1998) for one period, written out from the paper."""
    x = wf * ef_scf * k * math.exp(a * cover * 100.0)
    q_max = 109.8 * x
    s = 150.71 * x ** -0.3711
    return 2 * 50.0 / s**2 * q_max * math.exp(-((50.0 / s) ** 2))


def test_periods_sum_to_the_sourced_annual_wind_factor() -> None:
    wf = period_wind_factor()
    assert len(wf) == 24 and wf.sum() == pytest.approx(RWEQ_WF_ANNUAL_KG_PER_M)
    assert wf[:6].sum() / wf.sum() == pytest.approx(3 * 19.63 / (3 * (19.63 + 5.72 + 6.09
                                                                          + 4.96)))


def test_soil_loss_rises_with_x_over_every_shipped_parcels_range(shipped) -> None:
    parcels = shipped.parcels
    bare = np.zeros(len(parcels))  # bare ground is each parcel's largest x
    x = rweq_x(parcels["wind_exposure"].to_numpy(), parcels["erodibility"].to_numpy(),
               parcels["land_cover"], bare)
    assert x.max() < 0.5 * X_PEAK  # well below the peak of SL(x) at x ≈ 61.8
    grid = np.linspace(1e-3, x.max(), 2000)
    assert np.all(np.diff(soil_loss_of_x(grid)) > 0)
    assert abs(X_PEAK - 61.73) < 0.01


def test_one_parcels_rweq_reduction_recomputed_by_hand(landscape, actions) -> None:
    parcel = landscape({**DUNE, "oasis_shield": 0.8, "sand_priority": True})
    got = build_options(parcel, actions(**BARRIER))
    wf = period_wind_factor() * DUNE["wind_exposure"] / RWEQ_REFERENCE_EXPOSURE
    a = RWEQ_A["sand_dune"]
    before = sum(hand_soil_loss(w, 1.0, 1.0, a, 0.02) for w in wf)
    after = sum(hand_soil_loss(w, 1.0, 0.15, a, 0.02) for w in wf)
    tonnes = (before - after) * 1000.0 * 5.0  # kg/m² → t/km², × 5 km²
    # the physical column is the model's tonnes, not weighted by the oasis shield/priority
    assert got["benefit_sand"].iloc[0] == pytest.approx(tonnes, rel=1e-12)
    assert got["priority_sand"].iloc[0] == pytest.approx(1.8 * 1.5)


def test_a_barrier_on_a_dune_cuts_transport_by_its_roughness_factor(landscape) -> None:
    parcel = landscape(DUNE)
    args = (parcel["wind_exposure"].to_numpy(), parcel["erodibility"].to_numpy(),
            parcel["land_cover"], parcel["veg_cover"].to_numpy())
    q_bare = 109.8 * rweq_x(*args)
    q_barrier = 109.8 * rweq_x(*args, roughness_k=0.15)
    np.testing.assert_allclose(q_barrier / q_bare, 0.15)  # 85 % less transport


def test_a_barriers_benefit_ends_after_its_lifetime_unless_planting_follows() -> None:
    years = np.arange(0, 12)
    barrier = benefit_fraction(years, 0, 1, 1.0, lifetime_years=5)
    # half in the year it is laid (maturity 1), full for four more, nothing from year 5
    np.testing.assert_array_equal(barrier, [0.5, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
    # over 2027-2050 a 2027 barrier counts 4.5 years, a permanent action 23.5
    assert cumulative_benefit(2027, 2050, 0, 1, 1.0, lifetime_years=5) == pytest.approx(4.5)
    assert cumulative_benefit(2027, 2050, 0, 1, 1.0) == pytest.approx(23.5)
    # planting in 2028 on the barrier (the catalogue's chain) carries the parcel on
    planting = benefit_fraction(years - 1, 3, 10, 0.9)
    assert (barrier + planting)[5:].min() > 0


def test_basin_enclosure_and_afforestation_conserve_no_water(shipped) -> None:
    options = build_options(shipped.parcels, shipped.actions)
    basin = options.loc[options["zone"].between(2, 5)
                        & options["action"].isin(["enclosure", "afforestation"])]
    assert len(basin) > 1000
    per_km2 = basin["benefit_water"] / basin["area_km2"]
    mountain = options.loc[(options["zone"] == 1) & (options["action"] == "enclosure")]
    typical = (mountain["benefit_water"] / mountain["area_km2"]).median()
    assert typical > 0.1  # 万m³/km²/yr on the Tianshan slope
    # basin: under 0.5 mm of the year's water anywhere (0.05 万m³/km²), nil almost everywhere
    assert per_km2.max() < 0.05
    assert per_km2.median() < 1e-4
    # with the per-side precipitation of criteria/climate.py (the shipped data's rule) the
    # hills south of the basin get 20-35 mm, and even the maximum yield is 0
    south = basin.merge(shipped.parcels[["parcel_id", "elevation_m"]], on="parcel_id")
    rain = precip_mm(south["elevation_m"], np.zeros(len(south), bool))
    assert water_yield_mm(rain, south["elevation_m"].to_numpy()).max() < 0.01


def test_invest_habitat_gain_on_a_threatened_parcel_equals_the_hand_formula() -> None:
    # desert shrubland, degradation 2, next to farmland. Its Q was built (data/build_turpan.py)
    # with Turpan's index H = 0.6 (grassland 0.21 / forest 0.35) as
    # Q = H_now · (1 − D^z/(D^z + k^z)) and D = k: threat factor 0.5. Restoration raises H,
    # not D.
    h, h_now = 0.6, 0.6 * (1 - 0.15 * 2)
    quality = h_now * 0.5
    option = pd.DataFrame([{"land_cover": "desert_shrubland", "degradation": 2,
                            "habitat_quality": quality, "effect_bio": 0.7, "area_km2": 5.0}])
    hand = 0.7 * (h - h_now) * 0.5 * 5.0  # effect · (H_after − H_now) · Q/H_now · area
    assert habitat_gain_km2(option)[0] == pytest.approx(hand)
    # the old model's effect · (H_restored − Q) would count the threat-caused loss too
    assert 0.7 * (h - quality) * 5.0 > 1.5 * hand


def test_afforestation_carbon_is_that_of_the_plantation_it_leaves() -> None:
    options = pd.DataFrame([{"land_cover": lc, "result_cover": "plantation",
                             "effect_carbon": 0.8, "area_km2": 5.0}
                            for lc in ("sand_dune", "gobi")]
                           + [{"land_cover": "desert_shrubland", "result_cover": "",
                               "effect_carbon": 0.3, "area_km2": 5.0}])
    got = carbon_tc_per_yr(options)
    rate = CARBON_RATE_TC_PER_KM2
    np.testing.assert_allclose(got, [0.8 * rate["plantation"] * 5] * 2
                               + [0.3 * rate["desert_shrubland"] * 5])


def test_recovery_is_capped_by_what_rain_and_groundwater_allow(landscape) -> None:
    rows = landscape(*[{**DUNE, "groundwater_depth_m": d, "precip_mm": 16.0}
                       for d in (3.0, 7.5, 30.0)])
    rows["water_wan_m3_per_km2_yr"] = 0.0
    after = cover_after(rows, np.ones(3))
    # dune potential 0.25; groundwater 3 m → 0.35 (no cap); 7.5 m → 0.175; 30 m → rain 0.032
    np.testing.assert_allclose(after, [0.25, 0.175, 0.002 * 16.0])
    rows["water_wan_m3_per_km2_yr"] = 54.0  # drip irrigation brings its own water
    np.testing.assert_allclose(cover_after(rows, np.ones(3)), 0.25)
    no_data = rows.drop(columns=["groundwater_depth_m"]).assign(water_wan_m3_per_km2_yr=0.0)
    np.testing.assert_allclose(cover_after(no_data, np.ones(3)), 0.25)


def test_achievable_range_is_what_the_budget_buys_per_criterion() -> None:
    table = pd.DataFrame({"parcel_id": [1, 1, 2, 3], "action": ["a", "b", "a", "a"],
                          "cost_wan": [10.0, 1.0, 10.0, 40.0],
                          "benefit_sand": [20.0, 5.0, 30.0, 40.0],
                          **{f"benefit_{c}": 0.0 for c in ("water", "bio", "mine", "carbon")}})
    # ratios: p1 a 2, b 5 → b; p2 3; p3 1 → b(1 → 5), p2(10 → 30), p3 half of 40 by 31
    got = achievable_range(table, 31.0)
    assert got["sand"] == pytest.approx(5.0 + 30.0 + 40.0 * 20.0 / 40.0)
    assert got["water"] == 0.0
    norm = normalise(table, 31.0)
    assert norm["norm_sand"].iloc[2] == pytest.approx(30.0 / 55.0)


def test_no_benefit_column_carries_a_weighting_factor(shipped) -> None:
    from criteria.options import MODELS, feasible_pairs

    options = build_options(shipped.parcels, shipped.actions)
    pairs = feasible_pairs(shipped.parcels.drop(columns="geometry"), shipped.actions)
    pairs = pairs.loc[pairs["area_km2"] > 0].reset_index(drop=True)
    for criterion, model in MODELS.items():
        np.testing.assert_array_equal(options[f"benefit_{criterion}"], model(pairs))
    weighted = options["priority_sand"] > 1.0
    assert weighted.sum() > 100  # the oasis shield and priority townships are in the score
    ratio = options["norm_sand"] / options["benefit_sand"]
    sand = options["benefit_sand"] > 0
    np.testing.assert_allclose(ratio[sand] / options.loc[sand, "priority_sand"],
                               (ratio[sand] / options.loc[sand, "priority_sand"]).iloc[0])
