"""The run table a solve prints: status and gap, money and water per year against the limits,
which limit binds in each year, and the lines under the table that say where and which."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from cli.common import console
from optimizer.messages import sentences
from optimizer.solvers import solver_key
from optimizer.work import clock_sentence
from outputs.labels import county_names, status_words
from outputs.limits import action_names, graded, lake_delivery
from outputs.year_funds import held_in_last_year
from region.io import Region

if TYPE_CHECKING:
    import pandas as pd

    from optimizer.plan import Plan

def county_names_zh(region: Region) -> dict[str, str]:
    """County code → Chinese name, for the run table."""
    return {code: zh for code, (zh, _en) in county_names(region).items()}


#: Marks a run-table cell where water binds in a county that has none that year.
NONE_MARK = "†"
#: The run table's short words for what binds (the footnotes under it name where and which):
#: "total", the total budget binds and the year carries money on (optimizer/binding.py);
#: "≤2028" (UNTIL), the money granted up to 2028 binds and the year carries money on.
MONEY, TOTAL, WATER, CAPACITY, UNTIL = "money", "total", "water", "cap.", "≤{}"


def binds_in_words(binding: pd.DataFrame, names: dict[str, str],
                   capacity: dict[int, list[str]] | None = None
                   ) -> tuple[dict[int, str], dict[str, list[int]], dict[str, list[int]],
                              dict[str, list[int]]]:
    """Per year, which limits bind (shadow price > 0), short enough for a table cell at 80
    columns: "money", "total" (the total budget binds, the year carries money on), "≤2028"
    (the money granted up to 2028 binds, the year carries money on), "water", "cap." (an
    action's yearly capacity) joined by "+", a † where water also binds in counties with
    none that year, "neither". And, for lines under the
    table instead of the same words in every row: those counties (name → years), the
    counties whose water binds (name → years; "all" when every account of several binds),
    and the counties whose own money binds (budget.per_county; name → years)."""
    words: dict[int, str] = {}
    none_years: dict[str, list[int]] = {}
    water_years: dict[str, list[int]] = {}
    money_years: dict[str, list[int]] = {}
    capacity = capacity or {}
    for year, group in binding.groupby("year"):
        water = group.loc[group["water"], "account"]
        none = set(group.loc[group["water"] & group["water_none"], "account"])
        for account in sorted(none):
            none_years.setdefault(names.get(account, account), []).append(int(year))
        priced = [a for a in water if a not in none]
        where = ["all"] if len(water) == len(group) and len(group) > 1 and not none else \
            [names.get(a, a) for a in priced]
        for name in where:
            water_years.setdefault(name, []).append(int(year))
        for county in sorted({c for counties in group.get("money_counties", ())
                              for c in counties}):
            money_years.setdefault(names.get(county, county), []).append(int(year))
        total = "money_total" in group and group["money_total"].any()
        until = group["money_until"].dropna() if "money_until" in group else ()
        carried = UNTIL.format(int(until.iloc[0])) if len(until) else TOTAL
        parts = ([MONEY] if group["money"].any() else [carried] if total else []) + \
            ([WATER] if len(water) else []) + \
            ([CAPACITY] if capacity.get(int(year)) else [])
        words[int(year)] = "+".join(parts) + (NONE_MARK if none else "") or "neither"
    return words, none_years, water_years, money_years


def capacity_years(capacity: dict[int, list[str]], shown: list[int]) -> dict[str, list[int]]:
    """Action → the shown years its capacity binds."""
    out: dict[str, list[int]] = {}
    for year in sorted(shown):
        for action in capacity.get(year, []):
            out.setdefault(action, []).append(year)
    return out


def binds_notes(plan: Plan, shown: list[int], water_years: dict[str, list[int]],
                none_years: dict[str, list[int]], capacity: dict[int, list[str]],
                cells: dict[int, str], money_years: dict[str, list[int]] | None = None,
                grades: dict[str, tuple[str, str]] | None = None) -> list[str]:
    """The lines under the run table that say where water binds, which action capacities
    bind (Chinese and English names from the plan's works, each with its capacity's grade
    from ``grades``: outputs/project_limits.py capacity_grades) and how money binds with
    carry-over: the cells say only "water", "cap.", "money"."""
    if not cells:
        return []
    lines = []
    if water_years:
        where = "; ".join(f"{name} ({_year_span(years)})" for name, years in water_years.items())
        lines.append(f"water 水: binds in {where}.")
    if none_years:
        where = "; ".join(f"{name} ({_year_span(years)})" for name, years in none_years.items())
        lines.append(f"{NONE_MARK} water also binds where none is allocated (未分配水量): "
                     f"{where}: water there would buy benefit, and the scenario gives none.")
    actions = capacity_years(capacity, shown)
    if actions:
        named = {a: " ".join(graded(names, (grades or {}).get(a)))
                 for a, names in action_names(plan.chosen).items()}
        where = "; ".join(f"{named.get(a, a)} ({_year_span(years)})"
                          for a, years in actions.items())
        lines.append(f"cap. 实施能力: an action's yearly capacity binds (actions.csv "
                     f"capacity_km2_per_yr): {where}.")
    if money_years:
        where = "; ".join(f"{name} ({_year_span(years)})" for name, years in money_years.items())
        lines.append(f"money 资金: a county's own money binds (budget.per_county): {where}.")
    line = money_line(plan.money_binding(), plan.money_until(), shown, bool(money_years))
    if not line and any(TOTAL in cell.split("+") for cell in cells.values()):
        line = (f"{TOTAL} 资金总额: a county's own total budget binds (budget.per_county; "
                "资金总额起约束), the year carries its money on (逐年结转).")
    return lines + ([line] if line else [])


def money_line(money: dict[int, str], until: dict[int, int], shown: list[int],
               county: bool) -> str:
    """The line under the run table that says, with carry-over, which of the city's
    cumulative budgets binds (the total, or the money up to a year) and where money does
    not bind (optimizer/binding.py); "" when no shown year carries money on (the cells
    say the rest). ``county``: a county's own money binds too, so the line is the
    city's."""
    carried = [y for y in shown if money.get(y) == "carried"]
    free = [y for y in shown if money.get(y) == "free"]
    if not carried:
        return ""
    last = max(money) if money else None
    parts = []
    for row in sorted({until.get(y, last) for y in carried}):
        these = [y for y in carried if until.get(y, last) == row]
        years = f"{_year_span(these)} {'carry' if len(these) > 1 else 'carries'}"
        parts.append(f"the total budget binds (资金总额起约束), {years} money on (逐年结转)"
                     if row == last else f"{UNTIL.format(row)}: the money granted up to "
                     f"{row} binds (至{row}年累计资金起约束), {years} money on (结转)")
    binding = [y for y in shown if money.get(y) == "binds"]
    if binding:
        parts.append(f"the year's own money binds (资金紧约束) in {_year_span(binding)}")
    if free:
        parts.append(f"money does not bind (资金不构成约束: no price, and money is not what "
                     f"stops a further work) in {_year_span(free)}")
    city = "the city's money 全市资金" if county else "money 资金"
    return f"{city}: " + "; ".join(parts) + "."


def _year_span(years: list[int]) -> str:
    """Years as runs: 2029-2033, 2035."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


#: Said of a clock-stopped result that does not name its steps (built by hand, not a run).
CLOCK_UNNAMED = ("The time limit, not the work budget, ended a step of the solve, so a re-run "
                 "may give another plan; more --time-limit, or a lower [solver] effort, "
                 "makes it reproducible.")


def more_search_hint(clock_stopped: bool) -> str:
    """What gives a plan short of its gap more search: more time when the clock ended a
    step of the solve, else more work (optimizer/work.py), which only a higher [solver]
    effort grants."""
    if clock_stopped:
        return "More time: --time-limit SECONDS."
    return ("More work: a higher [solver] effort in the scenario (e.g. 1 or 3), with a "
            "--time-limit to match.")


def _lake_figures(plan: Plan) -> str:
    """The scenario's lake figures as they are, in Chinese and English as the other notes:
    its delivery is the target, its source is in the water available (tight_water: source
    3,408, target 4,260 万m³)."""
    lake = plan.scenario.water.aydingkol
    if lake.source_wan_m3 == lake.target_wan_m3:
        return "the lake's source and target (湖泊水源与输水目标)"
    return (f"the lake's target (输水目标); its source, {lake.source_wan_m3:,.0f} 万m³ a "
            f"year, is in the water available (水源 {lake.source_wan_m3:,.0f} 万m³/年计入"
            "可用水量)")


def show_plan(plan: Plan, out_dir: Path, names: dict[str, str] | None = None,
              grades: dict[str, tuple[str, str]] | None = None) -> None:
    """The solve's status and gap, money and water per year against the limits, and which
    limit binds (county names from ``names``, the grades of binding capacities from
    ``grades``: outputs/project_limits.py capacity_grades)."""
    r = plan.result
    gap = "n/a" if r.gap is None else f"{r.gap:.3%}"
    console.print(f"[bold]{escape(status_words(r.status, r.gap))}[/] with {r.solver}: "
                  f"objective {r.objective:,.5g}, "
                  f"bound {r.bound if r.bound is None else f'{r.bound:,.5g}'}, gap {gap}, "
                  f"{r.time_s:.1f} s")
    if r.status != "optimal" and r.message:
        console.print(f"[dim]{escape(sentences(r.message, more_search_hint(r.clock_stopped)))}[/]")
    asked = plan.scenario.solver.name if plan.scenario is not None else r.solver
    # the heuristics' plan stood: the solver asked for had no work (compared by the name a
    # result carries for it: --solver HiGHS or cp-sat did run)
    if solver_key(asked) != r.solver:
        console.print(f"[dim]{escape(asked)} was not run: "
                      f"{escape((r.message or 'the heuristics gave the plan').rstrip('. '))}.[/]")
    if r.clock_stopped:  # once, plainly, on a line of its own (the manifest: reproducible)
        console.print(f"[yellow]不可复现 Not reproducible:[/] "
                      f"{escape(clock_sentence(r.clock_stops) or CLOCK_UNNAMED)}")
    carry = "budget_available" in plan.years.columns
    table = Table(title="Per year: money 万元 and water 万m³ against the limits")
    # Figures are never cut ("19,…" on a log or a narrow terminal): their columns do not
    # wrap, their headers are short lines; what binds is a short cell, where and which are
    # said under the table, so that the table reads at 80 columns (a log, a pipe).
    for column in ("year", "works", "area\nkm²", "spend",
                   "avail-\nable¹" if carry else "budget", "water\nuse", "water\navail."):
        table.add_column(column, justify="right", no_wrap=True)
    # a re-plan's past years show 实报/记录, not what binds: nor do the lines under it name them
    past_rows = plan.years.reindex(columns=["reported", "recorded"], fill_value=False)
    shown = [int(y) for y in plan.years.loc[~past_rows.astype(bool).any(axis=1), "year"]]
    binding = plan.binding() if plan.shadow_prices else None
    capacity = plan.capacity_binding() if plan.shadow_prices else {}
    binds, none_years, water_years, money_years = ({}, {}, {}, {}) if binding is None \
        else binds_in_words(binding[binding["year"].isin(shown)], names or {}, capacity)
    lake = lake_delivery(plan)  # counted in the water use, not new use: said under the table
    if binds:
        table.add_column("binds\n紧约束", no_wrap=True)
    chosen = plan.chosen
    for row in plan.years.itertuples():
        started = chosen[chosen["start_year"] == row.year]
        limit = row.budget_available if carry else row.budget
        # a re-plan's past year as reported (actuals) or recorded (progress file)
        past = "实报" if getattr(row, "reported", False) else \
            "记录" if getattr(row, "recorded", False) else ""
        table.add_row(f"{row.year}{'*' if past else ''}", str(len(started)),
                      f"{started['area_km2'].sum():,.1f}", f"{row.spend:,.0f}",
                      f"{limit:,.0f}", f"{row.water_use:,.0f}", f"{row.water_limit:,.0f}",
                      *([past or binds.get(int(row.year), "")] if binds else []))
    console.print(table)
    if carry:
        console.print("[dim]¹ available: granted + carried in from the year before "
                      "(carry-over, 结转).[/]")
    after = float(plan.years["held_wan"].iat[-1]) if "held_wan" in plan.years else 0.0
    if after > 0:
        end = int(plan.years["year"].max())
        zh, en = held_in_last_year(after, end)
        console.print(f"[dim]{end + 1}年起到期的分期付款 {after:,.0f} 万元{zh}。 Instalments due "
                      f"from {end + 1} on, {after:,.0f} 万元{en}.[/]")
    if lake > 0:
        console.print(f"[dim]water use 用水 = the works' water 工程用水 + Aydingkol's delivery "
                      f"艾丁湖输水, {lake:,.0f} 万m³ a year: {_lake_figures(plan)} "
                      "(docs/water.md), not new use by the works (不是本方案工程的新增用水; "
                      "report.html gives both, 报告分列两者).[/]")
    for line in binds_notes(plan, shown, water_years, none_years, capacity, binds,
                            money_years, grades):
        console.print(f"[dim]{escape(line)}[/]")
    if "reported" in plan.years.columns and plan.years["reported"].any():
        console.print("[dim]* 实报 reported: the bureau's figures for that year (actuals), "
                      "not the model's; the other years are the plan's.[/]")
    if "recorded" in plan.years.columns and plan.years["recorded"].any():
        console.print("[dim]* 记录 recorded: a past year without actuals, as the progress file "
                      "gives it (granted: the scenario's budget; spent: what its works were "
                      "paid, failed works included), not the model's.[/]")
    console.print(f"results → {out_dir}")
