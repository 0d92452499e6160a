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
    from region.scenario import load_scenario

    plan = small_run.plan
    funding = load_scenario(DEFAULT_SCENARIO).funding
    return dataclasses.replace(plan, scenario=plan.scenario.model_copy(
        update={"funding": funding}))
