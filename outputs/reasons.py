"""Why each option is in the plan (入选理由), in Chinese and English, without internal ids.

An option is there because a rule requires it (a mandatory work locked in by the scenario,
or a target it counts towards: the target written out from its fields and called the
scenario's, 情景目标, not the plan's: a target carries no citation of the plan), or for its
return: its rank in the year by benefit per 万元 and the criterion that drives its score; and, when
it restores a parcel of an ecological corridor (an action the catalogue marks
``restores_habitat``), the corridor named after the places it joins
(:func:`corridor_names`), not after the analysis's numbered sources.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from criteria.corridors import KIND_LABELS, CorridorAnalysis, Source
from optimizer.formulation import target_members
from optimizer.problem import restoring, rule_matches
from outputs.explain import contributions
from outputs.labels import area_text, county_names, figure_text, zone_names
from outputs.recorded_year import is_record
from outputs.water_reliance import saving_links, water_reliance
from region.io import Region
from region.scenario import Scenario
from region.scenario_requirements import Target
from region.schema import CRITERION_LABELS, EQUAL_AREA_CRS

_CJK = re.compile(r"[\u3400-\u9fff]")
#: A unit written after a Chinese word's figure ("沙障100 km²") belongs to the Chinese half.
_UNIT = re.compile(r"^(k?m[²³]|万?m³|ha|%)[，,。；;）)]*$")


def split_bilingual(text: str) -> tuple[str, str]:
    """("中文", "English") of a label written "English 中文" or "中文 English"."""
    text = str(text).strip()
    match = _CJK.search(text)
    if match is None:
        return text, text
    zh_words, en_words = [], []
    after_chinese = False
    for word in text.split():
        chinese = bool(_CJK.search(word)) or (after_chinese and _UNIT.match(word) is not None)
        (zh_words if chinese else en_words).append(word)
        after_chinese = chinese
    zh, en = " ".join(zh_words), " ".join(en_words)
    return zh, en or zh


def _mode(values: pd.Series) -> str:
    values = values.fillna("").astype(str)
    values = values[values != ""]
    return str(values.mode().iat[0]) if len(values) else ""


def _source_place(source: Source, parcels: pd.DataFrame, region: Region,
                  detail: int) -> tuple[str, str]:
    """Where a source lies: its county (detail ≥ 0), township (detail ≥ 1, when the parcels
    have one), and compass part of the county (detail ≥ 2, added by the caller)."""
    members = parcels.iloc[source.members]
    county = _mode(members["county"].astype(str))
    zh, en = county_names(region).get(county, (county, county))
    if detail >= 1 and "township" in members:
        town_zh = _mode(members["township"])
        town_en = _mode(members["township_en"]) if "township_en" in members else town_zh
        if town_zh:
            zh, en = f"{zh}{town_zh}", f"{town_en}, {en}"
    return zh, en


def source_names(analysis: CorridorAnalysis, region: Region) -> dict[str, tuple[str, str]]:
    """Source name → (Chinese, English) readable name: the protected area for desert
    reserves, otherwise the place (county, then township, then compass part when two
    sources of one kind would share a name) and the kind (绿洲 oasis …)."""
    parcels = analysis.parcels
    kinds = {kind: label.split(" ", 1) for kind, label in KIND_LABELS.items()}
    names: dict[str, tuple[str, str]] = {}
    pending = []
    for source in analysis.sources:
        kind_zh, kind_en = kinds.get(source.kind, [source.kind, source.kind])
        area = _mode(parcels.iloc[source.members].get("protected_area", pd.Series(dtype=str)))
        if source.kind == "desert" and area:
            names[source.name] = split_bilingual(area)
        else:
            pending.append((source, kind_zh, kind_en))
    for detail in (0, 1, 2):
        labels = {}
        for source, kind_zh, kind_en in pending:
            zh, en = _source_place(source, parcels, region, detail)
            labels[source.name] = (f"{zh}{kind_zh}", f"{kind_en} of {en}")
        counts = pd.Series([v[0] for v in labels.values()]).value_counts()
        if detail == 2:
            labels = _compass(pending, parcels, labels, counts)
        clash = {name for name, v in labels.items() if counts.get(v[0], 0) > 1}
        for source, _, _ in pending:
            if source.name not in clash or detail == 2:
                names[source.name] = labels[source.name]
        pending = [p for p in pending if p[0].name in clash]
        if not pending:
            break
    return names


def _compass(pending, parcels, labels, counts) -> dict[str, tuple[str, str]]:
    """Sources still sharing a name get the compass direction of their centre from the
    group's centre (东 east, 西 west, 南 south, 北 north), then a number if that clashes."""
    centres = {}
    for source, _, _ in pending:
        shapes = parcels.geometry.iloc[source.members].to_crs(EQUAL_AREA_CRS).centroid
        centres[source.name] = np.array([shapes.x.mean(), shapes.y.mean()])
    out = dict(labels)
    for label in counts[counts > 1].index:
        group = [s.name for s, _, _ in pending if labels[s.name][0] == label]
        middle = np.mean([centres[g] for g in group], axis=0)
        seen: dict[str, int] = {}
        for name in group:
            dx, dy = centres[name] - middle
            zh, en = (("东", "east") if dx > 0 else ("西", "west")) if abs(dx) >= abs(dy) \
                else (("北", "north") if dy > 0 else ("南", "south"))
            seen[zh] = seen.get(zh, 0) + 1
            suffix = f"{seen[zh]}" if seen[zh] > 1 else ""
            out[name] = (f"{labels[name][0]}（{zh}部{suffix}）",
                         f"{labels[name][1]} ({en}{' ' + suffix if suffix else ''})")
    return out


def corridor_names(analysis: CorridorAnalysis | None,
                   region: Region) -> dict[str, tuple[str, str]]:
    """Corridor name → (Chinese, English): "<source>—<source>廊道" by readable place names."""
    if analysis is None:
        return {}
    sources = source_names(analysis, region)
    out = {}
    for corridor in analysis.corridors:
        a, b = (sources.get(part, (part, part)) for part in corridor.name.split(" ↔ ", 1))
        out[corridor.name] = (f"{a[0]}—{b[0]}生态廊道", f"the {a[1]} – {b[1]} corridor")
    return out


def target_text(target: Target, region: Region) -> tuple[str, str]:
    """A target written out from its fields, in Chinese and in English alike: not from its
    name, which a re-plan's scenario may keep after raising the minimum ("karez on 8 parcels"
    with ``minimum = 10``), so that both halves of a reason state the same target."""
    from region.schema import LAND_COVERS

    actions = region.actions.set_index("code")
    where_zh, where_en = "", []
    if target.county is not None:
        zh, en = county_names(region).get(str(target.county), (target.county,) * 2)
        where_zh, where_en = where_zh + zh, [*where_en, en]
    if target.zone is not None:
        zh, en = zone_names(region).get(int(target.zone), (str(target.zone),) * 2)
        where_zh, where_en = where_zh + zh, [*where_en, f"zone {target.zone} ({en})"]
    if target.project is not None:
        names = region.projects.set_index("project_id")
        zh, en = ((names.at[target.project, "name_zh"], names.at[target.project, "name_en"])
                  if target.project in names.index else (target.project,) * 2)
        where_zh, where_en = where_zh + zh, [*where_en, f"{target.project} {en}"]
    known = target.action in actions.index
    # no action named: any restoration counts ("戈壁修复", "restoration on Gobi"); a
    # project's works of any action are its works ("…重点项目实施不少于 1 处")
    works = target.project is not None and target.action is None
    anything = ("实施", "works") if works else ("修复", "restoration")
    what_zh = actions.at[target.action, "name_zh"] if known else target.action or anything[0]
    what_en = actions.at[target.action, "name_en"] if known else target.action or anything[1]
    if target.land_cover:
        cover = LAND_COVERS.get(target.land_cover, (target.land_cover,) * 2)
        what_zh, what_en = cover[0] + what_zh, f"{what_en} on {cover[1]}"
    if target.measure == "count":
        # what a count counts: mine sites; a project's works (a parcel may carry two of
        # them, barriers then afforestation), called 处 as the target names say ("至少实施1处");
        # else parcels of the one action. English singular for one (review finding 14a).
        mines = known and actions.at[target.action, "area_basis"] == "mine"
        unit_zh, unit_en = ("处", "site") if mines else ("处", "work") if works \
            else ("个地块", "parcel")
        amount = f"{target.minimum:g} {unit_zh}"
        amount_en = f"{target.minimum:g} {unit_en}{'' if target.minimum == 1 else 's'}"
    else:
        amount, amount_en = area_text(target.minimum), f"{target.minimum:g} km²"
    zh = f"{target.by_year}年前{where_zh}{what_zh}不少于 {amount}"
    in_where = f" in {', '.join(where_en)}" if where_en else ""
    remark_zh, remark_en = plan_remark(target.name)
    return zh + remark_zh, (f"{what_en}{in_where}: at least {amount_en} by {target.by_year}"
                            + (f" {remark_en}" if remark_en else ""))


def plan_remark(name: str) -> tuple[str, str]:
    """The remarks in brackets of a target's name that cite the plan, per language
    ("（规划要求2035年前）", "(plan: by 2035)"): the plan's own deadline beside the scenario's
    is kept in both halves of a reason, while the rest of the name (its figures may be stale
    after a re-plan) is not quoted."""
    zh, en = split_bilingual(name)
    remark_zh = "".join(m for m in re.findall(r"（[^（）]*）", zh) if "规划" in m)
    remark_en = " ".join(m for m in re.findall(r"\([^()]*\)", en)
                         if re.search(r"\bplan\b", m, re.IGNORECASE))
    return remark_zh, remark_en


def target_needs(frame: pd.DataFrame, target: Target) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``frame`` (chosen rows) of the target's members that it needs and of
    those beyond it: a member is needed when the plan's other members would fall short of
    the minimum without it; the rest count towards it, but the plan meets the target without
    any one of them. (The lists had called needed whatever came first in start-year order
    until the minimum was reached: a 2028 barrier ranked last by its return was "needed"
    while the barriers of 2029-2030 alone met the target, review finding 13.)"""
    members = target_members(frame, target)
    measure = (frame["area_km2"].to_numpy(float)[members] if target.measure == "area_km2"
               else np.ones(len(members)))
    needed = measure.sum() - measure < target.minimum - 1e-9
    return members[needed], members[~needed]


def required_by_rules(frame: pd.DataFrame, scenario: Scenario | None) -> np.ndarray:
    """Per chosen row, whether a rule requires it: a mandatory work of the scenario, or an
    option a target needs (:func:`target_needs`: not those beyond what the target needs)."""
    required = np.zeros(len(frame), dtype=bool)
    if scenario is None or frame.empty:
        return required
    frame = frame.reset_index(drop=True)
    for rule in scenario.locked_in:
        required |= rule_matches(frame, rule)
    for target in scenario.targets:
        required[target_needs(frame, target)[0]] = True
    return required


def rule_reasons(chosen: pd.DataFrame, scenario: Scenario | None,
                 region: Region) -> list[list[tuple[str, str]]]:
    """Per option, the (Chinese, English) rules that require it: mandatory works, then the
    targets that need it (:func:`target_needs`); an option beyond what a target needs is
    said to count towards it, not to be required by it."""
    rules: list[list[tuple[str, str]]] = [[] for _ in range(len(chosen))]
    if scenario is None or chosen.empty:
        return rules
    frame = chosen.reset_index(drop=True)
    for rule in scenario.locked_in:
        why_zh, why_en = split_bilingual(rule.reason)
        said = f"（{why_zh}）" if rule.reason else ""
        for i in np.flatnonzero(rule_matches(frame, rule)):
            rules[i].append((f"情景规定必须实施{said}", "mandatory works of the scenario"
                             + (f" ({why_en})" if rule.reason else "")))
    for target in scenario.targets:  # the scenario's: a target cites no line of the plan
        zh, en = target_text(target, region)
        needed, beyond = target_needs(frame, target)
        for i in needed:
            rules[i].append((f"情景目标：{zh}", f"scenario target: {en}"))
        for i in beyond:
            rules[i].append((f"亦计入情景目标（{zh}），无此项方案其余措施仍达到该目标",
                             f"also counts towards the scenario target ({en}), which the "
                             f"plan's other works meet without it"))
    return rules


def _catalogue_flag(lists: pd.DataFrame, region: Region) -> pd.Series:
    """The catalogue's ``restores_habitat`` of each row's action (NaN where it does not say)."""
    if "restores_habitat" not in region.actions:
        return pd.Series(np.nan, index=lists.index)
    return lists["action"].map(region.actions.set_index("code")["restores_habitat"])


def _package_words(lists: pd.DataFrame, accounts: pd.DataFrame | None,
                   scenario: Scenario | None, region: Region) -> dict[int, tuple[str, str]]:
    """Per row (position) of a water package (ranking.rank_values: the water-saving works
    of a pool and the works relying on their water, ranked by their benefit together per
    万元), how it ranks, in Chinese and English; rows outside a package are not keys."""
    if "water_package" not in lists or "rank_pct_per_1000_wan" not in lists:
        return {}
    links = saving_links(lists, accounts, scenario, region)
    words = {}
    package = lists["water_package"].to_numpy(int)
    saves = lists["saves_water"].to_numpy(bool)
    for link in links:  # the lists' package numbers follow the rows' order before sorting
        if not link.helped:
            continue
        number = package[next(iter(link.helped))]
        members = np.flatnonzero(package == number)
        savers = int(saves[members].sum())
        users = len(members) - savers
        together = figure_text(float(lists["rank_pct_per_1000_wan"].iat[members[0]]))
        for i in members:
            alone = figure_text(float(lists["pct_per_1000_wan"].iat[i]))
            words[int(i)] = (
                f"与{link.place[0]}节水—用水组合一并排序（节水灌溉 {savers} 项与依赖其节水的 "
                f"{users} 项措施合计每千万元效益 {together}%，本项单独 {alone}%；节水项目排在"
                "所供措施之前，组合宜整体保留或整体削减）",
                f"{link.place[1]}'s water package ({savers} water-saving works "
                f"and the {users} works relying on their water return {together}% of the "
                f"plan's benefit per 10M CNY together, this work alone {alone}%; the savings "
                "rank just before the works they serve: keep or cut the package whole)")
    return words


def _history_marks(lists: pd.DataFrame) -> list[list[tuple[str, str]]]:
    """Per row, the mark of a re-plan's past work kept although today's catalogue no
    longer allows it (``history_zh``, ``history_en``: pipeline/replan_history.py)."""
    if "history_en" not in lists:
        return [[] for _ in range(len(lists))]
    return [[(zh, en)] if isinstance(en, str) and en else [] for zh, en in
            zip(lists["history_zh"], lists["history_en"], strict=True)]


def reasons(lists: pd.DataFrame, scenario: Scenario | None, region: Region,
            corridors: CorridorAnalysis | None,
            completed: list[str], accounts: pd.DataFrame | None = None) -> pd.Series:
    """入选理由 of every row of the priority lists (which carry start_year,
    benefit_per_wan and value_<c>): "中文。 English." with no internal ids. ``accounts``:
    the plan's water accounts, to say which works use the water a saving frees."""
    if lists.empty:
        return pd.Series([], index=lists.index, dtype=object)
    rules = rule_reasons(lists, scenario, region)
    water = water_reliance(lists, accounts, scenario, region)
    parts = contributions(lists)
    key = "rank_value" if "rank_value" in lists else "benefit_per_wan"
    rank = lists.groupby("start_year")[key].rank(ascending=False, method="min")
    count = lists.groupby("start_year")[key].transform("size")
    packages = _package_words(lists, accounts, scenario, region)
    record = is_record(lists)
    names = corridor_names(corridors, region)
    on_corridor: dict[int, list[tuple[str, str]]] = {}
    for corridor in corridors.corridors if corridors is not None else ():
        done = corridor.name in completed
        zh, en = names[corridor.name]
        said = (f"属于本方案打通的{zh}", f"part of {en}, which the plan completes") if done \
            else (f"位于{zh}（本方案未全部打通）", f"on {en} (not completed by the plan)")
        for parcel in corridor.degraded_parcel_ids:
            on_corridor.setdefault(int(parcel), []).append(said)
    restores = restoring(lists.assign(restores_habitat=_catalogue_flag(lists, region)))
    history = _history_marks(lists)
    out = []
    for i, row in enumerate(lists.itertuples(index=False)):
        driver = parts["driver"].iat[i]
        share = parts[driver].iat[i]
        label_zh, label_en = CRITERION_LABELS[driver]
        said = [*history[i], *rules[i]]
        place, of = int(rank.iat[i]), int(count.iat[i])
        package = packages.get(i)
        if record.iat[i]:
            said.append((f"{row.start_year}年实施记录（不排序），主要贡献：{label_zh}（{share:.0%}）",
                         f"a record of {row.start_year} (not ranked), driven by {label_en} "
                         f"({share:.0%})"))
        elif package is None:
            said.append((f"单位投资效益居{row.start_year}年第 {place}/{of} 位，"
                         f"主要贡献：{label_zh}（{share:.0%}）",
                         f"ranked {place} of {of} in {row.start_year} by benefit per 10M CNY, "
                         f"driven by {label_en} ({share:.0%})"))
        else:
            said.append((f"{package[0]}，居{row.start_year}年第 {place}/{of} 位；本项主要贡献："
                         f"{label_zh}（{share:.0%}）",
                         f"ranked {place} of {of} in {row.start_year} with {package[1]}; "
                         f"this work is driven by {label_en} ({share:.0%})"))
        said += water[i]
        if restores[i]:  # a sand barrier or karez work does not restore a corridor
            said += on_corridor.get(int(row.parcel_id), [])
        out.append("；".join(zh for zh, _ in said) + "。 "
                   + "; ".join(en for _, en in said) + ".")
    return pd.Series(out, index=lists.index, dtype=object)
