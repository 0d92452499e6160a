"""Work, not seconds: what bounds a seeded solve, so the same inputs and seed give the same
plan on a quiet machine and a busy one.

Every solve of a run has a seed (the scenario's ``seed``). Its stages are bounded by work
counted in units the solver reports the same way on every machine — simplex iterations of
the LP relaxation, branch-and-bound nodes of each MIP, rounds of the polish — and the
budgets are fixed by the model's size and the scenario's time limit (:func:`work_limits`),
which are inputs. The time limit is still a hard stop (optimizer/solvers/watchdog.py): when
it ends a stage before its work is done (a machine much slower or busier than the one the
rates below were measured on), the plan depends on that machine's speed. Every such stop
is recorded (:func:`clock_audit`, :func:`note_clock_stop`) and the run's manifest says the
plan is not reproducible, and why (docs/model.md, "Reproducibility").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from optimizer.compiled import CompiledModel

_stops: ContextVar[list[str] | None] = ContextVar("clock_stops", default=None)


@contextlib.contextmanager
def clock_audit() -> Iterator[list[str]]:
    """Collect, inside the block, every place where the clock (not the work) ended a step."""
    stops: list[str] = []
    token = _stops.set(stops)
    try:
        yield stops
    finally:
        _stops.reset(token)


def note_clock_stop(what: str) -> None:
    """Record that the time limit, not the work budget, ended ``what`` (a noun phrase:
    "the support polish (after 2 sub-MIPs, still improving)")."""
    stops = _stops.get()
    if stops is not None:
        stops.append(what)


def clock_sentence(stops: list[str] | tuple[str, ...]) -> str:
    """What the clock stops mean for the plan, in one plain sentence (empty when there are
    none): the first step the time limit ended, how many more, and what makes the run
    reproducible."""
    if not stops:
        return ""
    more = len(stops) - 1
    others = f" and {more} later step{'s' if more > 1 else ''}" if more else ""
    return (f"The time limit, not the work budget, ended {stops[0]}{others}, so a re-run "
            "may give another plan; more --time-limit, or a lower [solver] effort, makes "
            "it reproducible.")


@dataclass(frozen=True)
class WorkLimits:
    """The work a seeded solve stage may do (see the module docstring)."""

    lp_iterations: int  # simplex iterations of the LP relaxation
    fix_nodes: int  # branch-and-bound nodes of fix-and-resolve's sub-MIP
    polish_rounds: int  # sub-MIPs of the polish at most, over all its neighbourhoods
    polish_nodes: int  # branch-and-bound nodes of each polish sub-MIP
    mip_nodes: int  # branch-and-bound nodes of the final MIP
    lagrangian_steps: int  # cutting-plane steps of the Lagrangian bound

    def as_record(self) -> dict[str, int]:
        """The limits by name, for the manifest."""
        return dict(self.__dict__)


#: Work rates, in the units HiGHS counts. A node of branch and bound costs about one
#: re-solve of the (sub-)MIP's LP, roughly proportional to the model's non-zeros, so node
#: budgets are a fixed amount of "nodes × non-zeros" divided by the model's size (with a
#: floor, so that every MIP searches a little), and so is the polish's number of sub-MIPs.
#: Chosen so that the Turpan baseline (684,715 non-zeros when chosen; 410,155 on main
#: deafc04, 2026-12-02, docs/model.md's work table) does about what its 45-s time
#: box did on a quiet machine — the LP, fix-and-resolve, one filler-parcel sub-MIP of one
#: node beyond its root, no final MIP (its root alone takes the time) — in about half
#: of it, and small regions (30,000 non-zeros) search 1,800 nodes for their optimum
#: (benchmarks/results.md, "Reproducibility"). ``[solver] effort`` multiplies them all.
LP_ITERATIONS_PER_ELEMENT = 2.0  # LP relaxation: simplex iterations per row and column
LP_ITERATIONS_MIN = 20_000
FIX_NODE_WORK = 2e6  # fix-and-resolve's sub-MIP: nodes × non-zeros
POLISH_ROUND_WORK = 1e6  # the polish: sub-MIPs × non-zeros
POLISH_ROUNDS_MAX = 8  # sub-MIPs of the polish at most (× effort)
POLISH_NODE_WORK = 1e6  # each polish sub-MIP: nodes × non-zeros
MIP_NODE_WORK = 5e7  # the final MIP: nodes × non-zeros
MIP_NODES_MIN = 10
LAGRANGIAN_STEPS = 200


def work_limits(model: CompiledModel, effort: float = 1.0) -> WorkLimits:
    """The work budgets of a solve stage on ``model`` (see the module docstring)."""
    size = max(int(model.A.nnz), 1)

    def share(work: float, floor: int = 1) -> int:
        return max(floor, round(effort * work / size))

    return WorkLimits(
        lp_iterations=max(LP_ITERATIONS_MIN,
                          round(effort * LP_ITERATIONS_PER_ELEMENT
                                * (model.n_rows + model.n_cols))),
        fix_nodes=share(FIX_NODE_WORK),
        polish_rounds=min(share(POLISH_ROUND_WORK), max(1, round(effort * POLISH_ROUNDS_MAX))),
        polish_nodes=share(POLISH_NODE_WORK),
        mip_nodes=share(MIP_NODE_WORK, MIP_NODES_MIN),
        lagrangian_steps=max(1, round(effort * LAGRANGIAN_STEPS)))
