"""A Lagrangian dual bound for models too large for their LP relaxation.

The one-action rows (Σ x ≤ 1 over the options of a parcel) are kept; a chosen set of
resource rows — budget, water, targets, capacity … : few rows that couple every parcel —
gets multipliers μ; every other row is dropped. For any μ ≥ 0 (signed per side of a row)

    L(μ) = Σ_i (μ⁺_i · upper_i − μ⁻_i · lower_i) + max_{x ∈ X} (c − A_Dᵀ μ) · x,

where X is "at most one option per parcel, every column within its (finite) bounds", is
an upper bound on the maximum (weak duality). max over X is a per-parcel argmax:
O(non-zeros) in numpy, so one evaluation of a 1.8-million-option model takes a fraction of
a second, where its LP relaxation does not finish in minutes. Dropping rows only relaxes
the problem, so the bound stays valid (and equals the LP bound at the best μ when no row
is dropped).

μ is minimised by the box-step cutting-plane method (optimizer/box_step.py): an LP over the
cuts L(μ_k) + g_k·(μ − μ_k) inside a box around the best μ, which grows on a good step and
shrinks on a bad one. Rows are scaled to their right-hand sides first so that one box fits
every multiplier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer import box_step
from optimizer.compiled import CompiledModel
from optimizer.work import note_clock_stop

#: Families whose rows are few and couple the whole region: dualised when present.
RESOURCE_FAMILIES = ("budget", "budget_total", "water", "water_city", "water_total",
                     "target", "locked_in", "capacity", "capacity_count", "county_share",
                     "budget_county")


class NotDecomposableError(ValueError):
    """The model has no one-action rows of the form this bound needs."""


@dataclass(frozen=True)
class LagrangianBound:
    """The best bound found and the relaxation's reduced values at its multipliers."""

    bound: float
    reduced_value: NDArray[np.float64]  # per column at the best μ, higher is better
    iterations: int


@dataclass(frozen=True)
class _Relaxation:
    """The pieces of the model the bound works on, in maximisation form."""

    sign: float  # +1 for a maximisation, −1 for a minimisation (negated)
    c: NDArray[np.float64]
    a_t: sp.csr_matrix  # the dualised rows, scaled and transposed
    upper: NDArray[np.float64]  # scaled sides; 0 where a side is absent …
    lower: NDArray[np.float64]
    has_upper: NDArray[np.bool_]  # … as these say
    has_lower: NDArray[np.bool_]
    group: NDArray[np.int64]  # one-action row of each column, −1 when none
    n_groups: int
    col_lower: NDArray[np.float64]
    col_upper: NDArray[np.float64]


def _relaxation(model: CompiledModel, families: tuple[str, ...]) -> _Relaxation:
    try:
        one = model.family("one_action")
    except KeyError as exc:
        raise NotDecomposableError("the model has no one_action rows") from exc
    block = model.A[one.start:one.stop].tocoo()
    group = np.full(model.n_cols, -1, dtype=np.int64)
    if (np.bincount(block.col, minlength=model.n_cols) > 1).any() or (block.data != 1).any() \
            or (model.row_upper[one.start:one.stop] != 1).any() \
            or (model.col_lower[block.col] != 0).any() or (model.col_upper[block.col] > 1).any():
        raise NotDecomposableError("one_action rows must be Σ x ≤ 1 over disjoint binaries")
    group[block.col] = block.row
    if not (np.isfinite(model.col_lower).all() and np.isfinite(model.col_upper).all()):
        raise NotDecomposableError("every column needs finite bounds")
    rows = np.concatenate([np.arange(f.start, f.stop) for f in model.families
                           if f.name in families] or [np.zeros(0, np.int64)]).astype(np.int64)
    dualised = model.A[rows]
    upper, lower = model.row_upper[rows], model.row_lower[rows]
    sides = np.where(np.isfinite(upper), np.abs(upper), 0.0)
    sides = np.maximum(sides, np.where(np.isfinite(lower), np.abs(lower), 0.0))
    largest = (np.asarray(abs(dualised).max(axis=1).todense()).ravel() if len(rows)
               else np.zeros(0))
    scale = 1.0 / np.maximum(np.maximum(sides, largest), 1e-12)
    sign = 1.0 if model.sense == "max" else -1.0
    has_upper, has_lower = np.isfinite(upper), np.isfinite(lower)
    return _Relaxation(sign, sign * model.obj, (sp.diags(scale) @ dualised).T.tocsr(),
                       np.where(has_upper, upper * scale, 0.0),
                       np.where(has_lower, lower * scale, 0.0), has_upper, has_lower, group,
                       one.stop - one.start, model.col_lower, model.col_upper)


def _inner(rel: _Relaxation, mu: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
    """max over X of (c − A_Dᵀ μ)·x and its maximiser."""
    reduced = rel.c - rel.a_t @ mu
    x = np.where(reduced > 0, rel.col_upper, rel.col_lower)
    free = rel.group < 0
    value = float(reduced[free] @ x[free])
    grouped = np.flatnonzero(~free)
    gain = reduced[grouped] * rel.col_upper[grouped]
    best = np.full(rel.n_groups, 0.0)
    np.maximum.at(best, rel.group[grouped], gain)
    # The first column of each group reaching its best positive gain is the one chosen.
    chosen = grouped[(gain > 0) & (gain == best[rel.group[grouped]])]
    _, first = np.unique(rel.group[chosen], return_index=True)
    x[grouped] = 0.0
    x[chosen[first]] = rel.col_upper[chosen[first]]
    return value + float(best.sum()), x


def _evaluate(rel: _Relaxation, mu_up: NDArray, mu_low: NDArray
              ) -> tuple[float, NDArray, NDArray]:
    """L(μ) and its subgradients with respect to μ⁺ and μ⁻."""
    inner, x = _inner(rel, mu_up - mu_low)
    activity = rel.a_t.T @ x
    return (inner + float(mu_up @ rel.upper - mu_low @ rel.lower), rel.upper - activity,
            activity - rel.lower)


def lagrangian_bound(model: CompiledModel, time_limit_s: float = 60.0,
                     max_iterations: int = 200, tolerance: float = 1e-4,
                     families: tuple[str, ...] = RESOURCE_FAMILIES,
                     threads: int = 2) -> LagrangianBound:
    """The smallest L(μ) found within the limits (an upper bound on a maximisation's
    optimum, a lower bound on a minimisation's); stops when the cutting-plane model
    proves it within ``tolerance`` (relative) of the best L over the box."""
    rel = _relaxation(model, families)
    m = len(rel.upper)

    def evaluate(mu: NDArray[np.float64]) -> tuple[float, NDArray[np.float64], None]:
        value, g_up, g_low = _evaluate(rel, mu[:m], mu[m:])
        return value, np.concatenate([g_up, g_low]), None

    found = box_step.minimise(evaluate, np.concatenate([rel.has_upper, rel.has_lower]),
                              tolerance=tolerance, max_iterations=max_iterations,
                              time_limit_s=time_limit_s, threads=threads)
    if found.clock_stopped:
        note_clock_stop(f"the Lagrangian bound (after {found.iterations} of {max_iterations} "
                        "steps)")
    mu = found.centre[:m] - found.centre[m:]
    return LagrangianBound(rel.sign * found.value, rel.c - rel.a_t @ mu, found.iterations)
