"""Small hand-made region files for the loader tests."""

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from region.schema import EQUAL_AREA_CRS

SIDE_M = 2000.0  # 2 km squares: 4 km² each


def square(i: int) -> Polygon:
    return box(i * SIDE_M, 0.0, (i + 1) * SIDE_M, SIDE_M)


def parcel_frame(n: int = 4, crs: str = EQUAL_AREA_CRS) -> gpd.GeoDataFrame:
    """n valid 4 km² parcels in a row, with the required columns, in ``crs``."""
    frame = gpd.GeoDataFrame(
        {
            "parcel_id": list(range(1, n + 1)),
            "county": ["650402"] * n,
            "zone": [1, 2, 3, 3][:n] + [3] * max(0, n - 4),
            "area_km2": [4.0] * n,
            "land_cover": ["forest", "oasis_farmland", "desert_shrubland", "gobi"][:n]
            + ["gobi"] * max(0, n - 4),
            "degradation": [1] * n,
        },
        geometry=[square(i) for i in range(n)],
        crs=EQUAL_AREA_CRS,
    )
    return frame.to_crs(crs)


@pytest.fixture
def make_parcels():
    return parcel_frame


@pytest.fixture
def write_parcels(tmp_path: Path):
    def write(frame: gpd.GeoDataFrame, name: str = "parcels.gpkg") -> Path:
        path = tmp_path / name
        frame.to_file(path, driver="GPKG" if name.endswith(".gpkg") else None)
        return path

    return write
