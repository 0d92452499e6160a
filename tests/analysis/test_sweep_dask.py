"""A budget sweep on a Dask cluster gives the local sweep's curve, and its result folder."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner


@pytest.fixture(scope="module")
def tiny_region(tmp_path_factory, scenario_text, box_region):
    """138 shipped parcels south-west of Shanshan that solve exactly in about a second (the
    600-s limit a safety net a loaded machine does not reach)."""
    folder = tmp_path_factory.mktemp("tiny_sweep")
    region, scenario = box_region(folder, (89.9, 42.6, 90.2, 42.8), "tiny.toml", scenario_text(
        "tiny", seed=3, budget={"default": 800.0}, water={"default": 60.0},
        corridors={"enabled": False}, solver={"time_limit_s": 600.0, "gap": 0.0, "threads": 1}))
    return region, scenario, folder


def test_sweep_on_a_dask_cluster_matches_the_local_sweep(tiny_region, tmp_path) -> None:
    from distributed import LocalCluster

    from analysis.sweep import run_sweep
    from solve import app

    region, scenario, folder = tiny_region
    scales = [0.5, 1.0, 1.5]
    local = run_sweep(region, scenario, "budget", scales)
    out = tmp_path / "sweep"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        result = CliRunner().invoke(app, [
            "sweep", "--budget-scale", "0.5,1.0,1.5", "--parcels", str(folder / "parcels.gpkg"),
            "--scenario", str(folder / "tiny.toml"), "--dask-scheduler",
            cluster.scheduler_address, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    remote = pd.read_csv(out / "sweep.csv")
    assert (remote["status"] == "optimal").all()
    np.testing.assert_allclose(remote["objective"], local["objective"], rtol=1e-9)
    assert remote["warm_start"].str.contains("Dask").all()
    assert {p.name for p in out.iterdir()} >= {"sweep.csv", "curve.png", "budgetx0.5",
                                               "budgetx1", "budgetx1.5"}


def test_a_cluster_point_below_the_previous_one_is_solved_again_from_it(tiny_region) -> None:
    """A point whose plan came back worse than the smaller point's (here: a model that may
    choose nothing) is solved again here from the smaller point's plan."""
    from dataclasses import replace

    from analysis.sweep import _not_below, scaled
    from pipeline.run import Formulation, prepare, run_scenario, standard_formulation

    region, scenario, _ = tiny_region
    prepared = prepare(region, scenario)
    small, large = scaled(scenario, "budget", 0.5), scaled(scenario, "budget", 1.0)
    before = run_scenario(region, small, None, prepared=prepared)

    def nothing(problem) -> Formulation:
        standard = standard_formulation(problem)
        upper = standard.model.col_upper.copy()
        upper[:problem.n_options] = 0.0
        return replace(standard, model=replace(standard.model, col_upper=upper))

    empty = run_scenario(region, large, None, prepared=prepared, formulate=nothing)
    assert empty.plan.result.objective == pytest.approx(0.0, abs=1e-9)
    again, fate, start = _not_below(region, large, prepared, None, empty, before.plan.result.x)
    assert "solved again here" in fate and start == pytest.approx(
        before.plan.result.objective)
    assert again.plan.result.objective >= before.plan.result.objective - 1e-9
