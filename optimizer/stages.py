"""What every stage of a run shares: progress messages and stage timings."""

from __future__ import annotations

import time
from collections.abc import Callable

ProgressFn = Callable[[str], None]


class Stopwatch:
    """Named stage times of one run, in seconds."""

    def __init__(self, timings: dict[str, float] | None = None) -> None:
        self.timings = dict(timings or {})
        self._clock = time.perf_counter()

    def lap(self, name: str) -> None:
        """Record the time since the last lap as stage ``name``."""
        now = time.perf_counter()
        self.timings[name] = round(now - self._clock, 3)
        self._clock = now

    def add(self, stages: dict[str, float]) -> None:
        """Record stages timed elsewhere, which end now."""
        self.timings.update(stages)
        self._clock = time.perf_counter()
