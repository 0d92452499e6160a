"""What is wrong with a vector file before GDAL reads it, said in a planner's words.

GDAL's own messages name drivers and SQL ("prefix the path with '<DRIVER>:'",
"sqlite3_prepare_v2(…) failed: database is locked"), or do not say the cause at all (a
Shapefile without its .dbf reads as shapes without columns). And a GeoPackage another program
holds locked makes GDAL wait many seconds per open: the check here asks SQLite once, with a
short timeout, and says that the file may be open elsewhere.

A Shapefile without its .shx (the index of where each shape starts) is read all the same:
GDAL rebuilds the index from the .shp (its ``SHAPE_RESTORE_SHX`` option), but writes it
beside the file it opens, so :func:`gdal_path` rebuilds it in a temporary copy, never in the
user's folder, and a warning says so. A zipped Shapefile is read from a temporary folder it is
extracted to (GDAL cannot write an index into a zip, and its text encoding can only be told
from the .dbf's bytes).

A Shapefile's ``.dbf`` carries no reliable encoding: ArcGIS writes a ``.cpg`` beside it (read
by GDAL), older exports leave only a code-page byte in the header, and many Chinese exports
have neither and are GBK. Without a ``.cpg``, :func:`dbf_encoding` reads the code-page byte
and, when it says nothing, tries the field names' and records' bytes as UTF-8 and then as
GB18030 (a superset of GBK). GeoPackage and GeoJSON are UTF-8 by their specifications.
"""

from __future__ import annotations

import codecs
import shutil
import sqlite3
import struct
import tempfile
import warnings
import zipfile
from functools import cache
from pathlib import Path

import pyogrio

from region.errors import InputProblem, not_found
from region.files import with_side_files

#: The formats a layer is read from, for messages.
VECTOR_FORMATS = "a GeoPackage (.gpkg), Shapefile (.shp with its .shx, .dbf, .prj) or GeoJSON"
#: Table formats that hold no layer (a CSV with a WKT column is still not one).
TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xls", ".xlsx", ".ods"}
#: How long to wait for a GeoPackage another program has locked, s.
LOCK_WAIT_S = 1.0
#: dBASE language-driver ids (header byte 29) that name a Chinese code page.
CHINESE_LDIDS = {0x4D: "GB18030", 0x7A: "GB18030"}  # 936 simplified Chinese (two spellings)
#: Bytes of the .dbf records read to detect the encoding (whole file up to this size).
SNIFF_BYTES = 64 << 20


def vector_file_problems(path: Path) -> list[InputProblem]:
    """The problem that keeps ``path`` from being read as a vector layer (not found, a
    folder, empty, a table, a Shapefile missing a side file, a GeoPackage that is locked,
    damaged or not one), or [] when GDAL should be asked."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        return [not_found(path)]
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
    if suffix == ".zip":
        return _zipped_shapefile_problems(path)
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


def _zip_members(path: Path) -> list[str]:
    """The member names of the zip file ``path``; [] when it is not one."""
    if not zipfile.is_zipfile(path):
        return []
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def _zipped_shapefile_problems(path: Path) -> list[InputProblem]:
    """A zip holding a Shapefile must hold its .dbf too (a missing .shx is rebuilt)."""
    members = {name.lower() for name in _zip_members(path)}
    missing = [name for name in sorted(members) if name.endswith(".shp")
               and name[:-4] + ".dbf" not in members]
    return [InputProblem(str(path), f"the zip holds {Path(name).name} without its "
                                    f"{Path(name).stem}.dbf: a Shapefile is the .shp, .shx, "
                                    ".dbf and .prj together; zip them all (or send a "
                                    "GeoPackage)") for name in missing]


def gdal_path(path: Path) -> Path:
    """The path GDAL is to open for the vector file ``path``: itself; for a Shapefile
    without its .shx a temporary copy with the index rebuilt from the .shp; for a zip holding
    one Shapefile, that Shapefile extracted to a temporary folder (its .shx rebuilt there if
    the zip lacks it). Once per file and process (a warning says when an index was rebuilt);
    the copies last as long as the process."""
    path = Path(path)
    if not path.is_file():
        return path
    suffix = path.suffix.lower()
    if suffix == ".zip":
        stat = path.stat()
        return _unzipped_shapefile(path.resolve(), stat.st_mtime_ns, stat.st_size) or path
    if suffix != ".shp" or _side_file(path, ".shx") is not None:
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
    if not _rebuild_index(copy):
        return None
    warnings.warn(f"{path.name}: its shape index {path.with_suffix('.shx').name} is missing; "
                  "rebuilt it from the .shp in a temporary copy (nothing was written beside "
                  "your file). Keep the .shx with the .shp when you copy a Shapefile",
                  stacklevel=2)
    return copy


@cache
def _unzipped_shapefile(path: Path, _mtime_ns: int, _size: int) -> Path | None:
    """The one Shapefile inside the zip ``path``, extracted to a temporary folder, its .shx
    rebuilt there when the zip has none; None when the zip holds no Shapefile or several (GDAL
    then reads the zip itself) or the index could not be rebuilt (reading then fails with
    the message of :func:`unreadable_message`)."""
    shapefiles = [name for name in _zip_members(path) if name.lower().endswith(".shp")]
    if len(shapefiles) != 1:
        return None
    folder = Path(tempfile.mkdtemp(dir=_scratch().name))
    with zipfile.ZipFile(path) as archive:
        archive.extractall(folder)  # member names are made safe: nothing lands outside it
    shp = folder / shapefiles[0]
    if _side_file(shp, ".shx") is not None:
        return shp
    if not _rebuild_index(shp):
        return None
    warnings.warn(f"{path.name}: the zip holds {shp.name} without its shape index "
                  f"{shp.with_suffix('.shx').name}; rebuilt it from the .shp in a temporary "
                  "folder the zip was extracted to (the zip was not changed). Zip the .shx "
                  "with the .shp", stacklevel=2)
    return shp


def _rebuild_index(shp: Path) -> bool:
    """Rebuild the missing .shx of ``shp`` (in a folder of ours) from the .shp: True if
    GDAL did."""
    previous = pyogrio.get_gdal_config_option("SHAPE_RESTORE_SHX")
    pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})
    try:
        pyogrio.read_info(shp)
    except Exception:  # noqa: BLE001 - not rebuilt: the reader reports the file as unreadable
        return False
    finally:
        pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": previous})
    return _side_file(shp, ".shx") is not None


def dbf_encoding(shp: Path) -> str | None:
    """The encoding to read a Shapefile's text with; None when a .cpg tells GDAL itself (or
    ``shp`` is no Shapefile). Latin-1 (which reads any bytes) with a warning when the text is
    neither UTF-8 nor GB18030."""
    if shp.suffix.lower() != ".shp" or _side_file(shp, ".cpg") is not None:
        return None
    dbf = _side_file(shp, ".dbf")
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
        descriptors = handle.read(max(header_size - 32, 0))
        records = handle.read(SNIFF_BYTES)
    sample = b" ".join([*_field_names(descriptors), records])
    for encoding in ("UTF-8", "GB18030"):
        try:  # the sample may end inside a character: its last bytes are not judged
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            pass
    warnings.warn(f"{dbf.name}: its text is neither UTF-8 nor GBK/GB18030 and no .cpg says "
                  "what it is; read as Latin-1 (ISO-8859-1), so Chinese names may be "
                  "garbled. Put a .cpg beside it naming the encoding (e.g. GBK or UTF-8)",
                  stacklevel=1)  # attributed here: one note a command, however many ask
    return "ISO-8859-1"


def _field_names(descriptors: bytes) -> list[bytes]:
    """The names of a .dbf's field descriptors (32 bytes each, ended by 0x0D): only the
    11-byte name of each, for the rest holds binary widths (a text field of 150 or 254
    characters is 0x96 or 0xFE, valid in neither UTF-8 nor GB18030)."""
    names = []
    for start in range(0, len(descriptors) - 31, 32):
        descriptor = descriptors[start:start + 32]
        if descriptor[0] == 0x0D:
            break
        names.append(descriptor[:11].split(b"\x00", 1)[0])
    return names


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
