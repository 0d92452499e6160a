"""A run's status as a planner reads it: optimal only when the gap is closed."""

import pytest

from outputs.labels import STATUS_WORDS, status_cell, status_words


@pytest.mark.parametrize("gap", [0.0, 1e-7, 1e-6, None])
def test_a_closed_gap_is_optimal(gap) -> None:
    """Closed to the solver's tolerance (1e-6), or no gap given (nothing to say against the
    solver's word): optimal."""
    assert status_words("optimal", gap) == "最优解 optimal"


@pytest.mark.parametrize(("gap", "within"), [
    (0.00408, "0.41%"),   # the baseline's 0.408 %: HiGHS calls it optimal at mip_rel_gap 0.5 %
    (0.004, "0.40%"),     # exactly 0.40 %: not rounded up past it
    (0.00401, "0.41%"),   # rounded up, never down: the words claim no more than was proven
    (2e-6, "0.01%"),      # just above the tolerance
    (0.012, "1.20%"),
])
def test_optimal_within_the_asked_gap_says_the_gap(gap, within) -> None:
    text = status_words("optimal", gap)
    assert text == f"近优解（距最优不超过 {within}） within {within} of optimal"
    assert "最优解" not in text  # the sensitivity report's words: 距最优不超过, within … of


def test_other_statuses_keep_their_words_whatever_the_gap() -> None:
    assert status_words("feasible", 0.05) == STATUS_WORDS["feasible"]
    assert status_words("time_limit_no_solution", None) == STATUS_WORDS["time_limit_no_solution"]
    assert status_words("something new", None) == "something new"


def test_sweep_and_front_tables_say_within_gap_beside_an_open_gap() -> None:
    """The sweep and Pareto tables print the gap in the next column: their status cell says
    "optimal" only for a closed gap, "within gap" for one HiGHS stopped at, as the report."""
    assert status_cell("optimal", 0.0) == "optimal"
    assert status_cell("optimal", None) == "optimal"
    assert status_cell("optimal", 0.00408) == "within gap"
    assert status_cell("feasible", 0.00408) == "feasible"


def test_every_status_text_rounds_an_open_gap_up() -> None:
    """The run's words, the sensitivity samples' and their count all read one rule
    (optimizer/gap.py): 0.4049 % is "within 0.41 %", never "within 0.40 %"."""
    import pandas as pd

    from sensitivity.status import run_words, status_counts

    assert "0.41%" in status_words("optimal", 0.004049)
    assert run_words("optimal", 0.004049) == "within 0.41% of optimal"
    runs = pd.DataFrame({"status": ["optimal", "optimal"], "gap": [0.0, 0.004049]})
    zh, en = status_counts(runs, 0.005)
    assert "within 0.41% of optimal" in en and "距最优不超过 0.41%" in zh
