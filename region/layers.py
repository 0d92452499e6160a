"""A bureau's own layer (red lines, protected areas, …) laid over the parcels as an attribute.

``--layer red_line=三区三线.gpkg`` replaces the modelled ``red_line`` attribute with the
bureau's: a parcel lies in the layer when at least :data:`MIN_SHARE` of its area is covered
by the layer's polygons, and takes the name of the feature covering most of it (the first of
the columns :data:`NAME_COLUMNS` the file has, else the file's name). The scenario's spatial
rules then read the attribute (region/scenario.py ``spatial_rules``).

A source is a path to a GeoPackage, Shapefile or GeoJSON, optionally with the layer of a
multi-layer file as QGIS writes it: ``红线.gpkg|layername=stgh``. Areas are measured in the
equal-area CRS; the file must carry a CRS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from region.errors import InputError, InputProblem
from region.schema import EQUAL_AREA_CRS, PARCEL_COLUMNS

#: A parcel lies in a layer when at least this share of its area is covered (the majority,
#: so each parcel belongs to the side most of its land is on).
MIN_SHARE = 0.5
#: Columns naming a feature, in the order they are looked for (名称 fields of Chinese data:
#: MC 名称, HXMC 红线名称, BHDMC 保护地名称).
NAME_COLUMNS = ("name_zh", "name", "NAME", "Name", "MC", "HXMC", "BHDMC", "name_en")


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
        layer = option.partition("=")[2].strip() or None if option else None
        return cls(name, Path(path.strip()), layer)


def overlay(parcels: gpd.GeoDataFrame, source: LayerSource,
            min_share: float = MIN_SHARE) -> gpd.GeoDataFrame:
    """``parcels`` with attribute ``source.name`` from the layer ('' outside it)."""
    features = read_layer(source)
    label = next((c for c in NAME_COLUMNS if c in features.columns), None)
    names = (features[label].fillna("").astype(str) if label is not None
             else pd.Series(source.path.stem, index=features.index))
    features = gpd.GeoDataFrame({"feature": names.to_numpy()},
                                geometry=features.geometry.make_valid().values,
                                crs=features.crs)
    cells = gpd.GeoDataFrame({"cell": range(len(parcels))}, geometry=parcels.geometry.values,
                             crs=parcels.crs).to_crs(EQUAL_AREA_CRS)
    pieces = gpd.overlay(cells, features.to_crs(EQUAL_AREA_CRS), how="intersection",
                         keep_geom_type=True)
    pieces["area"] = pieces.geometry.area
    covered = pieces.groupby("cell")["area"].sum()
    largest = pieces.sort_values("area", ascending=False).drop_duplicates("cell")
    largest = largest.set_index("cell")["feature"]
    share = covered / cells.geometry.area.reindex(covered.index)
    inside = share[share >= min_share].index
    values = pd.Series("", index=range(len(parcels)), dtype=object)
    values[inside] = largest.reindex(inside).to_numpy()
    out = parcels.copy()
    out[source.name] = values.to_numpy()
    return out


def read_layer(source: LayerSource) -> gpd.GeoDataFrame:
    """The layer's polygons, or an InputError naming the file and what is wrong."""
    file = str(source.path)
    if not source.path.exists():
        raise InputError([InputProblem(file, "file not found")])
    try:
        features = gpd.read_file(source.path, layer=source.layer)
    except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file for the user
        raise InputError([InputProblem(file, f"cannot read as a vector layer: {exc}")]) \
            from None
    if features.crs is None:
        raise InputError([InputProblem(file, "no CRS: save it with EPSG:4490 (CGCS2000), "
                                             "EPSG:4326 or a projected CRS",
                                       column="geometry")])
    polygons = features[features.geometry.notna()
                        & features.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polygons.empty:
        raise InputError([InputProblem(file, "no polygons: a layer of areas is expected",
                                       column="geometry")])
    return polygons.reset_index(drop=True)
