"""The base of every scenario section: unknown keys, inf, nan and implausibly large numbers
are input errors, so a typing or unit mistake never reaches the model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

from region.validate import MAX_MAGNITUDE


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
    """Frozen, no unknown keys, finite numbers within :data:`MAX_MAGNITUDE`."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _not_huge(cls, value: object) -> object:
        problem = magnitude_problem(value)
        if problem:
            raise ValueError(problem)
        return value
