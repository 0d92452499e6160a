"""Validating a scenario and collecting every problem of it in one round: each key of the
wrong type (in a planner's words: region/scenario_messages.py) and each rule across tables
(region/scenario.py :func:`rule_problems`), with what of the scenario could still be read,
so that its codes are checked against the region in the same round (pipeline/inputs.py)."""

from __future__ import annotations

import copy
from collections.abc import Mapping

from pydantic import ValidationError

from region.errors import InputError, InputProblem
from region.references import ACTION_NAMES
from region.scenario import DEFER_RULES, Scenario, rule_problems
from region.scenario_messages import plain_message


class ScenarioError(InputError):
    """A scenario's problems, with what of it could still be read: ``partial`` is the
    scenario with each key that has a problem (``unchecked``, dotted key paths) left to
    its default or a stand-in, or None, so that the checks against the region still judge
    the rest (the other keys of the same table too) and a planner sees every problem of
    the file in one round. What reads an unchecked key is not judged
    (region/errors.py :func:`stands_in`, :func:`holds_stand_in`)."""

    def __init__(self, problems: list[InputProblem], partial: Scenario | None,
                 unchecked: frozenset[str]) -> None:
        super().__init__(problems)
        self.partial = partial
        self.unchecked = unchecked


#: What stands in for a required table that has a problem, so the rest can be validated.
STAND_INS: dict[str, object] = {"name": "unchecked", "budget": {"default": 0.0},
                                "water": {"default": 0.0}, "weights": {"sand": 1.0}}

#: At most this many rounds of setting keys aside (each round sets aside what the last
#: one's validation found; a table left without a key it needs is set aside next).
MAX_ROUNDS = 10

Loc = tuple[str | int, ...]


def scenario_from_dict(raw: dict, source: str = "<scenario>",
                       action_names: Mapping[str, str] | None = None) -> Scenario:
    """Validate a scenario given as a dict (e.g. a parsed TOML file with overrides applied);
    raise :class:`ScenarioError` with every problem: each key of the wrong type, and each
    rule across tables (:func:`rule_problems`) that the keys without such problems
    break. With ``action_names`` (the catalogue's, region/action_names.py), an action
    named by its Chinese name is read as its code (region/references.py ActionName)."""
    context = {DEFER_RULES: True, ACTION_NAMES: action_names or {}}
    problems: list[InputProblem] = []
    unchecked: frozenset[str] = frozenset()
    try:
        scenario: Scenario | None = Scenario.model_validate(raw, context=context)
    except ValidationError as err:
        problems = [_problem(source, e) for e in err.errors()]
        scenario, unchecked = _stand_in(raw, err, context)
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


def _stand_in(raw: object, error: ValidationError, context: dict
              ) -> tuple[Scenario | None, frozenset[str]]:
    """The scenario with each key that has a problem set aside (left to its default, or
    to :data:`STAND_INS` for a required table), and the dotted paths of those keys; None
    when even that does not validate. Only the key itself is set aside, so that the other
    keys of its table are still judged; a table (or list) that cannot do without it is set
    aside whole in the next round. The problems of later rounds are not reported: they may
    be the set-aside keys' defaults' own."""
    if not isinstance(raw, dict):
        return None, frozenset()
    kept = copy.deepcopy(raw)
    aside: set[Loc] = set()
    for _ in range(MAX_ROUNDS):
        points = {_set_aside_point(kept, tuple(e["loc"]), aside) for e in error.errors()}
        if () in points:
            break
        for point in sorted(points, key=len):
            if not any(point[:n] in aside for n in range(1, len(point) + 1)):
                _set_aside(kept, point)
                aside.add(point)
        try:
            scenario = Scenario.model_validate(kept, context=context)
        except ValidationError as err:
            error = err
            continue
        return scenario, frozenset(".".join(map(str, point)) for point in aside)
    return None, frozenset(".".join(map(str, point)) for point in aside)


def _set_aside_point(raw: dict, loc: Loc, aside: set[Loc]) -> Loc:
    """Where to set aside the key of an error at ``loc``: the deepest key of a table on
    its path that ``raw`` has (an item of a list is not set aside alone: the items after
    it would be renumbered, and the problems found in them named by the wrong index), or
    its table when that key was set aside already; () when nothing can be."""
    point: Loc = ()
    node: object = raw
    for depth, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            point, node = loc[:depth + 1], node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
    if not point and loc and loc[0] in STAND_INS:
        return loc[:1]
    while point in aside and len(point) > 1:
        point = point[:-1]
        while len(point) > 1 and isinstance(point[-1], int):
            point = point[:-1]
    return () if point in aside and point[:1] not in STAND_INS else point


def _set_aside(raw: dict, point: Loc) -> None:
    """Remove the key at ``point`` from ``raw`` (a required table's :data:`STAND_INS`
    stands in for it)."""
    if len(point) == 1 and point[0] in STAND_INS:
        raw[point[0]] = copy.deepcopy(STAND_INS[point[0]])
        return
    node = raw
    for part in point[:-1]:
        node = node[part]
    del node[point[-1]]
