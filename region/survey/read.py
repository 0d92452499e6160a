"""Read a vector layer whatever its text encoding, and say what it is (CRS, encoding).

A Shapefile's ``.dbf`` carries no reliable encoding: ArcGIS writes a ``.cpg`` beside it (read
by GDAL), older exports leave only a code-page byte in the header, and many Chinese exports
have neither and are GBK. Without a ``.cpg`` we therefore read the code-page byte and, when it
says nothing, try the records' bytes as UTF-8 and then as GB18030 (a superset of GBK).
GeoPackage and GeoJSON are UTF-8 by their specifications.
"""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyproj import CRS
from pyproj.exceptions import CRSError

from region.errors import InputProblem
from region.vector_files import gdal_path, unreadable_message, vector_file_problems

#: dBASE language-driver ids (header byte 29) that name a Chinese code page.
CHINESE_LDIDS = {0x4D: "GB18030", 0x7A: "GB18030"}  # 936 simplified Chinese (two spellings)
#: Bytes of the .dbf records read to detect the encoding (whole file up to this size).
SNIFF_BYTES = 64 << 20


@dataclass(frozen=True)
class Layer:
    """A layer as read: its features, its CRS (None when it has none), how its text was read."""

    frame: gpd.GeoDataFrame
    encoding: str
    file: str


def _sidecar(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def dbf_encoding(shp: Path) -> str | None:
    """The encoding to read a Shapefile's text with; None when a .cpg tells GDAL itself."""
    if _sidecar(shp, ".cpg") is not None:
        return None
    dbf = _sidecar(shp, ".dbf")
    if dbf is None:
        return None
    with dbf.open("rb") as handle:
        header = handle.read(32)
        if len(header) < 32:
            return None
        ldid = header[29]
        if ldid in CHINESE_LDIDS:
            return CHINESE_LDIDS[ldid]
        header_size = struct.unpack("<H", header[8:10])[0]
        handle.seek(32)
        names = handle.read(max(header_size - 32, 0))
        records = handle.read(SNIFF_BYTES)
    sample = names + records
    try:
        sample.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("gb18030")
        return "GB18030"
    except UnicodeDecodeError:
        return "ISO-8859-1"


def read_layer(path: Path, layer: str | None = None) -> tuple[Layer | None, list[InputProblem]]:
    """The layer, or the problems that kept it from being read."""
    path = Path(path)
    file = str(path)
    if problems := vector_file_problems(path):
        return None, problems
    encoding = dbf_encoding(path) if path.suffix.lower() == ".shp" else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = pyogrio.read_dataframe(gdal_path(path), layer=layer, encoding=encoding)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file for the user
        return None, [InputProblem(file, unreadable_message(exc))]
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        return None, [InputProblem(file, "has no geometry: expected polygons")]
    return Layer(frame, encoding or ("from .cpg" if path.suffix.lower() == ".shp"
                                     else "UTF-8"), file), []


def layer_fields(path: Path, layer: str | None = None) -> list[str]:
    """The field names of a layer (decoded as its records would be); [] if unreadable."""
    path = Path(path)
    encoding = dbf_encoding(path) if path.suffix.lower() == ".shp" else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            info = pyogrio.read_info(gdal_path(path), layer=layer, encoding=encoding)
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
