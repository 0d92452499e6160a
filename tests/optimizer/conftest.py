"""Small scheduling instances and an independent brute-force optimum for them.

The brute force enumerates, per parcel, "nothing" or one (action, start year), and checks the
scenario's rules directly (money and water per year from each action's cost and water
spread, instalments after the horizon held in its last year's money, a county's own money,
targets, mandatory and forbidden options, precedence, capacity), without using the
formulation under test.
"""

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from criteria.ramp import cumulative_benefit
from region.scenario_problems import scenario_from_dict
from region.schema import CRITERIA

ACTION_DEFAULTS = {
    "name_zh": "措施", "name_en": "action", "zones": "1", "land_covers": "gobi",
    "min_degradation": 0, "area_basis": "parcel", "unit_cost_wan_per_km2": 1.0,
    "cost_years": 1, "water_wan_m3_per_km2_yr": 0.0, "water_years": 0, "lag_years": 0,
    "maturity_years": 1, "survival": 1.0, "capacity_km2_per_yr": float("nan"),
    "compatible_with": "",
    **{f"effect_{c}": 0.5 for c in CRITERIA},
}


def make_actions(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{**ACTION_DEFAULTS, **row} for row in rows])


def make_options(rows: list[dict]) -> pd.DataFrame:
    """Option rows (parcel_id, action, area_km2, cost_wan, water, norm_sand …)."""
    frame = pd.DataFrame(rows)
    for column, default in (("zone", 1), ("county", "c1"), ("land_cover", "gobi"),
                            ("water_wan_m3_per_yr", 0.0)):
        if column not in frame.columns:
            frame[column] = default
    for c in CRITERIA:
        for prefix in ("benefit_", "norm_"):
            if prefix + c not in frame.columns:
                frame[prefix + c] = 0.0
    return frame


def make_scenario(**overrides) -> object:
    raw = {"name": "test", "horizon": {"start": 2027, "end": 2029, "evaluation_year": 2032},
           "budget": {"default": 10.0}, "water": {"default": 100.0},
           "weights": {"sand": 1.0}, "corridors": {"enabled": False},
           "solver": {"time_limit_s": 20.0, "gap": 0.0}}
    raw.update(overrides)
    return scenario_from_dict(raw)


def random_instance(seed: int):
    """3-4 parcels × 1-2 actions × 3 years, budget and water binding, sometimes a target,
    capacity, carry-over, a precedence rule and a mandatory option."""
    rng = np.random.default_rng(seed)
    n_parcels = int(rng.integers(3, 5))
    actions = make_actions([
        {"code": "a", "cost_years": int(rng.integers(1, 3)),
         "water_years": int(rng.integers(0, 3)),
         "lag_years": int(rng.integers(0, 2)), "maturity_years": int(rng.integers(1, 4)),
         "capacity_km2_per_yr": float(rng.choice([np.nan, 2.5]))},
        {"code": "b", "cost_years": 1, "water_years": 2, "lag_years": 0, "maturity_years": 2,
         "survival": 0.8},
    ])
    rows = []
    for p in range(1, n_parcels + 1):
        for code in ("a", "b"):
            if code == "b" and rng.random() < 0.4:
                continue
            area = float(rng.choice([1.0, 2.0]))
            rows.append({"parcel_id": p, "action": code, "area_km2": area,
                         "zone": int(rng.integers(1, 3)),
                         "county": str(rng.choice(["c1", "c2"])),
                         "cost_wan": float(rng.integers(2, 9)),
                         "water_wan_m3_per_yr": float(rng.integers(-2, 6)),
                         "norm_sand": float(rng.uniform(0.05, 1.0)),
                         "norm_water": float(rng.uniform(0.0, 1.0))})
    options = make_options(rows)
    overrides = {
        "budget": {"default": float(rng.integers(6, 14)),
                   "carry_over": bool(rng.random() < 0.5)},
        "water": {"default": float(rng.integers(3, 9))},
        "weights": {"sand": 0.6, "water": 0.4},
    }
    if rng.random() < 0.4:
        overrides["targets"] = [{"name": "t", "measure": "count", "minimum": 1.0,
                                 "by_year": 2028, "action": "b"}]
    if rng.random() < 0.3:
        overrides["precedence"] = [{"before": "a", "after": "b", "scope": "region"}]
    if rng.random() < 0.3:
        first = rows[0]
        overrides["locked_in"] = [{"parcel_ids": [first["parcel_id"]],
                                   "action": first["action"]}]
    if rng.random() < 0.3:
        overrides["locked_out"] = [{"parcel_ids": [rows[-1]["parcel_id"]], "year": 2027}]
    return options, actions, make_scenario(**overrides)


@dataclass(frozen=True)
class Choice:
    """One parcel's action started in one year, and what it spends and uses in each year of
    the horizon and is worth, worked out once (pandas row look-ups inside the enumeration
    made the brute force most of these tests' time)."""

    parcel_id: int
    action: str
    county: str
    area_km2: float
    start: int
    spend: np.ndarray
    use: np.ndarray
    value: float
    projects: frozenset[str] = frozenset()  # plan projects it counts for (filed, work, umbrella)


def choices(row: pd.Series, act: pd.Series, scenario, weights) -> list[Choice]:
    """``row``'s option started in each year of the horizon."""
    years = scenario.horizon.years
    credit = 1.0 if row["water_wan_m3_per_yr"] > 0 else scenario.water.saving_credit
    annual = sum(weights[c] * row[f"norm_{c}"] for c in CRITERIA)
    found = []
    for start in years:
        spend, use = np.zeros(len(years)), np.zeros(len(years))
        for k in range(int(act["cost_years"])):  # after the horizon: held in its last year
            spend[years.index(min(start + k, years[-1]))] += row["cost_wan"] / act["cost_years"]
        for k in range(int(act["water_years"])):
            if start + k in years:
                use[years.index(start + k)] += credit * row["water_wan_m3_per_yr"]
        value = annual * float(cumulative_benefit(
            start, scenario.horizon.evaluation_year, act["lag_years"], act["maturity_years"],
            act["survival"], base_year=years[0]))
        projects = {str(row.get("project_id", "") or ""), str(row.get("work_id", "") or ""),
                    *str(row.get("umbrella_id", "") or "").split("|")} - {""}
        found.append(Choice(int(row["parcel_id"]), str(row["action"]), str(row["county"]),
                            float(row["area_km2"]), start, spend, use, value,
                            frozenset(projects)))
    return found


def brute_force(options: pd.DataFrame, actions: pd.DataFrame, scenario, weights) -> float | None:
    """Best objective over every assignment parcel → nothing | (action, year); None if none
    is feasible."""
    years = list(scenario.horizon.years)
    cat = actions.set_index("code")
    choices_by_parcel = []
    for _, group in options.groupby("parcel_id"):
        parcel = [None]
        for _, row in group.iterrows():
            parcel += choices(row, cat.loc[row["action"]], scenario, weights)
        choices_by_parcel.append(parcel)
    budget = scenario.budget.for_years(years)
    water = scenario.water.for_years(years)
    budget = np.array([budget[y] for y in years])
    water = np.array([water[y] for y in years])
    capacity = {code: act["capacity_km2_per_yr"] for code, act in cat.iterrows()
                if not np.isnan(act["capacity_km2_per_yr"])}
    best = None
    for combo in itertools.product(*choices_by_parcel):
        chosen = [c for c in combo if c is not None]
        spend, use, value = np.zeros(len(years)), np.zeros(len(years)), 0.0
        for choice in chosen:
            spend += choice.spend
            use += choice.use
            value += choice.value
        if not feasible(chosen, spend, use, budget, water, scenario, capacity):
            continue
        if best is None or value > best:
            best = value
    return best


def feasible(chosen: list[Choice], spend: np.ndarray, use: np.ndarray, budget: np.ndarray,
             water: np.ndarray, scenario, capacity: dict[str, float]) -> bool:
    """Whether ``chosen`` keeps every rule of ``scenario``; ``spend``, ``use``, ``budget``
    and ``water`` by year of the horizon, ``capacity`` km² a year by action."""
    years = list(scenario.horizon.years)
    tol = 1e-7
    if scenario.budget.carry_over:
        if (np.cumsum(spend) > np.cumsum(budget) + tol).any():
            return False
    elif (spend > budget + tol).any():
        return False
    if (use > water + tol).any():
        return False
    for county, limit in scenario.budget.per_county.items():
        spent = sum((c.spend for c in chosen if c.county == county), np.zeros(len(years)))
        own = limit.for_years(years)
        allowed = np.array([own[y] for y in years])
        if scenario.budget.county_carries(county):
            spent, allowed = np.cumsum(spent), np.cumsum(allowed)
        if (spent > allowed + tol).any():
            return False
    for target in scenario.targets:
        count = sum(1 for c in chosen if c.start <= target.by_year
                    and (target.action is None or c.action == target.action)
                    and (target.project is None or target.project in c.projects))
        if count < target.minimum:
            return False
    for rule in scenario.locked_in:
        if not any(c.parcel_id in rule.parcel_ids and c.action == rule.action
                   for c in chosen):
            return False
    for rule in scenario.locked_out:
        if any(c.parcel_id in rule.parcel_ids and c.start == rule.year for c in chosen):
            return False
    for rule in scenario.precedence:  # region scope
        firsts = [c.start for c in chosen if c.action == rule.before]
        for c in chosen:
            if c.action == rule.after and not any(f <= c.start - rule.lag_years
                                                  for f in firsts):
                return False
    for code, cap in capacity.items():
        for y in years:
            area = sum(c.area_km2 for c in chosen if c.action == code and c.start == y)
            if area > cap + tol:
                return False
    return True


def assert_highs_matches_brute_force(model, expected: float | None) -> None:
    """HiGHS at gap 0 on ``model``: infeasible where the brute force found no plan, else
    optimal at the brute force's optimum, with every row kept."""
    from optimizer.solvers import solve

    result = solve(model, "highs", gap=0.0)
    if expected is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    assert result.objective == pytest.approx(expected, rel=1e-6, abs=1e-9)
    assert model.violations(result.x) == []


@pytest.fixture(scope="session")
def kit():
    """The helpers above, for the tests (conftest modules are not importable)."""
    from types import SimpleNamespace

    return SimpleNamespace(random_instance=random_instance, brute_force=brute_force,
                           make_actions=make_actions, make_options=make_options,
                           make_scenario=make_scenario,
                           assert_highs_matches_brute_force=assert_highs_matches_brute_force)
