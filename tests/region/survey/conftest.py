"""Small survey-patch layers, made here, placed inside the shipped Turpan region."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from region.schema import EQUAL_AREA_CRS

#: A point in the Gaochang oasis plain (lon, lat), where the grids start.
ORIGIN = (89.20, 42.93)
GK_ZONE_30 = "EPSG:4518"


def origin_ea() -> tuple[float, float]:
    point = gpd.GeoSeries([shapely.Point(ORIGIN)], crs="EPSG:4326").to_crs(EQUAL_AREA_CRS)
    return float(point.x.iloc[0]), float(point.y.iloc[0])


def squares(n: int, side_m: float = 300.0, per_row: int = 10,
            origin: tuple[float, float] | None = None) -> np.ndarray:
    """n touching squares in rows of ``per_row``, in the equal-area CRS."""
    x0, y0 = origin or origin_ea()
    k = np.arange(n)
    return shapely.box(x0 + (k % per_row) * side_m, y0 - (k // per_row) * side_m,
                       x0 + (k % per_row + 1) * side_m, y0 - (k // per_row - 1) * side_m)


def make_patch_layer(codes: list[str], side_m: float = 300.0, crs: str = GK_ZONE_30,
                per_row: int = 10, geoms: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """A 三调-style layer: one square patch per code, standard fields, in ``crs``."""
    geoms = squares(len(codes), side_m, per_row) if geoms is None else geoms
    frame = gpd.GeoDataFrame({
        "BSM": np.arange(1, len(codes) + 1) + 500,
        "DLBM": codes,
        "ZLDWDM": "6504021010000000000",
        "ZLDWMC": ["亚尔镇" if i % 2 else "恰特喀勒乡" for i in range(len(codes))],
        "TBMJ": np.round(shapely.area(geoms), 2),
    }, geometry=geoms, crs=EQUAL_AREA_CRS)
    return frame.to_crs(crs)


@pytest.fixture
def write_layer(tmp_path: Path):
    """Write a layer: ``.shp`` (with ``encoding``; ``cpg=False`` removes the .cpg), else by
    suffix (GeoPackage, GeoJSON); return its path."""

    def write(frame: gpd.GeoDataFrame, name: str = "patches.shp", encoding: str = "GBK",
              cpg: bool = False) -> Path:
        path = tmp_path / name
        if path.suffix == ".shp":
            with warnings.catch_warnings():  # GDAL's notes on cut field names, no CRS
                warnings.simplefilter("ignore", RuntimeWarning)
                warnings.simplefilter("ignore", UserWarning)
                frame.to_file(path, encoding=encoding)
            if not cpg:
                path.with_suffix(".cpg").unlink(missing_ok=True)
        else:
            frame.to_file(path)
        return path

    return write


@pytest.fixture
def patch_layer():
    return make_patch_layer


@pytest.fixture
def ea_origin() -> tuple[float, float]:
    """Where the patch grids start, in the equal-area CRS (m)."""
    return origin_ea()
