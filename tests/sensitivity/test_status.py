"""What a sensitivity analysis claims of itself: "optimal" only where proven, and a warning
when its indices rest on too few samples."""

import numpy as np
import pandas as pd

from sensitivity.status import reliability, run_words, status_counts


def test_a_sample_stopped_at_the_asked_gap_is_within_it_not_optimal() -> None:
    """The stranger's runs.csv said "optimal" for samples solved to [sensitivity] gap (1-2 %)."""
    assert run_words("optimal", 0.0) == "optimal"
    assert run_words("optimal", 5e-7) == "optimal"  # HiGHS's closed tree
    assert run_words("optimal", 0.0123) == "within 1.23% of optimal"
    assert run_words("feasible", 0.051) == "feasible, gap 5.10%"
    assert run_words("feasible", None) == "feasible, no bound"
    assert run_words("feasible", float("inf")) == "feasible, no bound"  # not "gap inf%"
    assert run_words("error", None) == "error"


def test_the_counts_say_how_many_were_proven_and_the_largest_gap() -> None:
    runs = pd.DataFrame({"status": ["optimal", "optimal", "optimal", "feasible", "error"],
                         "gap": [0.0, 0.004, 0.0150, 0.08, np.nan]})
    zh, en = status_counts(runs, 0.02)
    assert en == ("1 proven optimal, 2 within 1.50% of optimal (the asked gap, [sensitivity] "
                  "gap, is 2.00%), 1 feasible, short of the asked gap, 1 failed or infeasible")
    assert zh.startswith("1 次证明最优，2 次距最优不超过 1.50%")
    zh, en = status_counts(runs.iloc[:1], 0.02)
    assert en == "1 proven optimal, 0 failed or infeasible" and "within" not in en


def test_one_morris_trajectory_warns_that_its_indices_have_no_spread() -> None:
    zh, en = reliability("morris", 1, 9, pd.DataFrame())
    assert "no spread estimate" in en and "not reliable" in en
    assert "--samples 10: 100 solves" in en  # 10 trajectories × (9 factors + 1)
    assert "没有离散度估计" in zh and "不可靠" in zh
    _, en = reliability("morris", 4, 9, pd.DataFrame())
    assert en.startswith("4 Morris trajectories only") and "--samples 10" in en
    assert reliability("morris", 10, 9, pd.DataFrame()) is None
    assert reliability("oat", 1, 9, pd.DataFrame()) is None


def test_sobol_with_wide_intervals_names_the_samples_that_would_narrow_them() -> None:
    """Intervals of ±0.4 at N = 4 need (0.4/0.1)² = 16 × the samples: N = 64, a power of 2."""
    wide = pd.DataFrame({"output": ["value_at_base"] * 2, "factor": ["budget", "water"],
                         "S1": [0.5, 0.2], "S1_conf": [0.4, 0.1], "ST": [0.6, 0.3],
                         "ST_conf": [0.3, 0.2]})
    zh, en = reliability("sobol", 4, 3, wide)
    assert "up to ±0.40 wide (N = 4 base samples)" in en
    assert "about N = 64 would do (--samples 64: 320 solves" in en  # 64 × (3 + 2)
    assert "N = 64" in zh
    narrow = wide.assign(S1_conf=0.05, ST_conf=0.08)
    assert reliability("sobol", 256, 3, narrow) is None


def test_samples_left_at_the_base_plan_are_said_from_a_quarter_on() -> None:
    from sensitivity.status import unmoved

    runs = pd.DataFrame({"status": ["feasible"] * 3 + ["optimal"] * 5,
                         "jaccard": [1.0, 1.0, 0.8, 1.0, 1.0, 1.0, 1.0, 1.0],
                         "same_plan": [True, True, False, True, True, True, True, True]})
    zh, en = unmoved(runs)  # 2 of 8 short and unchanged: a quarter
    assert en.startswith("2 of 8 samples stopped short of the asked gap with the base plan "
                         "unchanged (the same parcels, actions and start years)")
    assert zh.startswith("2/8 个样本")
    one = [True, False, False, True, True, True, True, True]
    assert unmoved(runs.assign(same_plan=one)) is None  # 1 of 8
    # the same parcels (Jaccard 1) with other start years or actions: the sample adapted
    assert unmoved(runs.assign(same_plan=[False] * 8)) is None
    assert unmoved(runs.assign(same_plan=[None] * 8)) is None  # recorded before the column
    assert unmoved(runs.drop(columns="same_plan")) is None
