"""Which plan project a work is filed under: each project's rule, matched per option.

Funding is applied for per key project (重点项目), so every scheduled work names one. The
project table (``projects.csv``) gives each project a rule: the ``actions`` it carries out
and the place it works in — ``zones``, ``counties``, ``land_covers`` and ``places``
(region/places.py: a township, a distance to a river or the lake, …); an empty condition
holds everywhere. An option belongs to a project when it meets the whole rule.

Ties: when several projects' rules hold, the **most specific** one wins — the one stating
more of ``counties``, ``land_covers`` and ``places`` — and at equal specificity the one
listed first. So "sand barriers in the Aydingkol townships" (P3-2) takes those barriers
before "the zone's sand-control works" (P3-1).

Levels: ``programme``, ``work`` and ``project`` rows take works (a work row only where the
plan names no project below it, e.g. zones 4 and 5); ``support`` rows carry no parcel work;
``umbrella`` rows (the 吐哈盆地 integrated work, plan lines 91-94) take none themselves: a
work filed under a key project also counts towards every umbrella whose rule it meets
(column ``umbrella_id``). A ``work`` row with projects below it (``parent``: W1, W2A-C, W3,
plan lines 96, 98-100) takes no work of its own either: the works of its projects are its
works (column ``work_id``, the project's ``parent``), so a target on it counts them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from region.errors import InputProblem
from region.places import Places, place_problem
from region.schema import LAND_COVERS
from region.validate import split_list

LEVELS = ("programme", "work", "project", "support", "umbrella")
FILED_UNDER = ("programme", "work", "project")  # levels an option can be filed under
CONDITIONS = ("counties", "land_covers", "places")  # what makes a rule more specific
PROJECT_COLUMNS = ["project_id", "project_zh", "project_en", "work_id", "umbrella_id"]


def rule_problems(frame: pd.DataFrame, file: str) -> list[InputProblem]:
    """Problems of the rule columns: levels, land covers, places."""
    problems = []
    for row, record in enumerate(frame.to_dict("records"), start=1):
        if record.get("level", "") not in LEVELS:
            problems.append(InputProblem(file, f"expected a level from {list(LEVELS)}",
                                         row=row, column="level", value=record.get("level")))
        unknown = [c for c in split_list(record.get("land_covers", "")) if c not in LAND_COVERS]
        if unknown:
            problems.append(InputProblem(file, f"unknown land cover: expected values from "
                                               f"{sorted(LAND_COVERS)}", row=row,
                                         column="land_covers", value="|".join(unknown)))
        if (message := place_problem(record.get("places", ""))) is not None:
            problems.append(InputProblem(file, message, row=row, column="places",
                                         value=record.get("places")))
    return problems


def rule_conditions(frame: pd.DataFrame, project: pd.Series,
                    place_by_parcel: pd.Series | None) -> dict[str, NDArray[np.bool_]]:
    """Per condition the project's rule states (``zones``, ``counties``, ``land_covers``,
    ``places``, in that order), the rows of ``frame`` (options, or parcels) meeting it;
    ``place_by_parcel``: the project's place per parcel id, None when it states none."""
    conditions = {}
    for column, frame_column in (("zones", "zone"), ("counties", "county"),
                                 ("land_covers", "land_cover")):
        wanted = split_list(project.get(column, ""))
        if wanted:
            conditions[column] = frame[frame_column].astype(str).isin(wanted).to_numpy()
    if place_by_parcel is not None:
        conditions["places"] = frame["parcel_id"].map(place_by_parcel).fillna(False) \
            .to_numpy(bool)
    return conditions


def parcels_in_place(places: Places, text: object) -> pd.Series | None:
    """Whether each parcel (indexed by parcel id) lies in a project's place ``text``; None
    when the project states no place."""
    if not str(text or "").strip():
        return None
    return pd.Series(places.mask(text), index=places.parcels["parcel_id"].to_numpy())


def rule_mask(options: pd.DataFrame, project: pd.Series,
              place_by_parcel: pd.Series | None) -> NDArray[np.bool_]:
    """Options meeting one project's rule (``place_by_parcel``: its place per parcel id)."""
    mask = options["action"].isin(split_list(project["actions"])).to_numpy(copy=True)
    for condition in rule_conditions(options, project, place_by_parcel).values():
        mask &= condition
    return mask


def specificity(project: pd.Series) -> int:
    """How many of counties, land covers and places a rule states."""
    return sum(bool(split_list(project.get(c, ""))) if c != "places"
               else bool(str(project.get(c, "") or "").strip()) for c in CONDITIONS)


def assign_projects(options: pd.DataFrame, projects: pd.DataFrame,
                    places: Places) -> pd.DataFrame:
    """``options`` with ``project_id``, ``project_zh``, ``project_en`` (the project its rule
    files it under, '' when none), ``work_id`` (the key work that project belongs to, its
    ``parent``; '' when it has none) and ``umbrella_id`` ('|'-joined umbrella works it counts
    towards). ``places`` evaluates the projects' places on the region's parcels."""
    out = options.drop(columns=PROJECT_COLUMNS, errors="ignore").reset_index(drop=True)

    def mask_of(project: pd.Series) -> NDArray[np.bool_]:
        return rule_mask(out, project, parcels_in_place(places, project.get("places", "")))

    candidates = projects[projects["level"].isin(FILED_UNDER)
                          & (projects["actions"].map(split_list).map(len) > 0)]
    best = np.full(len(out), -1)
    best_rank = np.full(len(out), -np.inf)
    for position, (index, project) in enumerate(candidates.iterrows()):
        rank = specificity(project) * len(candidates) - position  # specific first, then order
        better = mask_of(project) & (rank > best_rank)
        best[better], best_rank[better] = index, rank
    filed = best >= 0
    for column, source in (("project_id", "project_id"), ("project_zh", "name_zh"),
                           ("project_en", "name_en"), ("work_id", "parent")):
        values = np.full(len(out), "", dtype=object)
        values[filed] = projects.loc[best[filed], source].to_numpy()
        out[column] = values
    umbrella = pd.Series("", index=out.index, dtype=object)
    for _, project in projects[projects["level"] == "umbrella"].iterrows():
        meets = mask_of(project)
        umbrella[meets] = (umbrella[meets] + "|" + project["project_id"]).str.lstrip("|")
    out["umbrella_id"] = umbrella
    return out
