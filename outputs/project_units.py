"""Project units: adjacent parcels with the same action and start year, applied for together.

A funding application names projects, not 5 km² cells. A project unit is a connected
component of the parcel adjacency graph (parcels sharing a side, not just a corner:
criteria/landscape_graph.py) restricted to the chosen options of one action and one start
year. Units are numbered per start year by their weighted benefit, largest first, so
``2027-001`` is the most valuable unit starting in 2027.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from criteria.landscape_graph import parcel_graph
from region.schema import EQUAL_AREA_CRS

DESCRIPTORS = ["start_year", "action", "action_zh", "action_en", "project_id", "project_zh",
               "project_en"]


def unit_ids(chosen: pd.DataFrame, parcels: gpd.GeoDataFrame) -> pd.Series:
    """The project unit of every chosen option (``<start year>-<nnn>``), indexed like
    ``chosen`` (columns parcel_id, action, start_year, value)."""
    if chosen.empty:
        return pd.Series([], index=chosen.index, dtype=object)
    graph = parcel_graph(parcels[parcels["parcel_id"].isin(chosen["parcel_id"])])
    neighbours = nx.Graph()
    neighbours.add_edges_from(zip(graph.parcel_ids[graph.i].tolist(),
                                  graph.parcel_ids[graph.j].tolist(), strict=True))
    options = nx.Graph()  # one node per chosen row: a parcel may take two actions
    options.add_nodes_from(chosen.index)
    for _, group in chosen.groupby(["start_year", "action"]):
        row_of = dict(zip(group["parcel_id"].tolist(), group.index, strict=True))
        options.add_edges_from((row_of[a], row_of[b])
                               for a, b in neighbours.subgraph(row_of).edges)
    components = [sorted(c) for c in nx.connected_components(options)]
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


def project_units(lists: pd.DataFrame, parcels: gpd.GeoDataFrame,
                  summed: Sequence[str]) -> gpd.GeoDataFrame:
    """One row per unit of ``lists`` (which carries ``unit_id``), in unit order: the
    ``summed`` columns totalled, the number of parcels and their ids, counties and zones
    (``county_zh``, ``zone_zh``), the dissolved geometry, its centroid (lon/lat, taken in
    an equal-area CRS) and its extent (west, south, east, north)."""
    geometry = parcels[["parcel_id", "geometry"]].merge(
        lists[["parcel_id", "unit_id"]], on="parcel_id")
    shapes = gpd.GeoDataFrame(geometry, crs=parcels.crs).dissolve(by="unit_id")["geometry"]
    grouped = lists.groupby("unit_id", sort=True)
    frame = grouped[DESCRIPTORS].first().join(grouped[list(summed)].sum())
    frame.insert(len(DESCRIPTORS), "parcels", grouped.size())
    for column in ("county_zh", "zone_zh", "parcel_id"):
        frame[column + "s"] = grouped[column].agg(
            lambda values: "、".join(dict.fromkeys(str(v) for v in values)))
    units = gpd.GeoDataFrame(frame, geometry=shapes.reindex(frame.index), crs=parcels.crs)
    centroids = units.geometry.to_crs(EQUAL_AREA_CRS).centroid.to_crs("EPSG:4326")
    units["centroid_lon"] = np.round(centroids.x, 5)
    units["centroid_lat"] = np.round(centroids.y, 5)
    bounds = units.geometry.to_crs("EPSG:4326").bounds.round(5)
    units[["west", "south", "east", "north"]] = bounds.to_numpy()
    return units.reset_index()
