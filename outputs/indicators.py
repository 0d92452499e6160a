"""The plan's indicators before and after the plan, where the data allow.

``indicators.csv`` beside the action catalogue lists the indicators the plan names, with
the plan's figure (value, period, line of the plan) and the actions that move them. This
module computes the plan's contribution from the chosen options:

* ``%`` indicators (森林覆盖率 forest cover): base + Σ area × survival of the options
  / ``denominator_km2`` × 100 (Turpan: 69,713 km², plan line 5; the parcels' area if
  blank). Only new plantings that survive add forest; enclosure and forest repair change
  quality, not the forest area. The base is the plan's 2020 figure, not the modelled
  parcels' land cover; the works between 2020 and the horizon's start are not in the
  model, so base + this plan is not the cover at the end of the plan (the row says so).
* the other indicators in 万亩 (area of the actions, for comparison with the past pace of
  plan line 12, which states no period: 2016-2020 is our reading; the row names the
  actions it counts and, for temporary works such as straw checkerboards, the area still
  standing in the horizon's last year beside the area laid), 处 (number of options,
  e.g. mines remediated), 条 (karez crossing the treated parcels, the parcels'
  ``karez_count``) and 万m³/年 (water saved by water-saving irrigation, all of it; the
  note says how much new use is credited, the negative water use, and how much is 压采).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from outputs.labels import MU_PER_KM2, MU_PER_WAN_MU
from region.io import Region

#: Decimals an indicator's figures print with, by unit, the same in priorities.xlsx and
#: report.html: as the plan prints them (3.40 %, 19.50 万亩: lines 11-12), sites and karez
#: whole, other units (water saved, 万m³/年) to 0.1 as the row's note gives them.
UNIT_DECIMALS = {"%": 2, "万亩": 2, "处": 0, "条": 0}
FIGURES = ("base", "plan", "after")


def decimals(unit: str) -> int:
    """How many decimals an indicator of ``unit`` prints with."""
    return UNIT_DECIMALS.get(unit, 1)


#: What this plan adds to a share in per cent: percentage points (forest cover 3.40 % +
#: 0.03 points, not 0.03 %), as the plan's column and the report print it.
POINTS = ("个百分点", "pp")


def excel_format(unit: str, figure: str = "base") -> str:
    """The Excel number format of an indicator of ``unit``: "#,##0.00", "#,##0" …; this
    plan's change of a share in % (``figure`` "plan") in signed percentage points."""
    places = decimals(unit)
    number = "#,##0" + ("." + "0" * places if places else "")
    if unit == "%" and figure == "plan":
        return f'+{number}" {POINTS[0]} {POINTS[1]}";-{number}" {POINTS[0]} {POINTS[1]}"'
    return number


def figures_as_text(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`plan_indicators`' figures as the text priorities.xlsx shows (a blank stays
    blank), for report.html: each row's unit decides its decimals; this plan's change of a
    share in % in percentage points."""
    text = table.copy()
    for column in FIGURES:
        text[column] = [("" if pd.isna(value) else
                         f"{value:+,.{decimals(unit)}f} {' '.join(POINTS)}"
                         if unit == "%" and column == "plan" else
                         f"{value:,.{decimals(unit)}f}")
                        for value, unit in zip(table[column], table["unit"], strict=True)]
    return text


def period_kind(base_period: str) -> str:
    """The plan's period as the table shows it: a bare year is the base year's status
    (2020年现状, plan line 5: 基准年为2020年); the others say themselves whether they are
    past achievements (已完成) or targets (任务)."""
    text = str(base_period)
    return f"{text}年现状（基准年，规划第5行） status in {text}, the base year" \
        if text.isdigit() else text


def load_indicators(region: Region) -> pd.DataFrame:
    """The indicator table beside the region's action catalogue (empty when it has none)."""
    path = region.paths.indicators
    if not path.exists():
        return pd.DataFrame(columns=["key", "name_zh", "name_en", "unit", "base_value",
                                     "base_period", "actions", "denominator_km2", "source"])
    return pd.read_csv(path, dtype={"base_period": str}, keep_default_na=False)


def _base_plus_note(base_period: str, horizon: tuple[int, int] | None) -> str:
    """What base + this plan is (forest cover): the plan's figure of its base year plus this
    plan's planting; the years between the base year and the horizon are not counted."""
    if horizon is None:
        return ""
    first, last = horizon
    base = int(base_period) if str(base_period).isdigit() else None
    since = f"{base}年基数" if base else "规划数值"
    since_en = f"the {base} figure" if base else "the plan's figure"
    zh = f"{since}加本方案{first}-{last}年造林（成活面积）"
    en = f"{since_en} plus this plan's {first}-{last} planting (surviving area)"
    if base is not None and first > base + 1:
        gap = f"{base + 1}-{first - 1}" if first - 1 > base + 1 else f"{base + 1}"
        gap_en = gap.replace("—", "-")
        zh += f"；{gap}年已实施的工程未计入，不是规划期末的森林覆盖率"
        en += f"; the works of {gap_en} are not counted: not the cover at the plan's end"
    return f"{zh} | {en}"


def _points_note(surviving_km2: float, area_km2: float, points: float, then: str) -> str:
    """How this plan's percentage points of a share come about (surviving planted area ÷
    the city's area), before ``then`` (the base-plus note), both languages."""
    zh = (f"本方案为增加的百分点：成活造林面积 {surviving_km2:,.1f} km² ÷ {area_km2:,.0f} km² "
          f"× 100 = {points:+.2f} 个百分点")
    en = (f"this plan's figure is percentage points: surviving planted area "
          f"{surviving_km2:,.1f} km² ÷ {area_km2:,.0f} km² × 100 = {points:+.2f} pp")
    if not then:
        return f"{zh} | {en}"
    then_zh, then_en = then.split(" | ", 1)
    return f"{zh}；{then_zh} | {en}; {then_en}"


def _area_note(mine: pd.DataFrame, actions: list[str], region: Region,
               horizon: tuple[int, int] | None) -> str:
    """What an area row counts (its actions) and, for temporary works (a catalogue
    ``lifetime_years``, e.g. straw checkerboards), the area still standing in the
    horizon's last year beside the area laid."""
    catalogue = region.actions.set_index("code")
    names = [f"{catalogue.at[a, 'name_zh']} {catalogue.at[a, 'name_en']}" for a in actions
             if a in catalogue.index]
    zh, en = [f"本方案计入：{'、'.join(names)}"], [f"this plan counts: {', '.join(names)}"]
    lifetime = pd.to_numeric(catalogue.get("lifetime_years"), errors="coerce")
    for action in actions:
        years = lifetime.get(action, np.nan) if lifetime is not None else np.nan
        if not np.isfinite(years):
            continue
        laid = mine[mine["action"] == action]
        name = catalogue.at[action, "name_zh"]
        zh.append(f"{name}为临时措施（使用年限 {years:g} 年），铺设 "
                  f"{laid['area_km2'].sum() * MU_PER_KM2 / MU_PER_WAN_MU:,.2f} 万亩")
        en.append(f"{catalogue.at[action, 'name_en']} are temporary ({years:g}-year life)")
        if horizon is not None and "start_year" in laid:
            last = horizon[1]
            age = last - laid["start_year"]
            standing = float(laid.loc[(age >= 0) & (age < years), "area_km2"].sum())
            zh[-1] += f"，{last}年仍在使用 {standing * MU_PER_KM2 / MU_PER_WAN_MU:,.2f} 万亩"
            en[-1] += (f": {standing * MU_PER_KM2 / MU_PER_WAN_MU:,.2f} 万亩 of those laid "
                       f"still stand in {last}")
    return f"{'；'.join(zh)} | {'; '.join(en)}"


def plan_indicators(lists: pd.DataFrame, region: Region,
                    horizon: tuple[int, int] | None = None) -> pd.DataFrame:
    """One row per indicator: name, unit, the plan's figure and period, this plan's value
    (modelled), the plan's figure plus this plan where they add up (forest cover), a note
    saying what the row counts, the source. ``horizon``: the plan's first and last year."""
    rows = []
    for spec in load_indicators(region).itertuples(index=False):
        actions = [a for a in str(spec.actions).split("|") if a]
        mine = lists[lists["action"].isin(actions)]
        base = pd.to_numeric(spec.base_value, errors="coerce")
        after, note = np.nan, ""
        if spec.unit == "%":
            area = pd.to_numeric(spec.denominator_km2, errors="coerce")
            area = area if area > 0 else float(region.parcels["area_km2"].sum())
            surviving = float((mine["area_km2"] * mine["survival"]).sum())
            value = surviving / area * 100
            after = base + value
            note = _points_note(surviving, area, value, _base_plus_note(spec.base_period,
                                                                        horizon))
        elif spec.unit == "万亩":
            value = float(mine["area_km2"].sum()) * MU_PER_KM2 / MU_PER_WAN_MU
            note = _area_note(mine, actions, region, horizon)
        elif spec.unit == "处":
            value = float(len(mine))
        elif spec.unit == "条":  # karez crossing the parcels (parcel field karez_count)
            value = float(mine["karez_count"].sum()) if "karez_count" in mine else np.nan
        else:  # water saved per year, and how much of it new use may take
            credited = float(-mine["water_wan_m3_per_yr"].clip(upper=0).sum())
            value = float(mine["saving_wan_m3_per_yr"].sum()) \
                if "saving_wan_m3_per_yr" in mine else credited
            if value > credited:
                rest = value - credited
                note = (f"全部节水量；其中 {credited:,.1f} 计入新增生态用水，{rest:,.1f}"
                        f" 压采（留在含水层） | all water saved: {credited:,.1f} credited to "
                        f"new ecological use, {rest:,.1f} left in the aquifer")
        rows.append({"key": spec.key, "name": f"{spec.name_zh} {spec.name_en}",
                     "unit": spec.unit, "base": base,
                     "base_period": period_kind(spec.base_period),
                     "plan": value, "after": after, "note": note, "source": spec.source})
    return pd.DataFrame(rows, columns=["key", "name", "unit", "base", "base_period", "plan",
                                       "after", "note", "source"])
