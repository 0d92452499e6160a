"""Protected areas and ecological red lines of the shipped Turpan region: footprints placed
as the plan's text says (turpan_places.PROTECTED_AREAS, RED_LINES); modelled, since the plan
publishes no map (data/README.md)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from turpan_grid import nearest_cells_until, to_local_km
from turpan_places import KUMTAG_RADIUS_KM, PROTECTED_AREAS, RED_LINES

from region.schema import EQUAL_AREA_CRS


def city_seam_south(counties: gpd.GeoDataFrame) -> np.ndarray:
    """Equal-area km of the southernmost point where 高昌区 and 鄯善县 meet (the Lop Nur
    reserve's seed: its Turpan part lies in both, PLAN line 81)."""
    ea = counties.to_crs(EQUAL_AREA_CRS).set_index("county").geometry
    seam = shapely.intersection(ea["650402"].buffer(500.0), ea["650421"].buffer(500.0))
    coords = shapely.get_coordinates(seam)
    return coords[np.argmin(coords[:, 1])] / 1000.0


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
