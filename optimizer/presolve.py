"""Checks before solving: what makes a scenario certainly infeasible, said in planner terms."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel
from optimizer.formulation import target_members
from optimizer.money_reach import money_shortfalls
from optimizer.objectives import EPSILON_FAMILY
from optimizer.problem import Problem, beyond, unaffordable
from optimizer.water_accounts import account_of_options, water_accounts
from region.scenario_requirements import Target


class InfeasibleScenarioError(RuntimeError):
    """The scenario cannot be met; ``lines`` say which rules conflict, with the numbers."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = list(lines)
        body = "\n".join(f"  - {line}" for line in self.lines)
        super().__init__(f"the scenario cannot be met:\n{body}")


class NonFiniteModelError(ValueError):
    """The model holds inf or nan: an input figure too large (or missing) got through."""


def check_finite(model: CompiledModel) -> None:
    """Raise NonFiniteModelError naming the rows (or the objective) that hold inf or nan,
    so that no plan is ever reported from numbers that are not numbers."""
    places = []
    if not np.isfinite(model.obj).all():
        places.append("the objective (benefit values)")
    rows = model.A.tocoo()
    bad = np.unique(rows.row[~np.isfinite(rows.data)])
    bad = np.union1d(bad, np.flatnonzero(np.isnan(model.row_lower) | np.isnan(model.row_upper)
                                         | (model.row_lower == np.inf)
                                         | (model.row_upper == -np.inf)))
    places += sorted({model.row_label(int(r)) for r in bad[:20]})
    if places:
        raise NonFiniteModelError(
            f"the model holds numbers that are not finite in {', '.join(places[:6])}: an "
            "input figure (a cost, water demand, area or benefit) is too large or missing; "
            "check the inputs those rows are built from")


def check(problem: Problem, model: CompiledModel | None = None) -> list[str]:
    """Raise InfeasibleScenarioError for certain infeasibility (NonFiniteModelError for
    numbers that are not numbers); return warnings' texts."""
    if model is not None:
        check_finite(model)
    frame = problem.option_frame()
    errors: list[str] = []
    said = set()  # the model's rows of requirements whose options or money are said already
    closed = unaffordable(problem)
    for target in problem.scenario.targets:
        shortfall = target_shortfall(target, frame, problem.option_pair, problem.locked_out) \
            or _unaffordable_target(problem, target, frame, closed)
        if shortfall:
            errors.append(shortfall)
            said.add(f"target[{target.name}]")
    for label, members in problem.locked_in:
        allowed = members[~problem.locked_out[members]]
        if len(allowed) == 0:
            errors.append(f"mandatory option {label} has no allowed option (locked out, or "
                          f"the rule matches nothing)")
            said.add(f"locked_in[{label}]")
            continue
        money = _mandatory_city_money(problem, label, allowed)
        errors += money
        said |= {f"locked_in[{label}]"} if money else set()
    if model is not None:  # the cheapest way to meet each against the horizon's money
        errors += money_shortfalls(model, skip=said)
    errors += _mandatory_water(problem)
    errors += _mandatory_county_money(problem)
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


def target_shortfall(target: Target, frame: pd.DataFrame, option_pair: NDArray[np.int64],
                     locked_out: NDArray[np.bool_]) -> str | None:
    """Why ``target`` cannot be met, or None: all options of ``frame`` (one row per option,
    with ``start_year``; option i is pair ``option_pair[i]``) that match its filters and are
    not ``locked_out`` give less than its minimum, each pair counted once. ``validate``
    runs it too (pipeline/target_reach.py), so both say the same."""
    reachable = target_reach(target, frame, option_pair, locked_out)
    if reachable >= target.minimum - 1e-9:
        return None
    unit = _target_unit(target)
    return (f"target '{target.name}' needs ≥ {target.minimum:g} {unit} by {target.by_year}, "
            f"but all matching options together give only {reachable:g} {unit}")


def target_reach(target: Target, frame: pd.DataFrame, option_pair: NDArray[np.int64],
                 excluded: NDArray[np.bool_]) -> float:
    """The most ``target``'s measure reaches with every matching option not ``excluded``,
    each pair counted once whatever its start year."""
    members = target_members(frame, target)
    members = members[~excluded[members]]
    per_pair = (frame["area_km2"].to_numpy(float)[members] if target.measure == "area_km2"
                else np.ones(len(members)))
    best: dict[int, float] = {}
    for pair, amount in zip(option_pair[members], per_pair, strict=True):
        best[pair] = max(best.get(pair, 0.0), amount)
    return float(sum(best.values()))


def _target_unit(target: Target) -> str:
    return "km²" if target.measure == "area_km2" else "options"


def _unaffordable_target(problem: Problem, target: Target, frame: pd.DataFrame,
                         closed: NDArray[np.bool_]) -> str | None:
    """Why ``target`` cannot be met when its options not locked out would meet it but too
    many of them each cost alone more than the money there is for them (``closed``,
    optimizer/problem.py :func:`unaffordable`: the model holds them at 0), or None: what
    the others reach, and the cheapest closed option's cost against the money (a stranger
    read "locked out, or each alone costs more than the money there is" with no figure)."""
    allowed = ~problem.locked_out
    reachable = target_reach(target, frame, problem.option_pair, ~allowed | closed)
    if reachable >= target.minimum - 1e-9:
        return None
    members = target_members(frame, target)
    members = members[allowed[members]]
    pair = problem.option_pair
    shut = np.setdiff1d(pair[members[closed[members]]], pair[members[~closed[members]]])
    dear = members[np.isin(pair[members], shut)]
    unit = _target_unit(target)
    return (f"target[{target.name}]: at most {reachable:g} {unit} is reachable by "
            f"{target.by_year}, but {target.minimum:g} is required: {len(shut):,} of the "
            "works it counts (a parcel and an action) each cost alone more than the money "
            "there is for them in every year they could start; "
            f"{_money_beyond(problem, dear, 'the cheapest')}")


def _money_beyond(problem: Problem, options: NDArray[np.int64], which: str) -> str:
    """How the option of ``options`` that costs least over the horizon exceeds the city's
    money: in a year, or with carry-over by a year (:func:`_beyond_a_year`), or over the
    horizon (``budget.total``); else its county's own money (``budget.per_county``) is
    what closes it. ``which`` names the option in the sentence ("the cheapest")."""
    budget = problem.scenario.budget
    cost = problem.money[options].toarray()
    cheapest = cost[int(np.argmin(cost.sum(axis=1)))]
    total = float(cheapest.sum())
    said = _beyond_a_year(problem, cheapest, which)
    if said:
        return said
    if budget.total is not None and total > budget.total + 1e-9:
        return (f"{which} costs {total:,.0f} 万元 but the horizon's total budget is "
                f"{budget.total:,.0f} 万元")
    return f"{which} costs {total:,.0f} 万元, more than its county's own money (budget.per_county)"


def _beyond_a_year(problem: Problem, cost: NDArray[np.float64], which: str) -> str | None:
    """"{which} costs X 万元 in 2028 but that year's budget is Y 万元" (with carry-over: by
    a year, against the budget up to it, all carried over) for the year an option's
    instalments ``cost`` (万元 per horizon year) exceed the city's money most; None when
    they exceed it in no year."""
    budget = problem.scenario.budget
    spent = np.asarray(cost, dtype=float)
    money = np.array(list(budget.for_years(list(problem.years)).values()))
    if budget.carry_over:
        spent, money = np.cumsum(spent), np.cumsum(money)
    k = int(np.argmax(spent - money))
    if spent[k] <= money[k] + 1e-9:
        return None
    year = problem.years[k]
    if budget.carry_over:
        return (f"{which} costs {spent[k]:,.0f} 万元 by {year} but the budget up to {year}, "
                f"all carried over, is {money[k]:,.0f} 万元")
    return f"{which} costs {spent[k]:,.0f} 万元 in {year} but that year's budget is " \
        f"{money[k]:,.0f} 万元"


def _mandatory_city_money(problem: Problem, label: str, allowed: np.ndarray) -> list[str]:
    """A mandatory work each of whose allowed options alone costs more than the city's money:
    in a year, or, with carry-over, up to a year (all the money of the years before
    carried), or over the horizon (``budget.total``); said for the option nearest to the
    money. A county's own money: :func:`_mandatory_county_money`."""
    budget = problem.scenario.budget
    limits = budget.for_years(list(problem.years))
    cost = problem.money[allowed].toarray()
    total = cost.sum(axis=1)
    if not (beyond(cost, limits, budget.carry_over)
            | (total > (np.inf if budget.total is None else budget.total) + 1e-9)).all():
        return []
    money = np.array(list(limits.values()))
    spent = cost
    if budget.carry_over:
        spent, money = np.cumsum(cost, axis=1), np.cumsum(money)
    over = (spent - money[None, :]).max(axis=1)
    best = int(np.argmin(over))
    if over[best] <= 1e-9:  # only the horizon's total is too small
        return [f"mandatory option {label} costs {total.min():,.0f} 万元 but the horizon's "
                f"total budget is {budget.total:,.0f} 万元"]
    return [_beyond_a_year(problem, cost[best], f"mandatory option {label}")]


def _mandatory_county_money(problem: Problem) -> list[str]:
    """A mandatory work each of whose allowed options alone costs more than its county's own
    money (``budget.per_county``) allows: in a year, or, with the county's carry-over, up to
    a year."""
    budget = problem.scenario.budget
    if not budget.per_county:
        return []
    county = problem.option_frame()["county"].astype(str).to_numpy()
    errors = []
    for label, members in problem.locked_in:
        over = []
        for option in members[~problem.locked_out[members]]:
            code = county[option]
            if code not in budget.per_county:
                break
            own = budget.per_county[code].for_years(list(problem.years))
            cost = problem.money[option].toarray().ravel()
            limit = np.array([own[y] for y in problem.years])
            carries = budget.county_carries(code)
            if carries:
                cost, limit = np.cumsum(cost), np.cumsum(limit)
            k = int(np.argmax(cost - limit))
            if cost[k] <= limit[k] + 1e-9:
                break
            years = f"{problem.years[0]}-{problem.years[k]}" if carries else problem.years[k]
            over.append(f"mandatory option {label} costs {cost[k]:,.0f} 万元 in {years} but "
                        f"county {code}'s own budget ([budget.per_county.{code}]) there is "
                        f"{limit[k]:,.0f} 万元")
        else:
            errors += over[:1]
    return errors


def _mandatory_water(problem: Problem) -> list[str]:
    """Mandatory options whose water alone exceeds their account's water in a year even if
    every water-saving option of the account were chosen (an over-estimate of the water
    that can be freed: only certain conflicts are reported)."""
    years = list(problem.years)
    county = problem.pairs["county"].astype(str).to_numpy()[problem.option_pair]
    accounts = water_accounts(problem.scenario, years, set(county))
    account = account_of_options(accounts, county)
    credit = problem.scenario.water.saving_credit
    errors = []
    for label, members in problem.locked_in:
        allowed = members[~problem.locked_out[members]]
        if len(allowed) == 0:
            continue
        k = account[allowed]
        freed = np.vstack([credit * np.asarray(problem.saving[account == a].sum(axis=0)).ravel()
                           for a in range(len(accounts))])
        available = np.vstack([a.available for a in accounts])
        need = problem.water[allowed].toarray()
        excess = need - (available[k] + freed[k])
        if excess.max(axis=1).min() > 1e-9:
            best = int(np.argmin(excess.max(axis=1)))
            t = int(np.argmax(excess[best]))
            where = accounts[k[best]].key
            errors.append(f"{years[t]} water ({where}): mandatory option {label} needs "
                          f"{need[best, t]:,.0f} 万m³ but {available[k[best], t]:,.0f} 万m³ are "
                          f"available (with at most {freed[k[best], t]:,.0f} 万m³ of credited "
                          "savings)")
    return errors


def _coefficient_notes(model: CompiledModel | None) -> list[str]:
    """A warning when the matrix coefficients span an absurd range (units mixed up). Rows
    the tool adds itself (the Pareto front's ε row of normalised benefits) hold none of the
    inputs' units, so they are left out: the planner could do nothing about them."""
    notes = []
    own = [f for f in model.families if f.name == EPSILON_FAMILY] if model is not None else []
    inputs = model.A if model is not None else None
    if own:
        keep = np.ones(model.n_rows, dtype=bool)
        for family in own:
            keep[family.start:family.stop] = False
        inputs = model.A[np.flatnonzero(keep)]
    if inputs is not None and inputs.nnz:
        magnitude = np.abs(inputs.data[inputs.data != 0])
        ratio = magnitude.max() / magnitude.min()
        if ratio > 1e9:
            notes.append(f"matrix coefficients span {ratio:.1e}: check units (万元, 万m³, km²)")
            warnings.warn(notes[-1], stacklevel=2)
    return notes
