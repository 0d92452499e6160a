"""Criterion weights: direct, or derived by AHP from pairwise comparisons (Saaty 1980).

AHP, as Chinese restoration planning uses it: the weights are the principal eigenvector of
the reciprocal comparison matrix A (a_ij = importance of i over j, a_ji = 1/a_ij); the
consistency index CI = (λ_max − n)/(n − 1) and ratio CR = CI/RI(n) with Saaty's random
index RI. CR > 0.1 means the judgements contradict each other too much to use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from region.scenario_objective import Weights
from region.schema import CRITERIA

#: Saaty's random consistency index RI(n), n = 1..10.
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
MAX_CONSISTENCY_RATIO = 0.1


class InconsistentJudgementsError(ValueError):
    """The AHP matrix is not reciprocal, or its consistency ratio is above 0.1."""


@dataclass(frozen=True)
class AHPResult:
    weights: dict[str, float]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def ahp(criteria: list[str], matrix: ArrayLike) -> AHPResult:
    """Weights from a pairwise-comparison matrix; raises InconsistentJudgementsError when CR > 0.1,
    naming the comparisons that disagree most with the derived weights."""
    a = np.asarray(matrix, dtype=float)
    n = len(criteria)
    if a.shape != (n, n):
        raise InconsistentJudgementsError(
            f"AHP matrix is {a.shape}, expected {n}×{n} for {criteria}")
    if (a <= 0).any():
        raise InconsistentJudgementsError("AHP judgements must be positive (Saaty scale 1/9 … 9)")
    off = np.abs(a * a.T - 1.0) > 0.02
    if off.any() or not np.allclose(np.diag(a), 1.0):
        i, j = np.argwhere(off)[0] if off.any() else (0, 0)
        raise InconsistentJudgementsError(
            f"AHP matrix must be reciprocal with 1 on the diagonal: a[{criteria[i]},"
            f"{criteria[j]}] = {a[i, j]:g} but a[{criteria[j]},{criteria[i]}] = {a[j, i]:g}; "
            f"set it to {1 / a[i, j]:.4g}")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    lambda_max = float(values[k].real)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n - 1] if n > 2 else 0.0
    if cr > MAX_CONSISTENCY_RATIO:
        # a_ij should be w_i / w_j; the worst pairs deviate most from that.
        deviation = np.abs(np.log(a * w[None, :] / w[:, None]))
        worst = np.dstack(np.unravel_index(np.argsort(-deviation, axis=None), a.shape))[0]
        pairs = [(i, j) for i, j in worst if i < j][:3]
        detail = "; ".join(f"{criteria[i]} vs {criteria[j]}: judged {a[i, j]:.3g}, the other "
                           f"judgements imply {w[i] / w[j]:.3g}" for i, j in pairs)
        raise InconsistentJudgementsError(
            f"AHP consistency ratio CR = {cr:.3f} > {MAX_CONSISTENCY_RATIO}: the judgements "
            f"contradict each other. Most inconsistent: {detail}. Revise those comparisons.")
    return AHPResult(dict(zip(criteria, w.tolist(), strict=True)), lambda_max, ci, cr)


def resolve_weights(weights: Weights) -> dict[str, float]:
    """Scenario weights → {criterion: weight} over all CRITERIA, summing to 1."""
    if weights.ahp is not None:
        unknown = [c for c in weights.ahp.criteria if c not in CRITERIA]
        if unknown:
            raise InconsistentJudgementsError(
                f"AHP criteria {unknown} unknown: use {list(CRITERIA)}")
        derived = ahp(weights.ahp.criteria, weights.ahp.matrix).weights
        return {c: derived.get(c, 0.0) for c in CRITERIA}
    direct = weights.direct()
    total = sum(direct.values())
    return {c: v / total for c, v in direct.items()}
