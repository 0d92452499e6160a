"""A lower bound on a minimum-set problem without its LP: the Lagrangian that relaxes the
targets, each evaluation one minimum cut.

With multipliers μ_k ≥ 0 on the target rows scaled to 1 (Σ_i a_ik x_i / t_k ≥ 1)::

    L(μ) = Σ_k μ_k + min_{x ∈ {0,1}^n}  Σ_i u_i x_i + Σ_pairs (α x_i + β x_j − w x_i x_j)
    u_i  = c_i + BLM·fixed_i − Σ_k μ_k a_ik / t_k

is a lower bound on the optimum for every μ ≥ 0 (weak duality). Every pair term has w ≥ 0
(boundary: b|x_i − x_j|; connectivity: c x_i(1 − x_j)), so the inner minimum is a minimum
s-t cut (Kolmogorov & Zabih 2004): unit i on the source side is x_i = 1; an arc i → t of
capacity u_i ≥ 0 (or s → i of −u_i, with u_i counted up front) prices selecting it, arcs
i ↔ j of b each way the boundary, an arc i → j of c the connectivity; locked units are tied
to their side by arcs no minimum cut takes. The cut is solved by OR-Tools' max flow
(push-relabel, int64 capacities): capacities are scaled and rounded down, so the value
found is at most the true minimum and the bound stays valid.

The boundary part of the LP relaxation is exact (docs/marxan.md), so max_μ L(μ) equals the
LP bound; L is concave and piecewise linear in μ (one piece per cut), and is maximised by
the box-step cutting-plane method (optimizer/box_step.py, as for Turpan's bound) on −L: an
LP over the cuts L(μ_j) + g_j·(μ − μ_j), g_j = 1 − A_jᵀx_j the target shortfalls of cut j,
inside a box around the best μ that grows on a good step and shrinks on a bad one. On
marxan-cloud-sample (prop 0.3) it is within 1 % of the LP bound after ~40 cuts (~1 s), where
the LP takes 9 s or more.

The cuts near the best μ are selections shaped by the boundary but short of some targets,
and they differ widely (the LP's optimum is degenerate). The units most of the last cuts
select (:meth:`LagrangianResult.majority`, a rounding of their average, which tends to the
LP's optimum) repaired by :func:`optimizer.marxan.heuristics.repair` make a good start.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from ortools.graph.python import max_flow

from optimizer import box_step
from optimizer.marxan.formulation import pair_terms
from optimizer.marxan.problem import MarxanProblem

_CAPACITY = float(2**60)  # total scaled capacity, well inside int64
RECENT_CUTS = 30  # cuts kept for the majority rounding


@dataclass(frozen=True)
class LagrangianResult:
    """The best bound, its multipliers (per feature, cost per target share) and its cut."""

    bound: float
    multipliers: NDArray[np.float64]
    cut: NDArray[np.float64]  # x of the inner minimum at the best multipliers
    iterations: int
    converged: bool  # the cutting-plane model proves the bound within its tolerance
    recent: NDArray[np.bool_] | None = None  # the last cuts found (rows), oldest first

    def majority(self, last: int, share: float = 0.5) -> NDArray[np.float64]:
        """The units selected by at least ``share`` of the ``last`` cuts: a rounding of
        the average cut, which approaches the LP's optimum as the multipliers converge."""
        cuts = self.recent[-last:] if self.recent is not None else self.cut[None, :] > 0.5
        return (cuts.mean(axis=0) >= share - 1e-9).astype(float)


class CutOracle:
    """min over x ∈ {0,1}^n of u·x + the problem's pair terms, for any unit costs u."""

    def __init__(self, problem: MarxanProblem) -> None:
        n = problem.n_units
        pi, pj, alpha, beta, w, is_boundary = pair_terms(problem)
        # boundary b|x_i − x_j|: arcs both ways of b; other pairs α x_i + β x_j − w x_i x_j
        # = (α − w) x_i + β x_j + w x_i (1 − x_j): an arc i → j of w and linear terms.
        other = ~is_boundary
        self.linear = (problem.cost + problem.blm * problem.fixed_boundary
                       + np.bincount(pi[other], weights=alpha[other] - w[other], minlength=n)
                       + np.bincount(pj[other], weights=beta[other], minlength=n))
        tails = np.concatenate([pi[is_boundary], pj[is_boundary], pi[other]])
        heads = np.concatenate([pj[is_boundary], pi[is_boundary], pj[other]])
        self.pair_capacity = np.concatenate([w[is_boundary] / 2, w[is_boundary] / 2,
                                             w[other]])
        self.n = n
        self.source, self.sink = n, n + 1
        self.locked_in, self.locked_out = problem.locked_in, problem.locked_out
        units = np.arange(n)
        self._flow = max_flow.SimpleMaxFlow()
        self._pair_arcs = self._flow.add_arcs_with_capacity(
            tails.astype(np.int32), heads.astype(np.int32),
            np.zeros(tails.size, dtype=np.int64))
        self._source_arcs = self._flow.add_arcs_with_capacity(
            np.full(n, self.source, np.int32), units.astype(np.int32), np.zeros(n, np.int64))
        self._sink_arcs = self._flow.add_arcs_with_capacity(
            units.astype(np.int32), np.full(n, self.sink, np.int32), np.zeros(n, np.int64))

    def minimum(self, unit_cost: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        """A lower bound on min_x u·x + pair terms (equal to it up to the rounding of the
        scaled capacities, ~1e-9 relative) and the x of the cut found."""
        free = ~(self.locked_in | self.locked_out)
        u = np.where(free, unit_cost, 0.0)
        total = float(np.abs(u).sum() + self.pair_capacity.sum()) + 1.0
        tied = int((~free).sum())
        scale = _CAPACITY / (total * (tied + 2))
        huge = np.int64(np.floor(total * scale) + 1)  # more than every finite arc together
        source = np.floor(np.maximum(-u, 0.0) * scale).astype(np.int64)
        sink = np.floor(np.maximum(u, 0.0) * scale).astype(np.int64)
        source[self.locked_in] = huge
        sink[self.locked_out] = huge
        flow = self._flow
        flow.set_arcs_capacity(self._pair_arcs,
                               np.floor(self.pair_capacity * scale).astype(np.int64))
        flow.set_arcs_capacity(self._source_arcs, source)
        flow.set_arcs_capacity(self._sink_arcs, sink)
        status = flow.solve(self.source, self.sink)
        if status != flow.OPTIMAL:
            raise RuntimeError(f"max flow ended with status {status}")
        side = np.asarray(flow.get_source_side_min_cut())
        x = np.zeros(self.n)
        x[side[side < self.n]] = 1.0
        value = (flow.optimal_flow() / scale + float(np.minimum(u, 0.0).sum())
                 + float(unit_cost[self.locked_in].sum()))
        return value, x


def lagrangian_bound(problem: MarxanProblem, time_limit_s: float = 5.0,
                     tolerance: float = 1e-4, max_iterations: int = 500,
                     threads: int = 2) -> LagrangianResult:
    """The largest L(μ) found within the limits: a valid lower bound on the minimum-set
    optimum (objective as :func:`optimizer.marxan.score.penalty_objective`)."""
    oracle = CutOracle(problem)
    targets = problem.targets
    rows = np.flatnonzero(targets > 0)
    share = (problem.amounts[:, rows] @ sp.diags(1.0 / targets[rows])).tocsr()
    recent: deque[NDArray[np.bool_]] = deque(maxlen=RECENT_CUTS)

    def negative(mu: NDArray[np.float64]) -> tuple[float, NDArray[np.float64], NDArray]:
        """−L(μ), its subgradient and the cut: L is maximised by minimising −L."""
        value, x = oracle.minimum(oracle.linear - share @ mu)
        recent.append(x > 0.5)
        return -(value + float(mu.sum())), share.T @ x - 1.0, x

    found = box_step.minimise(negative, np.ones(rows.size, bool),
                              float(max(oracle.linear.max(initial=0.0), 1.0)),
                              tolerance=tolerance, max_iterations=max_iterations,
                              time_limit_s=time_limit_s, threads=threads,
                              master_time_limit_s=10.0)
    multipliers = np.zeros(problem.n_features)
    multipliers[rows] = found.centre
    return LagrangianResult(-found.value, multipliers, found.payload, found.iterations,
                            found.converged, np.array(recent))
