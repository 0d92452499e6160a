"""Corridors on small grids whose answers are known by hand."""

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from criteria.connectivity import iic
from criteria.corridors import _current, analyse_corridors
from criteria.landscape_graph import parcel_graph, resistance
from region.schema import EQUAL_AREA_CRS


def grid(rows: int, cols: int, cover: dict | None = None, degradation: dict | None = None,
         **columns) -> gpd.GeoDataFrame:
    """rows × cols squares of 1 km²; cover/degradation by (row, col), default Gobi/0."""
    cells, ids, lc, deg = [], [], [], []
    for r in range(rows):
        for c in range(cols):
            cells.append(box(c * 1000, -r * 1000, (c + 1) * 1000, (1 - r) * 1000))
            ids.append(r * cols + c + 1)
            lc.append((cover or {}).get((r, c), "gobi"))
            deg.append((degradation or {}).get((r, c), 0))
    frame = gpd.GeoDataFrame({"parcel_id": ids, "land_cover": lc, "degradation": deg,
                              "area_km2": 1.0, "zone": 3, "protected_area": "",
                              "dist_oasis_km": 1.0, **columns},
                             geometry=cells, crs=EQUAL_AREA_CRS)
    return frame.to_crs("EPSG:4326")


def test_shared_sides_are_edges_corners_are_not() -> None:
    graph = parcel_graph(grid(3, 3))
    assert len(graph.i) == 12  # 3 rows × 2 + 3 cols × 2
    assert np.allclose(graph.distance_km, 1.0, atol=1e-3)


def test_least_cost_path_goes_around_a_settlement_block() -> None:
    # 3 × 3: settlement (400) in the middle column's centre; forest (1) elsewhere
    cover = {(r, c): "forest" for r in range(3) for c in range(3)}
    cover[(1, 1)] = "settlement"
    parcels = grid(3, 3, cover)
    graph = parcel_graph(parcels)
    g = graph.to_networkx(resistance(parcels))
    path = nx.shortest_path(g, 4, 6, weight="cost")  # left-middle → right-middle
    assert 5 not in path and len(path) == 5


def test_iic_of_two_patches_joined_by_restoring_the_gap() -> None:
    # shrubland | degraded shrubland | shrubland, 1 km² each
    cover = {(0, 0): "desert_shrubland", (0, 1): "desert_shrubland",
             (0, 2): "desert_shrubland"}
    parcels = grid(1, 3, cover, {(0, 1): 2})
    graph = parcel_graph(parcels)
    # before: two 1 km² patches one link apart: (1 + 1 + 2·1·1/2) / 3² = 1/3
    assert iic(parcels, graph) == pytest.approx(1 / 3)
    # after restoring the middle parcel: one 3 km² patch: 3² / 3² = 1
    assert iic(parcels, graph, np.array([False, True, False])) == pytest.approx(1.0)


def test_current_is_highest_at_the_bottleneck_and_matches_networkx() -> None:
    # two 2-cell-wide blocks joined by a single cell (row 0, col 2)
    rows, cols = 2, 5
    parcels = grid(rows, cols, {(r, c): "forest" for r in range(rows) for c in range(cols)})
    parcels = parcels[parcels["parcel_id"] != 8].reset_index(drop=True)  # cut (1, 2)
    graph = parcel_graph(parcels)
    cost = graph.distance_km * 1.0
    a = np.flatnonzero(parcels["parcel_id"].isin([1, 6]).to_numpy())
    b = np.flatnonzero(parcels["parcel_id"].isin([5, 10]).to_numpy())
    current = _current(graph, cost, a, b)
    bottleneck = int(np.flatnonzero(parcels["parcel_id"].to_numpy() == 3)[0])
    interior = np.setdiff1d(np.arange(len(parcels)), np.concatenate([a, b]))
    assert current[bottleneck] == pytest.approx(current[interior].max())
    assert current[bottleneck] == pytest.approx(1.0, rel=1e-6)  # all current passes it


def test_corridors_join_sources_and_restoring_them_raises_connectivity() -> None:
    # oasis on the left, shrubland source on the right, degraded Gobi between
    cover = {(r, 0): "oasis_farmland" for r in range(5)}
    cover.update({(r, c): "oasis_farmland" for r in range(5) for c in range(1, 5)})
    cover.update({(r, c): "desert_shrubland" for r in range(5) for c in range(9, 14)})
    cover.update({(r, c): "gobi" for r in range(5) for c in range(5, 9)})
    degradation = {(r, c): 2 for r in range(5) for c in range(5, 9)}
    degradation[(2, 6)] = 0
    parcels = grid(5, 14, cover, degradation)
    analysis = analyse_corridors(parcels)
    assert analysis.corridors, analysis.notes
    corridor = analysis.corridors[0]
    assert corridor.kind == "oasis-transition"
    ids = set(corridor.path_parcel_ids.tolist())
    left = set(parcels.loc[parcels["land_cover"] == "oasis_farmland", "parcel_id"])
    right = set(parcels.loc[parcels["land_cover"] == "desert_shrubland", "parcel_id"])
    assert ids & left and ids & right
    assert pd.Series(analysis.barrier_score).max() > 0
    restored = analyse_corridors(parcels, restored_parcel_ids=corridor.degraded_parcel_ids)
    assert restored.connectivity_now > analysis.connectivity_now
    assert restored.corridors[0].cost_distance < corridor.cost_distance


def test_current_ranks_parcels_as_networkx_current_flow_betweenness_does() -> None:
    cover = {(r, c): "forest" for r in range(3) for c in range(4)}
    cover[(1, 1)] = "desert_shrubland"
    cover[(0, 2)] = "gobi"
    parcels = grid(3, 4, cover)
    graph = parcel_graph(parcels)
    node_r = resistance(parcels)
    cost = graph.distance_km * (node_r[graph.i] + node_r[graph.j]) / 2.0
    ours = _current(graph, cost, np.array([0]), np.array([11]))
    g = nx.Graph()
    g.add_weighted_edges_from(zip(graph.i.tolist(), graph.j.tolist(), (1.0 / cost).tolist(),
                                  strict=True))
    theirs = nx.current_flow_betweenness_centrality_subset(g, [0], [11], normalized=False,
                                                           weight="weight")
    theirs = np.array([theirs[k] for k in range(len(parcels))])
    # networkx subtracts a constant and halves; the ranking and the shape are the same
    slope, intercept = np.polyfit(theirs, ours, 1)
    assert slope > 0
    np.testing.assert_allclose(ours, slope * theirs + intercept, atol=1e-9)
