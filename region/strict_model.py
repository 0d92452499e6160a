"""The base of every scenario section: unknown keys, values of the wrong type, inf, nan and
implausibly large numbers are input errors, so a typing or unit mistake never reaches the
model.

Validation is pydantic's strict mode: ``carry_over = "yes"`` or ``default = "20000"`` is an
error, not silently read as true or 20000 (a whole number where a decimal is expected is
fine: ``default = 20000``). Table keys are always text in TOML and JSON, so a field keyed by
a number takes its keys as :data:`IntKey`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Strict, field_validator

from region.validate import MAX_MAGNITUDE

#: A whole number as a table key: TOML and JSON keys are text, so the key "2027" is 2027.
IntKey = Annotated[int, Strict(False)]


def magnitude_problem(value: object) -> str | None:
    """What is wrong with a number (or any number inside a dict or list) beyond
    :data:`MAX_MAGNITUDE`, or None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if abs(value) > MAX_MAGNITUDE:
            return f"implausibly large ({value:g}): check the unit"
    elif isinstance(value, dict):
        return next(filter(None, map(magnitude_problem, (*value.keys(), *value.values()))),
                    None)
    elif isinstance(value, list | tuple):
        return next(filter(None, map(magnitude_problem, value)), None)
    return None


class StrictModel(BaseModel):
    """Frozen, strictly typed, no unknown keys, finite numbers within :data:`MAX_MAGNITUDE`;
    the docstring under a field is its description (docs/scenario.md is made of them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True,
                              use_attribute_docstrings=True)

    @field_validator("*", mode="after")
    @classmethod
    def _not_huge(cls, value: object) -> object:
        problem = magnitude_problem(value)
        if problem:
            raise ValueError(problem)
        return value
