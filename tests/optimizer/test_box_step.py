"""The box-step cutting-plane minimiser both Lagrangian bounds share, on functions whose
minimum is known by hand."""

import numpy as np
import pytest

from optimizer import box_step


def _distance(centre: np.ndarray):
    """f(μ) = Σ |μ_i − c_i| with a subgradient; the payload counts the evaluations."""
    calls = []

    def evaluate(mu: np.ndarray):
        calls.append(mu.copy())
        return float(np.abs(mu - centre).sum()), np.sign(mu - centre), len(calls)

    return evaluate, calls


def test_it_finds_the_minimum_of_a_convex_piecewise_linear_function() -> None:
    evaluate, calls = _distance(np.array([2.0, 0.5, 7.0]))
    found = box_step.minimise(evaluate, np.ones(3, bool), tolerance=1e-9,
                              max_iterations=200, time_limit_s=60.0)
    assert found.value == pytest.approx(0.0, abs=1e-7)
    np.testing.assert_allclose(found.centre, [2.0, 0.5, 7.0], atol=1e-7)
    assert found.converged and not found.clock_stopped
    assert len(calls) == found.iterations
    np.testing.assert_array_equal(calls[found.payload - 1], found.centre)  # its own payload


def test_a_multiplier_not_allowed_stays_at_zero_and_none_goes_negative() -> None:
    evaluate, _ = _distance(np.array([2.0, 1.0, -3.0]))
    found = box_step.minimise(evaluate, np.array([True, False, True]), tolerance=1e-9,
                              max_iterations=200, time_limit_s=60.0)
    # μ_2 is held at 0 and μ_3 ≥ 0: the minimum is |0 − 1| + |0 − (−3)| = 4 at (2, 0, 0)
    assert found.value == pytest.approx(4.0, abs=1e-7)
    np.testing.assert_allclose(found.centre, [2.0, 0.0, 0.0], atol=1e-7)


def test_the_iteration_limit_ends_it_unconverged() -> None:
    evaluate, calls = _distance(np.array([50.0, 80.0]))
    found = box_step.minimise(evaluate, np.ones(2, bool), box=1.0, tolerance=1e-9,
                              max_iterations=3, time_limit_s=60.0)
    assert len(calls) == found.iterations == 3 and not found.converged
    assert found.value < 130.0  # better than f(0), worse than the minimum
