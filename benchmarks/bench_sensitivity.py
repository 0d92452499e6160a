"""Sensitivity analysis of the Turpan baseline: a Morris analysis of ≥ 100 solves, the
warm-start speed-up against cold starts and the speed-up of 2 workers against 1.

    python benchmarks/bench_sensitivity.py [--trajectories 9] [--time-limit 12] [--gap 0.02]
                                           [--compare 3] [--compare-limit 40] [--parallel 6]

1. Starts: the first ``--compare`` Morris samples solved one after the other four ways:
   HiGHS alone (presolve off) from no start and from the run's start (the base plan, or the
   greedy seeded with it), each within ``--compare-limit`` s; and the runs' own solve
   (heuristics, then HiGHS; ``--time-limit``) without and with the base plan (0 skips this
   and step 2).
2. Workers: the first ``--parallel`` samples on 1 and on 2 local processes (wall time).
3. Morris: ``--trajectories`` trajectories (k + 1 solves each; k = 11 factors on the
   baseline) on 2 processes, from loading the data to the written report, as
   ``solve.py sensitivity`` runs it (its base plan solved again, within the measured time).

Writes benchmarks/out/sensitivity.json, the analysis in benchmarks/out/sensitivity/, and
prints the figures for benchmarks/sensitivity_results.md with the machine's load (`uptime`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from optimizer.solvers import solve  # noqa: E402
from region.io import DEFAULT_SCENARIO, RegionPaths, load_region  # noqa: E402
from region.scenario_run_settings import SensitivitySettings  # noqa: E402
from region.scenario_toml import load_scenario  # noqa: E402
from sensitivity.analysis import base_context, run_sensitivity, sample_matrix  # noqa: E402
from sensitivity.runner import (  # noqa: E402
    Context,
    run_all,
    sample_model,
    solve_sample,
    warm_start,
)
from sensitivity.sampling import factors  # noqa: E402


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def highs_alone(context: Context, run_id: int, sample: dict[str, float], with_start: bool,
                limit_s: float) -> dict:
    """One sample solved by HiGHS alone (no heuristics, presolve off as in the runs), from
    the run's start (the base plan or the greedy seeded with it) or from nothing."""
    t = time.perf_counter()
    scenario, problem, model, layout = sample_model(context, run_id, sample)
    start = warm_start(context.base_x, problem, model, layout)[0] if with_start else None
    result = solve(model, "highs", limit_s, context.gap, threads=1, seed=scenario.seed,
                   warm_start=start, presolve=False)
    return {"status": result.status, "gap": result.gap, "objective": result.objective,
            "time_s": round(time.perf_counter() - t, 2)}


def compare_and_scale(region, scenario, settings: SensitivitySettings,
                      args: argparse.Namespace) -> dict:
    """Warm against cold starts, and 1 against 2 workers, on the first Morris samples."""
    record: dict = {}
    t = time.perf_counter()
    context, base, _ = base_context(region, scenario, settings)
    record["base"] = {"time_s": round(time.perf_counter() - t, 1), "status": base["status"],
                      "gap": base["gap"], "objective": base["objective"],
                      "parcels": len(base["chosen"].split())}
    design = factors(settings, context.weights, sorted(region.actions["code"]))
    matrix = sample_matrix("morris", design, args.trajectories, scenario.seed,
                           context.weights, settings)
    samples = [dict(zip([f.name for f in design], row, strict=True)) for row in matrix]
    print("base", record["base"], flush=True)

    compare = []
    for k, sample in enumerate(samples[:args.compare]):
        row = {"run_id": k}
        for with_start in (False, True):
            row[f"highs, {'base' if with_start else 'no'} start"] = highs_alone(
                context, k, sample, with_start, args.compare_limit)
        for name, ctx in (("run, no base plan", replace(context, base_x=None)),
                          ("run, base plan", context)):
            result = solve_sample(ctx, k, sample)
            row[name] = {key: result.get(key) for key in ("status", "gap", "time_s",
                                                          "objective", "warm_start_best")}
        compare.append(row)
        print("compare", row, flush=True)
    record["warm_vs_cold"] = compare

    parallel = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            t = time.perf_counter()
            runs = run_all(context, samples[:args.parallel], Path(folder) / "runs.jsonl",
                           workers=workers)
            parallel[workers] = {"wall_s": round(time.perf_counter() - t, 1),
                                 "statuses": sorted(r["status"] for r in runs)}
        print("workers", workers, parallel[workers], flush=True)
    record["workers"] = parallel
    record["load_mid"] = load()
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=9)
    parser.add_argument("--time-limit", type=float, default=12.0)
    parser.add_argument("--gap", type=float, default=0.02)
    parser.add_argument("--compare", type=int, default=3)
    parser.add_argument("--compare-limit", type=float, default=40.0)
    parser.add_argument("--parallel", type=int, default=6)
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    record: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": next((line.split(":", 1)[1].strip() for line in cpu.splitlines()
                         if line.startswith("Model name")), platform.processor()),
        "cores": os.cpu_count(), "args": vars(args), "load_start": load()}
    settings = SensitivitySettings(method="morris", samples=args.trajectories,
                                   time_limit_s=args.time_limit, gap=args.gap)
    scenario = load_scenario(DEFAULT_SCENARIO)
    region = load_region(RegionPaths())

    if args.compare or args.parallel:
        record.update(compare_and_scale(region, scenario, settings, args))
    record["load_mid"] = load()

    t = time.perf_counter()
    result = run_sensitivity(region, scenario, settings, out / "sensitivity", "morris",
                             args.trajectories, workers=2)
    runs = result.runs
    record["morris"] = {
        "factors": len([c for c in runs.columns if c.startswith("x:")]), "solves": len(runs),
        "wall_s": round(time.perf_counter() - t, 1),
        "statuses": runs["status"].value_counts().to_dict(),
        "gap_median": float(runs["gap"].median()), "gap_max": float(runs["gap"].max()),
        "solve_time_median_s": float(runs["time_s"].median()),
        "robust_core": int(result.frequency["robust_core"].sum()),
        "jaccard_median": float(result.stability["jaccard"].median()),
        "top_mu_star": result.indices[result.indices["output"] == "value_at_base"]
        .nlargest(4, "mu_star")[["factor", "mu_star"]].to_dict("records")}
    record["load_end"] = load()
    (out / "sensitivity.json").write_text(json.dumps(record, indent=2, default=str),
                                          encoding="utf-8")
    print(json.dumps(record, indent=2, default=str))


if __name__ == "__main__":
    main()
