"""Re-plans against hand-solved instances and an independent brute force.

The brute force enumerates, per parcel, nothing or one (action, start year), keeps the
recorded works where they were, and checks the rules of a re-plan directly: money carried
from the past as it was spent, money and water per year ahead, targets due, mandatory
works, precedence, capacity; it scores benefit minus stability penalties, or (no
penalties) the most announced works kept first, then benefit. It shares no code with
optimizer/history.py, optimizer/stability.py or the formulation.
"""

import itertools

import numpy as np
import pandas as pd
import pytest

from criteria.ramp import cumulative_benefit
from optimizer.formulation import compile_problem
from optimizer.history import Past, compile_with_past
from optimizer.presolve import InfeasibleScenarioError
from optimizer.problem import build_problem
from optimizer.solvers import solve
from optimizer.stability import announced_options, changes, keep_all, penalised
from pipeline.replan_model import ReplanModel
from region.cycle import YearActuals
from region.schema import CRITERIA

WEIGHTS = {"sand": 1.0, "water": 0.0, "bio": 0.0, "mine": 0.0, "carbon": 0.0}
RANDOM_WEIGHTS = {"sand": 0.6, "water": 0.4, "bio": 0.0, "mine": 0.0, "carbon": 0.0}


def three_parcels(kit, **scenario):
    """One action (cost 5, paid in its start year, benefit 0.5 in the start year and 1 a
    year after, to 2032); parcels 1, 2, 3 worth 0.6, 0.5, 0.4 a year; 5 万元 a year."""
    actions = kit.make_actions([{"code": "a", "lag_years": 0, "maturity_years": 1}])
    options = kit.make_options([
        {"parcel_id": p, "action": "a", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": s}
        for p, s in ((1, 0.6), (2, 0.5), (3, 0.4))])
    return build_problem(options, actions,
                         kit.make_scenario(budget={"default": 5.0}, **scenario), WEIGHTS)


def option_of(problem, parcel: int, year: int) -> int:
    frame = problem.option_frame()
    return int(np.flatnonzero((frame["parcel_id"] == parcel)
                              & (frame["start_year"] == year))[0])


ANNOUNCED = pd.DataFrame({"parcel_id": [2, 3], "action": ["a", "a"],
                          "start_year": [2028, 2029]})


@pytest.mark.parametrize(("move", "drop", "expected"), [
    # Hand-solved (value of a start: 0.6 parcel 1 → 2.7 in 2028, 2.1 in 2029; parcel 2:
    # 2.25, 1.75; parcel 3: 1.8, 1.4). Previous plan: 1@2027, 2@2028, 3@2029; parcel 1's
    # work was cancelled; one work fits in each of 2028 and 2029.
    # keep (2@28, 3@29) 3.65 | 1@28 2@29: 4.45 − move − drop | 1@28 3@29: 4.10 − drop |
    # 2@28 1@29: 4.35 − drop | 3@28 1@29: 3.90 − move − drop
    (0.05, 0.8, {2: 2028, 3: 2029}),           # 3.65 beats 3.60, 3.30, 3.55
    (0.5, 0.5, {2: 2028, 1: 2029}),            # 3.85 beats 3.65, 3.45, 3.60
    (0.05, 0.2, {1: 2028, 2: 2029}),           # 4.20 beats 4.15, 3.90, 3.65
])
def test_penalties_trade_benefit_against_changes_as_solved_by_hand(kit, move, drop,
                                                                   expected) -> None:
    problem = three_parcels(kit)
    cancelled = option_of(problem, 1, 2027)
    past = Past(2028, np.zeros(0, np.int64), np.zeros(0),
                np.array([cancelled]), np.array([np.nan]), np.array([False]))
    fixed, model, _, history = compile_with_past(problem, past)
    announced = announced_options(fixed, ANNOUNCED)
    result = solve(penalised(model, fixed, announced, move, drop), "highs", gap=0.0)
    chosen = fixed.option_frame().iloc[np.flatnonzero(result.x[:fixed.n_options] > 0.5)]
    assert dict(zip(chosen["parcel_id"], chosen["start_year"], strict=True)) == expected
    values = {(1, 2028): 2.7, (1, 2029): 2.1, (2, 2028): 2.25, (2, 2029): 1.75,
              (3, 2028): 1.8, (3, 2029): 1.4}
    fate = changes(fixed, announced, result.x)
    penalty = move * (fate == "moved").sum() + drop * (fate == "dropped").sum()
    assert result.objective == pytest.approx(
        sum(values[p, y] for p, y in expected.items()) - penalty)
    assert history.years["spent_wan"].tolist() == [0.0]  # cancelled: nothing paid


def test_no_penalties_keeps_every_announced_work_when_they_fit(kit) -> None:
    problem = three_parcels(kit)
    past = Past(2028, np.zeros(0, np.int64), np.zeros(0),
                np.array([option_of(problem, 1, 2027)]), np.array([np.nan]),
                np.array([False]))
    fixed, model, _, _ = compile_with_past(problem, past)
    announced = announced_options(fixed, ANNOUNCED)
    result = solve(keep_all(model, announced), "highs", gap=0.0)
    assert set(changes(fixed, announced, result.x)) == {"kept"}
    assert result.objective == pytest.approx(2.25 + 1.4)


def test_money_carried_is_what_was_granted_less_what_was_spent(kit) -> None:
    """Hand-solved: 10 万元 a year with carry-over. 2027: parcel 1's work (planned 5) done
    for 3, parcel 2's (planned 4) failed after paying it: 10 − 3 − 4 = 3 carried, so 2028
    has 13 for parcel 3's work (cost 13: fits; 13.5: does not, and the failed work of
    parcel 2, free again, is redone in 2028 instead)."""
    actions = kit.make_actions([{"code": "a"}])

    def run(cost3: float):
        options = kit.make_options([
            {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": 0.1},
            {"parcel_id": 2, "action": "a", "area_km2": 1.0, "cost_wan": 4.0, "norm_sand": 0.1},
            {"parcel_id": 3, "action": "a", "area_km2": 1.0, "cost_wan": cost3,
             "norm_sand": 0.9}])
        scenario = kit.make_scenario(budget={"default": 10.0, "carry_over": True},
                                     horizon={"start": 2027, "end": 2028,
                                              "evaluation_year": 2030})
        problem = build_problem(options, actions, scenario, WEIGHTS)
        past = Past(2028, np.array([option_of(problem, 1, 2027)]), np.array([3.0]),
                    np.array([option_of(problem, 2, 2027)]), np.array([np.nan]),
                    np.array([True]))
        fixed, model, _, history = compile_with_past(problem, past)
        result = solve(model, "highs", gap=0.0)
        chosen = fixed.option_frame().iloc[np.flatnonzero(result.x[:fixed.n_options] > 0.5)]
        return set(zip(chosen["parcel_id"], chosen["start_year"], strict=True)), history

    fits, history = run(13.0)
    assert fits == {(1, 2027), (3, 2028)}
    assert history.years.iloc[0][["granted_wan", "spent_wan", "spent_on_kept_works_wan",
                                  "carried_wan"]].tolist() == [10.0, 7.0, 3.0, 3.0]
    assert run(13.5)[0] == {(1, 2027), (2, 2028)}


def test_actuals_override_the_years_money(kit) -> None:
    """Granted 8 and spent 8 in 2027 (actuals): nothing carried, parcel 3 (cost 13) no
    longer fits in 2028 even though the recorded works cost less."""
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": 0.1},
        {"parcel_id": 3, "action": "a", "area_km2": 1.0, "cost_wan": 13.0, "norm_sand": 0.9}])
    scenario = kit.make_scenario(budget={"default": 10.0, "carry_over": True},
                                 horizon={"start": 2027, "end": 2028, "evaluation_year": 2030})
    problem = build_problem(options, actions, scenario, WEIGHTS)
    past = Past(2028, np.array([option_of(problem, 1, 2027)]), np.array([np.nan]),
                actuals={2027: YearActuals(budget_wan=8.0, spend_wan=8.0)})
    fixed, model, _, history = compile_with_past(problem, past)
    result = solve(model, "highs", gap=0.0)
    assert history.years["carried_wan"].tolist() == [0.0]
    assert np.flatnonzero(result.x[:fixed.n_options] > 0.5).tolist() == [
        option_of(fixed, 1, 2027)]


# --- random instances against the brute force -------------------------------------------


def _instalments(total, span, start, years):
    """Money per horizon year; instalments after the horizon are held in its last year."""
    out: dict[int, float] = {}
    for k in range(int(span)):
        year = min(start + k, years[-1])
        out[year] = out.get(year, 0.0) + total / span
    return out


def brute_force(options, actions, scenario, year, kept, lapsed, actuals, announced,
                penalties):
    """Best (kept count, benefit) or benefit − penalties of a re-plan; None if infeasible.
    ``kept``/``lapsed``: {(parcel, action, start): (paid or NaN[, failed])}."""
    years = scenario.horizon.years
    cat = actions.set_index("code")
    rows = {(r.parcel_id, r.action): r for r in options.itertuples()}
    budget = scenario.budget.for_years(years)
    water = scenario.water.for_years(years)
    future = [y for y in years if y >= year]

    def spread(row, start, paid=np.nan):
        """Cost per year: the plan's instalments, the past ones scaled to what was paid."""
        plan = _instalments(row.cost_wan, cat.loc[row.action, "cost_years"], start, years)
        if not np.isnan(paid):
            before = sum(v for y, v in plan.items() if y < year)
            plan = {y: (v * paid / before if y < year else v) for y, v in plan.items()}
        return plan

    outside = dict.fromkeys(years, 0.0)
    for (p, a, s), (paid, failed) in lapsed.items():
        cost = spread(rows[p, a], s, paid if not np.isnan(paid) else
                      (np.nan if failed else 0.0))
        for y, v in cost.items():
            if y < year:
                outside[y] += v
    kept_parcels = {p: (a, s) for p, a, s in kept}
    choices = []
    for parcel in sorted(options["parcel_id"].unique()):
        if parcel in kept_parcels:
            choices.append([(parcel, *kept_parcels[parcel])])
            continue
        choices.append([None] + [(parcel, a, y) for (p, a) in rows if p == parcel
                                 for y in future])
    best = None
    for combo in itertools.product(*choices):
        chosen = [c for c in combo if c is not None]
        spend = dict.fromkeys(years, 0.0)
        use = dict.fromkeys(years, 0.0)
        value = 0.0
        for p, a, s in chosen:
            row, act = rows[p, a], cat.loc[a]
            paid = kept.get((p, a, s), (np.nan,))[0]
            for y, v in spread(row, s, paid).items():
                spend[y] += v
            for k in range(int(act["water_years"])):
                if s + k in use:
                    use[s + k] += row.water_wan_m3_per_yr
            annual = sum(RANDOM_WEIGHTS[c] * getattr(row, f"norm_{c}") for c in CRITERIA)
            value += annual * float(cumulative_benefit(
                s, scenario.horizon.evaluation_year, act["lag_years"],
                act["maturity_years"], act["survival"], base_year=years[0]))
        carried, ok = 0.0, True
        for y in years:
            if y < year:
                actual = actuals.get(y, YearActuals())
                granted = budget[y] if actual.budget_wan is None else actual.budget_wan
                spent = spend[y] + outside[y] if actual.spend_wan is None else actual.spend_wan
                carried = max(carried + granted - spent, 0.0) if scenario.budget.carry_over \
                    else 0.0
                continue
            if scenario.budget.carry_over:
                carried += budget[y] - spend[y]
                ok &= carried >= -1e-7
            else:
                ok &= spend[y] <= budget[y] + 1e-7
            ok &= use[y] <= water[y] + 1e-7
        for target in scenario.targets:
            if target.by_year >= year:
                count = sum(1 for p, a, s in chosen if s <= target.by_year
                            and (target.action is None or a == target.action))
                ok &= count >= target.minimum
        for rule in scenario.locked_in:
            ok &= any(p in rule.parcel_ids and a == rule.action for p, a, _ in chosen)
        for rule in scenario.precedence:
            firsts = [s for _, a, s in chosen if a == rule.before]
            for _, a, s in chosen:
                if a == rule.after and s >= year:
                    ok &= any(f <= s - rule.lag_years for f in firsts)
        for code, act in cat.iterrows():
            if not np.isnan(act["capacity_km2_per_yr"]):
                for y in future:
                    area = sum(rows[p, a].area_km2 for p, a, s in chosen
                               if a == code and s == y)
                    ok &= area <= act["capacity_km2_per_yr"] + 1e-7
        if not ok:
            continue
        pairs = {(p, a): s for p, a, s in chosen}
        fate = ["kept" if pairs.get((p, a)) == s else "moved" if (p, a) in pairs
                else "dropped" for p, a, s in announced]
        if penalties is None:
            score = (fate.count("kept"), value)
        else:
            move, drop = penalties
            score = value - move * fate.count("moved") - drop * fate.count("dropped")
        if best is None or score > best:
            best = score
    return best


@pytest.mark.parametrize("seed", range(40))
def test_replan_optimum_equals_brute_force(kit, seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    options, actions, scenario = kit.random_instance(seed)
    problem = build_problem(options, actions, scenario, RANDOM_WEIGHTS)
    previous = solve(compile_problem(problem)[0], "highs", gap=0.0)
    if previous.x is None:
        pytest.skip("the random instance itself is infeasible")
    plan = problem.option_frame().iloc[np.flatnonzero(previous.x[:problem.n_options] > 0.5)]
    works = plan[["parcel_id", "action", "start_year"]].reset_index(drop=True)
    past = works[works["start_year"] < 2028]
    status = rng.choice(["done", "failed", "cancelled"], len(past))
    paid = np.where(rng.random(len(past)) < 0.5, np.nan, rng.integers(0, 8, len(past)))
    facts = past.assign(status=status, area_km2_done=np.nan, cost_wan_actual=paid, new=False)
    actuals = {}
    if rng.random() < 0.4:
        actuals[2027] = YearActuals(budget_wan=float(rng.integers(4, 14)))
    raw = scenario.model_dump(mode="json", exclude_none=True)
    raw["budget"]["per_year"] = {"2028": float(rng.integers(2, 10)),
                                 "2029": float(rng.integers(2, 10))}
    penalties = None
    if rng.random() < 0.4:
        penalties = (float(rng.uniform(0, 1.5)), float(rng.uniform(0, 1.5)))
        raw["replan"] = {"move_penalty": penalties[0], "drop_penalty": penalties[1]}
    new_scenario = type(scenario).model_validate(raw)
    announced = works[works["start_year"] >= 2028]
    model = ReplanModel(facts, 2028, actuals, announced, previous_objective=1.0)
    kept = {(f.parcel_id, f.action, f.start_year): (f.cost_wan_actual,)
            for f in facts.itertuples() if f.status == "done"}
    lapsed = {(f.parcel_id, f.action, f.start_year): (f.cost_wan_actual, f.status == "failed")
              for f in facts.itertuples() if f.status != "done"}
    expected = brute_force(options, actions, new_scenario, 2028, kept, lapsed, actuals,
                           [tuple(w) for w in announced.itertuples(index=False)], penalties)
    new_problem = build_problem(options, actions, new_scenario, RANDOM_WEIGHTS)
    if expected is None:
        try:
            formulation = model(new_problem)
        except InfeasibleScenarioError:  # the 'fewest changes' step found no plan
            return
        assert solve(formulation.model, "highs", gap=0.0).status == "infeasible"
        return
    formulation = model(new_problem)
    result = solve(formulation.model, "highs", gap=0.0)
    assert result.status == "optimal"
    assert formulation.model.violations(result.x) == []
    if penalties is None:
        fate = changes(formulation.problem, model.announced, result.x)
        assert (int((fate == "kept").sum()), result.objective) == (
            expected[0], pytest.approx(expected[1], rel=1e-6, abs=1e-9))
    else:
        assert result.objective == pytest.approx(expected, rel=1e-6, abs=1e-9)
    chosen = formulation.problem.option_frame().iloc[
        np.flatnonzero(result.x[:formulation.problem.n_options] > 0.5)]
    for key in kept:  # recorded works stay where they were
        assert ((chosen["parcel_id"] == key[0]) & (chosen["start_year"] == key[2])).any()
    assert (chosen.loc[~chosen["parcel_id"].isin([k[0] for k in kept]), "start_year"]
            >= 2028).all()


def test_reported_water_counts_the_lakes_delivery_as_the_run_table_does(kit) -> None:
    """2027's water reported as 13 = the lake's delivery 10 + the kept works' 0 + 3 more:
    the horizon's water total (works only) loses the 3, not the lake's 10 as well."""
    actions = kit.make_actions([{"code": "a"}])
    options = kit.make_options([
        {"parcel_id": 1, "action": "a", "area_km2": 1.0, "cost_wan": 5.0, "norm_sand": 0.5}])
    scenario = kit.make_scenario(
        water={"default": 100.0, "total": 50.0,
               "aydingkol": {"county": "650402", "source_wan_m3": 10.0, "target_wan_m3": 10.0}},
        horizon={"start": 2027, "end": 2028, "evaluation_year": 2030})
    problem = build_problem(options, actions, scenario, WEIGHTS)
    past = Past(2028, np.array([option_of(problem, 1, 2027)]), np.array([np.nan]),
                actuals={2027: YearActuals(water_wan_m3=13.0)})
    fixed, _, _, history = compile_with_past(problem, past)
    assert fixed.scenario.water.total == pytest.approx(47.0)
    assert history.years[["water_used_wan_m3", "water_of_kept_works_wan_m3",
                          "lake_delivery_wan_m3"]].iloc[0].tolist() == [13.0, 0.0, 10.0]
