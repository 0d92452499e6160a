"""A tiny region that solves to optimality in about a second."""

import pytest

SCENARIO = """
name = "tiny"
seed = 3
[horizon]
start = 2027
end = 2030
[budget]
default = 800.0
carry_over = true
[water]
default = 60.0
saving_credit = 1.0  # one for one keeps this instance exact in seconds; credits are
                     # tested in tests/optimizer/test_water_accounts.py
[weights]
sand = 0.4
water = 0.3
bio = 0.2
mine = 0.1
carbon = 0.0
[corridors]
enabled = false
[solver]
time_limit_s = 30.0
gap = 0.0
threads = 2  # the base plan runs HiGHS with 2 threads in the parent: workers are spawned
[sensitivity]
time_limit_s = 30.0
gap = 0.0
cost_range = 0.0
benefit_range = 0.0
survival_range = 0.0
water_demand_range = 0.0
"""


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """(region, scenario, settings, folder): 138 shipped parcels south-west of Shanshan, no
    mine among them (the mine criterion is weighted but can deliver nothing); exact solves
    (gap 0) of weights, budget and water only."""
    import geopandas as gpd

    from region.io import TURPAN_DIR, RegionPaths, load_region
    from region.scenario_toml import load_scenario

    folder = tmp_path_factory.mktemp("tiny")
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.2, 42.8))
    parcels.to_file(folder / "parcels.gpkg", driver="GPKG")
    (folder / "tiny.toml").write_text(SCENARIO, encoding="utf-8")
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg"))
    scenario = load_scenario(folder / "tiny.toml")
    return region, scenario, scenario.sensitivity, folder
