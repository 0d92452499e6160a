"""When a gap is closed, and a gap as words may print it: rounded up, never claiming more
than was proven (a run stopped at 0.401 % is "within 0.41 %", not "within 0.40 %")."""

from __future__ import annotations

import math

#: A gap at or below this is a closed one (HiGHS's own tolerances are 1e-6 absolute).
PROVEN_GAP = 1e-6


def within_gap_only(status: str, gap: float | None) -> bool:
    """Whether a run the solver calls optimal is proven only within an open gap (the gap it
    was asked to stop at), not optimal."""
    return status == "optimal" and gap is not None and math.isfinite(gap) and gap > PROVEN_GAP


def gap_up(gap: float) -> str:
    """The gap in percent to two decimals, rounded up: 0.00401 → "0.41%"."""
    return f"{math.ceil(gap * 1e4 - 1e-9) / 100:.2f}%"
