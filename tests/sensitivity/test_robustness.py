"""Selection frequency, robust core, stability and dependent parcels on hand-made runs."""

import numpy as np
import pandas as pd
import pytest

from sensitivity.robustness import (
    dependent_parcels,
    first_year_tau,
    selection_frequency,
    stability,
)

BASE = {"chosen": "1:2027 2:2027 3:2028", "first_year_order": "1 2"}


@pytest.fixture
def runs():
    return pd.DataFrame({
        "run_id": [0, 1, 2, 3],
        "x:water": [0.8, 0.9, 1.1, 1.2],
        "jaccard": [0.5, 0.75, 1.0, 1.0],
        "chosen": ["1:2027 3:2028", "1:2027 2:2028 3:2028", "1:2027 2:2027 3:2028",
                   "1:2027 2:2027 3:2028 4:2029"],
        "first_year_order": ["1", "1", "2 1", "1 2"],
        "status": ["optimal"] * 4})


def test_selection_frequency_and_robust_core(runs) -> None:
    frequency = selection_frequency(runs, robust_share=0.9).set_index("parcel_id")
    assert frequency.loc[[1, 2, 3, 4], "frequency"].tolist() == [1.0, 0.75, 1.0, 0.25]
    assert frequency["robust_core"].to_dict() == {1: True, 3: True, 2: False, 4: False}
    assert frequency.loc[2, "modal_year"] == 2027
    assert frequency.loc[2, "modal_year_share"] == pytest.approx(2 / 3)


def test_stability_against_the_base(runs) -> None:
    stable = stability(runs, BASE).set_index("run_id")
    assert stable["first_year_kept"].tolist() == [0.5, 0.5, 1.0, 1.0]
    assert stable.loc[2, "first_year_tau"] == pytest.approx(-1.0)  # order reversed
    assert stable.loc[3, "first_year_tau"] == pytest.approx(1.0)
    assert np.isnan(stable.loc[0, "first_year_tau"])  # one common parcel: no ranking
    assert first_year_tau("1 2 3", "3 2 1") == pytest.approx(-1.0)


def test_parcels_that_follow_the_water_limit(runs) -> None:
    # Parcel 2 is chosen from 0.9 upwards, parcel 4 only at 1.2; parcels 1 and 3 always.
    assert dependent_parcels(runs, "water") == [2, 4]
    assert dependent_parcels(runs, "budget") == []


def test_similarity_correlation_is_read_in_the_right_direction() -> None:
    from sensitivity.report import similarity_reading

    assert similarity_reading("water", 0.6) == "the less water, the more the list changes"
    assert similarity_reading("water", -0.6) == "the more water, the more the list changes"
    assert similarity_reading("budget", 0.05) == "the list hardly depends on the budget"
    assert similarity_reading("budget", float("nan")) == "the list hardly depends on the budget"


def test_the_reading_is_said_in_chinese_too() -> None:
    from sensitivity.report import similarity_reading_zh

    assert similarity_reading_zh("water", 0.6) == "水量越少，清单变化越大"
    assert similarity_reading_zh("budget", -0.6) == "预算越多，清单变化越大"
    assert similarity_reading_zh("budget", float("nan")) == "清单几乎不受预算影响"
