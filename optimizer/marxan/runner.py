"""One call for the CLI: read a Marxan problem, solve it, write Marxan-style outputs
atomically (into a temporary folder beside ``out_dir``, renamed into place at the end)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from optimizer.marxan.formulation import compile_max_coverage, compile_minset
from optimizer.marxan.minset import MarxanSolution, solve_max_coverage, solve_minset
from optimizer.marxan.outputs import mvbest_table, write_outputs
from optimizer.marxan.portfolio import portfolio, selection_frequency
from optimizer.marxan.problem import MarxanProblem
from optimizer.marxan.reader import read_marxan
from optimizer.marxan.score import marxan_score
from optimizer.solvers import prestart, time_box, time_left
from optimizer.solvers.export import write_model
from storage import write_atomically


@dataclass(frozen=True)
class MarxanRunResult:
    """What a run produced and where it was written."""

    out_dir: Path
    problem: MarxanProblem
    best: MarxanSolution
    solutions: tuple[MarxanSolution, ...]
    frequency: NDArray[np.float64]
    summary: dict


def run_marxan(path: str | Path, out_dir: str | Path, *, blm: float | None = None,
               prop: float | None = None, spf: float | None = None,
               objective: Literal["minset", "max_coverage"] = "minset", budget: float | None = None,
               solutions: int = 1, time_limit_s: float = 60.0, gap: float = 1e-3,
               seed: int = 0, export_path: str | Path | None = None) -> MarxanRunResult:
    """Read ``path`` (input.dat or its folder), solve, write best.csv, mvbest.csv,
    summary.json (and ssoln.csv, solutions.csv when ``solutions > 1``) into ``out_dir``.

    ``objective="max_coverage"`` needs ``budget``. Overrides replace input.dat's BLM and every
    feature's prop / SPF. ``export_path`` (.lp or .mps) also gets the whole integer
    programme, for other solvers.
    """
    prestart()  # the HiGHS process starts while the files are read
    problem = read_marxan(path).with_overrides(blm=blm, prop=prop, spf=spf)
    if objective == "max_coverage" and budget is None:
        raise ValueError("objective 'max_coverage' needs a budget (total cost limit)")
    if export_path is not None:
        write_model(compile_max_coverage(problem, budget) if objective == "max_coverage"
                    else compile_minset(problem), export_path)
    with time_box(time_limit_s):
        if objective == "max_coverage":
            found = [solve_max_coverage(problem, budget, time_limit_s=time_limit_s, gap=gap,
                                        seed=seed)]
        else:
            found = portfolio(problem, max(solutions, 1), time_limit_s=time_limit_s,
                              gap=gap, seed=seed) if solutions > 1 else []
            if not found:
                found = [solve_minset(problem, time_limit_s=max(time_left(time_limit_s), 0.0),
                                      gap=gap, seed=seed)]
    best = found[0]
    frequency = selection_frequency(found)
    score = marxan_score(problem, best.x)
    met = mvbest_table(problem, best.x)["Target Met"].eq("yes")
    summary = {"problem": problem.name, "objective_kind": objective,
               "objective": best.objective, "bound": best.bound, "gap": best.gap,
               "status": best.status, "method": best.method, "time_s": best.time_s,
               "marxan_score": score, "blm": problem.blm, "units_selected": int(best.x.sum()),
               "targets_met": int(met.sum()), "features": problem.n_features,
               "notes": list(problem.notes),
               "solutions": [{"objective": s.objective, "bound": s.bound, "gap": s.gap,
                              "status": s.status} for s in found]}
    out_dir = write_atomically(Path(out_dir), lambda folder: write_outputs(
        folder, problem, best.x, summary, frequency if len(found) > 1 else None,
        [s.x for s in found]))
    return MarxanRunResult(out_dir, problem, best, tuple(found), frequency, summary)
