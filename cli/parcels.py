"""``solve.py parcels import``: a bureau's land-survey patches (三调图斑) as our parcels."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli.common import console, print_json
from cli.failures import reports_input_errors
from cli.options import JsonOpt
from region.errors import InputError, InputProblem
from region.survey import ImportOptions, import_survey, parse_field_options, write_import
from region.survey.dlbm import DLBM_TABLE
from region.survey.slivers import DEFAULT_MIN_AREA_M2

parcels_app = typer.Typer(add_completion=False, no_args_is_help=True,
                          help="Your own parcels: import a land-survey patch layer.")


@parcels_app.command("import")
@reports_input_errors
def import_command(
    path: Annotated[Path, typer.Argument(help="The patch layer: Shapefile (.shp), GeoPackage "
                                              "or GeoJSON.")],
    out: Annotated[Path, typer.Option("--out", help="The parcels GeoPackage to write; "
                                                    "never replaces a file of yours.")],
    field: Annotated[list[str] | None, typer.Option(
        "--field", help="Which field holds what, for names other than the standard BSM, DLBM, "
                        "DLMC, TBMJ, ZLDWDM, ZLDWMC or their Chinese aliases: key=FIELD, "
                        "repeatable or comma-separated, e.g. --field dlbm=地类编码,tbmj=面积. "
                        "A parcel field (degradation=退化等级, zone=分区 …) replaces ours.")
    ] = None,
    crs: Annotated[str | None, typer.Option(
        "--source-crs", "--crs",
        help="The patch layer's own CRS when it has none (or a wrong .prj), e.g. EPSG:4518; "
             "not the CRS of what is written ('run --crs').")] = None,
    layer: Annotated[str | None, typer.Option(
        "--source-layer", "--layer",
        help="The layer to read inside a GeoPackage of several; not a layer laid over the "
             "parcels ('run --layer').")] = None,
    red_lines: Annotated[Path | None, typer.Option(
        "--red-lines", help="Your ecological red-line layer (三区三线 生态保护红线) instead of "
                            "the modelled one.")] = None,
    protected: Annotated[Path | None, typer.Option(
        "--protected", help="Your protected-area layer (with a name field) instead of the "
                            "modelled one.")] = None,
    mines: Annotated[Path | None, typer.Option(
        "--mines", help="Your historical-mine inventory (id and status done/pending per "
                        "site) instead of treating every mining patch as pending.")] = None,
    min_area_m2: Annotated[float, typer.Option(
        "--min-area-m2", help="Patches smaller than this are merged into a neighbour of the "
                              "same land cover, or dropped (both reported).")
    ] = DEFAULT_MIN_AREA_M2,
    code_table: Annotated[Path, typer.Option(
        "--code-table", help="Land-use code → land cover table (default: the shipped "
                             "data/survey/dlbm_land_cover.csv).")] = DLBM_TABLE,
    as_json: JsonOpt = False,
) -> None:
    """Read a land-survey patch layer (三调图斑: DLBM, TBMJ, ZLDWMC …), check every patch,
    map its land-use code to our land covers, derive the modelled inputs the criteria need
    from the region's layers, and write parcels of our schema with a provenance table (which
    field came from your layer, which from ours) and an import report. Exit status 2 with
    every problem listed, writing nothing, when the layer has any."""
    mapping, errors = parse_field_options(field or [])
    if errors:
        raise InputError([InputProblem("--field", e) for e in errors])
    options = ImportOptions(fields=mapping, crs=crs, layer=layer, red_lines=red_lines,
                            protected=protected, mines=mines, min_area_m2=min_area_m2,
                            code_table=code_table)
    with console.status("importing…", spinner="dots") if not as_json else nullcontext():
        result = import_survey(path, options)
        written = write_import(result, out, path)
    report = result.report
    if as_json:
        print_json({"out": [str(p) for p in written], **report})
        return
    table = Table(title=f"{path.name} → {out.name}")
    for column in ("role", "parcels", "area km²"):
        table.add_column(column, justify="left" if column == "role" else "right")
    for role, row in report["by_role"].items():
        table.add_row(role, f"{row['parcels']:,}", f"{row['area_km2']:,.1f}")
    console.print(table)
    slivers = report["slivers"]
    console.print(f"{report['patches_read']:,} patches read ({report['encoding']}, "
                  f"{report['crs']}) → {report['parcels_written']:,} parcels; "
                  f"excluded codes: {len(report['excluded'])}; slivers < "
                  f"{slivers['min_area_m2']:g} m²: {len(slivers['merged_rows'])} merged, "
                  f"{len(slivers['dropped_rows'])} dropped")
    for note in report["notes"]:
        console.print(f"[dim]• {note}[/]")
    console.print("written: " + ", ".join(str(p) for p in written))

