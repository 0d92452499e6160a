"""Sensitivity indices from the runs: OAT effects, Morris μ*/σ, Sobol S1/ST (SALib),
Spearman rank correlations for Monte Carlo."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from scipy.stats import spearmanr

from sensitivity.sampling import Factor, salib_problem


def output_columns(runs: pd.DataFrame) -> list[str]:
    """The outputs analysed: the plan's value at the base weights and estimates, the run's
    own objective, benefit per criterion, area per zone, similarity to the base plan."""
    keep = ("value_at_base", "objective", "jaccard")
    return [c for c in runs.columns if c in keep or c.startswith(("benefit_", "area_zone_"))]


def _matrix(runs: pd.DataFrame, design: list[Factor]) -> np.ndarray:
    return runs.sort_values("run_id")[[f"x:{f.name}" for f in design]].to_numpy(float)


def _filled(runs: pd.DataFrame, column: str, base: float) -> np.ndarray:
    """An output over all runs in run order; failed runs take the base value (flagged in
    the report) because SALib's estimators need every sample."""
    return runs.sort_values("run_id")[column].fillna(base).to_numpy(float)


def oat_effects(runs: pd.DataFrame, design: list[Factor], base: dict) -> pd.DataFrame:
    """Relative change of each output when one factor moves down or up, the rest at 1."""
    rows = []
    x = _matrix(runs, design)
    ordered = runs.sort_values("run_id")
    for k, factor in enumerate(design):
        moved = np.flatnonzero(~np.isclose(x[:, k], 1.0))
        for i in moved:
            row = {"factor": factor.name, "multiplier": x[i, k]}
            for column in output_columns(runs):
                value = ordered[column].iloc[i]
                ref = base.get(column)
                row[column] = (np.nan if ref in (None, 0) or pd.isna(value)
                               else (value - ref) / abs(ref))
            rows.append(row)
    return pd.DataFrame(rows)


def morris_indices(runs: pd.DataFrame, design: list[Factor], base: dict) -> pd.DataFrame:
    """μ* (mean absolute elementary effect), σ and μ*'s confidence interval per output.

    One trajectory gives one elementary effect per factor: μ* is that effect, σ and the
    interval are not defined (NaN), not SALib's 0 (a bootstrap of one value) and warnings."""
    problem = salib_problem(design)
    x = _matrix(runs, design)
    one_trajectory = len(x) <= len(design) + 1
    frames = []
    for column in output_columns(runs):
        y = _filled(runs, column, base.get(column, np.nan))
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            if one_trajectory:
                warnings.simplefilter("ignore", RuntimeWarning)
            result = morris_analyze.analyze(problem, x, y, seed=0)
        undefined = np.full(len(design), np.nan)
        frames.append(pd.DataFrame({
            "output": column, "factor": problem["names"], "mu_star": result["mu_star"],
            "sigma": undefined if one_trajectory else result["sigma"],
            "mu_star_conf": undefined if one_trajectory else result["mu_star_conf"]}))
    return pd.concat(frames, ignore_index=True)


def sobol_indices(runs: pd.DataFrame, design: list[Factor], base: dict) -> pd.DataFrame:
    """First-order and total Sobol indices with their 95 % confidence intervals."""
    problem = salib_problem(design)
    frames = []
    for column in output_columns(runs):
        y = _filled(runs, column, base.get(column, np.nan))
        result = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=0)
        frames.append(pd.DataFrame({"output": column, "factor": problem["names"],
                                    "S1": result["S1"], "S1_conf": result["S1_conf"],
                                    "ST": result["ST"], "ST_conf": result["ST_conf"]}))
    return pd.concat(frames, ignore_index=True)


def rank_correlations(runs: pd.DataFrame, design: list[Factor]) -> pd.DataFrame:
    """Spearman's rho between each factor and each output over the solved Monte Carlo runs
    (failed runs left out: no estimator here needs a complete design)."""
    solved = runs[runs["objective"].notna()] if "objective" in runs else runs.iloc[:0]
    rows = []
    for column in output_columns(solved):
        for factor in design:
            x, y = solved[f"x:{factor.name}"], solved[column]
            constant = len(solved) < 3 or x.nunique() < 2 or y.nunique() < 2
            rows.append({"output": column, "factor": factor.name,
                         "spearman": np.nan if constant else float(spearmanr(x, y).statistic)})
    return pd.DataFrame(rows, columns=["output", "factor", "spearman"])
