"""Area-weighted overlay against areas worked out by hand on unit squares."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from region.survey.layers import AreaLayer
from region.survey.overlay import nearest_distance, overlay

# Two 10 × 10 features side by side; patches: one across both (6 in the left, 4 in the
# right), one inside the left, one half outside everything.
FEATURES = np.array([shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)])
PATCHES = np.array([shapely.box(4, 0, 14, 1), shapely.box(1, 1, 3, 3),
                    shapely.box(18, 5, 22, 6)])


def test_shared_areas_and_covered_shares() -> None:
    shared = overlay(PATCHES, FEATURES)
    matrix = shared.matrix().toarray()
    assert matrix == pytest.approx(np.array([[6.0, 4.0], [4.0, 0.0], [0.0, 2.0]]))
    assert shared.covered_share() == pytest.approx([1.0, 1.0, 0.5])
    assert shared.feature_covered_share() == pytest.approx([0.10, 0.06])


def test_mean_largest_shares_and_amounts() -> None:
    shared = overlay(PATCHES, FEATURES)
    assert shared.mean(np.array([100.0, 200.0])) == pytest.approx([140.0, 100.0, 200.0])
    assert shared.mean(np.array([np.nan, 200.0])) == pytest.approx([200.0, np.nan, 200.0],
                                                                   nan_ok=True)
    values, share = shared.largest(np.array(["left", "right"], dtype=object))
    assert values.tolist() == ["left", "left", "right"]
    assert share == pytest.approx([0.6, 1.0, 0.5])
    frame = shared.shares(["a", "a"])
    assert frame["a"].to_numpy() == pytest.approx([1.0, 1.0, 0.5])
    # 10 karez on the left feature: the patches hold 6 % and 4 % of its area.
    assert shared.share_sum(np.array([10.0, 0.0])) == pytest.approx([0.6, 0.4, 0.0])


def test_nested_areas_name_a_patch_by_the_most_specific() -> None:
    layer = AreaLayer(np.array([shapely.box(0, 0, 100, 100), shapely.box(0, 0, 10, 10)]),
                      np.array(["scenic area", "geopark"], dtype=object), "test", True)
    patches = np.array([shapely.box(1, 1, 5, 5), shapely.box(8, 0, 14, 2),
                        shapely.box(95, 0, 105, 1)])
    # Inside both; 1/3 in the geopark (below half) so the scenic area; half inside only.
    assert layer.assign(patches).tolist() == ["geopark", "scenic area", "scenic area"]


def test_nearest_distance_is_zero_when_touching() -> None:
    distance, index = nearest_distance(np.array([shapely.box(20, 0, 21, 1),
                                                 shapely.box(25, 0, 26, 1)]), FEATURES)
    assert distance == pytest.approx([0.0, 5.0])
    assert index.tolist() == [1, 1]
    assert np.isinf(nearest_distance(PATCHES, np.array([]))[0]).all()


def test_a_sliver_thinner_than_the_simplification_keeps_its_distance() -> None:
    thin = shapely.box(25, 0, 25.5, 30)  # 0.5 wide: simplifying at 1 would erase it
    distance, _ = nearest_distance(np.array([thin]), FEATURES, tolerance_m=1.0)
    assert distance == pytest.approx([5.0])
