"""Command-line overrides of a scenario, applied to its raw TOML dict before validation.

Kept apart from the CLI so that sweeps and sensitivity runs apply exactly the same rules,
and so every override can be recorded in the run manifest as given.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from region.scenario import Scenario, Water, read_scenario_toml, scenario_from_dict
from region.schema import CRITERIA

CRITERION_ALIASES = {"biodiversity": "bio", "sand_control": "sand", "carbon_sink": "carbon"}


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


def _scale_limit(limit: dict, factor: float) -> None:
    if limit.get("default") is not None:
        limit["default"] = limit["default"] * factor
    limit["per_year"] = {y: v * factor for y, v in limit.get("per_year", {}).items()}
    if limit.get("total") is not None:
        limit["total"] = limit["total"] * factor


def apply_overrides(raw: dict, overrides: Overrides) -> dict:
    """A copy of the raw scenario dict with the overrides applied (not yet validated)."""
    out = copy.deepcopy(raw)
    if overrides.horizon is not None:
        horizon = out.setdefault("horizon", {})
        horizon["start"], horizon["end"] = overrides.horizon
    budget = out.setdefault("budget", {})
    if overrides.budget_scale is not None:
        _scale_limit(budget, overrides.budget_scale)
    if overrides.budget:  # explicit years win over the scale: they are what the user typed
        budget["per_year"] = {**budget.get("per_year", {}),
                              **{str(y): v for y, v in overrides.budget.items()}}
    if overrides.water_scale is not None:
        # The water for NEW ecological use: allocations and the credited share of savings
        # (docs/water.md); the lake's source and target stay the scenario's choice.
        water = out.setdefault("water", {})
        _scale_limit(water, overrides.water_scale)
        for county_limit in water.get("per_county", {}).values():
            _scale_limit(county_limit, overrides.water_scale)
        credit = water.get("saving_credit", Water.model_fields["saving_credit"].default)
        water["saving_credit"] = min(1.0, credit * overrides.water_scale)
    if overrides.weights:
        out["weights"] = dict(overrides.weights)
    solver = out.setdefault("solver", {})
    for key, value in (("name", overrides.solver), ("time_limit_s", overrides.time_limit_s),
                       ("gap", overrides.gap)):
        if value is not None:
            solver[key] = value
    return out


def load_scenario_with_overrides(path: str | Path, overrides: Overrides) -> Scenario:
    """Read a scenario TOML, apply the overrides, validate; every problem in one InputError."""
    raw = read_scenario_toml(path)
    return scenario_from_dict(apply_overrides(raw, overrides), source=str(path))


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
    """Parse ``sand=0.4,water=0.3,bio=0.2,mine=0.1`` into a weights dict."""
    weights: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        key = CRITERION_ALIASES.get(name.strip(), name.strip())
        if not sep or key not in CRITERIA:
            raise ValueError(f"--weights: expected NAME=VALUE with NAME in {list(CRITERIA)}, "
                             f"got {item!r}")
        try:
            weights[key] = float(value)
        except ValueError:
            raise ValueError(f"--weights: {item!r} is not a number") from None
    return weights


def parse_horizon(text: str) -> tuple[int, int]:
    """Parse ``2027-2035`` into (2027, 2035)."""
    start, sep, end = text.partition("-")
    try:
        if not sep:
            raise ValueError
        return int(start), int(end)
    except ValueError:
        raise ValueError(f"--horizon: expected START-END like 2027-2035, got {text!r}") from None
