"""What every command of the CLI shares: consoles, input options, error reporting.

Commands live in solve.py and in this package (one module per command family); they import
these so that every command reads inputs, reports bad input and prints JSON the same way.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.interrupt import INTERRUPTED
from optimizer.messages import sentences
from optimizer.presolve import InfeasibleScenarioError
from optimizer.solve_stage import NoPlanFoundError
from optimizer.solvers import SolverUnavailableError, solver_key
from optimizer.work import clock_sentence
from outputs.labels import county_names, status_words
from outputs.limits import action_names, lake_delivery
from region.errors import InputError, InputProblem
from region.io import TURPAN_DIR, Region, RegionPaths
from region.layers import LayerSource
from storage import CSV_FLOATS, OutputRefusedError, check_not_an_input, protecting

if TYPE_CHECKING:
    import pandas as pd

    from optimizer.plan import Plan

console = Console()
errors = Console(stderr=True, soft_wrap=True)  # messages hold paths: never broken

# Options shared by every command that reads inputs.
ParcelsOpt = Annotated[Path, typer.Option("--parcels", help="Parcels: GeoPackage, Shapefile "
                                          "or GeoJSON (WGS84, CGCS2000 or projected).")]
ActionsOpt = Annotated[Path, typer.Option("--actions", help="Action catalogue CSV.")]
ProjectsOpt = Annotated[Path, typer.Option("--projects", help="Plan projects CSV.")]
LayerOpt = Annotated[list[str] | None, typer.Option(
    "--layer", help="Your own layer laid over the parcels as the attribute the spatial rules "
                    "read, NAME=FILE (GeoPackage, Shapefile; FILE|layername=X for one layer), "
                    "e.g. red_line=三区三线.gpkg; NAME is red_line, protected_area, the "
                    "layer of a [\\[spatial_rules]] or a column the places of the action "
                    "catalogue or project table compare (road_rail for sand barriers). "
                    "Repeatable.")]
OptionsOpt = Annotated[Path | None, typer.Option(
    "--options", help="Your own benefit table (CSV or GeoPackage, one row per parcel × "
                      "action with cost, water and benefit_<criterion>): skips the criteria "
                      "models.")]
ScenarioOpt = Annotated[Path, typer.Option("--scenario", help="Scenario TOML file.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable summary "
                                       "instead of tables.")]
VerboseOpt = Annotated[bool, typer.Option("-v", "--verbose", help="Print more detail.")]
BudgetOpt = Annotated[str | None, typer.Option(
    "--budget", help="Budget per year in 万元, e.g. 2027=8000,2028=9000; years inside "
                     "the horizon (--horizon's, if given).")]
BudgetScaleOpt = Annotated[float | None, typer.Option(
    "--budget-scale", help="Multiply every budget figure, e.g. 0.8.")]
WaterScaleOpt = Annotated[float | None, typer.Option(
    "--water-scale", help="Multiply every water limit, e.g. 0.7.")]
WeightsOpt = Annotated[str | None, typer.Option(
    "--weights", help="Criterion weights, e.g. sand=0.4,water=0.3,bio=0.15,mine=0.1,"
                      "carbon=0.05 (or 防风固沙=0.4，水源涵养=0.3 …; 40% for 0.4); a "
                      "criterion left out weighs 0 (a note says so).")]
HorizonOpt = Annotated[str | None, typer.Option(
    "--horizon", help="Years to schedule, e.g. 2027-2035; the scenario file's budget "
                      "years outside it are left unused.")]
SolverOpt = Annotated[str | None, typer.Option(
    "--solver", help="highs (default), cbc, cpsat, or gurobi/cplex/… through PuLP.")]
TimeLimitOpt = Annotated[float | None, typer.Option("--time-limit", help="Solver time limit, s.")]
GapOpt = Annotated[float | None, typer.Option(
    "--gap", help="Relative gap to stop at, a fraction: 0.001 = 0.1 %.")]
DaskSchedulerOpt = Annotated[str | None, typer.Option(
    "--dask-scheduler", help="Run on this Dask cluster instead, e.g. tcp://host:8786.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Result folder (default: "
                                             "results/<scenario name>); written atomically.")]
ExportOpt = Annotated[Path | None, typer.Option(
    "--export", help="Also write the integer programme as .lp or .mps (for Gurobi, CPLEX, "
                     "SCIP).")]
CrsOpt = Annotated[str, typer.Option(
    "--crs", help="CRS of the written layers (plan.gpkg, priorities.gpkg) and lon/lat "
                  "columns. Default EPSG:4326 (WGS84); EPSG:4490 is CGCS2000, the CRS of the "
                  "bureau's 国土空间规划一张图.")]


def number_in(low: float | None = None, high: float | None = None, *, low_open: bool = False,
              high_open: bool = False) -> Callable[[float | None], float | None]:
    """An option callback: a given value must be a finite number within [low, high] (open
    ends where said), else the command stops before it reads or writes anything (exit 2)."""
    def check(value: float | None) -> float | None:
        if value is None:
            return value
        above = low is None or (value > low if low_open else value >= low)
        below = high is None or (value < high if high_open else value <= high)
        if not (math.isfinite(value) and above and below):
            parts = ([f"{'>' if low_open else '≥'} {low:g}"] if low is not None else []) + (
                [f"{'<' if high_open else '≤'} {high:g}"] if high is not None else [])
            raise typer.BadParameter(f"must be a finite number {' and '.join(parts)}, "
                                     f"not {value:g}")
        return value

    return check


def gap_fraction(value: float | None) -> float | None:
    """An option callback: a relative gap is a fraction in [0, 1) (region/overrides.py)."""
    from region.overrides import gap_problem

    problem = None if value is None else gap_problem(value)
    if problem:
        raise typer.BadParameter(problem)
    return value


SHIPPED_PARCELS = TURPAN_DIR / "parcels.gpkg"
SHIPPED_ACTIONS = TURPAN_DIR / "actions.csv"
SHIPPED_PROJECTS = TURPAN_DIR / "projects.csv"


#: A region's own labels, beside its parcels: both or neither (:func:`region_paths`).
LABEL_FILES = {"zones.csv": "zone", "counties.csv": "county"}


def region_paths(parcels: Path, actions: Path, projects: Path,
                 layers: list[str] | None = None) -> RegionPaths:
    """Input paths. The zone and county codes (and their bilingual names) come from one
    region: ``zones.csv`` and ``counties.csv`` beside the parcels when a region ships its
    own, else the shipped Turpan ones (a planner's own parcels are checked against the same
    codes as the shipped file). One of the two alone is refused, naming the other: half
    Turpan's labels would be mixed in silently, and the region checked against Turpan's
    outline. ``layers`` are ``--layer NAME=FILE`` options."""
    folder = parcels.parent
    own = [name for name in LABEL_FILES if (folder / name).is_file()]
    if len(own) == 1:
        [has], [lacks] = own, [name for name in LABEL_FILES if name not in own]
        raise InputError([InputProblem(str(folder / lacks), (
            f"missing: {folder / has} beside the parcels gives this region its own "
            f"{LABEL_FILES[has]} labels, so its {LABEL_FILES[lacks]} labels must be its own "
            f"too ({lacks} beside it, columns {LABEL_FILES[lacks]},name_zh,name_en); or "
            f"remove {has} to use the shipped Turpan labels"))])
    labels = folder if own else TURPAN_DIR
    own_outline = folder / "boundaries.gpkg"
    # Parcels are checked against the region's outline (region/extent.py): a region with
    # its own labels is checked against its own boundaries.gpkg, or not at all — never
    # against Turpan's.
    boundaries = own_outline if own_outline.is_file() else (
        None if labels != TURPAN_DIR else TURPAN_DIR / "boundaries.gpkg")
    return RegionPaths(parcels=parcels, actions=actions, projects=projects,
                       zones=labels / "zones.csv", counties=labels / "counties.csv",
                       boundaries=boundaries,
                       layers=tuple(LayerSource.parse(text) for text in layers or ()))


#: Exit statuses: bad input (or an output path that may not be written) 2, no plan found
#: within the limits 3, interrupted 130 (the shell's Ctrl-C convention), our own bug 1.
EXIT_BAD_INPUT = 2
EXIT_NO_PLAN = 3
EXIT_INTERRUPTED = 130
EXIT_BUG = 1

#: Parameters that name what a command writes; every other path parameter is an input.
OUTPUT_PARAMETERS = ("out", "export")


def command_inputs(arguments: dict) -> list[Path]:
    """The input paths among a command's arguments (every Path but the outputs)."""
    paths: list[Path] = []
    for name, value in arguments.items():
        if name in OUTPUT_PARAMETERS:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        paths += [v for v in values if isinstance(v, Path)]
    return paths


def reports_input_errors(command: Callable) -> Callable:
    """Run a command so that no input reaches the user as a traceback: every input problem
    at once with its file, row and column (exit 2); an output path that is, or holds, an
    input refused before anything is read, and one that is not ours refused before anything
    is written (exit 2); no plan within the limits (exit 3); Ctrl-C (exit 130); warnings as
    plain notes. The command's path arguments are protected from being written over
    (storage/result_folder.py)."""
    if getattr(command, "guarded", False):
        return command

    @wraps(command)
    def wrapper(*args, **kwargs):
        with _plain_warnings(), protecting(command_inputs(kwargs)), _sigterm_interrupts():
            try:
                if kwargs.get("out") is not None:  # a folder or a file: whether it may be
                    check_not_an_input(kwargs["out"])  # replaced is the command's to check
                return command(*args, **kwargs)
            except (typer.Exit, SystemExit, click.exceptions.ClickException,
                    click.exceptions.Abort):
                raise
            except BaseException as err:  # noqa: BLE001 - every failure gets a plain message
                raise typer.Exit(code=report_failure(err)) from None

    wrapper.guarded = True
    return wrapper


def report_failure(err: BaseException) -> int:
    """Print what went wrong in plain words on stderr; return the exit status."""
    if isinstance(err, InputError):
        errors.print(f"[bold red]{len(err.problems)} problem(s) in the inputs:[/]")
        for problem in err.problems:
            errors.print(f"  • {problem}", markup=False, highlight=False)
        errors.print("Nothing was written.")
        return EXIT_BAD_INPUT
    if isinstance(err, OutputRefusedError):
        errors.print("[bold red]Cannot write the result there:[/]")
        errors.print(f"  • {err}", markup=False, highlight=False)
        errors.print("Nothing was written or deleted.")
        return EXIT_BAD_INPUT
    if isinstance(err, InfeasibleScenarioError):
        errors.print("[bold red]The scenario cannot be met. Conflicting rules:[/]")
        for line in err.lines:
            errors.print(f"  • {line}", markup=False, highlight=False)
        errors.print("Relax one of them (budget, water, targets, mandatory works) and run "
                     "again. Nothing was written.")
        return EXIT_BAD_INPUT
    if isinstance(err, NoPlanFoundError):
        errors.print("[bold red]No plan found within the limits.[/]")
        errors.print(f"  • {err}", markup=False, highlight=False)
        errors.print("Nothing was written.")
        return EXIT_NO_PLAN
    if isinstance(err, KeyboardInterrupt):
        errors.print(f"[bold yellow]{INTERRUPTED}[/]")
        return EXIT_INTERRUPTED
    if isinstance(err, ValueError | SolverUnavailableError | OSError):
        errors.print(f"[bold red]Cannot run:[/] {_plain(err)}", highlight=False)
        errors.print("Nothing was written.")
        return EXIT_BAD_INPUT
    errors.print(f"[bold red]Unexpected failure (a bug in turpan-restore, please report "
                 f"it):[/] {type(err).__name__}: {_plain(err)}", highlight=False)
    errors.print("Nothing was written. Set TURPAN_RESTORE_DEBUG=1 to see the traceback.")
    if os.environ.get("TURPAN_RESTORE_DEBUG") == "1":
        errors.print_exception()
    return EXIT_BUG


def _plain(err: BaseException) -> str:
    """An exception's message, never empty, escaped for rich's markup."""
    return escape(str(err).strip() or type(err).__name__)


@contextmanager
def _plain_warnings() -> Iterator[None]:
    """Warnings printed as one plain note line each (no source file, no code line)."""
    def show(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ARG001
        errors.print(f"note: {message}", markup=False, highlight=False)

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a scheduler stopping the job) ends a command like Ctrl-C: temporary files
    are removed and the command says so. Only in the main thread, where handlers can be set."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum, _frame) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def guard_every_command(app: typer.Typer) -> None:
    """Wrap every command of ``app`` and of its sub-apps in :func:`reports_input_errors`
    (commands registered without it, e.g. added later, are covered too)."""
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback = reports_input_errors(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            guard_every_command(group.typer_instance)


def whole_summaries(app: typer.Typer) -> None:
    """Give every command of ``app`` (and of its sub-apps) its docstring's first paragraph as
    one line for the command list of ``--help``: in rich markup mode Typer keeps the
    docstring's line breaks there, so the list broke mid-sentence ("with the same
    overrides,⏎ weights")."""
    for info in app.registered_commands:
        doc = inspect.getdoc(info.callback) if info.callback is not None else None
        if info.short_help is None and info.help is None and doc:
            info.short_help = " ".join(doc.split("\n\n")[0].split())
    for group in app.registered_groups:
        if group.typer_instance is not None:
            whole_summaries(group.typer_instance)


def print_json(payload: dict) -> None:
    """``payload`` as indented JSON on stdout (Chinese as is; paths and dates as text;
    floats to the CSVs' 12 significant digits, :func:`readable_floats`)."""
    sys.stdout.write(json.dumps(readable_floats(payload), ensure_ascii=False, indent=2,
                                default=str) + "\n")


def readable_floats(value: object) -> object:
    """``value`` with every finite float, in dicts, lists and tuples too, rounded as the
    CSVs write them (storage.CSV_FLOATS, 12 significant digits): 0.30000000000000004
    prints as 0.3. Only what is printed: the manifest keeps the full values."""
    if isinstance(value, float) and math.isfinite(value):
        return float(CSV_FLOATS % value)
    if isinstance(value, dict):
        return {key: readable_floats(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [readable_floats(item) for item in value]
    return value


def county_names_zh(region: Region) -> dict[str, str]:
    """County code → Chinese name, for the run table."""
    return {code: zh for code, (zh, _en) in county_names(region).items()}


#: Marks a run-table cell where water binds in a county that has none that year.
NONE_MARK = "†"
#: The run table's short words for what binds (the footnotes under it name where and which).
MONEY, WATER, CAPACITY = "money", "water", "cap."


def binds_in_words(binding: pd.DataFrame, names: dict[str, str],
                   capacity: dict[int, list[str]] | None = None
                   ) -> tuple[dict[int, str], dict[str, list[int]], dict[str, list[int]],
                              dict[str, list[int]]]:
    """Per year, which limits bind (shadow price > 0), short enough for a table cell at 80
    columns: "money", "water", "cap." (an action's yearly capacity) joined by "+", a † where
    water also binds in counties with none that year, "neither". And, for lines under the
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
        parts = ([MONEY] if group["money"].any() else []) + \
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
                cells: dict[int, str], money_years: dict[str, list[int]] | None = None
                ) -> list[str]:
    """The lines under the run table that say where water binds, which action capacities
    bind (Chinese and English names from the plan's works) and how money binds with
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
        named = {a: f"{zh} {en}" for a, (zh, en) in action_names(plan.chosen).items()}
        where = "; ".join(f"{named.get(a, a)} ({_year_span(years)})"
                          for a, years in actions.items())
        lines.append(f"cap. 产能: an action's yearly capacity binds (actions.csv "
                     f"capacity_km2_per_yr): {where}.")
    if money_years:
        where = "; ".join(f"{name} ({_year_span(years)})" for name, years in money_years.items())
        lines.append(f"money 资金: a county's own money binds (budget.per_county): {where}.")
    money = plan.money_binding()
    carried = [y for y in shown if money.get(y) == "carried"]
    if carried:
        binding = [y for y in shown if money.get(y) == "binds"]
        # beside a county's own money that binds, this line is the city's alone
        city = "the city's money" if money_years else "money"
        lines.append(f"{city} {'全市资金' if money_years else '资金'} (carry-over): binds on "
                     "the cumulative budget (Σ spend ≤ Σ granted up to that year)"
                     + (f" in {_year_span(binding)}" if binding else ", in no year")
                     + f"; {_year_span(carried)} end with money left (carried on, 结转, or "
                     f"unspent in the last year), so {city} does not bind there.")
    return lines


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


def show_plan(plan: Plan, out_dir: Path, names: dict[str, str] | None = None) -> None:
    """The solve's status and gap, money and water per year against the limits, and which
    limit binds (county names from ``names``)."""
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
    if lake > 0:
        console.print(f"[dim]water use includes Aydingkol's delivery, {lake:,.0f} 万m³ a year "
                      "(含艾丁湖输水): the lake's source and target (docs/water.md), not new "
                      "use by the works.[/]")
    for line in binds_notes(plan, shown, water_years, none_years, capacity, binds,
                            money_years):
        console.print(f"[dim]{escape(line)}[/]")
    if "reported" in plan.years.columns and plan.years["reported"].any():
        console.print("[dim]* 实报 reported: the bureau's figures for that year (actuals), "
                      "not the model's; the other years are the plan's.[/]")
    if "recorded" in plan.years.columns and plan.years["recorded"].any():
        console.print("[dim]* 记录 recorded: a past year without actuals, as the progress file "
                      "gives it (granted: the scenario's budget; spent: what its works were "
                      "paid, failed works included), not the model's.[/]")
    console.print(f"results → {out_dir}")
