"""Local search that keeps every target met: fill, drop, swap one for one, two for one.

A selection that meets every target is improved by the best of four moves until none lowers
the objective ``L·x − ½ xᵀWx`` (:class:`~optimizer.marxan.heuristics.Landscape`, targets
aside) or time runs out:

- **fill** an unselected unit j whose own cost is below the boundary it closes
  (Δ = L_j − (Wx)_j < 0);
- **drop** a selected unit i whose removal keeps every target (Δ = −(L_i − (Wx)_i));
- **swap** i out and j in, j holding what i's removal leaves missing
  (Δ = L_j − (Wx)_j + W_ij − (L_i − (Wx)_i));
- **two for one**: i₁ and i₂ out, j in (Δ = L_j − (Wx)_j + W_i₁j + W_i₂j −
  (L_i₁ − (Wx)_i₁) − (L_i₂ − (Wx)_i₂) − W_i₁i₂), over every pair of selected units when at most
  :data:`ALL_PAIRS_MAX` are selected, else over neighbouring pairs.

An exact solver or LNS stopped by the clock leaves such moves behind (measured: HiGHS's 15-s
selection on the 653-unit cf-demographic problem 95.8 → 95.0 in 0.04 s; LNS's on
marxan-cloud-sample prop 0.3, 3.97 M → 3.92 M). Every move keeps every target, so the
selection is feasible at every moment and never worse than the one given.
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
class _State:
    """A selection with its running sums: Wx and the held amounts."""

    land: Landscape
    amounts_by_feature: sp.csc_matrix
    x: NDArray[np.float64]
    wx: NDArray[np.float64]
    held: NDArray[np.float64]
    tolerance: NDArray[np.float64]

    @classmethod
    def of(cls, problem: MarxanProblem, x: NDArray[np.float64]) -> _State:
        land = Landscape.of(problem, target_weight=0.0)
        x = np.asarray(x, float).copy()
        targets = land.targets
        return cls(land, land.amounts.tocsc(), x, land.pair @ x,
                   np.asarray(land.amounts.T @ x).ravel(),
                   1e-9 * np.where(targets > 0, targets, 1.0))

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
        row = self.land.pair[unit]
        self.wx[row.indices] += s * row.data
        amounts = self.land.amounts[unit]
        self.held[amounts.indices] += s * amounts.data

    def holders(self, need: dict[int, float]) -> NDArray[np.int64]:
        """Free unselected units holding at least ``need[k]`` of every feature k."""
        units = np.flatnonzero(self.land.free & (self.x == 0))
        cols = self.amounts_by_feature
        for k, amount in need.items():
            rows = cols.indices[cols.indptr[k]:cols.indptr[k + 1]]
            vals = cols.data[cols.indptr[k]:cols.indptr[k + 1]]
            units = np.intersect1d(units, rows[vals >= amount], assume_unique=True)
            if units.size == 0:
                break
        return units

    def missing_without(self, units: list[int]) -> dict[int, float]:
        """What dropping ``units`` would leave missing, per feature."""
        loss: dict[int, float] = {}
        for unit in units:
            row = self.land.amounts[unit]
            for k, a in zip(row.indices.tolist(), row.data.tolist(), strict=True):
                loss[k] = loss.get(k, 0.0) + a
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
        delta = self.gain()[candidates]
        for unit in leaving:  # the entering unit loses its boundary with the leaving ones
            delta = delta + self.land.pair[unit][:, candidates].toarray().ravel()
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
    coo = land.amounts.tocoo()
    breaks = np.bincount(coo.row, weights=(coo.data > state.slack[coo.col]).astype(float),
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
            row = state.land.pair[first]
            partners = row.indices[(state.x[row.indices] == 1) & state.land.free[row.indices]
                                   & (row.indices > first)]
        gain = state.gain()
        for second in partners.tolist():
            saving = gain[first] + gain[second] + state.land.pair[first, second]
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
