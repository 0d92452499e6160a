"""The pre-solve money check (optimizer/money_reach.py): the cheapest way to meet a target
against the whole horizon's money, checked against an independent answer (scipy's LP of the
same two rows) and never claimed where a plan exists (brute force over every plan)."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from optimizer.compiled import CompiledModel, RowFamily
from optimizer.money_reach import cheapest_extra, money_shortfalls

COSTS = np.array([5.0, 3.0, 2.0, 6.0])  # four works, paid in year 1 (x0, x1) or 2 (x2, x3)
MEASURE = np.array([2.0, 1.0, 1.0, 3.0])  # what each gives the target
BUDGET = 4.0  # each year; unspent money carried by s (column 4)


def model(minimum: float, fixed: tuple[int, ...] = (), upper: tuple[float, ...] = (1,) * 4
          ) -> CompiledModel:
    """budget[1]: 5x0 + 3x1 + s ≤ 4; budget[2]: 2x2 + 6x3 − s ≤ 4; target: 2x0 + x1 + x2 +
    3x3 ≥ ``minimum``; x binary (``fixed`` ones at 1, ``upper`` their upper bounds),
    s ≥ 0 the carry-over."""
    a = sp.csr_matrix(np.array([[5, 3, 0, 0, 1], [0, 0, 2, 6, -1], [*MEASURE, 0]], float))
    lower = np.array([1.0 if j in fixed else 0.0 for j in range(4)] + [0.0])
    return CompiledModel("max", np.zeros(5), a, np.array([-np.inf, -np.inf, minimum]),
                         np.array([BUDGET, BUDGET, np.inf]), lower,
                         np.array([*map(float, upper), np.inf]),
                         np.array([True] * 4 + [False]),
                         (RowFamily("budget", 0, 2, ("budget[1]", "budget[2]")),
                          RowFamily("target", 2, 3, ("target[t]",))))


def feasible_plan_exists(m: CompiledModel) -> bool:
    """Brute force: some x (binary within its bounds) with a carry s meeting every row."""
    for x in itertools.product((0.0, 1.0), repeat=4):
        x = np.array(x)
        if (x < m.col_lower[:4]).any() or (x > m.col_upper[:4]).any():
            continue
        year1 = COSTS[:2] @ x[:2]
        carry = BUDGET - year1  # the most that can be carried (none if overspent)
        if carry >= 0 and COSTS[2:] @ x[2:] <= BUDGET + carry and MEASURE @ x >= m.row_lower[2]:
            return True
    return False


@pytest.mark.parametrize("minimum", [1.0, 3.5, 4.0, 5.0, 6.5, 7.0])
@pytest.mark.parametrize("fixed", [(), (1,)])
def test_the_cheapest_way_is_the_lp_of_the_two_rows(minimum, fixed) -> None:
    m = model(minimum, fixed)
    spend = COSTS  # the budget rows summed: the carry cancels
    bounds = [(m.col_lower[j], m.col_upper[j]) for j in range(4)]
    lp = linprog(spend, A_ub=-MEASURE[None, :], b_ub=[-minimum], bounds=bounds)
    extra = cheapest_extra(m, 2, np.append(spend, 1.0))
    assert lp.status == 0
    assert extra == pytest.approx(lp.fun - spend @ m.col_lower[:4], abs=1e-9)


@pytest.mark.parametrize("minimum", [1.0, 4.0, 4.5, 5.0, 6.0, 7.0])
@pytest.mark.parametrize("fixed", [(), (1,), (3,)])
def test_a_conflict_is_said_only_where_no_plan_exists(minimum, fixed) -> None:
    """By hand: beyond 4 needs x2 and x3 (2 + 6, the two years' money 8) and part of x0;
    with x1 fixed (3 paid, 1 given) 4 needs x2 and two thirds of x3 more: 3 + 2 + 4 > 8;
    with x3 fixed (6 paid, 3 given) beyond 4 needs x2 and part of x0: 6 + 2 + … > 8."""
    m = model(minimum, fixed)
    lines = money_shortfalls(m)
    if lines:
        assert not feasible_plan_exists(m)
        assert lines[0].startswith("target[t]: its cheapest matching options cost at least")
        assert "but the whole horizon's budget is 8 万元" in lines[0]
        assert ("(works already fixed included)" in lines[0]) == bool(fixed)
    expected = {(): minimum > 4.0, (1,): minimum >= 4.0, (3,): minimum > 4.0}[fixed]
    assert bool(lines) == expected


def test_a_target_its_allowed_options_cannot_reach_is_said() -> None:
    """x3 held at 0 (an option costing more than the money there is for it): 2 + 1 + 1 < 5."""
    lines = money_shortfalls(model(5.0, upper=(1, 1, 1, 0)))
    assert lines == ["target[t]: at most 4 is reachable, but 5 is required: the options it "
                     "counts are locked out, or each alone costs more than the money there "
                     "is for it"]
    assert money_shortfalls(model(5.0, upper=(1, 1, 1, 0)), skip={"target[t]"}) == []
