"""The parcel graph and its resistance surface (minimum cumulative resistance, MCR).

One node per parcel, an edge between parcels that share a boundary. Crossing an edge costs
the centroid distance times the mean resistance of the two parcels, so a path's cost is
MCR = Σ D_ij R_i as in the MCR method of Chinese ecological-security-pattern studies.

Resistance per land cover follows ChinaXiv 201711.00119 (forest and water 1, shrub 10,
grassland 20-50 → 30, sand, saline and bare land 100, dry cropland 300, rural settlement 400;
see PARAMETERS.md); Gobi and bare mountain take the bare-land value, mines 500 (estimate).
Degradation raises it by DEGRADATION_FACTOR per level (estimate); a restored parcel takes
its land cover's undegraded value.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from numpy.typing import NDArray

from region.schema import EQUAL_AREA_CRS

RESISTANCE = {
    "forest": 1.0, "wetland": 1.0, "desert_shrubland": 10.0, "alpine_grassland": 30.0,
    "sand_dune": 100.0, "gobi": 100.0, "bare_mountain": 100.0, "oasis_farmland": 300.0,
    "settlement": 400.0, "mine": 500.0,
}
DEGRADATION_FACTOR = 0.5


def resistance(parcels: pd.DataFrame,
               restored: NDArray[np.bool_] | None = None) -> NDArray[np.float64]:
    """Resistance per parcel: land-cover value × (1 + 0.5 · degradation); restored → base."""
    base = parcels["land_cover"].map(RESISTANCE).to_numpy(float)
    degradation = parcels["degradation"].to_numpy(float)
    if restored is not None:
        degradation = np.where(restored, 0.0, degradation)
    return base * (1.0 + DEGRADATION_FACTOR * degradation)


@dataclass(frozen=True)
class ParcelGraph:
    """Neighbour pairs (i, j), i < j, positions in the parcel table, and their distances."""

    parcel_ids: NDArray[np.int64]
    i: NDArray[np.int64]
    j: NDArray[np.int64]
    distance_km: NDArray[np.float64]
    xy_km: NDArray[np.float64]

    @property
    def n(self) -> int:
        return len(self.parcel_ids)

    def cost_matrix(self, node_resistance: NDArray[np.float64]) -> sp.csr_matrix:
        """Symmetric sparse matrix of edge costs D_ij · (R_i + R_j) / 2."""
        cost = self.distance_km * (node_resistance[self.i] + node_resistance[self.j]) / 2.0
        upper = sp.coo_matrix((cost, (self.i, self.j)), shape=(self.n, self.n))
        return (upper + upper.T).tocsr()

    def to_networkx(self, node_resistance: NDArray[np.float64]) -> nx.Graph:
        """The graph as networkx (nodes = parcel ids, edge attribute ``cost``)."""
        cost = self.distance_km * (node_resistance[self.i] + node_resistance[self.j]) / 2.0
        graph = nx.Graph()
        graph.add_nodes_from(self.parcel_ids.tolist())
        graph.add_weighted_edges_from(zip(self.parcel_ids[self.i].tolist(),
                                          self.parcel_ids[self.j].tolist(), cost.tolist(),
                                          strict=True), weight="cost")
        return graph


def parcel_graph(parcels: gpd.GeoDataFrame) -> ParcelGraph:
    """Neighbours = parcels whose boundaries share a segment (not just a corner)."""
    projected = parcels.geometry.to_crs(EQUAL_AREA_CRS)
    geoms = projected.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="touches")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(shapely.intersection(shapely.boundary(geoms[left]),
                                                 shapely.boundary(geoms[right])))
    edge = shared > 1.0  # metres: a shared side, not a shared vertex
    left, right = left[edge], right[edge]
    centroids = shapely.centroid(geoms)
    xy = np.column_stack([shapely.get_x(centroids), shapely.get_y(centroids)]) / 1000.0
    distance = np.hypot(*(xy[left] - xy[right]).T)
    return ParcelGraph(parcels["parcel_id"].to_numpy(np.int64), left.astype(np.int64),
                       right.astype(np.int64), distance, xy)
