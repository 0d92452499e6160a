"""Where an action may go: the catalogue's rules per action and the scenario's rules per layer.

An action is feasible on a parcel when

* the catalogue allows the parcel's ``zone`` and ``land_cover`` and its ``places`` hold there
  (region/places.py), and the parcel is at least as degraded as ``min_degradation``;
* the treated quantity is positive: ``area_basis`` ``parcel`` treats the parcel's area times
  the action's ``area_share`` for its land cover (shelterbelt strips on farmland treat a
  share, not the whole parcel), ``mine`` the disturbed area of a pending mine, ``karez`` the
  karez crossing the parcel (``karez_count`` × :data:`KAREZ_AREA_KM2`, so that cost and
  benefit are per karez);
* no spatial rule of the scenario forbids it: inside a rule's layer (a parcel attribute such
  as ``red_line`` or ``protected_area``, non-empty, containing one of the rule's ``match``
  texts when given) only the rule's ``allow`` actions may go.

Options that break a rule are never built, so no solver, heuristic or user lock can choose them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from region.places import Places
from region.scenario_spatial_rules import SpatialRule
from region.validate import split_list

#: Treated area of one karez, km²: its mean length, 3,491.74 km over 997 karez = 3.50 km
#: (PARAMETERS.md, China News Service 2023, R), times a 50 m protection strip over the
#: underground channel and its shaft mounds (an estimate: no width found). Only the areas
#: shown depend on the strip; the catalogue prices karez work so that one karez costs ≈60万元
#: (PARAMETERS.md, D).
KAREZ_AREA_KM2 = 3.50 * 0.05


def area_shares(text: object) -> dict[str, float]:
    """``'oasis_farmland=0.06|settlement=0.05'`` → {land cover: share}; others treat 1."""
    shares = {}
    for item in split_list(text):
        cover, _, share = item.partition("=")
        shares[cover.strip()] = float(share)
    return shares


def treated_area(parcels: pd.DataFrame, action: pd.Series) -> tuple[NDArray, NDArray]:
    """Per parcel: the treated area (km²) and the number of objects treated (karez, mines)."""
    basis = action.get("area_basis", "parcel")
    if basis == "mine":
        pending = parcels["mine_status"].eq("pending").to_numpy()
        area = np.where(pending, parcels["mine_area_km2"].to_numpy(float), 0.0)
        return area, (area > 0).astype(float)
    if basis == "karez":
        if "karez_count" not in parcels.columns:
            return np.zeros(len(parcels)), np.zeros(len(parcels))
        count = pd.to_numeric(parcels["karez_count"], errors="coerce").fillna(0).to_numpy(float)
        return count * KAREZ_AREA_KM2, count
    share = parcels["land_cover"].map(area_shares(action.get("area_share", ""))).fillna(1.0)
    return parcels["area_km2"].to_numpy(float) * share.to_numpy(float), np.zeros(len(parcels))


def inside(parcels: pd.DataFrame, rule: SpatialRule) -> NDArray[np.bool_]:
    """The parcels a spatial rule's layer covers (all False when the parcels lack it)."""
    if rule.layer not in parcels.columns:
        return np.zeros(len(parcels), bool)
    names = parcels[rule.layer].fillna("").astype(str).str.strip()
    covered = (names != "").to_numpy(copy=True)
    if rule.match:
        covered &= np.logical_or.reduce([names.str.contains(text, regex=False).to_numpy()
                                         for text in rule.match])
    return covered


def forbidden_by_rules(parcels: pd.DataFrame, code: str,
                       rules: Sequence[SpatialRule]) -> NDArray[np.bool_]:
    """Parcels where some spatial rule forbids action ``code``."""
    forbidden = np.zeros(len(parcels), bool)
    for rule in rules:
        if code not in rule.allow:
            forbidden |= inside(parcels, rule)
    return forbidden


def check_rules(parcels: pd.DataFrame, rules: Sequence[SpatialRule]) -> None:
    """Warn about a rule whose layer the parcels lack: it protects nothing."""
    for rule in rules:
        if rule.layer not in parcels.columns:
            warnings.warn(f"spatial rule '{rule.name}': the parcels have no '{rule.layer}' "
                          f"column, so it applies nowhere; load the layer with "
                          f"--layer {rule.layer}=<file>", stacklevel=3)


#: The catalogue's conditions of an action on a parcel, in the order they are checked.
CATALOGUE_CONDITIONS = ("zone", "land_cover", "degradation", "place", "treated")


def catalogue_conditions(table: pd.DataFrame, action: pd.Series,
                         places: Places) -> dict[str, NDArray[np.bool_]]:
    """Per condition of :data:`CATALOGUE_CONDITIONS`, the parcels of ``table`` (its rows, no
    geometry) where the catalogue row ``action`` meets it: its ``zones``, ``land_covers``,
    ``min_degradation``, ``places`` and something to treat (:func:`treated_area` > 0).
    :func:`feasible_pairs` keeps the parcels meeting all of them; the table of projects
    without works (outputs/project_causes.py) names the first that leaves none."""
    zones = [int(z) for z in split_list(action["zones"])]
    area, _ = treated_area(table, action)
    return {
        "zone": table["zone"].isin(zones).to_numpy(),
        "land_cover": table["land_cover"].isin(split_list(action["land_covers"])).to_numpy(),
        "degradation": (table["degradation"] >= action["min_degradation"]).to_numpy(),
        "place": places.mask(action.get("places", "")),
        "treated": area > 0,
    }


def feasible_pairs(parcels: pd.DataFrame, actions: pd.DataFrame,
                   rules: Sequence[SpatialRule] = (),
                   places: Places | None = None) -> pd.DataFrame:
    """Parcel rows joined with the action rows that may be applied to them: those meeting
    every :func:`catalogue_conditions` of the action that no spatial rule forbids.

    ``area_km2`` becomes the treated area, ``parcel_area_km2`` keeps the parcel's and
    ``object_count`` counts the karez or mine sites treated. ``places`` evaluates the
    catalogue's places (built from ``parcels`` when not given; give one to measure
    ``near(...)`` distances against the region's boundaries file).
    """
    places = places or Places(parcels)
    if len(places.parcels) != len(parcels):
        raise ValueError("places were built on other parcels than those given")
    table = _attribute_table(parcels)
    check_rules(table, rules)
    pieces = []
    for _, action in actions.iterrows():
        ok = (np.logical_and.reduce(list(catalogue_conditions(table, action, places).values()))
              & ~forbidden_by_rules(table, action["code"], rules))
        pieces.append(_pair_rows(table, action, ok))
    return _with_catalogue(pieces, table, actions)


def _attribute_table(parcels: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(parcels.drop(columns="geometry", errors="ignore")).reset_index(
        drop=True)


def _pair_rows(table: pd.DataFrame, action: pd.Series, ok: NDArray[np.bool_]) -> pd.DataFrame:
    """The parcels ``ok`` of ``table`` with action ``action``: treated area and objects."""
    area, count = treated_area(table, action)
    chosen = table.loc[ok].copy()
    chosen["parcel_area_km2"] = chosen["area_km2"]
    chosen["area_km2"] = area[ok]
    chosen["object_count"] = count[ok]
    chosen["action"] = action["code"]
    return chosen


def _with_catalogue(pieces: list[pd.DataFrame], table: pd.DataFrame,
                    actions: pd.DataFrame) -> pd.DataFrame:
    pairs = pd.concat(pieces, ignore_index=True) if pieces \
        else table.iloc[:0].assign(action=pd.Series(dtype=str))
    columns = [c for c in actions.columns if c != "code"]
    return pairs.merge(actions[["code", *columns]].rename(columns={"code": "action"}),
                       on="action", how="left", suffixes=("", "_action"))


def pairs_done(parcels: pd.DataFrame, actions: pd.DataFrame,
               works: pd.DataFrame) -> pd.DataFrame:
    """The pairs (``parcel_id``, ``action``) of ``works`` as :func:`feasible_pairs` builds
    them, whatever the catalogue's conditions and the spatial rules say today: works done
    under an earlier catalogue are facts (pipeline/replan_history.py). A work with nothing
    to treat on its parcel (no area, mine or karez) is left out."""
    table = _attribute_table(parcels)
    catalogue = actions.set_index("code", drop=False)
    pieces = []
    for code, group in works.groupby("action"):
        action = catalogue.loc[code]
        area, _ = treated_area(table, action)
        ok = table["parcel_id"].isin(group["parcel_id"]).to_numpy() & (area > 0)
        pieces.append(_pair_rows(table, action, ok))
    return _with_catalogue(pieces, table, actions)


def conditions_failed(parcels: pd.DataFrame, action: pd.Series, parcel_id: int,
                      rules: Sequence[SpatialRule], places: Places) -> list[str]:
    """What keeps action ``action`` (a catalogue row) off parcel ``parcel_id`` today: the
    names of the :data:`CATALOGUE_CONDITIONS` it fails, then the names of the spatial rules
    that forbid it there (``rule:<name>``); empty when it is allowed."""
    table = _attribute_table(parcels)
    row = np.flatnonzero(table["parcel_id"].to_numpy() == parcel_id)
    conditions = catalogue_conditions(table, action, places)
    failed = [name for name in CATALOGUE_CONDITIONS if not conditions[name][row].all()]
    for rule in rules:
        if action["code"] not in rule.allow and inside(table, rule)[row].any():
            failed.append(f"rule:{rule.name}")
    return failed


def allowed_by_rules(options: pd.DataFrame, parcels: pd.DataFrame,
                     rules: Sequence[SpatialRule]) -> NDArray[np.bool_]:
    """Which rows of an option table (a user's own, ``--options``) no spatial rule forbids."""
    table = pd.DataFrame(parcels.drop(columns="geometry", errors="ignore")).reset_index(
        drop=True)
    check_rules(table, rules)
    row = pd.Index(table["parcel_id"]).get_indexer(options["parcel_id"])
    allowed = np.ones(len(options), bool)
    for rule in rules:
        covered = inside(table, rule)
        on_covered = (row >= 0) & covered[np.maximum(row, 0)]
        allowed &= ~(on_covered & ~options["action"].isin(rule.allow).to_numpy())
    return allowed
