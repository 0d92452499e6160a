"""Works of past years that today's action catalogue no longer allows: facts, not options.

A plan made before the catalogue changed (enclosure 封育 taken off alpine grassland and out
of the Lop Nur reserve, wetland enclosure out of the Aydingkol wetland park:
docs/plan-rules.md) may hold such works, done or partly done in a past year. Works done are
facts: the re-plan keeps each as it keeps any done work — its money and water in its past
years, its area and benefits from then on, its parcel taken — and never offers the pair in
a year it plans. So for every past work of the previous plan (and every work an earlier
re-plan recorded) whose (parcel, action) is no longer an option, :func:`history_options`
builds its option row as the criteria build any option's (criteria/options.py: the criteria
models' benefits, the catalogue's cost and water per km², scored on today's scale), marked
``history_only``; optimizer/history.py opens only the kept work's option at its start year.
A failed or cancelled one is built too, so that what it cost in its past years is counted as
any failed work's, but never chosen. A work the catalogue does not allow that was not in the
previous plan (new = true) is refused as before (region/progress.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from criteria.feasibility import conditions_failed, pairs_done
from criteria.normalise import normalise, score
from criteria.options import check_parcel_inputs, option_rows
from criteria.weights import resolve_weights
from outputs.labels import action_names, county_names
from outputs.place_words import cover_words, place_words
from pipeline.replan_former import figures_record
from pipeline.replan_previous import PreviousResult
from region.io import Region
from region.progress import KEY, STATUSES
from region.projects import assign_projects
from region.scenario import Scenario
from region.validate import split_list

#: The mark of such a work in the lists, plan.csv and changes.csv (Chinese, English).
MARK = ("现行目录不再允许", "no longer allowed by today's catalogue")
#: Columns of :func:`no_longer_allowed`, and of :func:`kept_marks`.
COLUMNS = [*KEY, "action_zh", "action_en", "rule_zh", "rule_en"]
MARK_COLUMNS = [*COLUMNS, "status", "kept", "mark_zh", "mark_en"]


def no_longer_allowed(region: Region, scenario: Scenario, options: pd.DataFrame,
                      previous: PreviousResult, year: int) -> pd.DataFrame:
    """The previous plan's works started before ``year`` and the works recorded so far
    whose pair is not in today's ``options`` but has something to treat on its parcel,
    with what rules each out now (``rule_zh``, ``rule_en``)."""
    works = pd.concat([previous.plan.reindex(columns=KEY), previous.facts.reindex(columns=KEY)],
                      ignore_index=True).dropna()
    works = works.astype({"parcel_id": "int64", "start_year": "int64"})
    works = works[(works["start_year"] < year)
                  & works["action"].isin(region.actions["code"])
                  & works["parcel_id"].isin(region.parcels["parcel_id"])]
    offered = pd.MultiIndex.from_frame(options[["parcel_id", "action"]])
    works = works[~pd.MultiIndex.from_frame(works[["parcel_id", "action"]]).isin(offered)]
    works = works.drop_duplicates(KEY).sort_values(KEY).reset_index(drop=True)
    if works.empty:
        return pd.DataFrame(columns=COLUMNS)
    buildable = pairs_done(region.parcels, region.actions, works)[["parcel_id", "action"]]
    works = works.merge(buildable, on=["parcel_id", "action"])
    names = action_names(region)
    catalogue = region.actions.set_index("code", drop=False)
    rows = []
    for work in works.itertuples(index=False):
        failed = conditions_failed(region.parcels, catalogue.loc[work.action], work.parcel_id,
                                   scenario.spatial_rules, region.places)
        zh, en = catalogue_words(failed, catalogue.loc[work.action], work.parcel_id, region)
        rows.append((*work, *names.get(work.action, (work.action,) * 2), zh, en))
    return pd.DataFrame(rows, columns=COLUMNS)


def catalogue_words(failed: list[str], action: pd.Series, parcel_id: int,
                    region: Region) -> tuple[str, str]:
    """What rules the action out on the parcel now, in Chinese and English, each condition
    with the catalogue column (or scenario rule) that says it."""
    parcel = region.parcels.loc[region.parcels["parcel_id"] == parcel_id].iloc[0]
    zh_a, en_a = action["name_zh"], action["name_en"]
    said = []
    for name in failed:
        if name == "zone":
            zones = split_list(action["zones"])
            said.append((f"目录现只允许{zh_a}用于{'、'.join(zones)}区（本地块在{parcel['zone']}区）",
                         f"the catalogue now allows {en_a} only in zone {', '.join(zones)} "
                         f"(this parcel: zone {parcel['zone']}; actions.csv zones)"))
        elif name == "land_cover":
            allowed = cover_words(split_list(action["land_covers"]))
            here = cover_words([parcel["land_cover"]])
            said.append((f"目录现只允许{zh_a}用于{allowed[0]}（本地块为{here[0]}）",
                         f"the catalogue now allows {en_a} only on {allowed[1]} "
                         f"(this parcel: {here[1]}; actions.csv land_covers)"))
        elif name == "degradation":
            level = action["min_degradation"]
            said.append((f"目录现要求退化等级不低于{level}（本地块为{parcel['degradation']}）",
                         f"the catalogue now needs degradation level {level} or more for "
                         f"{en_a} (this parcel: {parcel['degradation']}; actions.csv "
                         "min_degradation)"))
        elif name == "place":
            zh, en = place_words(action.get("places", ""), county_names(region))
            said.append((f"目录现规定{zh_a}须{zh}", f"the catalogue now places {en_a} only "
                                                 f"{en} (actions.csv places)"))
        elif name.startswith("rule:"):
            rule = name.removeprefix("rule:")
            said.append((f"情景空间规则“{rule}”不允许{zh_a}",
                         f"the scenario's spatial rule '{rule}' forbids {en_a}"))
    if not said:  # the catalogue allows it, yet the option table lacks it
        said.append(("不在选项表中", "not in the option table"))
    return "；".join(zh for zh, _ in said), "; ".join(en for _, en in said)


def history_options(region: Region, scenario: Scenario, options: pd.DataFrame,
                    works: pd.DataFrame, budget_wan: float) -> pd.DataFrame:
    """The option rows of ``works`` (:func:`no_longer_allowed`), built as
    criteria/options.py builds any (benefits from the criteria models, cost and water from
    the catalogue's figures per km²) and normalised on the scale of today's ``options``
    (``budget_wan``: the horizon's money they were normalised against), each filed under
    its plan project, with ``history_only`` true."""
    if works.empty:
        return options.iloc[:0].assign(history_only=pd.Series(dtype=bool))
    check_parcel_inputs(region.parcels)
    rows = option_rows(pairs_done(region.parcels, region.actions, works))
    rows = normalise(rows, budget_wan, scale_from=options)
    if "score" in options.columns:
        rows["score"] = score(rows, resolve_weights(scenario.weights))
    rows = assign_projects(rows, region.projects, region.places)
    return rows.reindex(columns=options.columns).assign(history_only=True)


def with_history(options: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Today's options and the history-only rows, ``history_only`` false for today's."""
    today = options.assign(history_only=False)
    if rows.empty:
        return today
    return pd.concat([today, rows], ignore_index=True)


def kept_marks(works: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Per work of ``works`` (:func:`no_longer_allowed`) that the facts record: its status
    and whether it is kept, with the mark the lists and plan.csv print (``mark_zh``,
    ``mark_en``: "2027年已完成（现行目录不再允许：…）")."""
    table = works.merge(facts[[*KEY, "status"]], on=KEY)
    status = table["status"].map(STATUSES)
    table["kept"] = table["status"].isin(("done", "partial"))
    table["mark_zh"] = [f"{s}年{zh}（{MARK[0]}：{rule}）" for s, (zh, _), rule in
                        zip(table["start_year"], status, table["rule_zh"], strict=True)]
    table["mark_en"] = [f"{en} in {s} ({MARK[1]}: {rule})" for s, (_, en), rule in
                        zip(table["start_year"], status, table["rule_en"], strict=True)]
    return table


def marked(chosen: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """The plan's chosen works with ``history_zh``, ``history_en``: the mark of a kept work
    the catalogue no longer allows (blank for the others), said first in its ``reason``
    too (plan.csv; the priority lists say it in theirs, outputs/reasons.py)."""
    kept = marks[marks["kept"].astype(bool)].set_index(KEY)[["mark_zh", "mark_en"]]
    if kept.empty:
        return chosen
    keys = pd.MultiIndex.from_frame(chosen[KEY])
    out = chosen.copy()
    out["history_zh"] = kept["mark_zh"].reindex(keys).fillna("").to_numpy()
    out["history_en"] = kept["mark_en"].reindex(keys).fillna("").to_numpy()
    if "reason" in out.columns:
        said = out["history_en"] != ""
        out.loc[said, "reason"] = [f"{zh} {en}" + (f" | {reason}" if reason else "")
                                   for zh, en, reason in zip(
            out.loc[said, "history_zh"], out.loc[said, "history_en"], out.loc[said, "reason"],
            strict=True)]
    return out


def history_record(marks: pd.DataFrame) -> list[dict]:
    """For the manifest (``replan.no_longer_allowed``): each such work, kept or not; with
    ``first_named`` (the re-plan that first named it, pipeline/replan_former.py) and, for a
    work whose action code the catalogue no longer has (``code_removed``), the figures
    recorded of it (``recorded``: what the next re-plan takes)."""
    columns = [*KEY, "action_zh", "action_en", "status", "kept", "rule_zh", "rule_en",
               *[c for c in ("first_named", "code_removed") if c in marks.columns]]
    out = []
    for k, row in enumerate(marks[columns].to_dict(orient="records")):
        entry = {name: (v.item() if isinstance(v, np.generic) else v)
                 for name, v in row.items()}
        entry["code_removed"] = bool(entry.get("code_removed", False))
        if entry["code_removed"]:
            entry["recorded"] = figures_record(marks.iloc[k])
        out.append(entry)
    return out
