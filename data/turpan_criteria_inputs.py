"""The parcel attributes the criteria models read, for the shipped Turpan region: degradation,
precipitation, vegetation cover, wind exposure, erodibility, oasis shield, water source,
habitat quality, sand priority and mine hazard. Modelled: the land-cover rules live in
region/modelled_inputs.py (shared with the import of a bureau's parcels), the rest below and
in data/README.md."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree
from turpan_grid import to_local_km
from turpan_places import OASIS_TOWNS, SAND_PRIORITY_RADIUS_KM, SAND_PRIORITY_TOWNS

from criteria.climate import precip_mm
from region import modelled_inputs


def degradation(rng: np.random.Generator, cover: np.ndarray, zone: np.ndarray,
                d_oasis: np.ndarray, mine_status: np.ndarray) -> np.ndarray:
    """Degradation 0-3 (region/modelled_inputs.py), more near the over-drafted oases."""
    noise = rng.normal(0.0, 0.6, len(cover))
    level = modelled_inputs.degradation(
        cover, noise, modelled_inputs.oasis_overdraft(zone, d_oasis))
    return modelled_inputs.mine_degradation(level, cover, mine_status)


def criteria_inputs(rng: np.random.Generator, xy: np.ndarray, cover: np.ndarray,
                    degradation: np.ndarray, elevation: np.ndarray, zone: np.ndarray,
                    d_oasis: np.ndarray, near: np.ndarray, in_oasis: np.ndarray,
                    is_wetland: np.ndarray, karez_belt: np.ndarray, d_town: np.ndarray,
                    protected: np.ndarray) -> dict[str, np.ndarray]:
    """The criteria models' inputs by parcel field name, unrounded. ``near``: the nearest
    oasis cell's position among the oasis cells; ``d_town``: distance to each oasis town
    (turpan_land.oases); ``protected``: the protected area's name ('' outside)."""
    n = len(cover)
    z1 = zone == 1
    precip = precip_mm(elevation, z1)  # rises on the Tianshan slope only (criteria/climate.py)
    veg_cover = modelled_inputs.veg_cover(cover, degradation, rng.uniform(0.85, 1.15, n))
    gaps = to_local_km(np.array([88.3, 91.7]), np.array([43.2, 43.2]))
    d_gap = np.hypot(xy[:, None, 0] - gaps[None, :, 0], xy[:, None, 1] - gaps[None, :, 1])
    openness = 1.0 - np.clip((elevation - 200.0) / 2500.0, 0.0, 0.8)
    wind_exposure = np.clip(openness * (0.45 + 0.55 * np.exp(-d_gap.min(axis=1) / 120.0)),
                            0.0, 1.0)
    erodibility = modelled_inputs.erodibility(cover)
    # Shield: upwind (north-west) of the nearest oasis cell and close to it.
    oasis_shield = modelled_inputs.oasis_shield(d_oasis, xy - xy[in_oasis][near], in_oasis)
    water_source = np.full(n, 0.05)
    water_source = np.where(z1, 0.2 + 0.7 * np.clip((precip - 100.0) / 300.0, 0, 1),
                            water_source)
    water_source = np.where(karez_belt & (zone != 1), 0.5, water_source)
    water_source = np.where(is_wetland, modelled_inputs.WETLAND_WATER_SOURCE, water_source)
    habitat_quality = modelled_inputs.invest_habitat_quality(xy, cover, degradation)
    town_idx = [list(OASIS_TOWNS).index(t) for t in SAND_PRIORITY_TOWNS]
    sand_priority = ((d_town[:, town_idx] <= SAND_PRIORITY_RADIUS_KM).any(axis=1)
                     & np.isin(zone, [2, 3]) & ~np.isin(cover, ["settlement"]))
    near_protected = (cKDTree(xy[protected != ""]).query(xy)[0]
                      < modelled_inputs.MINE_NEAR_PROTECTED_KM)
    mine_hazard = modelled_inputs.mine_hazard(cover, water_source, near_protected, elevation)
    return {"precip_mm": precip, "veg_cover": veg_cover, "wind_exposure": wind_exposure,
            "erodibility": erodibility, "oasis_shield": oasis_shield,
            "water_source": water_source, "habitat_quality": habitat_quality,
            "sand_priority": sand_priority, "mine_hazard": mine_hazard}
