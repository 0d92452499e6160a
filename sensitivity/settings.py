"""The ``[sensitivity]`` table of a scenario file: ranges, sampling level, per-run solver limits.

Read beside the scenario rather than inside it, so this package needs no change to
``region.scenario``: :func:`load_with_settings` takes the table out of the raw TOML dict and
validates the rest as the usual :class:`~region.scenario.Scenario`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from region.errors import InputError, InputProblem
from region.scenario import Scenario, read_scenario_toml, scenario_from_dict


class SensitivitySettings(BaseModel):
    """How sensitivity runs sample the uncertain inputs and how hard each solve tries.

    Ranges are relative half-widths: 0.2 samples a multiplier in [0.8, 1.2]; a range of 0
    leaves that input out of the analysis."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: Literal["morris", "sobol", "oat", "montecarlo"] = "morris"
    samples: int = Field(10, ge=1, description="Morris trajectories, Sobol base samples (N) "
                                               "or Monte Carlo draws")
    morris_levels: int = Field(4, ge=2, description="grid levels of a Morris design")
    weight_range: float = Field(0.25, ge=0.0, lt=1.0)
    budget_range: float = Field(0.2, ge=0.0, lt=1.0)
    water_range: float = Field(0.2, ge=0.0, lt=1.0)
    cost_range: float = Field(0.2, ge=0.0, lt=1.0, description="unit costs ±")
    benefit_range: float = Field(0.2, ge=0.0, lt=1.0, description="benefit estimates ±")
    survival_range: float = Field(0.1, ge=0.0, lt=1.0)
    water_demand_range: float = Field(0.15, ge=0.0, lt=1.0)
    per: Literal["region", "action", "parcel"] = Field(
        "region", description="costs and benefits: one multiplier for the region, one per "
                              "action, or the region's times a seeded draw per parcel")
    dirichlet_concentration: float = Field(50.0, gt=0.0, description="Monte Carlo weights: "
                                           "Dirichlet around the scenario's weights")
    time_limit_s: float = Field(20.0, gt=0.0, description="per sample solve")
    gap: float = Field(0.01, ge=0.0, description="per sample solve")
    robust_share: float = Field(0.9, gt=0.0, le=1.0, description="robust core: chosen in at "
                                                                 "least this share of runs")


def settings_from_dict(table: dict, source: str = "<scenario>") -> SensitivitySettings:
    """Validate a ``[sensitivity]`` table; every problem named as ``sensitivity.<key>``."""
    try:
        return SensitivitySettings.model_validate(table)
    except ValidationError as err:
        raise InputError([
            InputProblem(source, e["msg"],
                         column=".".join(["sensitivity", *(str(p) for p in e["loc"])]),
                         value=e.get("input") if e["type"] != "missing" else None)
            for e in err.errors()]) from None


def load_with_settings(path: str | Path) -> tuple[Scenario, SensitivitySettings]:
    """The scenario of a TOML file and its ``[sensitivity]`` table (defaults if absent)."""
    raw = read_scenario_toml(path)
    table = raw.pop("sensitivity", {})
    if not isinstance(table, dict):
        raise InputError([InputProblem(str(path), "must be a table", column="sensitivity",
                                       value=table)])
    return scenario_from_dict(raw, source=str(path)), settings_from_dict(table, str(path))
