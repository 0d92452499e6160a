"""The rules of a scenario across its tables: money and water for every year of the horizon,
county shares adding up to at most 1. :class:`region.scenario.Scenario` checks them when it
is validated, unless told to defer them (:data:`DEFER_RULES`) to a caller that reports each
with its key path (region/scenario_problems.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from region.errors import holds_stand_in

if TYPE_CHECKING:
    from region.scenario import Scenario, YearlyLimit

#: Validation context key: leave the rules across tables to the caller.
DEFER_RULES = "defer_rules"


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
