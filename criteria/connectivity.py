"""Landscape connectivity: the integral index of connectivity, IIC (Pascual-Hortal & Saura
2006, as Conefor computes it):

    IIC = Σ_i Σ_j a_i a_j / (1 + nl_ij) / A_L²

over habitat patches i, j (i = j included, nl_ii = 0) with areas a, nl_ij the number of
links on the shortest topological path between them (pairs that are not connected add 0),
and A_L the landscape area. Patches are connected groups of habitat parcels; two patches
are linked when one non-habitat parcel touches both (a one-parcel stepping gap). A parcel is
habitat when its land cover is a habitat class and it is at most lightly degraded, or when a
plan restores it: so restoring the gap parcels of a corridor joins patches and raises IIC.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

HABITAT = ("forest", "alpine_grassland", "wetland", "desert_shrubland")


def habitat_mask(parcels: pd.DataFrame, restored: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Habitat parcels: a habitat land cover at degradation ≤ 1, or restored by the plan."""
    intact = parcels["land_cover"].isin(HABITAT).to_numpy() & \
        (parcels["degradation"].to_numpy() <= 1)
    return intact | restored


def iic(parcels: pd.DataFrame, graph, restored: NDArray[np.bool_] | None = None) -> float:
    """IIC of the landscape, with ``restored`` parcels counted as habitat."""
    n = len(parcels)
    restored = np.zeros(n, bool) if restored is None else restored
    habitat = habitat_mask(parcels, restored)
    area = parcels["area_km2"].to_numpy(float)
    both = habitat[graph.i] & habitat[graph.j]
    adjacency = sp.coo_matrix((np.ones(both.sum()), (graph.i[both], graph.j[both])),
                              shape=(n, n))
    _, label = connected_components(adjacency, directed=False)
    patch_of = np.where(habitat, label, -1)
    patches, patch_index = np.unique(patch_of[habitat], return_inverse=True)
    patch_area = np.bincount(patch_index, area[habitat])
    # stepping-stone links: a non-habitat parcel touching two different patches
    position = np.full(n, -1)
    position[habitat] = patch_index
    mixed_a = np.concatenate([graph.i, graph.j])
    mixed_b = np.concatenate([graph.j, graph.i])
    touch = habitat[mixed_b] & ~habitat[mixed_a]
    gap, patch = mixed_a[touch], position[mixed_b[touch]]
    links = nx.Graph()
    links.add_nodes_from(range(len(patches)))
    frame = pd.DataFrame({"gap": gap, "patch": patch}).drop_duplicates()
    for _, group in frame.groupby("gap")["patch"]:
        members = group.to_numpy()
        links.add_edges_from((members[k], members[m]) for k in range(len(members))
                             for m in range(k + 1, len(members)))
    total = 0.0
    for source, lengths in nx.all_pairs_shortest_path_length(links):
        targets = np.fromiter(lengths.keys(), dtype=np.int64)
        hops = np.fromiter(lengths.values(), dtype=float)
        total += patch_area[source] * float(np.sum(patch_area[targets] / (1.0 + hops)))
    return total / area.sum() ** 2
