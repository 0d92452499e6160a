"""A scenario: the question a planner asks — horizon, money, water, weights, targets, rules.

The pydantic models of a scenario file's tables: unknown keys are errors and numbers must be
finite (and below :data:`MAX_MAGNITUDE`: region/strict_model.py). A field that names a code
of the region (an action, a county, a zone, a year of the horizon, a project, a parcel) is
typed with one of region/references.py's annotated types, so that the codes are checked
against the region. The file is read by region/scenario_toml.py and validated, every problem
in one round, by region/scenario_problems.py. The rules across tables (money and water for
every year of the horizon, county shares adding up to at most 1: :func:`rule_problems`) are
checked when a scenario is validated, unless the caller defers them (:data:`DEFER_RULES`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict, ValidationInfo, model_validator

from region.cycle import Stability, YearActuals
from region.errors import holds_stand_in
from region.references import (
    ActionCode,
    CountyCode,
    LandCover,
    ParcelId,
    ProjectId,
    Year,
    ZoneCode,
)
from region.schema import CRITERIA
from region.strict_model import IntKey, StrictModel

#: A scenario's name names its result folder (results/<name>/): letters of any script,
#: digits, '_', '-' and '.', starting with a letter or digit, at most 80 characters.
SAFE_NAME = r"^[^\W_][\w.-]{0,79}$"

NonNegative = Annotated[float, Field(ge=0.0)]
#: A year of the horizon as a table key (``[budget.per_year]`` 2027 = …): keys are text.
YearKey = Annotated[Year, Strict(False)]


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


class AHPJudgements(StrictModel):
    """Saaty pairwise comparisons: matrix[i][j] = how much more important criteria[i] is."""

    criteria: list[str]
    """the criteria compared (sand, water, bio, mine, carbon)"""
    matrix: list[list[float]]
    """pairwise judgements, one row per criterion, reciprocal"""


class Weights(StrictModel):
    """Criterion weights: direct values, or derived by AHP from pairwise judgements."""

    sand: float | None = Field(None, ge=0.0)
    """weight of sand control (防风固沙); left out: 0"""
    water: float | None = Field(None, ge=0.0)
    """weight of water conservation (水源涵养); left out: 0"""
    bio: float | None = Field(None, ge=0.0)
    """weight of biodiversity (生物多样性); left out: 0"""
    mine: float | None = Field(None, ge=0.0)
    """weight of mine remediation (矿山修复); left out: 0"""
    carbon: float | None = Field(None, ge=0.0)
    """weight of carbon sink (碳汇); left out: 0"""
    ahp: AHPJudgements | None = None
    """derive the weights by AHP instead of giving them"""

    @model_validator(mode="after")
    def _one_way(self) -> Weights:
        direct = self.direct()
        if self.ahp is not None and any(v > 0 for v in direct.values()):
            raise ValueError("give either direct weights or [weights.ahp], not both")
        if self.ahp is None and sum(direct.values()) <= 0:
            raise ValueError(f"at least one weight of {list(CRITERIA)} must be positive")
        return self

    def direct(self) -> dict[str, float]:
        """Direct weights as given (0 for a criterion left out); not normalised."""
        return {c: float(getattr(self, c) or 0.0) for c in CRITERIA}


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
    """count only options of this action"""
    land_cover: LandCover | None = None
    """count only options on this land cover"""
    project: ProjectId | None = None
    """count only options filed under this plan project (projects.csv; an umbrella work counts
    the works it covers, a work with projects below it none of its own)"""


class OptionRule(StrictModel):
    """Selects options by parcel ids and/or zone, county, action; ``year`` pins the start."""

    parcel_ids: list[ParcelId] | None = None
    """the parcels it applies to (all when not given)"""
    zone: ZoneCode | None = None
    """only options in this zone"""
    county: CountyCode | None = None
    """only options in this county"""
    action: ActionCode | None = None
    """only options of this action"""
    year: Year | None = None
    """only options starting in this year (locked_in: the start is pinned to it)"""
    reason: str = ""
    """why, shown in the lists"""


#: Actions that protect and let nature recover, allowed inside red lines and reserves by the
#: default rules (docs/plan-rules.md; the plan lists no works for red lines, the list is our
#: reading of its principles): enclosure / natural recovery of land and wetland and grazing
#: withdrawal (lines 37, 63, 73, 92), forest tending and stand repair (line 63: the zone
#: holding the Tianshan red line is to be tended), mine remediation (line 22: mines lie inside
#: reserves and red lines) and ecological water to wetlands, rivers and lakesides (lines 68,
#: 110).
PROTECTION_LED_ACTIONS = ("enclosure", "wetland_enclosure", "grassland_recovery",
                          "forest_repair", "mine_remediation", "wetland_replenishment",
                          "riparian_restoration")

#: Inside red lines also small-watershed control: the zone holding the Tianshan red line is to
#: have it (line 63: 加强小流域综合治理，控制人为因素对土壤的侵蚀; line 98: P1-5, a key
#: project of that zone), on the same reading that lets forest tending in.
RED_LINE_ACTIONS = (*PROTECTION_LED_ACTIONS, "watershed_control")


class SpatialRule(StrictModel):
    """Inside a layer, only the ``allow`` actions may go.

    ``layer`` is a parcel attribute naming the area a parcel lies in (``red_line``,
    ``protected_area``, or a bureau's layer loaded with ``--layer``); a parcel is inside when
    it is not empty and, when ``match`` is given, contains one of its texts (e.g.
    "自然保护区" for every nature reserve).
    """

    name: str
    """names the rule in messages and lists"""
    layer: str
    """the parcel attribute naming the area (red_line, protected_area or a --layer)"""
    match: list[str] = Field(default_factory=list)
    """texts the attribute must contain (any of them); empty: any non-empty value"""
    allow: list[str]
    """action codes allowed inside"""
    source: str = ""
    """where the rule comes from (plan lines)"""


#: The default spatial rules (our reading of the plan, docs/plan-rules.md); a scenario's
#: ``[[spatial_rules]]`` replace them.
PLAN_SPATIAL_RULES = (
    SpatialRule(name="生态保护红线 ecological protection red lines", layer="red_line",
                allow=list(RED_LINE_ACTIONS),
                source="plan lines 60, 70, 75 (red lines in zones 1, 3, 4); 37, 63 "
                       "(protection first, natural recovery; small-watershed control in the "
                       "Tianshan zone); 98 (P1-5); 22 (mines inside red lines)"),
    SpatialRule(name="自然保护区与地质公园 nature reserves and the geopark",
                layer="protected_area", match=["自然保护区", "地质公园"],
                allow=list(PROTECTION_LED_ACTIONS),
                source="plan lines 81, 83 (Lop Nur reserve: less human disturbance); 66 "
                       "(the geopark's place; the plan sets no rule for it, ours: keep its "
                       "landforms); 22 (mines inside reserves)"),
)


class Precedence(StrictModel):
    """Action ``after`` may start in a scope only once ``before`` has started there.

    ``lag_years`` years must pass between them; scope ``parcel`` ties them on one parcel,
    ``zone``/``county`` within the same zone or county, ``region`` anywhere.
    """

    before: ActionCode
    """the action that must start first"""
    after: ActionCode
    """the action that may start only after it"""
    scope: Literal["parcel", "zone", "county", "region"] = "zone"
    """where they are tied: the same parcel, zone, county, or anywhere"""
    lag_years: int = Field(0, ge=0)
    """years that must pass between the two starts"""


class Corridors(StrictModel):
    """Corridor completion bonus: a corridor's bonus counts once all its degraded parcels are
    restored."""

    enabled: bool = True
    """add the corridor completion bonus to the objective"""
    bonus_weight: float = Field(0.1, ge=0.0, description="share of the objective scale")
    max_corridors: int = Field(20, ge=0)
    """at most this many corridors are modelled"""


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


class SolverSettings(StrictModel):
    """Which solver, and when it may stop."""

    name: str = "highs"
    """highs, cbc, cpsat (those installed)"""
    time_limit_s: float = Field(60.0, gt=0)
    """wall time the solve may take"""
    gap: float = Field(0.001, ge=0.0, lt=1.0, description="relative MIP gap to stop at, a "
                       "fraction (0.005 = 0.5 %)")
    threads: int = Field(2, ge=1)
    """threads the solver may use"""
    effort: float = Field(1.0, gt=0.0, le=100.0,
                          description="multiplies the solve's work budgets (nodes, rounds, "
                                      "iterations; optimizer/work.py): the plan depends on "
                                      "it, not on the machine's speed")


class SensitivitySettings(StrictModel):
    """How sensitivity runs sample the uncertain inputs and how hard each solve tries.

    Ranges are relative half-widths: 0.2 samples a multiplier in [0.8, 1.2]; a range of 0
    leaves that input out of the analysis."""

    method: Literal["morris", "sobol", "oat", "montecarlo"] = "morris"
    """how the uncertain inputs are sampled"""
    samples: int = Field(10, ge=1, description="Morris trajectories, Sobol base samples (N) "
                                               "or Monte Carlo draws")
    morris_levels: int = Field(4, ge=2, description="grid levels of a Morris design")
    weight_range: float = Field(0.25, ge=0.0, lt=1.0)
    """criterion weights ±"""
    budget_range: float = Field(0.2, ge=0.0, lt=1.0)
    """the budget ±"""
    water_range: float = Field(0.2, ge=0.0, lt=1.0)
    """the water allocations ±"""
    cost_range: float = Field(0.2, ge=0.0, lt=1.0, description="unit costs ±")
    benefit_range: float = Field(0.2, ge=0.0, lt=1.0, description="benefit estimates ±")
    survival_range: float = Field(0.1, ge=0.0, lt=1.0)
    """survival rates ±"""
    water_demand_range: float = Field(0.15, ge=0.0, lt=1.0)
    """the works' water demand ±"""
    per: Literal["region", "action", "parcel"] = Field(
        "region", description="costs and benefits: one multiplier for the region, one per "
                              "action, or the region's times a seeded draw per parcel")
    dirichlet_concentration: float = Field(50.0, gt=0.0, description="Monte Carlo weights: "
                                           "Dirichlet around the scenario's weights")
    # Per sample solve: on Turpan the heuristics reach ~1 % in 7-8 s and the LP bound
    # certifies 2 %, so 12 s and 2 % give 100+ samples in ~8 min on 2 cores (benchmarks/).
    time_limit_s: float = Field(12.0, gt=0.0, description="per sample solve")
    gap: float = Field(0.02, ge=0.0, lt=1.0, description="per sample solve, a fraction")
    robust_share: float = Field(0.9, gt=0.0, le=1.0, description="robust core: chosen in at "
                                                                 "least this share of runs")


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
    funding: dict[str, Funding] = Field(
        default_factory=dict, description="per action code, or 'default' for the others")
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
    if not holds_stand_in("county_min_share", unchecked):
        total = sum(scenario.county_min_share.values())
        if total > 1.0 + 1e-9:
            problems.append(("county_min_share", f"the shares add up to {total:g}, more than "
                             "1 (a share is of the whole spend)", None))
    return problems
