"""Which parcels get which action in which year: the integer programme, its solvers, the plan."""

from optimizer.compiled import CompiledModel, RowFamily, SolveResult
from optimizer.formulation import compile_problem
from optimizer.objectives import benefit_cost_front, criteria_front, min_cost_model
from optimizer.plan import Plan, build_plan
from optimizer.presolve import InfeasibleScenarioError
from optimizer.problem import Problem, build_problem
from optimizer.solvers import SolverUnavailableError, solve

__all__ = ["CompiledModel", "InfeasibleScenarioError", "Plan", "Problem", "RowFamily",
           "SolveResult", "SolverUnavailableError", "benefit_cost_front", "build_plan",
           "build_problem", "compile_problem", "criteria_front", "min_cost_model", "solve"]
