"""The CRS the result layers are written in.

Every layer a run writes (plan.gpkg, priorities.gpkg) and the lon/lat columns of the
project units are in the parcels' CRS, and the parcels are loaded in WGS84 (EPSG:4326).
``solve.py run --crs EPSG:4490`` writes them in CGCS2000, the CRS of the bureau's
国土空间规划"一张图" (plan line 126); areas and distances are always computed in the
equal-area projection, so the choice changes no figure, only the layers' coordinates.
"""

from __future__ import annotations

import dataclasses

from pyproj import CRS
from pyproj.exceptions import CRSError

from region.io import Region

DEFAULT_OUTPUT_CRS = "EPSG:4326"
CGCS2000 = "EPSG:4490"


def in_output_crs(region: Region, crs: str) -> Region:
    """The region with its parcels in ``crs``; ValueError naming the option when pyproj does
    not know it."""
    try:
        target = CRS.from_user_input(crs)
    except CRSError:
        raise ValueError(f"--crs {crs!r} is not a CRS pyproj knows: use {DEFAULT_OUTPUT_CRS} "
                         f"(WGS84) or {CGCS2000} (CGCS2000)") from None
    if region.parcels.crs is not None and region.parcels.crs.equals(target):
        return region
    return dataclasses.replace(region, parcels=region.parcels.to_crs(target))
