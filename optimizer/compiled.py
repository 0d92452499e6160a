"""The solver-neutral form of a model: what every formulation compiles to, every solver reads.

As in prioritizr, a problem is compiled once into sparse arrays; a solver backend only
translates them. Rows come in named families (``budget``, ``water``, ``target`` ...), each
row with a label (``budget[2028]``), so presolve and infeasibility reports can speak the
planner's language.

    maximise/minimise  obj @ x + obj_offset
    subject to         row_lower <= A @ x <= row_upper
                       col_lower <= x <= col_upper,  x[j] integer where integrality[j]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray


@dataclass(frozen=True)
class RowFamily:
    """A contiguous block of rows of one kind, e.g. the yearly water limits."""

    name: str
    start: int
    stop: int
    labels: tuple[str, ...]  # one per row, e.g. ("water[2027]", "water[2028]", ...)

    def __post_init__(self) -> None:
        if len(self.labels) != self.stop - self.start:
            raise ValueError(f"family {self.name}: {len(self.labels)} labels for "
                             f"{self.stop - self.start} rows")


@dataclass(frozen=True)
class CompiledModel:
    """A mixed-integer linear programme in sparse form, with named row families."""

    sense: Literal["max", "min"]
    obj: NDArray[np.float64]
    A: sp.csr_matrix
    row_lower: NDArray[np.float64]  # -inf where there is no lower bound
    row_upper: NDArray[np.float64]  # +inf where there is no upper bound
    col_lower: NDArray[np.float64]
    col_upper: NDArray[np.float64]
    integrality: NDArray[np.bool_]
    families: tuple[RowFamily, ...] = ()
    col_names: tuple[str, ...] | None = None  # optional, for export and debugging
    obj_offset: float = 0.0
    meta: dict = field(default_factory=dict)  # free-form: what built it, scaling notes

    def __post_init__(self) -> None:
        m, n = self.A.shape
        for name, arr, size in (("obj", self.obj, n), ("col_lower", self.col_lower, n),
                                ("col_upper", self.col_upper, n),
                                ("integrality", self.integrality, n),
                                ("row_lower", self.row_lower, m),
                                ("row_upper", self.row_upper, m)):
            if arr.shape != (size,):
                raise ValueError(f"{name} has shape {arr.shape}, expected ({size},)")
        covered = sum(f.stop - f.start for f in self.families)
        if self.families and covered != m:
            raise ValueError(f"row families cover {covered} of {m} rows")

    @property
    def n_cols(self) -> int:
        return self.A.shape[1]

    @property
    def n_rows(self) -> int:
        return self.A.shape[0]

    def family(self, name: str) -> RowFamily:
        """The row family called ``name``; KeyError if there is none."""
        for fam in self.families:
            if fam.name == name:
                return fam
        raise KeyError(name)

    def row_label(self, row: int) -> str:
        """Human label of one row, e.g. ``water[2028]``."""
        for fam in self.families:
            if fam.start <= row < fam.stop:
                return fam.labels[row - fam.start]
        return f"row[{row}]"

    def objective_value(self, x: NDArray[np.float64]) -> float:
        return float(self.obj @ x + self.obj_offset)

    def violations(self, x: NDArray[np.float64], tol: float = 1e-6) -> list[str]:
        """Labels of the rows and columns that ``x`` violates (empty when feasible)."""
        ax = self.A @ x
        scale = 1.0 + np.abs(ax)
        bad_rows = np.flatnonzero((ax < self.row_lower - tol * scale)
                                  | (ax > self.row_upper + tol * scale))
        bad_cols = np.flatnonzero((x < self.col_lower - tol) | (x > self.col_upper + tol)
                                  | (self.integrality & (np.abs(x - np.round(x)) > tol)))
        return [self.row_label(r) for r in bad_rows] + [f"col[{j}]" for j in bad_cols]


@dataclass(frozen=True)
class SolveResult:
    """What a solver backend returns, the same whatever the solver."""

    status: Literal["optimal", "feasible", "infeasible", "unbounded", "time_limit_no_solution",
                    "error"]
    x: NDArray[np.float64] | None
    objective: float | None
    bound: float | None  # best proven bound on the objective (dual bound)
    gap: float | None  # relative gap |bound - objective| / max(|objective|, 1e-9)
    time_s: float  # the solver's; a run's result: its whole solve stage (optimizer/solve_stage.py)
    solver: str
    solver_version: str
    row_duals: NDArray[np.float64] | None = None  # from the LP relaxation, when asked
    message: str = ""
    log: list[str] = field(default_factory=list)
    kept_start: bool = False  # x is the heuristic start, kept as the solver's plan was worse
    work: dict[str, int] = field(default_factory=dict)  # HiGHS: nodes, simplex iterations
    clock_stopped: bool = False  # a run's result: the time limit, not the work, ended a step
    clock_stops: tuple[str, ...] = ()  # which steps (optimizer/work.py note_clock_stop)
