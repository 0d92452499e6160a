"""Survey import benchmark: 100,000 synthetic 三调 patches over the whole city, imported.

    .venv/bin/python benchmarks/bench_survey_import.py [--patches 100000] [--plan]

1. Generates the layer once (data/build_survey_fixture.py's ``generate`` over the whole city,
   GBK .dbf without .cpg, EPSG:4518) into benchmarks/out/survey/ — not timed.
2. Imports it in a fresh process, as ``solve.py parcels import`` does (read, check, slivers,
   overlay, derive, write the GeoPackage and its side files): wall time and peak memory (the
   process's maximum resident set size). Target (issue 20): ≤ 2 minutes, ≤ 4 GB on 2 cores.
3. With ``--plan``: runs the baseline scenario on the imported parcels through the same
   pipeline as ``solve.py run`` (criteria, corridors, the solve stage of the 100,000-parcel
   benchmark: greedy, LP or Lagrangian bound, HiGHS; its limits, 600 s and 1 %), and
   records its stages.

Writes benchmarks/out/survey_import.json and prints a Markdown table for
benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

OUT = HERE / "out" / "survey"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def generate(patches: int) -> Path:
    """The synthetic layer (made once per size and reused)."""
    sys.path.insert(0, str(ROOT / "data"))
    from build_survey_fixture import generate as make_layer
    from build_survey_fixture import write

    name = f"sandiao_{patches}"
    path = OUT / f"{name}.shp"
    if not path.exists():
        start = time.perf_counter()
        frame = make_layer(bbox=None, patches=patches)
        write(frame, OUT, name)
        print(f"generated {len(frame):,} patches in {time.perf_counter() - start:.1f} s")
    return path


def measure_import(path: Path, out: Path) -> dict:
    """The import in this process: time and peak memory."""
    from region.survey import import_survey, write_import

    start = time.perf_counter()
    result = import_survey(path)
    imported = time.perf_counter() - start
    write_import(result, out, path)
    return {"patches": result.report["patches_read"],
            "parcels": result.report["parcels_written"],
            "import_s": round(imported, 1),
            "import_and_write_s": round(time.perf_counter() - start, 1),
            "peak_mb": round(peak_mb())}


def measure_plan(parcels: Path) -> dict:
    """The baseline scenario on the imported parcels, as solve.py run does it, with the
    100,000-parcel benchmark's limits (600 s, 1 % gap) instead of the baseline's 45 s."""
    from cli.options import SHIPPED_ACTIONS, SHIPPED_PROJECTS
    from cli.region_paths import region_paths
    from pipeline.run import run_scenario
    from region.io import DEFAULT_SCENARIO, load_region
    from region.overrides import Overrides, load_scenario_with_overrides

    start = time.perf_counter()
    region = load_region(region_paths(parcels, SHIPPED_ACTIONS, SHIPPED_PROJECTS))
    scenario = load_scenario_with_overrides(DEFAULT_SCENARIO,
                                            Overrides(time_limit_s=600.0, gap=0.01))
    outcome = run_scenario(region, scenario, OUT / "plan")
    result = outcome.plan.result
    return {"end_to_end_s": round(time.perf_counter() - start, 1),
            "stages_s": outcome.timings_s, "status": result.status,
            "objective": result.objective, "bound": result.bound, "gap": result.gap,
            "options_chosen": len(outcome.plan.chosen), "peak_mb": round(peak_mb())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patches", type=int, default=100_000)
    parser.add_argument("--plan", action="store_true", help="also run the baseline on it")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-plan", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_import(args.measure, OUT / "parcels.gpkg")))
        return
    if args.measure_plan:
        print(json.dumps(measure_plan(args.measure_plan), default=str))
        return

    path = generate(args.patches)
    record = {"import": _child(["--measure", str(path)])}
    if args.plan:
        record["plan"] = _child(["--measure-plan", str(OUT / "parcels.gpkg")])
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "survey_import.json").write_text(json.dumps(record, indent=2) + "\n")
    imp = record["import"]
    print("| patches | parcels | import | import + write | peak memory |")
    print("|---|---|---|---|---|")
    print(f"| {imp['patches']:,} | {imp['parcels']:,} | {imp['import_s']} s | "
          f"{imp['import_and_write_s']} s | {imp['peak_mb'] / 1024:.2f} GB |")
    if args.plan:
        print(json.dumps(record["plan"], indent=2))


def _child(arguments: list[str]) -> dict:
    """Run this script in a fresh process (its own peak memory) and read its JSON line."""
    done = subprocess.run([sys.executable, __file__, *arguments], capture_output=True,
                          text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
