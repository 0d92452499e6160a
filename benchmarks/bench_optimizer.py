"""Optimizer benchmarks: the Turpan scenario end to end, and 100,000 parcels built and solved;
and the check that two seeded runs of the baseline give the same plan.csv, byte for byte.

    .venv/bin/python benchmarks/bench_optimizer.py [--skip-scale] [--skip-scale-solve]
                                                   [--skip-reproducibility]
    .venv/bin/python benchmarks/bench_optimizer.py --reproducibility-only [--load N]

Writes benchmarks/out/optimizer.json and prints a Markdown table for benchmarks/results.md.
Peak memory is the process's maximum resident set size (resource.getrusage, as
/usr/bin/time -v reports it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "support"))  # the test suite's helpers

from cpu_load import cpu_load  # noqa: E402

from optimizer.formulation import compile_problem  # noqa: E402
from optimizer.problem import build_problem  # noqa: E402
from optimizer.solve_stage import solve_compiled  # noqa: E402
from optimizer.synthetic import synthetic_region  # noqa: E402
from pipeline.run import run_scenario  # noqa: E402
from region.io import DEFAULT_SCENARIO, load_region  # noqa: E402
from region.scenario_toml import load_scenario  # noqa: E402


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
    outcome = run_scenario(region, scenario, HERE / "out" / "turpan-baseline")
    result = outcome.plan.result
    manifest = json.loads((outcome.out_dir / "manifest.json").read_text(encoding="utf-8"))
    return {"end_to_end_s": round(time.perf_counter() - start, 1), "load_s": round(load_s, 2),
            "heuristics": manifest["heuristics"],
            "corridors": len(outcome.corridors.corridors), "stages_s": outcome.timings_s,
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


def scale_solve(n_parcels: int = 100_000, time_limit_s: float = 600.0,
                target_gap: float = 0.005) -> dict:
    """Build, then the run's solve stage (greedy; LP warm start; the Lagrangian bound and its
    greedy when that LP does not finish; HiGHS only if the LP did and no bound certifies the
    gap yet), ``time_limit_s`` in all."""
    options, actions, scenario = synthetic_region(n_parcels, 3, seed=1)
    weights = {"sand": 0.3, "water": 0.3, "bio": 0.2, "mine": 0.1, "carbon": 0.1}
    start = time.perf_counter()
    problem = build_problem(options, actions, scenario, weights)
    model, layout = compile_problem(problem)
    build_s = time.perf_counter() - start
    solver = scenario.solver.model_copy(update={"time_limit_s": time_limit_s - build_s,
                                                "gap": target_gap})
    problem = replace(problem, scenario=scenario.model_copy(update={"solver": solver}))
    result, heuristics, stages = solve_compiled(problem, model, layout)
    return {"parcels": n_parcels, "options": problem.n_options, "build_s": round(build_s, 1),
            "stages_s": stages, "heuristics": heuristics, "status": result.status,
            "objective": result.objective, "bound": result.bound, "gap": result.gap,
            "message": result.message, "violations": len(model.violations(result.x)),
            "total_s": round(time.perf_counter() - start, 1), "peak_mb": round(peak_mb())}


def reproducibility(load: int = 0) -> dict:
    """The shipped baseline run twice with its seed and its time limit, the second time
    beside ``load`` busy processes: plan.csv must be the same bytes (optimizer/work.py) as
    long as both runs' work ends within the time limit; a run the time limit cut short
    says so in its manifest (``heuristics.reproducible``), and then may differ."""
    region = load_region()
    scenario = load_scenario(DEFAULT_SCENARIO)
    runs = []
    for name, busy in (("quiet", 0), ("loaded", load)):
        with cpu_load(busy):
            outcome = run_scenario(region, scenario, HERE / "out" / f"reproducible-{name}")
        manifest = json.loads((outcome.out_dir / "manifest.json").read_text(encoding="utf-8"))
        plan = (outcome.out_dir / "plan.csv").read_bytes()
        runs.append({"run": name, "busy_processes": busy,
                     "plan_sha256": hashlib.sha256(plan).hexdigest(),
                     "objective": outcome.plan.result.objective,
                     "reproducible": manifest["heuristics"]["reproducible"],
                     "clock_stops": manifest["heuristics"]["clock_stops"],
                     "work_limits": manifest["heuristics"]["work_limits"]})
    return {"seed": scenario.seed, "time_limit_s": scenario.solver.time_limit_s,
            "identical_plan_csv": runs[0]["plan_sha256"] == runs[1]["plan_sha256"],
            "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-scale-solve", action="store_true")
    parser.add_argument("--skip-reproducibility", action="store_true")
    parser.add_argument("--reproducibility-only", action="store_true")
    parser.add_argument("--load", type=int, default=0,
                        help="busy processes beside the second reproducibility run")
    args = parser.parse_args()
    record = {"machine": cpu_model(), "cores": os.cpu_count(),
              "python": sys.version.split()[0], "date": time.strftime("%Y-%m-%d")}
    if not args.reproducibility_only:
        record["turpan"] = turpan()
        if not args.skip_scale:
            record["scale"] = scale()
        if not args.skip_scale_solve:
            record["scale_solve"] = scale_solve()
    if not args.skip_reproducibility:
        record["reproducibility"] = reproducibility(args.load)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    name = "reproducibility.json" if args.reproducibility_only else "optimizer.json"
    (out / name).write_text(json.dumps(record, indent=2, ensure_ascii=False))
    print(json.dumps(record, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
