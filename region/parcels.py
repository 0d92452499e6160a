"""A parcels layer of our schema, read and validated, and the zone and county label tables
whose codes it is checked against.

A land-survey patch layer (三调图斑) is not read here: :func:`region.io.load_parcels` imports
it first (``region.survey``), and the survey importer reads the region's own parcels with
:func:`load_parcel_layer`; so the two depend on this module, not on each other.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from numpy.typing import NDArray
from pyproj import CRS

from region.errors import InputError, InputProblem, headed, shown_row
from region.extent import (
    crs_fit_problems,
    crs_name,
    degrees_labelled_projected,
    far_zone_note,
    looks_like,
)
from region.references import code_text, county_guess
from region.schema import EQUAL_AREA_CRS, PARCEL_COLUMNS
from region.validate import (
    MAX_ROWS_NAMED,
    blank_cells,
    check_table,
    coerce_table,
    columns_not_ours,
    duplicates,
    read_csv_table,
    rows_problems,
)
from region.vector_files import (
    dbf_encoding,
    gdal_path,
    unreadable_message,
    vector_file_problems,
)

#: area_km2 may differ from the geometry's equal-area area by at most this share.
AREA_TOLERANCE = 0.05


def load_labels(path: Path, key: str) -> pd.DataFrame:
    """A bilingual label table (key, name_zh, name_en); zone codes are whole numbers."""
    frame = read_csv_table(path, dtype=str).fillna("")
    missing = [c for c in (key, "name_zh", "name_en") if c not in frame.columns]
    problems = [InputProblem(str(path), f"missing column '{c}'") for c in missing]
    if not missing:
        problems += duplicates(str(path), key, frame[key])
        if key == "zone":
            not_whole = ~frame[key].str.strip().str.fullmatch(r"\d+")
            problems += rows_problems(str(path), key, not_whole.to_numpy(), frame[key],
                                      "expected a whole number")
    if problems:
        raise InputError(problems)
    if key == "zone":
        frame[key] = pd.to_numeric(frame[key], errors="raise").astype("int64")
    return frame


def load_parcel_layer(path: str | Path, layer: str | None = None,
                      zones: pd.Series | None = None,
                      counties: pd.Series | None = None,
                      county_names: Mapping[str, str] | None = None) -> gpd.GeoDataFrame:
    """Read and validate parcels of our schema (GeoPackage, Shapefile, GeoJSON); return them
    in the file's own CRS (see :func:`check_parcels`)."""
    path = Path(path)
    if problems := vector_file_problems(path):
        raise InputError(problems)
    return check_parcels(read_vector_layer(path, layer), str(path), zones, counties,
                         county_names)


def read_vector_layer(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """A vector layer as read; an unreadable file or one without shapes is an input error."""
    try:
        readable = gdal_path(path)  # a zipped Shapefile extracted, a missing .shx rebuilt
        encoding = dbf_encoding(readable)  # a GBK .dbf without a .cpg is common
        layer = layer or _parcels_layer(readable, path)
        frame = gpd.read_file(readable, layer=layer, encoding=encoding) if layer else \
            gpd.read_file(readable, encoding=encoding)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file for the user
        raise InputError([InputProblem(str(path), unreadable_message(exc))]) from None
    if not isinstance(frame, gpd.GeoDataFrame):  # a table without shapes, e.g. a CSV
        raise InputError([InputProblem(
            str(path), "has no geometry: expected parcel polygons in a GeoPackage, Shapefile "
                       "or GeoJSON (a CSV table holds no shapes)")])
    return with_full_names(frame, path)


def _parcels_layer(readable: Path, path: Path) -> str | None:
    """The layer of a file of several (a GeoPackage) that holds the parcels, when none is
    named: the one layer with a ``parcel_id`` column and features (a note names it), else
    the first (a note says so; its columns are then checked). Several such layers are
    refused: a plan on the wrong one would look right. None for a file of one layer."""
    layers = [str(name) for name, _ in pyogrio.list_layers(readable)]
    if len(layers) < 2:
        return None
    infos = {name: pyogrio.read_info(readable, layer=name) for name in layers}
    ours = [name for name, info in infos.items()
            if "parcel_id" in info["fields"] and info["features"] != 0]
    listed = ", ".join(f"'{name}'" for name in layers)
    if len(ours) > 1:
        raise InputError([InputProblem(
            str(path), f"holds {len(layers)} layers ({listed}) and {len(ours)} of them have "
                       f"parcels ({', '.join(ours)}): which is the plan's is not clear. Save "
                       "that layer alone in a GeoPackage of its own (QGIS: Export → Save "
                       "Features As…) and give that file")])
    chosen = ours[0] if ours else layers[0]
    why = "the one with a parcel_id column" if ours else "the first; none has a parcel_id column"
    warnings.warn(f"{path.name} holds {len(layers)} layers ({listed}): read '{chosen}', {why}",
                  stacklevel=3)
    return chosen


#: A Shapefile (dBASE) keeps at most this many characters of a column name.
DBF_NAME_LENGTH = 10
PARCEL_COLUMN_NAMES = tuple(spec.name for spec in PARCEL_COLUMNS)


def with_full_names(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """``frame`` with each column a Shapefile cut to 10 characters (``degradatio``,
    ``wind_expos``) named by the one parcel column it is the start of, when that column is
    not there already; a note lists what was renamed. Other formats keep their names as
    written: a GeoPackage's ``degradatio`` is a column of that name, not a cut one."""
    if not is_shapefile(path):
        return frame
    present = set(frame.columns)
    renames = {}
    for column in frame.columns:
        if len(column) != DBF_NAME_LENGTH or column in PARCEL_COLUMN_NAMES:
            continue
        full = [name for name in PARCEL_COLUMN_NAMES
                if len(name) > DBF_NAME_LENGTH and name[:DBF_NAME_LENGTH] == column]
        if len(full) == 1 and full[0] not in present:
            renames[column] = full[0]
    if renames:
        shown = ", ".join(f"{cut} → {name}" for cut, name in renames.items())
        warnings.warn(f"{path.name}: read the Shapefile's 10-character column names as the "
                      f"parcel columns they begin: {shown}", stacklevel=2)
    return frame.rename(columns=renames)


def is_shapefile(path: Path) -> bool:
    """A ``.shp``, or a ``.zip`` holding one (the reader opens zipped Shapefiles)."""
    suffix = path.suffix.lower()
    if suffix == ".shp":
        return True
    if suffix != ".zip" or not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any(name.lower().endswith(".shp") for name in archive.namelist())


def check_parcels(frame: gpd.GeoDataFrame, file: str, zones: pd.Series | None = None,
                  counties: pd.Series | None = None,
                  county_names: Mapping[str, str] | None = None) -> gpd.GeoDataFrame:
    """The parcels of ``file`` validated and coerced to the schema, in their own CRS (the
    result layers are written in it: outputs/crs.py; areas are measured in the equal-area
    projection whatever it is).

    Checks the columns of ``region.schema.PARCEL_COLUMNS``, duplicate ids, zone and county
    codes (against ``zones`` and ``counties`` when given; ``county_names``, code → name,
    suggest the code a name was typed for), geometry (empty is an error,
    invalid is repaired with a warning), the CRS, and ``area_km2`` against the geometry's
    equal-area area (±5 %).
    """
    if frame.empty:
        raise InputError([InputProblem(
            file, "has no parcels (the layer is empty): expected one polygon per parcel")])
    problems = check_table(frame, PARCEL_COLUMNS, file)
    problems += columns_not_ours(
        frame.columns, PARCEL_COLUMNS, problems, file, known=[frame.geometry.name],
        advice="Rename those that hold ours to our names (region/schema.py, README "
               "'Inputs'); a land-survey patch layer (三调: DLBM, TBMJ …) is imported with "
               "'solve.py parcels import … --field'")
    if "parcel_id" in frame.columns:
        problems += duplicates(file, "parcel_id", frame["parcel_id"])
    if zones is not None and "zone" in frame.columns:
        zone_numbers = pd.to_numeric(frame["zone"], errors="coerce")
        unknown = zone_numbers.notna() & ~zone_numbers.isin(zones)
        problems += rows_problems(file, "zone", unknown.to_numpy(), frame["zone"],
                                  f"unknown zone: expected one of {sorted(zones.tolist())}")
    if counties is not None and "county" in frame.columns:
        problems += _county_problems(frame["county"], counties, county_names or {}, file)
    if frame.crs is None:
        problems.append(InputProblem(
            file, "no CRS (a Shapefile without its .prj?): save it with its CRS — EPSG:4326 "
                  "(WGS84), EPSG:4490 (CGCS2000) or a projected CRS; its coordinates look "
                  f"like {looks_like(frame)}", column="geometry"))
    crs_unfit = crs_fit_problems(frame, file)
    problems += crs_unfit
    far = None if crs_unfit else far_zone_note(frame, file)
    if far is not None:
        warnings.warn(far, stacklevel=2)
    geometry = frame.geometry.values
    empty = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    problems += rows_problems(file, "geometry", empty, frame.geometry.astype(object),
                              "empty or missing geometry")
    types = shapely.get_type_id(geometry)
    not_area = ~empty & ~np.isin(types, AREA_TYPE_IDS) \
        & ~((types == COLLECTION_TYPE_ID) & (shapely.area(geometry) > 0))
    problems += rows_problems(file, "geometry", not_area,
                              pd.Series(types).map(TYPE_NAMES),
                              "expected a polygon: a parcel is an area (points or lines "
                              "saved into the parcels layer? keep only its polygons)")
    invalid = ~empty & ~not_area & ~shapely.is_valid(geometry)
    reasons = np.full(len(geometry), "", dtype=object)
    if invalid.any():
        reasons[invalid] = shapely.is_valid_reason(geometry[invalid])
        warn_repaired(file, invalid)
        frame.loc[invalid, "geometry"] = shapely.make_valid(geometry[invalid])
    if frame.crs is not None and not crs_unfit and "area_km2" in frame.columns \
            and not (empty | not_area).all():
        problems += _area_problems(frame, empty | not_area, file, reasons)
    problems = _with_empty_rows(frame, empty, problems, file)
    if problems:
        raise InputError(problems)
    return coerce_table(frame, PARCEL_COLUMNS)


#: Shapely's type ids of geometries with an area: Polygon, MultiPolygon (and a
#: GeometryCollection, when it holds polygons).
AREA_TYPE_IDS = (3, 6)
COLLECTION_TYPE_ID = 7
TYPE_NAMES = {0: "Point", 1: "LineString", 2: "LinearRing", 4: "MultiPoint",
              5: "MultiLineString", 7: "GeometryCollection", -1: "none"}


def _with_empty_rows(frame: gpd.GeoDataFrame, no_shape: np.ndarray,
                     problems: list[InputProblem], file: str) -> list[InputProblem]:
    """``problems`` with the rows that have neither a shape nor a value (a feature added in
    the GIS and never filled in) named once each as empty, instead of once per column."""
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    blank = blank_cells(attributes)
    empty_rows = no_shape & blank.all(axis=1).to_numpy()
    if not empty_rows.any():
        return problems
    kept = [p for p in problems if p.row is None or not empty_rows[p.row - 1]]
    rows = np.flatnonzero(empty_rows)
    named = [InputProblem(file, "an empty row (no shape and no values): delete it", row=int(i)
                          + 1) for i in rows[:MAX_ROWS_NAMED]]
    if len(rows) > MAX_ROWS_NAMED:
        named.append(InputProblem(file, f"an empty row (no shape and no values) — and "
                                        f"{len(rows) - MAX_ROWS_NAMED} more rows like it"))
    return named + kept


#: When at least this share of the rows' areas is off, the CRS is the suspect: one problem
#: for the file (with the CRS the coordinates suggest) and a few examples, not one per row.
CRS_SUSPECT_SHARE = 0.5
#: Rows shown as examples under a file-wide area problem.
AREA_EXAMPLES = 3


def _county_problems(values: pd.Series, counties: pd.Series, names: Mapping[str, str],
                     file: str) -> list[InputProblem]:
    """Unknown county codes, each with the code it is probably a slip for: a code one digit
    off (650412 → 650402), or a county's name typed for its code (高昌 → 650402 高昌区)."""
    known = sorted(counties.map(code_text).tolist())
    codes = values.map(code_text)
    unknown = codes.ne("") & ~codes.isin(known)
    problems = []
    for code in dict.fromkeys(codes[unknown]):
        guess = county_guess(code, known, names)
        hint = f" (did you mean {guess}?)" if guess else ""
        problems += rows_problems(file, "county", (codes == code).to_numpy(), values,
                                  f"unknown county{hint}: expected one of {known}")
    return sorted(problems, key=lambda p: (p.row is None, p.row or 0))


def warn_repaired(file: str, invalid: NDArray[np.bool_]) -> None:
    """The note that the ``invalid`` rows of ``file`` were repaired with make_valid (the
    first ten named): the parcels' loader and the land-survey import say it alike."""
    if not invalid.any():
        return
    rows = ", ".join(str(shown_row(int(i) + 1, file)) for i in np.flatnonzero(invalid)[:10])
    counted = "; the header is row 1" if headed(file) else ""
    warnings.warn(f"{Path(file).name}: repaired {int(invalid.sum())} invalid geometries "
                  f"(rows {rows}{'…' if invalid.sum() > 10 else ''}{counted}) with make_valid",
                  stacklevel=3)


def repaired_outline(reason: str) -> str:
    """What an invalid geometry whose repair's area is off the given one says (``reason``:
    shapely's, "Self-intersection[x y]"): the outline is the suspect, not the CRS; the
    parcels' loader and the land-survey import say it alike."""
    return (f"the geometry is invalid ({reason}): its outline crosses itself or overlaps, and "
            f"its repair (make_valid) has an area more than {AREA_TOLERANCE:.0%} off the one "
            "given: fix the outline in the GIS")


def positive_area(unit: str) -> str:
    """What an area of 0 or less says, in ``unit`` (km² in our layer, m² in a survey's)."""
    return f"expected a positive area in {unit}"


def _area_problems(frame: gpd.GeoDataFrame, empty: np.ndarray, file: str,
                   invalid_reasons: NDArray[np.object_]) -> list[InputProblem]:
    """Rows whose area_km2 is not positive or contradicts the geometry (for a geometry that
    was invalid, ``invalid_reasons`` not empty, the outline is the suspect); when most do,
    the CRS is wrong (one problem saying so, then a few examples)."""
    given = pd.to_numeric(frame["area_km2"], errors="coerce").to_numpy(dtype=float)
    measured = frame.geometry.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6
    positive = np.isfinite(given) & (given > 0)
    repaired = invalid_reasons != ""
    off = ~empty & positive & (np.abs(given - measured)
                               > AREA_TOLERANCE * np.maximum(measured, 1e-9))
    shown = pd.Series([f"{g:.4g} km² but the {'repaired ' if r else ''}geometry has "
                       f"{m:.4g} km²" for g, m, r in zip(given, measured, repaired,
                                                         strict=True)])
    message = (f"area_km2 differs from the geometry's area by more than "
               f"{AREA_TOLERANCE:.0%}")
    problems = rows_problems(file, "area_km2", ~empty & (given == 0), frame["area_km2"],
                             positive_area("km²"))  # a negative one is below the minimum
    problems += [InputProblem(file, repaired_outline(invalid_reasons[row]), row=int(row) + 1,
                              column="geometry", value=shown[row])
                 for row in np.flatnonzero(off & repaired)]
    off &= ~repaired
    checked = ~empty & positive & ~repaired
    if off.sum() < max(CRS_SUSPECT_SHARE * checked.sum(), 2):
        return sorted(problems + rows_problems(file, "area_km2", off, shown, message),
                      key=lambda p: (p.row is None, p.row or 0))
    cause = (f"its coordinates are degrees (they look like {looks_like(frame)}) but the "
             f"file says they are in {crs_name(frame.crs)}"
             if degrees_labelled_projected(frame)
             else f"is {crs_name(frame.crs)} the CRS the coordinates are in?"
             + _other_guess(frame))
    problem = InputProblem(
        file, f"{message} on {int(off.sum()):,} of {int(checked.sum()):,} parcels (area_km2 "
              f"totals {_km2(np.nansum(given[checked]))}, the geometries "
              f"{_km2(measured[checked].sum())}): the CRS is wrong — {cause}",
        column="geometry")
    examples = [InputProblem(file, "for example", row=int(i) + 1, column="area_km2",
                             value=shown.iloc[i])
                for i in np.flatnonzero(off)[:AREA_EXAMPLES]]
    return [*problems, problem, *examples]


def _other_guess(frame: gpd.GeoDataFrame) -> str:
    """" They look like EPSG:4518 …": the CRS the coordinates' range suggests (as for a
    missing .prj), when it is not the one the file declares; "" when it is."""
    guess = looks_like(frame)
    code = CRS(frame.crs).to_epsg()
    return "" if code is not None and guess.startswith(f"EPSG:{code} ") \
        else f" They look like {guess}"


def _km2(value: float) -> str:
    return f"{value:,.0f} km²" if abs(value) >= 10 else f"{value:.3g} km²"
