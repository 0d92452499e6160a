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


def dissolve(frame: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """``frame.dissolve(by=by)``, by coverage union when ``frame``'s geometries form a valid
    coverage (``shapely.coverage_is_valid``), else by the general union."""
    valid = bool(shapely.coverage_is_valid(frame.geometry.values))
    return frame.dissolve(by=by, method="coverage" if valid else "unary")
