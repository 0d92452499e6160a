"""A bureau's own layer laid over the parcels: majority share, feature names, clear errors."""

import geopandas as gpd
import pytest
from shapely.geometry import box

from region.errors import InputError
from region.io import TURPAN_DIR, RegionPaths, load_region
from region.layers import LayerSource, overlay
from region.schema import EQUAL_AREA_CRS

KM = 1000.0


@pytest.fixture
def cells() -> gpd.GeoDataFrame:
    """Four 1-km cells in a row, in WGS84 as the parcels are stored."""
    return gpd.GeoDataFrame({"parcel_id": [1, 2, 3, 4]},
                            geometry=[box(i * KM, 0, (i + 1) * KM, KM) for i in range(4)],
                            crs=EQUAL_AREA_CRS).to_crs("EPSG:4326")


def write_layer(path, frame: gpd.GeoDataFrame, crs="EPSG:4490") -> str:
    frame.to_crs(crs).to_file(path, driver="GPKG")
    return str(path)


def test_a_parcel_takes_the_layer_where_most_of_it_lies(cells, tmp_path) -> None:
    red = gpd.GeoDataFrame({"HXMC": ["天山红线", "吐哈红线"]},
                           geometry=[box(0, 0, 1.6 * KM, KM), box(2.3 * KM, 0, 2.6 * KM, KM)],
                           crs=EQUAL_AREA_CRS)  # cell 1 whole, cell 2 60 %, cell 3 30 %
    source = LayerSource.parse(f"red_line={write_layer(tmp_path / 'sqsx.gpkg', red)}")
    out = overlay(cells, source)
    assert list(out["red_line"]) == ["天山红线", "天山红线", "", ""]


def test_without_a_name_column_the_file_names_the_area(cells, tmp_path) -> None:
    area = gpd.GeoDataFrame({"code": [7]}, geometry=[box(2 * KM, 0, 4 * KM, KM)],
                            crs=EQUAL_AREA_CRS)
    source = LayerSource.parse(f"reserve={write_layer(tmp_path / '保护区.gpkg', area)}")
    assert list(overlay(cells, source)["reserve"]) == ["", "", "保护区", "保护区"]


def test_the_option_is_parsed_and_checked() -> None:
    source = LayerSource.parse("red_line=data/三区三线.gpkg|layername=stbhhx")
    assert (source.name, source.path.name, source.layer) == ("red_line", "三区三线.gpkg",
                                                            "stbhhx")
    for bad in ("red_line", "=a.gpkg", "red line=a.gpkg", "zone=a.gpkg"):
        with pytest.raises(ValueError, match="--layer"):
            LayerSource.parse(bad)


def test_load_region_lays_the_layer_over_the_parcels_and_reports_a_bad_one(tmp_path) -> None:

    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", rows=30)
    parcels_path = tmp_path / "parcels.gpkg"
    parcels.to_file(parcels_path, driver="GPKG")
    cover = gpd.GeoDataFrame({"name": ["bureau red line"]},
                             geometry=[parcels.geometry.iloc[:10].union_all()], crs=parcels.crs)
    layer = write_layer(tmp_path / "red.gpkg", cover)
    paths = RegionPaths(parcels=parcels_path, zones=None, counties=None,
                        layers=(LayerSource.parse(f"red_line={layer}"),))
    region = load_region(paths)
    assert (region.parcels["red_line"].iloc[:10] == "bureau red line").all()
    assert (region.parcels["red_line"].iloc[10:] == "").all()
    assert layer in [str(p) for p in paths.files()]  # hashed with the inputs
    points = gpd.GeoDataFrame(geometry=parcels.geometry.iloc[:3].representative_point(),
                              crs=parcels.crs)
    for source, message in ((tmp_path / "none.gpkg", "file not found"),
                            (write_layer(tmp_path / "points.gpkg", points), "expected a polygon")):
        bad = RegionPaths(parcels=parcels_path, zones=None, counties=None,
                          layers=(LayerSource.parse(f"red_line={source}"),))
        with pytest.raises(InputError, match=message):
            load_region(bad)


def test_a_layer_is_read_by_a_column_a_place_compares(tmp_path) -> None:
    """The columns the places of the action catalogue and the project table compare
    (``near(...)`` aside) read a --layer of that name; a misspelt name is still refused."""
    from region.io import TURPAN_DIR
    from region.layers import place_columns, unread_layer_problems

    projects = tmp_path / "projects.csv"
    projects.write_text("project_id,places\nP9,pipeline_zone=='A'&near(rivers)<=2\nP8,\n")
    columns = place_columns((TURPAN_DIR / "actions.csv", projects, None))
    assert {"road_rail", "pipeline_zone", "dist_oasis_km"} <= columns
    assert not any(c.startswith("near") for c in columns)
    road, pipes, typo = (LayerSource.parse(f"{n}=x.gpkg")
                         for n in ("road_rail", "pipeline_zone", "road_rails"))
    assert unread_layer_problems([road, pipes], [], columns) == []
    [problem] = unread_layer_problems([typo], [], columns)
    assert "did you mean 'road_rail'?" in problem.message
