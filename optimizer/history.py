"""The past years of a re-plan, fixed in the model as they happened.

A re-plan from year Y keeps the whole horizon (so targets, precedence, corridors, carry-over
and horizon totals count what was done) and closes the years before Y:

* **kept works** (done, partial) are options with lower bound 1; their cost in the past
  years is what was paid: the recorded cost (``cost_wan_actual``) covers the years before
  the re-plan that recorded it, the years since are its planned instalments;
  their later instalments and their water stay due (a partial work's scaled to the area
  done, which the caller does in the option table);
* **every other option starting before Y** has upper bound 0: a failed or cancelled work is
  free again from Y on, its parcel as it was. It is paid only in the years before the
  re-plan that recorded it (failed: as planned or as recorded, cancelled: as recorded),
  never after: a work recorded failed by an earlier re-plan is not charged its later
  instalments in the years since (they were: the second re-plan's past year paid the works
  that failed the year before, and one redone on the same parcel twice);
* **a pair the catalogue no longer allows** (option table column ``history_only``,
  pipeline/replan_history.py) is open in no year but as a kept work: a past work is a fact,
  never an option of the years re-planned;
* **money**: with carry-over, the budget row of a past year t is set to the kept works'
  spend that year, and that of the last past year also to the money really carried into Y,
  ``s_(Y−1)``, where ``s_t = s_(t−1) + granted_t − spent_t`` (never below 0), so the model
  carries exactly the money left into Y. (Spread year by year, ``B_t = kept_t + s_t −
  s_(t−1)`` has the same sums but is negative in a year that spent carried money beyond its
  grant, which a budget may not be: that re-plan was refused.) Without carry-over, ``B_t``
  is what was granted less what failed and cancelled works cost (at least the kept works'
  spend). The horizon total, if any, loses what the model does not hold (failed, cancelled works).
  A county's own money (``budget.per_county``) is set the same way, year by year, with the
  county's carry-over: granted is the scenario's (the actuals are the city's), spent what
  its works were paid (:func:`county_past_limits`);
* **water**: a year's reported water (``water_wan_m3``) is counted as the run table counts
  a year's water use: the works' water plus the lake's delivery target where the scenario
  has one (``[water.aydingkol]``); the horizon total, if any, loses the works' part of it
  beyond what the kept works use;
* **water, capacity** rows of past years, targets due before Y, mandatory works whose
  every option lies in the past and precedence links of kept works are history: dropped,
  not enforced (an unmet one is listed in the record).

``granted_t`` and ``spent_t`` are the year's actuals when given (region/cycle.py), else
the scenario's budget and the works' recorded costs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel
from optimizer.formulation import Layout, compile_problem
from optimizer.problem import Problem
from region.cycle import YearActuals
from region.scenario_problems import scenario_from_dict

#: The columns of a failed or cancelled work's paid row (:func:`_lapsed_paid`) taken from
#: its option: what names and places it; its figures are what it was paid, nothing else.
LAPSED_COLUMNS = ("parcel_id", "action", "action_zh", "action_en", "start_year", "zone",
                  "county", "land_cover", "project_id", "project_zh", "project_en",
                  "work_id", "umbrella_id")
#: Row families whose rows of a past year are history (their label ends in that year).
PAST_FAMILIES = ("water", "capacity")
_YEAR = re.compile(r"(\d{4})\]$")


@dataclass(frozen=True)
class Past:
    """What happened before ``year``, as options of the problem.

    ``kept``: options of works that stay (done, partial), ``kept_paid``: what each has cost
    so far (NaN: its planned instalments);
    ``lapsed``: options of failed and cancelled works, ``lapsed_paid``: what each cost
    (NaN: failed ones their planned instalments, cancelled ones nothing) and
    ``lapsed_failed`` which of them failed; ``actuals``: per past year, if known;
    ``kept_recorded``, ``lapsed_recorded``: the year re-planned when each work was
    recorded (its ``*_paid`` covers the years before it; None: ``year``, all recorded now).
    """

    year: int
    kept: NDArray[np.int64]
    kept_paid: NDArray[np.float64]
    lapsed: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    lapsed_paid: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    lapsed_failed: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, bool))
    actuals: dict[int, YearActuals] = field(default_factory=dict)
    kept_recorded: NDArray[np.int64] | None = None
    lapsed_recorded: NDArray[np.int64] | None = None

    def recorded(self, kept: bool) -> NDArray[np.int64]:
        """Per kept (or lapsed) work, the year re-planned when it was recorded."""
        options, years = (self.kept, self.kept_recorded) if kept else \
            (self.lapsed, self.lapsed_recorded)
        return np.full(len(options), self.year, np.int64) if years is None \
            else np.asarray(years, np.int64)


@dataclass(frozen=True)
class History:
    """The past years as the re-plan took them: one row per year (granted, spent, of it on
    kept works, carried, water used) and what was history rather than a rule."""

    years: pd.DataFrame
    notes: tuple[str, ...]
    #: failed and cancelled works paid in a past year: parcel_id, action, start_year,
    #: failed (bool) and cost_<past year> (万元), one row a work (empty: none was paid)
    lapsed: pd.DataFrame = field(default_factory=pd.DataFrame)

    def record(self) -> dict:
        """For the manifest."""
        return {"years": self.years.to_dict(orient="records"), "notes": list(self.notes)}


def _instalments(problem: Problem, options: NDArray[np.int64], paid: NDArray[np.float64],
                 past: NDArray[np.bool_], recorded: NDArray[np.int64], still_due: bool
                 ) -> NDArray[np.float64]:
    """Per option, its spend in each past year. The years before ``recorded`` (the re-plan
    that recorded the work: what ``paid`` covers) pay the planned instalments scaled to
    ``paid`` (NaN: as planned), all in its start year when nothing was planned then; the
    past years since pay the planned instalments if the work is ``still_due`` (kept),
    nothing if not (failed, cancelled)."""
    planned = problem.cost[options][:, np.flatnonzero(past)].toarray()
    covered = np.asarray(problem.years)[past][None, :] < recorded[:, None]
    total = (planned * covered).sum(axis=1)
    wanted = np.where(np.isnan(paid), total, paid)
    factor = np.divide(wanted, total, out=np.zeros(len(options)), where=total > 0)
    spend = planned * covered * factor[:, None]
    start = np.searchsorted(problem.years, problem.option_year[options])
    none_planned = (total <= 0) & (wanted > 0)
    spend[none_planned, start[none_planned]] = wanted[none_planned]
    if still_due:
        spend += planned * ~covered
    return spend


def _with_paid(cost: sp.csr_matrix, options: NDArray[np.int64], spend: NDArray[np.float64],
               past: NDArray[np.bool_]) -> sp.csr_matrix:
    """``cost`` with the past-year entries of ``options`` replaced by ``spend``."""
    coo = cost.tocoo()
    drop = np.isin(coo.row, options) & past[coo.col]
    past_cols = np.flatnonzero(past)
    rows = np.repeat(options, len(past_cols))
    cols = np.tile(past_cols, len(options))
    values = spend.ravel()
    keep = values != 0
    return sp.csr_matrix((np.concatenate([coo.data[~drop], values[keep]]),
                          (np.concatenate([coo.row[~drop], rows[keep]]),
                           np.concatenate([coo.col[~drop], cols[keep]]))), shape=cost.shape)


def fix_past(problem: Problem, past: Past) -> tuple[Problem, History]:
    """The problem with the past closed (see the module docstring): kept works paid as
    recorded (their bound is set on the compiled model, :func:`close_past_rows`), every
    other past option locked out, past budgets set to the money that was really there,
    past targets and mandatory works left as history."""
    scenario = problem.scenario
    years = np.array(problem.years)
    is_past = years < past.year
    past_years = [int(y) for y in years[is_past]]
    kept_spend = _instalments(problem, past.kept, past.kept_paid, is_past,
                              past.recorded(kept=True), still_due=True)
    cancelled_free = np.where(past.lapsed_failed, np.nan, 0.0)
    lapsed_paid = np.where(np.isnan(past.lapsed_paid), cancelled_free, past.lapsed_paid)
    lapsed_spend = _instalments(problem, past.lapsed, lapsed_paid, is_past,
                                past.recorded(kept=False), still_due=False)
    cost = _with_paid(problem.cost, past.kept, kept_spend, is_past)
    kept_water = problem.water[past.kept][:, np.flatnonzero(is_past)].toarray().sum(axis=0)
    budget = scenario.budget.for_years(list(problem.years))
    lake = scenario.water.aydingkol.target_wan_m3 if scenario.water.aydingkol else 0.0
    rows, notes = [], []
    carried = 0.0
    limits: dict[int, float] = {}
    for k, year in enumerate(past_years):
        actual = past.actuals.get(year, YearActuals())
        granted = budget[year] if actual.budget_wan is None else actual.budget_wan
        on_kept = float(kept_spend[:, k].sum())
        spent = on_kept + float(lapsed_spend[:, k].sum()) if actual.spend_wan is None \
            else actual.spend_wan
        if scenario.budget.carry_over:
            left = carried + granted - spent
            if left < -1e-6:
                notes.append(f"{year}: {spent:,.0f} 万元 spent, {carried + granted:,.0f} "
                             "available: the overspend is not carried as a debt")
            limits[year] = on_kept  # and the money carried into Y, below
            carried = max(left, 0.0)
        else:
            limits[year] = max(on_kept, granted - (spent - on_kept))
        used = float(kept_water[k]) + lake if actual.water_wan_m3 is None \
            else actual.water_wan_m3
        rows.append({"year": year, "granted_wan": granted, "spent_wan": spent,
                     "spent_on_kept_works_wan": on_kept, "carried_wan": carried,
                     "water_used_wan_m3": used, "water_of_kept_works_wan_m3":
                         float(kept_water[k]), "lake_delivery_wan_m3": lake})
    history = pd.DataFrame(rows, columns=["year", "granted_wan", "spent_wan",
                                          "spent_on_kept_works_wan", "carried_wan",
                                          "water_used_wan_m3", "water_of_kept_works_wan_m3",
                                          "lake_delivery_wan_m3"])
    if scenario.budget.carry_over and past_years:
        limits[past_years[-1]] += carried
    raw = scenario.model_dump(mode="json", exclude_none=True)
    raw["budget"]["per_year"] = {**raw["budget"].get("per_year", {}),
                                 **{str(y): v for y, v in limits.items()}}
    for code, county_limits in county_past_limits(problem, past, past_years, kept_spend,
                                                  lapsed_spend).items():
        own = raw["budget"]["per_county"][code]
        own["per_year"] = {**own.get("per_year", {}),
                           **{str(y): v for y, v in county_limits.items()}}
    outside = float((history["spent_wan"] - history["spent_on_kept_works_wan"]).sum())
    if scenario.budget.total is not None:
        raw["budget"]["total"] = max(scenario.budget.total - outside, 0.0)
    if scenario.water.total is not None:
        extra = float((history["water_used_wan_m3"] - history["lake_delivery_wan_m3"]
                       - history["water_of_kept_works_wan_m3"]).sum())
        raw["water"]["total"] = max(scenario.water.total - extra, 0.0)
    due = [t for t in scenario.targets if t.by_year >= past.year]
    notes += [f"target '{t.name}' (by {t.by_year}) is history: not re-checked"
              for t in scenario.targets if t.by_year < past.year]
    raw["targets"] = [t.model_dump(mode="json", exclude_none=True) for t in due]
    fixed = np.zeros(problem.n_options, bool)
    fixed[past.kept] = True
    locked_out = problem.locked_out | (((problem.option_year < past.year)
                                        | history_only(problem)) & ~fixed)
    locked_in = []
    for label, members in problem.locked_in:
        if np.all(locked_out[members]):
            notes.append(f"mandatory work {label}: all its options lie in the past and none "
                         "was done; history, not re-checked")
        else:
            locked_in.append((label, members))
    fixed_problem = replace(problem, scenario=scenario_from_dict(raw, "re-plan"), cost=cost,
                            locked_out=locked_out, locked_in=tuple(locked_in))
    return fixed_problem, History(history, tuple(notes),
                                  _lapsed_paid(problem, past, lapsed_spend, past_years))


def _lapsed_paid(problem: Problem, past: Past, spend: NDArray[np.float64],
                 past_years: list[int]) -> pd.DataFrame:
    """The failed and cancelled works paid something in a past year: their key, whether
    they failed, and what each past year paid them (``cost_<year>``, 万元). The history's
    ``spent_wan`` counts these payments; the plan's rows (the kept works) do not."""
    options = problem.option_frame().rename(columns={"name_zh": "action_zh",
                                                     "name_en": "action_en"})
    frame = options.iloc[past.lapsed][[c for c in LAPSED_COLUMNS if c in options]] \
        .reset_index(drop=True).assign(failed=np.asarray(past.lapsed_failed, bool))
    for k, year in enumerate(past_years):
        frame[f"cost_{year}"] = spend[:, k] if len(frame) else 0.0
    paid = frame[[f"cost_{y}" for y in past_years]].sum(axis=1) > 0 if past_years else \
        pd.Series(False, index=frame.index)
    return frame[paid].reset_index(drop=True)


def history_only(problem: Problem) -> NDArray[np.bool_]:
    """Options of pairs the catalogue no longer allows, built only to record a past work
    (option table column ``history_only``, pipeline/replan_history.py): never open but as
    the kept work itself."""
    if "history_only" not in problem.pairs.columns:
        return np.zeros(problem.n_options, bool)
    return problem.pairs["history_only"].eq(True).to_numpy()[problem.option_pair]


def county_past_limits(problem: Problem, past: Past, past_years: list[int],
                       kept_spend: NDArray[np.float64], lapsed_spend: NDArray[np.float64]
                       ) -> dict[str, dict[int, float]]:
    """Per county of ``budget.per_county``, its money in each past year as the city's is set
    (module docstring): with carry-over the kept works' spend, and in the last past year
    also what is really carried, so exactly the county's money left reaches the re-planned
    year;
    without, what was granted less what its failed and cancelled works cost (at least the
    kept works' spend). Granted is the scenario's; spent, what its works were paid."""
    budget = problem.scenario.budget
    if not budget.per_county or not past_years:
        return {}
    county = problem.option_frame()["county"].astype(str).to_numpy()
    out: dict[str, dict[int, float]] = {}
    for code, limit in budget.per_county.items():
        granted = limit.for_years(list(problem.years))
        kept, lapsed = county[past.kept] == code, county[past.lapsed] == code
        carried, limits = 0.0, {}
        for k, year in enumerate(past_years):
            on_kept = float(kept_spend[kept, k].sum())
            spent = on_kept + float(lapsed_spend[lapsed, k].sum())
            if budget.county_carries(code):
                limits[year] = on_kept  # and the money carried into Y, below
                carried = max(carried + granted[year] - spent, 0.0)
            else:
                limits[year] = max(on_kept, granted[year] - (spent - on_kept))
        if budget.county_carries(code):
            limits[past_years[-1]] += carried
        out[code] = limits
    return out


def close_past_rows(model: CompiledModel, kept: NDArray[np.int64], year: int
                    ) -> CompiledModel:
    """The compiled model with kept works fixed at 1 (also where no money could pay them
    now: optimizer/problem.py ``unaffordable`` closes options, not history) and the past's
    water and capacity rows and kept works' precedence links made free (history, see the
    module docstring)."""
    lower, upper = model.row_lower.copy(), model.row_upper.copy()
    for family in model.families:
        if family.name.startswith(PAST_FAMILIES):
            for k, label in enumerate(family.labels):
                found = _YEAR.search(label)
                if found and int(found.group(1)) < year:
                    lower[family.start + k], upper[family.start + k] = -np.inf, np.inf
        elif family.name == "precedence" and len(kept):
            links = model.A[family.start:family.stop][:, kept]
            rows = family.start + np.unique(links.tocoo().row)
            lower[rows], upper[rows] = -np.inf, np.inf
    col_lower, col_upper = model.col_lower.copy(), model.col_upper.copy()
    col_lower[kept] = col_upper[kept] = 1.0
    return replace(model, row_lower=lower, row_upper=upper, col_lower=col_lower,
                   col_upper=col_upper)


def compile_with_past(problem: Problem, past: Past
                      ) -> tuple[Problem, CompiledModel, Layout, History]:
    """:func:`fix_past`, compiled, then :func:`close_past_rows`."""
    fixed, history = fix_past(problem, past)
    model, layout = compile_problem(fixed)
    return fixed, close_past_rows(model, past.kept, past.year), layout, history
