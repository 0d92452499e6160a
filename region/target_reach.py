"""Targets no parcel can meet: a scenario target counting an action that no parcel may take
(its zones, land covers, degradation or places in actions.csv, or a spatial rule of the
scenario, leave none) can never be met, and ``run`` stops on it ("the scenario cannot be
met", optimizer/presolve.py). ``validate`` says so for the target itself, naming the file,
the key and the action, instead of only listing the action among those no parcel may take.
"""

from __future__ import annotations

from collections.abc import Collection

from region.errors import InputProblem
from region.scenario import Scenario


def targets_no_parcel_may_take(scenario: Scenario, source: str,
                               takeable: Collection[str]) -> list[InputProblem]:
    """One problem per target of ``scenario`` (read from ``source``) with a minimum above
    zero whose action is not among ``takeable`` (the actions at least one parcel may take,
    or those of the planner's own option table)."""
    problems = []
    for k, target in enumerate(scenario.targets):
        if target.action is None or target.action in takeable or target.minimum <= 0:
            continue
        problems.append(InputProblem(
            source, f"target '{target.name}' cannot be met: no parcel may take its action "
                    f"{target.action} (its zones, land covers, degradation or places in "
                    "actions.csv, or a spatial rule of the scenario, leave none); widen the "
                    "action's rules or drop the target",
            column=f"targets.{k}.action", value=target.action))
    return problems
