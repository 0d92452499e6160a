"""Marxan-style outputs: best.csv, mvbest.csv, the summed solution and a JSON summary.

Written as Marxan writes them (UTF-8, no byte-order mark), so a tool that reads Marxan's
outputs reads ours byte for byte alike; but an mvbest.csv whose feature names are not all
ASCII (Chinese names) starts with the UTF-8 byte-order mark, as the run's CSVs do: Excel
on Chinese Windows reads a CSV without it as GBK and garbles the names, while the readers
of such files (pandas, R's readr, Python's ``utf-8-sig``) skip the mark. Marxan itself
never reads its outputs back; its other files (best.csv, ssoln.csv, solutions.csv) hold
numbers only and keep Marxan's bytes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from optimizer.marxan.problem import MarxanProblem
from optimizer.marxan.score import held
from storage import CSV_FLOATS

MVBEST_COLUMNS = ("Conservation Feature", "Feature Name", "Target", "Amount Held",
                  "Occurrence Target", "Occurrences Held", "Separation Target",
                  "Separation Achieved", "Target Met", "MPM")


def best_table(problem: MarxanProblem, x: NDArray[np.float64]) -> pd.DataFrame:
    """``PUID,SOLUTION`` as Marxan writes its best solution."""
    return pd.DataFrame({"PUID": problem.pu_ids, "SOLUTION": np.round(x).astype(int)})


def mvbest_table(problem: MarxanProblem, x: NDArray[np.float64]) -> pd.DataFrame:
    """Marxan's missing-values table. A target is met when held ≥ MISSLEVEL · target; MPM is
    held / target capped at 1 (1 where the target is 0). Occurrence and separation targets
    are not modelled and are written as 0."""
    amounts = held(problem, x)
    targets = problem.targets
    occurrences = np.asarray((problem.amounts > 0).T @ (x > 0.5)).ravel().astype(int)
    zeros = np.zeros(problem.n_features, int)
    mpm = np.where(targets > 0, np.minimum(amounts / np.where(targets > 0, targets, 1), 1), 1)
    met = amounts >= problem.misslevel * targets * (1 - 1e-9)
    return pd.DataFrame(dict(zip(MVBEST_COLUMNS, (
        problem.feature_ids, list(problem.feature_names), targets, amounts, zeros, occurrences,
        zeros, zeros, np.where(met, "yes", "no"), mpm), strict=True)))


def write_outputs(out_dir: Path, problem: MarxanProblem, x: NDArray[np.float64],
                  summary: dict, frequency: NDArray[np.float64] | None = None,
                  solutions: list[NDArray[np.float64]] | None = None) -> None:
    """Write best.csv, mvbest.csv, summary.json and, for portfolios, ssoln.csv (summed
    solution: times selected and frequency per unit) and solutions.csv (one column each)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    best_table(problem, x).to_csv(out_dir / "best.csv", index=False, float_format=CSV_FLOATS)
    named_in_ascii = all(str(name).isascii() for name in problem.feature_names)
    mvbest_table(problem, x).to_csv(out_dir / "mvbest.csv", index=False,
                                   float_format=CSV_FLOATS,
                                   encoding="utf-8" if named_in_ascii else "utf-8-sig")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=float),
                                          encoding="utf-8")
    if frequency is not None and solutions:
        pd.DataFrame({"PUID": problem.pu_ids,
                      "NUMBER": np.round(frequency * len(solutions)).astype(int),
                      "FREQUENCY": frequency}).to_csv(out_dir / "ssoln.csv", index=False,
                                                       float_format=CSV_FLOATS)
        matrix = pd.DataFrame({f"S{k + 1}": np.round(s).astype(int)
                               for k, s in enumerate(solutions)})
        matrix.insert(0, "PUID", problem.pu_ids)
        matrix.to_csv(out_dir / "solutions.csv", index=False, float_format=CSV_FLOATS)
