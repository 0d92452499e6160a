"""The planning units of the shipped Turpan region and the distances between places: a
hexagonal grid of 5 km² cells in the equal-area CRS, clipped to the city boundary (data/
README.md, "Planning units")."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from region.schema import EQUAL_AREA_CRS, STORAGE_CRS

HEX_AREA_KM2 = 5.0
SLIVER_KM2 = 0.5


def hex_grid(boundary_ea: shapely.Geometry, area_km2: float) -> gpd.GeoDataFrame:
    """Pointy-top hexagons of ``area_km2`` covering the boundary, clipped to it (metres)."""
    side = np.sqrt(2.0 * area_km2 * 1e6 / (3.0 * np.sqrt(3.0)))
    width, height = np.sqrt(3.0) * side, 1.5 * side
    minx, miny, maxx, maxy = boundary_ea.bounds
    rows = np.arange(int((maxy - miny) / height) + 3)
    cols = np.arange(int((maxx - minx) / width) + 3)
    cy = miny - height + rows * height
    cx = minx - width + cols * width
    gx, gy = np.meshgrid(cx, cy)
    gx = gx + np.where((np.arange(len(rows)) % 2 == 1)[:, None], width / 2.0, 0.0)
    centres = np.column_stack([gx.ravel(), gy.ravel()])
    angles = np.deg2rad(np.arange(6) * 60.0 + 30.0)
    ring = np.stack([side * np.cos(angles), side * np.sin(angles)], axis=1)
    coords = centres[:, None, :] + ring[None, :, :]
    hexes = shapely.polygons(np.concatenate([coords, coords[:, :1, :]], axis=1))
    shapely.prepare(boundary_ea)
    keep = shapely.intersects(boundary_ea, hexes)
    clipped = shapely.intersection(hexes[keep], boundary_ea)
    return gpd.GeoDataFrame(geometry=clipped, crs=EQUAL_AREA_CRS)


def drop_slivers(cells: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, float]:
    """Drop edge slivers below SLIVER_KM2 (too small to plan); return the area dropped."""
    area = cells.area / 1e6
    small = area < SLIVER_KM2
    return cells.loc[~small].reset_index(drop=True), float(area[small].sum())


def to_local_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Lon/lat → x/y km in the equal-area CRS (for distances)."""
    pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=STORAGE_CRS).to_crs(EQUAL_AREA_CRS)
    return np.column_stack([pts.x, pts.y]) / 1000.0


def nearest_cells_until(xy: np.ndarray, area: np.ndarray, seed_xy: np.ndarray,
                        target_km2: float, allowed: np.ndarray) -> np.ndarray:
    """Indices of allowed cells nearest a seed point whose areas add up to ``target_km2``."""
    idx = np.flatnonzero(allowed)
    order = idx[np.argsort(np.hypot(*(xy[idx] - seed_xy).T), kind="stable")]
    cum = np.cumsum(area[order])
    n = int(np.searchsorted(cum, target_km2)) + 1
    if n > 1 and abs(cum[n - 2] - target_km2) < abs(cum[n - 1] - target_km2):
        n -= 1
    return order[:n]
