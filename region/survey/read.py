"""Read a vector layer whatever its text encoding, and say what it is (CRS, encoding).

A Shapefile without a ``.cpg`` is read in the encoding its ``.dbf``'s bytes show
(:func:`region.vector_files.dbf_encoding`: GBK exports are common); GeoPackage and GeoJSON
are UTF-8 by their specifications.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyproj import CRS
from pyproj.exceptions import CRSError

from region.errors import InputProblem
from region.vector_files import (
    dbf_encoding,
    gdal_path,
    unreadable_message,
    vector_file_problems,
)


@dataclass(frozen=True)
class Layer:
    """A layer as read: its features, its CRS (None when it has none), how its text was read."""

    frame: gpd.GeoDataFrame
    encoding: str
    file: str


def read_layer(path: Path, layer: str | None = None) -> tuple[Layer | None, list[InputProblem]]:
    """The layer, or the problems that kept it from being read."""
    path = Path(path)
    file = str(path)
    if problems := vector_file_problems(path):
        return None, problems
    readable = gdal_path(path)  # a zipped Shapefile extracted, a missing .shx rebuilt
    encoding = dbf_encoding(readable)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = pyogrio.read_dataframe(readable, layer=layer, encoding=encoding)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file for the user
        return None, [InputProblem(file, unreadable_message(exc))]
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        return None, [InputProblem(file, "has no geometry: expected polygons")]
    return Layer(frame, encoding or ("from .cpg" if readable.suffix.lower() == ".shp"
                                     else "UTF-8"), file), []


def layer_fields(path: Path, layer: str | None = None) -> list[str]:
    """The field names of a layer (decoded as its records would be); [] if unreadable."""
    path = Path(path)
    readable = gdal_path(path)
    encoding = dbf_encoding(readable)
    try:
        with warnings.catch_warnings():  # a probe: the reader says what it reads
            warnings.simplefilter("ignore")
            info = pyogrio.read_info(readable, layer=layer, encoding=encoding)
    except Exception:  # noqa: BLE001 - unreadable here: the loader reports it properly
        return []
    return [str(name) for name in info["fields"]]


def parse_crs(text: str) -> tuple[CRS | None, str | None]:
    """A CRS from 'EPSG:4518', '4518', WKT or PROJ text; or the error message."""
    text = text.strip()
    try:
        return CRS.from_user_input(int(text) if text.isdigit() else text), None
    except CRSError as exc:
        return None, f"not a CRS pyproj knows ({exc})"


def crs_problems(frame: gpd.GeoDataFrame, file: str) -> list[InputProblem]:
    """A layer without a CRS cannot be placed: say so, with a guess from its coordinates."""
    if frame.crs is not None:
        return []
    return [InputProblem(file, "no CRS (no .prj, or the file does not say): add the .prj "
                               "the survey was delivered with, or import it with "
                               f"'solve.py parcels import … --source-crs {guess_crs(frame)}'",
                         column="geometry")]


def guess_crs(frame: gpd.GeoDataFrame) -> str:
    """A hint for --source-crs from the coordinates' range (3-degree Gauss-Krüger zones of
    CGCS2000)."""
    if frame.empty:
        return "EPSG:4518"
    minx, miny, maxx, maxy = frame.total_bounds
    if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
        return "EPSG:4490 (CGCS2000 geographic)"
    x = (minx + maxx) / 2.0
    if x > 1e6:  # easting with the zone number in front: zone 25 is EPSG:4513
        zone = int(x // 1e6)
        if 25 <= zone <= 45:
            return f"EPSG:{4513 + zone - 25} (3-degree Gauss-Krüger zone {zone})"
    return ("EPSG:4538, 4539 or 4540 (3-degree Gauss-Krüger, central meridian 87, 90 or "
            "93 E, no zone number)")
