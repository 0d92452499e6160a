"""A bureau's own layer (red lines, protected areas, …) laid over the parcels as an attribute.

``--layer red_line=三区三线.gpkg`` replaces the modelled ``red_line`` attribute with the
bureau's; the scenario's spatial rules then read it (region/scenario_spatial_rules.py).
The layer is read and placed as the land-survey import places a bureau's red lines and
protected areas (region/survey/layers.py): any encoding, any CRS with a definition; a parcel
lies in an area when the area covers at least half of it, the smallest such area naming it
(its name field — ``name``, ``名称``, ``HXMC`` … — or else the file's name).

A source is a path, optionally with the layer of a multi-layer file as QGIS writes it:
``红线.gpkg|layername=stbhhx``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from region.errors import COMMAND_LINE, InputError, InputProblem
from region.places import PlaceSyntaxError, parse_place
from region.schema import EQUAL_AREA_CRS, PARCEL_COLUMNS
from region.validate import read_csv_table

#: Attributes read whatever the scenario's rules: the red lines and protected areas (maps,
#: the priority lists' reasons, corridor ends, criteria/priority.py).
ALWAYS_READ = ("protected_area", "red_line")


@dataclass(frozen=True)
class LayerSource:
    """One ``NAME=PATH[|layername=LAYER]`` option."""

    name: str
    path: Path
    layer: str | None = None

    @classmethod
    def parse(cls, text: str) -> LayerSource:
        """``'red_line=a.gpkg|layername=b'`` → LayerSource('red_line', a.gpkg, 'b')."""
        name, sep, source = text.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or not source.strip():
            raise ValueError(f"--layer {text!r}: expected NAME=FILE, e.g. "
                             "red_line=三区三线.gpkg (NAME a parcel attribute)")
        kind = {c.name: c.kind for c in PARCEL_COLUMNS}.get(name, "str")
        if kind != "str":
            raise ValueError(f"--layer {text!r}: '{name}' is a {kind} column of the parcels; "
                             "a layer sets a text attribute (e.g. red_line, protected_area)")
        path, _, option = source.partition("|")
        layer = (option.partition("=")[2].strip() or None) if option else None
        return cls(name, Path(path.strip()), layer)


def overlay(parcels: gpd.GeoDataFrame, source: LayerSource) -> gpd.GeoDataFrame:
    """``parcels`` with attribute ``source.name`` from the layer ('' outside it); an
    InputError lists every problem of the layer's file."""
    from region.survey.layers import user_areas  # region.survey imports region.io

    areas, problems = user_areas(source.path, source.path.stem, source.layer)
    if problems or areas is None:
        raise InputError(problems)
    cells = parcels.geometry.make_valid().to_crs(EQUAL_AREA_CRS).to_numpy()
    return parcels.assign(**{source.name: areas.assign(cells)})


def place_columns(tables: Iterable[Path | None]) -> set[str]:
    """The parcel columns the ``places`` of these rule tables compare (the left side of each
    term, ``near(...)`` aside): the action catalogue's ``road_rail!=''`` reads a
    ``--layer road_rail=…``. A table that cannot be read, or a cell that does not parse,
    names nothing here: its own check reports it."""
    columns: set[str] = set()
    for table in tables:
        try:
            cells = read_csv_table(Path(table), dtype=str)["places"] if table else []
        except (InputError, OSError, KeyError, ValueError):
            continue
        for cell in cells:
            try:
                alternatives = parse_place(cell)
            except PlaceSyntaxError:
                continue
            columns.update(term.left for terms in alternatives for term in terms
                           if term.near is None)
    return columns


def unread_layer_problems(sources: Iterable[LayerSource], rule_layers: Iterable[str],
                          read_columns: Iterable[str] = ()) -> list[InputProblem]:
    """A ``--layer`` whose NAME nothing reads (no spatial rule's ``layer``, not one of
    :data:`ALWAYS_READ`, no column a place compares: ``read_columns``, see
    :func:`place_columns`) would be laid over the parcels and silently ignored, leaving the
    modelled attribute in force (``red_lines=…`` for ``red_line=…``): an input problem."""
    known = sorted({*rule_layers, *ALWAYS_READ, *read_columns})
    problems = []
    for source in sources:
        if source.name in known:
            continue
        close = difflib.get_close_matches(source.name, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(InputProblem(
            COMMAND_LINE, f"layer '{source.name}' is read by no rule{hint}: NAME must be one "
                          f"of {', '.join(known)} (the red lines, protected areas, the layer "
                          "of a [[spatial_rules]] of the scenario or a column the places of "
                          "the action catalogue or project table compare)",
            column="--layer", value=f"{source.name}={source.path}"))
    return problems
