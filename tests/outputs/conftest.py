"""Fixtures of the planner-output tests: the small region with townships, and the small plan
under a scenario with the shipped funding tables."""

import dataclasses

import pytest


def add_townships(region):
    """The region with the township fields of DATA.md (synthetic: three names in turn)."""
    parcels = region.parcels.copy()
    number = parcels["parcel_id"] % 3
    parcels["township"] = number.map({0: "甲镇", 1: "乙乡", 2: "丙镇"})
    parcels["township_en"] = number.map({0: "Jia", 1: "Yi", 2: "Bing"})
    return dataclasses.replace(region, parcels=parcels)


@pytest.fixture(scope="session")
def region(small_region):
    """The small region alone, without its scenario (tests/outputs/test_reasons.py reads the
    township one under this name)."""
    return small_region[0]


@pytest.fixture(scope="session")
def township_region(small_region):
    """The small region's parcels with a township each."""
    return add_townships(small_region[0])


@pytest.fixture(scope="session")
def whole_region(small_region):
    """The whole shipped parcel layer (with townships) under the small region's labels."""
    import geopandas as gpd

    from region.io import TURPAN_DIR

    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg")
    return add_townships(dataclasses.replace(small_region[0], parcels=parcels))


@pytest.fixture(scope="session")
def library_plan(small_run):
    """The small plan under a scenario with the shipped [funding] tables."""
    from region.io import DEFAULT_SCENARIO
    from region.scenario_toml import load_scenario

    plan = small_run.plan
    funding = load_scenario(DEFAULT_SCENARIO).funding
    return dataclasses.replace(plan, scenario=plan.scenario.model_copy(
        update={"funding": funding}))


#: Degraded alpine grassland of the Tianshan south slope (zone 1, 201-231 mm of rain) north
#: of the small box: real water yield. In the box alone the most the budget buys of water
#: conservation is litres, so water weighs 0 (criteria/normalise.py) and the plan is all
#: one-year works (enclosure, barriers); with these, grassland recovery and watershed control
#: (costs over 5 and 2 years) compete.
ZONE_1_GRASSLAND = [12115, 12250, 12252, 12385]


@pytest.fixture(scope="session")
def water_run(small_region, run_by_work, tmp_path_factory):
    """The small scenario solved on the small box plus ZONE_1_GRASSLAND, every step ended by
    its work (tests/conftest.py run_by_work), its folder written, under the shipped [funding]
    tables, with townships: (RunOutcome, plan, region)."""
    import geopandas as gpd
    import pandas as pd

    from region.io import DEFAULT_SCENARIO, TURPAN_DIR
    from region.scenario_toml import load_scenario

    region, scenario = small_region
    shipped = gpd.read_file(TURPAN_DIR / "parcels.gpkg")
    extra = shipped[shipped["parcel_id"].isin(ZONE_1_GRASSLAND)]
    parcels = pd.concat([region.parcels, extra.to_crs(region.parcels.crs)], ignore_index=True)
    region = dataclasses.replace(region, parcels=gpd.GeoDataFrame(parcels, crs=extra.crs))
    region = add_townships(region)
    outcome = run_by_work(region, scenario, tmp_path_factory.mktemp("water_run") / "small")
    funding = load_scenario(DEFAULT_SCENARIO).funding
    plan = dataclasses.replace(outcome.plan, scenario=outcome.plan.scenario.model_copy(
        update={"funding": funding}))
    return outcome, plan, region
