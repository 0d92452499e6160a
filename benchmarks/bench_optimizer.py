"""Optimizer benchmarks: the Turpan scenario end to end, and model build at 100,000 parcels.

    .venv/bin/python benchmarks/bench_optimizer.py [--skip-scale]

Writes benchmarks/out/optimizer.json and prints a Markdown table for benchmarks/results.md.
Peak memory is the process's maximum resident set size (resource.getrusage, as
/usr/bin/time -v reports it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from criteria.corridors import analyse_corridors  # noqa: E402
from optimizer.formulation import compile_problem  # noqa: E402
from optimizer.problem import build_problem  # noqa: E402
from optimizer.run import run_scenario  # noqa: E402
from optimizer.synthetic import synthetic_region  # noqa: E402
from region.io import DEFAULT_SCENARIO, load_region  # noqa: E402
from region.scenario import load_scenario  # noqa: E402


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def turpan() -> dict:
    start = time.perf_counter()
    region = load_region()
    scenario = load_scenario(DEFAULT_SCENARIO)
    load_s = time.perf_counter() - start
    t = time.perf_counter()
    analysis = analyse_corridors(region.parcels)
    corridors_s = time.perf_counter() - t
    outcome = run_scenario(region, scenario, HERE / "out" / "turpan-baseline")
    result = outcome.plan.result
    return {"end_to_end_s": round(time.perf_counter() - start, 1), "load_s": round(load_s, 2),
            "corridor_analysis_s": round(corridors_s, 2),
            "corridors": len(analysis.corridors), "stages_s": outcome.timings_s,
            "status": result.status, "objective": result.objective, "bound": result.bound,
            "gap": result.gap, "peak_mb": round(peak_mb())}


def scale(n_parcels: int = 100_000) -> dict:
    options, actions, scenario = synthetic_region(n_parcels, 3, seed=1)
    weights = {"sand": 0.3, "water": 0.3, "bio": 0.2, "mine": 0.1, "carbon": 0.1}
    start = time.perf_counter()
    problem = build_problem(options, actions, scenario, weights)
    model, _ = compile_problem(problem)
    return {"parcels": n_parcels, "options": problem.n_options, "rows": model.n_rows,
            "nonzeros": int(model.A.nnz), "build_s": round(time.perf_counter() - start, 1),
            "peak_mb": round(peak_mb())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args()
    record = {"machine": cpu_model(), "cores": os.cpu_count(),
              "python": sys.version.split()[0], "date": time.strftime("%Y-%m-%d"),
              "turpan": turpan()}
    if not args.skip_scale:
        record["scale"] = scale()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "optimizer.json").write_text(json.dumps(record, indent=2, ensure_ascii=False))
    print(json.dumps(record, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
