"""Physical plausibility of the criteria on a region, and where a plan puts each action.

Figures a reviewer checks against published ranges (docs/criteria.md): the region's mean
wind-erosion modulus and its mean per land cover with the SL 190-2007 intensity class, the
Budyko water yield of the whole region against its river runoff, and which land covers and
zones each chosen action lands on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from criteria.climate import et0_mm
from criteria.sand_control import rweq_soil_loss_kg_per_m2
from criteria.water_conservation import water_yield_mm

#: SL 190-2007 wind-erosion intensity classes, t/(km²·a) (PARAMETERS.md).
SL190_CLASSES = ((200.0, "微度 tolerable"), (2500.0, "轻度 slight"), (5000.0, "中度 moderate"),
                 (8000.0, "强烈 intense"), (15000.0, "极强烈 very intense"),
                 (np.inf, "剧烈 severe"))
#: Sand land covers (沙地), where sand barriers belong.
SAND_COVERS = ("sand_dune",)


def erosion_class(modulus_t_per_km2: float) -> str:
    """SL 190-2007 class of a wind-erosion modulus."""
    return next(label for upper, label in SL190_CLASSES if modulus_t_per_km2 < upper)


def wind_erosion_modulus(parcels: pd.DataFrame) -> np.ndarray:
    """Current RWEQ soil loss of every parcel, t/km²/yr."""
    return rweq_soil_loss_kg_per_m2(parcels["wind_exposure"].to_numpy(float),
                                    parcels["erodibility"].to_numpy(float),
                                    parcels["land_cover"],
                                    parcels["veg_cover"].to_numpy(float)) * 1000.0


def region_figures(parcels: pd.DataFrame) -> dict:
    """City totals: area-weighted mean erosion modulus, total loss, Budyko water yield."""
    area = parcels["area_km2"].to_numpy(float)
    modulus = wind_erosion_modulus(parcels)
    yield_mm = water_yield_mm(parcels["precip_mm"].to_numpy(float),
                              parcels["elevation_m"].to_numpy(float))
    mean = float(np.sum(modulus * area) / area.sum())
    return {"area_km2": float(area.sum()), "mean_erosion_t_per_km2": mean,
            "erosion_class": erosion_class(mean),
            "total_erosion_mt": float(np.sum(modulus * area) / 1e6),
            "water_yield_yi_m3": float(np.sum(yield_mm * area) / 1e5),  # mm·km² → 亿m³
            "et0_basin_mm": float(et0_mm(0.0))}


def per_land_cover(parcels: pd.DataFrame) -> pd.DataFrame:
    """Per land cover: area, mean erosion modulus and its class, mean water yield."""
    frame = pd.DataFrame({"land_cover": parcels["land_cover"].to_numpy(),
                          "area": parcels["area_km2"].to_numpy(float),
                          "erosion": wind_erosion_modulus(parcels),
                          "yield": water_yield_mm(parcels["precip_mm"].to_numpy(float),
                                                  parcels["elevation_m"].to_numpy(float))})
    rows = []
    for cover, group in frame.groupby("land_cover"):
        erosion = float(np.average(group["erosion"], weights=group["area"]))
        rows.append({"land_cover": cover, "area_km2": group["area"].sum(),
                     "erosion_t_per_km2": erosion, "erosion_class": erosion_class(erosion),
                     "water_yield_mm": float(np.average(group["yield"], weights=group["area"]))})
    return pd.DataFrame(rows).sort_values("area_km2", ascending=False).reset_index(drop=True)


def plan_landing(chosen: pd.DataFrame) -> pd.DataFrame:
    """Treated area (km²) of each action per zone and land cover in a plan's chosen options."""
    table = chosen.pivot_table(index=["action", "land_cover"], columns="zone",
                               values="area_km2", aggfunc="sum", fill_value=0.0)
    table["total"] = table.sum(axis=1)
    return table


def sand_cover_share(chosen: pd.DataFrame, action: str = "sand_barrier") -> float:
    """Share of an action's treated area on sand land covers (NaN if it was not chosen)."""
    rows = chosen.loc[chosen["action"] == action]
    total = rows["area_km2"].sum()
    if total <= 0:
        return float("nan")
    return float(rows.loc[rows["land_cover"].isin(SAND_COVERS), "area_km2"].sum() / total)
