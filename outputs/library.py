"""Project-library columns (项目库 / 年度实施计划) of the priority lists.

A funding application names, per project: 乡镇 (township), 建设内容及规模 (what is built and
how much: "固沙沙障（草方格） 500 亩"), 资金来源 (funding by level: 中央 / 自治区 / 市县 /
社会资本), 责任单位 (lead department), the payment years and 绩效目标 (performance indicators
and values).

* 乡镇 comes from the parcels' ``township`` field (modelled from public township seat
  locations in the shipped data: data/README.md); blank when the parcels have none.
* 建设内容, 责任单位 and the indicators come from ``project_library.csv`` beside the action
  catalogue (one row per action: ``works_zh``, ``works_en``, ``indicators``,
  ``department_zh``, ``partners_zh`` and the ``basis`` in the plan, line 124 for the
  division of work); the optional ``works_by_cover`` names the works by land cover
  (afforestation: farmland shelterbelt on farmland, sand-fixing forest on dunes, l.68).
* 资金来源 comes from the scenario's ``[funding.<action>]`` tables (``default`` for the
  others): shares of the cost by level and the usual channel; the shipped shares are
  estimates (data/scenarios/baseline.toml says why).
* 资金安排年度 (payment years; a project library's 建设期限 would be the work's span,
  which the catalogue does not give for ongoing closure and care) runs from the start
  year to the last year of the action's cost (``cost_years`` in the catalogue); years
  after the plan period (the scenario's ``horizon.plan_period_end``: 2035 by default, l.5)
  are marked.

The same functions fill the rows of the yearly lists (one parcel) and of the project units
(summed over their parcels).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from outputs.labels import area_text
from region.action_names import action_codes_by_name, as_action_codes
from region.errors import InputError, InputProblem
from region.io import Region
from region.scenario import Horizon, Scenario
from region.scenario_budget_water import Funding


class WorkRow(Protocol):
    """A row of a yearly list or of the project units (``itertuples``) as the texts below
    read it; the optional columns (``action_en``, ``land_cover``, ``land_covers``,
    ``sites``, ``karez_count``, ``survival``, ``water_wan_m3_per_yr``, ``expected_<c>``)
    are read where the row has them or the action's indicators name them."""

    action: str
    action_zh: str
    area_km2: float


LIBRARY_COLUMNS = ["action", "works_zh", "works_en", "indicators", "department_zh",
                   "department_en", "partners_zh", "basis"]
#: Funding levels: attribute of Funding (region/scenario_budget_water.py), column, Chinese label.
LEVELS = [("central", "fund_central", "中央"), ("autonomous_region", "fund_region", "自治区"),
          ("city_county", "fund_city_county", "市县"), ("social", "fund_social", "社会资本")]
#: The funding levels' English names, in the order of :data:`LEVELS`.
LEVELS_EN = ("central", "autonomous region", "city/county", "private")
INDICATOR_TEXT = {
    "sand": ("年减少风蚀 {} 吨", "expected_sand"),
    "water": ("年涵养/保护水量 {} 万m³", "expected_water"),
    "bio": ("生境质量提升 {} km²（生境质量加权）", "expected_bio"),
    "mine": ("矿山修复 {} km²（风险加权）", "expected_mine"),
    "carbon": ("年固碳 {} 吨C", "expected_carbon"),
}
#: A criterion shown as a target beside the one that drives the row when it carries at least
#: this share of the row's value (a 0.01-tonne side effect is no target).
TARGET_SHARE = 0.2
#: Why the sand figure is no target in tonnes (docs/criteria.md, "Plausibility"; issue 21).
SAND_CAVEAT = (
    "防风固沙的吨数（t/年）为模型排序指标：模型的风蚀模数比已发表的同类干旱区范围高约5.6-13倍，"
    "量级未经校准，只用于地块之间的比较，不作绩效目标；绩效目标列改报治理面积与风蚀较现状的降低比例"
    "（该比例几乎不受量级误差影响）。",
    "Sand-control tonnes (t/yr) are a modelled ranking measure: the model's wind-erosion "
    "modulus is 5.6-13 × the published range for comparable drylands, its scale not "
    "calibrated; they compare parcels and are no performance target. The performance "
    "targets give the area treated and the reduction of wind erosion relative to today "
    "instead (a ratio the scale error hardly moves).")


def library_path(region: Region) -> Path:
    """``project_library.csv`` beside the region's action catalogue."""
    return region.paths.library


def load_library(region: Region) -> pd.DataFrame:
    """The project-library table by action code; empty (every column blank) when the
    region has none. Raises InputError naming the file when it is malformed."""
    path = library_path(region)
    if not path.exists():
        return pd.DataFrame(columns=LIBRARY_COLUMNS).set_index("action")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = [InputProblem(str(path), f"missing column '{c}'") for c in LIBRARY_COLUMNS
                if c not in frame.columns]
    if not problems:  # an action by its code or its Chinese name
        frame["action"] = as_action_codes(frame["action"],
                                          action_codes_by_name(region.actions))
        unknown = ~frame["action"].isin(region.actions["code"])
        problems += [InputProblem(str(path), "unknown action: not in the catalogue",
                                  row=int(k) + 1, column="action", value=frame["action"].iat[k])
                     for k in np.flatnonzero(unknown)]
    if problems:
        raise InputError(problems)
    return frame.set_index("action")


def significant(value: float, digits: int = 3) -> str:
    """A modelled figure to ``digits`` significant digits with thousands separators: a
    target should not claim more precision than its model has."""
    if not np.isfinite(value) or value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    rounded = round(value, digits - 1 - exponent)
    decimals = max(0, digits - 1 - exponent)
    return f"{rounded:,.{decimals}f}"


def _works_by_cover(action: str, library: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """The action's works per land cover (the library's optional ``works_by_cover``:
    ``cover:中文:English;…``), e.g. afforestation is a farmland shelterbelt on farmland and
    a sand-fixing forest on dunes and gobi."""
    if "works_by_cover" not in library or action not in library.index:
        return {}
    entries = (e.split(":", 2) for e in str(library.at[action, "works_by_cover"]).split(";"))
    return {e[0].strip(): (e[1].strip(), e[2].strip()) for e in entries if len(e) == 3}


def works_label(row: WorkRow, library: pd.DataFrame) -> str:
    """The works in Chinese and English: the library's, by the row's land cover where the
    library tells the covers apart (``land_cover`` of a parcel, ``land_covers`` of a unit,
    "、"-joined), else the action's."""
    if row.action not in library.index:
        return f"{row.action_zh} {getattr(row, 'action_en', '')}".strip()
    default = (library.at[row.action, "works_zh"], library.at[row.action, "works_en"])
    by_cover = _works_by_cover(row.action, library)
    covers = next((c for c in (getattr(row, "land_cover", None),
                               getattr(row, "land_covers", None)) if isinstance(c, str) and c),
                  "")
    labels = dict.fromkeys(by_cover.get(c, default) for c in covers.split("、") if c) \
        or [default]
    return "、".join(zh for zh, _ in labels) + " " + ", ".join(en for _, en in labels)


def works_text(row: WorkRow, library: pd.DataFrame) -> str:
    """建设内容及规模: "<works 中文 English> <area>" (万亩 from 1 万亩), sites for mine
    remediation."""
    works = works_label(row, library)
    size = area_text(row.area_km2)
    if getattr(row, "sites", 0) and "sites" in _indicators(row.action, library):
        return f"{works} {int(row.sites)} 处，治理面积 {size}"
    return f"{works} {size}"


def _indicators(action: str, library: pd.DataFrame) -> list[str]:
    if action not in library.index:
        return ["area"]
    return [k for k in str(library.at[action, "indicators"]).split("|") if k]


def _shown_criteria(row: WorkRow, keys: list[str]) -> list[str]:
    """The criteria a row's performance targets name: the one that drives its value first,
    then the library's criteria for the action that carry at least :data:`TARGET_SHARE` of
    it (the library's alone, in its order, for a row without ``value_<c>``)."""
    listed = [k for k in keys if k in INDICATOR_TEXT]
    values = {c: float(getattr(row, f"value_{c}", np.nan)) for c in INDICATOR_TEXT}
    total = sum(v for v in values.values() if np.isfinite(v) and v > 0)
    if not total:
        return listed
    share = {c: v / total if np.isfinite(v) and v > 0 else 0.0 for c, v in values.items()}
    driver = max(share, key=share.__getitem__)
    return [driver, *[c for c in listed if c != driver and share[c] >= TARGET_SHARE]]


def _when(row: WorkRow) -> str:
    """When a row's modelled benefit holds: from its mature year, or over a lifetime."""
    lifetime = float(getattr(row, "lifetime_years", np.nan))
    start = int(getattr(row, "start_year", 0) or 0)
    if np.isfinite(lifetime) and lifetime > 0 and start:
        return f"使用期{start}-{start + int(lifetime) - 1}年内，模型估算"
    mature = float(getattr(row, "mature_year", np.nan))
    return f"{int(mature)}年达到成熟期，模型估算" if np.isfinite(mature) else "成熟期，模型估算"


def _criterion_text(row: WorkRow, criterion: str) -> str:
    """One criterion's target: the sand benefit as the reduction of today's wind erosion
    (its tonnes are not calibrated: :data:`SAND_CAVEAT`), the others in their units."""
    text, column = INDICATOR_TEXT[criterion]
    value = float(getattr(row, column, 0.0))
    if value <= 0:
        return ""
    when = _when(row)
    if criterion == "sand":
        now = float(getattr(row, "sand_now_t", np.nan))
        if np.isfinite(now) and now > 0:
            return f"风蚀较现状减少 {value / now:.0%}（{when}）"
        when = f"模型排序指标，量级未校准，不作考核；{when}"
    return text.format(significant(value)) + f"（{when}）"


def performance_text(row: WorkRow, library: pd.DataFrame) -> str:
    """绩效目标: the action's indicators with their values: area, survival (catalogue; the
    lifetime for a work that does not grow, such as straw checkerboards), sites, karez,
    water saved (and how much of it new use may take), and the modelled mature benefit of
    the criterion that drives the row (with the others that weigh in it)."""
    said = []
    keys = _indicators(row.action, library)
    for key in keys:
        if key == "area":
            said.append(f"实施面积 {area_text(row.area_km2)}")
        elif key == "survival":
            lifetime = float(getattr(row, "lifetime_years", np.nan))
            said.append(f"使用年限 {lifetime:g} 年" if np.isfinite(lifetime) and lifetime > 0
                        else f"成活率 ≥ {row.survival:.0%}")
        elif key == "sites" and getattr(row, "sites", 0):
            said.append(f"治理矿山 {int(row.sites)} 处")
        elif key == "karez" and getattr(row, "karez_count", 0) > 0:
            said.append(f"保护坎儿井 {int(row.karez_count)} 条")
        elif key == "water_saved" and row.water_wan_m3_per_yr < 0:
            said.append(_saving_text(row))
    said += [t for c in _shown_criteria(row, keys) if (t := _criterion_text(row, c))]
    return "；".join(said)


def _saving_text(row: WorkRow) -> str:
    """"年节水 152 万m³（76.1 计入生态用水、76.1 压采）": the water saved, the part credited
    to new ecological use (the list's negative water) and the rest, left in the aquifer."""
    credited = -float(row.water_wan_m3_per_yr)
    saved = float(getattr(row, "saving_wan_m3_per_yr", credited))
    if saved <= credited:
        return f"年节水 {significant(saved)} 万m³"
    return (f"年节水 {significant(saved)} 万m³（{significant(credited)} 计入生态用水、"
            f"{significant(saved - credited)} 压采）")


def share_column(column: str) -> str:
    """The column of a level's share of the cost (``fund_central`` → ``share_central``)."""
    return column.replace("fund_", "share_", 1)


def due_column(column: str) -> str:
    """The column of a level's part of the funds due in the year (``fund_central`` →
    ``due_fund_central``)."""
    return f"due_{column}"


def funds_due_by_level(frame: pd.DataFrame) -> pd.DataFrame:
    """Each row's 当年资金需求 (``year_cost_wan``) split by the funding shares of its action
    (``share_<level>``): the year sheet's application by level, for a new start (its
    first instalment) and a continuing work (that year's instalment) alike; blank where
    the scenario gives the action no shares."""
    return pd.DataFrame({due_column(column): frame["year_cost_wan"] *
                         frame[share_column(column)] for _, column, _ in LEVELS},
                        index=frame.index)


def funding_of(action: str, scenario: Scenario | None) -> Funding | None:
    """The scenario's funding shares of an action (its own, else ``default``)."""
    if scenario is None:
        return None
    return scenario.funding.get(action, scenario.funding.get("default"))


def funding_text(funding: Funding | None) -> str:
    """资金来源: the shares by level and the channel; "估算" when the shares are estimates;
    a note when the scenario has no [funding] table for the action."""
    if funding is None:
        return "情景未给出 not in the scenario's [funding]"
    shares = "、".join(f"{label} {getattr(funding, key):.0%}" for key, _, label in LEVELS
                      if getattr(funding, key) > 0)
    notes = [n for n in (funding.channel,
                         "估算" if funding.source.lower().startswith("estimate") else "")
             if n]
    return shares + (f"（{'；'.join(notes)}）" if notes else "")


def department_text(action: str, library: pd.DataFrame) -> str:
    """责任单位: the lead department in Chinese and English, then the partners."""
    if action not in library.index:
        return ""
    row = library.loc[action]
    lead = f"{row['department_zh']} {row['department_en']}".strip()
    return lead + (f"；配合：{row['partners_zh']}" if row["partners_zh"] else "")


def department_basis(library: pd.DataFrame) -> str:
    """Why each action has its lead department, in the library's words (the plan's line of
    the division of work, or the law where the plan is silent): the Notes sheet says it
    instead of naming a file the funding body does not get."""
    lines = [f"{row.works_zh}：{row.department_zh}（{row.basis}）" for row in
             library.reset_index().itertuples(index=False) if row.department_zh]
    head = ("按规划第124行的部门分工；规划未列的按相关法律的主管部门。逐项依据：", "By the plan's "
            "division of work (line 124); where the plan is silent, the department the law "
            "assigns (each action's basis, in Chinese, before this sentence).")
    return head[0] + "；".join(lines) + "。 " + head[1]


def period_text(start_year: int, cost_years: int, period_end: int) -> str:
    """资金安排年度 (payment years): start year to the last year of the action's cost
    (``cost_years``), the years after the plan's period (ending in ``period_end``: the scenario's
    ``horizon.plan_period_end``, 2035 for 2021-2035, plan line 5) marked as such: a funding
    body reads a period past it as outside the plan."""
    end = int(start_year) + max(int(cost_years), 1) - 1
    text = f"{int(start_year)}年" if end == start_year else f"{int(start_year)}-{end}年"
    if end > period_end:
        beyond = max(int(start_year), period_end + 1)
        text += f"（{beyond}年起超出规划期 beyond the plan period from {beyond}）"
    return text


def add_library_columns(frame: pd.DataFrame, region: Region, scenario: Scenario | None,
                        library: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (rows of a list or units: action, action_zh, start_year, area_km2,
    total_cost_wan, water_wan_m3_per_yr, survival, expected_<c>, sites, karez_count) with
    the project-library columns added: works, period, department, funding (text and 万元
    per level) and performance."""
    out = frame.copy()
    catalogue = region.actions.set_index("code")
    for column in ("lag_years", "maturity_years", "lifetime_years"):
        out[column] = out["action"].map(pd.to_numeric(catalogue[column], errors="coerce")) \
            if column in catalogue else np.nan
    # full benefit from ``maturity_years`` after the start (criteria/ramp.py)
    out["mature_year"] = out["start_year"] + out[["lag_years", "maturity_years"]].max(axis=1)
    rows = list(out.itertuples(index=False))
    out["works"] = [works_text(r, library) for r in rows]
    cost_years = out["action"].map(region.actions.set_index("code")["cost_years"]).fillna(1)
    period_end = (scenario.horizon if scenario is not None else Horizon()).plan_period_end
    out["period"] = [period_text(r.start_year, years, period_end) for r, years in
                     zip(rows, cost_years, strict=True)]
    out["department"] = [department_text(r.action, library) for r in rows]
    funding = [funding_of(r.action, scenario) for r in rows]
    out["funding"] = [funding_text(f) for f in funding]
    for key, column, _ in LEVELS:
        out[share_column(column)] = [getattr(f, key) if f is not None else np.nan
                                     for f in funding]
        out[column] = out["total_cost_wan"] * out[share_column(column)]
    if "year_cost_wan" in out:  # a list's rows: the year's funds due by level, too
        out = out.assign(**funds_due_by_level(out))
    out["performance"] = [performance_text(r, library) for r in rows]
    return out
