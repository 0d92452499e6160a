"""Load and validate a region's inputs: parcels (a land-survey layer imported on the way;
the parcels' own checks are region/parcels.py), action catalogue, plan projects, labels.

Every loader collects all the problems of its file and raises one :class:`InputError`;
:func:`load_region` goes on through every file before raising, so a planner fixes a whole
dataset in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from region import survey
from region.errors import InputError, InputProblem
from region.extent import outside_problems
from region.files import REPO_ROOT, TURPAN_DIR, with_side_files
from region.layers import LayerSource, overlay
from region.parcels import (
    check_parcels,
    load_labels,
    load_parcel_layer,
)
from region.places import Places, place_problem
from region.projects import rule_problems
from region.references import code_text
from region.schema import ACTION_COLUMNS, LAND_COVERS
from region.validate import (
    check_table,
    coerce_table,
    duplicates,
    read_csv_table,
    rows_problems,
    split_list,
)
from region.vector_files import vector_file_problems

DEFAULT_SCENARIO = REPO_ROOT / "data" / "scenarios" / "baseline.toml"
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

    @property
    def library(self) -> Path:
        """The project library beside the action catalogue: 建设内容, 责任单位 and the
        indicators of the priority lists (outputs/library.py)."""
        return Path(self.actions).parent / "project_library.csv"

    @property
    def indicators(self) -> Path:
        """The plan's indicators beside the action catalogue (outputs/indicators.py)."""
        return Path(self.actions).parent / "indicators.csv"

    def files(self) -> list[Path]:
        """The input files that exist, for hashing (a Shapefile with its side files): the
        region's, and the tables beside the catalogue that the priority lists read."""
        return [f for p in (self.parcels, self.actions, self.projects, self.zones,
                            self.counties, self.boundaries, self.library, self.indicators,
                            *(s.path for s in self.layers))
                if p is not None and Path(p).exists() for f in with_side_files(Path(p))]


@dataclass(frozen=True)
class Region:
    """A validated region: parcels (in their file's CRS), action catalogue, projects and
    labels."""

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


def load_parcels(path: str | Path, layer: str | None = None,
                 zones: pd.Series | None = None,
                 counties: pd.Series | None = None,
                 county_names: Mapping[str, str] | None = None) -> gpd.GeoDataFrame:
    """Read and validate parcels (GeoPackage, Shapefile, GeoJSON), in the file's own CRS.

    A land-survey patch layer (三调图斑: DLBM, TBMJ …) is imported first with the default
    options (``region.survey``); ``solve.py parcels import`` gives the options. The checks
    are those of :func:`region.parcels.check_parcels`.
    """
    path = Path(path)
    if problems := vector_file_problems(path):  # before the survey checks open it
        raise InputError(problems)
    if layer is None and survey.is_survey_import(path):
        layer = "parcels"
    elif survey.is_survey_layer(path, layer):
        patches = survey.import_survey(path, survey.ImportOptions(layer=layer)).parcels
        return check_parcels(patches, str(path), zones, counties, county_names)
    return load_parcel_layer(path, layer, zones, counties, county_names)


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
    for column in ("capacity_km2_per_yr", "capacity_source_km2_per_yr"):
        if column not in frame.columns:  # no capacity; no figure the source gives
            frame[column] = np.nan
    for column in ("compatible_with", "places", "area_share", "rule_source",
                   "capacity_source_zh", "capacity_source_en"):
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
                problems += _list_problems(frame[column], set(known.map(code_text)), file,
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
    county_names = (dict(zip(county_labels["county"].map(code_text),
                             county_labels["name_zh"] + " " + county_labels["name_en"],
                             strict=True)) if county_labels is not None else None)
    parcels = attempt(load_parcels, paths.parcels, parcels_layer, known_zones, known_counties,
                      county_names)
    if parcels is not None:
        problems += outside_problems(parcels, paths.boundaries, str(paths.parcels))
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
