"""Solver comparison and greedy-vs-optimum ratio on synthetic scheduling instances.

    .venv/bin/python benchmarks/bench_solvers.py [--parcels 1000] [--seeds 0 1 2]
                                                 [--time-limit 120] [--solvers highs cbc]

For each instance (optimizer.synthetic: budget, water, a zone target and a precedence rule,
all binding) and each solver (HiGHS, CBC through PuLP, CP-SAT), solves to a 1 % and to a
0.1 % relative gap, cold (no warm start), and records the wall time, status and gap reached.
Also records the greedy baseline, and the greedy ranked by the Lagrangian bound's reduced
values, against the best proven objective. Writes
benchmarks/out/solvers.json and prints a Markdown table for benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from optimizer.formulation import compile_problem  # noqa: E402
from optimizer.greedy import greedy_solution  # noqa: E402
from optimizer.lagrangian import lagrangian_bound  # noqa: E402
from optimizer.problem import build_problem  # noqa: E402
from optimizer.solvers import solve  # noqa: E402
from optimizer.synthetic import synthetic_region  # noqa: E402

SOLVERS = ("highs", "cbc", "cpsat")
GAPS = (1e-2, 1e-3)
WEIGHTS = {"sand": 0.3, "water": 0.3, "bio": 0.2, "mine": 0.1, "carbon": 0.1}


def instance(n_parcels: int, seed: int, time_limit: float,
             solvers: tuple[str, ...] = SOLVERS) -> dict:
    options, actions, scenario = synthetic_region(n_parcels, 3, seed=seed)
    problem = build_problem(options, actions, scenario, WEIGHTS)
    model, layout = compile_problem(problem)
    t = time.perf_counter()
    greedy = greedy_solution(problem, model, layout)
    greedy_s = time.perf_counter() - t
    lagrangian = lagrangian_bound(model)
    priced = greedy_solution(problem, model, layout, option_score=lagrangian.reduced_value)
    runs = []
    for solver in solvers:
        for gap in GAPS:
            result = solve(model, solver, time_limit_s=time_limit, gap=gap, threads=2,
                           seed=seed)
            runs.append({"solver": solver, "target_gap": gap, "status": result.status,
                         "time_s": round(result.time_s, 2), "objective": result.objective,
                         "bound": result.bound, "gap": result.gap,
                         "reached": result.gap is not None and result.gap <= gap + 1e-9})
            print(json.dumps(runs[-1]), flush=True)
    proven = [r for r in runs if r["reached"] and r["target_gap"] == GAPS[-1]]
    best = max((r["objective"] for r in proven), default=None)
    lp = solve(model, "highs", lp_relaxation=True, threads=2).objective
    greedy_value = None if greedy is None else model.objective_value(greedy)
    priced_value = None if priced is None else model.objective_value(priced)
    return {"parcels": n_parcels, "seed": seed, "binaries": int(model.integrality.sum()),
            "rows": model.n_rows, "lp_bound": lp, "lagrangian_bound": lagrangian.bound,
            "greedy_objective": greedy_value, "greedy_s": round(greedy_s, 2),
            "lagrangian_greedy_objective": priced_value, "best_objective_0.1%": best,
            "greedy_over_best": _ratio(greedy_value, best),
            "lagrangian_greedy_over_best": _ratio(priced_value, best),
            "runs": runs}


def _ratio(value: float | None, best: float | None) -> float | None:
    return None if value is None or best is None else value / best


def table(records: list[dict], time_limit: float, solvers: tuple[str, ...]) -> str:
    lines = ["| instance | solver | time to 1 % | time to 0.1 % "
             "| greedy / optimum (priced by the Lagrangian) |",
             "|---|---|---:|---:|---:|"]
    for rec in records:
        for solver in solvers:
            cells = []
            for gap in GAPS:
                run = next(r for r in rec["runs"] if r["solver"] == solver
                           and r["target_gap"] == gap)
                cells.append(f"{run['time_s']:.1f} s" if run["reached"] else
                             f"> {time_limit:.0f} s (gap {_pct(run['gap'])})")
            ratios = [rec["greedy_over_best"], rec["lagrangian_greedy_over_best"]]
            shown = "" if None in ratios else f"{ratios[0]:.3f} ({ratios[1]:.3f})"
            lines.append(f"| {rec['parcels']} parcels, seed {rec['seed']} "
                         f"({rec['binaries']:,} binaries) | {solver} | {cells[0]} | {cells[1]} "
                         f"| {shown} |")
    return "\n".join(lines)


def _pct(gap: float | None) -> str:
    return "none" if gap is None else f"{gap:.2%}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parcels", type=int, default=1000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--solvers", nargs="+", default=list(SOLVERS), choices=SOLVERS)
    args = parser.parse_args()
    solvers = tuple(args.solvers)
    records = [instance(args.parcels, seed, args.time_limit, solvers) for seed in args.seeds]
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "solvers.json").write_text(json.dumps(
        {"date": time.strftime("%Y-%m-%d"), "instances": records}, indent=2))
    print(table(records, args.time_limit, solvers))

if __name__ == "__main__":
    main()
