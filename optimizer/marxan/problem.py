"""A Marxan problem held as arrays: planning units, features, amounts, boundary, connectivity.

Marxan's minimum-set objective for a selection ``x ∈ {0,1}^n``::

    cost·x + BLM·(Σ_i fixed_i x_i + Σ_{i<j} b_ij |x_i − x_j|)
           + BLM·Σ_{i,j} c_ij x_i (1 − x_j)          (asymmetric connectivity, Marxan Connect)
    subject to  Σ_i amount_ik x_i ≥ target_k  for every feature k

``fixed_i`` is the boundary a unit has on the study-area edge (``bound.dat`` rows with
``id1 == id2``); ``b_ij`` the shared boundary of two units, each unordered pair once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

LOCKED_IN = 2
LOCKED_OUT = 3


class MarxanInfeasibleError(ValueError):
    """Some feature's target cannot be met even with every unit that is not locked out."""


@dataclass(frozen=True)
class MarxanProblem:
    """Arrays of one Marxan problem; index ``i`` is a planning unit, ``k`` a feature."""

    pu_ids: NDArray[np.int64]
    cost: NDArray[np.float64]
    status: NDArray[np.int64]  # 0 free, 1 initial include (free), 2 locked in, 3 locked out
    feature_ids: NDArray[np.int64]
    feature_names: tuple[str, ...]
    prop: NDArray[np.float64]  # NaN where the target is absolute
    target_abs: NDArray[np.float64]  # the spec file's 'target' (used where prop is NaN)
    spf: NDArray[np.float64]
    amounts: sp.csr_matrix  # n_units × n_features
    edge_i: NDArray[np.int64]  # boundary pairs, edge_i < edge_j, each pair once
    edge_j: NDArray[np.int64]
    edge_b: NDArray[np.float64]
    fixed_boundary: NDArray[np.float64]
    blm: float = 0.0
    misslevel: float = 1.0
    conn: sp.csr_matrix | None = None  # c_ij ≥ 0: penalty for selecting i without j
    name: str = "marxan"
    notes: tuple[str, ...] = ()  # what the reader read differently from the files' letter

    @property
    def n_units(self) -> int:
        return int(self.pu_ids.size)

    @property
    def n_features(self) -> int:
        return int(self.feature_ids.size)

    @property
    def totals(self) -> NDArray[np.float64]:
        """Amount of each feature over all units, locked-out ones included (Marxan's basis
        for ``prop``)."""
        return np.asarray(self.amounts.sum(axis=0)).ravel()

    @property
    def targets(self) -> NDArray[np.float64]:
        """target_k = prop_k · total_k where prop is given, else the absolute target."""
        return np.where(np.isnan(self.prop), self.target_abs, self.prop * self.totals)

    @property
    def locked_in(self) -> NDArray[np.bool_]:
        return self.status == LOCKED_IN

    @property
    def locked_out(self) -> NDArray[np.bool_]:
        return self.status == LOCKED_OUT

    def boundary_matrix(self) -> sp.csr_matrix:
        """Symmetric n×n matrix of shared boundaries (zero diagonal)."""
        n = self.n_units
        upper = sp.coo_matrix((self.edge_b, (self.edge_i, self.edge_j)), shape=(n, n))
        return (upper + upper.T).tocsr()

    def with_overrides(self, *, blm: float | None = None, prop: float | None = None,
                       spf: float | None = None) -> MarxanProblem:
        """A copy with BLM, every feature's prop, or every feature's SPF replaced."""
        k = self.n_features
        return replace(
            self,
            blm=self.blm if blm is None else float(blm),
            prop=self.prop if prop is None else np.full(k, float(prop)),
            spf=self.spf if spf is None else np.full(k, float(spf)),
        )

    def subset(self, keep: NDArray[np.bool_]) -> MarxanProblem:
        """The problem cut to the units where ``keep`` is true: their boundaries with dropped
        units vanish, features absent from the kept units are dropped, and ``prop`` targets
        are taken over the kept units (a smaller problem of the same kind, for tests and
        benchmarks)."""
        idx = np.flatnonzero(keep)
        col = np.full(self.n_units, -1)
        col[idx] = np.arange(idx.size)
        edges = keep[self.edge_i] & keep[self.edge_j]
        amounts = self.amounts[idx]
        present = np.flatnonzero(np.asarray(amounts.sum(axis=0)).ravel() > 0)
        return replace(
            self, pu_ids=self.pu_ids[idx], cost=self.cost[idx], status=self.status[idx],
            feature_ids=self.feature_ids[present],
            feature_names=tuple(self.feature_names[k] for k in present),
            prop=self.prop[present], target_abs=self.target_abs[present],
            spf=self.spf[present], amounts=amounts[:, present].tocsr(),
            edge_i=col[self.edge_i[edges]], edge_j=col[self.edge_j[edges]],
            edge_b=self.edge_b[edges], fixed_boundary=self.fixed_boundary[idx],
            conn=None if self.conn is None else self.conn[idx][:, idx].tocsr())

    def check_feasible(self) -> None:
        """Raise :class:`MarxanInfeasibleError` naming every feature whose target exceeds
        what the units that are not locked out hold."""
        available = np.asarray(self.amounts[~self.locked_out].sum(axis=0)).ravel()
        short = np.flatnonzero(available < self.targets * (1 - 1e-9))
        if short.size:
            lines = ", ".join(f"{self.feature_names[k]} (id {self.feature_ids[k]}): target "
                              f"{self.targets[k]:.6g} > available {available[k]:.6g}"
                              for k in short)
            raise MarxanInfeasibleError(
                f"{short.size} feature target(s) cannot be met: {lines}. Lower their prop or "
                "target in spec.dat, or unlock units (status 3 in pu.dat).")
