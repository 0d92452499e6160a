"""Sample designs, the [sensitivity] table and how a sample changes the inputs (no solves)."""

import numpy as np
import pandas as pd
import pytest

from region.errors import InputError
from region.scenario_run_settings import SensitivitySettings
from region.scenario_toml import load_scenario
from sensitivity.perturb import ParcelNoise, perturb, perturbed_weights
from sensitivity.sampling import dirichlet_weights, factors, morris_samples, oat_samples

WEIGHTS = {"sand": 0.4, "water": 0.3, "bio": 0.2, "mine": 0.1, "carbon": 0.0}


def test_weights_are_renormalised_to_their_total() -> None:
    moved = perturbed_weights(WEIGHTS, {"weight:sand": 1.25})
    assert sum(moved.values()) == pytest.approx(1.0)
    assert moved["sand"] / moved["water"] == pytest.approx(0.5 / 0.3)
    assert moved["carbon"] == 0.0


def test_factors_leave_out_zero_weights_and_zero_ranges() -> None:
    settings = SensitivitySettings(survival_range=0.0, per="action")
    names = [f.name for f in factors(settings, WEIGHTS, ["a", "b"])]
    assert "weight:carbon" not in names and "survival" not in names
    assert {"weight:sand", "budget", "water", "cost:a", "cost:b", "benefit:b"} <= set(names)


def test_oat_moves_one_factor_by_10_and_25_percent_for_weights() -> None:
    design = factors(SensitivitySettings(), {"sand": 0.5, "water": 0.5}, ["a"])
    rows = oat_samples(design)
    assert len(rows) == 4 * len(design)
    assert np.all((~np.isclose(rows, 1.0)).sum(axis=1) == 1)
    sand = rows[:, 0][~np.isclose(rows[:, 0], 1.0)]
    assert sorted(np.round(sand, 6)) == [0.75, 0.9, 1.1, 1.25]


def test_morris_design_is_reproducible_and_within_ranges() -> None:
    design = factors(SensitivitySettings(), WEIGHTS, ["a"])
    a, b = morris_samples(design, 3, seed=7), morris_samples(design, 3, seed=7)
    assert a.shape == (3 * (len(design) + 1), len(design))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, morris_samples(design, 3, seed=8))
    lows, highs = np.array([f.low for f in design]), np.array([f.high for f in design])
    assert np.all(a >= lows - 1e-12) and np.all(a <= highs + 1e-12)


def test_dirichlet_weights_centre_on_the_scenario() -> None:
    drawn = pd.DataFrame(dirichlet_weights(WEIGHTS, 4000, concentration=50.0, seed=1))
    assert list(drawn.columns) == ["sand", "water", "bio", "mine"]
    np.testing.assert_allclose(drawn.mean(), [0.4, 0.3, 0.2, 0.1], atol=0.01)
    np.testing.assert_allclose(drawn.sum(axis=1), 1.0)


@pytest.fixture
def table():
    options = pd.DataFrame({
        "parcel_id": [1, 1, 2, 3], "action": ["a", "b", "a", "b"],
        "cost_wan": [100.0, 200.0, 100.0, 50.0],
        "water_wan_m3_per_yr": [10.0, -5.0, 10.0, 0.0]})
    for c in ("sand", "water", "bio", "mine", "carbon"):
        options[f"benefit_{c}"] = 2.0
        options[f"norm_{c}"] = 0.5
    actions = pd.DataFrame({"code": ["a", "b"], "survival": [0.95, 0.5]})
    return options, actions


def test_a_sample_scales_costs_benefits_water_demand_and_survival(small_region, table) -> None:
    _, scenario = small_region
    options, actions = table
    sample = {"cost:a": 1.2, "benefit": 0.5, "water_demand": 1.5, "survival": 1.1,
              "budget": 0.8}
    point, moved, catalogue, _ = perturb(scenario, options, actions, WEIGHTS, sample)
    assert moved["cost_wan"].tolist() == pytest.approx([120.0, 200.0, 120.0, 50.0])
    assert (moved["norm_sand"] == 0.25).all() and (moved["benefit_bio"] == 1.0).all()
    assert moved["water_wan_m3_per_yr"].tolist() == [15.0, -5.0, 15.0, 0.0]  # savings kept
    assert catalogue["survival"].tolist() == pytest.approx([1.0, 0.55])  # capped at 1
    years = scenario.horizon.years
    assert point.budget.for_years(years) == pytest.approx(
        {y: 0.8 * v for y, v in scenario.budget.for_years(years).items()})
    assert options["cost_wan"].tolist() == [100.0, 200.0, 100.0, 50.0]  # input untouched


def test_per_parcel_draws_are_seeded_and_shared_by_a_parcels_options(small_region,
                                                                      table) -> None:
    _, scenario = small_region
    options, actions = table
    noise = ParcelNoise(0.2, 0.3, seed=(1, 5))
    first = perturb(scenario, options, actions, WEIGHTS, {}, noise)[1]
    again = perturb(scenario, options, actions, WEIGHTS, {}, noise)[1]
    other = perturb(scenario, options, actions, WEIGHTS, {},
                    ParcelNoise(0.2, 0.3, seed=(1, 6)))[1]
    pd.testing.assert_frame_equal(first, again)
    assert not first["cost_wan"].equals(other["cost_wan"])
    ratio = first["cost_wan"] / options["cost_wan"]
    assert ratio.iloc[0] == pytest.approx(ratio.iloc[1])  # parcel 1: one draw
    assert ratio.between(0.8, 1.2).all() and ratio.nunique() == 3
    assert (first["norm_sand"] / 0.5).between(0.7, 1.3).all()


def test_sensitivity_table_is_part_of_the_scenario(tmp_path) -> None:
    base = tmp_path / "base.toml"
    base.write_text('name = "s"\n[budget]\ndefault = 100.0\n[water]\ndefault = 10.0\n'
                    '[weights]\nsand = 1.0\n[sensitivity]\nsamples = 12\nper = "parcel"\n',
                    encoding="utf-8")
    scenario = load_scenario(base)
    settings = scenario.sensitivity
    assert scenario.name == "s" and settings.samples == 12 and settings.per == "parcel"
    child = tmp_path / "child.toml"
    child.write_text('base = "base.toml"\n[sensitivity]\ngap = -1\nmethod = "lhs"\n',
                     encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scenario(child)
    where = {p.column for p in err.value.problems}
    assert where == {"sensitivity.gap", "sensitivity.method"}
