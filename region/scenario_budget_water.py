"""A scenario's money and water: the limits per year of the budget and of water for new
ecological use (city-wide or per county, Aydingkol lake as an item of its county's water
account), and where an action's money comes from (资金来源). Read into the ``budget``,
``water`` and ``funding`` tables of :class:`region.scenario.Scenario`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, model_validator

from region.references import CountyCode, Year
from region.strict_model import StrictModel

NonNegative = Annotated[float, Field(ge=0.0)]
#: A year of the horizon as a table key (``[budget.per_year]`` 2027 = …): keys are text.
YearKey = Annotated[Year, Strict(False)]


class YearlyLimit(StrictModel):
    """A limit per calendar year: ``default`` for every year, ``per_year`` overriding some."""

    default: float | None = Field(None, ge=0.0)
    """the limit of every year not in per_year"""
    per_year: dict[YearKey, NonNegative] = Field(default_factory=dict)
    """the limit of single years, overriding default"""

    def for_years(self, years: list[int]) -> dict[int, float]:
        """The limit of each year; raises ValueError naming the years with no value."""
        missing = [y for y in years if y not in self.per_year and self.default is None]
        if missing:
            raise ValueError(f"no limit for years {missing}: give 'default' or 'per_year'")
        return {y: float(self.per_year.get(y, self.default)) for y in years}


class CountyBudget(YearlyLimit):
    """A county's own money for restoration works, 万元 per year (each county applies for
    its own funds). The plan sets no money per county: a scenario's estimate."""

    carry_over: bool | None = Field(None, description="the county's unspent money may be "
                                    "spent in its later years; not given: as the city's "
                                    "budget.carry_over")


class Budget(YearlyLimit):
    """Money for restoration works, 万元 per year.

    ``default``/``per_year`` is the city's whole budget; ``per_county`` adds a limit on
    what each county named there may spend (the city's limit still holds over all of them;
    a county not named is limited by the city's alone)."""

    carry_over: bool = Field(False, description="unspent money may be spent in later years")
    total: float | None = Field(None, ge=0.0, description="cap over the whole horizon, 万元")
    per_county: dict[CountyCode, CountyBudget] = Field(
        default_factory=dict, description="a county's own money, 万元 per year")

    def county_carries(self, county: str) -> bool:
        """Whether ``county``'s unspent money carries into its later years."""
        own = self.per_county[county].carry_over
        return self.carry_over if own is None else own


class Aydingkol(StrictModel):
    """Ecological water delivered to Aydingkol lake: an item of its county's water account
    (docs/water.md). The lake's own source (today the replenishment channels, plan line 14)
    adds to the county's water, the delivery target takes from it, so a target above the
    source competes with restoration for the county's water."""

    county: str = Field(description="county code of the lake (高昌区 650402 for Turpan)")
    source_wan_m3: float = Field(0.0, ge=0.0, description="water allocated to the lake, 万m³/yr")
    target_wan_m3: float = Field(0.0, ge=0.0, description="delivery to keep the lake, 万m³/yr")
    basis: str = Field("", description="where the two figures come from, grade first "
                       "('情景估算 scenario estimate: …'); printed beside the delivery in the "
                       "outputs (empty: said to be unsourced)")


class Water(YearlyLimit):
    """Water for NEW ecological use, 万m³ per year (docs/water.md).

    ``default``/``per_year`` is a city-wide allocation, ``per_county`` one per county (the
    用水总量控制 quota's ecological share); with ``per_county`` every county is its own
    account and a county missing from it has no allocation. Water freed by water-saving
    irrigation counts ``saving_credit`` (0-1) towards new use in its own county (or anywhere
    in the city with ``saving_scope = "city"``); the rest is 压采, reduced groundwater
    over-draft, and is reported as such.
    """

    per_county: dict[CountyCode, YearlyLimit] = Field(default_factory=dict)
    """one water account per county (docs/water.md); a county left out has none"""
    total: float | None = Field(None, ge=0.0, description="cap over the whole horizon, 万m³")
    saving_credit: float = Field(0.5, ge=0.0, le=1.0, description="share of saved water that "
                                 "new restoration may use; the rest relieves groundwater")
    saving_scope: Literal["county", "city"] = Field(
        "county", description="where credited savings may be used")
    aydingkol: Aydingkol | None = None
    """the lake's water as an item of its county's account"""

    @model_validator(mode="after")
    def _some_allocation(self) -> Water:
        if self.default is None and not self.per_year and not self.per_county:
            raise ValueError("give the water for new ecological use: 'default' or 'per_year' "
                             "(city-wide) or 'per_county'")
        return self

    @property
    def city_wide(self) -> bool:
        """True when a city-wide allocation is given (a city account or cap)."""
        return self.default is not None or bool(self.per_year)


class Funding(StrictModel):
    """Where an action's money comes from (资金来源): shares of its cost by level, summing
    to 1, the usual funding channel, and the source of the shares (or "estimate")."""

    central: float = Field(0.0, ge=0.0, le=1.0, description="中央财政 central government")
    autonomous_region: float = Field(0.0, ge=0.0, le=1.0, description="自治区财政")
    city_county: float = Field(0.0, ge=0.0, le=1.0, description="市县财政 city and county")
    social: float = Field(0.0, ge=0.0, le=1.0, description="社会资本 private and other")
    channel: str = ""
    """the usual funding channel, in words"""
    source: str = "estimate"
    """where the shares come from, or 'estimate'"""

    @model_validator(mode="after")
    def _whole(self) -> Funding:
        total = self.central + self.autonomous_region + self.city_county + self.social
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"funding shares add up to {total:g}, expected 1")
        return self
