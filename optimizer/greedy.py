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

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel
from optimizer.formulation import Layout
from optimizer.problem import Problem
from optimizer.solvers import solve
from optimizer.solvers.watchdog import allowance

#: The time the completing LP over the non-option columns may take even when the run's time
#: box has run out: without it there is no plan at all (it takes milliseconds).
COMPLETION_S = 2.0

#: Families whose rows are ≥ rows the greedy must fill first.
REQUIRED_FAMILIES = ("target", "locked_in")
TOL = 1e-7
#: After this many options that did not fit, the greedy looks for options that never will
#: again (vectorised over all of them) and skips them from then on.
CLOSE_AFTER_MISSES = 20_000


class _Limits:
    """Incremental row activities of the option columns, and the checks against them."""

    def __init__(self, model: CompiledModel, layout: Layout, carry_over: bool) -> None:
        by_row = model.A[:, :layout.n_options].tocsr()
        self.columns = by_row.tocsc()
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
        self.open = np.ones(layout.n_options, bool)  # False: can never fit again
        self._misses = 0
        lowest = by_row.min(axis=1).toarray().ravel()  # ≤ 0: implicit zeros count
        growing = self.checked & (lowest >= 0)  # activity only grows as options are taken
        only = by_row[np.flatnonzero(growing)].tocoo()
        self._growing = (np.flatnonzero(growing)[only.row], only.col, only.data)
        money = by_row[self.budget]
        self._money = money if carry_over and money.nnz and money.data.min() >= 0 else None

    def rows_of(self, option: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        lo, hi = self.columns.indptr[option], self.columns.indptr[option + 1]
        return self.columns.indices[lo:hi], self.columns.data[lo:hi]

    def fits(self, option: int) -> bool:
        if not self.open[option]:
            return False
        if not self._fits(option):
            self._misses += 1
            if self._misses >= CLOSE_AFTER_MISSES:
                self._close()
            return False
        return True

    def _close(self) -> None:
        """Mark the options that can never fit again, so that later checks skip them: one
        of their rows whose activity only grows (no negative coefficient: one action per
        parcel, capacity …) has no room left, or, with carry-over, the money of some year
        to come has not. Precedence can still open up and is left to each check."""
        self._misses = 0
        rows, cols, values = self._growing
        after = self.activity[rows] + values
        self.open[cols[after > self.upper[rows] + TOL * (1 + np.abs(after))]] = False
        if self._money is not None:
            spent = np.cumsum(self.activity[self.budget])
            limit = np.cumsum(self.upper[self.budget])
            cumulative = np.zeros(self.open.size)
            for year in range(spent.size):
                cumulative += self._money[year].toarray().ravel()
                after = spent[year] + cumulative
                self.open[after > limit[year] + TOL * (1 + np.abs(after))] = False

    def _fits(self, option: int) -> bool:
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
    """A test 'has a before-option of each of this after-option's groups started early
    enough?'.

    precedence_sum rows read z − Σ x_before = 0, so the option part of their activity is
    −(number started); precedence rows read x_after − z ≤ 0 with z one of those counters
    (no counter: no before-option can start in time, the after-option never fits).
    """
    try:
        links, sums = model.family("precedence"), model.family("precedence_sum")
    except KeyError:
        return lambda _option: True
    n = layout.n_options
    rows = model.A.tocsr()
    total = rows[sums.start:sums.stop].tocoo()
    counted = total.col >= n
    sum_row = np.full(model.n_cols, -1)  # counter column → its precedence_sum row
    sum_row[total.col[counted]] = sums.start + total.row[counted]
    link = rows[links.start:links.stop].tocoo()
    is_option = link.col < n
    option = np.full(links.stop - links.start, -1)
    option[link.row[is_option]] = link.col[is_option]
    counter = np.full(links.stop - links.start, -1)
    counter[link.row[~is_option]] = link.col[~is_option]
    needed = np.where(counter >= 0, sum_row[counter], -1)  # −1: impossible
    order = np.argsort(option, kind="stable")
    option, needed = option[order], needed[order]
    first = np.searchsorted(option, np.arange(n + 1))  # option o's rows: first[o]:first[o+1]

    def ok(option: int) -> bool:
        rows_needed = needed[first[option]:first[option + 1]]
        return rows_needed.size == 0 or bool(
            rows_needed.min() >= 0 and np.all(-activity[rows_needed] >= 1.0 - TOL))

    return ok


def greedy_solution(problem: Problem, model: CompiledModel, layout: Layout,
                    threads: int = 1, option_score: NDArray[np.float64] | None = None
                    ) -> NDArray[np.float64] | None:
    """A feasible solution of ``model`` built greedily (see the module docstring), or None.

    With ``option_score`` (one per option, e.g. the reduced values of a Lagrangian bound,
    which price money and water in) options are taken in descending score order, each in
    its own year, instead of pairs by benefit per cost at their earliest feasible year."""
    n = layout.n_options
    total_cost = problem.whole_cost
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
        return complete_options(model, n, chosen, threads)
    for pair in np.argsort(-ratio, kind="stable"):
        if ratio[pair] == -np.inf:
            break
        if not used_pair[pair]:
            place(by_pair.indices[by_pair.indptr[pair]:by_pair.indptr[pair + 1]])
    return complete_options(model, n, chosen, threads)


def complete_options(model: CompiledModel, n: int, chosen: NDArray[np.bool_],
                     threads: int) -> NDArray[np.float64] | None:
    """Fix the options and let an LP set the other columns; None if a row breaks (the
    greedy's last step; a re-plan checks the previous plan's works with it).

    The LP holds only those columns and the rows they share, with the fixed options'
    activity moved to the row bounds; a row with one of them only (a precedence link)
    becomes a bound on it. 100,000 parcels: a few dozen columns and rows instead of 1.8
    million columns and 600,000 precedence rows (11 s)."""
    x = np.concatenate([chosen.astype(float), np.zeros(model.n_cols - n)])
    others = model.A[:, n:].tocsr()
    others.eliminate_zeros()
    taken = model.A @ x
    lower, upper = model.row_lower - taken, model.row_upper - taken
    count = np.diff(others.indptr)
    col_lower, col_upper = model.col_lower[n:].copy(), model.col_upper[n:].copy()
    single = np.flatnonzero(count == 1)
    first = others.indptr[single]
    col, coef = others.indices[first], others.data[first]
    np.maximum.at(col_lower, col, np.where(coef > 0, lower[single], upper[single]) / coef)
    np.minimum.at(col_upper, col, np.where(coef > 0, upper[single], lower[single]) / coef)
    if np.any(col_lower > col_upper + TOL):
        return None
    rows = np.flatnonzero(count > 1)
    if model.n_cols > n:
        rest = CompiledModel(
            sense=model.sense, obj=model.obj[n:], A=others[rows], row_lower=lower[rows],
            row_upper=upper[rows], col_lower=col_lower, col_upper=col_upper,
            integrality=np.zeros(model.n_cols - n, bool))
        with allowance(COMPLETION_S):  # without it there is no plan: even past the time box
            result = solve(rest, "highs", time_limit_s=60.0, threads=threads,
                           lp_relaxation=True)
        if result.x is None:
            return None
        x[n:] = result.x
    return None if model.violations(x) else x
