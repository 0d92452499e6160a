"""Local search that keeps every target met: fill, drop, swap one for one, two for one.

A selection that meets every target is improved by four kinds of move until none lowers
the objective ``L·x − ½ xᵀWx`` (:class:`~optimizer.marxan.heuristics.Landscape`, targets
aside) or time runs out — the best fill or drop while one improves, else a sweep of swaps,
else the first improving two-for-one:

- **fill** an unselected unit j whose own cost is below the boundary it closes
  (Δ = L_j − (Wx)_j < 0);
- **drop** a selected unit i whose removal keeps every target (Δ = −(L_i − (Wx)_i));
- **swap** i out and j in, j holding what i's removal leaves missing
  (Δ = L_j − (Wx)_j + W_ij − (L_i − (Wx)_i));
- **two for one**: i₁ and i₂ out, j in (Δ = L_j − (Wx)_j + W_i₁j + W_i₂j −
  (L_i₁ − (Wx)_i₁) − (L_i₂ − (Wx)_i₂) − W_i₁i₂), over every pair of selected units when at most
  :data:`ALL_PAIRS_MAX` are selected, else over neighbouring pairs.

An exact solver or LNS stopped by the clock leaves such moves behind (measured on a busy
machine: HiGHS's 15-s selection on the 653-unit cf-demographic problem 95.8 → 95.0 in 0.04 s;
a 10-s LNS selection of marxan-cloud-sample at prop 0.3, from the greedy start, 5.81 M →
5.30 M in 2 s). Every move keeps every target, so the selection is feasible at every moment
and never worse than the one given.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.marxan.heuristics import Landscape
from optimizer.marxan.problem import MarxanProblem

#: Two-for-one moves try every pair of selected units up to this many selected (≈ 45,000
#: pairs), neighbouring pairs only above it.
ALL_PAIRS_MAX = 300
_EPS = 1e-9


@dataclass
class _Rows:
    """A CSR matrix's arrays, sliced by hand (scipy's row indexing costs ~100 µs a call)."""

    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    data: NDArray[np.float64]
    owner: NDArray[np.int64]  # the row of each stored entry

    @classmethod
    def of(cls, matrix: sp.spmatrix) -> _Rows:
        m = sp.csr_matrix(matrix)
        return cls(m.indptr, m.indices, m.data,
                   np.repeat(np.arange(m.shape[0]), np.diff(m.indptr)))

    def row(self, i: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.indices[lo:hi], self.data[lo:hi]

    def at(self, i: int, j: int) -> float:
        columns, values = self.row(i)
        return float(values[columns == j].sum())


@dataclass
class _State:
    """A selection with its running sums: Wx and the held amounts."""

    land: Landscape
    pair: _Rows  # W by unit
    amounts: _Rows  # amounts by unit
    holdings: _Rows  # amounts by feature
    x: NDArray[np.float64]
    wx: NDArray[np.float64]
    held: NDArray[np.float64]
    tolerance: NDArray[np.float64]
    _scratch: NDArray[np.float64]  # zeros between calls: one feature's amounts by unit

    @classmethod
    def of(cls, problem: MarxanProblem, x: NDArray[np.float64]) -> _State:
        land = Landscape.of(problem, target_weight=0.0)
        x = np.asarray(x, float).copy()
        targets = land.targets
        return cls(land, _Rows.of(land.pair), _Rows.of(land.amounts),
                   _Rows.of(land.amounts.T), x, land.pair @ x,
                   np.asarray(land.amounts.T @ x).ravel(),
                   1e-9 * np.where(targets > 0, targets, 1.0), np.zeros(x.size))

    @property
    def slack(self) -> NDArray[np.float64]:
        """How much of each feature can be given up (held − target, with a tolerance)."""
        return self.held - self.land.targets + self.tolerance

    def gain(self) -> NDArray[np.float64]:
        """L − Wx: the cost of adding an unselected unit, the saving of dropping a selected one."""
        return self.land.linear - self.wx

    def flip(self, unit: int) -> None:
        s = 1.0 - 2.0 * self.x[unit]
        self.x[unit] += s
        neighbours, w = self.pair.row(unit)
        self.wx[neighbours] += s * w
        features, a = self.amounts.row(unit)
        self.held[features] += s * a

    def holders(self, need: dict[int, float]) -> NDArray[np.int64]:
        """Free unselected units holding at least ``need[k]`` of every feature k."""
        units: NDArray[np.int64] | None = None
        for k, amount in sorted(need.items(), key=lambda item: self._count(item[0])):
            holding, a = self.holdings.row(k)
            if units is None:
                units = holding[a >= amount]
                units = units[self.land.free[units] & (self.x[units] == 0)]
            else:
                self._scratch[holding] = a
                units = units[self._scratch[units] >= amount]
                self._scratch[holding] = 0.0
            if units.size == 0:
                break
        return np.empty(0, np.int64) if units is None else units

    def _count(self, feature: int) -> int:
        return int(self.holdings.indptr[feature + 1] - self.holdings.indptr[feature])

    def missing_without(self, units: list[int]) -> dict[int, float]:
        """What dropping ``units`` would leave missing, per feature."""
        loss: dict[int, float] = {}
        for unit in units:
            features, a = self.amounts.row(unit)
            for k, amount in zip(features.tolist(), a.tolist(), strict=True):
                loss[k] = loss.get(k, 0.0) + amount
        slack = self.slack
        return {k: a - slack[k] for k, a in loss.items() if a > slack[k]}

    def best_entry(self, leaving: list[int]) -> tuple[float, int | None]:
        """The unit whose entry, with ``leaving`` dropped, keeps every target and adds least
        to the objective: (its Δ of entering, the unit) or (inf, None)."""
        need = self.missing_without(leaving)
        candidates = (self.holders(need) if need
                      else np.flatnonzero(self.land.free & (self.x == 0)))
        if candidates.size == 0:
            return np.inf, None
        entering = self.land.linear - self.wx  # a fresh array: changed in place below
        for unit in leaving:  # the entering unit loses its boundary with the leaving ones
            neighbours, w = self.pair.row(unit)
            entering[neighbours] += w
        delta = entering[candidates]
        best = int(np.argmin(delta))
        return float(delta[best]), int(candidates[best])


def improve(problem: MarxanProblem, x: NDArray[np.float64], *, time_limit_s: float = 5.0
            ) -> NDArray[np.float64]:
    """``x`` (meeting every target) improved by fills, drops, swaps and two-for-one moves
    until none lowers the objective or ``time_limit_s`` has passed."""
    deadline = time.perf_counter() + time_limit_s
    state = _State.of(problem, x)
    while time.perf_counter() < deadline:
        if not (_fill_or_drop(state) or _swap(state, deadline)
                or _two_for_one(state, deadline)):
            break
    return state.x


def _fill_or_drop(state: _State) -> bool:
    """Apply the single best fill or drop; whether one lowered the objective."""
    land = state.land
    gain = state.gain()
    fill = np.where(land.free & (state.x == 0), gain, np.inf)
    amounts = state.amounts  # a drop breaks a target where a unit holds more than its slack
    breaks = np.bincount(amounts.owner,
                         weights=(amounts.data > state.slack[amounts.indices]).astype(float),
                         minlength=state.x.size)
    drop = np.where(land.free & (state.x == 1) & (breaks == 0), -gain, np.inf)
    best_fill, best_drop = int(np.argmin(fill)), int(np.argmin(drop))
    unit = best_fill if fill[best_fill] <= drop[best_drop] else best_drop
    if min(fill[best_fill], drop[best_drop]) >= -_EPS:
        return False
    state.flip(unit)
    return True


def _swap(state: _State, deadline: float) -> bool:
    """One sweep of the selected units, each swapped for its best replacement when that
    lowers the objective; whether any did."""
    moved = False
    for unit in _selected_by_saving(state):
        if time.perf_counter() >= deadline:
            break
        if state.x[unit] != 1:
            continue
        delta, entering = state.best_entry([unit])
        if entering is not None and delta - state.gain()[unit] < -_EPS:
            state.flip(unit)
            state.flip(entering)
            moved = True
    return moved


def _two_for_one(state: _State, deadline: float) -> bool:
    """The first pair of selected units one unit can replace with a lower objective."""
    selected = _selected_by_saving(state)
    all_pairs = selected.size <= ALL_PAIRS_MAX
    for a, first in enumerate(selected):
        if time.perf_counter() >= deadline:
            return False
        if all_pairs:
            partners = selected[a + 1:]
        else:
            neighbours, _ = state.pair.row(int(first))
            partners = neighbours[(state.x[neighbours] == 1) & state.land.free[neighbours]
                                  & (neighbours > first)]
        gain = state.gain()
        for second in partners.tolist():
            saving = gain[first] + gain[second] + state.pair.at(int(first), second)
            delta, entering = state.best_entry([int(first), second])
            if entering is not None and delta - saving < -_EPS:
                state.flip(int(first))
                state.flip(second)
                state.flip(entering)
                return True
    return False


def _selected_by_saving(state: _State) -> NDArray[np.int64]:
    """Free selected units, the largest saving of dropping them first (ties by index)."""
    selected = np.flatnonzero(state.land.free & (state.x == 1))
    return selected[np.argsort(-state.gain()[selected], kind="stable")]
