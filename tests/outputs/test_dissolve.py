"""Dissolving parcels: coverage union where they tile, the general union where they do not;
both give the union of each group's parcels."""

import geopandas as gpd
import shapely
from shapely.geometry import box

from outputs.dissolve import dissolve


def _grid(n: int, overlap: float = 0.0) -> gpd.GeoDataFrame:
    cells = [box(i, j, i + 1 + overlap, j + 1 + overlap) for i in range(n) for j in range(n)]
    return gpd.GeoDataFrame({"zone": [(i // n) % 2 for i in range(n * n)]}, geometry=cells)


def _same_as_general_union(frame: gpd.GeoDataFrame) -> None:
    out = dissolve(frame, "zone")
    for zone, group in frame.groupby("zone"):
        expected = shapely.union_all(group.geometry.values)
        assert out.loc[zone, "geometry"].symmetric_difference(expected).area < 1e-9
        assert out.loc[zone, "geometry"].is_valid


def test_tiling_parcels_dissolve_to_their_union() -> None:
    frame = _grid(6)
    assert shapely.coverage_is_valid(frame.geometry.values)
    _same_as_general_union(frame)
    assert dissolve(frame, "zone").loc[0, "geometry"].area == 18.0


def test_overlapping_parcels_fall_back_to_the_general_union() -> None:
    frame = _grid(6, overlap=0.3)
    assert not shapely.coverage_is_valid(frame.geometry.values)
    _same_as_general_union(frame)
