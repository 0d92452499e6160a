"""The scheduling problem as arrays over options (parcel p, action a, start year t).

Built once, vectorised, from the option table (criteria/options.py or a user's --options
file), the action catalogue (timing: cost spread, water years, lag, maturity, survival) and
the scenario. The objective coefficient of an option is

    value(p, a, t) = Σ_c w_c · norm_c(p, a) · Σ_{y=t}^{Y_eval} f_a(y − t) · (1 + r)^−(y − t0)

with f_a the ramp of criteria/ramp.py (lag, linear rise to maturity, times survival, 0
from the action's lifetime on),
t0 the horizon's first year, r the discount rate and Y_eval the evaluation year: the
weighted, normalised benefit an option accumulates from its start to the evaluation year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from criteria.normalise import live_weights, score, scoring_criteria
from criteria.ramp import cumulative_benefit
from region.scenario import Scenario
from region.scenario_requirements import OptionRule
from region.validate import split_list

TIMING_COLUMNS = ["cost_years", "water_years", "lag_years", "maturity_years", "survival",
                  "lifetime_years", "capacity_km2_per_yr", "compatible_with", "name_zh",
                  "name_en", "restores_habitat"]


class CorridorLike(Protocol):
    """What the optimizer needs of a corridor (criteria.corridors.Corridor provides it)."""

    name: str
    degraded_parcel_ids: NDArray[np.int64]
    importance: float


@dataclass(frozen=True)
class Problem:
    """Arrays over options; option i is pair ``option_pair[i]`` started in ``option_year[i]``.

    ``pairs`` holds one row per feasible (parcel, action) with the option table's columns,
    the catalogue's timing columns and ``score`` (annual weighted value at maturity).
    """

    scenario: Scenario
    weights: dict[str, float]
    years: tuple[int, ...]
    pairs: pd.DataFrame
    option_pair: NDArray[np.int64]
    option_year: NDArray[np.int64]
    value: NDArray[np.float64]
    benefit_years: NDArray[np.float64]  # Σ ramp × discount from the start to Y_eval
    cost: sp.csr_matrix  # options × horizon years, 万元
    water: sp.csr_matrix  # options × horizon years, 万m³: demand − saving_credit × saving
    cost_after_horizon: NDArray[np.float64]  # 万元 due after the last horizon year
    locked_out: NDArray[np.bool_]
    locked_in: tuple[tuple[str, NDArray[np.int64]], ...]  # (label, options: ≥ 1 chosen)
    saving: sp.csr_matrix  # options × horizon years, 万m³ freed by water saving (gross)
    water_after_horizon: NDArray[np.float64]  # 万m³ of demand after the horizon to Y_eval
    corridors: tuple[CorridorLike, ...] = ()
    corridor_bonus: NDArray[np.float64] | None = None  # per corridor per completed year

    @property
    def n_options(self) -> int:
        return len(self.option_pair)

    def criterion_value(self, criterion: str) -> NDArray[np.float64]:
        """Objective coefficients if ``criterion`` had weight 1 and the others 0."""
        return self.pairs[f"norm_{criterion}"].to_numpy(float)[self.option_pair] \
            * self.benefit_years

    @cached_property
    def money(self) -> sp.csr_matrix:
        """What each option commits against each horizon year's money (options × years,
        万元): its instalments, with those due after the horizon committed in the last year.
        The plan period's money pays a work's whole cost (l.5: 规划期为2021-2035年): left free,
        the solve saved money for a last-year start of two-year works and handed the next
        period half their cost (44 % of a bureau survey's money, a stranger's finding)."""
        last = np.full(self.n_options, len(self.years) - 1)
        after = sp.csr_matrix((self.cost_after_horizon, (np.arange(self.n_options), last)),
                              shape=self.cost.shape)
        return (self.cost + after).tocsr()

    @cached_property
    def whole_cost(self) -> NDArray[np.float64]:
        """Each option's whole cost, 万元: its instalments in the horizon and after it."""
        return np.asarray(self.money.sum(axis=1)).ravel()

    def option_frame(self) -> pd.DataFrame:
        """One row per option: its pair's columns plus start_year and value."""
        frame = self.pairs.iloc[self.option_pair].reset_index(drop=True)
        frame["start_year"] = self.option_year
        frame["value"] = self.value
        return frame


def build_problem(options: pd.DataFrame, actions: pd.DataFrame, scenario: Scenario,
                  weights: dict[str, float],
                  corridors: Sequence[CorridorLike] = ()) -> Problem:
    """Arrays for every (pair, start year) of the horizon; see the module docstring."""
    catalogue = actions.set_index("code")
    unknown = sorted(set(options["action"]) - set(catalogue.index))
    if unknown:
        raise ValueError(f"options name actions missing from the catalogue: {unknown}")
    pairs = options.reset_index(drop=True).copy()
    for column in TIMING_COLUMNS:
        if column in catalogue.columns:
            pairs[column] = pairs["action"].map(catalogue[column]).to_numpy()
    weights = live_weights(weights, scoring_criteria(pairs))  # no option scores on it: 0
    pairs["score"] = score(pairs, weights)
    years = np.array(scenario.horizon.years, dtype=np.int64)
    n_pairs, n_years = len(pairs), len(years)
    option_pair = np.repeat(np.arange(n_pairs), n_years)
    option_year = np.tile(years, n_pairs)
    multiplier = cumulative_benefit(
        option_year, scenario.horizon.evaluation_year,
        pairs["lag_years"].to_numpy(float)[option_pair],
        pairs["maturity_years"].to_numpy(float)[option_pair],
        pairs["survival"].to_numpy(float)[option_pair],
        scenario.horizon.discount_rate, base_year=int(years[0]),
        lifetime_years=_lifetime(pairs)[option_pair])
    value = pairs["score"].to_numpy(float)[option_pair] * multiplier
    start_index = option_year - years[0]
    cost_span = np.maximum(pairs["cost_years"].to_numpy(float), 0.0)[option_pair]
    cost, cost_after = _spread(pairs["cost_wan"].to_numpy(float)[option_pair], cost_span,
                               start_index, n_years)
    water_span = _water_span(pairs["water_years"].to_numpy(float)[option_pair], option_year,
                             scenario.horizon.evaluation_year)
    rate = pairs["water_wan_m3_per_yr"].to_numpy(float)[option_pair]
    demand, demand_after = _spread(np.maximum(rate, 0.0) * water_span, water_span,
                                   start_index, n_years)
    saving, _ = _spread(np.maximum(-rate, 0.0) * water_span, water_span, start_index, n_years)
    water = (demand - scenario.water.saving_credit * saving).tocsr()
    years_after = np.clip(option_year + water_span - 1 - years[-1], 0,
                          scenario.horizon.evaluation_year - years[-1])
    frame = pairs.iloc[option_pair].reset_index(drop=True)
    frame["start_year"] = option_year
    locked_out = np.zeros(len(option_pair), bool)
    for rule in scenario.locked_out:
        locked_out |= rule_matches(frame, rule)
    locked_in = tuple(_locked_in_groups(frame, option_pair, scenario.locked_in))
    bonus = _corridor_bonus(pairs, corridors, scenario) if corridors else None
    return Problem(scenario, dict(weights), tuple(int(y) for y in years), pairs, option_pair,
                   option_year, value, multiplier, cost, water, cost_after, locked_out,
                   locked_in, saving.tocsr(), np.maximum(rate, 0.0) * years_after,
                   tuple(corridors), bonus)


def unaffordable(problem: Problem) -> NDArray[np.bool_]:
    """Options whose own cost already exceeds the money the scenario has for it: in some
    year of the horizon (with carry-over, by some year: the money of all years up to it),
    over the horizon (``budget.total``), or in their county's own money
    (``budget.per_county``, the same way). No plan can choose them, so the model bounds
    them at 0: an LP relaxation would take a fraction of them (on the survey fixture, half
    of a 5,686-万元 mine remediation against 560 万元 a year) and promise what no plan can
    reach (docs/model.md, "Options no money can pay"). Money only (water has credits that
    move between accounts); none when some option has a negative cost (income could pay)."""
    cost = problem.money
    if cost.nnz and cost.data.min() < 0:
        return np.zeros(problem.n_options, bool)
    budget = problem.scenario.budget
    years = list(problem.years)
    spent = cost.toarray()
    over = beyond(spent, budget.for_years(years), budget.carry_over)
    if budget.total is not None:
        over |= spent.sum(axis=1) > budget.total * (1 + 1e-9) + 1e-9
    county = problem.pairs["county"].astype(str).to_numpy()[problem.option_pair]
    for code, limit in budget.per_county.items():
        mine = county == code
        over[mine] |= beyond(spent[mine], limit.for_years(years), budget.county_carries(code))
    return over


def beyond(spent: NDArray[np.float64], limits: dict[int, float], carries: bool
           ) -> NDArray[np.bool_]:
    """Rows of ``spent`` (options × horizon years, 万元) above ``limits`` (the years' money)
    in some year, or, when unspent money ``carries``, by some year."""
    money = np.array(list(limits.values()))
    if carries:
        spent, money = np.cumsum(spent, axis=1), np.cumsum(money)
    return (spent > money[None, :] * (1 + 1e-9) + 1e-9).any(axis=1)


def _water_span(water_years: NDArray, start_year: NDArray, evaluation_year: int) -> NDArray:
    """Years an option's water lasts: the catalogue's ``water_years``, or, where it is blank
    (a planted stand drinks for its life), every year from the start to the evaluation year."""
    life = np.isnan(water_years)
    return np.where(life, evaluation_year - start_year + 1.0, np.maximum(water_years, 0.0))


def _lifetime(pairs: pd.DataFrame) -> NDArray[np.float64]:
    """Each pair's benefit lifetime in years (inf where the catalogue gives none)."""
    if "lifetime_years" not in pairs.columns:
        return np.full(len(pairs), np.inf)
    years = pd.to_numeric(pairs["lifetime_years"], errors="coerce").to_numpy(float)
    return np.where(np.isnan(years), np.inf, years)


def restoring(pairs: pd.DataFrame) -> NDArray[np.bool_]:
    """Pairs whose action lowers resistance / creates habitat (catalogue
    ``restores_habitat``; every action counts where the catalogue does not say)."""
    if "restores_habitat" not in pairs.columns:
        return np.ones(len(pairs), bool)
    flag = pd.to_numeric(pairs["restores_habitat"], errors="coerce").to_numpy(float)
    return np.where(np.isnan(flag), True, flag > 0)


def _spread(total: NDArray, span: NDArray, start_index: NDArray,
            n_years: int) -> tuple[sp.csr_matrix, NDArray[np.float64]]:
    """Spread each option's total evenly over the ``span`` years from its start.

    Returns the options × horizon-years matrix and the amount falling after the horizon.
    """
    per_year = np.divide(total, span, out=np.zeros(len(total)), where=span > 0)
    rows, cols, vals = [], [], []
    for offset in range(n_years):
        col = start_index + offset
        keep = (offset < span) & (col < n_years)
        rows.append(np.flatnonzero(keep))
        cols.append(col[keep])
        vals.append(per_year[keep])
    rows_a, cols_a, vals_a = (np.concatenate(v) for v in (rows, cols, vals))
    matrix = sp.csr_matrix((vals_a, (rows_a, cols_a)), shape=(len(total), n_years))
    inside = np.asarray(matrix.sum(axis=1)).ravel()
    return matrix, np.where(span > 0, total - inside, 0.0)


def rule_matches(frame: pd.DataFrame, rule: OptionRule) -> NDArray[np.bool_]:
    """Rows of ``frame`` (options, or a plan's chosen ones) a locked-in/out rule selects:
    every filter the rule gives must hold. Columns are compared in the rule's own type, so a
    plan read back from CSV (county codes as numbers) matches as the options did."""
    mask = np.ones(len(frame), bool)
    if rule.parcel_ids is not None:
        mask &= frame["parcel_id"].isin(rule.parcel_ids).to_numpy()
    for column, wanted in (("zone", rule.zone), ("county", rule.county),
                           ("action", rule.action), ("start_year", rule.year)):
        if wanted is not None:
            mask &= (frame[column].astype(type(wanted)) == wanted).to_numpy()
    return mask


def _locked_in_groups(frame: pd.DataFrame, option_pair: NDArray,
                      rules: Sequence[OptionRule]):
    """One group per locked-in pair: the pair's options allowed by the rule (≥ 1 chosen)."""
    for number, rule in enumerate(rules):
        selected = np.flatnonzero(rule_matches(frame, rule))
        label = rule.reason or f"locked_in[{number}]"
        if len(selected) == 0:
            yield f"{label} (matches no option)", selected
            continue
        for pair in np.unique(option_pair[selected]):
            parcel = frame["parcel_id"].iloc[selected[option_pair[selected] == pair][0]]
            action = frame["action"].iloc[selected[option_pair[selected] == pair][0]]
            yield f"{label}: parcel {parcel} {action}", selected[option_pair[selected] == pair]


def _corridor_bonus(pairs: pd.DataFrame, corridors: Sequence[CorridorLike],
                    scenario: Scenario) -> NDArray[np.float64]:
    """Annual bonus of each completed corridor: bonus_weight × Σ of its degraded parcels'
    best annual score (so a corridor is worth a share of what restoring it earns anyway),
    among the options today's catalogue allows (not a re-plan's ``history_only`` pairs,
    pipeline/replan_history.py: a past work's pair does not change what a corridor is worth)."""
    today = ~pairs["history_only"].eq(True).to_numpy() if "history_only" in pairs \
        else np.ones(len(pairs), bool)
    best = pairs.loc[restoring(pairs) & today].groupby("parcel_id")["score"].max()
    return np.array([scenario.corridors.bonus_weight
                     * float(best.reindex(c.degraded_parcel_ids).fillna(0.0).sum())
                     for c in corridors])


def compatible_chains(pairs: pd.DataFrame) -> pd.DataFrame:
    """(parcel, first pair, follow-up pair) for every catalogue chain present on a parcel."""
    rows = []
    for first, text in pairs.groupby("action")["compatible_with"].first().items():
        for follower in split_list(text):
            a = pairs.loc[pairs["action"] == first, ["parcel_id"]].reset_index()
            b = pairs.loc[pairs["action"] == follower, ["parcel_id"]].reset_index()
            rows.append(a.merge(b, on="parcel_id", suffixes=("_first", "_follow")))
    if not rows:
        return pd.DataFrame(columns=["parcel_id", "index_first", "index_follow"])
    return pd.concat(rows, ignore_index=True)
