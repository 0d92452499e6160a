"""Project units: adjacent parcels with the same action and start year, applied for together.

A funding application names projects, not 5 km² cells. A project unit is a connected
component of the parcel adjacency graph (parcels sharing a side, criteria/landscape_graph.py)
restricted to the chosen parcels of one action and one start year.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from criteria.landscape_graph import parcel_graph
from region.schema import CRITERIA

SUMMED = ["area_km2", "total_cost_wan", "water_wan_m3_per_yr", "value",
          *[f"benefit_{c}" for c in CRITERIA]]


def unit_ids(chosen: pd.DataFrame, parcels: gpd.GeoDataFrame) -> pd.Series:
    """For each chosen row, the id of its project unit (e.g. ``2027-sand_barrier-03``)."""
    graph = parcel_graph(parcels[parcels["parcel_id"].isin(chosen["parcel_id"])])
    neighbours = nx.Graph()
    neighbours.add_edges_from(zip(graph.parcel_ids[graph.i], graph.parcel_ids[graph.j],
                                  strict=True))
    ids = pd.Series("", index=chosen.index, dtype=object)
    for (year, action), group in chosen.groupby(["start_year", "action"], sort=True):
        members = set(group["parcel_id"].tolist())
        sub = nx.Graph()
        sub.add_nodes_from(members)
        sub.add_edges_from(neighbours.subgraph(members).edges)
        components = sorted((sorted(c) for c in nx.connected_components(sub)),
                            key=lambda c: (-len(c), c[0]))
        unit_of = {p: k for k, comp in enumerate(components, start=1) for p in comp}
        ids.loc[group.index] = [f"{year}-{action}-{unit_of[p]:02d}"
                                for p in group["parcel_id"]]
    return ids


def project_units(lists: pd.DataFrame, parcels: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per unit: totals, the parcels in it, counties, zones, plan project,
    dissolved geometry, centroid (lon/lat) and extent. ``lists`` carries ``unit_id``."""
    geometry = parcels[["parcel_id", "geometry"]].merge(
        lists[["parcel_id", "start_year", "action", "unit_id"]], on="parcel_id")
    shapes = gpd.GeoDataFrame(geometry, crs=parcels.crs).dissolve(by="unit_id")["geometry"]
    grouped = lists.groupby("unit_id", sort=False)
    frame = grouped[SUMMED].sum()
    frame["parcels"] = grouped.size()
    first = grouped[["start_year", "action", "action_zh", "action_en", "project_id",
                     "project_zh", "project_en"]].first()
    frame = first.join(frame)
    for column in ("county_zh", "zone_zh", "parcel_id"):
        frame[column + "s"] = grouped[column].agg(
            lambda values: "、".join(dict.fromkeys(str(v) for v in values)))
    units = gpd.GeoDataFrame(frame, geometry=shapes.reindex(frame.index), crs=parcels.crs)
    centroids = units.geometry.to_crs("EPSG:8857").centroid.to_crs("EPSG:4326")
    units["centroid_lon"] = np.round(centroids.x, 5)
    units["centroid_lat"] = np.round(centroids.y, 5)
    bounds = units.geometry.to_crs("EPSG:4326").bounds.round(5)
    units["extent"] = [f"{b.minx},{b.miny},{b.maxx},{b.maxy}" for b in bounds.itertuples()]
    return units.reset_index().sort_values(["start_year", "value"],
                                           ascending=[True, False]).reset_index(drop=True)
