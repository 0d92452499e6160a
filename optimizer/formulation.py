"""Compile a Problem into the solver-neutral sparse model, one named row family per rule.

Columns: x[o] ∈ {0,1} per option (start action a on parcel p in year t); s[t] ≥ 0 unspent
money carried from year t (when carry-over is on); z[g,t] ≥ 0 how often the "before" action
of a precedence rule has started in group g by year t; y[c,t] ∈ [0,1] corridor c complete by
year t; m[k,t] credited savings moved into county k in year t (saving_scope = "city").
Maximise Σ value·x + Σ bonus_c·y (the last year's y counts until the evaluation year).

Row families (every row labelled, e.g. ``water[2029]``):

    one_action[p]       Σ_{a,t} x[p,a,t] ≤ 1; for a catalogue chain a→b on p the pair may
                        both start, b strictly after a (rows one_action[p,b] and
                        chain_order[p,a→b,t]: x[p,b,t] + Σ_{t'≥t} x[p,a,t'] ≤ 1)
    budget[t]           Σ cost_t·x + s_t − s_{t−1} ≤ B_t        (s ≡ 0 without carry-over)
    budget_total        Σ_t Σ cost_t·x ≤ B
    water[k,t]          Σ_{options in account k} water_t·x − m[k,t] ≤ available[k,t]
                        per water account k (a county, or the city: label water[t]);
                        water = demand − saving_credit · saving (optimizer/water_accounts.py)
    water_city[t]       Σ water_t·x ≤ W_t, a city-wide cap beside county accounts
    water_export[k,t]   −m[k,t] − saving_credit · Σ_{k's options} saving_t·x ≤ 0
    water_balance[t]    Σ_k m[k,t] = 0   (m, credited savings moved between counties, only
                        with saving_scope = "city"; without it m ≡ 0)
    water_total         Σ_t Σ water_t·x ≤ W
    target[name]        Σ measure·x ≥ minimum over matching options started by its year
    locked_in[...]      Σ x ≥ 1 over a mandatory pair's allowed options
    precedence_sum[g,t] z[g,t] − Σ_{a-options in g, start ≤ t} x = 0
    precedence[o]       x[o] − z[g(o), t(o) − lag] ≤ 0 for every "after" option o
    capacity[a,t]       Σ area·x over a's options starting in t ≤ capacity_a
    capacity_count[a,t] Σ x over a's options of area > capacity_a/(k_a+1) ≤ k_a, with
                        k_a = ⌊capacity_a/m_a⌋ for a's median area m_a
    capacity_mir[a,t]   Σ g(area)·x ≤ ⌊capacity_a/δ_a⌋, the mixed-integer rounding of the
                        capacity row by a's largest area δ_a (only where a's areas differ)
                        (both implied by capacity for integer x; they cut off fractional LP
                        points: proofs in :func:`capacity_count_members`, :func:`mir_coefficients`)
    corridor[c,p,t]     y[c,t] − Σ_{restoring options on p started by t} x ≤ 0 for degraded p
                        of c (restoring: catalogue restores_habitat)
    county_share[k]     Σ cost_in_horizon·(1[county = k] − share_k)·x ≥ 0
    budget_county[k,t]  Σ_{k's options} cost_t·x ≤ B_{k,t}   (budget.per_county); with the
                        county's carry-over, budget_county[k,t0-t]: Σ_{t'≤t} cost_t'·x ≤
                        Σ_{t'≤t} B_{k,t'} (unspent money carried, as the city's carry
                        columns allow, without columns)

Locked-out options, and options whose own cost exceeds the money there is for them
(optimizer.problem.unaffordable; unless mandatory), get upper bound 0. All rows are built
from index arrays (scipy COO); no Python loop per option.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.compiled import CompiledModel, RowFamily
from optimizer.problem import Problem, compatible_chains, restoring, unaffordable
from optimizer.water_accounts import CITY, WaterAccount, account_of_options, water_accounts


@dataclass
class RowBuilder:
    """Collects row blocks (COO triplets with local row numbers) family by family."""

    n_cols: int
    rows: list[NDArray] = field(default_factory=list)
    cols: list[NDArray] = field(default_factory=list)
    vals: list[NDArray] = field(default_factory=list)
    lower: list[NDArray] = field(default_factory=list)
    upper: list[NDArray] = field(default_factory=list)
    families: list[RowFamily] = field(default_factory=list)
    n_rows: int = 0

    def add(self, name: str, labels: list[str], rows: NDArray, cols: NDArray, vals: NDArray,
            lower: NDArray | float, upper: NDArray | float) -> None:
        """Append a family of len(labels) rows; ``rows`` are numbered from 0 in the family."""
        count = len(labels)
        if count == 0:
            return
        self.rows.append(np.asarray(rows, dtype=np.int64) + self.n_rows)
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.vals.append(np.asarray(vals, dtype=float))
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (count,)))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), (count,)))
        self.families.append(RowFamily(name, self.n_rows, self.n_rows + count, tuple(labels)))
        self.n_rows += count

    def matrix(self) -> sp.csr_matrix:
        if not self.rows:
            return sp.csr_matrix((0, self.n_cols))
        return sp.csr_matrix((np.concatenate(self.vals),
                              (np.concatenate(self.rows), np.concatenate(self.cols))),
                             shape=(self.n_rows, self.n_cols))


@dataclass(frozen=True)
class Layout:
    """Where each kind of column sits in the compiled model."""

    n_options: int
    carry: slice
    precedence: slice
    precedence_groups: tuple[tuple[int, str, object], ...]  # (rule index, scope, group key)
    corridor: slice
    transfer: slice  # m[k,t], account-major
    accounts: tuple[WaterAccount, ...]
    n_cols: int


def compile_problem(problem: Problem) -> tuple[CompiledModel, Layout]:
    """The sparse model of ``problem`` and the layout of its columns."""
    scenario = problem.scenario
    years = np.array(problem.years)
    n_years = len(years)
    n_opt = problem.n_options
    pairs = problem.pairs
    frame = problem.option_frame()
    carry_on = scenario.budget.carry_over
    carry = slice(n_opt, n_opt + (n_years if carry_on else 0))
    groups = _precedence_groups(problem, frame)
    prec = slice(carry.stop, carry.stop + len(groups) * n_years)
    n_corr = len(problem.corridors)
    corridor = slice(prec.stop, prec.stop + n_corr * n_years)
    accounts = tuple(water_accounts(scenario, list(problem.years),
                                    set(frame["county"].astype(str))))
    moves = scenario.water.saving_scope == "city" and len(accounts) > 1
    transfer = slice(corridor.stop, corridor.stop + (len(accounts) * n_years if moves else 0))
    layout = Layout(n_opt, carry, prec, tuple(groups), corridor, transfer, accounts,
                    transfer.stop)
    rows = RowBuilder(layout.n_cols)

    _one_action(rows, problem, frame)
    _budget(rows, problem, layout, years)
    _water(rows, problem, frame, layout, years)
    _targets(rows, problem, frame)
    _locked_in(rows, problem)
    started_by_year = _precedence(rows, problem, frame, layout, years)
    _capacity(rows, pairs, frame, years)
    _corridors(rows, problem, frame, layout, years)
    _county_share(rows, problem, frame)
    _county_budget(rows, problem, frame, years)

    obj = np.zeros(layout.n_cols)
    obj[:n_opt] = problem.value
    if n_corr:
        per_year = np.ones(n_years)
        per_year[-1] += scenario.horizon.evaluation_year - years[-1]
        obj[corridor] = (problem.corridor_bonus[:, None] * per_year[None, :]).ravel()
    col_upper = np.ones(layout.n_cols)
    # Options no money can pay are closed, but not mandatory ones: the presolve refuses
    # those with the numbers, and the infeasibility explanation's slack on the money rows
    # must still be able to name the rows that would have to give.
    mandatory = np.zeros(n_opt, bool)
    for _, members in problem.locked_in:
        mandatory[members] = True
    col_upper[:n_opt][problem.locked_out | (unaffordable(problem) & ~mandatory)] = 0.0
    # Implied bounds, stated so that every column is bounded (the Lagrangian bound needs
    # it): money carried from year t is at most all money up to t; a precedence counter
    # at most the options that could have started by then.
    limits = scenario.budget.for_years(list(problem.years))
    col_upper[carry] = np.cumsum([limits[y] for y in problem.years])[:carry.stop - carry.start]
    col_upper[prec] = started_by_year
    col_lower = np.zeros(layout.n_cols)
    if layout.transfer.stop > layout.transfer.start:
        # A county imports at most what all counties can save, exports at most its own.
        credited = scenario.water.saving_credit * np.asarray(problem.saving.sum(axis=0)).ravel()
        col_upper[layout.transfer] = np.tile(credited, len(accounts))
        col_lower[layout.transfer] = -np.tile(credited, len(accounts))
    integrality = np.zeros(layout.n_cols, bool)
    integrality[:n_opt] = True
    names = _column_names(problem, layout)
    model = CompiledModel(
        "max", obj, rows.matrix(), np.concatenate(rows.lower) if rows.lower else np.zeros(0),
        np.concatenate(rows.upper) if rows.upper else np.zeros(0), col_lower, col_upper,
        integrality, tuple(rows.families), names,
        meta={"builder": "optimizer.formulation.compile_problem"})
    return model, layout


def _column_names(problem: Problem, layout: Layout) -> tuple[str, ...]:
    pid = problem.pairs["parcel_id"].to_numpy()[problem.option_pair]
    act = problem.pairs["action"].to_numpy()[problem.option_pair]
    names = [f"x_{p}_{a}_{t}" for p, a, t in zip(pid, act, problem.option_year, strict=True)]
    names += [f"carry_{t}" for t in problem.years[: layout.carry.stop - layout.carry.start]]
    names += [f"z_{r}_{g}_{t}" for r, _, g in layout.precedence_groups for t in problem.years]
    names += [f"corridor_{i}_{t}" for i in range(len(problem.corridors)) for t in problem.years]
    if layout.transfer.stop > layout.transfer.start:
        names += [f"water_moved_{a.key}_{t}" for a in layout.accounts for t in problem.years]
    return tuple(names)


def _one_action(rows: RowBuilder, problem: Problem, frame) -> None:
    pairs = problem.pairs
    chains = compatible_chains(pairs)
    followers = set(chains["index_follow"].tolist())
    is_follower = np.isin(problem.option_pair, list(followers))
    parcel_codes, parcel_index = np.unique(frame["parcel_id"].to_numpy(), return_inverse=True)
    keep = np.flatnonzero(~is_follower)
    rows.add("one_action", [f"one_action[{p}]" for p in parcel_codes], parcel_index[keep], keep,
             np.ones(len(keep)), -np.inf, 1.0)
    if chains.empty:
        return
    # One extra row per chain: the follower plus everything on the parcel but the first.
    labels, r, c = [], [], []
    for k, chain in enumerate(chains.itertuples()):
        on_parcel = np.flatnonzero((frame["parcel_id"].to_numpy() == chain.parcel_id)
                                   & (problem.option_pair != chain.index_first)
                                   & (~is_follower | (problem.option_pair == chain.index_follow)))
        labels.append(f"one_action[{chain.parcel_id},{pairs['action'].iat[chain.index_follow]}]")
        r.append(np.full(len(on_parcel), k))
        c.append(on_parcel)
    rows.add("one_action_chain", labels, np.concatenate(r), np.concatenate(c),
             np.ones(sum(len(x) for x in c)), -np.inf, 1.0)
    # Order: the follow-up starts strictly after the first action.
    n_years = len(problem.years)
    labels, r, c = [], [], []
    row = 0
    for chain in chains.itertuples():
        first = np.flatnonzero(problem.option_pair == chain.index_first)
        follow = np.flatnonzero(problem.option_pair == chain.index_follow)
        for k in range(n_years):
            later_first = first[problem.option_year[first] >= problem.years[k]]
            labels.append(f"chain_order[{chain.parcel_id},{problem.years[k]}]")
            r.append(np.full(len(later_first) + 1, row))
            c.append(np.concatenate([[follow[k]], later_first]))
            row += 1
    rows.add("chain_order", labels, np.concatenate(r), np.concatenate(c),
             np.ones(sum(len(x) for x in c)), -np.inf, 1.0)


def _budget(rows: RowBuilder, problem: Problem, layout: Layout, years: NDArray) -> None:
    scenario = problem.scenario
    limits = scenario.budget.for_years(list(problem.years))
    cost = problem.money.tocoo()  # instalments after the horizon held in its last year
    r, c, v = [cost.col], [cost.row], [cost.data]
    if layout.carry.stop > layout.carry.start:
        k = np.arange(len(years))
        r += [k, k[1:]]
        c += [layout.carry.start + k, layout.carry.start + k[:-1]]
        v += [np.ones(len(k)), -np.ones(len(k) - 1)]
    rows.add("budget", [f"budget[{y}]" for y in years], np.concatenate(r), np.concatenate(c),
             np.concatenate(v), -np.inf, np.array([limits[y] for y in problem.years]))
    if scenario.budget.total is not None:
        rows.add("budget_total", ["budget_total"], np.zeros(len(cost.data)), cost.row,
                 cost.data, -np.inf, scenario.budget.total)


def _water(rows: RowBuilder, problem: Problem, frame, layout: Layout,
           years: NDArray) -> None:
    """Water accounts (optimizer/water_accounts.py), a city-wide cap beside county
    accounts, moves of credited savings between counties, and the horizon's total."""
    water_rules = problem.scenario.water
    water = problem.water.tocoo()
    accounts = layout.accounts
    account = account_of_options(list(accounts), frame["county"].astype(str).to_numpy())
    n_years = len(years)
    row = account[water.row] * n_years + water.col
    cols, vals = water.row, water.data
    moves = layout.transfer.stop > layout.transfer.start
    if moves:
        moved = np.arange(len(accounts) * n_years)
        row, cols = np.concatenate([row, moved]), np.concatenate([cols, layout.transfer.start
                                                                 + moved])
        vals = np.concatenate([vals, -np.ones(len(moved))])
    labels = [f"water[{y}]" if a.key == CITY else f"water[{a.key},{y}]"
              for a in accounts for y in years]
    rows.add("water", labels, row, cols, vals, -np.inf,
             np.concatenate([a.available for a in accounts]))
    if moves:
        saving = problem.saving.tocoo()
        own = account[saving.row] * n_years + saving.col
        rows.add("water_export", [f"water_export[{a.key},{y}]" for a in accounts for y in years],
                 np.concatenate([own, moved]),
                 np.concatenate([saving.row, layout.transfer.start + moved]),
                 np.concatenate([-water_rules.saving_credit * saving.data,
                                 -np.ones(len(moved))]), -np.inf, 0.0)
        rows.add("water_balance", [f"water_balance[{y}]" for y in years], moved % n_years,
                 layout.transfer.start + moved, np.ones(len(moved)), 0.0, 0.0)
    if water_rules.city_wide and accounts[0].key != CITY:
        limits = water_rules.for_years(list(problem.years))
        rows.add("water_city", [f"water_city[{y}]" for y in years], water.col, water.row,
                 water.data, -np.inf, np.array([limits[y] for y in problem.years]))
    if water_rules.total is not None:
        rows.add("water_total", ["water_total"], np.zeros(len(water.data)), water.row,
                 water.data, -np.inf, water_rules.total)


def target_members(frame, target) -> NDArray[np.int64]:
    """Options that count towards a target: filters match and started by its year."""
    mask = frame["start_year"].to_numpy() <= target.by_year
    for column, wanted in (("zone", target.zone), ("county", target.county),
                           ("action", target.action), ("land_cover", target.land_cover)):
        if wanted is not None and column in frame.columns:
            mask &= (frame[column] == wanted).to_numpy()
    if target.project is not None:
        mask &= in_project(frame, target.project)
    return np.flatnonzero(mask)


def in_project(frame, project: str) -> NDArray[np.bool_]:
    """Options counting for a plan project, as the lists count them: filed under it
    (``project_id``), under one of its projects when it is a work with projects below it
    (``work_id``: W1's are those of P1-1 to P1-5, plan lines 96, 98), or covered by it as an
    umbrella work (``umbrella_id``, '|'-joined). A frame not filed under projects has none."""
    if "project_id" not in frame.columns:
        return np.zeros(len(frame), bool)
    mask = np.zeros(len(frame), bool)
    for column in ("project_id", "work_id"):
        if column in frame.columns:  # per distinct text, not per option
            codes, ids = pd.factorize(frame[column].fillna("").astype(str))
            mask |= (ids == project)[codes]
    if "umbrella_id" in frame.columns:
        codes, covers = pd.factorize(frame["umbrella_id"].fillna("").astype(str))
        mask |= np.array([project in text.split("|") for text in covers], bool)[codes]
    return mask


def _targets(rows: RowBuilder, problem: Problem, frame) -> None:
    targets = problem.scenario.targets
    r, c, v = [], [], []
    for k, target in enumerate(targets):
        members = target_members(frame, target)
        measure = (frame["area_km2"].to_numpy(float)[members] if target.measure == "area_km2"
                   else np.ones(len(members)))
        r.append(np.full(len(members), k))
        c.append(members)
        v.append(measure)
    if targets:
        rows.add("target", [f"target[{t.name}]" for t in targets], np.concatenate(r),
                 np.concatenate(c), np.concatenate(v),
                 np.array([t.minimum for t in targets]), np.inf)


def _locked_in(rows: RowBuilder, problem: Problem) -> None:
    groups = problem.locked_in
    if not groups:
        return
    r = np.concatenate([np.full(len(members), k) for k, (_, members) in enumerate(groups)])
    c = np.concatenate([members for _, members in groups])
    rows.add("locked_in", [f"locked_in[{label}]" for label, _ in groups], r, c,
             np.ones(len(c)), 1.0, np.inf)


def _group_key(frame, scope: str) -> NDArray:
    if scope == "region":
        return np.zeros(len(frame), dtype=object)
    column = {"parcel": "parcel_id", "zone": "zone", "county": "county"}[scope]
    return frame[column].astype(str).to_numpy(dtype=object)


def _precedence_groups(problem: Problem, frame) -> list[tuple[int, str, object]]:
    groups = []
    for k, rule in enumerate(problem.scenario.precedence):
        key = _group_key(frame, rule.scope)
        after = frame["action"].to_numpy() == rule.after
        groups += [(k, rule.scope, g) for g in sorted(set(key[after]))]
    return groups


def _precedence(rows: RowBuilder, problem: Problem, frame, layout: Layout,
                years: NDArray) -> NDArray[np.float64]:
    """The precedence rows; returns, per counter z[g,t], how many options it counts."""
    if not layout.precedence_groups:
        return np.zeros(0)
    n_years = len(years)
    action = frame["action"].to_numpy()
    start = frame["start_year"].to_numpy()
    index = {(rule, g): i for i, (rule, _, g) in enumerate(layout.precedence_groups)}
    sum_r, sum_c, sum_v, sum_labels, counted = [], [], [], [], []
    link_r, link_c, link_v, link_labels = [], [], [], []
    for k, rule in enumerate(problem.scenario.precedence):
        key = _group_key(frame, rule.scope)
        before = np.flatnonzero(action == rule.before)
        after = np.flatnonzero(action == rule.after)
        for g in sorted(set(key[after])):
            gi = index[(k, g)]
            members = before[key[before] == g]
            for t_index, year in enumerate(years):
                row = len(sum_labels)
                started = members[start[members] <= year]
                counted.append(len(started))
                z_col = layout.precedence.start + gi * n_years + t_index
                sum_r.append(np.full(len(started) + 1, row))
                sum_c.append(np.concatenate([[z_col], started]))
                sum_v.append(np.concatenate([[1.0], -np.ones(len(started))]))
                sum_labels.append(f"precedence_sum[{rule.before}→{rule.after},{g},{year}]")
            followers = after[key[after] == g]
            ready = np.searchsorted(years, start[followers] - rule.lag_years, side="right") - 1
            link_rows = len(link_labels) + np.arange(len(followers))
            linked = ready >= 0  # else nothing can precede it in time: x ≤ 0 alone
            link_r += [link_rows, link_rows[linked]]
            link_c += [followers, layout.precedence.start + gi * n_years + ready[linked]]
            link_v += [np.ones(len(followers)), -np.ones(int(linked.sum()))]
            parcels = frame["parcel_id"].to_numpy()[followers]
            link_labels += [f"precedence[{rule.before}→{rule.after},parcel {p},{t}]"
                            for p, t in zip(parcels, start[followers], strict=True)]
    rows.add("precedence_sum", sum_labels, np.concatenate(sum_r), np.concatenate(sum_c),
             np.concatenate(sum_v), 0.0, 0.0)
    rows.add("precedence", link_labels, np.concatenate(link_r), np.concatenate(link_c),
             np.concatenate(link_v), -np.inf, 0.0)
    return np.array(counted, dtype=float)  # rows, like the counters, group by group and year


def action_median_area(area: NDArray, action: NDArray) -> NDArray[np.float64]:
    """Per option, the median area of its action's options. Options at least this large
    are the whole parcels the capacity count cut counts; the smaller ones fill the rest of
    a year's capacity (the support polish's filler parcels, optimizer/neighbourhoods.py)."""
    return pd.Series(area).groupby(action).transform("median").to_numpy(float)


def capacity_count_members(area: NDArray, capacity: float, median: float
                           ) -> tuple[NDArray[np.bool_], int]:
    """Which options of one action the count cut counts, and how many of them may start in
    a year: k = ⌊capacity/median area⌋ and every option larger than capacity/(k+1).

    Valid (no integer plan is cut off): k+1 options each larger than capacity/(k+1) cover
    more than the capacity together, so a year that keeps its capacity row starts at most
    k of them (options of at least the median area are above it: k + 1 > capacity/median).
    Counting every option above capacity/(k+1), not only those of at least the median,
    makes the same row tighter: on the Turpan baseline it also counts the 4.8 km² parcels
    the LP used as fillers beside five 5 km² ones. A relative margin of 1e-6 keeps the rule
    strict within the solver's feasibility tolerance."""
    k = int(np.floor(capacity / median + 1e-9))
    return (area >= median) | (area * (k + 1) > capacity * (1.0 + 1e-6)), k


#: How close capacity/δ may come to a whole number and be taken as that number: float
#: division puts an exact multiple just below it (1.2/0.2 = 5.999999999999999), and a
#: right-hand side one too low would cut off the plan that fills the year exactly.
WHOLE_TOLERANCE = 1e-6


def mir_coefficients(area: NDArray, capacity: float, delta: float
                     ) -> tuple[NDArray[np.float64], float] | None:
    """The mixed-integer rounding (MIR) inequality Σ g(area_j)·x_j ≤ ⌊capacity/δ⌋ of a
    capacity row Σ area_j·x_j ≤ capacity, with g(a) = ⌊a/δ⌋ + max(0, f(a) − f₀)/(1 − f₀),
    f(a) = a/δ − ⌊a/δ⌋, β = capacity/δ, f₀ = β − ⌊β⌋, g rounded down to 4 decimals; None
    when f₀ = 0 (the rounding then says no more than the count cut).

    Valid for integer x ≥ 0, so no plan is cut off (Nemhauser and Wolsey, Integer and
    Combinatorial Optimization, 1988, II.1.7; Marchand and Wolsey 2001, Operations Research
    49(3):363). Divided by δ, the row is Σ (a_j/δ)·x_j ≤ β. With ⌊a_j/δ⌋ ≤ a_j/δ for the
    options with f_j ≤ f₀ and a_j/δ = ⌊a_j/δ⌋ + 1 − (1 − f_j) for the others, it implies
    y − s ≤ β for the integer y = Σ_{f_j ≤ f₀} ⌊a_j/δ⌋x_j + Σ_{f_j > f₀} (⌊a_j/δ⌋ + 1)x_j and
    s = Σ_{f_j > f₀} (1 − f_j)x_j ≥ 0. Then y − s/(1 − f₀) ≤ ⌊β⌋: if y ≤ ⌊β⌋ as s ≥ 0; if
    y = ⌊β⌋ + m with m ≥ 1, s ≥ y − β = m − f₀ and m − (m − f₀)/(1 − f₀) ≤ 0. Written out,
    y − s/(1 − f₀) is Σ g(a_j)·x_j. Tighter than the LP's capacity row where areas differ:
    on the Turpan baseline (δ = 5 km², 28.7 km² of enclosure a year, f₀ = 0.74) a 4.09 km²
    parcel counts 0.30 of a 5 km² one, as five 5 km² parcels leave it only 3.7 km²."""
    beta = capacity / delta
    whole = np.floor(beta + WHOLE_TOLERANCE)  # 1.2/0.2 is 5.999…: six 0.2 parcels fit
    f0 = beta - whole
    if f0 < WHOLE_TOLERANCE:  # a whole multiple (up to float error): no rounding to add
        return None
    ratio = area / delta
    frac = ratio - np.floor(ratio)
    coef = np.floor(ratio) + np.maximum(0.0, frac - f0) / (1.0 - f0)
    # Rounded down to 4 decimals (still valid, as x ≥ 0): whole after ×10⁴, so the CP-SAT
    # backend's integer scaling of the row is exact and cannot cut off a plan on the row.
    return np.floor(coef * 1e4 + 1e-9) / 1e4, float(whole)


def _capacity(rows: RowBuilder, pairs, frame, years: NDArray) -> None:
    capacity = pairs.groupby("action")["capacity_km2_per_yr"].first().dropna()
    if capacity.empty:
        return
    action = frame["action"].to_numpy()
    start_index = np.searchsorted(years, frame["start_year"].to_numpy())
    codes = list(capacity.index)
    code_index = {code: i for i, code in enumerate(codes)}
    limited = np.flatnonzero(np.isin(action, codes))
    row = np.array([code_index[a] for a in action[limited]]) * len(years) + start_index[limited]
    labels = [f"capacity[{a},{y}]" for a in codes for y in years]
    area = frame["area_km2"].to_numpy(float)
    rows.add("capacity", labels, row, limited, area[limited], -np.inf,
             np.repeat(capacity.to_numpy(float), len(years)))
    # Count and rounding cuts (valid, tighten the LP): capacity_count_members,
    # mir_coefficients.
    median = pd.Series(area[limited]).groupby(action[limited]).median()
    count_r, count_c, count_k = [], [], []
    mir_r, mir_c, mir_v, mir_rhs, mir_labels = [], [], [], [], []
    for i, code in enumerate(codes):
        of_code = limited[action[limited] == code]  # never empty: codes come from the options
        counted, k = capacity_count_members(area[of_code], float(capacity[code]),
                                            float(median[code]))
        count_r.append(i * len(years) + start_index[of_code[counted]])
        count_c.append(of_code[counted])
        count_k.append(float(k))
        rounding = (None if np.ptp(area[of_code]) == 0 else  # one size: the count cut is exact
                    mir_coefficients(area[of_code], float(capacity[code]), area[of_code].max()))
        if rounding is None:
            continue
        coef, rhs = rounding
        keep = coef > 0
        mir_r.append(len(mir_rhs) * len(years) + start_index[of_code[keep]])
        mir_c.append(of_code[keep])
        mir_v.append(coef[keep])
        mir_rhs.append(rhs)
        mir_labels += [f"capacity_mir[{code},{y}]" for y in years]
    rows.add("capacity_count", [f"capacity_count[{a},{y}]" for a in codes for y in years],
             np.concatenate(count_r), np.concatenate(count_c),
             np.ones(sum(len(c) for c in count_c)), -np.inf, np.repeat(count_k, len(years)))
    if mir_rhs:
        rows.add("capacity_mir", mir_labels, np.concatenate(mir_r), np.concatenate(mir_c),
                 np.concatenate(mir_v), -np.inf, np.repeat(mir_rhs, len(years)))


def _corridors(rows: RowBuilder, problem: Problem, frame, layout: Layout,
               years: NDArray) -> None:
    if not problem.corridors:
        return
    parcel = frame["parcel_id"].to_numpy()
    start = frame["start_year"].to_numpy()
    restores = restoring(frame)  # a sand barrier or karez work does not restore a corridor
    r, c, v, labels = [], [], [], []
    for ci, corridor in enumerate(problem.corridors):
        for p in np.asarray(corridor.degraded_parcel_ids):
            on_parcel = np.flatnonzero((parcel == p) & restores)
            if len(on_parcel) == 0:
                continue  # nothing can restore it: it does not hold the corridor back
            for t_index, year in enumerate(years):
                row = len(labels)
                started = on_parcel[start[on_parcel] <= year]
                r.append(np.full(len(started) + 1, row))
                c.append(np.concatenate([[layout.corridor.start + ci * len(years) + t_index],
                                         started]))
                v.append(np.concatenate([[1.0], -np.ones(len(started))]))
                labels.append(f"corridor[{corridor.name},parcel {p},{year}]")
    if labels:
        rows.add("corridor", labels, np.concatenate(r), np.concatenate(c), np.concatenate(v),
                 -np.inf, 0.0)


def _county_share(rows: RowBuilder, problem: Problem, frame) -> None:
    shares = problem.scenario.county_min_share
    if not shares:
        return
    spend = problem.whole_cost
    county = frame["county"].astype(str).to_numpy()
    r, c, v = [], [], []
    for k, (code, share) in enumerate(shares.items()):
        coef = spend * ((county == code).astype(float) - share)
        nz = np.flatnonzero(coef)
        r.append(np.full(len(nz), k))
        c.append(nz)
        v.append(coef[nz])
    rows.add("county_share", [f"county_share[{code}]" for code in shares], np.concatenate(r),
             np.concatenate(c), np.concatenate(v), 0.0, np.inf)


def _county_budget(rows: RowBuilder, problem: Problem, frame, years: NDArray) -> None:
    """Each county's own money (``budget.per_county``): its options' spend in a year within
    its limit; with carry-over its spend up to each year within its money up to then, which
    is what carrying the unspent money allows."""
    budget = problem.scenario.budget
    if not budget.per_county:
        return
    cost = problem.money.tocoo()  # options × years, after the horizon held in its last
    county = frame["county"].astype(str).to_numpy()[cost.row]
    n_years = len(years)
    labels: list[str] = []
    r, c, v, upper = [], [], [], []
    for code, limit in budget.per_county.items():
        per_year = limit.for_years(list(problem.years))
        limits = np.array([per_year[y] for y in problem.years])
        mine = county == code
        year, option, value = cost.col[mine], cost.row[mine], cost.data[mine]
        if budget.county_carries(code):
            counts = n_years - year  # year t's spend counts in the rows of t and after
            offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            year, option, value = (np.repeat(year, counts) + offset, np.repeat(option, counts),
                                   np.repeat(value, counts))
            limits = np.cumsum(limits)
            labels += [f"budget_county[{code},{years[0]}-{y}]" for y in years]
        else:
            labels += [f"budget_county[{code},{y}]" for y in years]
        r.append(len(upper) * n_years + year)
        c.append(option)
        v.append(value)
        upper.append(limits)
    rows.add("budget_county", labels, np.concatenate(r), np.concatenate(c),
             np.concatenate(v), -np.inf, np.concatenate(upper))
