"""AHP: known weights and CR; inconsistent or non-reciprocal judgements refused with reasons."""

import numpy as np
import pytest

from criteria.weights import InconsistentJudgementsError, ahp, resolve_weights
from region.scenario_objective import AHPJudgements, Weights

CRITERIA = ["sand", "water", "bio", "mine"]


def test_consistent_matrix_gives_back_its_weights_with_cr_zero() -> None:
    w = np.array([0.4, 0.3, 0.2, 0.1])
    result = ahp(CRITERIA, w[:, None] / w[None, :])
    np.testing.assert_allclose(list(result.weights.values()), w)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_hand_computed_slightly_inconsistent_matrix() -> None:
    # Saaty scale judgements; eigenvector and CR computed independently (power iteration).
    a = np.array([[1, 3, 5, 7], [1 / 3, 1, 3, 5], [1 / 5, 1 / 3, 1, 3], [1 / 7, 1 / 5, 1 / 3, 1]])
    v = np.ones(4)
    for _ in range(200):
        v = a @ v
        v /= v.sum()
    lam = float((a @ v / v).mean())
    result = ahp(CRITERIA, a)
    np.testing.assert_allclose(list(result.weights.values()), v, rtol=1e-6)
    assert result.consistency_ratio == pytest.approx((lam - 4) / 3 / 0.90, rel=1e-6)
    assert result.consistency_ratio < 0.1
    assert list(result.weights.values())[0] == pytest.approx(0.564, abs=0.005)


def test_inconsistent_matrix_rejected_naming_the_pair() -> None:
    a = np.array([[1, 9, 1 / 9, 1], [1 / 9, 1, 9, 1], [9, 1 / 9, 1, 1], [1, 1, 1, 1]])
    with pytest.raises(InconsistentJudgementsError, match=r"CR = .* > 0.1.*vs"):
        ahp(CRITERIA, a)


def test_non_reciprocal_matrix_rejected() -> None:
    a = np.ones((4, 4))
    a[0, 1] = 3
    with pytest.raises(InconsistentJudgementsError, match="reciprocal"):
        ahp(CRITERIA, a)


def test_resolve_direct_and_ahp_weights() -> None:
    direct = resolve_weights(Weights(sand=2, water=1, bio=1))
    assert direct == {"sand": 0.5, "water": 0.25, "bio": 0.25, "mine": 0.0, "carbon": 0.0}
    derived = resolve_weights(Weights(ahp=AHPJudgements(criteria=["sand", "water"],
                                                        matrix=[[1, 3], [1 / 3, 1]])))
    assert derived["sand"] == pytest.approx(0.75) and derived["carbon"] == 0.0
