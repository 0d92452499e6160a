"""The layers of boundaries.gpkg beside the real city and counties: rivers and channels, the
Aydingkol lake, township seats (and each parcel's township), and the unions of the modelled
parcels (oases, the wetland park, protected areas, red lines)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from turpan_grid import to_local_km
from turpan_places import (
    AYDINGKOL,
    AYDINGKOL_LAKE_KM2,
    AYDINGKOL_LAKE_LENGTH_KM,
    CHANNEL_CAPACITY_WAN_M3_PER_YR,
    PROTECTED_AREAS,
    RED_LINES,
    REPLENISHMENT_CHANNELS,
    RIVERS,
    TOWNSHIPS,
)

from region.schema import EQUAL_AREA_CRS, STORAGE_CRS


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


def boundary_layers(city: gpd.GeoDataFrame, counties: gpd.GeoDataFrame,
                    parcels: gpd.GeoDataFrame, area_km2: np.ndarray, in_oasis: np.ndarray,
                    is_wetland: np.ndarray, footprint: dict[str, np.ndarray],
                    red_line: np.ndarray, rivers: gpd.GeoDataFrame
                    ) -> dict[str, gpd.GeoDataFrame]:
    """Every layer of boundaries.gpkg by name, in the order written: the real city and
    counties, the modelled oases, wetland park, lake, protected areas (with the plan's and
    the modelled area), red lines (with the plan line and rule), rivers and townships."""
    return {
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
