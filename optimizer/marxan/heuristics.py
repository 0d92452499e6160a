"""Greedy start, vectorised simulated annealing, and repair to meet every target.

The objective is written as ``L·x − ½ xᵀW x`` (``L_i`` = cost + BLM·fixed boundary + the
linear parts of every pair term, ``W`` symmetric with the pair weights ``w``), so flipping
unit i changes it by::

    Δ_i = s_i (L_i − (W x)_i),      s_i = 1 − 2 x_i

and the shortfall penalty Σ_k ρ_k max(0, t_k − h_k) (ρ_k = spf_k P_k / t_k, Marxan's) by
Σ_k ρ_k [max(0, t_k − h_k − s_i a_ik) − max(0, t_k − h_k)]. Every step evaluates Δ for a
random batch of units at once, accepts by the Metropolis rule, keeps an independent set of
the accepted (no two sharing a boundary, so the pair part of Δ stays exact) and applies them
together; ``W x`` and the held amounts are updated incrementally by sparse products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.marxan.formulation import base_selection, pair_terms
from optimizer.marxan.problem import MarxanProblem
from optimizer.marxan.score import feature_penalties, held


@dataclass(frozen=True)
class Landscape:
    """The precomputed arrays of Δ-evaluation."""

    linear: NDArray[np.float64]  # L
    pair: sp.csr_matrix  # W (symmetric, BLM included)
    amounts: sp.csr_matrix  # n × k
    targets: NDArray[np.float64]
    rho: NDArray[np.float64]  # shortfall penalty per unit of shortfall
    free: NDArray[np.bool_]

    @classmethod
    def of(cls, problem: MarxanProblem, target_weight: float | None = None) -> Landscape:
        """``target_weight`` replaces Marxan's ρ_k by weight / t_k (a hard-target surrogate)."""
        n = problem.n_units
        pi, pj, alpha, beta, w, _ = pair_terms(problem)
        linear = (problem.cost + problem.blm * problem.fixed_boundary
                  + np.bincount(pi, weights=alpha, minlength=n)
                  + np.bincount(pj, weights=beta, minlength=n))
        upper = sp.coo_matrix((w, (pi, pj)), shape=(n, n))
        targets = problem.targets
        safe = np.where(targets > 0, targets, 1.0)
        if target_weight is None:
            rho = problem.spf * feature_penalties(problem) / safe
        else:
            rho = np.full(problem.n_features, float(target_weight)) / safe
        return cls(linear, (upper + upper.T).tocsr(), problem.amounts.tocsr(), targets,
                   np.where(targets > 0, rho, 0.0),
                   ~(problem.locked_in | problem.locked_out))

    def objective(self, x: NDArray[np.float64]) -> float:
        """L·x − ½ xᵀWx + Σ ρ shortfall."""
        h = np.asarray(self.amounts.T @ x).ravel()
        return float(self.linear @ x - 0.5 * x @ (self.pair @ x)
                     + self.rho @ np.maximum(self.targets - h, 0))

    def deltas(self, units: NDArray[np.int64], x: NDArray[np.float64],
               wx: NDArray[np.float64], h: NDArray[np.float64]) -> NDArray[np.float64]:
        """Δ objective of flipping each of ``units`` alone."""
        s = 1 - 2 * x[units]
        sub = self.amounts[units].tocoo()
        k = sub.col
        new = h[k] + s[sub.row] * sub.data
        short = (np.maximum(self.targets[k] - new, 0) - np.maximum(self.targets[k] - h[k], 0))
        d_short = np.bincount(sub.row, weights=self.rho[k] * short, minlength=units.size)
        return s * (self.linear[units] - wx[units]) + d_short


def greedy(problem: MarxanProblem, batch_fraction: float = 0.02) -> NDArray[np.float64]:
    """Add units by cost-effectiveness until every target is met.

    Effectiveness of unit i = Σ_k min(a_ik, shortfall_k) / t_k (the target share it closes),
    over Δ of cost and boundary; each round adds the best ``batch_fraction`` of the units
    that still help (at least one), then recomputes.
    """
    land = Landscape.of(problem, target_weight=0.0)
    x = base_selection(problem)
    targets = land.targets
    safe = np.where(targets > 0, targets, 1.0)
    for _ in range(problem.n_units):
        h = held(problem, x)
        short = np.maximum(targets - h, 0)
        if not (short > 1e-9 * safe).any():
            break
        gain = _gain(land.amounts, short, safe)
        cand = np.flatnonzero((gain > 0) & land.free & (x == 0))
        if cand.size == 0:
            break
        delta = land.linear[cand] - (land.pair @ x)[cand]
        ratio = gain[cand] / np.maximum(delta, 1e-9 * np.abs(land.linear).max() + 1e-12)
        take = max(1, int(batch_fraction * cand.size))
        x[cand[np.argsort(-ratio)[:take]]] = 1
    return x


def anneal(problem: MarxanProblem, x0: NDArray[np.float64] | None = None, *, steps: int = 3000,
           batch: int = 256, target_weight: float | None = None, t_start: float | None = None,
           t_end_ratio: float = 1e-3, seed: int | np.random.Generator | None = 0,
           ) -> NDArray[np.float64]:
    """Vectorised simulated annealing (geometric cooling) from ``x0`` (default: greedy).

    Returns the best selection seen. ``t_start`` defaults to the median |Δ| of a first batch.
    """
    rng = np.random.default_rng(seed)
    land = Landscape.of(problem, target_weight)
    x = (greedy(problem) if x0 is None else np.asarray(x0, float)).copy()
    free_idx = np.flatnonzero(land.free)
    if free_idx.size == 0:
        return x
    wx = land.pair @ x
    h = np.asarray(land.amounts.T @ x).ravel()
    value = land.objective(x)
    best, best_value = x.copy(), value
    pattern = land.pair.copy()
    pattern.data[:] = 1.0
    if t_start is None:
        probe = rng.choice(free_idx, min(batch, free_idx.size), replace=False)
        t_start = float(np.median(np.abs(land.deltas(probe, x, wx, h)))) + 1e-9
    cooling = t_end_ratio ** (1 / max(steps - 1, 1))
    temp = t_start
    for _ in range(steps):
        units = rng.choice(free_idx, min(batch, free_idx.size), replace=False)
        d = land.deltas(units, x, wx, h)
        accept = (d < 0) | (rng.random(units.size) < np.exp(-np.maximum(d, 0) / temp))
        units, d = units[accept], d[accept]
        if units.size:
            # independent set: keep a unit when its random priority beats every accepted
            # neighbour's (sparse max over the boundary pattern).
            prio = np.zeros(x.size)
            prio[units] = rng.random(units.size) + 1.0
            rival = pattern[units].multiply(prio[None, :]).max(axis=1).toarray().ravel()
            keep = prio[units] > rival
            units, d = units[keep], d[keep]
            s = 1 - 2 * x[units]
            x[units] += s
            wx += land.pair[:, units] @ s
            h += np.asarray(land.amounts[units].T @ s).ravel()
            value += float(d.sum())
            if value < best_value - 1e-9:
                exact = land.objective(x)  # batches interact through features: recheck
                value = exact
                if exact < best_value:
                    best, best_value = x.copy(), exact
        temp *= cooling
    return best


def _gain(amounts: sp.csr_matrix, short: NDArray[np.float64],
          safe: NDArray[np.float64]) -> NDArray[np.float64]:
    """Σ_k min(a_ik, short_k) / t_k per unit: the share of the missing targets it closes."""
    coo = amounts.tocoo()
    part = np.minimum(coo.data, short[coo.col]) / safe[coo.col]
    return np.bincount(coo.row, weights=part, minlength=amounts.shape[0])


def repair(problem: MarxanProblem, x: NDArray[np.float64], batch: int = 1
           ) -> NDArray[np.float64]:
    """Meet every target, then drop units whose removal lowers the objective and keeps
    every target, one at a time.

    Additions go by the share of the missing targets a unit closes per Δ of cost and
    boundary (a unit that lowers the objective first), ``batch`` at a time between
    recomputations: 5 takes a fifth of the time of 1 on a 12,178-unit problem and ends as
    good (its repair of the Lagrangian cut: 4.37 M with 5, 4.45 M with 1, 4.54 M with 20)."""
    x = np.asarray(x, float).copy()
    land = Landscape.of(problem, target_weight=0.0)
    targets = land.targets
    safe = np.where(targets > 0, targets, 1.0)
    h = held(problem, x)
    wx = land.pair @ x
    while (short := np.maximum(targets - h, 0)).max(initial=0.0) > 0 and (
            short > 1e-9 * safe).any():
        gain = _gain(land.amounts, short, safe)
        cand = np.flatnonzero(land.free & (x == 0) & (gain > 0))
        if cand.size == 0:
            break
        ratio = gain[cand] / np.maximum(land.linear[cand] - wx[cand], 1e-12)
        take = (cand[np.argpartition(-ratio, batch - 1)[:batch]] if cand.size > batch
                else cand)
        x[take] = 1
        h += np.asarray(land.amounts[take].sum(axis=0)).ravel()
        wx += np.asarray(land.pair[take].sum(axis=0)).ravel()  # W is symmetric
    coo = land.amounts.tocoo()
    while True:
        slack = h - targets + 1e-9 * safe
        breaks = np.bincount(coo.row, weights=(coo.data > slack[coo.col]).astype(float),
                             minlength=x.size)
        d = wx - land.linear  # Δ objective of dropping each selected unit
        removable = land.free & (x == 1) & (breaks == 0) & (d < -1e-9)
        if not removable.any():
            break
        unit = int(np.argmin(np.where(removable, d, np.inf)))
        x[unit] = 0
        h -= land.amounts[unit].toarray().ravel()
        wx -= land.pair[unit].toarray().ravel()
    return x
