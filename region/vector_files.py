"""What is wrong with a vector file before GDAL reads it, said in a planner's words.

GDAL's own messages name drivers and SQL ("prefix the path with '<DRIVER>:'",
"sqlite3_prepare_v2(…) failed: database is locked"), or do not say the cause at all (a
Shapefile without its .dbf reads as shapes without columns). And a GeoPackage another program
holds locked makes GDAL wait many seconds per open: the check here asks SQLite once, with a
short timeout, and says that the file may be open elsewhere.

A Shapefile without its .shx (the index of where each shape starts) is read all the same:
GDAL rebuilds the index from the .shp (its ``SHAPE_RESTORE_SHX`` option), but writes it
beside the file it opens, so :func:`gdal_path` rebuilds it in a temporary copy, never in the
user's folder, and a warning says so.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import warnings
from functools import cache
from pathlib import Path

import pyogrio

from region.errors import InputProblem
from region.files import with_side_files

#: The formats a layer is read from, for messages.
VECTOR_FORMATS = "a GeoPackage (.gpkg), Shapefile (.shp with its .shx, .dbf, .prj) or GeoJSON"
#: Table formats that hold no layer (a CSV with a WKT column is still not one).
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xls", ".xlsx", ".ods"}
#: How long to wait for a GeoPackage another program has locked, s.
LOCK_WAIT_S = 1.0


def vector_file_problems(path: Path) -> list[InputProblem]:
    """The problem that keeps ``path`` from being read as a vector layer (not found, a
    folder, empty, a table, a Shapefile missing a side file, a GeoPackage that is locked,
    damaged or not one), or [] when GDAL should be asked."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        return [InputProblem(file, "file not found")]
    suffix = path.suffix.lower()
    if path.is_dir():
        if suffix == ".gdb":  # an Esri file geodatabase is a folder
            return []
        return [InputProblem(file, f"is a folder, expected {VECTOR_FORMATS}")]
    if path.stat().st_size == 0:
        return [InputProblem(file, f"is empty (0 bytes): expected {VECTOR_FORMATS}; a copy "
                                   "that did not finish?")]
    if suffix in TABLE_SUFFIXES:
        return [InputProblem(file, f"is a table ({suffix}), not a layer of shapes: expected "
                                   f"{VECTOR_FORMATS}. A CSV, even with a WKT column, is "
                                   "not read: save the layer as a GeoPackage in the GIS")]
    if suffix == ".shp":
        return _shapefile_problems(path)
    if suffix == ".gpkg":
        return _geopackage_problems(path)
    return []


def _side_file(path: Path, suffix: str) -> Path | None:
    """The side file of a Shapefile with ``suffix`` (either case), if it exists."""
    return next((side for side in (path.with_suffix(suffix), path.with_suffix(suffix.upper()))
                 if side.exists()), None)


def _shapefile_problems(path: Path) -> list[InputProblem]:
    """A Shapefile is several files: without its .dbf it has no attributes (a missing .shx
    is rebuilt: :func:`gdal_path`)."""
    if _side_file(path, ".dbf") is not None:
        return []
    return [InputProblem(str(path), f"the Shapefile's {path.with_suffix('.dbf').name} is "
                                    "missing beside it: a Shapefile is the .shp, .shx, .dbf "
                                    "and .prj together; copy them all (or send a GeoPackage)")]


def gdal_path(path: Path) -> Path:
    """The path GDAL is to open for the vector file ``path``: itself, or for a Shapefile
    without its .shx a temporary copy with the index rebuilt from the .shp (once per file
    and process; a warning says so). The copy lasts as long as the process."""
    path = Path(path)
    if path.suffix.lower() != ".shp" or not path.is_file() \
            or _side_file(path, ".shx") is not None:
        return path
    stat = path.stat()
    return _with_rebuilt_index(path.resolve(), stat.st_mtime_ns, stat.st_size) or path


@cache
def _with_rebuilt_index(path: Path, _mtime_ns: int, _size: int) -> Path | None:
    """A copy of the Shapefile ``path`` (with its side files) in a temporary folder, its .shx
    rebuilt by GDAL; None when GDAL could not (reading ``path`` then fails with its own
    message). Keyed by modification time and size: a changed file is copied again."""
    folder = Path(tempfile.mkdtemp(dir=_scratch().name))
    for file in with_side_files(path):
        shutil.copy2(file, folder / file.name)
    copy = folder / path.name
    previous = pyogrio.get_gdal_config_option("SHAPE_RESTORE_SHX")
    pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})
    try:
        pyogrio.read_info(copy)
    except Exception:  # noqa: BLE001 - not rebuilt: the reader reports the file as unreadable
        return None
    finally:
        pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": previous})
    if _side_file(copy, ".shx") is None:
        return None
    warnings.warn(f"{path.name}: its shape index {path.with_suffix('.shx').name} is missing; "
                  "rebuilt it from the .shp in a temporary copy (nothing was written beside "
                  "your file). Keep the .shx with the .shp when you copy a Shapefile",
                  stacklevel=2)
    return copy


@cache
def _scratch() -> tempfile.TemporaryDirectory:
    """The process's folder for rebuilt copies, removed when the process ends."""
    return tempfile.TemporaryDirectory(prefix="turpan-restore-shx-")


def _geopackage_problems(path: Path) -> list[InputProblem]:
    """Ask SQLite (read-only, a short wait) whether the GeoPackage can be read."""
    file = str(path)
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != b"SQLite format 3\x00":
        return [InputProblem(file, f"is not a GeoPackage (not an SQLite database): expected "
                                   f"{VECTOR_FORMATS}; renamed from another format, or "
                                   "damaged?")]
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                     timeout=LOCK_WAIT_S)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except sqlite3.OperationalError as err:
        if "locked" in str(err):
            return [InputProblem(file, "is locked by another program: it may be open for "
                                       "editing in QGIS or ArcGIS (save or stop editing "
                                       "there), or still being written; close it, or copy "
                                       "it, and run again")]
        return [InputProblem(file, f"cannot be opened as a GeoPackage ({err})")]
    except sqlite3.DatabaseError as err:
        return [InputProblem(file, f"is damaged ({err}): a copy cut short? Copy it again "
                                   "or export it anew")]
    return []


def unreadable_message(err: Exception) -> str:
    """GDAL's failure to read a layer in a planner's words (its own text kept when it says
    something we cannot put better)."""
    text = str(err)
    if "not recognized as being in a supported file format" in text \
            or "not recognised as a supported file format" in text:
        return (f"is not a file GDAL can read as a layer: expected {VECTOR_FORMATS} "
                "(renamed from another format, or damaged?)")
    if ".shx" in text and "SHAPE_RESTORE_SHX" in text:
        return ("is a Shapefile whose .shx (shape index) is missing, and GDAL could not "
                "rebuild it from the .shp (damaged or cut short?): copy the .shx with it")
    if "malformed" in text or "file is not a database" in text:
        return "is damaged (its database is malformed): a copy cut short? Copy it again"
    if "database is locked" in text:
        return ("is locked by another program: it may be open for editing in QGIS or "
                "ArcGIS; close it, or copy it, and run again")
    return f"cannot read as a vector file: {text}"
