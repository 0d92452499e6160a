"""Project units on hand-made grids of 1 km squares whose answer is known."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from outputs.project_units import project_units, size_distribution, unit_ids
from region.schema import EQUAL_AREA_CRS


def grid(cells: dict[int, tuple[int, int]]) -> gpd.GeoDataFrame:
    """Parcels ``id: (column, row)`` as 1 km squares near Turpan (UTM 45N, then WGS84)."""
    x0, y0 = 750_000, 4_750_000
    return gpd.GeoDataFrame(
        {"parcel_id": list(cells)},
        geometry=[box(x0 + c * 1000, y0 + r * 1000, x0 + (c + 1) * 1000, y0 + (r + 1) * 1000)
                  for c, r in cells.values()], crs="EPSG:32645").to_crs("EPSG:4326")


def chosen(rows: list[tuple[int, str, int, float]]) -> pd.DataFrame:
    """(parcel_id, action, start_year, value) per chosen option."""
    return pd.DataFrame(rows, columns=["parcel_id", "action", "start_year", "value"])


def test_two_adjacent_parcels_and_an_isolated_one_make_two_units_without_a_gap() -> None:
    parcels = grid({1: (0, 0), 2: (1, 0), 3: (3, 0)})
    ids = unit_ids(chosen([(1, "a", 2027, 1.0), (2, "a", 2027, 1.0), (3, "a", 2027, 5.0)]),
                   parcels, gap_km=0)
    assert ids[0] == ids[1] != ids[2]
    assert ids[2] == "2027-001"  # the isolated parcel is worth more: numbered first


def test_a_different_action_or_year_splits_a_unit() -> None:
    parcels = grid({1: (0, 0), 2: (1, 0), 3: (2, 0)})
    ids = unit_ids(chosen([(1, "a", 2027, 1.0), (2, "b", 2027, 1.0), (3, "b", 2028, 1.0)]),
                   parcels)
    assert len(set(ids)) == 3
    assert ids[2] == "2028-001"


def test_parcels_touching_at_a_corner_are_not_adjacent() -> None:
    parcels = grid({1: (0, 0), 2: (1, 1), 3: (1, 0)})
    diagonal = unit_ids(chosen([(1, "a", 2027, 1.0), (2, "a", 2027, 1.0)]), parcels, gap_km=0)
    assert diagonal[0] != diagonal[1]
    # the parcel between them joins all three into one unit
    ids = unit_ids(chosen([(1, "a", 2027, 1.0), (2, "a", 2027, 1.0), (3, "a", 2027, 1.0)]),
                   parcels, gap_km=0)
    assert ids.nunique() == 1


def test_a_parcel_with_two_actions_belongs_to_one_unit_per_action() -> None:
    parcels = grid({1: (0, 0), 2: (1, 0)})
    ids = unit_ids(chosen([(1, "a", 2027, 1.0), (1, "b", 2027, 1.0), (2, "b", 2027, 1.0)]),
                   parcels)
    assert ids[0] != ids[1] and ids[1] == ids[2]


def test_an_l_shaped_run_of_same_action_is_one_unit_and_totals_are_kept() -> None:
    cells = {1: (0, 0), 2: (1, 0), 3: (2, 0), 4: (2, 1), 5: (5, 5), 6: (6, 5)}
    parcels = grid(cells)
    lists = chosen([(p, "a", 2027, 5.0 if p <= 4 else 1.0) for p in cells])
    lists["unit_id"] = unit_ids(lists, parcels, gap_km=0)
    lists["area_km2"] = 1.0
    lists["cost"] = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]
    lists["county_zh"] = ["高昌区"] * 3 + ["鄯善县"] * 3
    lists["zone_zh"] = "绿洲"
    for column in ("action_zh", "action_en", "project_id", "project_zh", "project_en"):
        lists[column] = column
    units = project_units(lists, parcels, ["area_km2", "cost", "value"])
    assert list(units["unit_id"]) == ["2027-001", "2027-002"]  # the L (value 20) first
    first = units.iloc[0]
    assert first["parcels"] == 4 and first["parcel_ids"] == "1、2、3、4"
    assert first["county_zhs"] == "高昌区、鄯善县"
    assert units["parcels"].sum() == len(lists)
    assert units["cost"].sum() == pytest.approx(lists["cost"].sum())
    assert units["value"].tolist() == [20.0, 2.0]
    area = units.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6
    assert area.tolist() == pytest.approx([4.0, 2.0], rel=1e-3)  # dissolved, no overlap
    assert units.geometry.iloc[0].geom_type == "Polygon"
    second = units.iloc[1]  # two squares side by side: centre at their shared edge
    assert second["west"] < second["centroid_lon"] < second["east"]
    assert second["south"] < second["centroid_lat"] < second["north"]
    centre = gpd.GeoSeries([Point(756_000, 4_755_500)], crs="EPSG:32645").to_crs("EPSG:4326")
    assert (second["centroid_lon"], second["centroid_lat"]) == pytest.approx(
        (centre.x[0], centre.y[0]), abs=1e-4)


def test_no_options_no_units() -> None:
    assert unit_ids(chosen([]), grid({1: (0, 0)})).empty


def test_parcels_within_the_gap_join_transitively_and_farther_ones_do_not() -> None:
    # 2 km between 1 and 2, 2 km between 2 and 3 (1 to 3: 5 km), 12 km on to 4
    parcels = grid({1: (0, 0), 2: (3, 0), 3: (6, 0), 4: (19, 0)})
    rows = chosen([(p, "a", 2027, 1.0) for p in (1, 2, 3, 4)])
    ids = unit_ids(rows, parcels, gap_km=3.0)
    assert ids[0] == ids[1] == ids[2] != ids[3]
    assert unit_ids(rows, parcels, gap_km=1.5).nunique() == 4
    assert unit_ids(rows, parcels, gap_km=12.0).nunique() == 1


def test_one_project_s_works_in_a_county_are_one_unit_but_each_site_its_own() -> None:
    parcels = grid({1: (0, 0), 2: (40, 0), 3: (80, 0), 4: (81, 0)})  # 39 km apart
    rows = chosen([(p, "a", 2027, 1.0) for p in (1, 2, 3, 4)])
    assert unit_ids(rows, parcels).nunique() == 1  # the default: no distance limit
    sites = pd.Series([False, False, True, True])
    ids = unit_ids(rows, parcels, sites=sites)
    assert ids[0] == ids[1] and ids.nunique() == 3  # each site alone, even adjacent ones


def test_another_project_or_county_splits_a_unit() -> None:
    parcels = grid({1: (0, 0), 2: (1, 0), 3: (2, 0)})
    rows = chosen([(p, "a", 2027, 1.0) for p in (1, 2, 3)])
    rows["project_id"] = ["P1", "P1", "P2"]
    rows["county"] = ["650421", "650402", "650402"]
    assert unit_ids(rows, parcels).nunique() == 3


def test_a_unit_above_the_cap_is_split_into_the_fewest_compact_parts() -> None:
    parcels = grid({k: (k, 0) for k in range(1, 7)})  # a row of six 1 km² squares
    rows = chosen([(k, "a", 2027, 1.0) for k in range(1, 7)])
    rows["area_km2"] = 1.0
    ids = unit_ids(rows, parcels, max_km2=2.5)
    sizes = ids.value_counts()
    assert len(sizes) == 3 and (sizes <= 2.5).all()  # ceil(6 / 2.5) = 3 parts of 2
    for unit in sizes.index:  # compact: each part is a run of neighbours
        members = sorted(rows.loc[ids == unit, "parcel_id"])
        assert members == list(range(members[0], members[0] + len(members)))
    assert unit_ids(rows, parcels, max_km2=6.0).nunique() == 1


def test_size_distribution_counts_every_unit_once() -> None:
    units = pd.DataFrame({"area_km2": [0.5, 2.0, 10.0, 40.0], "parcels": [1, 1, 2, 8]})
    table = size_distribution(units)
    assert table["units"].tolist() == [1, 1, 1, 1]  # 750, 3,000, 15,000 and 60,000 亩
    assert table["parcels"].sum() == 12
    assert table["area_mu"].sum() == pytest.approx(52.5 * 1500)
