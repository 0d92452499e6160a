"""The layers patches are placed in: the region's (shipped) and the bureau's own replacements.

- :class:`AreaLayer`: named areas (protected areas, ecological red lines, counties). A patch
  lies in an area when the area covers at least half of it (``AREA_MIN_SHARE``); where areas
  nest (a geopark inside a scenic area), the smallest, most specific one names it.
- :class:`MineLayer`: a bureau's inventory of historical mine sites (``--mines``), with an id
  and a status (remediated 2021-2025 ``done``, or ``pending``) per site.

A bureau's layer is read like the patches (any encoding, any CRS with a definition) and every
problem is reported with its file, row and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from numpy.typing import NDArray

from region.errors import InputProblem
from region.schema import EQUAL_AREA_CRS
from region.survey.overlay import overlay
from region.survey.read import crs_problems, read_layer
from region.validate import rows_problems

#: An area names a patch when it covers at least this share of the patch.
AREA_MIN_SHARE = 0.5
#: Fields that may name an area in a bureau's layer, first found wins (case-insensitive).
NAME_FIELDS = ("name", "name_zh", "名称", "mc", "bhqmc", "hxmc", "zrbhdmc", "保护地名称")
MINE_ID_FIELDS = ("mine_id", "id", "ksbh", "bsm", "矿山编号", "编号")
MINE_STATUS_FIELDS = ("mine_status", "status", "修复状态", "治理状态", "zlzt")
MINE_STATUS_VALUES = {"done": "done", "已修复": "done", "已治理": "done", "completed": "done",
                      "pending": "pending", "待修复": "pending", "未修复": "pending",
                      "未治理": "pending", "": "pending"}


@dataclass(frozen=True)
class AreaLayer:
    """Named areas in the equal-area CRS, and where they came from."""

    geoms: NDArray[np.object_]
    names: NDArray[np.object_]
    source: str  # file (and layer) for the provenance table
    user: bool

    def assign(self, patches: NDArray[np.object_]) -> NDArray[np.object_]:
        """Per patch, the most specific area covering at least half of it, '' if none."""
        result = np.full(len(patches), "", dtype=object)
        shared = overlay(patches, self.geoms)
        if len(shared.patch) == 0:
            return result
        codes, labels = pd.factorize(pd.Series(self.names, dtype=object))
        pairs = pd.DataFrame({"patch": shared.patch, "name": codes[shared.feature],
                              "area": shared.area_m2})
        pairs = pairs.groupby(["patch", "name"], as_index=False)["area"].sum()
        pairs["share"] = pairs["area"] / shared.patch_area_m2[pairs["patch"]]
        name_area = pd.Series(shared.feature_area_m2).groupby(codes).sum()
        pairs = pairs.loc[pairs["share"] >= AREA_MIN_SHARE - 1e-9].copy()
        pairs["name_area"] = name_area.reindex(pairs["name"]).to_numpy()
        pairs = pairs.sort_values(["patch", "name_area"]).drop_duplicates("patch")
        result[pairs["patch"].to_numpy()] = np.asarray(labels, dtype=object)[pairs["name"]]
        return result


@dataclass(frozen=True)
class MineLayer:
    """Historical mine sites of a bureau's inventory."""

    geoms: NDArray[np.object_]
    ids: NDArray[np.object_]
    status: NDArray[np.object_]
    source: str


def _find(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    by_lower = {c.lower(): c for c in columns}
    return next((by_lower[c.lower()] for c in candidates if c.lower() in by_lower), None)


def _read_user(path: Path, layer_name: str | None = None
               ) -> tuple[gpd.GeoDataFrame | None, list[InputProblem]]:
    """The layer as read (None if unreadable) and its CRS and geometry problems."""
    layer, problems = read_layer(path, layer_name)
    if layer is None:
        return None, problems
    frame = layer.frame
    problems += crs_problems(frame, layer.file)
    empty = (frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
    problems += rows_problems(layer.file, "geometry", empty, frame.geometry.astype(object),
                              "empty or missing geometry")
    polygonal = frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    problems += rows_problems(layer.file, "geometry", ~empty & ~polygonal,
                              frame.geometry.geom_type, "expected a polygon")
    return frame, problems


def _metric(frame: gpd.GeoDataFrame) -> NDArray[np.object_]:
    return frame.geometry.make_valid().to_crs(EQUAL_AREA_CRS).to_numpy()


def user_areas(path: Path, default_name: str, layer_name: str | None = None
               ) -> tuple[AreaLayer | None, list[InputProblem]]:
    """A bureau's area layer (``--protected``, ``--red-lines``, ``--layer``; ``layer_name``
    one layer of a multi-layer file): its names, or one label."""
    frame, problems = _read_user(path, layer_name)
    if frame is None or problems:
        return None, problems
    column = _find(list(frame.columns), NAME_FIELDS)
    names = (frame[column].fillna("").astype(str).str.strip().replace("", default_name)
             if column else pd.Series(default_name, index=frame.index))
    source = f"{path} (names from field {column!r})" if column else f"{path} ('{default_name}')"
    return AreaLayer(_metric(frame), names.to_numpy(dtype=object), source, True), []


def user_mines(path: Path) -> tuple[MineLayer | None, list[InputProblem]]:
    """A bureau's historical-mine inventory (``--mines``): id and status per site."""
    frame, problems = _read_user(path)
    if frame is None:
        return None, problems
    file = str(path)
    columns = list(frame.columns)
    id_column = _find(columns, MINE_ID_FIELDS)
    ids = (frame[id_column].fillna("").astype(str).str.strip() if id_column
           else pd.Series([f"M{i + 1}" for i in range(len(frame))], index=frame.index))
    status_column = _find(columns, MINE_STATUS_FIELDS)
    raw = (frame[status_column].fillna("").astype(str).str.strip().str.lower()
           if status_column else pd.Series("", index=frame.index))
    status = raw.map(MINE_STATUS_VALUES)
    problems += rows_problems(file, status_column or "status", status.isna().to_numpy(), raw,
                              "mine status: expected done (已修复/已治理) or pending "
                              "(待修复/未修复, or blank)")
    if problems:
        return None, problems
    return MineLayer(_metric(frame), ids.to_numpy(dtype=object),
                     status.to_numpy(dtype=object), file), []


def shipped_layers(boundaries: Path) -> dict[str, gpd.GeoDataFrame]:
    """The region's boundary layers, in the equal-area CRS, by name (those the file has)."""
    if not Path(boundaries).exists():
        return {}
    names = [str(name) for name, _ in pyogrio.list_layers(boundaries)]
    return {name: gpd.read_file(boundaries, layer=name).to_crs(EQUAL_AREA_CRS)
            for name in names}


def shipped_areas(layers: dict[str, gpd.GeoDataFrame], name: str, label_field: str,
                  boundaries: Path) -> AreaLayer | None:
    """A shipped area layer, or None when the region has no such layer."""
    frame = layers.get(name)
    if frame is None or label_field not in frame.columns:
        return None
    return AreaLayer(frame.geometry.to_numpy(),
                     frame[label_field].fillna("").astype(str).to_numpy(dtype=object),
                     f"{boundaries} layer '{name}'", False)
