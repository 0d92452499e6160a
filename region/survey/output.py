"""Write an import: the parcels GeoPackage, its provenance table and its report, safely.

The GeoPackage holds the layer ``parcels`` and a table ``survey_provenance`` (which field came
from the bureau's layer, which from ours, and how); the same table is written beside it as
``<name>.provenance.csv`` (UTF-8 with BOM, for Excel) with the report as
``<name>.import.json``. Each file is written under a temporary name and renamed into place,
and a file that an import did not write is never replaced.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyogrio

from region.errors import InputError, InputProblem
from region.survey.derive import PROVENANCE_COLUMNS
from region.survey.importer import SurveyImport

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


def check_destination(out: Path, source: Path) -> list[InputProblem]:
    """Problems with writing to ``out``: not a GeoPackage, the source itself, not ours."""
    out = Path(out)
    if out.suffix.lower() != ".gpkg":
        return [InputProblem(str(out), "--out must be a GeoPackage (.gpkg)")]
    if out.exists() and out.resolve() == Path(source).resolve():
        return [InputProblem(str(out), "--out is the survey layer itself: choose another "
                                       "file (nothing of yours is overwritten)")]
    if out.exists() and not is_survey_import(out):
        return [InputProblem(str(out), "exists and was not written by 'parcels import': "
                                       "choose another --out (nothing of yours is "
                                       "overwritten)")]
    provenance_csv, report_json = sidecars(out)
    return [InputProblem(str(p), "exists and was not written by 'parcels import': move it "
                                 "or choose another --out")
            for p, ours in ((provenance_csv, _is_provenance_csv),
                            (report_json, _is_import_report)) if p.exists() and not ours(p)]


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


def write_import(result: SurveyImport, out: Path, source: Path) -> list[Path]:
    """Write the GeoPackage and its two side files; return their paths."""
    out = Path(out)
    problems = check_destination(out, source)
    if problems:
        raise InputError(problems)
    out.parent.mkdir(parents=True, exist_ok=True)
    provenance_csv, report_json = sidecars(out)

    def gpkg(tmp: Path) -> None:
        pyogrio.write_dataframe(result.parcels, tmp, layer=PARCELS_LAYER, driver="GPKG")
        pyogrio.write_dataframe(result.provenance, tmp, layer=PROVENANCE_LAYER,
                                driver="GPKG")

    _atomic(provenance_csv, lambda tmp: result.provenance.to_csv(tmp, index=False,
                                                                 encoding="utf-8-sig"))
    _atomic(report_json, lambda tmp: tmp.write_text(
        json.dumps(result.report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))
    _atomic(out, gpkg)
    return [out, provenance_csv, report_json]


def _atomic(path: Path, write) -> None:
    """``write(tmp)`` to a temporary file beside ``path``, then rename it into place."""
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.tmp-", suffix=path.suffix,
                                    dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    tmp.unlink()
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
