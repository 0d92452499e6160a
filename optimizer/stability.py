"""Stability of a re-plan: what changing a work the previous plan announced costs.

For each announced work w (parcel-action pair k_w, start year s_w ≥ the re-planned year,
still to do: a work reported done early is a kept work of the past, not announced again,
pipeline/replan.py ``announced_ahead``), with options x[k_w, t]:

    kept_w    = x[k_w, s_w]
    moved_w   = Σ_{t ≠ s_w} x[k_w, t]
    dropped_w = 1 − Σ_t x[k_w, t]            (one action per parcel: Σ_t x[k_w, t] ≤ 1)

**Penalties** (finite): maximise  benefit − Σ_w (p_move·moved_w + p_drop·dropped_w), i.e.
objective coefficients +p_drop on x[k_w, s_w], +(p_drop − p_move) on the other starts of
k_w, and the constant −p_drop·|W| (a work whose pair is gone is a certain drop).

**Change only what the facts require** (no penalties, lexicographic): first the most
announced works any plan meeting every rule can keep, K* = max Σ_w kept_w
(:func:`keep_count_objective`); then the best benefit with Σ_w kept_w ≥ K*
(:func:`keep_at_least`, or bounds x[k_w, s_w] ≥ 1 when every work can stay).
A work moved counts as one change, like a work dropped; among plans with the fewest
changes the benefit decides which.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, RowFamily
from optimizer.problem import Problem


@dataclass(frozen=True)
class Announced:
    """The previous plan's works for the years ahead, as options of the new problem.

    ``pair``: per work, its (parcel, action) pair in the problem (−1: no longer an option);
    ``option``: its option at the announced start (−1 likewise)."""

    works: pd.DataFrame  # parcel_id, action, start_year
    pair: NDArray[np.int64]
    option: NDArray[np.int64]

    @property
    def keepable(self) -> NDArray[np.int64]:
        """The options that keep a work where it was announced."""
        return self.option[self.option >= 0]


def announced_options(problem: Problem, works: pd.DataFrame) -> Announced:
    """Match announced works (parcel_id, action, start_year) to the problem's options."""
    pairs = problem.pairs.reset_index(drop=True)
    index = pd.Series(np.arange(len(pairs)),
                      index=pd.MultiIndex.from_frame(pairs[["parcel_id", "action"]]))
    keys = pd.MultiIndex.from_frame(works[["parcel_id", "action"]])
    pair = index.reindex(keys).fillna(-1).to_numpy(np.int64)
    options = pd.Series(np.arange(problem.n_options),
                        index=pd.MultiIndex.from_arrays([problem.option_pair,
                                                         problem.option_year]))
    found = pair >= 0
    option = np.full(len(works), -1, np.int64)
    at = pd.MultiIndex.from_arrays([pair[found], works["start_year"].to_numpy()[found]])
    option[found] = options.reindex(at).fillna(-1).to_numpy(np.int64)
    return Announced(works.reset_index(drop=True), pair, option)


def penalised(model: CompiledModel, problem: Problem, announced: Announced,
              move_penalty: float, drop_penalty: float) -> CompiledModel:
    """The model whose objective pays ``move_penalty`` per announced work moved and
    ``drop_penalty`` per work dropped (objective units)."""
    obj = model.obj.copy()
    for pair, option in zip(announced.pair, announced.option, strict=True):
        if pair < 0:
            continue
        same_pair = np.flatnonzero(problem.option_pair == pair)
        obj[same_pair] += drop_penalty - move_penalty
        if option >= 0:
            obj[option] += move_penalty
    offset = model.obj_offset - drop_penalty * len(announced.pair)
    return replace(model, obj=obj, obj_offset=offset,
                   meta={**model.meta, "stability": "penalties"})


def keep_count_objective(model: CompiledModel, announced: Announced) -> CompiledModel:
    """The model with the objective 'keep as many announced works where they were'."""
    obj = np.zeros(model.n_cols)
    obj[announced.keepable] = 1.0
    return replace(model, sense="max", obj=obj, obj_offset=0.0,
                   meta={**model.meta, "objective": "announced works kept"})


def keep_all(model: CompiledModel, announced: Announced) -> CompiledModel:
    """Every announced work that is still an option kept where it was (bounds)."""
    lower = model.col_lower.copy()
    lower[announced.keepable] = 1.0
    return replace(model, col_lower=lower)


def keep_at_least(model: CompiledModel, announced: Announced, count: int) -> CompiledModel:
    """The model with the row ``stability[kept ≥ count]``: Σ_w x[k_w, s_w] ≥ count."""
    kept = announced.keepable
    row = sp.csr_matrix((np.ones(len(kept)), (np.zeros(len(kept), np.int64), kept)),
                        shape=(1, model.n_cols))
    family = RowFamily("stability", model.n_rows, model.n_rows + 1,
                       (f"stability[kept ≥ {count}]",))
    return replace(model, A=sp.vstack([model.A, row]).tocsr(),
                   row_lower=np.append(model.row_lower, float(count)),
                   row_upper=np.append(model.row_upper, np.inf),
                   families=(*model.families, family))


def changes(problem: Problem, announced: Announced, x: NDArray[np.float64]
            ) -> NDArray[np.str_]:
    """Per announced work: kept, moved or dropped in the solution ``x``."""
    chosen = x[:problem.n_options] > 0.5
    pair_chosen = np.zeros(len(problem.pairs), bool)
    pair_chosen[problem.option_pair[chosen]] = True
    kept = (announced.option >= 0) & chosen[np.maximum(announced.option, 0)]
    taken = (announced.pair >= 0) & pair_chosen[np.maximum(announced.pair, 0)]
    return np.where(kept, "kept", np.where(taken, "moved", "dropped"))
