"""The plan: what was chosen, what it costs and uses per year, why, and how sure we are.

A :class:`Plan` is built from a Problem and a SolveResult; it writes ``plan.csv``,
``plan.gpkg`` and ``manifest.json`` into a result folder atomically, and only where a
result may go (storage/result_folder.py).
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from optimizer.binding import (
    binding_limits,
    capacity_binding,
    carried_until,
    city_price,
    counties_binding,
    county_money_binding,
    money_binding,
)
from optimizer.compiled import SolveResult
from optimizer.formulation import Layout, target_members
from optimizer.messages import sentences
from optimizer.problem import Problem, restoring
from optimizer.project_options import project_options
from optimizer.water_accounts import account_of_options, account_table
from optimizer.work import clock_sentence
from region.progress import LAPSED_STATUSES
from region.references import code_text
from region.scenario import Scenario
from region.schema import CRITERIA, CRITERION_LABELS
from storage import CSV_FLOATS, write_atomically

#: Per water account and year in the manifest: years[<year>]["counties"][<county code>].
ACCOUNT_FIELDS = ("water_use", "water_available", "saving_credited", "groundwater_relief",
                  "demand", "lake_target", "allocation", "lake_source", "moved_in")
PACKAGES = ("numpy", "pandas", "scipy", "geopandas", "highspy", "pulp", "ortools", "networkx",
            "pydantic")


@dataclass(frozen=True)
class Plan:
    """Chosen options with their yearly money and water, totals against the limits, and
    the solve's status, bound and gap."""

    chosen: pd.DataFrame
    years: pd.DataFrame  # year, budget, spend, water_limit, water_use[, budget_available,
    #                      reported: a re-plan's past year as reported, pipeline/reported.py]
    result: SolveResult
    shadow_prices: dict[int, dict[str, float]] = field(default_factory=dict)
    shadow_price_method: str = ""
    corridors_completed: list[str] = field(default_factory=list)
    water_accounts: pd.DataFrame = field(default_factory=pd.DataFrame)  # see account_table
    scenario: Scenario | None = None  # the question it answers (targets, rules, funding)
    scales: pd.DataFrame | None = None  # per criterion: potential and score scale
    #: per plan project: its options after every rule and the best by value per 万元
    #: (optimizer/project_options.py), for the table of projects without works
    project_options: pd.DataFrame | None = None
    #: the works the plan could still add (start_year, county, cost_<year>: :func:`open_works`),
    #: for whether the money it leaves could pay one (optimizer/binding.py)
    open_works: pd.DataFrame | None = None
    #: a re-plan's failed and cancelled works paid in a recorded year (status failed or
    #: cancelled, cost_<year> what was paid, every other figure 0): not works of the plan,
    #: but money of its past years (optimizer/history.py), so plan.csv and the lists show
    #: them for a recorded year's rows to add up to its spend (:meth:`csv_rows`)
    paid_lapsed: pd.DataFrame | None = None

    @property
    def criterion_totals(self) -> dict[str, float]:
        """Raw mature benefit per criterion over the chosen options (after survival)."""
        survival = self.chosen["survival"].to_numpy(float)
        return {c: float((self.chosen[f"benefit_{c}"] * survival).sum()) for c in CRITERIA}

    def write(self, out_dir: str | Path, parcels: gpd.GeoDataFrame | None = None,
              manifest_extra: dict | None = None,
              also: Callable[[Path], None] | None = None,
              names: Mapping[str, Mapping[str, tuple[str, str]]] | None = None) -> Path:
        """Write plan.csv, plan.gpkg (when parcels are given) and manifest.json atomically;
        ``also(folder)`` adds more files (priority lists, maps, report) to the same folder
        before it is renamed into place. plan.csv is UTF-8 with a byte-order mark (Excel
        opens its Chinese correctly; pandas and our readers skip the mark) and carries,
        after each coded column of ``names`` (county, zone …: code as text → Chinese and
        English name), the names (:func:`with_names`); so does plan.gpkg."""

        def write_files(folder: Path) -> None:
            table = with_names(self.csv_rows(), names or {})
            table.to_csv(folder / "plan.csv", index=False, encoding="utf-8-sig",
                         float_format=CSV_FLOATS)
            if parcels is not None:  # the works only: a failed or cancelled work's paid
                # row is money of a past year, not a parcel of the plan
                geometry = parcels[["parcel_id", "geometry"]]
                works = table if "status" not in table else \
                    table[~table["status"].isin(LAPSED_STATUSES)]
                layer = geometry.merge(works, on="parcel_id", how="inner")
                gpd.GeoDataFrame(layer, geometry="geometry", crs=parcels.crs).to_file(
                    folder / "plan.gpkg", layer="plan", driver="GPKG")
            layers = {} if parcels is None or parcels.crs is None else \
                {"output_crs": parcels.crs.to_string()}  # the CRS plan.gpkg is in
            manifest = self.manifest((manifest_extra or {}) | layers)
            (folder / "manifest.json").write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2, default=_json_default)
                + "\n", encoding="utf-8")
            if also is not None:
                also(folder)

        return write_atomically(Path(out_dir), write_files)

    def csv_rows(self) -> pd.DataFrame:
        """plan.csv's rows: the chosen works, then a re-plan's failed and cancelled works
        paid in a recorded year (:attr:`paid_lapsed`, status failed or cancelled), their
        figures other than the money paid 0, so that a year's cost_<year> adds up to its
        spend."""
        if self.paid_lapsed is None or self.paid_lapsed.empty:
            return self.chosen
        columns = list(dict.fromkeys([*self.chosen.columns, "status"]))
        paid = self.paid_lapsed.reindex(columns=columns)
        for column in columns:
            if column in self.chosen and pd.api.types.is_numeric_dtype(self.chosen[column]) \
                    and column not in self.paid_lapsed:
                paid[column] = False if self.chosen[column].dtype == bool else 0.0
        paid["reason"] = [f"{y}年{'失败' if f else '取消'}，已支付 "
                          f"{'failed' if f else 'cancelled'} in {y}, paid"
                          for y, f in zip(self.paid_lapsed["start_year"],
                                          self.paid_lapsed["failed"], strict=True)]
        return pd.concat([self.chosen.reindex(columns=columns), paid], ignore_index=True)

    def binding(self) -> pd.DataFrame:
        """Per year and water account, which limit binds (optimizer/binding.py); money with
        carry-over on its cumulative row."""
        money, counties = self.money_binding(), self.county_money_binding()
        last = max(money) if money else None
        earlier = {year: row for year, row in self.money_until().items() if row != last}
        return binding_limits(self.shadow_prices, self.water_accounts,
                              {year: said == "binds" for year, said in money.items()},
                              counties_binding(counties),
                              {year: said == "carried" for year, said in money.items()},
                              counties_binding(counties, "carried"), earlier)

    def money_binding(self) -> dict[int, str]:
        """Per year: the city's money "binds", is "carried" on while a later row of it (the
        total) binds, or is "free" (optimizer/binding.py)."""
        carry = bool(getattr(getattr(self.scenario, "budget", None), "carry_over", False))
        return money_binding(self.shadow_prices, self.years, carry, self.open_works)

    def money_until(self) -> dict[int, int]:
        """Per year whose city money is carried on, the year of the cumulative row that
        binds (the last year: the total budget)."""
        return carried_until(city_price(self.shadow_prices, self.years))

    def county_money_binding(self) -> dict[str, dict[int, str]]:
        """Per county with money of its own (``budget.per_county``), per year: it "binds",
        is "carried" on, or is "free" — the city's rule on the county's rows."""
        return county_money_binding(self.shadow_prices, self.chosen,
                                    getattr(self.scenario, "budget", None),
                                    [int(y) for y in self.years["year"]], self.open_works)

    def money_said(self, city: dict[int, str] | None = None,
                   counties: dict[str, dict[int, str]] | None = None) -> dict[int, str]:
        """Per year, what money does over the city's and the counties' own: "binds" where
        any binds (as the run table and the report count it), else "carried" where any is
        carried on, else "free". ``city`` and ``counties``: the caller's
        :meth:`money_binding` and :meth:`county_money_binding`, when it has them."""
        city = self.money_binding() if city is None else city
        counties = self.county_money_binding() if counties is None else counties
        accounts = [city, *counties.values()]
        out = {}
        for year in (int(y) for y in self.years["year"]):
            said = {account.get(year, "free") for account in accounts}
            out[year] = next((w for w in ("binds", "carried") if w in said), "free")
        return out

    def capacity_binding(self) -> dict[int, list[str]]:
        """Per year, the actions whose yearly capacity binds."""
        return capacity_binding(self.shadow_prices)

    def committed_water(self) -> dict[str, float]:
        """New water the plan's works still draw after the horizon: per year in the first
        year after it, and in all to the evaluation year (万m³) — the debt a planner hands on.
        """
        last = max(int(c.removeprefix("water_")) for c in self.chosen.columns
                   if c.startswith("water_") and c.removeprefix("water_").isdigit()) \
            if len(self.chosen) else None
        if last is None:
            return {"first_year_wan_m3": 0.0, "to_evaluation_year_wan_m3": 0.0}
        drinking = self.chosen["water_after_horizon"] > 0
        return {"first_year_wan_m3": float(self.chosen.loc[drinking, f"water_{last}"].clip(
                    lower=0.0).sum()),
                "to_evaluation_year_wan_m3": float(self.chosen["water_after_horizon"].sum())}

    def manifest(self, extra: dict) -> dict:
        """Everything needed to know what this run was and how good its answer is."""
        r = self.result
        years = {int(row.year): {k: bool(v) if isinstance(v, bool | np.bool_) else _num(v)
                                 for k, v in row._asdict().items()
                                 if k not in ("Index", "year")}
                 for row in self.years.itertuples()}
        binds = self.binding().set_index(["year", "account"]) if len(self.water_accounts) \
            else None
        for row in self.water_accounts.itertuples():
            entry = {key: _num(getattr(row, key)) for key in ACCOUNT_FIELDS}
            if binds is not None and self.shadow_prices:
                limit = binds.loc[(int(row.year), row.account)]
                entry |= {"binds_zh": limit["binds_zh"], "binds_en": limit["binds_en"]}
            years[int(row.year)].setdefault("counties", {})[row.account] = entry
        if self.shadow_prices:  # what binds beside water: money (the city's and the
            capacity = self.capacity_binding()  # counties' own, one rule), capacities
            city, counties = self.money_binding(), self.county_money_binding()
            for year, said in self.money_said(city, counties).items():
                if year in years:
                    years[year]["binds"] = {
                        "money": said, "money_city": city.get(year, "free"),
                        "money_counties": {code: by_year.get(year, "free")
                                           for code, by_year in counties.items()},
                        "capacity": capacity.get(year, [])}
        return {
            "status": r.status, "objective": r.objective, "bound": r.bound, "gap": r.gap,
            "solver": r.solver, "solver_version": r.solver_version, "time_s": r.time_s,
            "solver_message": sentences(r.message, clock_sentence(r.clock_stops)),
            "options_chosen": len(self.chosen),
            "area_km2": float(self.chosen["area_km2"].sum()),
            "criterion_totals": self.criterion_totals,
            "corridors_completed": self.corridors_completed,
            "committed_water_after_horizon": self.committed_water(),
            "years": years,
            "shadow_prices": {"method": self.shadow_price_method,
                              "per_year": {str(y): v for y, v in self.shadow_prices.items()}},
            "python": sys.version.split()[0], "platform": platform.platform(),
            "versions": {name: _version(name) for name in PACKAGES},
            **extra,
        }


def with_names(chosen: pd.DataFrame,
               names: Mapping[str, Mapping[str, tuple[str, str]]]) -> pd.DataFrame:
    """``chosen`` with ``<column>_zh`` and ``<column>_en`` after each coded column that
    ``names`` names (codes compared as text: zone 2, 2.0 and '2' alike); a code without a
    name keeps the code. Columns of those names already there are replaced."""
    frame = chosen.drop(columns=[f"{c}_{language}" for c in names for language in
                                 ("zh", "en")], errors="ignore")
    for column, labels in names.items():
        if column not in frame:
            continue
        text = {code_text(code): pair for code, pair in labels.items()}
        pairs = [text.get(code, (code, code)) for code in frame[column].map(code_text)]
        at = frame.columns.get_loc(column) + 1
        for k, language in enumerate(("zh", "en")):
            frame.insert(at + k, f"{column}_{language}", [pair[k] for pair in pairs])
    return frame


def _num(value):
    return None if value is None or (isinstance(value, float) and np.isnan(value)) \
        else float(value)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value)}")


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def build_plan(problem: Problem, layout: Layout, result: SolveResult,
               shadow: tuple[dict[int, dict[str, float]], str] = ({}, "")) -> Plan:
    """The plan of a solved problem (``result.x`` must be a solution). Each row keeps its
    option's plan project (region/projects.py) when the option table has one."""
    x = result.x[: layout.n_options] > 0.5
    chosen_idx = np.flatnonzero(x)
    frame = problem.option_frame().iloc[chosen_idx].reset_index(drop=True)
    years = list(problem.years)
    cost = problem.cost[chosen_idx].toarray()
    water = problem.water[chosen_idx].toarray()
    saving = problem.saving[chosen_idx].toarray()
    for k, year in enumerate(years):
        frame[f"cost_{year}"] = cost[:, k]
    for k, year in enumerate(years):
        frame[f"water_{year}"] = water[:, k]
    for k, year in enumerate(years):
        frame[f"saving_{year}"] = saving[:, k]
    frame["cost_after_horizon"] = problem.cost_after_horizon[chosen_idx]
    frame["water_after_horizon"] = problem.water_after_horizon[chosen_idx]
    for c in CRITERIA:  # each criterion's part of the value: Σ_c value_c = value
        frame[f"value_{c}"] = problem.weights.get(c, 0.0) \
            * problem.criterion_value(c)[chosen_idx]
    rules = rules_needing(problem, chosen_idx)
    frame["required"] = [bool(labels) for labels in rules]
    frame["reason"] = reasons(problem, frame, rules)
    completed = []
    if problem.corridors:
        y = result.x[layout.corridor].reshape(len(problem.corridors), len(years))
        completed = [c.name for c, flags in zip(problem.corridors, y, strict=True)
                     if flags[-1] > 0.5]
    columns = ["parcel_id", "action", "name_zh", "name_en", "start_year", "area_km2",
               "object_count", "zone", "county", "land_cover", "value", "score", "survival",
               *[f"benefit_{c}" for c in CRITERIA], *[f"norm_{c}" for c in CRITERIA],
               *[f"value_{c}" for c in CRITERIA],
               *[f"cost_{y}" for y in years], *[f"water_{y}" for y in years],
               *[f"saving_{y}" for y in years], "cost_after_horizon", "water_after_horizon",
               "required", "reason", "project_id", "project_zh", "project_en", "work_id",
               "umbrella_id"]
    frame = frame[[c for c in columns if c in frame.columns]]
    frame = frame.rename(columns={"name_zh": "action_zh", "name_en": "action_en"})
    moved = None
    if layout.transfer.stop > layout.transfer.start:
        moved = result.x[layout.transfer].reshape(len(layout.accounts), len(years))
    accounts = water_account_table(problem, layout, frame, moved)
    return Plan(frame, yearly_totals(problem, frame, accounts), result, shadow[0], shadow[1],
                completed, accounts, problem.scenario,
                criterion_scales(potential_pairs(problem, chosen_idx)), project_options(problem),
                open_works(problem, chosen_idx))


def open_works(problem: Problem, chosen_idx: NDArray[np.int64]) -> pd.DataFrame:
    """The works a plan could still add: options it did not choose, on parcels it leaves
    untouched, that no rule locks out, with their start_year, county and cost_<year>
    (万元) — whether the money a year leaves could pay one says whether money binds there
    (optimizer/binding.py). Capacity and water are not asked: they are limits of their own.
    Works of equal county, start and instalments are kept once."""
    years = list(problem.years)
    parcels = problem.pairs["parcel_id"].to_numpy()[problem.option_pair]
    taken = np.isin(parcels, parcels[chosen_idx])
    rows = np.flatnonzero(~taken & ~problem.locked_out)
    counties = problem.pairs["county"].to_numpy()[problem.option_pair] \
        if "county" in problem.pairs else np.full(problem.n_options, "")
    # what each open work asks of each year's money: its later instalments held in the last
    frame = pd.DataFrame(problem.money[rows].toarray(), columns=[f"cost_{y}" for y in years])
    frame.insert(0, "start_year", problem.option_year[rows])
    frame.insert(1, "county", counties[rows])
    return frame.drop_duplicates().reset_index(drop=True)


def potential_pairs(problem: Problem, chosen_idx: NDArray[np.int64]) -> pd.DataFrame:
    """The pairs the region's potential counts: today's options and, of the past works
    today's catalogue no longer allows (``history_only``, pipeline/replan_history.py), only
    those kept in the plan — a failed or cancelled one is not within the region's reach."""
    pairs = problem.pairs
    if "history_only" not in pairs.columns:
        return pairs
    kept = np.zeros(len(pairs), bool)
    kept[problem.option_pair[chosen_idx]] = True
    return pairs[~pairs["history_only"].eq(True).to_numpy() | kept]


def criterion_scales(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per criterion (index): the region's physical potential Σ_p max_a benefit_c, the same
    for the score's priority-weighted benefit (benefit_c · priority_c, priority 1 where the
    table has none), and the scale R_c the score divides it by (norm_c = benefit_c ·
    priority_c / R_c, recovered from the option table; NaN when the criterion scores 0)."""
    parcel = pairs["parcel_id"].to_numpy()
    rows = {}
    for c in CRITERIA:
        benefit = pairs[f"benefit_{c}"].to_numpy(float)
        priority = pairs[f"priority_{c}"].to_numpy(float) if f"priority_{c}" in pairs else 1.0
        weighted = benefit * priority
        norm = float(pairs[f"norm_{c}"].sum())
        rows[c] = {"potential": float(pd.Series(benefit).groupby(parcel).max().sum()),
                   "weighted_potential": float(pd.Series(weighted).groupby(parcel).max().sum()),
                   "scale": float(weighted.sum()) / norm if norm > 0 else np.nan}
    return pd.DataFrame.from_dict(rows, orient="index")


def water_account_table(problem: Problem, layout: Layout, chosen: pd.DataFrame,
                        moved: np.ndarray | None = None) -> pd.DataFrame:
    """Each water account's use, availability, credited savings and groundwater relief per
    year, recomputed from the chosen rows (optimizer/water_accounts.py)."""
    years = list(problem.years)
    credit = problem.scenario.water.saving_credit
    saving = chosen[[f"saving_{y}" for y in years]].to_numpy(float)
    demand = chosen[[f"water_{y}" for y in years]].to_numpy(float) + credit * saving
    account = account_of_options(list(layout.accounts), chosen["county"].astype(str).to_numpy())
    return account_table(list(layout.accounts), years, account, demand, saving, credit, moved)


def yearly_totals(problem: Problem, chosen: pd.DataFrame,
                  accounts: pd.DataFrame) -> pd.DataFrame:
    """Spend and water per year against the limits, recomputed from the chosen rows; water
    summed over the accounts (``water_limit`` = water available, ``water_use`` = new demand
    and the lake's delivery); ``held_wan`` what the last year's money holds for instalments
    due after the horizon."""
    scenario = problem.scenario
    years = list(problem.years)
    budget = scenario.budget.for_years(years)
    water = accounts.groupby("year")[["water_available", "water_use"]].sum().reindex(years)
    table = pd.DataFrame({
        "year": years,
        "budget": [budget[y] for y in years],
        "spend": [float(chosen[f"cost_{y}"].sum()) for y in years],
        # the last year's money also holds the instalments due after it (Problem.money)
        "held_wan": [0.0] * (len(years) - 1) + [float(chosen["cost_after_horizon"].sum())],
        "water_limit": water["water_available"].to_numpy(),
        "water_use": water["water_use"].to_numpy(),
    })
    if scenario.budget.carry_over:
        table["budget_available"] = table["budget"].cumsum() - table["spend"].cumsum().shift(
            fill_value=0.0)
    return table


def rules_needing(problem: Problem, chosen_idx: np.ndarray) -> list[list[str]]:
    """Per chosen option, the rules that make the plan take it: its mandatory (locked-in)
    works and the targets it counts towards."""
    labels: list[list[str]] = [[] for _ in range(len(chosen_idx))]
    position = {int(o): i for i, o in enumerate(chosen_idx)}
    for label, members in problem.locked_in:
        for option in members:
            if int(option) in position:
                labels[position[int(option)]].append(f"mandatory 必须实施 ({label})")
    frame = problem.option_frame()
    for target in problem.scenario.targets:
        for option in target_members(frame, target):
            if int(option) in position:
                labels[position[int(option)]].append(f"target 目标: {target.name}")
    return labels


def reasons(problem: Problem, chosen: pd.DataFrame, rules: list[list[str]]) -> list[str]:
    """A short reason per chosen option: leading criteria, the rules that need it
    (:func:`rules_needing`), corridors."""
    weights = problem.weights
    parts: list[list[str]] = [[] for _ in range(len(chosen))]
    contribution = np.column_stack([weights.get(c, 0.0) * chosen[f"norm_{c}"].to_numpy(float)
                                    for c in CRITERIA])
    total = contribution.sum(axis=1)
    for i in range(len(chosen)):
        if total[i] > 0:
            share = contribution[i] / total[i]
            lead = [f"{CRITERION_LABELS[c][0]} {CRITERION_LABELS[c][1]} {share[k]:.0%}"
                    for k, c in sorted(enumerate(CRITERIA), key=lambda kc: -share[kc[0]])
                    if share[k] >= 0.2]
            parts[i].append("; ".join(lead[:2]))
        parts[i].extend(rules[i])
    for corridor in problem.corridors:
        member = chosen["parcel_id"].isin(np.asarray(corridor.degraded_parcel_ids)).to_numpy() \
            & restoring(chosen)
        for i in np.flatnonzero(member):
            parts[i].append(f"corridor 廊道 {corridor.name}")
    return [" | ".join(p for p in row if p) for row in parts]


def recompute_limits(plan_csv: str | Path) -> pd.DataFrame:
    """Spend and water per year summed straight from a plan.csv (for checks and tests)."""
    plan = pd.read_csv(plan_csv)
    years = sorted(int(c.split("_")[1]) for c in plan.columns if c.startswith("cost_2"))
    return pd.DataFrame({"year": years,
                         "spend": [plan[f"cost_{y}"].sum() for y in years],
                         "water_use": [plan[f"water_{y}"].sum() for y in years]})
