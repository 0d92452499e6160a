"""Command-line overrides of a scenario, applied to its raw TOML dict before validation.

Kept apart from the CLI so that sweeps and sensitivity runs apply exactly the same rules,
and so every override can be recorded in the run manifest as given.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from region.criterion_names import criterion_key, did_you_mean
from region.errors import COMMAND_LINE, InputError, InputProblem
from region.scenario import Scenario
from region.scenario_budget_water import Water, YearlyLimit
from region.scenario_messages import gap_problem
from region.scenario_problems import ScenarioError, scenario_from_dict
from region.scenario_toml import read_scenario_toml
from region.schema import CRITERIA
from region.validate import MAX_MAGNITUDE

T = TypeVar("T")


@dataclass(frozen=True)
class Overrides:
    """Changes to a scenario asked for on the command line (None = keep the file's value)."""

    budget: dict[int, float] = field(default_factory=dict)
    budget_scale: float | None = None
    water_scale: float | None = None
    weights: dict[str, float] = field(default_factory=dict)
    horizon: tuple[int, int] | None = None
    solver: str | None = None
    time_limit_s: float | None = None
    gap: float | None = None
    #: what was wrong on the command line (those options are left out above)
    problems: tuple[InputProblem, ...] = ()

    def as_record(self) -> dict:
        """The overrides that were given, for the manifest."""
        record = {
            "budget": {str(y): v for y, v in self.budget.items()},
            "budget_scale": self.budget_scale,
            "water_scale": self.water_scale,
            "weights": self.weights,
            "horizon": list(self.horizon) if self.horizon else None,
            "solver": self.solver,
            "time_limit_s": self.time_limit_s,
            "gap": self.gap,
        }
        return {k: v for k, v in record.items() if v not in (None, {}, [])}


def _scaled(value: object, factor: float) -> object:
    """``value`` × ``factor``; what is not a number is left as typed, for the scenario's
    validation to report with its key (with every other problem, not as a crash)."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return value * factor if is_number else value


def _tables(value: object) -> list[dict]:
    """The tables of a table of tables (``per_county``); none when it is not one."""
    return [v for v in value.values() if isinstance(v, dict)] if isinstance(value, dict) \
        else []


def _scale_limit(limit: object, factor: float) -> None:
    if not isinstance(limit, dict):
        return
    for key in ("default", "total"):
        if key in limit:
            limit[key] = _scaled(limit[key], factor)
    per_year = limit.get("per_year", {})
    if isinstance(per_year, dict):
        limit["per_year"] = {y: _scaled(v, factor) for y, v in per_year.items()}


def apply_overrides(raw: dict, overrides: Overrides) -> dict:
    """A copy of the raw scenario dict with the overrides applied (not yet validated)."""
    out = copy.deepcopy(raw)
    if overrides.horizon is not None:
        horizon = out.setdefault("horizon", {})
        horizon["start"], horizon["end"] = overrides.horizon
    budget = out.setdefault("budget", {})
    if overrides.budget_scale is not None:  # the city's money and each county's own
        _scale_limit(budget, overrides.budget_scale)
        for county_limit in _tables(budget.get("per_county", {})
                                    if isinstance(budget, dict) else {}):
            _scale_limit(county_limit, overrides.budget_scale)
    if overrides.budget and isinstance(budget, dict) \
            and isinstance(budget.get("per_year", {}), dict):
        # explicit years win over the scale: they are what the user typed
        budget["per_year"] = {**budget.get("per_year", {}),
                              **{str(y): v for y, v in overrides.budget.items()}}
    if overrides.water_scale is not None:
        # The water for NEW ecological use: allocations and the credited share of savings
        # (docs/water.md); the lake's source and target stay the scenario's choice. Both
        # move together, so a water sweep's marginal (analysis/sweep.py) is the gain of more
        # allocation AND more credit, divided by the allocation's step alone.
        water = out.setdefault("water", {})
        _scale_limit(water, overrides.water_scale)
        if isinstance(water, dict):
            for county_limit in _tables(water.get("per_county", {})):
                _scale_limit(county_limit, overrides.water_scale)
            credit = _scaled(water.get("saving_credit",
                                       Water.model_fields["saving_credit"].default),
                             overrides.water_scale)
            water["saving_credit"] = min(1.0, credit) if isinstance(credit, float) else credit
    if overrides.weights:
        out["weights"] = dict(overrides.weights)
    solver = out.setdefault("solver", {})
    for key, value in (("name", overrides.solver), ("time_limit_s", overrides.time_limit_s),
                       ("gap", overrides.gap)):
        if value is not None:
            solver[key] = value
    return out


def load_scenario_with_overrides(path: str | Path, overrides: Overrides) -> Scenario:
    """Read a scenario TOML, apply the overrides, validate; every problem (the command
    line's and the file's) in one InputError."""
    problems = list(overrides.problems)
    try:
        scenario = scenario_with_overrides(path, overrides)
    except InputError as err:
        problems += err.problems
    if problems:
        raise InputError(problems)
    return scenario


def scenario_with_overrides(path: str | Path, overrides: Overrides,
                            action_names: Mapping[str, str] | None = None) -> Scenario:
    """The scenario with the overrides that were valid applied; raises InputError for the
    scenario's own problems only (the command line's are in ``overrides.problems``); a
    problem in a key an option set is the option's (:func:`blamed_on_options`). Actions
    named by their Chinese names are read as the codes ``action_names`` (the catalogue's,
    region/action_names.py) gives them."""
    raw = read_scenario_toml(path)
    try:
        return scenario_from_dict(apply_overrides(raw, overrides), source=str(path),
                                  action_names=action_names)
    except ScenarioError as err:
        raise ScenarioError(blamed_on_options(err.problems, overrides), err.partial,
                            err.unchecked) from None


def blamed_on_options(problems: list[InputProblem], overrides: Overrides
                      ) -> list[InputProblem]:
    """The problems, those in a scenario key an option set (``budget.per_year.2036`` from
    ``--budget 2036=8000``, ``horizon`` from ``--horizon``, …) moved to that option: the
    planner typed them on the command line, not in the file."""
    def option_of(key: list[str]) -> tuple[str, object] | None:
        if overrides.horizon is not None and key[0] == "horizon":
            return "--horizon", "-".join(map(str, overrides.horizon))
        if key[:2] == ["budget", "per_year"] and len(key) > 2 and key[2].isdigit() \
                and int(key[2]) in overrides.budget:
            return "--budget", f"{key[2]}={overrides.budget[int(key[2])]:g}"
        if overrides.weights and key[0] == "weights":
            return "--weights", None
        options = {"gap": "--gap", "time_limit_s": "--time-limit", "name": "--solver"}
        if key[0] == "solver" and len(key) > 1 and key[1] in options \
                and getattr(overrides, "solver" if key[1] == "name" else key[1]) is not None:
            return options[key[1]], None
        return None

    blamed = []
    for problem in problems:
        option = option_of(problem.column.split(".")) if problem.column else None
        if option is None:
            blamed.append(problem)
            continue
        message = problem.message.replace("widen [horizon]", "widen --horizon (or the "
                                          "scenario's [horizon])")
        blamed.append(InputProblem(COMMAND_LINE, message, column=option[0],
                                   value=option[1] if option[1] is not None else problem.value))
    return blamed


def keep_past_years(raw: dict, before: Scenario, year: int, overrides: Overrides) -> dict:
    """A re-plan's scales are what-ifs of the years ahead: the city's and each county's
    money (with --budget-scale) and water (with --water-scale) of the years before ``year``
    are set back to ``before``'s, the previous plan's (a past year's money scaled by 0.05
    was read as a 1,760 % overspend and carried nothing on). A past year typed with
    --budget keeps the figure typed; actuals win over all of these as always."""
    past = list(range(before.horizon.start, year))
    if not past or (overrides.budget_scale is None and overrides.water_scale is None):
        return raw
    out = copy.deepcopy(raw)

    def pin(table: dict, limit: YearlyLimit, skip: frozenset[int] = frozenset()) -> None:
        try:
            figures = limit.for_years(past)
        except ValueError:  # no figure for those years: nothing was scaled there
            return
        per_year = table.setdefault("per_year", {})
        per_year.update({str(y): v for y, v in figures.items() if y not in skip})

    if overrides.budget_scale is not None:
        budget = out.setdefault("budget", {})
        pin(budget, before.budget, frozenset(overrides.budget))
        for code, limit in before.budget.per_county.items():
            pin(budget.setdefault("per_county", {}).setdefault(code, {}), limit)
    if overrides.water_scale is not None:
        water = out.setdefault("water", {})
        pin(water, before.water)
        for code, limit in before.water.per_county.items():
            pin(water.setdefault("per_county", {}).setdefault(code, {}), limit)
    return out


def parse_overrides(budget: str | None = None, budget_scale: float | None = None,
                    water_scale: float | None = None, weights: str | None = None,
                    horizon: str | None = None, solver: str | None = None,
                    time_limit_s: float | None = None, gap: float | None = None) -> Overrides:
    """The command line's overrides, parsed and checked (finite, in range); what is wrong
    is kept in ``problems`` and left out, so the scenario is still checked for the rest."""
    problems: list[InputProblem] = []

    def parsed(text: str | None, parser: Callable[[str], T], option: str) -> T | None:
        if text is None:
            return None
        try:
            return parser(text)
        except ValueError as err:
            problems.append(InputProblem(COMMAND_LINE, str(err).removeprefix(f"{option}: "),
                                         column=option))
            return None

    def number(value: float | None, option: str, positive: bool = False) -> float | None:
        if value is None:
            return None
        problem = _number_problem(value, positive)
        if problem:
            problems.append(InputProblem(COMMAND_LINE, problem, column=option, value=value))
            return None
        return value

    def fraction(value: float | None, option: str) -> float | None:
        problem = None if value is None else gap_problem(value)
        if problem:
            problems.append(InputProblem(COMMAND_LINE, problem, column=option, value=value))
            return None
        return value

    years = parsed(budget, lambda t: parse_year_values(t, "--budget"), "--budget") or {}
    bad_years = {y: v for y, v in years.items() if _number_problem(v)}
    problems += [InputProblem(COMMAND_LINE, f"{y}: {_number_problem(v)}", column="--budget",
                              value=v) for y, v in bad_years.items()]
    criteria = parsed(weights, parse_weights, "--weights") or {}
    bad_weights = {c: v for c, v in criteria.items() if _number_problem(v)}
    problems += [InputProblem(COMMAND_LINE, f"{c}: {_number_problem(v)}", column="--weights",
                              value=v) for c, v in bad_weights.items()]
    return Overrides(
        budget={} if bad_years else years,
        budget_scale=number(budget_scale, "--budget-scale"),
        water_scale=number(water_scale, "--water-scale"),
        weights={} if bad_weights else criteria,
        horizon=parsed(horizon, parse_horizon, "--horizon"),
        solver=solver, time_limit_s=number(time_limit_s, "--time-limit", positive=True),
        gap=fraction(gap, "--gap"), problems=tuple(problems))


def _number_problem(value: float, positive: bool = False) -> str | None:
    """What is wrong with a number given on the command line (None when nothing)."""
    if not math.isfinite(value):
        return "expected a finite number"
    if positive and value <= 0:
        return "must be > 0"
    if value < 0:
        return "must be ≥ 0"
    if value > MAX_MAGNITUDE:
        return "implausibly large: check the unit"
    return None


def parse_year_values(text: str, option: str) -> dict[int, float]:
    """Parse ``2027=8000,2028=9000`` into {2027: 8000.0, 2028: 9000.0}."""
    values: dict[int, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        year, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            values[int(year)] = float(value)
        except ValueError:
            raise ValueError(f"{option}: expected YEAR=VALUE pairs like 2027=8000, "
                             f"got {item!r}") from None
    return values


def parse_weights(text: str) -> dict[str, float]:
    """Parse ``sand=0.4,water=0.3,bio=0.2,mine=0.1`` into a weights dict. Typed with a
    Chinese input method too: the criteria's names as region/criterion_names.py reads them
    (防风固沙=0.4, SAND=0.4), full-width or enumeration commas (，、) and equals signs (＝),
    and shares in per cent (40%)."""
    weights: dict[str, float] = {}
    spelled: dict[str, str] = {}  # criterion -> the name it was first given under
    for item in filter(None, (part.strip() for part in re.split(r"[,，、]", text))):
        name, sep, value = item.replace("＝", "=").partition("=")
        key = criterion_key(name)
        if not sep or key is None:
            hint = did_you_mean(name) if sep else ""
            raise ValueError(f"--weights: expected NAME=VALUE with NAME in {list(CRITERIA)} "
                             f"(or 防风固沙, 水源涵养, 生物多样性, 矿山修复, 固碳), got "
                             f"{item!r}{hint}")
        if key in spelled:  # keeping either value silently would hide a typo
            names = (f"'{spelled[key]}' and '{name.strip()}' both name" if
                     spelled[key] != name.strip() else f"'{name.strip()}' is given twice for")
            raise ValueError(f"--weights: {names} the criterion '{key}': give it once")
        spelled[key] = name.strip()
        number = value.strip()
        try:
            weights[key] = float(number[:-1]) / 100 if number.endswith(("%", "％")) \
                else float(number)
        except ValueError:
            raise ValueError(f"--weights: {item!r} is not a number") from None
    return weights


def parse_horizon(text: str) -> tuple[int, int]:
    """Parse ``2027-2035`` into (2027, 2035)."""
    start, sep, end = text.partition("-")
    try:
        if not sep:
            raise ValueError
        first, last = int(start), int(end)
    except ValueError:
        raise ValueError(f"--horizon: expected START-END like 2027-2035, got {text!r}") from None
    if first > last:
        raise ValueError(f"--horizon: the start year {first} comes after the end year {last}: "
                         f"expected START-END like {last}-{first}")
    return first, last
