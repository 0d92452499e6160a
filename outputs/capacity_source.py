"""The grade and source the outputs print after an action's yearly capacity.

A catalogue's source text (actions.csv ``capacity_source_zh/_en``, e.g. enclosure's "derived:
plan line 12's 21.50万亩 of enclosure over five years") supports one figure, the one it gives
(``capacity_source_km2_per_yr``, 28.7). A planner who edits ``capacity_km2_per_yr`` in their
own catalogue plans with their figure, which that text does not support: the outputs then
call the capacity the user's (用户设定) and name the sourced figure beside it, with the source
attached to that figure, never to theirs. A catalogue without the figure states no source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

#: What a capacity whose source states no figure, or no text, is called.
NO_SOURCE = ("来源未注明", "source not stated")
#: What a capacity is called when it is not the figure its source gives.
USER_FIGURE = ("用户设定", "user's figure")


@dataclass(frozen=True)
class CapacitySource:
    """How a yearly capacity is graded: ``grade`` for cells too short for the source ("推算",
    "derived"), ``words`` for the text after the figure (grade and source), each (zh, en)."""

    grade: tuple[str, str]
    words: tuple[str, str]


def judge_capacity_source(capacity: float, sourced: float,
                          source: tuple[str, str]) -> CapacitySource:
    """The grade and source of a capacity of ``capacity`` km²/yr whose source text ``source``
    (zh, en; blank = none) gives ``sourced`` km²/yr (NaN = no figure stated).

    The source is printed as the capacity's only when it gives that figure; a capacity that
    differs from a sourced figure is the user's, the sourced figure and its source said
    beside it; with no sourced figure or no text, the source is not stated."""
    said = (source[0].strip(), source[1].strip())
    stated = all(said)
    if math.isfinite(sourced) and not math.isclose(capacity, sourced, rel_tol=1e-9,
                                                   abs_tol=1e-9):
        grade = (f"{USER_FIGURE[0]}，来源数值{sourced:g} km²/年",
                 f"{USER_FIGURE[1]}; the source's figure is {sourced:g} km²/yr")
        behind = said if stated else NO_SOURCE
        return CapacitySource(grade, (f"{grade[0]}（{behind[0]}）", f"{grade[1]} ({behind[1]})"))
    if math.isfinite(sourced) and stated:
        return CapacitySource((said[0].split("：")[0], said[1].split(":")[0]),
                              (said[0], said[1]))
    return CapacitySource(NO_SOURCE, NO_SOURCE)


def catalogue_capacity_source(row: pd.Series) -> CapacitySource:
    """:func:`judge_capacity_source` of one action catalogue row (region/io.py
    load_actions, which adds the optional columns blank)."""
    def number(column: str) -> float:
        value = pd.to_numeric(row.get(column), errors="coerce")
        return float(value) if pd.notna(value) else math.nan

    def text(column: str) -> str:
        value = row.get(column)
        return str(value) if pd.notna(value) else ""

    return judge_capacity_source(
        number("capacity_km2_per_yr"), number("capacity_source_km2_per_yr"),
        (text("capacity_source_zh"), text("capacity_source_en")))
