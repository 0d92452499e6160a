"""What a scenario's plan must do and in which order: targets (an area or count of works by
a year), works locked in or out, and precedence between actions; the ``targets``,
``locked_in``, ``locked_out`` and ``precedence`` tables of :class:`region.scenario.Scenario`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from region.references import (
    ActionCode,
    CountyCode,
    LandCover,
    ParcelId,
    ProjectId,
    Year,
    ZoneCode,
)
from region.strict_model import StrictModel


class Target(StrictModel):
    """At least ``minimum`` area (km²) or count of options started by ``by_year``.

    Filters (zone, county, action, land_cover, project) select the options that count
    towards it.
    """

    name: str
    """names the target in messages and lists"""
    measure: Literal["area_km2", "count"] = "area_km2"
    """what is counted: area (km²) or number of options"""
    minimum: float = Field(ge=0.0)
    """at least this much"""
    by_year: Year
    """started by the end of this year"""
    zone: ZoneCode | None = None
    """count only options in this zone"""
    county: CountyCode | None = None
    """count only options in this county"""
    action: ActionCode | None = None
    """count only options of this action (its code, or its Chinese name: 封育)"""
    land_cover: LandCover | None = None
    """count only options on this land cover"""
    project: ProjectId | None = None
    """count only options filed under this plan project (projects.csv; a work with projects
    below it, e.g. W1, counts the works of its projects, plan l.96, l.98-100; an umbrella
    work the works it covers)"""


class OptionRule(StrictModel):
    """Selects options by parcel ids and/or zone, county, action; ``year`` pins the start."""

    parcel_ids: list[ParcelId] | None = None
    """the parcels it applies to (all when not given)"""
    zone: ZoneCode | None = None
    """only options in this zone"""
    county: CountyCode | None = None
    """only options in this county"""
    action: ActionCode | None = None
    """only options of this action (its code, or its Chinese name)"""
    year: Year | None = None
    """only options starting in this year (locked_in: the start is pinned to it)"""
    reason: str = ""
    """why, shown in the lists"""


class Precedence(StrictModel):
    """Action ``after`` may start in a scope only once ``before`` has started there.

    ``lag_years`` years must pass between them; scope ``parcel`` ties them on one parcel,
    ``zone``/``county`` within the same zone or county, ``region`` anywhere.
    """

    before: ActionCode
    """the action that must start first (its code, or its Chinese name)"""
    after: ActionCode
    """the action that may start only after it (its code, or its Chinese name)"""
    scope: Literal["parcel", "zone", "county", "region"] = "zone"
    """where they are tied: the same parcel, zone, county, or anywhere"""
    lag_years: int = Field(0, ge=0)
    """years that must pass between the two starts"""
