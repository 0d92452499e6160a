"""A target on a plan project ([[targets]] project = "…"): it forces a work the unconstrained
optimum leaves out, the optimum equals the brute force, and a project no option serves is
the presolve's "cannot be met". A work with projects below it (W1, W2A-C, W3: plan l.96,
l.98-100) counts the works of its projects (``work_id``), as an umbrella counts those it
covers."""

import numpy as np
import pytest

from optimizer.formulation import compile_problem, target_members
from optimizer.presolve import InfeasibleScenarioError, check
from optimizer.problem import build_problem
from optimizer.solvers import solve

WEIGHTS = {"sand": 1.0, "water": 0.0, "bio": 0.0, "mine": 0.0, "carbon": 0.0}
ONE_YEAR = {"start": 2027, "end": 2027, "evaluation_year": 2032}


def four_parcels(kit):
    """Money for two of four works: the two best are filed under P-A (a project of work V),
    the weakest under P-B (a project of work W; also under the umbrella work U), one under
    none."""
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([
        {"parcel_id": p, "action": "a", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": sand,
         "project_id": project, "work_id": work, "umbrella_id": umbrella}
        for p, sand, project, work, umbrella in ((1, 0.9, "P-A", "V", "U2"),
                                                 (2, 0.8, "P-A", "V", ""),
                                                 (3, 0.2, "P-B", "W", "U2|U"),
                                                 (4, 0.5, "", "", ""))])
    return options, actions


def solved(kit, options, actions, targets):
    scenario = kit.make_scenario(horizon=ONE_YEAR, budget={"default": 10.0},
                                 weights={"sand": 1.0}, targets=targets)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    check(problem)
    model, _ = compile_problem(problem)
    result = solve(model, "highs", gap=0.0)
    expected = kit.brute_force(options, actions, scenario, WEIGHTS)
    kit.assert_highs_matches_brute_force(model, expected)
    chosen = {int(problem.pairs["parcel_id"].iat[problem.option_pair[i]])
              for i in np.flatnonzero(result.x[:problem.n_options] > 0.5)}
    return result.objective, chosen


@pytest.mark.parametrize("project", ["P-B", "U", "W"])
def test_a_project_target_forces_the_work_the_optimum_skips(kit, project: str) -> None:
    options, actions = four_parcels(kit)
    free, free_chosen = solved(kit, options, actions, [])
    assert free_chosen == {1, 2}  # P-B's only work is left out without the target
    target = {"name": "deploy", "measure": "count", "minimum": 1, "by_year": 2027,
              "project": project}
    forced, forced_chosen = solved(kit, options, actions, [target])
    assert forced_chosen == {1, 3}  # parcel 3 (P-B of work W, under U) gives the least way
    assert forced < free
    # the price of deploying P-B: parcel 2's value given for parcel 3's
    assert free - forced == pytest.approx((0.8 - 0.2) * (free / (0.9 + 0.8)))


def test_a_project_counts_its_own_works_and_those_under_it_as_umbrella(kit) -> None:
    options, actions = four_parcels(kit)
    frame = options.assign(start_year=2027)
    scenario = kit.make_scenario(horizon=ONE_YEAR, targets=[
        {"name": p, "measure": "count", "minimum": 1, "by_year": 2027, "project": p}
        for p in ("P-A", "P-B", "U", "U2", "P", "V", "W")])
    members = {t.project: set(options["parcel_id"].iloc[target_members(frame, t)])
               for t in scenario.targets}
    assert members == {"P-A": {1, 2}, "P-B": {3}, "U": {3}, "U2": {1, 3}, "P": set(),
                       "V": {1, 2}, "W": {3}}
    unfiled = frame.drop(columns=["project_id", "work_id", "umbrella_id"])
    assert len(target_members(unfiled, scenario.targets[0])) == 0  # never "all options"


def test_a_project_target_no_option_can_meet_is_the_presolves_cannot_be_met(kit) -> None:
    options, actions = four_parcels(kit)
    scenario = kit.make_scenario(horizon=ONE_YEAR, targets=[
        {"name": "two P-B works", "measure": "count", "minimum": 2, "by_year": 2027,
         "project": "P-B"}])
    with pytest.raises(InfeasibleScenarioError) as caught:
        check(build_problem(options, actions, scenario, WEIGHTS))
    assert caught.value.lines == ["target 'two P-B works' needs ≥ 2 options by 2027, but all "
                                  "matching options together give only 1 options"]


def test_a_work_whose_projects_have_no_allowed_option_is_the_presolves_cannot_be_met(
        kit) -> None:
    """W's one project, P-B, has one option, locked out: a target on W is met by nothing,
    and the message names the target."""
    options, actions = four_parcels(kit)
    scenario = kit.make_scenario(
        horizon=ONE_YEAR, locked_out=[{"parcel_ids": [3], "year": 2027}],
        targets=[{"name": "a work of W", "measure": "count", "minimum": 1, "by_year": 2027,
                  "project": "W"}])
    with pytest.raises(InfeasibleScenarioError) as caught:
        check(build_problem(options, actions, scenario, WEIGHTS))
    assert caught.value.lines == ["target 'a work of W' needs ≥ 1 options by 2027, but all "
                                  "matching options together give only 0 options"]
