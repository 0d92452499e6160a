"""Where a parcels layer lies: coordinates that fit the CRS the file declares, and parcels
inside the region's outline.

A layer whose coordinates do not fit its CRS (metres labelled as degrees, degrees labelled as
metres) or that lies somewhere else (a shifted export, another region's parcels) would be
planned as if it were Turpan: water accounts, distances and maps all wrong, or a geometry
library's error an hour later. These checks say so once, naming the file and the likely cause.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyproj import CRS

from region.errors import InputProblem
from region.schema import EQUAL_AREA_CRS
from region.validate import rows_problems

#: The boundaries layer that holds the region's outline (data/build_turpan.py writes it).
OUTLINE_LAYER = "city"
#: A parcel within this distance of the outline counts as inside (a generalised outline, a
#: parcel drawn along the border), m.
OUTLINE_TOLERANCE_M = 1000.0


def crs_fit_problems(frame: gpd.GeoDataFrame, file: str) -> list[InputProblem]:
    """Coordinates the declared CRS cannot hold: beyond ±180 / ±90 in a geographic CRS
    (projected coordinates, metres, labelled as degrees), or where a projected CRS does not
    reach (UTM eastings labelled as a Gauss-Krüger zone with its zone number). One problem
    for the file, with the CRS the numbers look like."""
    if frame.crs is None or _all_empty(frame):
        return []
    minx, miny, maxx, maxy = frame.total_bounds
    if not CRS(frame.crs).is_geographic:
        return _unplaceable(frame, file)
    if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
        return []
    return [InputProblem(
        file, f"coordinates {_range(minx, maxx)} × {_range(miny, maxy)} are not degrees, yet "
              f"the file says its CRS is {crs_name(frame.crs)} (geographic, longitude "
              f"±180, latitude ±90): projected coordinates (metres) labelled as degrees? "
              f"Save it with its real CRS — they look like {looks_like(frame)}",
        column="geometry")]


def _unplaceable(frame: gpd.GeoDataFrame, file: str) -> list[InputProblem]:
    """Projected coordinates whose corners do not convert to longitude and latitude."""
    minx, miny, maxx, maxy = frame.total_bounds
    corners = gpd.GeoSeries(shapely.points([minx, maxx, minx, maxx], [miny, miny, maxy, maxy]),
                            crs=frame.crs).to_crs("EPSG:4326")
    lonlat = shapely.get_coordinates(corners.to_numpy())
    if np.isfinite(lonlat).all():
        return []
    return [InputProblem(
        file, f"coordinates {_range(minx, maxx)} × {_range(miny, maxy)} lie outside where "
              f"the file's CRS {crs_name(frame.crs)} is defined: the wrong CRS (an easting "
              f"with or without its zone number?). Save it with its real CRS — they look "
              f"like {looks_like(frame)}",
        column="geometry")]


def degrees_labelled_projected(frame: gpd.GeoDataFrame) -> bool:
    """A projected CRS whose coordinates all lie within ±180 / ±90: degrees labelled as
    metres (a parcel of 0.01 × 0.01 m)."""
    if frame.crs is None or CRS(frame.crs).is_geographic or _all_empty(frame):
        return False
    minx, miny, maxx, maxy = frame.total_bounds
    return bool(minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90)


def looks_like(frame: gpd.GeoDataFrame) -> str:
    """The CRS the coordinates' range suggests (as the land-survey import guesses it)."""
    from region.survey.read import guess_crs  # region.survey imports this package's loaders

    return guess_crs(frame)


#: A transverse Mercator CRS whose central meridian lies more than this far from the parcels
#: (3 zones of the 3-degree series) is no zone of theirs: areas and distances in it are
#: distorted, and the results' layers come back in it. Said in a note, not refused (the
#: layer is placed right). Our rule, an estimate.
FAR_FROM_MERIDIAN_DEG = 9.0


def zone_crs(longitude: float) -> str:
    """The CGCS2000 3-degree Gauss-Krüger CRSs whose zone holds ``longitude``: with the zone
    number in front of the easting (zones 25-45: EPSG:4513-4533) and without it (central
    meridians 75-135 E: EPSG:4534-4554). Turpan (about 88-92 E): zone 30, EPSG:4518 or
    4539 (zone 29, EPSG:4517 or 4538, in its west)."""
    meridian = 3 * round(longitude / 3)
    zone = meridian // 3
    if not 25 <= zone <= 45:
        return f"the 3-degree Gauss-Krüger zone of central meridian {meridian} E"
    return (f"EPSG:{4488 + zone} (3-degree Gauss-Krüger zone {zone}) or EPSG:"
            f"{4534 + (meridian - 75) // 3} (the same without the zone number, central "
            f"meridian {meridian} E)")


def far_zone_note(frame: gpd.GeoDataFrame, file: str) -> str | None:
    """A note when the layer's transverse Mercator CRS has its central meridian more than
    :data:`FAR_FROM_MERIDIAN_DEG` from the parcels (a survey layer reprojected to EPSG:4524,
    central meridian 108 E, 18° from Turpan, ran without a word); None otherwise."""
    if frame.crs is None or _all_empty(frame):
        return None
    operation = CRS(frame.crs).coordinate_operation
    if operation is None or "Transverse Mercator" not in operation.method_name:
        return None
    meridian = next((p.value for p in operation.params
                     if p.name == "Longitude of natural origin"), None)
    if meridian is None:
        return None
    minx, miny, maxx, maxy = frame.total_bounds
    centre = gpd.GeoSeries(shapely.points([(minx + maxx) / 2], [(miny + maxy) / 2]),
                           crs=frame.crs).to_crs("EPSG:4326").iloc[0]
    if not np.isfinite(centre.x) or abs(centre.x - meridian) <= FAR_FROM_MERIDIAN_DEG:
        return None
    return (f"{Path(file).name}: its CRS {crs_name(frame.crs)} has its central meridian at "
            f"{meridian:g} E, {abs(centre.x - meridian):.0f}° from the parcels (centred at "
            f"{centre.x:.1f} E): a zone far from theirs, in which shapes are distorted and "
            f"the results' layers are written (unless --crs asks for another). Their own "
            f"zone is {zone_crs(centre.x)}")


def outside_problems(parcels: gpd.GeoDataFrame, boundaries: Path | None,
                     file: str) -> list[InputProblem]:
    """Parcels (EPSG:4326) that do not overlap the region's outline (``boundaries`` layer
    :data:`OUTLINE_LAYER`, when the region has one): all of them is one problem naming
    where the parcels are and where the region is; some, a problem per row (the first few
    named). Nothing to check without an outline."""
    outline = read_outline(boundaries)
    if outline is None or parcels.empty:
        return []
    cells = parcels.geometry.to_crs("EPSG:4326").to_numpy()
    usable = ~(shapely.is_missing(cells) | shapely.is_empty(cells))
    region = shapely.union_all(outline.to_numpy())
    shapely.prepare(region)
    outside = usable & ~shapely.intersects(region, cells)
    if outside.any():  # within the tolerance of the outline, measured in metres
        region_ea = shapely.union_all(outline.to_crs(EQUAL_AREA_CRS).to_numpy())
        strays = gpd.GeoSeries(cells[outside], crs="EPSG:4326").to_crs(EQUAL_AREA_CRS)
        outside[outside] = ~shapely.dwithin(region_ea, strays.to_numpy(),
                                            OUTLINE_TOLERANCE_M)
    if not outside.any():
        return []
    region_box = _box(outline)
    where = (f"the region's outline ({Path(boundaries).name}, layer '{OUTLINE_LAYER}') "
             f"spans {region_box}")
    if outside[usable].all():
        return [InputProblem(
            file, f"no parcel lies in the region: the parcels span {_box(parcels)}, {where}. "
                  "Wrong CRS, shifted coordinates, or parcels of another region?",
            column="geometry")]
    centres = shapely.point_on_surface(parcels.geometry.to_numpy())
    shown = parcels.geometry.astype(object).copy()
    shown[:] = [f"centre at {c.x:.4f} E, {c.y:.4f} N" if o else ""
                for c, o in zip(centres, outside, strict=True)]
    return rows_problems(file, "geometry", outside, shown,
                         f"the parcel lies outside the region ({where}): a stray or shifted "
                         "shape?")


def read_outline(boundaries: Path | None) -> gpd.GeoSeries | None:
    """The region's outline in EPSG:4326, or None when the region ships none."""
    if boundaries is None or not Path(boundaries).is_file():
        return None
    try:
        layers = {str(name) for name, _ in pyogrio.list_layers(boundaries)}
        if OUTLINE_LAYER not in layers:
            return None
        outline = gpd.read_file(boundaries, layer=OUTLINE_LAYER)
    except Exception:  # noqa: BLE001 - an unreadable boundaries file is places.py's to report
        return None
    if outline.empty or outline.crs is None:
        return None
    return outline.geometry.to_crs("EPSG:4326")


def _all_empty(frame: gpd.GeoDataFrame) -> bool:
    geometry = frame.geometry.to_numpy()
    return bool((shapely.is_missing(geometry) | shapely.is_empty(geometry)).all())


def _box(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> str:
    minx, miny, maxx, maxy = frame.total_bounds
    return f"{minx:.2f}-{maxx:.2f} E, {miny:.2f}-{maxy:.2f} N"


def _range(low: float, high: float) -> str:
    return f"{low:,.0f}…{high:,.0f}"


def crs_name(crs: object) -> str:
    parsed = CRS(crs)
    code = parsed.to_epsg()
    return f"EPSG:{code} ({parsed.name})" if code else parsed.name
