"""Parcels dissolved into zones, counties, red lines, protected areas and project units.

Parcels tile the region without overlaps, so their union is a *coverage union* (shapely's
``coverage_union_all``: shared edges dropped, no overlay), about 20 times faster than the
general union on the Turpan grid (0.07 s against 1.3 s for zones and counties). A user's
parcels that overlap or leave slivers are not a valid coverage, for which coverage union is
undefined: they get the general union, as before.
"""

from __future__ import annotations

import geopandas as gpd
import shapely


def union_method(frame: gpd.GeoDataFrame) -> str:
    """"coverage" when ``frame``'s geometries form a valid coverage
    (``shapely.coverage_is_valid``), else "unary". Any subset of a coverage is one too, so
    the answer for a region's parcels holds for every selection of them."""
    return "coverage" if shapely.coverage_is_valid(frame.geometry.values) else "unary"


def dissolve(frame: gpd.GeoDataFrame, by: str, method: str | None = None
             ) -> gpd.GeoDataFrame:
    """``frame.dissolve(by=by)`` by ``method`` (default: :func:`union_method` of ``frame``;
    callers dissolving one frame several ways pass it once)."""
    return frame.dissolve(by=by, method=method or union_method(frame))
