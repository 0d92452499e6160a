"""What every solver backend shares: its settings and the one definition of the gap."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SolverOptions:
    """Stopping rules and resources of one solve."""

    time_limit_s: float = 60.0
    gap: float = 1e-3
    threads: int = 2
    seed: int = 0
    verbose: bool = False
    lp_method: str = "simplex"  # or "ipm": interior point without crossover (big, degenerate LPs)
    presolve: bool = True  # HiGHS only: off reaches Turpan's root bound in 4 s instead of 18 s
    # Work limits (HiGHS only), so that a seeded solve ends where its work ends, whatever
    # the machine's load (optimizer/work.py): branch-and-bound nodes of a MIP, simplex
    # iterations of an LP. None: no limit but the time.
    node_limit: int | None = None
    iteration_limit: int | None = None
    # HiGHS only: False stops a MIP from restarting its root once presolve has fixed more
    # columns (mip_allow_restart). A node-limited polish sub-MIP otherwise pays its root's
    # cut loop twice (optimizer/heuristics.py).
    restart: bool = True


class SolverUnavailableError(RuntimeError):
    """The asked-for solver is not installed here; the message lists what is."""


def relative_gap(objective: float, bound: float) -> float:
    """|bound − objective| / max(|objective|, 1e-9): the same for every backend."""
    return abs(bound - objective) / max(abs(objective), 1e-9)
