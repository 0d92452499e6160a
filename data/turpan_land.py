"""Oases, restoration zones and land cover of the shipped Turpan region: modelled, by the
rules below and in data/README.md (places from turpan_places.py)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree
from turpan_grid import HEX_AREA_KM2, to_local_km
from turpan_places import (
    KUMTAG_RADIUS_KM,
    OASIS_TOWNS,
    RAILWAY,
    SETTLEMENT_RADIUS_KM,
    ZONE5_NORTH_EDGE,
)

ZONES = {
    1: ("天山南坡东段土壤侵蚀敏感与水源保护生态修复区",
        "Tianshan south slope: erosion-sensitive, water source"),
    2: ("绿洲特色农业、旅游与艾丁湖湿地保护生态修复区",
        "Oasis agriculture, tourism and Aydingkol wetland"),
    3: ("绿洲外围防风固沙生态修复区", "Oasis periphery: wind-break and sand fixation"),
    4: ("觉罗塔格-库鲁克塔格山荒漠植被保护生态修复区",
        "Jueluotage-Kuruktag desert vegetation"),
    5: ("嘎顺-南湖戈壁荒漠风蚀敏感生态修复区", "Gashun-Nanhu Gobi, wind-erosion sensitive"),
}


def oases(xy: np.ndarray, elevation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Oasis cells: discs around the towns (turpan_places.OASIS_TOWNS), below 800 m (the
    basin floor and its fans); and each cell's distance to each town, km (one column a
    town, in the table's order)."""
    names = list(OASIS_TOWNS)
    town = np.array([OASIS_TOWNS[k][:2] for k in names])
    town_xy = to_local_km(town[:, 0], town[:, 1])
    radius = np.array([OASIS_TOWNS[k][2] for k in names])
    d_town = np.hypot(xy[:, None, 0] - town_xy[None, :, 0], xy[:, None, 1] - town_xy[None, :, 1])
    in_oasis = ((d_town <= radius[None, :]).any(axis=1)) & (elevation < 800)
    return in_oasis, d_town


def oasis_distance(xy: np.ndarray, in_oasis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance to the oasis edge, km: centroid distance to the nearest oasis cell less half
    a cell (0 inside); and that cell's position among the oasis cells."""
    oasis_tree = cKDTree(xy[in_oasis])
    d_oasis, near = oasis_tree.query(xy)
    d_oasis = np.where(in_oasis, 0.0, np.maximum(d_oasis - np.sqrt(HEX_AREA_KM2) / 2, 0.0))
    return d_oasis, near


def side_of_railway(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """True north of the railway polyline (interpolated latitude at the parcel's longitude)."""
    rl = np.array(RAILWAY)
    return lat > np.interp(lon, rl[:, 0], rl[:, 1])


def south_of(lon: np.ndarray, lat: np.ndarray, edge: list[tuple[float, float]]) -> np.ndarray:
    """True south of a west-east polyline (interpolated latitude at the parcel's longitude)."""
    line = np.array(edge)
    return lat < np.interp(lon, line[:, 0], line[:, 1])


def zones(lon: np.ndarray, lat: np.ndarray, north: np.ndarray, county: np.ndarray,
          elevation: np.ndarray, d_oasis: np.ndarray, in_oasis: np.ndarray,
          is_wetland: np.ndarray) -> np.ndarray:
    """Restoration zone (1-5) of each parcel: the documented rules, in priority order (a later
    rule overrides an earlier one); ``north``: north of the railway."""
    zone = np.full(len(lon), 4)
    zone[south_of(lon, lat, ZONE5_NORTH_EDGE) & np.isin(county, ["650402", "650421"])] = 5
    zone[(d_oasis <= 20.0) & (lat > 42.35) & (elevation < 1200)] = 3
    zone[north & ~in_oasis] = 1
    zone[in_oasis | is_wetland] = 2
    return zone


def land_cover(zone: np.ndarray, elevation: np.ndarray, patch: np.ndarray,
               d_oasis: np.ndarray, d_kumtag: np.ndarray, d_lake: np.ndarray,
               in_oasis: np.ndarray, d_town: np.ndarray, is_wetland: np.ndarray) -> np.ndarray:
    """Land cover of each parcel: rules by zone, elevation and distance (to the oasis edge,
    the Kumtag desert, the Aydingkol lake, the towns), and a seeded patch field (``patch``,
    uniform in [0, 1)). Mines are laid over it afterwards (turpan_mines.py)."""
    cover = np.full(len(zone), "gobi", dtype=object)
    z1 = zone == 1
    cover[z1 & (elevation < 1600)] = "gobi"
    cover[z1 & (elevation >= 1600) & (elevation < 2000)] = "alpine_grassland"
    forest_band = z1 & (elevation >= 2000) & (elevation < 2900)
    cover[forest_band] = np.where(patch[forest_band] < 0.35, "forest", "alpine_grassland")
    cover[z1 & (elevation >= 2900) & (elevation < 3600)] = "alpine_grassland"
    cover[z1 & (elevation >= 3600)] = "bare_mountain"
    z3 = zone == 3
    cover[z3] = np.where(patch[z3] < 0.55, "desert_shrubland", "gobi")
    cover[z3 & (d_oasis < 6) & (patch < 0.8)] = "desert_shrubland"
    sandy = (d_kumtag < KUMTAG_RADIUS_KM) | (d_lake < 35)
    cover[sandy & np.isin(zone, [3, 4, 5]) & (patch < 0.6)] = "sand_dune"
    z4 = zone == 4
    cover[z4 & (elevation >= 900)] = "bare_mountain"
    cover[z4 & (elevation < 900) & (patch < 0.2)] = "desert_shrubland"
    z5 = zone == 5
    cover[z5 & (patch < 0.12)] = "sand_dune"
    cover[z5 & (patch > 0.9)] = "desert_shrubland"
    cover[in_oasis] = "oasis_farmland"
    settlement_radius = np.array([SETTLEMENT_RADIUS_KM.get(k, 0.0) for k in OASIS_TOWNS])
    cover[in_oasis & (d_town <= settlement_radius[None, :]).any(axis=1)] = "settlement"
    cover[is_wetland] = "wetland"
    return cover
