"""Marxan benchmark: our 15-s results on the public Marxan problems of
/work/shared/benchmarks/marxan/, every one with a bound, against the 60-s results of the code
before the Lagrangian (main at add49b8) and Marxan 4.0.6's best of 100 annealing runs.

Cases: marxan-cloud-sample (12,178 units, 59 features) with every feature at prop 0.1 … 0.6,
spf 100, BLM 1; marxanconnect-cf-demographic (653 units, 20-21 features) with and without its
connectivity features, as its input.dat files say (BLM 0.2, prop 0.2).

    python benchmarks/bench_marxan.py [--time 15]      # writes benchmarks/marxan_results.md
                                                       # and the Marxan section of results.md
    PYTHONPATH=<checkout of add49b8> python benchmarks/bench_marxan.py --reference \\
        [--time 60]                                    # re-measures the reference figures

``--reference`` uses only what the code of add49b8 has (read_marxan, solve_minset,
marxan_score) and writes benchmarks/marxan_reference.json, which the main mode compares with.
Scores are `optimizer.marxan.marxan_score` (Marxan's objective with its shortfall penalty);
every result here meets all targets, so score = cost + BLM × boundary (+ connectivity).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import time
from pathlib import Path

import numpy as np

from optimizer.marxan import marxan_score, read_marxan, solve_minset

DATA = Path("/work/shared/benchmarks/marxan")
HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "marxan_reference.json"
MARXAN_BEST = {"sample prop 0.3": 6_121_224}  # best of 100 runs, 12.8 s (the data README)
START, END = "<!-- bench_marxan:start -->", "<!-- bench_marxan:end -->"


def cases() -> list[tuple[str, Path, dict]]:
    sample = [(f"sample prop {p}", DATA / "marxan-cloud-sample",
               {"prop": p, "spf": 100, "blm": 1}) for p in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)]
    demographic = DATA / "marxanconnect-cf-demographic"
    return sample + [("cf-demographic", demographic / "input_no_connect.dat", {}),
                     ("cf-demographic + connectivity", demographic / "input_connect.dat", {})]


def machine() -> str:
    load = os.getloadavg()
    busy = (" — **measured on a busy machine** (load above the core count: a process gets a "
            "fraction of a core, so these are not quiet-machine figures)"
            if load[0] > (os.cpu_count() or 1) else "")
    return (f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average before the run "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}{busy}")


def run_case(path: Path, overrides: dict, seconds: float) -> dict:
    problem = read_marxan(path).with_overrides(**overrides)
    began = time.perf_counter()
    found = solve_minset(problem, time_limit_s=seconds, seed=0)
    wall = time.perf_counter() - began
    met = int((problem.amounts.T @ found.x >= problem.targets * (1 - 1e-9)).sum())
    return {"units": problem.n_units, "features": problem.n_features,
            "score": marxan_score(problem, found.x)["score"], "objective": found.objective,
            "bound": found.bound, "gap": found.gap, "wall_s": wall, "targets_met": met,
            "selected": int(np.round(found.x).sum())}


def reference(seconds: float) -> None:
    """The figures of the code being run (meant: add49b8), into marxan_reference.json."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=Path(read_marxan.__code__.co_filename).parent
                            ).stdout.strip()
    results = {name: run_case(path, overrides, seconds) for name, path, overrides in cases()}
    REFERENCE.write_text(json.dumps({"commit": commit or "unknown", "time_limit_s": seconds,
                                     "machine": machine(), "results": results}, indent=2)
                         + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


def _number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def report(seconds: float) -> str:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8")) if REFERENCE.exists() else None
    header = ("| problem | ours: score | bound | gap | s | targets | reference: score "
              f"({ref['time_limit_s']:.0f} s) | bound | ours ≤ reference |\n"
              if ref else "| problem | ours: score | bound | gap | s | targets |\n")
    rule = "|---|" + "---:|" * 5 + ("---:|---:|---|" if ref else "")
    rows = []
    for name, path, overrides in cases():
        ours = run_case(path, overrides, seconds)
        digits = 0 if ours["score"] > 1000 else 1
        cells = [name, _number(ours["score"], digits), _number(ours["bound"], digits),
                 "" if ours["gap"] is None else f"{ours['gap']:.1%}", f"{ours['wall_s']:.1f}",
                 f"{ours['targets_met']}/{ours['features']}"]
        if ref:
            old = ref["results"].get(name)
            cells += ([_number(old["score"], digits), _number(old["bound"], digits),
                       "yes" if ours["score"] <= old["score"] + 1e-6 else "**no**"]
                      if old else ["", "", ""])
        rows.append("| " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    lines = [f"Ours: `solve_minset`, {seconds:.0f}-s limit, seed 0 (greedy, the targets' "
             "Lagrangian with its repaired cut roundings, then LNS or, ≤ 2,000 units, the "
             "whole MIP in HiGHS, then the local search for a tenth of the limit); bound: "
             "the Lagrangian's, or HiGHS's where higher. "
             f"Measured {machine()}."]
    if ref:
        lines.append(f"Reference: the code of {ref['commit']} with a "
                     f"{ref['time_limit_s']:.0f}-s limit (`--reference`), measured "
                     f"{ref['machine']}; an empty bound is none found within its limit.")
    lines += ["Marxan 4.0.6, best of 100 annealing runs on sample prop 0.3: "
              f"{MARXAN_BEST['sample prop 0.3']:,} (12.8 s).", "", header + rule, *rows]
    return "\n".join(lines) + "\n"


def write_results(section: str) -> None:
    """marxan_results.md whole, and the marked Marxan block of results.md."""
    (HERE / "marxan_results.md").write_text("# Marxan benchmark results\n\n" + section,
                                           encoding="utf-8")
    results = HERE / "results.md"
    text = results.read_text(encoding="utf-8")
    block = f"{START}\n{section}{END}"
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text,
                      flags=re.S)
    else:
        text += f"\n## Marxan problems (`bench_marxan.py`)\n\n{block}\n"
    results.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time", type=float, default=None,
                        help="time limit per case, s (default 15; 60 with --reference)")
    parser.add_argument("--reference", action="store_true",
                        help="measure the code on the path as the reference")
    args = parser.parse_args()
    if args.reference:
        reference(args.time or 60.0)
        return
    write_results(report(args.time or 15.0))


if __name__ == "__main__":
    main()
