"""A tiny region that solves to optimality in about a second."""

import pytest


@pytest.fixture(scope="session")
def tiny(tmp_path_factory, scenario_text, box_region):
    """(region, scenario, settings, folder): 138 shipped parcels south-west of Shanshan, no
    mine among them (the mine criterion is weighted but can deliver nothing); exact solves
    (gap 0) of weights, budget and water only."""
    folder = tmp_path_factory.mktemp("tiny")
    # saving credit one for one keeps this instance exact in seconds (credits are tested in
    # tests/optimizer/test_water_accounts.py); the base plan runs HiGHS with 2 threads in
    # the parent: workers are spawned. Every solve ends by its proof in about a second:
    # the 600-s limits are safety nets a loaded machine does not reach.
    region, scenario = box_region(folder, (89.9, 42.6, 90.2, 42.8), "tiny.toml", scenario_text(
        "tiny", seed=3, budget={"default": 800.0},
        water={"default": 60.0, "saving_credit": 1.0}, weights={"carbon": 0.0},
        corridors={"enabled": False}, solver={"time_limit_s": 600.0, "gap": 0.0, "threads": 2},
        sensitivity={"time_limit_s": 600.0, "gap": 0.0, "cost_range": 0.0,
                     "benefit_range": 0.0, "survival_range": 0.0, "water_demand_range": 0.0}))
    return region, scenario, scenario.sensitivity, folder
