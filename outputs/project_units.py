"""Project units: the chosen parcels gathered into units of the size a project is applied for.

A funding application (a line of the 年度实施计划) names a project — works of one kind, of
one plan project, in one county, started in one year — not a 5 km² cell. The rule:

1. Parcels of one plan project, one action, one start year and one county form a unit (a
   county applies for its own works; the unit lists its parcels and townships).
2. Site works are units of their own: each historical mine is a project of the plan
   (line 90: 17 near-term and 10 later "重点治理项目"), so options of an action whose area
   basis is a mine site never merge.
3. ``gap_km`` (default none) can keep apart parcels farther from each other: then parcels
   join when they share a side (criteria/landscape_graph.py; touching at a corner is not
   enough) or lie within ``gap_km``, transitively (single linkage).
4. A unit larger than ``max_km2`` (default 66.7 km² = 10万亩, an estimate: about a year of
   the past sand-land treatment pace, 50.51万亩, plan line 12, over five years — the line
   states no period, 2016-2020 is our reading) is split into the fewest compact parts
   (Ward clustering of the parcel centres) each at most that size.

Units are numbered per start year by their weighted benefit, largest first, so ``2027-001``
is the most valuable unit starting in 2027. :func:`size_distribution` reports their sizes.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from criteria.landscape_graph import parcel_graph
from outputs.crs import lonlat_crs
from outputs.dissolve import dissolve
from outputs.labels import MU_PER_KM2
from region.schema import EQUAL_AREA_CRS

DESCRIPTORS = ["start_year", "action", "action_zh", "action_en", "project_id", "project_zh",
               "project_en"]
GAP_KM: float | None = None
MAX_KM2 = 100_000 / MU_PER_KM2  # 10万亩
#: Size classes of the distribution, 亩 (upper bounds).
SIZE_CLASSES_MU = [(1_000, "< 1,000 亩"), (10_000, "1,000 亩 – 1 万亩"),
                   (50_000, "1 – 5 万亩"), (np.inf, "≥ 5 万亩")]


def unit_ids(chosen: pd.DataFrame, parcels: gpd.GeoDataFrame, gap_km: float | None = GAP_KM,
             max_km2: float = MAX_KM2, sites: pd.Series | None = None) -> pd.Series:
    """The project unit of every chosen option (``<start year>-<nnn>``), indexed like
    ``chosen`` (columns parcel_id, action, start_year, value; area_km2, project_id and
    county when there: a missing one does not split units). ``sites`` (bool, like
    ``chosen``) marks options that are units of their own."""
    if chosen.empty:
        return pd.Series([], index=chosen.index, dtype=object)
    mine = parcels[parcels["parcel_id"].isin(chosen["parcel_id"])]
    shapes = mine.set_index("parcel_id").geometry.to_crs(EQUAL_AREA_CRS)
    graph = parcel_graph(mine)
    sides = set(zip(graph.parcel_ids[graph.i].tolist(), graph.parcel_ids[graph.j].tolist(),
                    strict=True))
    keys = [k for k in ("start_year", "action", "project_id", "county") if k in chosen]
    area = chosen["area_km2"] if "area_km2" in chosen else pd.Series(1.0, index=chosen.index)
    alone = sites if sites is not None else pd.Series(False, index=chosen.index)
    components: list[list] = [[row] for row in chosen.index[alone.to_numpy(bool)]]
    for _, group in chosen[~alone.to_numpy(bool)].groupby(keys, dropna=False, sort=False):
        ids = group["parcel_id"].to_numpy()
        geometry = shapes.loc[ids].to_numpy()
        if gap_km is None:
            near = np.ones((len(ids), len(ids)), bool)
        elif gap_km > 0:
            near = shapely.distance(geometry[:, None], geometry[None, :]) <= gap_km * 1000.0
        else:
            near = np.zeros((len(ids), len(ids)), bool)
        position = {parcel: k for k, parcel in enumerate(ids.tolist())}
        for a, b in sides:
            if a in position and b in position:
                near[position[a], position[b]] = True
        _, labels = connected_components(coo_matrix(near), directed=False)
        for label in np.unique(labels):
            rows = group.index[labels == label]
            components += _split(list(rows), geometry[labels == label], area.loc[rows],
                                 max_km2)
    year, value = chosen["start_year"], chosen["value"]
    components.sort(key=lambda rows: (year.loc[rows[0]], -value.loc[rows].sum(),
                                      chosen.loc[rows, "parcel_id"].min()))
    per_year = year.loc[[rows[0] for rows in components]].value_counts()
    digits = max(3, len(str(per_year.max())))
    ids = pd.Series("", index=chosen.index, dtype=object)
    number: dict[int, int] = {}
    for rows in components:
        y = int(year.loc[rows[0]])
        number[y] = number.get(y, 0) + 1
        ids.loc[rows] = f"{y}-{number[y]:0{digits}d}"
    return ids


def _split(rows: list, geometry: np.ndarray, area: pd.Series, max_km2: float) -> list[list]:
    """``rows`` as one unit, or split into the fewest Ward clusters of their centres whose
    areas are all at most ``max_km2`` (single parcels always fit)."""
    if area.sum() <= max_km2 or len(rows) == 1:
        return [rows]
    centres = shapely.get_coordinates(shapely.centroid(geometry))
    tree = linkage(centres, method="ward")
    for parts in range(int(np.ceil(area.sum() / max_km2)), len(rows) + 1):
        labels = fcluster(tree, parts, criterion="maxclust")
        sums = pd.Series(area.to_numpy()).groupby(labels).sum()
        if (sums <= max_km2 + 1e-9).all() or parts == len(rows):
            return [[r for r, k in zip(rows, labels, strict=True) if k == label]
                    for label in np.unique(labels)]
    return [rows]


def _joined(separator: str):
    """A unit's distinct names, in order, joined by ``separator`` (empty ones left out)."""
    return lambda values: separator.join(dict.fromkeys(str(v) for v in values if str(v)))


def project_units(lists: pd.DataFrame, parcels: gpd.GeoDataFrame,
                  summed: Sequence[str]) -> gpd.GeoDataFrame:
    """One row per unit of ``lists`` (which carries ``unit_id``), in unit order: the
    ``summed`` columns totalled, the number of parcels and their ids, counties, townships
    zones and land covers (``county_zhs``, ``township_zhs``, ``zone_zhs``, ``land_covers``;
    by English and both names ``county_ens``, ``county_boths`` … when ``lists`` has them),
    the dissolved geometry, its
    centroid (taken in an equal-area CRS) and its extent (west, south, east, north), both
    in degrees of the parcels' CRS when it is geographic, else of its geographic base
    (outputs/crs.py :func:`lonlat_crs`)."""
    geometry = parcels[["parcel_id", "geometry"]].merge(
        lists[["parcel_id", "unit_id"]], on="parcel_id")
    shapes = dissolve(gpd.GeoDataFrame(geometry, crs=parcels.crs), "unit_id")["geometry"]
    grouped = lists.groupby("unit_id", sort=True)
    frame = grouped[DESCRIPTORS].first().join(grouped[list(summed)].sum())
    frame.insert(len(DESCRIPTORS), "parcels", grouped.size())
    for column in ("county_zh", "county_en", "county_both", "township_zh", "township_en",
                   "township_both", "zone_zh", "zone_en", "zone_both", "land_cover",
                   "parcel_id"):
        if column in lists:
            frame[column + "s"] = grouped[column].agg(_joined(
                ", " if column.endswith("_en") else "、"))
    units = gpd.GeoDataFrame(frame, geometry=shapes.reindex(frame.index), crs=parcels.crs)
    lonlat = lonlat_crs(parcels.crs)
    centroids = units.geometry.to_crs(EQUAL_AREA_CRS).centroid.to_crs(lonlat)
    units["centroid_lon"] = np.round(centroids.x, 5)
    units["centroid_lat"] = np.round(centroids.y, 5)
    bounds = units.geometry.to_crs(lonlat).bounds.round(5)
    units[["west", "south", "east", "north"]] = bounds.to_numpy()
    return units.reset_index()


def size_distribution(units: pd.DataFrame) -> pd.DataFrame:
    """Units per size class (亩): how many, their parcels and their area."""
    mu = units["area_km2"].to_numpy(float) * MU_PER_KM2
    rows, lower = [], 0.0
    for upper, label in SIZE_CLASSES_MU:
        inside = (mu >= lower) & (mu < upper)
        rows.append({"size": label, "units": int(inside.sum()),
                     "parcels": int(units.loc[inside, "parcels"].sum()),
                     "area_mu": float(mu[inside].sum())})
        lower = upper
    return pd.DataFrame(rows)
