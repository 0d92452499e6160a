"""What the lists add up to, as the Summary sheet and report.html say it: areas treated and
net (each parcel once), the project units' sizes, the criteria's shares with their units, and
funding by level."""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.plan import Plan
from outputs.explain import criterion_shares
from outputs.labels import MU_PER_KM2, MU_PER_WAN_MU, area_text, figure_text
from outputs.library import LEVELS, LEVELS_EN
from outputs.list_columns import CRITERION_UNITS_SHORT, UNCALIBRATED


def net_area_km2(frame: pd.DataFrame) -> float:
    """The area the works cover, each parcel once (a parcel's largest work: barriers then
    afforestation on one parcel cover it once, not twice)."""
    return float(frame.groupby("parcel_id")["area_km2"].max().sum()) if len(frame) else 0.0


def area_lines(frame: pd.DataFrame) -> list[str]:
    """Area treated (the works' areas added up) and net area (each parcel once), and how
    many parcels carry more than one work, in words."""
    works, parcels = len(frame), int(frame["parcel_id"].nunique()) if len(frame) else 0
    gross, net = float(frame["area_km2"].sum()) if works else 0.0, net_area_km2(frame)
    twice = works - parcels
    again = (f"；其中 {twice} 个地块先后实施两项措施，面积在实施面积中计两次" if twice > 0
             else "")
    again_en = (f"; {twice} parcel{'s carry' if twice > 1 else ' carries'} two works one "
                "after the other, counted twice in the area treated" if twice > 0 else "")
    return [f"实施面积 {area_text(gross)}（{works} 项措施）；净面积 {area_text(net)}"
            f"（{parcels} 个地块，每个地块只计一次）{again}。 Area treated "
            f"{gross * MU_PER_KM2 / MU_PER_WAN_MU:,.2f} 万亩 ({works} works); net area "
            f"{net * MU_PER_KM2 / MU_PER_WAN_MU:,.2f} 万亩 ({parcels} parcels, each once)"
            f"{again_en}."]


def units_total_label(units: pd.DataFrame, lists: pd.DataFrame) -> str:
    """The units sheet's total row: units, area treated (the units' areas added up, a
    parcel with two works twice) and net area (each parcel once), in 万亩."""
    gross, net = float(units["area_km2"].sum()), net_area_km2(lists)
    parcels = int(lists["parcel_id"].nunique()) if len(lists) else 0
    return (f"合计 Total: {len(units)} 个单元 units；实施面积 Area treated {area_text(gross)}"
            f"（{len(lists)} 项措施 works）；净面积 Net area {area_text(net)}（{parcels} 个地块 "
            "parcels，每个地块只计一次 each once）")


def criterion_table(plan: Plan) -> pd.DataFrame:
    """criterion_shares with display columns: label, area in 万亩, physical benefit and
    potential with their units."""
    shares = criterion_shares(plan)
    shares["label"] = shares["name_zh"] + " " + shares["name_en"]
    shares["area_wan_mu"] = shares["area_driven_km2"] * MU_PER_KM2 / MU_PER_WAN_MU
    units = [CRITERION_UNITS_SHORT[c] + (f"（{UNCALIBRATED[c][0]}）" if c in UNCALIBRATED
                                         else "") for c in shares["criterion"]]
    shares["physical_text"] = [f"{figure_text(v)} {u}" for v, u in
                               zip(shares["physical"], units, strict=True)]
    shares["potential_text"] = [f"{figure_text(v)} {u}" if np.isfinite(v) else "" for v, u in
                                zip(shares["potential"], units, strict=True)]
    return shares


def funding_totals(lists: pd.DataFrame) -> pd.DataFrame:
    """Total cost of the plan by funding level (万元 and share)."""
    amounts = [(f"{label} " + en, float(lists[column].sum())) for (_, column, label), en in
               zip(LEVELS, LEVELS_EN, strict=True)]
    frame = pd.DataFrame(amounts, columns=["level", "amount"])
    total = frame["amount"].sum()
    frame["share"] = frame["amount"] / total if total > 0 else np.nan
    return frame


def size_lines(units: pd.DataFrame, lists: pd.DataFrame) -> list[str]:
    """The number of units and their median and largest size, and what their areas add up
    to (the area treated; the net area of ``lists``, each parcel once), in words."""
    if units.empty:
        return []
    area = units["area_km2"]
    return [f"{len(units)} 个项目单元（{int(units['parcels'].sum())} 项措施），单元面积中位数 "
            f"{area_text(area.median())}，最大 {area_text(area.max())}；每单元地块数中位数 "
            f"{units['parcels'].median():g}。 {len(units)} project units of "
            f"{int(units['parcels'].sum())} works; median unit "
            f"{area.median() * MU_PER_KM2:,.0f} mu, largest {area.max() * MU_PER_KM2:,.0f} mu; "
            f"median parcels per unit {units['parcels'].median():g}.",
            "单元面积之和为实施面积：" + area_lines(lists)[0]]
