"""A scenario: the question a planner asks — horizon, money, water, weights, targets, rules.

The pydantic model of a scenario file: unknown keys are errors and numbers must be finite
(and below :data:`MAX_MAGNITUDE`: region/strict_model.py). Its tables' models live by job:
money and water (region/scenario_budget_water.py), what the plan maximises
(region/scenario_objective.py), what it must do (region/scenario_requirements.py), what may
go inside layers (region/scenario_spatial_rules.py) and how runs are computed
(region/scenario_run_settings.py). A field that names a code of the region (an action, a
county, a zone, a year of the horizon, a project, a parcel) is typed with one of
region/references.py's annotated types, so that the codes are checked against the region.
The file is read by region/scenario_toml.py and validated, every problem in one round, by
region/scenario_problems.py. The rules across tables (money and water for every year of the
horizon, county shares adding up to at most 1: :func:`rule_problems`) live here beside the
model whose validator runs them, unless the caller defers them (:data:`DEFER_RULES`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, model_validator

from region.cycle import Stability, YearActuals
from region.errors import holds_stand_in
from region.references import ActionName, CountyCode
from region.scenario_budget_water import Budget, Funding, Water, YearlyLimit
from region.scenario_objective import Corridors, Weights
from region.scenario_requirements import OptionRule, Precedence, Target
from region.scenario_run_settings import SensitivitySettings, SolverSettings
from region.scenario_spatial_rules import PLAN_SPATIAL_RULES, SpatialRule
from region.strict_model import IntKey, StrictModel
from region.validate import MONEY_UNIT, WATER_UNIT, implausibly_large

#: A scenario's name names its result folder (results/<name>/): letters of any script,
#: digits, '_', '-' and '.', starting with a letter or digit, at most MAX_NAME characters.
MAX_NAME = 80
SAFE_NAME = rf"^[^\W_][\w.-]{{0,{MAX_NAME - 1}}}$"


#: Validation context key: leave the rules across tables (:func:`rule_problems`) to the
#: caller, which reports each with its key path (region/scenario_problems.py).
DEFER_RULES = "defer_rules"


class Horizon(StrictModel):
    """Years that can be scheduled, and how benefits are counted after them."""

    start: int = 2027
    """first year a work may start"""
    end: int = 2035
    """last year a work may start"""
    evaluation_year: int = Field(2050, description="benefits are summed up to this year")
    discount_rate: float = Field(0.0, ge=0.0, lt=1.0)
    """yearly discount of later benefits (0: none)"""
    #: The plan's period ends in 2035 (规划期为2021-2035年: plan line 5 of
    #: /work/shared/plan/turpan-ecological-restoration-plan-2021-2035.zh.txt, and its title,
    #: line 3); the priority lists mark the years of a work paid after it (outputs/library.py).
    plan_period_end: int = Field(2035, description="last year of the plan's period; works "
                                                   "paid after it are marked in the lists")

    @model_validator(mode="after")
    def _ordered(self) -> Horizon:
        if not self.start <= self.end <= self.evaluation_year:
            raise ValueError(
                f"need start <= end <= evaluation_year, got {self.start}, {self.end}, "
                f"{self.evaluation_year}"
            )
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))


class Scenario(StrictModel):
    """Everything a run needs besides the region data."""

    name: str = Field(pattern=SAFE_NAME, description="names results/<name>/")
    description: str = ""
    """what question the scenario answers, in words"""
    seed: int = 0
    """seed of every random choice: same inputs and seed, same plan"""
    horizon: Horizon = Horizon()
    budget: Budget
    water: Water
    weights: Weights
    targets: list[Target] = Field(default_factory=list)
    """minimum areas or counts of works by a year"""
    locked_in: list[OptionRule] = Field(default_factory=list)
    """works that must be done"""
    locked_out: list[OptionRule] = Field(default_factory=list)
    """works that must not be done"""
    precedence: list[Precedence] = Field(default_factory=list)
    """an action only after another has started"""
    spatial_rules: list[SpatialRule] = Field(default_factory=lambda: list(PLAN_SPATIAL_RULES))
    """what may go inside layers (red lines, reserves); given: they replace the plan's default
    rules"""
    county_min_share: dict[CountyCode, Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        default_factory=dict, description="minimum share of total spend per county (0-1)"
    )
    corridors: Corridors = Corridors()
    funding: dict[ActionName, Funding] = Field(
        default_factory=dict, description="per action code (or its Chinese name), or "
                                          "'default' for the others")
    solver: SolverSettings = SolverSettings()
    sensitivity: SensitivitySettings = SensitivitySettings()
    actuals: dict[IntKey, YearActuals] = Field(
        default_factory=dict, description="what past years actually had (re-plans)")
    replan: Stability = Stability()

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo) -> Scenario:
        """The rules across tables (:func:`rule_problems`); region/scenario_problems.py
        defers them to report each with its key path."""
        if info.context and info.context.get(DEFER_RULES):
            return self
        problems = rule_problems(self)
        if problems:
            raise ValueError("; ".join(f"{key}: {message}" for key, message, _ in problems))
        return self


def horizon_budget_wan(scenario: Scenario) -> float:
    """The money of the whole horizon, 万元: the yearly budgets summed, capped by the total."""
    yearly = sum(scenario.budget.for_years(scenario.horizon.years).values())
    total = scenario.budget.total
    return float(min(yearly, total) if total is not None else yearly)


def horizon_water_wan_m3(scenario: Scenario) -> float:
    """The water of the whole horizon, 万m³: the yearly allocations summed (city-wide, else
    every county's account), capped by the total, plus the lake's own source each year (it
    adds to its county's water, region/scenario_budget_water.py :class:`Aydingkol`). Water
    credited from savings is left out: it depends on the plan. Raises ValueError when the
    allocations do not cover the horizon (said by their own rule)."""
    water, years = scenario.water, scenario.horizon.years
    limits = [water] if water.city_wide else list(water.per_county.values())
    yearly = sum(sum(limit.for_years(years).values()) for limit in limits)
    capped = min(yearly, water.total) if water.total is not None else yearly
    lake = water.aydingkol.source_wan_m3 * len(years) if water.aydingkol else 0.0
    return float(capped + lake)


def rule_problems(scenario: Scenario, unchecked: frozenset[str] = frozenset()
                  ) -> list[tuple[str, str, object]]:
    """(key path, message, value found) of every rule across tables the scenario breaks:
    money and water for every year of the horizon, county shares adding up to at most 1.
    A rule that reads a key of ``unchecked`` (one with problems of its own, left to its
    default or a stand-in) is not judged: it would judge the stand-in."""
    problems: list[tuple[str, str, object]] = []
    years = scenario.horizon.years
    judged = not holds_stand_in("horizon", unchecked)

    def cover(key: str, limit: YearlyLimit) -> None:
        """The limit at ``key`` gives every year a value (its default or its per_year)."""
        if not judged or any(holds_stand_in(f"{key}.{part}", unchecked)
                             for part in ("default", "per_year")):
            return
        try:
            limit.for_years(years)
        except ValueError as err:
            problems.append((key, str(err), None))

    cover("budget", scenario.budget)
    for county, limit in scenario.budget.per_county.items():
        cover(f"budget.per_county.{county}", limit)
    if scenario.water.city_wide:
        cover("water", scenario.water)
    for county, limit in scenario.water.per_county.items():
        cover(f"water.per_county.{county}", limit)
    if judged and not holds_stand_in("actuals", unchecked):
        problems += implausible_actuals(scenario, unchecked)
    if not holds_stand_in("county_min_share", unchecked):
        total = sum(scenario.county_min_share.values())
        if total > 1.0 + 1e-9:
            problems.append(("county_min_share", f"the shares add up to {total:g}, more than "
                             "1 (a share is of the whole spend)", None))
    return problems


def implausible_actuals(scenario: Scenario, unchecked: frozenset[str] = frozenset()
                        ) -> list[tuple[str, str, object]]:
    """(key path, message, value) of each past year's money in ``[actuals.<year>]`` beyond
    the scenario's money for its whole horizon (元 typed where 万元 are asked), and of its
    water beyond the scenario's water for its whole horizon (m³ typed where 万m³ are
    asked), as actuals.csv is checked (region/progress.py :func:`implausible_figures`).
    A yardstick whose table is ``unchecked`` (a stand-in), or whose limits do not cover
    the horizon (said by their own rule), judges nothing."""
    problems = []
    for table, keys, yardstick, unit in (
            ("budget", {"budget_wan", "spend_wan"}, horizon_budget_wan, MONEY_UNIT),
            ("water", {"water_wan_m3"}, horizon_water_wan_m3, WATER_UNIT)):
        if holds_stand_in(table, unchecked):
            continue
        try:
            limit = yardstick(scenario)
        except ValueError:
            continue
        problems += [(f"actuals.{year}.{key}", implausibly_large(
                         f"more than the scenario's {unit.what} for its whole horizon, "
                         f"{limit:,.0f} {unit.name}", unit.explained), value)
                     for year, actual in scenario.actuals.items()
                     for key, value in actual.model_dump(include=keys).items()
                     if value is not None and value > limit]
    return problems
