"""Before the solve: a target or mandatory work whose cheapest way to be met costs more than
the whole horizon's money, found from the compiled model in a moment, whatever the time
limit.

For a money family F (``budget``: its yearly rows summed; ``budget_total``) and a
requirement row r (``target[...]`` or ``locked_in[...]``, Σ a_j·x_j ≥ m) the relaxation

    min Σ_j c_j·x_j   s.t.   Σ_j a_j·x_j ≥ m,   l ≤ x ≤ u,      c = Σ_{rows of F} A_row

keeps only two rows of the model, so its optimum is a lower bound on the money any plan
meeting r spends (works already fixed, l_j = 1 in a re-plan, included). It is a fractional
knapsack: every column at its lower bound, then the columns of r in the order of money per
unit of measure (c_j / a_j) until m is reached. When that exceeds the family's money
(Σ_{rows of F} upper) the scenario cannot be met, and the row says why. Summing the yearly
rows is sound with carry-over too: the carry columns s_t enter row t with +1 and row t+1
with −1, so only the last year's s_T ≥ 0 is left.

The solver's own diagnosis (optimizer/infeasibility.py) runs only after the MIP has proved
the scenario infeasible, which it may not do within a short time limit (a stranger's
``--budget-scale 0.01 --time-limit 5`` was told to give it more time): this check needs none.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel

#: The families whose rows bound the money over the horizon, summed.
MONEY_FAMILIES = ("budget", "budget_total")
#: The families of requirements: rows Σ a·x ≥ m that money has to pay for.
REQUIREMENT_FAMILIES = ("target", "locked_in")


def money_shortfalls(model: CompiledModel, skip: Collection[str] = ()) -> list[str]:
    """One line per requirement row that no plan can meet: its options within their bounds
    (options locked out, or costing alone more than the money there is for them, are held
    at 0) cannot reach its minimum, or its cheapest way to be met costs more than the whole
    horizon's money (of a family of :data:`MONEY_FAMILIES`), e.g. "target[barriers]: its
    cheapest matching options cost at least 29,000 万元 …, but the whole horizon's budget
    is 1,800 万元 (short by 27,200 万元)". Each row is named once; rows labelled as in
    ``skip`` (said already by another check) are left out."""
    requirements = [row for f in model.families if f.name in REQUIREMENT_FAMILIES
                     for row in range(f.start, f.stop)
                     if np.isfinite(model.row_lower[row]) and model.row_label(row) not in skip]
    lines: dict[int, str] = {}
    for row in requirements:
        reach = bounded_reach(model, row)
        if reach < model.row_lower[row] - 1e-9:
            lines[row] = (f"{model.row_label(row)}: at most {reach:,.4g} is reachable, but "
                          f"{model.row_lower[row]:,.4g} is required: the options it counts "
                          "are locked out, or each alone costs more than the money there "
                          "is for it")
    for money in (f for f in model.families if f.name in MONEY_FAMILIES):
        rows = np.arange(money.start, money.stop)
        limit = float(model.row_upper[rows].sum())
        spend = np.asarray(model.A[rows].sum(axis=0)).ravel()
        if not np.isfinite(limit) or (spend < 0).any():
            continue  # no bound, or a column that brings money: not a sound relaxation
        paying = spend > 0
        if not np.isfinite(model.col_lower[paying]).all():
            continue
        fixed = float(spend[paying] @ model.col_lower[paying])  # works that must be paid
        what = "budget" if money.name == "budget" else "total budget (budget.total)"
        for row in (r for r in requirements if r not in lines):
            extra = cheapest_extra(model, row, spend)
            if extra is not None and fixed + extra > limit + 1e-6 * max(1.0, limit):
                besides = " (works already fixed included)" if fixed > 0 else ""
                lines[row] = (f"{model.row_label(row)}: its cheapest matching options cost "
                              f"at least {wan(fixed + extra)}{besides}, but the whole "
                              f"horizon's {what} is {wan(limit)} "
                              f"(short by {wan(fixed + extra - limit)})")
    return [lines[row] for row in sorted(lines)]


def wan(money: float) -> str:
    """万元 as a planner reads them: whole, with thousands separators (12,000 万元, not
    1.2e+04), and small sums with their decimals (2.5 万元)."""
    return f"{money:,.0f} 万元" if abs(money) >= 100 else f"{money:,.4g} 万元"


def bounded_reach(model: CompiledModel, row: int) -> float:
    """The most ``row`` (Σ a·x) can reach within the columns' bounds."""
    a = model.A.getrow(row)
    ends = np.where(a.data > 0, model.col_upper[a.indices], model.col_lower[a.indices])
    return float(a.data @ ends)


def cheapest_extra(model: CompiledModel, row: int, spend: NDArray[np.float64]
                   ) -> float | None:
    """The least money beyond the columns' lower bounds that meets ``row`` (Σ a·x ≥ m) when
    column j costs ``spend[j]`` (≥ 0) per unit, fractions allowed; None when the row cannot
    be met within the columns' bounds at all (the target check's and the solver's case,
    not this one's)."""
    a = model.A.getrow(row)
    columns, measure = a.indices, a.data
    lower, upper = model.col_lower[columns], model.col_upper[columns]
    if not np.isfinite(lower).all():
        return None
    need = model.row_lower[row] - float(measure @ lower)
    if need <= 1e-9:
        return 0.0
    gain = measure > 0
    columns, measure, room = columns[gain], measure[gain], (upper - lower)[gain]
    cost = spend[columns] / measure  # money per unit of the row's measure
    order = np.argsort(cost, kind="stable")
    reach = np.cumsum(measure[order] * room[order])  # inf where a column is unbounded
    if not reach.size or reach[-1] < need - 1e-9:
        return None
    last = int(np.searchsorted(reach, need - 1e-9))
    before = float(reach[last - 1]) if last else 0.0
    taken = measure[order][:last] * room[order][:last]
    return float(cost[order][:last] @ taken + cost[order][last] * (need - before))
