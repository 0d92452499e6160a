"""Checks before solving: what makes a scenario certainly infeasible, said in planner terms."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np

from optimizer.compiled import CompiledModel
from optimizer.formulation import target_members
from optimizer.problem import Problem


class InfeasibleScenarioError(RuntimeError):
    """The scenario cannot be met; ``lines`` say which rules conflict, with the numbers."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = list(lines)
        body = "\n".join(f"  - {line}" for line in self.lines)
        super().__init__(f"the scenario cannot be met:\n{body}")


def check(problem: Problem, model: CompiledModel | None = None) -> list[str]:
    """Raise InfeasibleScenarioError for certain infeasibility; return warnings' texts."""
    frame = problem.option_frame()
    errors: list[str] = []
    for target in problem.scenario.targets:
        members = target_members(frame, target)
        members = members[~problem.locked_out[members]]
        per_pair = (frame["area_km2"].to_numpy(float)[members] if target.measure == "area_km2"
                    else np.ones(len(members)))
        # each pair counts once whatever its start year
        best = {}
        for pair, amount in zip(problem.option_pair[members], per_pair, strict=True):
            best[pair] = max(best.get(pair, 0.0), amount)
        reachable = sum(best.values())
        if reachable < target.minimum - 1e-9:
            unit = "km²" if target.measure == "area_km2" else "options"
            errors.append(f"target '{target.name}' needs ≥ {target.minimum:g} {unit} by "
                          f"{target.by_year}, but all matching options together give only "
                          f"{reachable:g} {unit}")
    budget = problem.scenario.budget.for_years(list(problem.years))
    limits = np.array([budget[y] for y in problem.years])
    for label, members in problem.locked_in:
        allowed = members[~problem.locked_out[members]]
        if len(allowed) == 0:
            errors.append(f"mandatory option {label} has no allowed option (locked out, or "
                          f"the rule matches nothing)")
            continue
        if problem.scenario.budget.carry_over:
            continue
        over = (problem.cost[allowed].toarray() - limits[None, :]).max(axis=1)
        if over.min() > 0:
            option = allowed[int(np.argmin(over))]
            year = problem.years[int(np.argmax(problem.cost[option].toarray()))]
            errors.append(f"mandatory option {label} costs {problem.cost[option].max():,.0f} "
                          f"万元 in {year} but that year's budget is {budget[year]:,.0f} 万元")
    errors += _mandatory_water(problem)
    graph = nx.DiGraph((r.before, r.after) for r in problem.scenario.precedence)
    try:
        cycle = nx.find_cycle(graph)
        errors.append("precedence rules form a cycle: "
                      + " → ".join(a for a, _ in cycle) + f" → {cycle[0][0]}")
    except nx.NetworkXNoCycle:
        pass
    if errors:
        raise InfeasibleScenarioError(errors)
    return _coefficient_notes(model)


def _mandatory_water(problem: Problem) -> list[str]:
    """Mandatory options whose water alone exceeds a year's limit even if every water-saving
    option were chosen (an over-estimate of the water that can be freed: only certain
    conflicts are reported)."""
    water = problem.scenario.water.for_years(list(problem.years))
    limits = np.array([water[y] for y in problem.years])
    freed = -np.asarray(problem.water.minimum(0).sum(axis=0)).ravel()
    errors = []
    for label, members in problem.locked_in:
        allowed = members[~problem.locked_out[members]]
        if len(allowed) == 0:
            continue
        excess = problem.water[allowed].toarray() - (limits + freed)[None, :]
        if excess.max(axis=1).min() > 1e-9:
            best = int(np.argmin(excess.max(axis=1)))
            k = int(np.argmax(excess[best]))
            need = problem.water[allowed[best]].toarray().ravel()[k]
            errors.append(f"{problem.years[k]} water: mandatory option {label} needs "
                          f"{need:,.0f} 万m³ but the limit is {limits[k]:,.0f} 万m³ (with at "
                          f"most {freed[k]:,.0f} 万m³ freed by water saving)")
    return errors


def _coefficient_notes(model: CompiledModel | None) -> list[str]:
    """A warning when the matrix coefficients span an absurd range (units mixed up)."""
    notes = []
    if model is not None and model.A.nnz:
        magnitude = np.abs(model.A.data[model.A.data != 0])
        ratio = magnitude.max() / magnitude.min()
        if ratio > 1e9:
            notes.append(f"matrix coefficients span {ratio:.1e}: check units (万元, 万m³, km²)")
            warnings.warn(notes[-1], stacklevel=2)
    return notes
