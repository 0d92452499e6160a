"""The ramp: nothing during the lag, linear to maturity, capped at survival."""

import numpy as np
import pytest

from criteria.ramp import benefit_fraction, cumulative_benefit


def test_hand_computed_ramp() -> None:
    # lag 2, maturity 5: k = 2, 3, 4, 5 give 1/4, 2/4, 3/4, 4/4 of the mature benefit
    got = benefit_fraction(np.arange(8), lag_years=2, maturity_years=5, survival=0.8)
    want = 0.8 * np.array([0, 0, 0.25, 0.5, 0.75, 1, 1, 1])
    np.testing.assert_allclose(got, want)


def test_no_lag_gives_benefit_in_the_start_year() -> None:
    assert benefit_fraction(0, 0, 1) == pytest.approx(0.5)
    assert benefit_fraction(1, 0, 1) == pytest.approx(1.0)


def test_cumulative_sum_matches_a_loop_and_earlier_is_worth_more() -> None:
    starts = np.array([2027, 2031, 2035])
    got = cumulative_benefit(starts, 2050, lag_years=2, maturity_years=5, survival=0.9)
    want = [sum(float(benefit_fraction(y - s, 2, 5, 0.9)) for y in range(s, 2051))
            for s in starts]
    np.testing.assert_allclose(got, want)
    assert got[0] > got[1] > got[2]


def test_discounting_lowers_later_years_from_the_base_year() -> None:
    flat = cumulative_benefit(2027, 2030, 0, 0)
    assert flat == pytest.approx(4.0)
    discounted = cumulative_benefit(2027, 2030, 0, 0, discount_rate=0.1)
    assert discounted == pytest.approx(sum(1.1 ** -k for k in range(4)))
    later = cumulative_benefit(2029, 2030, 0, 0, discount_rate=0.1, base_year=2027)
    assert later == pytest.approx(1.1 ** -2 + 1.1 ** -3)


def test_vectorised_over_actions_and_starts() -> None:
    got = cumulative_benefit(np.array([[2027], [2028]]), 2030, lag_years=np.array([0, 1]),
                             maturity_years=np.array([0, 1]), base_year=2027)
    assert got.shape == (2, 2)
    np.testing.assert_allclose(got, [[4.0, 3.0], [3.0, 2.0]])
