"""Greedy baseline: benefit per cost, earliest feasible year.

The rule a planning bureau would apply by hand, and what the optimizer must never do worse
than: rank every (parcel, action) pair by the benefit it earns if started in the first year
divided by its total cost, then give each pair, in that order, the earliest year in which it
fits every limit. Options that targets and mandatory works need are placed first.

It works on the compiled model, so every row family is respected as written there:

* rows holding only option columns (one action per parcel, water, capacity, totals …) are
  checked incrementally against their upper limits;
* the yearly budget with carry-over is checked cumulatively (money left in a year stays
  available), which is exactly what the carry columns allow;
* precedence needs a "before" option of the same group started early enough;
* the remaining continuous columns (carry, precedence counters, corridor completion) are
  then set by one small LP with the options fixed, and the result is checked against every
  row. None when the greedy choice breaks a rule it does not model (e.g. a county share).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel
from optimizer.formulation import Layout
from optimizer.problem import Problem
from optimizer.solvers import solve

#: Families whose rows are ≥ rows the greedy must fill first.
REQUIRED_FAMILIES = ("target", "locked_in")
TOL = 1e-7


class _Limits:
    """Incremental row activities of the option columns, and the checks against them."""

    def __init__(self, model: CompiledModel, layout: Layout, carry_over: bool) -> None:
        self.columns = model.A[:, :layout.n_options].tocsc()
        self.upper = model.row_upper
        self.activity = np.zeros(model.n_rows)
        # A row that also holds other columns (precedence counters, carry, corridor
        # completion) cannot be checked on the options' activity alone.
        others = np.diff(model.A[:, layout.n_options:].tocsr().indptr) > 0
        self.checked = np.isfinite(self.upper) & ~others
        budget = model.family("budget")
        self.budget = slice(budget.start, budget.stop)
        self.carry_over = carry_over
        if carry_over:  # checked cumulatively below, not row by row
            self.checked[self.budget] = False
        self.precedence_ok = _precedence_checker(model, layout, self.activity)

    def rows_of(self, option: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        lo, hi = self.columns.indptr[option], self.columns.indptr[option + 1]
        return self.columns.indices[lo:hi], self.columns.data[lo:hi]

    def fits(self, option: int) -> bool:
        rows, values = self.rows_of(option)
        after = self.activity[rows] + values
        limited = self.checked[rows]
        if np.any(after[limited] > self.upper[rows][limited] + TOL * (1 + np.abs(after[limited]))):
            return False
        if self.carry_over:
            in_budget = (rows >= self.budget.start) & (rows < self.budget.stop)
            if in_budget.any():
                spend = self.activity[self.budget].copy()
                spend[rows[in_budget] - self.budget.start] += values[in_budget]
                room = np.cumsum(self.upper[self.budget]) - np.cumsum(spend)
                if np.any(room < -TOL * (1 + np.abs(np.cumsum(spend)))):
                    return False
        return self.precedence_ok(option)

    def take(self, option: int) -> None:
        rows, values = self.rows_of(option)
        self.activity[rows] += values


def _precedence_checker(model: CompiledModel, layout: Layout, activity: NDArray[np.float64]):
    """A test 'has a before-option of this after-option's group started early enough?'.

    precedence_sum rows read z − Σ x_before = 0, so the option part of their activity is
    −(number started); precedence rows read x_after − z ≤ 0 with z one of those counters.
    """
    try:
        links, sums = model.family("precedence"), model.family("precedence_sum")
    except KeyError:
        return lambda _option: True
    rows = model.A.tocsr()
    counter_row = {}  # z column → its precedence_sum row
    for r in range(sums.start, sums.stop):
        cols = rows.indices[rows.indptr[r]:rows.indptr[r + 1]]
        counter_row.update({int(c): r for c in cols if c >= layout.n_options})
    needs: dict[int, int | None] = {}  # after-option → precedence_sum row (None: impossible)
    for r in range(links.start, links.stop):
        cols = rows.indices[rows.indptr[r]:rows.indptr[r + 1]]
        option = int(cols[cols < layout.n_options][0])
        counters = cols[cols >= layout.n_options]
        needs[option] = counter_row[int(counters[0])] if len(counters) else None

    def ok(option: int) -> bool:
        if option not in needs:
            return True
        row = needs[option]
        return row is not None and -activity[row] >= 1.0 - TOL

    return ok


def greedy_solution(problem: Problem, model: CompiledModel, layout: Layout,
                    threads: int = 1, option_score: NDArray[np.float64] | None = None
                    ) -> NDArray[np.float64] | None:
    """A feasible solution of ``model`` built greedily (see the module docstring), or None.

    With ``option_score`` (one per option, e.g. the reduced values of a Lagrangian bound,
    which price money and water in) options are taken in descending score order, each in
    its own year, instead of pairs by benefit per cost at their earliest feasible year."""
    n = layout.n_options
    total_cost = np.asarray(problem.cost.sum(axis=1)).ravel() + problem.cost_after_horizon
    first_year = problem.option_year == problem.years[0]
    pair_value = np.zeros(len(problem.pairs))
    pair_value[problem.option_pair[first_year]] = problem.value[first_year]
    pair_cost = np.zeros(len(problem.pairs))
    pair_cost[problem.option_pair[first_year]] = total_cost[first_year]
    ratio = np.where(pair_cost > 0, pair_value / np.maximum(pair_cost, 1e-12), np.inf)
    ratio[pair_value <= 0] = -np.inf
    by_pair = sp.csr_matrix((np.ones(n), (problem.option_pair, np.arange(n))),
                            shape=(len(problem.pairs), n))
    allowed = model.col_upper[:n] > 0.5
    limits = _Limits(model, layout, layout.carry.stop > layout.carry.start)
    chosen = np.zeros(n, bool)
    used_pair = np.zeros(len(problem.pairs), bool)

    def place(options: NDArray[np.int64]) -> bool:
        for option in options[np.argsort(problem.option_year[options], kind="stable")]:
            if allowed[option] and limits.fits(option):
                limits.take(option)
                chosen[option] = True
                used_pair[problem.option_pair[option]] = True
                return True
        return False

    rows = model.A.tocsr()
    for name in REQUIRED_FAMILIES:
        try:
            family = model.family(name)
        except KeyError:
            continue
        for r in range(family.start, family.stop):
            members = rows.indices[rows.indptr[r]:rows.indptr[r + 1]]
            members = members[members < n]
            pairs = np.unique(problem.option_pair[members])
            for pair in pairs[np.argsort(-ratio[pairs], kind="stable")]:
                if limits.activity[r] >= model.row_lower[r] - TOL:
                    break
                if not used_pair[pair]:
                    place(members[problem.option_pair[members] == pair])
    if option_score is not None:
        scored = np.flatnonzero((problem.value > 0) & allowed)
        for option in scored[np.argsort(-option_score[scored], kind="stable")]:
            if not used_pair[problem.option_pair[option]]:
                place(np.array([option]))
        return _complete(model, n, chosen, threads)
    for pair in np.argsort(-ratio, kind="stable"):
        if ratio[pair] == -np.inf:
            break
        if not used_pair[pair]:
            place(by_pair.indices[by_pair.indptr[pair]:by_pair.indptr[pair + 1]])
    return _complete(model, n, chosen, threads)


def _complete(model: CompiledModel, n: int, chosen: NDArray[np.bool_],
              threads: int) -> NDArray[np.float64] | None:
    """Fix the options and let an LP set the continuous columns; None if a row breaks."""
    lower, upper = model.col_lower.copy(), model.col_upper.copy()
    lower[:n] = upper[:n] = chosen.astype(float)
    fixed = replace(model, col_lower=lower, col_upper=upper)
    result = solve(fixed, "highs", time_limit_s=60.0, threads=threads, lp_relaxation=True)
    if result.x is None:
        return None
    x = result.x.copy()
    x[:n] = chosen.astype(float)
    return None if model.violations(x) else x
