"""The capacity rows' count and rounding cuts: no plan that keeps its capacity rows is cut off
(every subset enumerated; the optimum equals the brute force), and they tighten the LP
relaxation where parcel areas differ."""

import itertools
from dataclasses import replace

import numpy as np
import pytest

from optimizer.formulation import capacity_count_members, compile_problem, mir_coefficients
from optimizer.problem import build_problem
from optimizer.solvers import solve

WEIGHTS = {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0}
CUTS = ("capacity_count", "capacity_mir")


@pytest.mark.parametrize("seed", range(30))
def test_no_subset_within_the_capacity_breaks_a_cut(seed: int) -> None:
    rng = np.random.default_rng(seed)
    area = np.where(rng.random(9) < 0.5, 5.0, np.round(rng.uniform(0.3, 5.0, 9), 4))
    capacity = float(rng.uniform(area.min(), area.sum()))
    counted, k = capacity_count_members(area, capacity, float(np.median(area)))
    rounding = mir_coefficients(area, capacity, float(area.max()))
    for chosen in itertools.product((0, 1), repeat=len(area)):
        x = np.array(chosen, float)
        if area @ x > capacity * (1 + 1e-9):  # fits up to float error, as HiGHS reads it
            continue
        assert x[counted].sum() <= k
        if rounding is not None:
            coef, rhs = rounding
            assert coef @ x <= rhs + 1e-9


@pytest.mark.parametrize(("capacity", "delta"), [(1.2, 0.2), (1.15, 0.23), (1.2, 0.1),
                                                 (0.3, 0.1), (28.7, 4.1)])
def test_a_capacity_a_whole_multiple_of_the_largest_parcel_is_not_rounded_down(
        capacity: float, delta: float) -> None:
    """Found by review: 1.2/0.2 is 5.999… in floats, and the rounding cut allowed five 0.2 km²
    parcels a year where six fill 1.2 km² exactly. Every subset that fits (up to float error,
    as the solver reads the capacity row) must satisfy the cut."""
    area = np.array([delta] * 7 + [delta / 2])
    rounding = mir_coefficients(area, capacity, delta)
    counted, k = capacity_count_members(area, capacity, delta)
    for chosen in itertools.product((0, 1), repeat=len(area)):
        x = np.array(chosen, float)
        if area @ x > capacity * (1 + 1e-9):
            continue
        assert x[counted].sum() <= k
        if rounding is not None:
            coef, rhs = rounding
            assert coef @ x <= rhs + 1e-9


def test_the_optimum_with_a_capacity_filled_exactly_is_the_brute_force(kit) -> None:
    """The reviewer's case: 1.2 km² a year, seven 0.2 km² parcels and one of 0.1, one year;
    the best plan fills the year with six 0.2 parcels (33.0; the cut had allowed 30.25)."""
    actions = kit.make_actions([{"code": "a", "capacity_km2_per_yr": 1.2}])
    rows = [{"parcel_id": p, "action": "a", "area_km2": area, "cost_wan": 0.0,
             "norm_sand": area * 5, "norm_water": area * 5}
            for p, area in enumerate([0.2] * 7 + [0.1], start=1)]
    options = kit.make_options(rows)
    scenario = kit.make_scenario(horizon={"start": 2027, "end": 2027, "evaluation_year": 2032})
    model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
    expected = kit.brute_force(options, actions, scenario, WEIGHTS)
    kit.assert_highs_matches_brute_force(model, expected)


def test_the_count_cut_counts_the_parcels_too_large_to_be_a_sixth() -> None:
    # 28.7 km²: five 5-km² parcels fit; a 4.8-km² one cannot be the sixth, a 4.7 one can.
    counted, k = capacity_count_members(np.array([5.0, 4.8, 4.7, 1.0]), 28.7, 5.0)
    assert k == 5
    assert counted.tolist() == [True, True, False, False]


def test_the_rounding_cut_weighs_a_filler_by_what_five_large_parcels_leave() -> None:
    coef, rhs = mir_coefficients(np.array([5.0, 4.0876, 3.7, 1.0]), 28.7, 5.0)
    assert rhs == 5.0
    # f0 = 0.74: 4.0876/5 = 0.81752 counts (0.81752 - 0.74)/0.26; 3.7 and 1 fit beside five
    np.testing.assert_allclose(coef, [1.0, 0.2981, 0.0, 0.0], atol=1e-12)  # 0.29815…, down
    assert mir_coefficients(np.array([5.0, 2.0]), 30.0, 5.0) is None  # 30/5: nothing to round


def _mixed_sizes(kit, seed: int):
    """One capacity-limited action on parcels of mixed sizes, 3 years, money binding."""
    rng = np.random.default_rng(seed)
    actions = kit.make_actions([{"code": "a", "capacity_km2_per_yr": 11.3,
                                 "cost_years": int(rng.integers(1, 3))}])
    areas = [5.0, 5.0, 5.0, 4.6, 3.1, 1.2]
    rows = [{"parcel_id": p, "action": "a", "area_km2": area,
             "cost_wan": float(rng.integers(1, 5)), "norm_sand": float(rng.uniform(0.2, 1.0)),
             "norm_water": float(rng.uniform(0.0, 1.0))}
            for p, area in enumerate(areas, start=1)]
    scenario = kit.make_scenario(budget={"default": float(rng.integers(5, 10)),
                                         "carry_over": bool(rng.random() < 0.5)})
    return kit.make_options(rows), actions, scenario


def _lp_bound(model) -> float:
    return solve(model, "highs", lp_relaxation=True).objective


def _without_cuts(model):
    upper = model.row_upper.copy()
    for name in CUTS:
        family = model.family(name)
        upper[family.start:family.stop] = np.inf
    return replace(model, row_upper=upper)


@pytest.mark.parametrize("seed", range(6))
def test_the_optimum_is_the_brute_force_and_the_lp_bound_tighter_but_above_it(
        kit, seed: int) -> None:
    options, actions, scenario = _mixed_sizes(kit, seed)
    expected = kit.brute_force(options, actions, scenario, WEIGHTS)
    model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
    assert {f.name for f in model.families} >= set(CUTS)
    kit.assert_highs_matches_brute_force(model, expected)
    # CP-SAT scales each row to integers: the rounding cut's coefficients must stay exact
    assert solve(model, "cpsat", gap=0.0, time_limit_s=30).objective == pytest.approx(
        expected, rel=1e-5)
    tight, loose = _lp_bound(model), _lp_bound(_without_cuts(model))
    assert expected <= tight + 1e-9
    assert tight <= loose + 1e-9


def test_the_cuts_lower_the_lp_bound_where_a_filler_cannot_fit(kit) -> None:
    # 11.3 km² a year: two 5-km² parcels leave 1.3, so the 4.6- and 3.1-km² parcels can
    # only start in a year with at most one 5-km² parcel; the LP without the cuts fills
    # every year exactly with fractions of them.
    actions = kit.make_actions([{"code": "a", "capacity_km2_per_yr": 11.3}])
    rows = [{"parcel_id": p, "action": "a", "area_km2": area, "cost_wan": 0.0,
             "norm_sand": area, "norm_water": 1.0}
            for p, area in enumerate([5.0] * 6 + [4.6, 3.1], start=1)]
    options, scenario = kit.make_options(rows), kit.make_scenario()
    model, _ = compile_problem(build_problem(options, actions, scenario, WEIGHTS))
    expected = kit.brute_force(options, actions, scenario, WEIGHTS)
    kit.assert_highs_matches_brute_force(model, expected)
    tight, loose = _lp_bound(model), _lp_bound(_without_cuts(model))
    assert expected <= tight + 1e-9
    assert tight < loose - 1.0  # 95.8 against 104.7, the optimum 91.8
