"""What a scenario key's problem says, in a planner's words where pydantic has its own
jargon: the type expected in TOML's terms, the keys a table allows (with the closest to a
misspelt one), a gap given in per cent."""

from __future__ import annotations

import difflib
import math
import typing

from pydantic import BaseModel

from region.criterion_names import ACCEPTED_NAMES, did_you_mean
from region.fullwidth import value_hint
from region.scenario import Scenario

#: What a key of the wrong type should hold, in TOML's words (the models are strict, so
#: "yes" for true or "20000" for 20000 is one of these, not silently converted).
EXPECTED_TYPE = {
    "bool_type": "expected true or false, without quotes",
    "float_type": "expected a number, without quotes",
    "int_type": "expected a whole number, without quotes or decimals",
    "string_type": "expected text in quotes",
    "list_type": "expected a list [ … ]",
    "model_type": "expected a table ([section] or { … })",
    "dict_type": "expected a table ([section] or { … })",
}


def gap_problem(value: float) -> str | None:
    """What is wrong with a relative gap (None when nothing): it is a fraction, ≥ 0 and < 1;
    ``--gap 5`` meant as 5 % would be 500 % and stop at the first plan found. The scenario's
    ``gap`` keys and the ``--gap`` options (region/overrides.py) say it alike."""
    if not math.isfinite(value):
        return "expected a finite number"
    if 0.0 <= value < 1.0:
        return None
    hint = f"; for {value:g} % type {value / 100:g}" if 1.0 <= value < 100.0 else ""
    return f"the gap is a fraction, ≥ 0 and < 1 (0.005 = 0.5 %){hint}"


def plain_message(error: dict) -> str:
    """pydantic's message for one error, in a planner's words where it has its own jargon."""
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        return "missing key"
    if kind == "extra_forbidden":
        known = _keys_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        if loc[:-1] == ("weights",):  # a criterion by a name of none: both languages
            return (f"unknown key{did_you_mean(str(loc[-1]))}: expected one of "
                    f"{ACCEPTED_NAMES}, or ahp")
        if str(loc[-1]).isdigit() and "per_year" in known:  # `2040 = 5` under [budget]
            table = ".".join(map(str, loc[:-1]))
            hint = (f" ({loc[-1]} is not a key of [{table}]: a year's figure goes in "
                    f"[{table}.per_year], as {loc[-1]} = …, for a year of the horizon)")
        return f"unknown key{hint}: expected one of {', '.join(known)}" if known \
            else "unknown key"
    if kind in EXPECTED_TYPE:
        return EXPECTED_TYPE[kind] + value_hint(error.get("input"),
                                                kind in ("float_type", "int_type"))
    if kind == "less_than" and loc[-1] == "gap":
        return gap_problem(float(error["input"])) or error["msg"]
    if kind == "string_pattern_mismatch" and loc == ("name",):
        return ("must be a safe folder name (it names results/<name>/): letters, digits, "
                "'_', '-', '.', starting with a letter or digit, at most 80 characters")
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _keys_at(loc: tuple) -> list[str]:
    """The keys the scenario allows at ``loc`` (list indices and dict keys skipped)."""
    model: type[BaseModel] | None = Scenario
    for part in loc:
        if model is None or not isinstance(part, str) or part not in model.model_fields:
            continue
        annotation = model.model_fields[part].annotation
        model = next((a for a in (annotation, *typing.get_args(annotation),
                                  *(x for a in typing.get_args(annotation)
                                    for x in typing.get_args(a)))
                      if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return sorted(model.model_fields) if model is not None else []
