"""Marxan-format problems: read, solve exactly or by large-neighbourhood search, score and
write as Marxan does (best.csv, mvbest.csv), portfolios and replacement importance."""

from optimizer.marxan.formulation import compile_max_coverage, compile_minset, selection
from optimizer.marxan.heuristics import anneal, greedy, repair
from optimizer.marxan.importance import replacement_importance
from optimizer.marxan.lagrangian import LagrangianResult, lagrangian_bound
from optimizer.marxan.lns import LnsResult, lns
from optimizer.marxan.minset import (
    MarxanSolution,
    solve_max_coverage,
    solve_minset,
)
from optimizer.marxan.outputs import best_table, mvbest_table, write_outputs
from optimizer.marxan.portfolio import portfolio, selection_frequency
from optimizer.marxan.problem import MarxanInfeasibleError, MarxanProblem
from optimizer.marxan.reader import read_marxan
from optimizer.marxan.runner import MarxanRunResult, run_marxan
from optimizer.marxan.score import feature_penalties, marxan_score, penalty_objective

__all__ = ["LagrangianResult", "LnsResult", "MarxanInfeasibleError", "MarxanProblem",
           "MarxanRunResult", "MarxanSolution", "anneal", "best_table", "compile_max_coverage",
           "compile_minset", "feature_penalties", "greedy", "lagrangian_bound", "lns",
           "marxan_score", "mvbest_table", "penalty_objective", "portfolio", "read_marxan",
           "repair", "replacement_importance", "run_marxan", "selection", "selection_frequency",
           "solve_max_coverage", "solve_minset", "write_outputs"]
