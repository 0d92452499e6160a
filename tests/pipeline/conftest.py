"""A small region for the yearly cycle: 182 shipped parcels east of Shanshan, a four-year
horizon, money with carry-over, scarce water and a karez target due in the last year."""

import pytest


@pytest.fixture(scope="session")
def cycle_region(tmp_path_factory, scenario_text, box_region):
    """(region, scenario, folder): the parcels and scenario are files in ``folder``."""
    folder = tmp_path_factory.mktemp("cycle_region")
    # gap not 0: with the plan's action rules (karez priced per karez, shelterbelt strips)
    # the money knapsack has many small works and HiGHS needs minutes past 0.02 % (measured
    # 150 s, 81,000 nodes); 0.2 % is reached in the solve stage's first seconds and stops
    # there, so the plan is the same every time.
    region, scenario = box_region(folder, (90.0, 42.65, 90.35, 42.9), "cycle.toml", scenario_text(
        "cycle", seed=1, horizon={"evaluation_year": 2040},
        budget={"default": 1500.0}, water={"default": 100.0}, weights={"carbon": 0.0},
        targets=[{"name": "karez on 8 parcels by 2030", "measure": "count", "minimum": 8,
                  "by_year": 2030, "action": "karez_protection"}],
        corridors={"enabled": False}, solver={"time_limit_s": 60.0, "gap": 0.002}))
    return region, scenario, folder


@pytest.fixture(scope="session")
def plan_2027(cycle_region, tmp_path_factory):
    """The 2027-2030 plan solved to its gap, its result folder written (out_dir)."""
    from pipeline.run import run_scenario

    region, scenario, _ = cycle_region
    return run_scenario(region, scenario, tmp_path_factory.mktemp("cycle") / "plan-2027")
