"""The CRS the result layers are written in.

Parcels are kept in the CRS their file came in (region/parcels.py), so every layer a
command writes (plan.gpkg, priorities.gpkg, the sweep's and front's point plans,
corridors.gpkg, frequency.gpkg) is by default in the parcels' own CRS: a bureau handing in
CGCS2000 parcels (EPSG:4490, the CRS of its 国土空间规划"一张图", plan line 126) or parcels
in a CGCS2000 Gauss-Krüger zone (EPSG:4513-4554) gets its layers back in that CRS, and the
shipped Turpan parcels (WGS84, EPSG:4326) give WGS84 layers. ``--crs`` (``run``,
``replan``, ``sweep``, ``pareto``, ``criteria``, ``sensitivity``) writes them in another
CRS instead; ``replan`` without it
keeps the previous result's (its manifest's ``output_crs``), so a yearly cycle stays in one
CRS. The manifest records the CRS (``output_crs``).

The lon/lat columns of the project units are degrees: of the output CRS when it is
geographic, of its geographic base when it is projected (EPSG:4539 → CGCS2000 EPSG:4490;
a UTM zone → WGS84), so they stay on the datum of the layers. Areas and distances are always
computed in the equal-area projection, so the CRS changes no figure, only the coordinates.
"""

from __future__ import annotations

import dataclasses

from pyproj import CRS
from pyproj.exceptions import CRSError

from region.io import Region

WGS84 = "EPSG:4326"
CGCS2000 = "EPSG:4490"


def in_output_crs(region: Region, crs: str | None) -> Region:
    """The region with its parcels in ``crs`` (None: as they are, in their file's CRS);
    ValueError naming the option when pyproj does not know it."""
    if crs is None:
        return region
    try:
        target = CRS.from_user_input(crs)
    except CRSError:
        raise ValueError(f"--crs {crs!r} is not a CRS pyproj knows: e.g. {CGCS2000} "
                         f"(CGCS2000), {WGS84} (WGS84) or a CGCS2000 Gauss-Krüger zone "
                         "EPSG:4513-4554") from None
    if region.parcels.crs is not None and region.parcels.crs.equals(target):
        return region
    return dataclasses.replace(region, parcels=region.parcels.to_crs(target))


def crs_code(crs: CRS | None) -> str:
    """'EPSG:4490', or the CRS's own text when it has no authority code; 'n/a' for none."""
    if crs is None:
        return "n/a"
    return crs.to_string()


def crs_name(crs: CRS | None) -> str:
    """'EPSG:4490 (China Geodetic Coordinate System 2000)': code and name, for messages."""
    if crs is None:
        return "n/a (no CRS)"
    code = crs_code(crs)
    return code if crs.name in ("unknown", "") else f"{code} ({crs.name})"


def lonlat_crs(crs: CRS | None) -> CRS:
    """The geographic CRS the lon/lat columns are in: ``crs`` itself when geographic, its
    geographic base when projected (the same datum), WGS84 when it has neither."""
    if crs is None:
        return CRS.from_user_input(WGS84)
    if crs.is_geographic:
        return crs
    base = crs.geodetic_crs
    return base if base is not None and base.is_geographic else CRS.from_user_input(WGS84)


#: Why the layers are in the CRS they are in, for :func:`written_in`.
ASKED = "as --crs asks"
OWN = "the parcels file's CRS"
PREVIOUS = "the previous result's CRS"


def written_in(crs: CRS | None, why: str) -> str:
    """The sentence a command prints: the layers' CRS and why it is the one."""
    return f"layers in {crs_name(crs)}, {why}"


def why_crs(given: str | None) -> str:
    """:data:`ASKED` when ``--crs`` was given, else :data:`OWN`."""
    return ASKED if given is not None else OWN
