"""Fixtures shared by the whole suite."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def marxan_benchmarks() -> Path:
    """The public Marxan problems of shared/benchmarks/ (shared/ sits beside the clone)."""
    for shared in (REPO.parent / "shared", Path("/work/shared")):
        folder = shared / "benchmarks" / "marxan"
        if folder.is_dir():
            return folder
    pytest.skip("shared/benchmarks/marxan is not beside this clone")


SMALL_SCENARIO = """
name = "small"
seed = 1
[horizon]
start = 2027
end = 2030
[budget]
default = 3000.0
carry_over = true
[water]
default = 200.0
[weights]
sand = 0.4
water = 0.3
bio = 0.2
mine = 0.1
[corridors]
enabled = true
max_corridors = 4
[solver]
time_limit_s = 30.0
gap = 0.0
"""


@pytest.fixture(scope="session")
def small_region(tmp_path_factory):
    """The shipped parcels of a 0.6° box around Shanshan and Kumtag with the shipped labels,
    actions and projects, and a four-year scenario with corridors: (region, scenario)."""
    import geopandas as gpd

    from region.io import TURPAN_DIR, RegionPaths, load_region
    from region.scenario import load_scenario

    folder = tmp_path_factory.mktemp("small_region")
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.5, 43.0))
    parcels.to_file(folder / "parcels.gpkg", driver="GPKG")
    (folder / "small.toml").write_text(SMALL_SCENARIO, encoding="utf-8")
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg"))
    return region, load_scenario(folder / "small.toml")


@pytest.fixture(scope="session")
def small_run(small_region, tmp_path_factory):
    """The small scenario solved to optimality, its result folder written:
    a RunOutcome (plan, problem, out_dir, timings_s, corridors)."""
    from optimizer.run import run_scenario

    region, scenario = small_region
    out_dir = tmp_path_factory.mktemp("small_run") / "small"
    return run_scenario(region, scenario, out_dir)
