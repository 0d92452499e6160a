"""Figures a planner may mean but more likely mistyped: said in a note, never refused.

A stranger's ``--budget 2028=140000000`` (7,000 × the other years: 元 typed for 万元), a
county's water ``default = 5000000`` (m³ typed for 万m³: 40 × the city's whole water
resources) and ``--budget-scale 70`` (meant 70 %: × 70) all passed ``validate`` with
"✓ inputs valid". Each is possible in principle (a one-off grant, a what-if), so the run goes
on as given; the note says what the figure is against and what was probably meant.
``validate`` and ``run`` say the same (pipeline/inputs.py :func:`check_inputs`).
"""

from __future__ import annotations

import statistics

from region.overrides import Overrides
from region.scenario import Scenario
from region.scenario_budget_water import YearlyLimit

#: A year's money this many times the median of the other years' is noted as a likely
#: unit slip (元 typed for 万元 is 10,000 ×). Our rule, an estimate: the plan gives no money
#: per year to judge by.
MONEY_SPIKE_FACTOR = 100
#: Turpan's total water resources, 万m³ a year: 12.6 亿m³ (PARAMETERS.md, "total water
#: resources", R; docs/water.md). No year's water for the works can be more than all of it.
CITY_WATER_WAN_M3 = 126_000.0
#: A --budget-scale or --water-scale above this is noted as a percentage typed for a factor.
SCALE_MAX = 10.0


def implausible_notes(scenario: Scenario, source: str, overrides: Overrides) -> list[str]:
    """The notes of :mod:`region.plausible_figures` for the scenario read from ``source``
    (overrides applied) and the command line's scales; none when every figure is
    plausible."""
    return [*_scale_notes(overrides), *_money_notes(scenario, source, overrides),
            *_water_notes(scenario, source)]


def _scale_notes(overrides: Overrides) -> list[str]:
    scales = (("--budget-scale", overrides.budget_scale, "money"),
              ("--water-scale", overrides.water_scale, "water"))
    return [f"{option} {value:g} multiplies every year's {what} by {value:g}: did you mean "
            f"{value / 100:g} ({value:g} %)? Run as given"
            for option, value, what in scales if value is not None and value > SCALE_MAX]


def _money_notes(scenario: Scenario, source: str, overrides: Overrides) -> list[str]:
    limits: list[tuple[str, YearlyLimit]] = [("budget", scenario.budget), *(
        (f"budget.per_county.{county}", limit)
        for county, limit in scenario.budget.per_county.items())]
    notes = []
    for key, limit in limits:
        values = _per_year(limit, scenario.horizon.years)
        for year, value in values.items():
            others = [v for y, v in values.items() if y != year]
            median = statistics.median(others) if others else 0.0
            if median > 0 and value >= MONEY_SPIKE_FACTOR * median:
                where = f"--budget {year}={value:g}" if key == "budget" and \
                    year in overrides.budget else f"{source}, key '{key}.per_year.{year}'"
                notes.append(f"{where}: {value:,.0f} 万元 in {year} is {value / median:,.0f} × "
                             f"the median of the other years ({median:,.0f} 万元): 元 typed "
                             "for 万元 (1 万元 = 10,000 元)? Run as given")
    return notes


def _water_notes(scenario: Scenario, source: str) -> list[str]:
    limits: list[tuple[str, YearlyLimit]] = [("water", scenario.water), *(
        (f"water.per_county.{county}", limit)
        for county, limit in scenario.water.per_county.items())]
    notes = []
    for key, limit in limits:
        figures = [("default", limit.default),
                   *((f"per_year.{y}", v) for y, v in sorted(limit.per_year.items()))]
        notes += [f"{source}, key '{key}.{part}': {value:,.0f} 万m³ a year is "
                  f"{value / CITY_WATER_WAN_M3:,.1f} × the city's whole water resources "
                  f"({CITY_WATER_WAN_M3:,.0f} 万m³ = 12.6 亿m³, PARAMETERS.md): m³ typed for "
                  "万m³ (1 万m³ = 10,000 m³)? Run as given"
                  for part, value in figures
                  if value is not None and value > CITY_WATER_WAN_M3]
    return notes


def _per_year(limit: YearlyLimit, years: list[int]) -> dict[int, float]:
    """The limit of each year, or none when it does not cover them (said by its own rule)."""
    try:
        return limit.for_years(years)
    except ValueError:
        return {}
