"""A sensitivity analysis end to end: base plan, samples, parallel runs, indices, report."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from criteria.weights import resolve_weights
from optimizer.problem import build_problem
from outputs.priorities_csv import write_csv
from outputs.workbook import Column
from pipeline.run import prepare, run_scenario, standard_formulation
from region.files import sha256_of_inputs
from region.io import Region
from region.scenario import Scenario
from region.scenario_run_settings import SensitivitySettings
from sensitivity import sampling as designs
from sensitivity.base_plan import (
    folder_plan,
    folder_solution,
    plan_counts,
    read_folder,
    why_not_same_inputs,
)
from sensitivity.indices import morris_indices, oat_effects, rank_correlations, sobol_indices
from sensitivity.names import factor_label, field_name
from sensitivity.report import write_sensitivity_report
from sensitivity.robustness import selection_frequency, stability
from sensitivity.runner import Context, describe, plan_items, read_runs, run_all
from sensitivity.status import SOLVED, reliability, run_words, status_counts, unmoved
from storage import sibling_stem, write_atomically


@dataclass(frozen=True)
class SensitivityResult:
    """The runs, the indices and where they were written; ``partial`` after an interrupt."""

    runs: pd.DataFrame
    indices: pd.DataFrame
    frequency: pd.DataFrame
    stability: pd.DataFrame
    base: dict
    partial: bool
    out_dir: Path | None
    method: str = ""
    samples: int = 0  # --samples: Morris trajectories, Sobol base samples, draws
    gap: float = 0.0  # each sample's asked gap ([sensitivity] gap)
    factors: int = 0
    folder_plan: dict | None = None  # the plan of the result folder written into (base_plan.py)

    def status_words(self) -> tuple[str, str]:
        """How the runs were solved, in Chinese and English (sensitivity/status.py)."""
        return status_counts(self.runs, self.gap)

    def warning(self) -> tuple[str, str] | None:
        """Why the indices are not reliable (too few samples, samples whose solves never
        left the base plan), in Chinese and English, or None."""
        said = [w for w in (reliability(self.method, self.samples, self.factors,
                                        self.indices), unmoved(self.runs)) if w is not None]
        if not said:
            return None
        return "".join(zh for zh, _ in said), " ".join(en for _, en in said)


def sample_matrix(method: str, factors: list[designs.Factor], samples: int, seed: int,
                  weights: dict[str, float], settings: SensitivitySettings) -> np.ndarray:
    """The design's multipliers, one row per run (same seed, same rows)."""
    if method == "morris":
        return designs.morris_samples(factors, samples, seed, settings.morris_levels)
    if method == "sobol":
        return designs.sobol_samples(factors, samples, seed)
    if method == "oat":
        return designs.oat_samples(factors)
    if method == "montecarlo":
        return designs.montecarlo_samples(factors, weights, samples, settings, seed)
    raise ValueError(f"--method must be morris, sobol, oat or montecarlo, not {method!r}")


def _indices(method: str, runs: pd.DataFrame, factors: list[designs.Factor],
             base: dict) -> pd.DataFrame:
    if method == "morris":
        return morris_indices(runs, factors, base)
    if method == "sobol":
        return sobol_indices(runs, factors, base)
    if method == "oat":
        return oat_effects(runs, factors, base)
    return rank_correlations(runs, factors)


def base_context(region: Region, scenario: Scenario, settings: SensitivitySettings,
                 out_dir: Path | None = None) -> tuple[Context, dict, dict | None]:
    """Prepare the inputs once and take the base plan: the plan of the result folder
    ``out_dir`` lies in when it was solved from the same inputs (sensitivity/base_plan.py),
    else a fresh solve as ``solve.py run`` does (greedy and LP-based warm starts, the
    scenario's own time limit and gap). The context every sample is solved in, the base
    plan's record and what analysis.json says of the folder's plan (None: no folder plan)."""
    clock = time.perf_counter()
    prepared = prepare(region, scenario)
    corridors = tuple(prepared.corridors.corridors) if prepared.corridors else ()
    held = read_folder(out_dir)
    why_not = [] if held is None else why_not_same_inputs(
        held, sha256_of_inputs(region.paths.files()), scenario)
    x = None
    if held is not None and not why_not:
        problem = build_problem(prepared.options, region.actions, scenario,
                                resolve_weights(scenario.weights), corridors)
        model = standard_formulation(problem).model
        x, why_not = folder_solution(held, problem, model, scenario.solver.threads)
    if x is not None:
        recorded = held.manifest
        base = {"run_id": -1, "status": recorded.get("status"),
                "objective": recorded.get("objective"), "gap": recorded.get("gap"),
                "time_s": round(time.perf_counter() - clock, 2)}
    else:
        outcome = run_scenario(region, scenario, None, prepared=prepared)
        result, problem, x = outcome.plan.result, outcome.problem, outcome.plan.result.x
        base = {"run_id": -1, "status": result.status, "objective": result.objective,
                "gap": result.gap, "time_s": round(result.time_s, 2)}
    base.update(describe(problem, x, frozenset(), None))
    base["jaccard"] = 1.0
    base_parcels = frozenset(int(item.split(":")[0]) for item in base["chosen"].split())
    noise = (settings.cost_range, settings.benefit_range) if settings.per == "parcel" else None
    context = Context(scenario, prepared.options, region.actions, problem.weights, corridors,
                      x, base_parcels, settings.time_limit_s, settings.gap, noise,
                      problem.value, plan_items(problem, x))
    base["same_plan"] = True
    return context, base, folder_plan(held, context.base_plan, not why_not, why_not)


def run_sensitivity(region: Region, scenario: Scenario, settings: SensitivitySettings,
                    out_dir: Path | None, method: str | None = None, samples: int | None = None,
                    workers: int = 2, scheduler: str | None = None, resume: bool = False,
                    progress: Callable[[dict], None] | None = None,
                    on_total: Callable[[int], None] | None = None) -> SensitivityResult:
    """Solve the base plan, then one warm-started solve per sample (``workers`` local
    processes, or the Dask cluster at ``scheduler``); indices, robustness and, when
    ``out_dir`` is given, runs.csv, indices.csv, frequency.gpkg and report.html. Finished
    runs are kept in a work folder beside ``out_dir`` until the analysis completes: after an
    interrupt the result is marked partial and ``resume=True`` continues."""
    if resume and not _interrupted(out_dir):
        where = f" at {out_dir}" if out_dir is not None else ""
        warnings.warn(f"--resume: no interrupted analysis to continue{where}; starting a "
                      "fresh one", stacklevel=2)
    method = method or settings.method
    count = samples or settings.samples
    # what ran, for analysis.json: the command line's --method and --samples, if given
    settings = settings.model_copy(update={"method": method, "samples": count})
    context, base, in_folder = base_context(region, scenario, settings, out_dir)
    weights = context.weights
    factors = designs.factors(settings, weights, sorted(region.actions["code"]))
    matrix = sample_matrix(method, factors, count, scenario.seed, weights, settings)
    sample_dicts = [dict(zip([f.name for f in factors], row, strict=True)) for row in matrix]
    work = _work_folder(out_dir, [method, scenario.seed, settings.model_dump_json(),
                                  scenario.model_dump_json()], matrix)
    done = {r["run_id"] for r in read_runs(work / "runs.jsonl")} if resume else set()
    if resume and not done and _interrupted(out_dir):
        warnings.warn(f"--resume: the interrupted analysis at {out_dir} is of another design "
                      "(method, samples, seed, [sensitivity] settings or scenario differ); "
                      "starting a fresh one, its finished runs are kept for a --resume of "
                      "that design", stacklevel=2)
    if on_total is not None:
        on_total(len(sample_dicts) - len(done))
    if not resume:
        (work / "runs.jsonl").unlink(missing_ok=True)
    partial = False
    try:
        run_all(context, sample_dicts, work / "runs.jsonl", workers, scheduler, done, progress)
    except KeyboardInterrupt:
        partial = True
    runs = pd.DataFrame(read_runs(work / "runs.jsonl"))
    runs = (runs.sort_values("run_id", ignore_index=True) if not runs.empty
            else pd.DataFrame(columns=["run_id", "status", "objective", "chosen"]))
    partial = partial or len(runs) < len(sample_dicts)
    # Morris and Sobol estimators need the complete design; OAT and Monte Carlo do not.
    indices = (pd.DataFrame() if (partial and method in ("morris", "sobol")) or runs.empty
               else _indices(method, runs, factors, base))
    frequency = selection_frequency(runs, settings.robust_share)
    stable = stability(runs, base)
    result = SensitivityResult(runs, indices, frequency, stable, base, partial, out_dir,
                               method, count, settings.gap, len(factors), in_folder)
    if out_dir is not None:
        _write(out_dir, result, region, method, factors, settings)
    if not partial or out_dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _interrupted(out_dir: Path | None) -> list[Path]:
    """The work folders beside ``out_dir`` holding finished runs of an interrupted analysis
    (of any design)."""
    if out_dir is None or not out_dir.parent.is_dir():
        return []
    prefix = f".{sibling_stem(out_dir.name)}.work-"
    return [folder for folder in out_dir.parent.iterdir()
            if folder.name.startswith(prefix) and read_runs(folder / "runs.jsonl")]


def _work_folder(out_dir: Path | None, key: list, matrix: np.ndarray) -> Path:
    """Where finished runs are kept until the analysis completes: one folder per design
    (method, seed, settings, scenario and samples), so --resume never mixes two designs."""
    digest = hashlib.sha256(json.dumps(key).encode() + np.ascontiguousarray(matrix).tobytes())
    if out_dir is None:
        return Path(tempfile.mkdtemp(prefix="sensitivity-"))
    folder = out_dir.parent / f".{sibling_stem(out_dir.name)}.work-{digest.hexdigest()[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(out_dir: Path, result: SensitivityResult, region: Region, method: str,
           factors: list[designs.Factor], settings: SensitivitySettings) -> None:
    """All result files, atomically (a half-written folder never replaces a finished one)."""
    warning = result.warning()

    def files(folder: Path) -> None:
        write_runs_csv(result, folder / "runs.csv")
        write_indices_csv(result, folder / "indices.csv")
        layer = region.parcels[["parcel_id", "zone", "county", "geometry"]].merge(
            result.frequency, on="parcel_id")
        gpd.GeoDataFrame(layer, crs=region.parcels.crs).to_file(
            folder / "frequency.gpkg", layer="selection_frequency", driver="GPKG")
        (folder / "analysis.json").write_text(json.dumps({
            "method": method, "factors": [f.__dict__ for f in factors],
            "runs": len(result.runs), "partial": result.partial,
            "failed": int((~result.runs["status"].isin(["optimal", "feasible"])).sum()),
            "solved": {"zh": result.status_words()[0], "en": result.status_words()[1]},
            "reliability": None if warning is None else {"zh": warning[0], "en": warning[1]},
            "base": {**{k: v for k, v in result.base.items() if k not in (
                "chosen", "first_year_order")},
                **dict(zip(("works", "parcels"), plan_counts(result.base.get("chosen", "")),
                           strict=True))},
            "folder_plan": result.folder_plan,
            "settings": settings.model_dump()}, indent=2, default=str),
            encoding="utf-8")
        write_sensitivity_report(folder / "report.html", result, region, method, factors,
                                 settings.robust_share)

    write_atomically(out_dir, files)


#: A CSV's 可靠 reliable cell.
RELIABLE = {True: "是 yes", False: "否 no"}


def _columns(fields: list[str]) -> list[Column]:
    """CSV columns of ``fields``, with single-line bilingual headers (sensitivity/names.py)."""
    return [Column(field, *field_name(field)) for field in fields]


def write_runs_csv(result: SensitivityResult, path: Path) -> None:
    """runs.csv as the run's lists are written (outputs/priorities_csv.py write_csv: UTF-8
    with BOM, bilingual headers): the status in words ("optimal" only where proven), the gap
    a number (empty where the solve has no bound), and 可靠 reliable = 否 no for a sample
    that failed or stopped short of the asked gap with the base plan unchanged (those
    sensitivity/status.py unmoved counts)."""
    runs = result.runs.drop(columns=["chosen", "first_year_order"], errors="ignore").copy()
    if "gap" in runs:
        gap = pd.to_numeric(runs["gap"], errors="coerce")
        runs["gap"] = gap.where(np.isfinite(gap))
    if "status" in runs:
        unchanged = (runs["status"] == "feasible") & runs.get(
            "same_plan", pd.Series(False, index=runs.index)).eq(True)
        solved = runs["status"].isin(SOLVED)
        runs["reliable"] = (solved & ~unchanged).map(RELIABLE)
        runs["status"] = [run_words(s, g) for s, g in zip(
            runs["status"], runs.get("gap", [None] * len(runs)), strict=True)]
    write_csv(runs, _columns(list(runs.columns)), path)


def write_indices_csv(result: SensitivityResult, path: Path) -> None:
    """indices.csv as the run's lists are written (UTF-8 with BOM, bilingual headers), each
    factor also by its bilingual name, and 可靠 reliable = 否 no on every row when the
    analysis's reliability check failed (the report then states no ranking)."""
    indices = result.indices.copy()
    if not indices.empty and "factor" in indices:
        position = list(indices.columns).index("factor") + 1
        indices.insert(position, "factor_name", indices["factor"].map(factor_label))
        indices["reliable"] = RELIABLE[result.warning() is None]
    write_csv(indices, _columns(list(indices.columns)), path)
