"""Write an import: the parcels GeoPackage, its provenance table and its report, safely.

The GeoPackage holds the layer ``parcels`` and a table ``survey_provenance`` (which field came
from the bureau's layer, which from ours, and how); the same table is written beside it as
``<name>.provenance.csv`` (UTF-8 with BOM, for Excel) with the report as
``<name>.import.json``. Each file is written under a temporary name and renamed into place
(``storage``), and a file that an import did not write, or the survey layer itself, is never
replaced.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio

from region.errors import InputError, InputProblem
from region.survey.derive import PROVENANCE_COLUMNS
from region.survey.importer import SurveyImport
from storage import CSV_FLOATS, check_file_writable, protecting, write_file_atomically

PARCELS_LAYER = "parcels"
PROVENANCE_LAYER = "survey_provenance"


def is_survey_import(path: str | Path) -> bool:
    """True for a GeoPackage written by an import (it carries the provenance table)."""
    path = Path(path)
    if path.suffix.lower() != ".gpkg" or not path.is_file():
        return False
    try:
        return PROVENANCE_LAYER in {str(name) for name, _ in pyogrio.list_layers(path)}
    except Exception:  # noqa: BLE001 - not a readable GeoPackage: not ours
        return False


def sidecars(out: Path) -> tuple[Path, Path]:
    """The provenance CSV and the report JSON written beside ``out``."""
    return (out.with_name(out.stem + ".provenance.csv"),
            out.with_name(out.stem + ".import.json"))


def write_import(result: SurveyImport, out: Path, source: Path) -> list[Path]:
    """Write the GeoPackage and its two side files; return their paths. Every destination is
    checked before anything is written: new, or a file an import wrote (never an input)."""
    out = Path(out)
    if out.suffix.lower() != ".gpkg":
        raise InputError([InputProblem(str(out), "--out must be a GeoPackage (.gpkg)")])
    provenance_csv, report_json = sidecars(out)

    def gpkg(tmp: Path) -> None:
        pyogrio.write_dataframe(result.parcels, tmp, layer=PARCELS_LAYER, driver="GPKG")
        pyogrio.write_dataframe(result.provenance, tmp, layer=PROVENANCE_LAYER,
                                driver="GPKG")

    files = (  # the GeoPackage last: when it is there, the import is complete
        (provenance_csv, _is_provenance_csv,
         lambda tmp: result.provenance.to_csv(tmp, index=False, encoding="utf-8-sig",
                                             float_format=CSV_FLOATS)),
        (report_json, _is_import_report,
         lambda tmp: tmp.write_text(json.dumps(result.report, ensure_ascii=False, indent=2)
                                    + "\n", encoding="utf-8")),
        (out, is_survey_import, gpkg))
    with protecting(_layer_files(Path(source))):
        for path, ours, _ in files:
            check_file_writable(path, ours)
        for path, ours, write in files:
            write_file_atomically(path, write, ours)
    return [out, provenance_csv, report_json]


def _layer_files(source: Path) -> list[Path]:
    """The survey layer's files (a Shapefile is several), which are never written over."""
    if source.suffix.lower() != ".shp":
        return [source]
    return [p for p in source.parent.glob(source.stem + ".*") if p.is_file()]


def _is_provenance_csv(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            return handle.readline().strip() == ",".join(PROVENANCE_COLUMNS)
    except (OSError, UnicodeDecodeError):
        return False


def _is_import_report(path: Path) -> bool:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(report, dict) and {"source", "sha256", "patches_read"} <= set(report)
