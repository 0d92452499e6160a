"""Places: the comparisons of the rule tables, evaluated on parcels."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from region.places import Places, PlaceSyntaxError, parse_place, place_problem
from region.schema import EQUAL_AREA_CRS

PARCELS = pd.DataFrame({
    "parcel_id": [1, 2, 3, 4],
    "dist_oasis_km": [0.0, 4.0, 12.0, np.nan],
    "township": ["艾丁湖镇", "夏乡", "", "艾丁湖镇"],
    "county": ["650402", "650422", "650421", "650402"],
})


def holds(text: str, parcels: pd.DataFrame = PARCELS) -> list[int]:
    return list(parcels["parcel_id"][Places(parcels).mask(text)])


def test_numbers_text_and_the_empty_place() -> None:
    assert holds("dist_oasis_km<=10") == [1, 2]  # a missing number never holds
    assert holds("dist_oasis_km > 0") == [2, 3]
    assert holds("township==艾丁湖镇") == [1, 4]
    assert holds("township!=''") == [1, 2, 4]
    assert holds("county==650422") == [2]  # codes stored as text compare as numbers
    assert holds("") == [1, 2, 3, 4]


def test_alternatives_and_conjunctions() -> None:
    assert holds("township==夏乡|dist_oasis_km>10") == [2, 3]
    assert holds("township==艾丁湖镇 & dist_oasis_km<=10") == [1]
    assert holds("township==艾丁湖镇&dist_oasis_km<=10|county==650421") == [1, 3]


def test_a_column_the_parcels_lack_places_nothing_and_is_reported() -> None:
    places = Places(PARCELS)
    assert holds("road_rail!=''") == []
    assert holds("dist_oasis_km<=10|road_rail!=''") == [1, 2]
    assert places.missing("dist_oasis_km<=10|road_rail!=''") == ["column 'road_rail'"]


def test_syntax_errors_name_the_bad_part() -> None:
    assert place_problem("dist_oasis_km<=10") is None
    message = place_problem("dist_oasis_km<=10|within 5 km of the river")
    assert message is not None and "'within 5 km of the river' is not a comparison" in message
    with pytest.raises(PlaceSyntaxError, match="text compares with == or != only"):
        Places(PARCELS).mask("township<=夏乡")
    assert parse_place("a>=1&b=='x'")[0][1].right == "x"


@pytest.fixture
def boundaries(tmp_path):
    """A river (two named reaches) and a lake 10 km apart, in metres of the equal-area CRS."""
    rivers = gpd.GeoDataFrame({"name_zh": ["白杨河", "煤窑沟"]},
                              geometry=[LineString([(0, 0), (0, 20_000)]),
                                        LineString([(30_000, 0), (30_000, 20_000)])],
                              crs=EQUAL_AREA_CRS)
    lake = gpd.GeoDataFrame({"name": ["艾丁湖"]}, geometry=[box(9_000, 0, 10_000, 1_000)],
                            crs=EQUAL_AREA_CRS)
    path = tmp_path / "boundaries.gpkg"
    rivers.to_crs("EPSG:4326").to_file(path, layer="rivers", driver="GPKG")
    lake.to_crs("EPSG:4326").to_file(path, layer="lake", driver="GPKG")
    return path


def test_near_measures_km_to_a_layer_or_one_named_feature(boundaries) -> None:
    cells = gpd.GeoDataFrame({"parcel_id": [1, 2, 3]},
                             geometry=[box(1_000, 0, 2_000, 1_000),   # 1 km from 白杨河
                                       box(5_000, 0, 6_000, 1_000),   # 5 km; 3 km to lake
                                       box(26_000, 0, 27_000, 1_000)],  # 3 km from 煤窑沟
                             crs=EQUAL_AREA_CRS).to_crs("EPSG:4326")
    places = Places(cells, boundaries)

    def ids(text: str) -> list[int]:
        return list(cells["parcel_id"][places.mask(text)])

    assert ids("near(rivers)<=3.01") == [1, 3]
    assert ids("near(rivers:白杨河)<=3.01") == [1]
    assert ids("near(lake)<=3.01") == [2]
    assert ids("near(rivers:白杨河)<=0.99") == []
    assert ids("near(roads)<=100") == [] and places.missing("near(roads)<=100") == [
        "layer 'roads'"]
    assert Places(cells, None).mask("near(rivers)<=100").sum() == 0  # no boundaries file
