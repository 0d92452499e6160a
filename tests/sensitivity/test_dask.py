"""The Dask path and the local process pool give identical runs for the same seed."""

import pandas as pd


def test_dask_cluster_and_local_pool_give_identical_runs(tiny) -> None:
    from distributed import LocalCluster

    from sensitivity.analysis import run_sensitivity

    region, scenario, settings, _ = tiny
    local = run_sensitivity(region, scenario, settings, None, method="morris", samples=2,
                            workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        remote = run_sensitivity(region, scenario, settings, None, method="morris",
                                 samples=2, scheduler=cluster.scheduler_address)
    columns = ["run_id", "status", "objective", "value_at_base", "chosen"]
    assert len(local.runs) == len(remote.runs) == 2 * 5  # 4 factors (water, mine: 0): 5 a run
    assert (local.runs["status"] == "optimal").all()
    pd.testing.assert_frame_equal(local.runs[columns], remote.runs[columns])
    pd.testing.assert_frame_equal(local.indices, remote.indices)
