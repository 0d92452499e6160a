"""The local search against an independent enumeration of its moves on small random problems:
it keeps every target and lock, never worsens the objective, and leaves no improving fill,
drop, swap or two-for-one move behind."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from optimizer.marxan import MarxanProblem, greedy, repair
from optimizer.marxan.local_search import improve


def _grid_problem(seed: int, *, rows: int = 3, cols: int = 4, connectivity: bool = False
                  ) -> MarxanProblem:
    """Units on a rows × cols grid with random costs, amounts and targets, BLM 0.7."""
    rng = np.random.default_rng(seed)
    n, k = rows * cols, 3
    edges = [(r * cols + c, r * cols + c + 1) for r in range(rows) for c in range(cols - 1)]
    edges += [(r * cols + c, (r + 1) * cols + c) for r in range(rows - 1) for c in range(cols)]
    ei, ej = (np.array(side) for side in zip(*edges, strict=True))
    amounts = rng.integers(0, 4, (n, k)) * (rng.random((n, k)) < 0.6)
    status = np.zeros(n, np.int64)
    status[rng.choice(n, 2, replace=False)] = [2, 3]  # one locked in, one locked out
    conn = None
    if connectivity:
        pairs = rng.choice(n, (6, 2))
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        conn = sp.csr_matrix((rng.uniform(0.5, 2, len(pairs)), (pairs[:, 0], pairs[:, 1])),
                             shape=(n, n))
    return MarxanProblem(
        pu_ids=np.arange(1, n + 1), cost=rng.uniform(1, 5, n), status=status,
        feature_ids=np.arange(1, k + 1), feature_names=("a", "b", "c"),
        prop=np.full(k, 0.4), target_abs=np.zeros(k), spf=np.full(k, 10.0),
        amounts=sp.csr_matrix(amounts.astype(float)), edge_i=ei, edge_j=ej,
        edge_b=rng.uniform(0.5, 2, ei.size), fixed_boundary=rng.uniform(0, 1, n), blm=0.7,
        conn=conn)


def _objective(p: MarxanProblem, x: np.ndarray) -> float:
    """cost + BLM·(fixed + Σ b |x_i − x_j|) + BLM·Σ c_ij x_i (1 − x_j), written out here."""
    value = p.cost @ x + p.blm * p.fixed_boundary @ x
    value += p.blm * sum(b * abs(x[i] - x[j])
                         for i, j, b in zip(p.edge_i, p.edge_j, p.edge_b, strict=True))
    if p.conn is not None:
        c = p.conn.tocoo()
        value += p.blm * sum(w * x[i] * (1 - x[j]) for i, j, w in zip(c.row, c.col, c.data,
                                                                       strict=True))
    return float(value)


def _feasible(p: MarxanProblem, x: np.ndarray) -> bool:
    held = p.amounts.toarray().T @ x
    return bool((held >= p.targets - 1e-9).all() and (x[p.locked_in] == 1).all()
                and (x[p.locked_out] == 0).all())


def _moves(p: MarxanProblem, x: np.ndarray):
    """Every fill, drop, swap and two-for-one move on the free units."""
    free = ~(p.locked_in | p.locked_out)
    ins = [i for i in np.flatnonzero(free) if x[i] == 1]
    outs = [j for j in np.flatnonzero(free) if x[j] == 0]
    yield from ([j] for j in outs)
    yield from ([i] for i in ins)
    yield from ([i, j] for i in ins for j in outs)
    yield from ([i1, i2, j] for i1, i2 in itertools.combinations(ins, 2) for j in outs)


@pytest.mark.parametrize("connectivity", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_improve_leaves_no_improving_move(seed, connectivity):
    p = _grid_problem(seed, connectivity=connectivity)
    start = repair(p, greedy(p))
    assert _feasible(p, start)
    found = improve(p, start, time_limit_s=30)
    assert _feasible(p, found)
    assert _objective(p, found) <= _objective(p, start) + 1e-9
    value = _objective(p, found)
    for move in _moves(p, found):
        y = found.copy()
        y[move] = 1 - y[move]
        assert not (_feasible(p, y) and _objective(p, y) < value - 1e-9), move


def test_improve_makes_the_swap_greedy_misses():
    """Two units each holding the whole target: the cheap one far from the locked-in unit,
    the dear one beside it. With a large BLM the dear one is better; starting from the cheap
    one, only a swap gets there (a drop breaks the target, a fill adds boundary)."""
    p = MarxanProblem(
        pu_ids=np.arange(1, 4), cost=np.array([1.0, 2.0, 1.0]),
        status=np.array([2, 0, 0]), feature_ids=np.array([1]), feature_names=("f",),
        prop=np.array([np.nan]), target_abs=np.array([5.0]), spf=np.array([10.0]),
        amounts=sp.csr_matrix(np.array([[0.0], [5.0], [5.0]])),
        edge_i=np.array([0]), edge_j=np.array([1]), edge_b=np.array([1.0]),
        fixed_boundary=np.array([1.0, 1.0, 1.0]), blm=2.0)
    start = np.array([1.0, 0.0, 1.0])  # 1 + 1 + 2·(1 + 1 + 1) = 8
    found = improve(p, start)
    assert found.tolist() == [1.0, 1.0, 0.0]  # 1 + 2 + 2·(1 + 1) = 7
    assert _objective(p, found) == pytest.approx(7.0)
