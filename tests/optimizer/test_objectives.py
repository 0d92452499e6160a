"""Minimum cost and ε-constraint fronts against brute force on tiny instances."""

import dataclasses
import itertools

import numpy as np
import pytest

from optimizer.formulation import compile_problem
from optimizer.objectives import (
    DROP_BELOW,
    benefit_cost_front,
    criteria_front,
    min_cost_model,
    objective_vector,
    pareto_front,
    solve_order,
    with_floor,
)
from optimizer.presolve import check
from optimizer.problem import build_problem
from optimizer.solvers import solve

WEIGHTS = {"sand": 0.5, "water": 0.5, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


def tiny(kit, **scenario):
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([
        {"parcel_id": p, "action": "a", "area_km2": area, "cost_wan": cost, "norm_sand": s,
         "norm_water": w}
        for p, area, cost, s, w in ((1, 2.0, 5.0, 0.9, 0.1), (2, 1.0, 2.0, 0.2, 0.7),
                                    (3, 1.5, 3.0, 0.5, 0.5))])
    return build_problem(options, actions, kit.make_scenario(**scenario), WEIGHTS)


def test_min_cost_meets_the_target_at_the_cheapest_price(kit) -> None:
    problem = tiny(kit, budget={"default": 100.0},
                   targets=[{"name": "area", "minimum": 2.5, "by_year": 2029}])
    model, _ = min_cost_model(problem)
    result = solve(model, "highs", gap=0.0)
    # brute force over subsets of parcels: area ≥ 2.5 at least cost → parcels 2 + 3 (5 万元)
    best = min(sum(c for _, c in subset) for k in range(4)
               for subset in itertools.combinations([(2.0, 5.0), (1.0, 2.0), (1.5, 3.0)], k)
               if sum(a for a, _ in subset) >= 2.5)
    assert result.objective == pytest.approx(best) == pytest.approx(5.0)


def test_criteria_front_is_monotone_and_ends_at_each_criterions_optimum(kit) -> None:
    problem = tiny(kit, budget={"default": 5.0})
    front = criteria_front(problem, "sand", "water", points=4)
    sand = [p.primary for p in front]
    water = [p.secondary for p in front]
    assert all(p.result.status == "optimal" for p in front)
    assert sand == sorted(sand, reverse=True)  # more water costs sand, never the reverse
    assert water[-1] == pytest.approx(max(water))
    assert all(w >= p.epsilon - 1e-6 for w, p in zip(water, front, strict=True))


def test_benefit_cost_front_spans_from_best_benefit_to_spending_nothing(kit) -> None:
    problem = tiny(kit, budget={"default": 100.0})
    front = benefit_cost_front(problem, points=3)
    assert front[0].primary == pytest.approx(problem.value.reshape(3, 3).max(axis=1).sum())
    assert front[-1].secondary == pytest.approx(0.0) and front[-1].primary == 0.0
    assert np.all(np.diff([p.primary for p in front]) <= 1e-9)


def brute_front(problem):
    """Every plan of the tiny instance (each parcel: nothing or a start year) as
    (benefit, sand, water, cost) within the budget; no formulation involved."""
    budget = problem.scenario.budget.for_years(list(problem.years))
    frame = problem.option_frame()
    choices = [[None, *np.flatnonzero(frame["parcel_id"] == p)] for p in (1, 2, 3)]
    plans = []
    for combo in itertools.product(*choices):
        chosen = [o for o in combo if o is not None]
        spend = np.asarray(problem.cost[chosen].sum(axis=0)).ravel() if chosen else 0.0
        if np.any(spend > np.array([budget[y] for y in problem.years]) + 1e-9):
            continue
        plans.append(tuple(float(v[chosen].sum()) for v in (
            problem.value, problem.criterion_value("sand"), problem.criterion_value("water"),
            -np.asarray(problem.cost.sum(axis=1)).ravel())))
    return plans


@pytest.mark.parametrize(("first", "second", "i", "j"), [("sand", "water", 1, 2),
                                                         ("benefit", "cost", 0, 3)])
def test_front_points_are_the_best_for_their_epsilon_and_non_dominated(kit, first, second,
                                                                       i, j) -> None:
    problem = tiny(kit, budget={"default": 5.0})
    front = (criteria_front(problem, first, second, points=5, gap=0.0) if first == "sand"
             else benefit_cost_front(problem, points=5, gap=0.0))
    plans = brute_front(problem)
    for point in front:
        best = max(p[i] for p in plans if p[j] >= point.epsilon - 1e-9)
        assert point.primary == pytest.approx(best, rel=1e-9, abs=1e-12)
        if point.dominated_by is None:  # on the exact front: nothing beats it in both
            assert not any(p[i] > point.primary + 1e-9 and p[j] >= point.secondary - 1e-9
                           or p[i] >= point.primary - 1e-9 and p[j] > point.secondary + 1e-9
                           for p in plans)
    kept = [p for p in front if p.dominated_by is None]
    assert len(kept) >= 2
    for a, b in itertools.permutations(kept, 2):  # pairwise non-dominated
        assert not (a.primary >= b.primary and a.secondary >= b.secondary)


def test_the_epsilon_row_is_scaled_cleaned_and_no_units_note(kit) -> None:
    """A normalised benefit 1e-14 of the largest in pareto's ε row made the units check say
    'matrix coefficients span 1e+14: check units': the row is the model's own. It is divided
    by its largest coefficient; a coefficient below DROP_BELOW of it is dropped and the
    floor lowered by the most it could add, so no plan meeting the row is cut off."""
    problem = tiny(kit, budget={"default": 5.0})
    model, _ = compile_problem(problem)
    sand = objective_vector(problem, model, "sand")
    tiny_option = int(np.flatnonzero(sand)[0])
    sand[tiny_option] = 1e-14 * sand.max()
    floor = 0.5 * sand.max()
    bounded = with_floor(model, sand, floor, "epsilon[test]")
    row = bounded.A[-1].toarray().ravel()
    largest = np.abs(sand).max()
    assert np.abs(row).max() == pytest.approx(1.0) and row[tiny_option] == 0.0
    assert bounded.row_lower[-1] == pytest.approx((floor - sand[tiny_option]) / largest,
                                                  rel=1e-15)
    options = np.flatnonzero(sand)
    for chosen in itertools.product((0.0, 1.0), repeat=len(options)):  # every plan
        x = np.zeros(model.n_cols)
        x[options] = chosen
        if sand @ x >= floor:
            assert row @ x >= bounded.row_lower[-1] - 1e-12
        if row @ x >= bounded.row_lower[-1]:
            assert sand @ x >= floor - DROP_BELOW * largest - 1e-12
    assert check(problem, bounded) == []
    mixed = bounded.A.copy()  # the same figure in a row of the inputs is a units note
    budget = bounded.family("budget")
    start, stop = mixed.indptr[budget.start], mixed.indptr[budget.start + 1]
    mixed.data[start] = 1e-14 * mixed.data[start:stop].max()
    with pytest.warns(UserWarning, match="check units"):
        notes = check(problem, dataclasses.replace(bounded, A=mixed))
    assert len(notes) == 1 and "check units" in notes[0]


def test_the_solve_order_names_each_solves_point(kit) -> None:
    """pareto's progress says which point of front.csv each solve gave: solve k gave the
    front's point solve_order(points)[k]."""
    problem = tiny(kit, budget={"default": 5.0})
    model, _ = compile_problem(problem)
    solved = []

    def solve_point(point, start):
        solved.append(solve(point, "highs", gap=0.0, warm_start=start))
        return solved[-1]

    front = pareto_front(model, objective_vector(problem, model, "sand"),
                         objective_vector(problem, model, "water"), 5, solve_point)
    order = solve_order(5)
    assert sorted(order) == list(range(5)) and order[:2] == [0, 4]
    for k, result in enumerate(solved):
        assert front[order[k]].result is result
