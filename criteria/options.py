"""The option table: one row per feasible (parcel, action), with its benefit per criterion.

Which (parcel, action) pairs are feasible — the catalogue's zones, land covers, places and
area basis, and the scenario's spatial rules — is criteria/feasibility.py's job.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Sequence

import pandas as pd

from criteria.biodiversity import habitat_gain_km2
from criteria.carbon import carbon_tc_per_yr
from criteria.feasibility import feasible_pairs
from criteria.mine_remediation import mine_hazard_km2
from criteria.normalise import normalise, score
from criteria.priority import priority_factors
from criteria.sand_control import sand_t_per_yr
from criteria.water_conservation import water_wan_m3_per_yr
from region.errors import InputError, InputProblem
from region.places import Places
from region.scenario_spatial_rules import SpatialRule
from region.schema import CRITERIA, OPTION_COLUMNS
from region.validate import check_table, coerce_table, columns_not_ours, rows_problems

#: Unit of each criterion's raw benefit column ``benefit_<c>``.
CRITERION_UNITS = {
    "sand": "t/yr (wind erosion avoided)",
    "water": "万m³/yr (water retained)",
    "bio": "quality-weighted km² (habitat gain)",
    "mine": "hazard-weighted km² (remediated)",
    "carbon": "tC/yr (uptake)",
}
MODELS = {
    "sand": sand_t_per_yr,
    "water": water_wan_m3_per_yr,
    "bio": habitat_gain_km2,
    "mine": mine_hazard_km2,
    "carbon": carbon_tc_per_yr,
}
PARCEL_INPUTS = ["veg_cover", "wind_exposure", "erodibility", "oasis_shield", "sand_priority",
                 "precip_mm", "elevation_m", "water_source", "habitat_quality", "degradation",
                 "protected_area", "mine_status", "mine_area_km2", "mine_hazard"]


def build_options(parcels: pd.DataFrame, actions: pd.DataFrame,
                  weights: dict[str, float] | None = None,
                  budget_wan: float | None = None,
                  rules: Sequence[SpatialRule] = (),
                  places: Places | None = None) -> pd.DataFrame:
    """The option table with physical ``benefit_<c>``, the score's ``priority_<c>`` and
    ``norm_<c>`` (criteria/normalise.py; against what ``budget_wan`` can achieve when
    given) and, given weights, ``score``.

    Only pairs that the catalogue and the scenario's spatial ``rules`` allow are built
    (criteria/feasibility.py); ``object_count`` counts the karez or mine sites an option
    treats."""
    check_parcel_inputs(parcels)
    table = normalise(option_rows(feasible_pairs(parcels, actions, rules, places)), budget_wan)
    if weights is not None:
        table["score"] = score(table, weights)
    return table


def check_parcel_inputs(parcels: pd.DataFrame) -> None:
    """The parcel columns the criteria models read, or an InputError naming each missing."""
    missing = [c for c in PARCEL_INPUTS if c not in parcels.columns]
    if missing:
        raise InputError([InputProblem("parcels", f"the criteria models need column '{c}' "
                                       "(or give benefits with --options)") for c in missing])


def option_rows(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per pair (criteria/feasibility.py's rows): area, zone, county, cost and water from
    the catalogue's figures, the physical ``benefit_<c>`` of each criterion model and the
    score's ``priority_<c>``; not yet normalised."""
    table = pairs[["parcel_id", "action", "area_km2", "object_count", "zone", "county",
                   "land_cover"]].copy()
    table["cost_wan"] = pairs["unit_cost_wan_per_km2"] * pairs["area_km2"]
    table["water_wan_m3_per_yr"] = pairs["water_wan_m3_per_km2_yr"] * pairs["area_km2"]
    for criterion, model in MODELS.items():
        table[f"benefit_{criterion}"] = model(pairs)
    return pd.concat([table, priority_factors(pairs)], axis=1)


def options_from_table(frame: pd.DataFrame, file: str,
                       weights: dict[str, float] | None = None,
                       budget_wan: float | None = None) -> pd.DataFrame:
    """A user's own option table (``--options``): checked, then normalised like ours.

    Needs ``parcel_id, action, area_km2, zone, county, cost_wan, water_wan_m3_per_yr`` and
    ``benefit_<c>`` columns (a missing criterion counts as 0); optional ``priority_<c>``
    score weights (1 where missing).
    """
    problems = check_table(frame, OPTION_COLUMNS, file)
    problems += columns_not_ours(frame.columns, OPTION_COLUMNS, problems, file,
                                 known=["land_cover", *(f"priority_{c}" for c in CRITERIA)])
    if not any(f"benefit_{c}" in frame.columns for c in CRITERIA):
        problems.append(InputProblem(file, f"no benefit column: expected some of "
                                     f"{[f'benefit_{c}' for c in CRITERIA]}"))
    if {"parcel_id", "action"} <= set(frame.columns):
        dup = frame.duplicated(["parcel_id", "action"]).to_numpy()
        problems += rows_problems(file, "action", dup, frame["action"],
                                  "duplicate (parcel_id, action): appears earlier in the file")
    if problems:
        raise InputError(problems)
    note_unknown_criteria(frame.columns, file)
    table = coerce_table(frame, OPTION_COLUMNS)
    for criterion in CRITERIA:
        if f"benefit_{criterion}" not in table.columns:
            table[f"benefit_{criterion}"] = 0.0
    if "land_cover" not in table.columns:
        table["land_cover"] = ""
    for criterion in CRITERIA:
        if f"priority_{criterion}" not in table.columns:
            table[f"priority_{criterion}"] = 1.0
    table = normalise(table, budget_wan)
    if weights is not None:
        table["score"] = score(table, weights)
    return table


def note_unknown_criteria(columns: Sequence[object], file: str) -> None:
    """A note naming each ``benefit_<x>`` or ``priority_<x>`` column whose ``<x>`` is no
    criterion (``benefit_foo``, ``benefit_sands``): its figures count for nothing, which a
    planner would not see without a word; the criterion it is closest to is suggested."""
    unknown = []
    for column in map(str, columns):
        prefix, _, name = column.partition("_")
        if prefix not in ("benefit", "priority") or name in CRITERIA:
            continue
        close = difflib.get_close_matches(name, CRITERIA, n=1, cutoff=0.6)
        unknown.append(f"'{column}'" + (f" (did you mean '{prefix}_{close[0]}'?)"
                                         if close else ""))
    if unknown:
        warnings.warn(f"{file}: column(s) {', '.join(unknown)} name no criterion, so their "
                      f"figures are ignored; the criteria are {', '.join(CRITERIA)}",
                      UserWarning, stacklevel=2)
