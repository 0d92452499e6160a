"""One validation pass over every input of a run: region files, scenario (with the command
line's overrides), criterion weights (AHP), solver, the codes the scenario names, and a
planner's own option table. ``validate``, ``run`` and every other command that solves call
:func:`check_inputs`, so they accept and refuse the same inputs, and a planner sees every
problem at once, each naming its file (and row and column, or key).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from criteria.feasibility import KAREZ_AREA_KM2, area_shares
from criteria.options import options_from_table
from criteria.weights import InconsistentJudgementsError, resolve_weights
from optimizer.solvers import unknown_solver_message
from region.action_names import action_codes_by_name, as_action_codes
from region.errors import (
    COMMAND_LINE,
    InputError,
    InputProblem,
    headed,
    holds_stand_in,
    not_found,
    shown_row,
)
from region.io import Region, RegionPaths, load_region
from region.layers import place_columns, unread_layer_problems
from region.overrides import Overrides, blamed_on_options, scenario_with_overrides
from region.parcels import AREA_TOLERANCE
from region.plausible_figures import implausible_notes
from region.references import RegionCodes, code_text, reference_problems
from region.scenario import Scenario
from region.scenario_objective import Weights
from region.scenario_problems import ScenarioError
from region.schema import CRITERIA, LAND_COVERS
from region.validate import read_csv_table, rows_problems
from region.vector_files import gdal_path


@dataclass(frozen=True)
class CheckedInputs:
    """Inputs that passed every check: the region, the scenario with its overrides, the
    resolved criterion weights, and the planner's option table if one was given."""

    region: Region
    scenario: Scenario
    weights: dict[str, float]
    options: pd.DataFrame | None = None


def check_inputs(paths: RegionPaths, scenario_file: Path, overrides: Overrides | None = None,
                 options_file: Path | None = None) -> CheckedInputs:
    """Load and check everything; raise one :class:`InputError` listing every problem."""
    overrides = overrides or Overrides()
    problems: list[InputProblem] = []

    def attempt(load, *args):
        try:
            return load(*args)
        except InputError as err:
            problems.extend(err.problems)
            return None

    problems += overrides.problems
    region = attempt(load_region, paths)
    scenario, unchecked = None, frozenset()
    try:  # after the region: its catalogue reads the actions the scenario names in Chinese
        scenario = scenario_with_overrides(
            scenario_file, overrides,
            action_codes_by_name(region.actions) if region is not None else None)
    except ScenarioError as err:  # what could be read is still checked (every problem at once)
        problems.extend(err.problems)
        scenario, unchecked = err.partial, err.unchecked
    except InputError as err:
        problems.extend(err.problems)
    weights = None
    if scenario is not None:
        if not holds_stand_in("weights", unchecked):
            weights = attempt(scenario_weights, scenario, scenario_file, overrides)
        problems += scenario_problems(scenario, str(scenario_file), overrides, paths, region,
                                      unchecked)
        if not unchecked:  # a figure a planner may mean: a note, validate's and run's alike
            for note in implausible_notes(scenario, Path(scenario_file).name, overrides):
                warnings.warn(note, stacklevel=2)
    options = None
    if options_file is not None:
        options = attempt(read_options_file, options_file, weights, region, paths)
    if problems:
        raise InputError(problems)
    return CheckedInputs(region, scenario, weights, options)


def scenario_problems(scenario: Scenario, source: str, overrides: Overrides,
                      paths: RegionPaths, region: Region | None,
                      unchecked: frozenset[str] = frozenset()) -> list[InputProblem]:
    """What is wrong with a scenario read from ``source`` with the command line's
    ``overrides``, against the region (``region``, or its files when it did not load): the
    solver, a ``--layer`` nothing reads, unknown codes and years outside the horizon (those
    of a key an option set, as ``--budget 2040=…``, blamed on the option; a narrowed
    ``--horizon`` leaves the file's budget years outside it unused, not ``--budget``'s).
    ``check_inputs`` and a re-plan that keeps the previous result's scenario both check
    these. The keys of ``unchecked`` have problems of their own and stand in for
    themselves (region/scenario_problems.py's ScenarioError): they are not judged again."""
    problems = ([] if holds_stand_in("solver.name", unchecked)
                else solver_problems(scenario, source, overrides))
    if not holds_stand_in("spatial_rules", unchecked):
        problems += unread_layer_problems(
            paths.layers, (rule.layer for rule in scenario.spatial_rules),
            place_columns((paths.actions, paths.projects)))
    codes = (region_codes(region, scenario) if region is not None
             else codes_in_files(paths, scenario))
    typed_years = {f"budget.per_year.{year}" for year in overrides.budget}
    problems += blamed_on_options(reference_problems(
        scenario, codes, source, lenient_years=overrides.horizon is not None,
        strict_keys=typed_years, unchecked=unchecked), overrides)
    return problems


def scenario_weights(scenario: Scenario, scenario_file: Path,
                     overrides: Overrides) -> dict[str, float]:
    """The criterion weights, AHP judgements resolved; inconsistent ones are an input
    problem of the scenario file (or of --weights). Direct weights that leave a criterion
    out give it weight 0, from the file as from --weights: a note says which."""
    warn_left_out(scenario.weights, scenario_file, overrides)
    try:
        return resolve_weights(scenario.weights)
    except InconsistentJudgementsError as err:
        where = ((COMMAND_LINE, "--weights") if overrides.weights
                 else (str(scenario_file), "weights.ahp"))
        raise InputError([InputProblem(where[0], str(err), column=where[1])]) from None


def warn_left_out(weights: Weights, scenario_file: Path, overrides: Overrides) -> None:
    """A note naming the criteria direct weights leave out (weight 0: the plan ignores
    them), so ``--weights sand=0.4,water=0.3`` does not drop bio, mine and carbon silently."""
    if weights.ahp is not None:
        return
    left_out = [c for c in CRITERIA if getattr(weights, c) is None]
    if not left_out:
        return
    where = "--weights" if overrides.weights else f"{Path(scenario_file).name} [weights]"
    given = ", ".join(f"{c}={getattr(weights, c):g}" for c in CRITERIA if c not in left_out)
    warnings.warn(f"{where} gives {given} and leaves out {', '.join(left_out)}: "
                  f"{'they weigh' if len(left_out) > 1 else 'it weighs'} 0, so the plan "
                  f"ignores {'them' if len(left_out) > 1 else 'it'} (give "
                  f"{left_out[0]}=0 … to say so, or a weight to count "
                  f"{'them' if len(left_out) > 1 else 'it'})", stacklevel=2)


def solver_problems(scenario: Scenario, scenario_file: str | Path,
                    overrides: Overrides) -> list[InputProblem]:
    """An unknown (or not installed) solver, with the list of those available."""
    message = unknown_solver_message(scenario.solver.name)
    if message is None:
        return []
    where = ((COMMAND_LINE, "--solver") if overrides.solver
             else (str(scenario_file), "solver.name"))
    return [InputProblem(where[0], message, column=where[1])]


def region_codes(region: Region, scenario: Scenario) -> RegionCodes:
    """The codes ``region`` has, for the scenario's references."""
    return RegionCodes(
        actions=frozenset(region.actions["code"].map(code_text)),
        counties=frozenset(region.county_labels["county"].map(code_text)),
        zones=frozenset(region.zone_labels["zone"].map(code_text)),
        projects=frozenset(region.projects["project_id"].map(code_text)),
        land_covers=frozenset(LAND_COVERS),
        parcels=frozenset(region.parcels["parcel_id"].map(code_text)),
        years=(scenario.horizon.start, scenario.horizon.end),
        county_names=dict(zip(region.county_labels["county"].map(code_text),
                              region.county_labels["name_zh"] + " "
                              + region.county_labels["name_en"], strict=True)),
        action_names=action_codes_by_name(region.actions))


def codes_in_files(paths: RegionPaths, scenario: Scenario) -> RegionCodes:
    """The codes of a region that did not load, read from each file that can be read, so
    that the scenario's references are still checked alongside the region's problems (an
    action the scenario names by its catalogue's Chinese name among them)."""
    def column(read, name: str) -> frozenset[str] | None:
        try:
            return frozenset(read()[name].dropna().map(code_text))
        except Exception:  # noqa: BLE001 - that file's own problems are reported already
            return None

    actions = _lenient(lambda: read_csv_table(paths.actions, dtype=str))
    return RegionCodes(
        actions=column(lambda: actions, "code"),
        counties=column(lambda: read_csv_table(paths.counties, dtype=str), "county")
        if paths.counties else None,
        zones=column(lambda: read_csv_table(paths.zones, dtype=str), "zone")
        if paths.zones else None,
        projects=column(lambda: read_csv_table(paths.projects, dtype=str), "project_id")
        if paths.projects else None,
        land_covers=frozenset(LAND_COVERS),
        parcels=column(lambda: _attributes(paths.parcels), "parcel_id"),
        years=(scenario.horizon.start, scenario.horizon.end),
        action_names=_lenient(lambda: action_codes_by_name(actions)) or {})


def read_options_file(path: Path, weights: dict[str, float] | None,
                      region: Region | None = None,
                      paths: RegionPaths | None = None,
                      budget_wan: float | None = None) -> pd.DataFrame:
    """A planner's option table (``--options``, CSV or GeoPackage), checked column by column
    and row by row against the parcels and the action catalogue (those of ``region``, or,
    when it did not load, whatever of ``paths`` can be read); parcel ids come back as the
    parcels' own, and actions named by their Chinese names as their codes
    (region/action_names.py)."""
    file = str(path)
    if not path.exists():
        raise InputError([not_found(path)])
    if path.suffix.lower() in (".gpkg", ".geojson", ".shp"):
        try:
            frame = _attributes(path)
        except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file
            raise InputError([InputProblem(file, f"cannot read as a vector file: {exc}")]) \
                from None
    else:  # a cell reading NaN, NA or null is named as typed, not as a blank cell
        frame = read_csv_table(path, keep_default_na=False, na_values=[""])
    if region is not None:
        parcels, actions = region.parcels, region.actions
        parcels_name = Path(region.paths.parcels).name
    else:
        parcels = _lenient(lambda: _attributes(paths.parcels)) if paths else None
        actions = _lenient(lambda: read_csv_table(paths.actions, dtype=str)) if paths \
            else None
        parcels_name = Path(paths.parcels).name if paths else "the parcels"
    if "action" in frame.columns and actions is not None and "code" in actions.columns:
        frame["action"] = as_action_codes(frame["action"], action_codes_by_name(actions))
    problems: list[InputProblem] = []
    try:
        table = options_from_table(frame, file, weights, budget_wan)
    except InputError as err:
        problems += err.problems
    problems += options_against_region(frame, file, parcels, actions, parcels_name)
    if problems:
        raise InputError(problems)
    if region is None:
        return table
    ids = dict(zip(region.parcels["parcel_id"].map(code_text), region.parcels["parcel_id"],
                   strict=True))
    table = table.assign(parcel_id=table["parcel_id"].map(code_text).map(ids))
    # the parcel's land cover where the table gives none (plan.csv showed it blank)
    cover = table["parcel_id"].map(region.parcels.set_index("parcel_id")["land_cover"])
    given = table["land_cover"].fillna("").astype(str) != ""
    table["land_cover"] = table["land_cover"].where(given, cover)
    note_outside_catalogue(table, region.actions, file)
    return table


def note_outside_catalogue(table: pd.DataFrame, actions: pd.DataFrame, file: str) -> None:
    """A note naming the rows of a planner's table that put an action on a zone or land
    cover the catalogue does not list for it: kept, as the table is the planner's own
    judgement, but said (a stranger's sand barrier on desert shrubland passed unnoticed)."""
    catalogue = actions.drop_duplicates("code").set_index("code")
    outside = []
    for row, (action, zone, cover) in enumerate(
            zip(table["action"], table["zone"], table["land_cover"], strict=True)):
        if action not in catalogue.index:
            continue
        zones = str(catalogue.at[action, "zones"] or "").split("|")
        covers = str(catalogue.at[action, "land_covers"] or "").split("|")
        if (zones != [""] and code_text(zone) not in zones) or \
                (covers != [""] and str(cover) not in covers):
            outside.append(f"row {shown_row(row + 1, file)}: {action} on parcel "
                           f"{table['parcel_id'].iat[row]} (zone {code_text(zone)}, {cover})")
    if outside:
        shown = "; ".join(outside[:5]) + (f"; and {len(outside) - 5} more"
                                           if len(outside) > 5 else "")
        counted = " (the header is row 1)" if headed(file) else ""
        warnings.warn(f"{file}: {len(outside)} row(s) put an action where the action catalogue "
                      f"does not list it (zones, land covers): kept, as your table says — "
                      f"{shown}{counted}", UserWarning, stacklevel=2)


def _attributes(path: Path) -> pd.DataFrame:
    """A vector file's attribute table, without geometry."""
    import pyogrio

    return pyogrio.read_dataframe(gdal_path(path), read_geometry=False)


def _lenient(read):
    """What ``read()`` gives, or None when the file cannot be read (its own problems are
    reported by its loader)."""
    try:
        return read()
    except Exception:  # noqa: BLE001
        return None


def options_against_region(frame: pd.DataFrame, file: str, parcels: pd.DataFrame | None,
                           actions: pd.DataFrame | None,
                           parcels_name: str = "the parcels") -> list[InputProblem]:
    """Rows of an option table that contradict the parcels or the catalogue: an unknown
    parcel or action, a zone or county other than the parcel's, an area off the parcel's
    (or, for mine works, the mine's disturbed area) by more than the area tolerance.
    Cells that are not valid in themselves are left to the column checks; a table (parcels
    or actions) that is None, or lacks a column, skips the checks that need it."""
    problems: list[InputProblem] = []
    if not {"parcel_id", "action"} <= set(frame.columns):
        return problems
    ids = frame["parcel_id"].map(code_text).to_numpy()
    action_codes = frame["action"].map(code_text)
    unknown_parcel = np.zeros(len(frame), bool)
    unknown_action = np.zeros(len(frame), bool)
    parcel = None
    if parcels is not None and "parcel_id" in parcels.columns:
        by_id = parcels.assign(key=parcels["parcel_id"].map(code_text)) \
            .drop_duplicates("key").set_index("key")
        unknown_parcel = ~np.isin(ids, by_id.index)
        problems += rows_problems(file, "parcel_id", unknown_parcel, frame["parcel_id"],
                                  f"unknown parcel id: not in {parcels_name}")
        parcel = by_id.reindex(ids)
    basis = None
    if actions is not None and {"code", "area_basis"} <= set(actions.columns):
        basis = actions.drop_duplicates("code").set_index("code")["area_basis"]
        unknown_action = ~action_codes.isin(basis.index).to_numpy()
        problems += rows_problems(file, "action", unknown_action, frame["action"],
                                  f"unknown action: expected one of {sorted(basis.index)} "
                                  "or its Chinese name (name_zh in the action catalogue)")
    if parcel is None:
        return problems
    for column in ("zone", "county"):
        if column not in frame.columns or column not in parcel.columns:
            continue
        theirs = parcel[column].map(code_text).to_numpy()
        ours = frame[column].map(lambda v, c=column: _number_text(v, numbers_only=c == "zone")
                                 ).to_numpy()
        differs = ~unknown_parcel & (ours != "") & (ours != theirs)
        shown = pd.Series([f"{o}, but parcel {i} is in {column} {t}"
                           for o, i, t in zip(ours, ids, theirs, strict=True)])
        problems += rows_problems(file, column, differs, shown,
                                  f"{column} contradicts the parcels file")
    if basis is None or "area_km2" not in frame.columns or "area_km2" not in parcel.columns:
        return problems
    mine = action_codes.map(basis).eq("mine").to_numpy()
    expected = expected_treated_area(parcel, action_codes, basis, actions)
    area = pd.to_numeric(frame["area_km2"], errors="coerce").to_numpy(float)
    tolerance = AREA_TOLERANCE * np.maximum(np.nan_to_num(expected), 1e-9)
    off = (~unknown_parcel & ~unknown_action & np.isfinite(area)
           & ~(np.abs(area - expected) <= tolerance))
    shown = pd.Series([f"{a:.4g} km², but {'the mine has' if m else 'the work there covers'} "
                       f"{e:.4g} km²"
                       for a, m, e in zip(area, mine, expected, strict=True)])
    problems += rows_problems(file, "area_km2", off, shown,
                              f"area_km2 differs from the parcels file by more than "
                              f"{AREA_TOLERANCE:.0%}")
    return problems


def expected_treated_area(parcel: pd.DataFrame, action_codes: pd.Series, basis: pd.Series,
                          actions: pd.DataFrame) -> np.ndarray:
    """Per option row, the area the catalogue treats on its parcel (criteria/feasibility.py):
    a mine's disturbed area, its karez times the area of one, or the parcel's area times the
    action's share for the parcel's land cover."""
    def column(name: str) -> np.ndarray:
        return (pd.to_numeric(parcel[name], errors="coerce").to_numpy(float)
                if name in parcel else np.full(len(parcel), np.nan))

    kind = action_codes.map(basis).to_numpy()
    shares = (actions.drop_duplicates("code").set_index("code")["area_share"].map(area_shares)
              if "area_share" in actions else pd.Series(dtype=object))
    covers = parcel["land_cover"].to_numpy() if "land_cover" in parcel else [""] * len(parcel)
    share = np.array([shares.get(code, {}).get(cover, 1.0)
                      for code, cover in zip(action_codes, covers, strict=True)])
    return np.select([kind == "mine", kind == "karez"],
                     [column("mine_area_km2"), column("karez_count") * KAREZ_AREA_KM2],
                     column("area_km2") * share)


def _number_text(value: object, numbers_only: bool = False) -> str:
    """A cell as a code ('' when blank, or not a number when ``numbers_only``); numbers
    typed as 3.0 read as '3'."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.notna(number):
        return code_text(float(number))
    return "" if numbers_only else code_text(value)
