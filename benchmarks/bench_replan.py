"""The yearly cycle on the shipped baseline: how much of the plan a re-plan keeps.

    .venv/bin/python benchmarks/bench_replan.py

Solves the baseline (2027-2035), then reports 2027 with five works failed or cancelled
(chosen with a fixed seed, a mine remediation and a sand barrier among them when 2027 has
them, since targets count those) and every other 2027 work done, and re-plans from 2028:
by default (change only what the facts require), with penalties, and by default with
20 % less money in 2028 and 2029 (changed limits ahead). For each re-plan it
counts the previous plan's 2029-2035 works kept where they were (same parcel, action and
start year; issue 17 asks ≥ 70 %). Writes benchmarks/out/replan.json and prints a Markdown
table for benchmarks/results.md. Times on a shared machine are not benchmark figures.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pipeline.replan import replan  # noqa: E402
from pipeline.replan_previous import previous_scenario, read_previous  # noqa: E402
from pipeline.run import run_scenario  # noqa: E402
from region.io import DEFAULT_SCENARIO, load_region  # noqa: E402
from region.scenario_problems import scenario_from_dict  # noqa: E402
from region.scenario_toml import load_scenario  # noqa: E402

KEY = ["parcel_id", "action", "start_year"]


def progress_2027(plan: pd.DataFrame, seed: int = 17) -> pd.DataFrame:
    """Every 2027 work done but five: three failed, two cancelled."""
    works = plan.loc[plan["start_year"] == 2027, KEY].reset_index(drop=True)
    works["status"] = "done"
    rng = np.random.default_rng(seed)
    first = [int(rng.choice(works.index[works["action"] == a]))
             for a in ("mine_remediation", "sand_barrier") if (works["action"] == a).any()]
    rest = [i for i in rng.permutation(works.index) if i not in first][:5 - len(first)]
    picked = first + rest
    works.loc[picked[:3], "status"] = "failed"
    works.loc[picked[3:5], "status"] = "cancelled"
    return works


def kept_share(previous: pd.DataFrame, new: pd.DataFrame) -> tuple[int, int]:
    """(kept, of): the previous plan's 2029-2035 works at the same parcel, action, year."""
    ahead = previous[previous["start_year"] >= 2029][KEY]
    now = set(map(tuple, new[KEY].to_numpy()))
    return sum(tuple(w) in now for w in ahead.to_numpy()), len(ahead)


def main() -> None:
    out = HERE / "out" / "replan"
    region = load_region()
    clock = time.perf_counter()
    base = run_scenario(region, load_scenario(DEFAULT_SCENARIO), out / "baseline")
    base_s = time.perf_counter() - clock
    progress = progress_2027(base.plan.chosen)
    progress.to_csv(out / "progress-2027.csv", index=False)
    figures = {"baseline": {"objective": base.plan.result.objective,
                            "gap": base.plan.result.gap, "time_s": round(base_s, 1),
                            "works": len(base.plan.chosen)},
               "reported": progress[progress["status"] != "done"].to_dict(orient="records")}
    raw = previous_scenario(read_previous(out / "baseline")).model_dump(mode="json",
                                                                        exclude_none=True)
    penalised = {**raw, "replan": {"move_penalty": 0.0005, "drop_penalty": 0.001}}
    cut = {**raw, "budget": {**raw["budget"], "per_year": {"2028": 16000.0, "2029": 16000.0}}}
    for folder, name, scenario in (
            ("replan-default", "fewest changes (default)", None),
            ("replan-penalties", "penalties 0.05 % / 0.1 % per move / drop",
             scenario_from_dict(penalised)),
            ("replan-budget-cut", "fewest changes, 2028-2029 budget 16,000 万元 (−20 %)",
             scenario_from_dict(cut))):
        clock = time.perf_counter()
        outcome = replan(region, out / "baseline", out / "progress-2027.csv", 2028, scenario,
                         out_dir=out / folder)
        kept, of = kept_share(base.plan.chosen, outcome.run.plan.chosen)
        result = outcome.run.plan.result
        figures[name] = {"kept_2029_2035": kept, "of": of, "share": kept / of,
                         "changes": outcome.changes["change"].value_counts().to_dict(),
                         "stability": outcome.record.get("stability"),
                         "objective": result.objective, "gap": result.gap,
                         "time_s": round(time.perf_counter() - clock, 1)}
    (HERE / "out" / "replan.json").write_text(json.dumps(figures, indent=2, default=str) + "\n",
                                              encoding="utf-8")
    print("| re-plan from 2028 | 2029-2035 works kept where they were | changes | "
          "objective | gap |")
    print("|---|---|---|---|---|")
    for name, row in figures.items():
        if name in ("baseline", "reported"):
            continue
        print(f"| {name} | {row['kept_2029_2035']} of {row['of']} ({row['share']:.1%}) | "
              f"{row['changes']} | {row['objective']:.5g} | {row['gap']:.3%} |")


if __name__ == "__main__":
    main()
