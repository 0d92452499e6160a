"""Where parcels lie: inside the region's outline (with a tolerance for a generalised one),
and coordinates that fit the CRS the file declares."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from region.extent import crs_fit_problems, outside_problems, read_outline
from region.files import TURPAN_DIR

BOUNDARIES = TURPAN_DIR / "boundaries.gpkg"


def beside_the_west_edge(degrees_out: float) -> gpd.GeoDataFrame:
    """A 0.001° square ``degrees_out`` west of the outline's westmost vertex."""
    outline = shapely.union_all(read_outline(BOUNDARIES).to_numpy())
    points = shapely.get_coordinates(outline)
    x, y = points[points[:, 0].argmin()]
    square = shapely.box(x - degrees_out - 0.001, y - 0.0005, x - degrees_out, y + 0.0005)
    return gpd.GeoDataFrame(geometry=[square], crs="EPSG:4326")


@pytest.mark.parametrize(("degrees_out", "refused"), [(0.005, False), (0.1, True)])
def test_a_parcel_just_beside_the_outline_is_inside_and_one_km_off_is_not(
        degrees_out, refused) -> None:
    """0.005° at 42° N is ≈0.4 km: within the 1 km tolerance; 0.1° (≈8 km) is outside."""
    problems = outside_problems(beside_the_west_edge(degrees_out), BOUNDARIES, "p.gpkg")
    assert bool(problems) == refused
    if refused:
        assert "no parcel lies in the region" in problems[0].message


def test_without_an_outline_nothing_is_checked(tmp_path) -> None:
    assert outside_problems(beside_the_west_edge(5.0), tmp_path / "none.gpkg", "p.gpkg") == []


def test_degrees_in_a_geographic_crs_fit_and_metres_do_not() -> None:
    square = gpd.GeoDataFrame(geometry=[shapely.box(89.1, 42.8, 89.2, 42.9)], crs="EPSG:4326")
    assert crs_fit_problems(square, "p.gpkg") == []
    metres = square.to_crs("EPSG:4518").set_crs("EPSG:4326", allow_override=True)
    (problem,) = crs_fit_problems(metres, "p.gpkg")
    assert "are not degrees" in problem.message and "EPSG:4518" in problem.message
    assert crs_fit_problems(square.to_crs("EPSG:4518"), "p.gpkg") == []
