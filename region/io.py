"""Load and validate a region's inputs: parcels, action catalogue, plan projects, labels.

Every loader collects all the problems of its file and raises one :class:`InputError`;
:func:`load_region` goes on through every file before raising, so a planner fixes a whole
dataset in one pass.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from region.errors import InputError, InputProblem
from region.layers import LayerSource, overlay
from region.places import Places, place_problem
from region.projects import rule_problems
from region.schema import (
    ACTION_COLUMNS,
    EQUAL_AREA_CRS,
    LAND_COVERS,
    PARCEL_COLUMNS,
    STORAGE_CRS,
)
from region.validate import (
    check_table,
    coerce_table,
    duplicates,
    read_csv_table,
    rows_problems,
    split_list,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
TURPAN_DIR = REPO_ROOT / "data" / "turpan"
DEFAULT_SCENARIO = REPO_ROOT / "data" / "scenarios" / "baseline.toml"

#: area_km2 may differ from the geometry's equal-area area by at most this share.
AREA_TOLERANCE = 0.05
PROJECT_COLUMNS = ("project_id", "level", "parent", "name_zh", "name_en", "zones", "counties",
                   "actions")


@dataclass(frozen=True)
class RegionPaths:
    """Where a region's input files are; the defaults are the shipped Turpan data."""

    parcels: Path = TURPAN_DIR / "parcels.gpkg"
    actions: Path = TURPAN_DIR / "actions.csv"
    projects: Path | None = TURPAN_DIR / "projects.csv"
    zones: Path | None = TURPAN_DIR / "zones.csv"
    counties: Path | None = TURPAN_DIR / "counties.csv"
    #: Layers the rules' places measure distances to (rivers, the lake): region/places.py.
    boundaries: Path | None = TURPAN_DIR / "boundaries.gpkg"
    #: A bureau's own layers laid over the parcels as attributes (region/layers.py).
    layers: tuple[LayerSource, ...] = ()

    def files(self) -> list[Path]:
        """The input files that exist, for hashing (a Shapefile with its side files)."""
        return [f for p in (self.parcels, self.actions, self.projects, self.zones,
                            self.counties, self.boundaries, *(s.path for s in self.layers))
                if p is not None and Path(p).exists() for f in with_side_files(Path(p))]


#: The files beside a Shapefile that change what is read: attributes, index, CRS, encoding.
SHAPEFILE_SIDE_FILES = (".dbf", ".shx", ".prj", ".cpg")


def with_side_files(path: Path) -> list[Path]:
    """``path``, and for a Shapefile the side files of it that exist (either case)."""
    if path.suffix.lower() != ".shp":
        return [path]
    sides = {path.with_suffix(s) for ext in SHAPEFILE_SIDE_FILES for s in (ext, ext.upper())}
    return [path, *sorted(side for side in sides if side.exists())]


@dataclass(frozen=True)
class Region:
    """A validated region: parcels (EPSG:4326), action catalogue, projects and labels."""

    parcels: gpd.GeoDataFrame
    actions: pd.DataFrame
    projects: pd.DataFrame
    zone_labels: pd.DataFrame  # zone, name_zh, name_en
    county_labels: pd.DataFrame  # county, name_zh, name_en
    paths: RegionPaths = field(default_factory=RegionPaths)

    @cached_property
    def places(self) -> Places:
        """The rules' places evaluated on these parcels (distances measured once)."""
        return Places(self.parcels, self.paths.boundaries)


def _missing_file(path: Path) -> InputError | None:
    if not Path(path).exists():
        return InputError([InputProblem(str(path), "file not found")])
    return None


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


def load_parcels(path: str | Path, layer: str | None = None,
                 zones: pd.Series | None = None,
                 counties: pd.Series | None = None) -> gpd.GeoDataFrame:
    """Read and validate parcels (GeoPackage, Shapefile, GeoJSON); return them in EPSG:4326.

    A land-survey patch layer (三调图斑: DLBM, TBMJ …) is imported first with the default
    options (``region.survey``); ``solve.py parcels import`` gives the options.

    Checks the columns of ``region.schema.PARCEL_COLUMNS``, duplicate ids, zone and county
    codes (against ``zones`` and ``counties`` when given), geometry (empty is an error,
    invalid is repaired with a warning), the CRS, and ``area_km2`` against the geometry's
    equal-area area (±5 %).
    """
    path = Path(path)
    file = str(path)
    if (err := _missing_file(path)) is not None:
        raise err
    frame = _read_parcels(path, layer)
    problems = check_table(frame, PARCEL_COLUMNS, file)
    if "parcel_id" in frame.columns:
        problems += duplicates(file, "parcel_id", frame["parcel_id"])
    if zones is not None and "zone" in frame.columns:
        zone_numbers = pd.to_numeric(frame["zone"], errors="coerce")
        unknown = zone_numbers.notna() & ~zone_numbers.isin(zones)
        problems += rows_problems(file, "zone", unknown.to_numpy(), frame["zone"],
                                  f"unknown zone: expected one of {sorted(zones.tolist())}")
    if counties is not None and "county" in frame.columns:
        codes = frame["county"].map(_code_text)
        unknown = codes.ne("") & ~codes.isin(counties.map(_code_text))
        problems += rows_problems(file, "county", unknown.to_numpy(), frame["county"],
                                  f"unknown county: expected one of "
                                  f"{sorted(counties.map(_code_text).tolist())}")
    if frame.crs is None:
        problems.append(InputProblem(
            file, "no CRS: save it with EPSG:4326 (WGS84), EPSG:4490 (CGCS2000) or a "
                  "projected CRS", column="geometry"))
    geometry = frame.geometry.values
    empty = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    problems += rows_problems(file, "geometry", empty, frame.geometry.astype(object),
                              "empty or missing geometry")
    invalid = ~empty & ~shapely.is_valid(geometry)
    if invalid.any():
        rows = ", ".join(str(i + 1) for i in np.flatnonzero(invalid)[:10])
        warnings.warn(f"{path.name}: repaired {int(invalid.sum())} invalid geometries "
                      f"(rows {rows}{'…' if invalid.sum() > 10 else ''}) with make_valid",
                      stacklevel=2)
        frame.loc[invalid, "geometry"] = shapely.make_valid(geometry[invalid])
    if frame.crs is not None and "area_km2" in frame.columns and not empty.all():
        problems += _area_problems(frame, empty, file)
    if problems:
        raise InputError(problems)
    frame = coerce_table(frame, PARCEL_COLUMNS)
    return frame.to_crs(STORAGE_CRS)


def _read_parcels(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """The parcels layer; a land-survey patch layer (三调) is imported on the way."""
    from region import survey  # here: the import itself loads the region through this module

    if layer is None and survey.is_survey_import(path):
        layer = "parcels"
    elif survey.is_survey_layer(path, layer):
        return survey.import_survey(path, survey.ImportOptions(layer=layer)).parcels
    try:
        frame = gpd.read_file(path, layer=layer) if layer else gpd.read_file(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file for the user
        raise InputError([InputProblem(str(path), f"cannot read as a vector file: {exc}")]
                         ) from None
    if not isinstance(frame, gpd.GeoDataFrame):  # a table without shapes, e.g. a CSV
        raise InputError([InputProblem(
            str(path), "has no geometry: expected parcel polygons in a GeoPackage, Shapefile "
                       "or GeoJSON (a CSV table holds no shapes)")])
    return with_full_names(frame, path)


#: A Shapefile (dBASE) keeps at most this many characters of a column name.
DBF_NAME_LENGTH = 10
PARCEL_COLUMN_NAMES = tuple(spec.name for spec in PARCEL_COLUMNS)


def with_full_names(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """``frame`` with each column a Shapefile cut to 10 characters (``degradatio``,
    ``wind_expos``) named by the one parcel column it is the start of, when that column is
    not there already; a note lists what was renamed."""
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


def _code_text(value: object) -> str:
    """A code as text, whether it was read as a number or a string (650402.0 → '650402')."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _area_problems(frame: gpd.GeoDataFrame, empty: np.ndarray,
                   file: str) -> list[InputProblem]:
    given = pd.to_numeric(frame["area_km2"], errors="coerce").to_numpy(dtype=float)
    measured = frame.geometry.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6
    off = ~empty & np.isfinite(given) & (np.abs(given - measured)
                                          > AREA_TOLERANCE * np.maximum(measured, 1e-9))
    shown = pd.Series([f"{g:.4g} km² but the geometry has {m:.4g} km²"
                       for g, m in zip(given, measured, strict=True)])
    return rows_problems(file, "area_km2", off, shown,
                         f"area_km2 differs from the geometry's area by more than "
                         f"{AREA_TOLERANCE:.0%}")


def load_actions(path: str | Path, zones: pd.Series | None = None) -> pd.DataFrame:
    """Read and validate the action catalogue; lists ('1|2') are checked, kept as text."""
    path = Path(path)
    file = str(path)
    frame = read_csv_table(path, dtype=str, keep_default_na=False, na_values=[""])
    problems = check_table(frame, ACTION_COLUMNS, file)
    if "code" in frame.columns:
        problems += duplicates(file, "code", frame["code"])
        codes = set(frame["code"].fillna(""))
        if "compatible_with" in frame.columns:
            problems += _list_problems(frame["compatible_with"], codes, file, "compatible_with",
                                       "unknown action code")
    if "land_covers" in frame.columns:
        problems += _list_problems(frame["land_covers"], set(LAND_COVERS), file, "land_covers",
                                   "unknown land cover", allow_empty=False)
    if "zones" in frame.columns:
        allowed = {str(z) for z in zones} if zones is not None else None
        problems += _list_problems(frame["zones"], allowed, file, "zones", "unknown zone",
                                   allow_empty=False)
    problems += _where_problems(frame, file)
    if problems:
        raise InputError(problems)
    frame = coerce_table(frame, ACTION_COLUMNS)
    if "capacity_km2_per_yr" not in frame.columns:
        frame["capacity_km2_per_yr"] = np.nan
    for column in ("compatible_with", "places", "area_share", "rule_source"):
        if column not in frame.columns:
            frame[column] = ""
    return frame


def _where_problems(frame: pd.DataFrame, file: str) -> list[InputProblem]:
    """Problems of the catalogue's ``places`` (region/places.py syntax) and ``area_share``
    ('land_cover=share' items, shares in (0, 1])."""
    problems = []
    for row, text in enumerate(frame.get("places", pd.Series(dtype=str)).fillna("")):
        if (message := place_problem(text)) is not None:
            problems.append(InputProblem(file, message, row=row + 1, column="places",
                                         value=text))
    for row, text in enumerate(frame.get("area_share", pd.Series(dtype=str)).fillna("")):
        for item in split_list(text):
            cover, _, share = item.partition("=")
            number = pd.to_numeric(share, errors="coerce")
            if cover.strip() not in LAND_COVERS or not 0 < number <= 1:
                problems.append(InputProblem(
                    file, "expected land_cover=share items, '|'-separated, a known land "
                          "cover and a share in (0, 1]", row=row + 1, column="area_share",
                    value=item))
    return problems


def _list_problems(values: pd.Series, allowed: set[str] | None, file: str, column: str,
                   what: str, allow_empty: bool = True) -> list[InputProblem]:
    parsed = values.map(split_list)
    problems = []
    if not allow_empty:
        problems += rows_problems(file, column, (parsed.map(len) == 0).to_numpy(), values,
                                  "must list at least one value, '|'-separated")
    if allowed is not None:
        unknown = parsed.map(lambda items: any(i not in allowed for i in items))
        problems += rows_problems(file, column, unknown.to_numpy(), values,
                                  f"{what}: expected values from {sorted(allowed)}")
    return problems


def load_projects(path: str | Path, action_codes: set[str], zones: pd.Series | None = None,
                  counties: pd.Series | None = None) -> pd.DataFrame:
    """Read the plan's projects; every action, zone and county they list must exist."""
    path = Path(path)
    file = str(path)
    frame = read_csv_table(path, dtype=str).fillna("")
    problems = [InputProblem(file, f"missing column '{c}'")
                for c in PROJECT_COLUMNS if c not in frame.columns]
    if not problems:
        problems += duplicates(file, "project_id", frame["project_id"])
        problems += _list_problems(frame["actions"], action_codes, file, "actions",
                                   "unknown action code")
        for column, known, what in (("zones", zones, "unknown zone code"),
                                    ("counties", counties, "unknown county code")):
            if known is not None:
                problems += _list_problems(frame[column], set(known.map(_code_text)), file,
                                           column, what)
        problems += rule_problems(frame, file)
    if problems:
        raise InputError(problems)
    for column in ("land_covers", "places", "source"):
        if column not in frame.columns:
            frame[column] = ""
    return frame


def load_region(paths: RegionPaths | None = None, parcels_layer: str | None = None) -> Region:
    """Load and validate every input of a region; one InputError lists all their problems."""
    paths = paths or RegionPaths()
    problems: list[InputProblem] = []

    def attempt(loader, *args, **kwargs):
        try:
            return loader(*args, **kwargs)
        except InputError as err:
            problems.extend(err.problems)
            return None

    zone_labels = attempt(load_labels, paths.zones, "zone") if paths.zones else None
    county_labels = attempt(load_labels, paths.counties, "county") if paths.counties else None
    known_zones = zone_labels["zone"] if zone_labels is not None else None
    known_counties = county_labels["county"] if county_labels is not None else None
    actions = attempt(load_actions, paths.actions, known_zones)
    parcels = attempt(load_parcels, paths.parcels, parcels_layer, known_zones, known_counties)
    projects = None
    if paths.projects is not None and actions is not None:
        projects = attempt(load_projects, paths.projects, set(actions["code"]), known_zones,
                           known_counties)
    for source in paths.layers:
        parcels = attempt(overlay, parcels, source) if parcels is not None else None
    if problems:
        raise InputError(problems)
    if zone_labels is None:
        zone_labels = _fallback_labels(parcels["zone"], "zone", "分区", "zone")
    if county_labels is None:
        county_labels = _fallback_labels(parcels["county"], "county", "", "")
    if projects is None:
        projects = pd.DataFrame(columns=list(PROJECT_COLUMNS))
    return Region(parcels, actions, projects, zone_labels, county_labels, paths)


def _fallback_labels(values: pd.Series, key: str, zh: str, en: str) -> pd.DataFrame:
    """Labels made from the codes themselves, for a region that ships no label table."""
    codes = sorted(values.unique())
    return pd.DataFrame({key: codes, "name_zh": [f"{zh}{c}" for c in codes],
                         "name_en": [f"{en} {c}".strip() for c in codes]})


def sha256_of_inputs(paths: list[Path]) -> str:
    """One SHA-256 over the input files' names and bytes, in a stable (sorted) order."""
    digest = hashlib.sha256()
    for path in sorted(Path(p).resolve() for p in paths):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
