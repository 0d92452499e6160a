"""Static maps of a plan (PNG and SVG): parcels by start year and by action.

Each map shows the region in grey, the chosen parcels coloured, zone boundaries (parcels
dissolved by zone), county boundaries, ecological protection red lines and protected areas
(from the parcels' ``red_line`` and ``protected_area``), the names of counties and zones,
the ecological corridors and Aydingkol lake where it lies within the region's extent; a
bilingual legend, a north arrow and a scale bar. Drawn
in the equal-area projection (metres) so that the scale bar is true. The drawing is
outputs/map_drawing.py's; this module hands it the plan and region as plain frames.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from criteria.corridors import CorridorAnalysis
from optimizer.plan import Plan
from outputs.data_note import map_note
from outputs.map_drawing import MapData, draw_maps, lake_in, layers_of
from region.io import TURPAN_DIR, Region
from region.schema import EQUAL_AREA_CRS

BOUNDARIES = TURPAN_DIR / "boundaries.gpkg"
#: The plan's columns the maps draw.
MAPPED = ["parcel_id", "start_year", "action", "action_zh", "action_en"]


def lake_within(parcels: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Aydingkol lake of the shipped boundaries clipped to the parcels' extent (same CRS),
    or None where it lies outside (outputs/map_drawing.py: ``lake_in``)."""
    return lake_in(parcels, BOUNDARIES)


def map_layers(region: Region) -> dict[str, gpd.GeoDataFrame]:
    """Parcels, zones, counties, red lines and protected areas (from the parcels'
    attributes, so a bureau's own layers show) and the lake (when within the region),
    projected."""
    return layers_of(region.parcels, region.zone_labels, region.county_labels,
                     EQUAL_AREA_CRS, BOUNDARIES)


def map_data(plan: Plan, region: Region, corridors: CorridorAnalysis | None) -> MapData:
    """What the maps of ``plan`` on ``region`` are drawn from."""
    shapes = None
    if corridors is not None and corridors.corridors:
        shapes = corridors.to_geodataframe().to_crs(EQUAL_AREA_CRS)
    return MapData(region.parcels, region.zone_labels, region.county_labels,
                   plan.chosen[MAPPED], shapes, map_note(region), EQUAL_AREA_CRS, BOUNDARIES)


def write_maps(folder: Path, plan: Plan, region: Region,
               corridors: CorridorAnalysis | None) -> list[Path]:
    """``maps/plan_by_year`` and ``maps/plan_by_action`` (PNG and SVG) in ``folder``."""
    return draw_maps(folder, map_data(plan, region, corridors))
