"""The input paths of a command: the parcels, catalogue and projects it is given, with the
zone and county labels and the outline of the region they belong to."""

from __future__ import annotations

from pathlib import Path

from region.errors import InputError, InputProblem
from region.io import TURPAN_DIR, RegionPaths
from region.layers import LayerSource

#: A region's own labels, beside its parcels: both or neither (:func:`region_paths`).
LABEL_FILES = {"zones.csv": "zone", "counties.csv": "county"}


def region_paths(parcels: Path, actions: Path, projects: Path,
                 layers: list[str] | None = None) -> RegionPaths:
    """Input paths. The zone and county codes (and their bilingual names) come from one
    region: ``zones.csv`` and ``counties.csv`` beside the parcels when a region ships its
    own, else the shipped Turpan ones (a planner's own parcels are checked against the same
    codes as the shipped file). One of the two alone is refused, naming the other: half
    Turpan's labels would be mixed in silently, and the region checked against Turpan's
    outline. ``layers`` are ``--layer NAME=FILE`` options."""
    folder = parcels.parent
    own = [name for name in LABEL_FILES if (folder / name).is_file()]
    if len(own) == 1:
        [has], [lacks] = own, [name for name in LABEL_FILES if name not in own]
        raise InputError([InputProblem(str(folder / lacks), (
            f"missing: {folder / has} beside the parcels gives this region its own "
            f"{LABEL_FILES[has]} labels, so its {LABEL_FILES[lacks]} labels must be its own "
            f"too ({lacks} beside it, columns {LABEL_FILES[lacks]},name_zh,name_en); or "
            f"remove {has} to use the shipped Turpan labels"))])
    labels = folder if own else TURPAN_DIR
    own_outline = folder / "boundaries.gpkg"
    # Parcels are checked against the region's outline (region/extent.py): a region with
    # its own labels is checked against its own boundaries.gpkg, or not at all — never
    # against Turpan's.
    boundaries = own_outline if own_outline.is_file() else (
        None if labels != TURPAN_DIR else TURPAN_DIR / "boundaries.gpkg")
    return RegionPaths(parcels=parcels, actions=actions, projects=projects,
                       zones=labels / "zones.csv", counties=labels / "counties.csv",
                       boundaries=boundaries,
                       layers=tuple(LayerSource.parse(text) for text in layers or ()))
