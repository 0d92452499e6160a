"""Project-library columns (项目库 / 年度实施计划) of the priority lists.

A funding application names, per project: 乡镇 (township), 建设内容及规模 (what is built and
how much: "草方格沙障 500 亩"), 资金来源 (funding by level: 中央 / 自治区 / 市县 / 社会资本),
责任单位 (lead department), 建设期限 (years) and 绩效目标 (performance indicators and values).

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
* 建设期限 runs from the start year to the last year of the action's cost (``cost_years``
  in the catalogue); years after the plan period (2035, l.5) are marked.

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
from region.errors import InputError, InputProblem
from region.io import Region
from region.scenario import Funding, Horizon, Scenario


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
#: Funding levels: attribute of :class:`region.scenario.Funding`, column, Chinese label.
LEVELS = [("central", "fund_central", "中央"), ("autonomous_region", "fund_region", "自治区"),
          ("city_county", "fund_city_county", "市县"), ("social", "fund_social", "社会资本")]
INDICATOR_TEXT = {
    "sand": ("年减少风蚀 {} 吨", "expected_sand"),
    "water": ("年涵养/保护水量 {} 万m³", "expected_water"),
    "bio": ("生境质量提升 {} km²（质量加权）", "expected_bio"),
    "mine": ("矿山修复（风险加权） {} km²", "expected_mine"),
    "carbon": ("年固碳 {} 吨C", "expected_carbon"),
}


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
    if not problems:
        unknown = ~frame["action"].isin(region.actions["code"])
        problems += [InputProblem(str(path), "unknown action: not in the catalogue",
                                  row=int(k) + 2, column="action", value=frame["action"].iat[k])
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


def performance_text(row: WorkRow, library: pd.DataFrame) -> str:
    """绩效目标: the action's indicators with their values: area, survival (catalogue),
    sites, karez, water saved, and the mature yearly benefits after survival (modelled)."""
    said = []
    for key in _indicators(row.action, library):
        if key == "area":
            said.append(f"实施面积 {area_text(row.area_km2)}")
        elif key == "survival":
            said.append(f"成活率 ≥ {row.survival:.0%}")
        elif key == "sites" and getattr(row, "sites", 0):
            said.append(f"治理矿山 {int(row.sites)} 处")
        elif key == "karez" and getattr(row, "karez_count", 0) > 0:
            said.append(f"保护坎儿井 {int(row.karez_count)} 条")
        elif key == "water_saved" and row.water_wan_m3_per_yr < 0:
            said.append(f"年节水 {significant(-row.water_wan_m3_per_yr)} 万m³")
        elif key in INDICATOR_TEXT:
            text, column = INDICATOR_TEXT[key]
            value = float(getattr(row, column))
            if value > 0:
                said.append(text.format(significant(value)) + "（成熟期，模型估算）")
    return "；".join(said)


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


def period_text(start_year: int, cost_years: int, period_end: int) -> str:
    """建设期限: start year to the last year of the action's cost (``cost_years``), the
    years after the plan's period (ending in ``period_end``: the scenario's
    ``horizon.plan_period_end``, 2035 for 2021-2035, plan line 5) marked as such: a funding
    body reads a period past it as outside the plan."""
    end = int(start_year) + max(int(cost_years), 1) - 1
    text = f"{int(start_year)}年" if end == start_year else f"{int(start_year)}—{end}年"
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
        out[column] = [r.total_cost_wan * getattr(f, key) if f is not None else np.nan
                       for r, f in zip(rows, funding, strict=True)]
    out["performance"] = [performance_text(r, library) for r in rows]
    return out
