"""Validating a scenario and collecting every problem of it in one round: each key of the
wrong type (in a planner's words: region/scenario_messages.py) and each rule across tables
(region/scenario_rules.py), with what of the scenario could still be read, so that its
codes are checked against the region in the same round (pipeline/inputs.py)."""

from __future__ import annotations

from pydantic import ValidationError

from region.errors import InputError, InputProblem
from region.scenario import Scenario
from region.scenario_messages import plain_message
from region.scenario_rules import DEFER_RULES, rule_problems


class ScenarioError(InputError):
    """A scenario's problems, with what of it could still be read: ``partial`` is the
    scenario with each table that has a problem (``unchecked``) replaced by a stand-in
    (its default), or None, so that the checks against the region still judge the rest
    and a planner sees every problem of the file in one round."""

    def __init__(self, problems: list[InputProblem], partial: Scenario | None,
                 unchecked: frozenset[str]) -> None:
        super().__init__(problems)
        self.partial = partial
        self.unchecked = unchecked


#: What stands in for a required table that has a problem, so the rest can be validated.
STAND_INS: dict[str, object] = {"name": "unchecked", "budget": {"default": 0.0},
                                "water": {"default": 0.0}, "weights": {"sand": 1.0}}


def scenario_from_dict(raw: dict, source: str = "<scenario>") -> Scenario:
    """Validate a scenario given as a dict (e.g. a parsed TOML file with overrides applied);
    raise :class:`ScenarioError` with every problem: each key of the wrong type, and each
    rule across tables (:func:`rule_problems`) that the tables without such problems
    break."""
    context = {DEFER_RULES: True}
    problems: list[InputProblem] = []
    unchecked: frozenset[str] = frozenset()
    try:
        scenario: Scenario | None = Scenario.model_validate(raw, context=context)
    except ValidationError as err:
        problems = [_problem(source, e) for e in err.errors()]
        unchecked = frozenset(str(e["loc"][0]) for e in err.errors() if e["loc"])
        scenario = _stand_in(raw, unchecked, context)
    if scenario is not None:
        problems += [InputProblem(source, message, column=key, value=value)
                     for key, message, value in rule_problems(scenario, unchecked)]
    if problems:
        raise ScenarioError(problems, scenario, unchecked)
    return scenario


def _problem(source: str, error: dict) -> InputProblem:
    return InputProblem(
        source, plain_message(error), column=".".join(str(p) for p in error["loc"]) or None,
        value=error.get("input") if error["type"] not in ("missing", "extra_forbidden")
        else None)


def _stand_in(raw: object, unchecked: frozenset[str], context: dict) -> Scenario | None:
    """The scenario with the ``unchecked`` tables left to their defaults (or a stand-in
    when they have none); None when even that does not validate."""
    if not isinstance(raw, dict):
        return None
    kept = {key: value for key, value in raw.items() if key not in unchecked}
    kept |= {key: STAND_INS[key] for key in unchecked if key in STAND_INS}
    try:
        return Scenario.model_validate(kept, context=context)
    except ValidationError:
        return None

