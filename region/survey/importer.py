"""Import a land-survey patch layer (三调图斑) as parcels of our schema.

    read (any encoding, any CRS with a definition; GBK text once saved as Latin-1 repaired:
    region/mojibake.py) → check every row (all problems at once)
    → leave out the excluded codes → merge or drop slivers → overlay on the region
    → derive every parcel field (``region.survey.derive``) → parcels, provenance, report

The region the patches are placed in is the shipped Turpan data unless another is named
(:class:`RegionFiles`); the bureau's own protected areas, red lines and mine inventory replace
the region's layers when given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from region.errors import InputError, InputProblem
from region.files import TURPAN_DIR, sha256_of_inputs, with_side_files
from region.mojibake import repair_gbk_mojibake, repair_note
from region.parcels import (
    AREA_TOLERANCE,
    load_labels,
    load_parcel_layer,
    positive_area,
    repaired_outline,
    warn_repaired,
)
from region.schema import EQUAL_AREA_CRS, PARCEL_COLUMNS
from region.survey.derive import COLUMN_SPECS, PatchInputs, RegionContext, derive
from region.survey.dlbm import DLBM_TABLE, CodeTable, load_code_table, normalise_codes
from region.survey.fields import SURVEY_FIELDS, FieldMap, resolve_fields
from region.survey.layers import (
    AreaLayer,
    MineLayer,
    shipped_areas,
    shipped_layers,
    user_areas,
    user_mines,
)
from region.survey.overlay import overlay
from region.survey.read import crs_problems, parse_crs, read_layer
from region.survey.slivers import (
    DEFAULT_MIN_AREA_M2,
    SliverPlan,
    merged_geometries,
    plan_slivers,
)
from region.validate import (
    check_column,
    check_table,
    coerce_table,
    duplicates,
    rows_problems,
)

#: Label of a bureau's red-line layer without a name field.
RED_LINE_LABEL = "生态保护红线 ecological protection red line"


@dataclass(frozen=True)
class RegionFiles:
    """The region patches are placed in; the defaults are the shipped Turpan data."""

    parcels: Path = TURPAN_DIR / "parcels.gpkg"
    boundaries: Path = TURPAN_DIR / "boundaries.gpkg"
    counties: Path = TURPAN_DIR / "counties.csv"
    townships: Path = TURPAN_DIR / "townships.csv"


@dataclass(frozen=True)
class ImportOptions:
    """How to read the layer and what replaces the region's modelled layers."""

    fields: Mapping[str, str] = field(default_factory=dict)  # our key → the layer's field
    crs: str | None = None  # declared CRS (for a layer without one, or a wrong .prj)
    layer: str | None = None  # layer name inside a GeoPackage
    red_lines: Path | None = None
    protected: Path | None = None
    mines: Path | None = None
    min_area_m2: float = DEFAULT_MIN_AREA_M2
    code_table: Path = DLBM_TABLE
    region: RegionFiles = field(default_factory=RegionFiles)


@dataclass(frozen=True)
class SurveyImport:
    """Parcels of our schema (in the layer's CRS), where each field came from, the report."""

    parcels: gpd.GeoDataFrame
    provenance: pd.DataFrame
    report: dict


def import_survey(path: str | Path, options: ImportOptions | None = None) -> SurveyImport:
    """Read, check and convert a survey patch layer; one InputError lists every problem."""
    options = options or ImportOptions()
    path = Path(path)
    file = str(path)
    problems: list[InputProblem] = []

    table = _attempt(problems, load_code_table, options.code_table)
    layer, read_problems = read_layer(path, options.layer)
    problems += read_problems
    protected, red_lines, mines = _bureau_layers(options, problems)
    region = _attempt(problems, _region_context, options.region, protected, red_lines)
    if layer is None or table is None or region is None:
        raise InputError(problems)

    frame, repairs = repair_gbk_mojibake(layer.frame, region.townships_en)
    read_notes = ([repair_note(path.name, repairs, "townships of the region (townships.csv)")]
                  if repairs else [])
    if options.crs:
        crs, error = parse_crs(options.crs)
        if error:
            problems.append(InputProblem("--source-crs", error, value=options.crs))
        else:
            frame = frame.set_crs(crs, allow_override=True)
    else:
        problems += crs_problems(frame, file)
    fields = resolve_fields(frame.columns, options.fields)
    problems += [InputProblem(file, message) for message in fields.problems]
    if fields.get("dlbm") is None:
        standard, alias, _ = SURVEY_FIELDS["dlbm"]
        problems.append(InputProblem(file, f"no land-use code field: expected {standard} or "
                                           f"{alias}, or name it with solve.py parcels import "
                                           f"--field dlbm=FIELD "
                                           f"(fields: {', '.join(map(str, frame.columns))})"))
        raise InputError(problems)

    checked = _check_rows(frame, fields, table, file, region)
    problems += checked.problems
    if problems:
        raise InputError(problems)
    encoding = layer.encoding + (", GBK text read as Latin-1 before: repaired" if repairs
                                 else "")
    return _convert(path, encoding, frame, fields, table, region, mines, checked, options,
                    read_notes)


def _attempt(problems: list[InputProblem], loader, *args):
    try:
        return loader(*args)
    except InputError as err:
        problems.extend(err.problems)
        return None


def _bureau_layers(options: ImportOptions, problems: list[InputProblem]
                   ) -> tuple[AreaLayer | None, AreaLayer | None, MineLayer | None]:
    protected = red_lines = mines = None
    if options.protected is not None:
        protected, found = user_areas(options.protected, Path(options.protected).stem)
        problems += found
    if options.red_lines is not None:
        red_lines, found = user_areas(options.red_lines, RED_LINE_LABEL)
        problems += found
    if options.mines is not None:
        mines, found = user_mines(options.mines)
        problems += found
    return protected, red_lines, mines


def _region_context(files: RegionFiles, protected: AreaLayer | None,
                    red_lines: AreaLayer | None) -> RegionContext:
    parcels = load_parcel_layer(files.parcels).to_crs(EQUAL_AREA_CRS)
    layers = shipped_layers(files.boundaries)
    counties = shipped_areas(layers, "counties", "county", files.boundaries)
    rivers = layers.get("rivers")
    if rivers is not None and "kind" in rivers.columns:  # main rivers, not canals
        rivers = rivers.loc[rivers["kind"] == "river"]
    townships_en: dict[str, str] = {}
    if files.townships is not None and Path(files.townships).exists():
        towns = pd.read_csv(files.townships, dtype=str).fillna("")
        if {"name_zh", "name_en"} <= set(towns.columns):
            townships_en = dict(zip(towns["name_zh"], towns["name_en"], strict=True))
    county_codes = set(parcels["county"].astype(str))
    if files.counties is not None and Path(files.counties).exists():
        county_codes |= set(load_labels(files.counties, "county")["county"].astype(str))
    return RegionContext(
        parcels=pd.DataFrame(parcels.drop(columns="geometry")),
        geoms=parcels.geometry.to_numpy(), parcels_file=str(files.parcels),
        counties=counties, county_codes=frozenset(county_codes),
        protected=protected or shipped_areas(layers, "protected_areas", "name",
                                             files.boundaries),
        red_lines=red_lines or shipped_areas(layers, "red_lines", "name", files.boundaries),
        rivers=None if rivers is None else rivers.geometry.to_numpy(),
        rivers_file=f"{files.boundaries} layer 'rivers'", townships_en=townships_en)


@dataclass
class CheckedRows:
    """What the row checks found, and what they measured on the way."""

    problems: list[InputProblem]
    dlbm: pd.Series
    geoms_ea: NDArray[np.object_] | None = None
    area_m2: NDArray[np.float64] | None = None
    repaired: int = 0


def _check_rows(frame: gpd.GeoDataFrame, fields: FieldMap, table: CodeTable, file: str,
                region: RegionContext) -> CheckedRows:
    """Every row problem: geometry, land-use code, area, the bureau's own parcel fields."""
    geometry = frame.geometry.to_numpy()
    empty = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    problems = rows_problems(file, "geometry", empty, frame.geometry.astype(object),
                             "empty or missing geometry")
    kind = pd.Series(shapely.get_type_id(geometry))
    not_polygon = ~empty & ~kind.isin([3, 6]).to_numpy()  # Polygon, MultiPolygon
    problems += rows_problems(file, "geometry", not_polygon, frame.geometry.geom_type,
                              "expected a polygon (a land-survey patch)")
    dlbm_field = fields.get("dlbm")
    dlbm = normalise_codes(frame[dlbm_field])
    blank = (dlbm == "").to_numpy()
    problems += rows_problems(file, dlbm_field, blank, frame[dlbm_field],
                              "no land-use code")
    unknown = ~blank & ~table.known(dlbm)
    problems += rows_problems(file, dlbm_field, unknown, frame[dlbm_field],
                              f"unknown land-use code: not in GB/T 21010-2017 nor in "
                              f"{table.path.name} (fix the code, or add a row to the table "
                              f"and pass it with --code-table)")
    for name, column in fields.columns.items():
        if name in COLUMN_SPECS:
            problems += check_column(frame[column], replace(COLUMN_SPECS[name], name=column),
                                     file)
    tbmj_field = fields.get("tbmj")
    if tbmj_field is not None:
        problems += _area_number_problems(frame[tbmj_field], file, tbmj_field)
    problems += _duplicate_bsm_problems(frame, fields, file)
    checked = CheckedRows(problems, dlbm)
    if frame.crs is None:
        return checked
    usable = ~empty & ~not_polygon
    ea = np.array(geometry, dtype=object)
    ea[usable] = gpd.GeoSeries(geometry[usable], crs=frame.crs).to_crs(EQUAL_AREA_CRS).values
    # validity first: a self-intersecting outline's repair changes its area, and the area
    # check must then say so rather than suspect the CRS
    invalid = usable & ~shapely.is_valid(ea)
    reasons = np.full(len(ea), "", dtype=object)
    # the reason's coordinates in the layer's own CRS, as the planner's GIS shows them
    source_valid = shapely.is_valid(geometry[invalid])
    reasons[invalid] = np.where(source_valid, shapely.is_valid_reason(ea[invalid]),
                                shapely.is_valid_reason(geometry[invalid]))
    warn_repaired(file, invalid)
    ea[invalid] = shapely.make_valid(ea[invalid])
    area = np.where(usable, shapely.area(ea), 0.0)
    checked.geoms_ea, checked.area_m2, checked.repaired = ea, area, int(invalid.sum())
    if tbmj_field is not None:
        problems += _area_problems(frame[tbmj_field], area, usable, file, tbmj_field,
                                   reasons)
    problems += _outside_problems(ea, usable, region, file)
    return checked


def _duplicate_bsm_problems(frame: gpd.GeoDataFrame, fields: FieldMap,
                            file: str) -> list[InputProblem]:
    """A BSM (标识码) that repeats an earlier patch's: the parcel ids are the BSMs, so that
    progress files and the bureau's own records keep matching; one repeat would otherwise
    renumber every parcel. Blank BSMs are not repeats (see :func:`_parcel_ids`)."""
    column = fields.get("bsm")
    if column is None:
        return []
    values = pd.to_numeric(frame[column], errors="coerce")
    if values.isna().any():
        return []  # not an id on every patch: the rows are numbered instead, with a note
    return duplicates(file, column, values, "duplicate BSM 标识码 (it becomes the parcel id, "
                                            "which progress files name: give each patch its "
                                            "own)")


def _area_number_problems(tbmj: pd.Series, file: str, column: str) -> list[InputProblem]:
    given = pd.to_numeric(tbmj, errors="coerce").to_numpy(dtype=float)
    problems = rows_problems(file, column, np.isnan(given), tbmj,
                             "expected the patch area in m² (a number)")
    return problems + rows_problems(file, column, ~np.isnan(given) & (given <= 0), tbmj,
                                    positive_area("m²"))


def _area_problems(tbmj: pd.Series, area_m2: NDArray[np.float64], usable: NDArray[np.bool_],
                   file: str, column: str, invalid_reasons: NDArray[np.object_]
                   ) -> list[InputProblem]:
    """Areas that contradict the geometry (measured in the equal-area CRS); for a geometry
    that was invalid (``invalid_reasons`` not empty) the outline is the suspect, not the
    CRS."""
    given = pd.to_numeric(tbmj, errors="coerce").to_numpy(dtype=float)
    off = usable & (given > 0) & (np.abs(given - area_m2)
                                   > AREA_TOLERANCE * np.maximum(area_m2, 1.0))
    repaired = invalid_reasons != ""
    shown = pd.Series([f"{g:,.1f} m² but the {'repaired ' if r else ''}geometry has "
                       f"{m:,.1f} m²" for g, m, r in zip(given, area_m2, repaired, strict=True)])
    problems = rows_problems(file, column, off & ~repaired, shown,
                             f"the area differs from the geometry's by more than "
                             f"{AREA_TOLERANCE:.0%} (is the CRS right?)")
    for row in np.flatnonzero(off & repaired):
        problems.append(InputProblem(file, repaired_outline(invalid_reasons[row]),
                                     row=int(row) + 1, column="geometry", value=shown[row]))
    return problems


def _outside_problems(ea: NDArray[np.object_], usable: NDArray[np.bool_],
                      region: RegionContext, file: str) -> list[InputProblem]:
    tree = shapely.STRtree(region.geoms)
    hit = np.zeros(len(ea), bool)
    rows = np.flatnonzero(usable)
    hit[rows[np.unique(tree.query(ea[rows], predicate="intersects")[0])]] = True
    outside = usable & ~hit
    centre = shapely.point_on_surface(ea)
    shown = pd.Series(["" if not o else _lonlat(c) for o, c in zip(outside, centre,
                                                                    strict=True)])
    return rows_problems(file, "geometry", outside, shown,
                         f"the patch lies outside the region ({region.parcels_file}): check "
                         f"the CRS, or import it with its own region")


def _lonlat(point: shapely.Point) -> str:
    lonlat = gpd.GeoSeries([point], crs=EQUAL_AREA_CRS).to_crs("EPSG:4326").iloc[0]
    return f"centre at {lonlat.x:.4f} E, {lonlat.y:.4f} N"


def _convert(path: Path, encoding: str, frame: gpd.GeoDataFrame, fields: FieldMap,
             table: CodeTable, region: RegionContext, mines: MineLayer | None,
             checked: CheckedRows, options: ImportOptions,
             read_notes: list[str]) -> SurveyImport:
    """Excluded codes out, slivers merged, every field derived, one table assembled;
    ``read_notes``: what reading the layer noted (text repaired), first in the report."""
    file = str(path)
    dlbm = checked.dlbm
    role = table.column(dlbm, "role")
    keep = role != "excluded"
    rows = np.flatnonzero(keep)
    geoms_src = frame.geometry.to_numpy()[rows]
    geoms_ea = checked.geoms_ea[rows]
    area_m2 = checked.area_m2[rows]
    default_cover = np.array([alt[0] for alt in table.alternatives(dlbm.iloc[rows])],
                             dtype=object)
    slivers = plan_slivers(geoms_ea, area_m2, default_cover, options.min_area_m2)
    tbmj = (pd.to_numeric(frame[fields.get("tbmj")]).to_numpy(float)[rows]
            if fields.get("tbmj") else area_m2.copy())
    parcel_id, id_note = _parcel_ids(frame, fields)
    parcel_id = parcel_id[rows]
    source_rows = [[int(r) + 1] for r in rows]
    if len(slivers.merged):
        geoms_src, geoms_ea = _merge(slivers, tbmj, source_rows, geoms_src, geoms_ea)
    alive = np.ones(len(rows), bool)
    alive[slivers.slivers] = False
    keep_rows = rows[alive]

    user = pd.DataFrame({name: frame[column].to_numpy()[keep_rows]
                         for name, column in fields.columns.items()
                         if name in COLUMN_SPECS or name in ("zldwdm", "zldwmc")})
    patches = PatchInputs(geoms=geoms_ea[alive], area_km2=tbmj[alive] / 1e6,
                          dlbm=dlbm.iloc[keep_rows].reset_index(drop=True),
                          parcel_id=parcel_id[alive], user=user,
                          user_columns=dict(fields.columns), file=file)
    derived = derive(patches, region, table, mines, overlay(patches.geoms, region.geoms))

    columns = {"parcel_id": patches.parcel_id, "area_km2": patches.area_km2,
               **derived.columns}
    ordered = [c.name for c in PARCEL_COLUMNS if c.name in columns]
    extra = [c for c in columns if c not in ordered and c != "region_share"]
    out = pd.DataFrame({c: columns[c] for c in ordered + extra})
    out["bsm"] = (frame[fields.get("bsm")].astype(str).to_numpy()[keep_rows]
                  if fields.get("bsm") else "")
    out["dlbm"] = patches.dlbm.to_numpy()
    out["dlmc"] = (frame[fields.get("dlmc")].fillna("").astype(str).to_numpy()[keep_rows]
                   if fields.get("dlmc") else table.column(patches.dlbm, "dlmc"))
    out["survey_role"] = table.column(patches.dlbm, "role")
    out["source_rows"] = [" ".join(map(str, source_rows[i])) for i in np.flatnonzero(alive)]
    out["region_share"] = np.round(columns["region_share"], 4)
    problems = check_table(out, PARCEL_COLUMNS, f"parcels imported from {path.name}")
    if problems:  # derived values out of the schema: say so rather than write them
        raise InputError(problems)
    out = coerce_table(out, PARCEL_COLUMNS)
    parcels = gpd.GeoDataFrame(out, geometry=geoms_src[alive], crs=frame.crs)

    provenance = derived.provenance.frame()
    provenance = pd.concat([pd.DataFrame([
        {"field": "parcel_id", "source": "user" if id_note is None else "ours",
         "method": f"field {fields.get('bsm')}" if id_note is None else id_note,
         "file": file},
        {"field": "area_km2", "source": "user" if fields.get("tbmj") else "ours",
         "method": (f"field {fields.get('tbmj')} / 10⁶ (checked against the geometry, "
                    f"±{AREA_TOLERANCE:.0%}); merged slivers added")
         if fields.get("tbmj") else "the geometry's area in the equal-area CRS",
         "file": file}]), provenance], ignore_index=True)
    report = _report(path, encoding, frame, fields, table, role, dlbm, checked, slivers,
                     rows, parcels, [*read_notes, *derived.notes], options, id_note)
    return SurveyImport(parcels, provenance, report)


def _merge(slivers: SliverPlan, tbmj: NDArray[np.float64], source_rows: list[list[int]],
           *geoms: NDArray[np.object_]) -> tuple[NDArray[np.object_], ...]:
    """Each merged sliver's area and rows go to its target (in place); the geometries after
    the merge are returned (one array per CRS given)."""
    targets = slivers.target[slivers.target >= 0]
    np.add.at(tbmj, targets, tbmj[slivers.merged])
    for sliver, target in zip(slivers.merged, targets, strict=True):
        source_rows[target] += source_rows[sliver]
    return tuple(merged_geometries(g, slivers) for g in geoms)


def _parcel_ids(frame: gpd.GeoDataFrame, fields: FieldMap) -> tuple[NDArray[np.int64],
                                                                    str | None]:
    """BSM when every patch has a unique whole-number one; else 1..n (and why)."""
    numbered = np.arange(1, len(frame) + 1, dtype=np.int64)
    column = fields.get("bsm")
    if column is None:
        return numbered, "row number in the layer (it has no BSM 标识码 field)"
    values = pd.to_numeric(frame[column], errors="coerce")
    whole = values.notna().all() and (values >= 0).all() and (values % 1 == 0).all()
    if whole and values.is_unique and values.max() < 2**63:
        return values.to_numpy(dtype=np.int64), None
    return numbered, (f"row number in the layer ({column} is not a unique whole number on "
                      "every patch)")


def _report(path: Path, encoding: str, frame: gpd.GeoDataFrame, fields: FieldMap,
            table: CodeTable, role: NDArray, dlbm: pd.Series, checked: CheckedRows,
            slivers: SliverPlan, rows: NDArray[np.int64], parcels: gpd.GeoDataFrame,
            notes: list[str],
            options: ImportOptions, id_note: str | None) -> dict:
    area_km2 = checked.area_m2 / 1e6
    excluded = role == "excluded"
    by_code_excluded = (pd.DataFrame({"dlbm": dlbm[excluded], "area": area_km2[excluded]})
                        .groupby("dlbm")["area"].agg(["size", "sum"]))
    sliver_rows = rows[slivers.slivers] + 1
    merged_mask = slivers.target >= 0
    by_role = parcels.groupby("survey_role")["area_km2"].agg(["size", "sum"])
    by_cover = parcels.groupby("land_cover")["area_km2"].agg(["size", "sum"])
    if checked.repaired:
        notes = [*notes, f"{checked.repaired:,} invalid geometries repaired (make_valid)"]
    if id_note:
        notes = [*notes, f"parcel_id: {id_note}"]
    partly = int((parcels["region_share"] < 0.999).sum())
    if partly:
        notes = [*notes, f"{partly:,} parcels reach beyond the region's parcels; their "
                         "modelled fields come from the part inside"]
    return {
        "source": str(path), "sha256": sha256_of_inputs(with_side_files(path)),
        "encoding": encoding,
        "crs": frame.crs.to_string() if frame.crs is not None else None,
        "crs_declared": options.crs,
        "fields": dict(fields.columns), "code_table": str(table.path),
        "region": {k: str(v) for k, v in vars(options.region).items()},
        "bureau_layers": {k: str(v) for k, v in (("red_lines", options.red_lines),
                                                 ("protected", options.protected),
                                                 ("mines", options.mines)) if v},
        "patches_read": len(frame), "parcels_written": len(parcels),
        "area_read_km2": round(float(area_km2.sum()), 4),
        "area_written_km2": round(float(parcels["area_km2"].sum()), 4),
        "by_role": {str(k): {"parcels": int(r["size"]), "area_km2": round(float(r["sum"]), 4)}
                    for k, r in by_role.iterrows()},
        "by_land_cover": {str(k): {"parcels": int(r["size"]),
                                   "area_km2": round(float(r["sum"]), 4)}
                          for k, r in by_cover.iterrows()},
        "excluded": {str(k): {"patches": int(r["size"]), "area_km2": round(float(r["sum"]), 4),
                              "name": str(table.table.at[k, "dlmc"])}
                     for k, r in by_code_excluded.iterrows()},
        "slivers": {"min_area_m2": options.min_area_m2,
                    "merged_rows": sliver_rows[merged_mask].tolist(),
                    "dropped_rows": sliver_rows[~merged_mask].tolist(),
                    "dropped_area_m2": round(float(checked.area_m2[rows[slivers.dropped]]
                                                   .sum()), 2)},
        "notes": notes,
    }

