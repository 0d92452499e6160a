"""The land-cover rules of the modelled parcel attributes, shared by every builder of parcels.

The shipped region's build (``data/build_turpan.py``) and the import of a bureau's land-survey
patches (``region.survey``) derive degradation, vegetation cover, erodibility, oasis shielding,
habitat quality and mine hazard from a parcel's land cover by these same rules, so a patch of
desert shrubland gets what a hexagon of desert shrubland gets. Every figure is an estimate;
data/README.md ("Parcel fields") states each rule and why.

    degradation score  = base(cover) [+ noise] + 0.8 · exp(−d_oasis / 8 km) in zone 3
    degradation        = clip(rint(score), 0, 3); settlement 0; mines 1 done / 3 pending
    veg_cover          = base_cover(cover) · (1 − 0.2 · degradation) [× noise]
    oasis_shield       = exp(−d_oasis / 10 km) · (0.5 + 0.5 · cos θ), 0 inside the oasis
    habitat_quality    = H (1 − D^z / (D^z + k^z))  (InVEST, z = 2.5)
    mine_hazard        = 0.3 + 0.3·[water_source > 0.4] + 0.2·[protected area ≤ 10 km]
                         + 0.2·clip((elev − 1,000) / 2,000, 0, 1) on mines, else 0

The build adds seeded noise where marked [ ]; the survey import uses the rule's expected value
(no noise), because a per-patch random draw would rank a bureau's patches by chance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

#: Land covers that make up an oasis (farmland and the settlements inside it).
OASIS_COVERS: tuple[str, ...] = ("oasis_farmland", "settlement")

#: Degradation base per land cover (0-3 scale): farmland salinisation, grassland overgrazing,
#: wetland shrinking, dunes moving (the plan's problem list, ch. 2-3; estimates).
DEGRADATION_BASE = pd.Series({"forest": 1.0, "alpine_grassland": 1.5, "oasis_farmland": 1.0,
                              "settlement": 0.0, "wetland": 2.0, "desert_shrubland": 1.2,
                              "sand_dune": 1.6, "gobi": 0.4, "bare_mountain": 0.2,
                              "mine": 3.0})
#: Overdraft near the oases raises degradation in zone 3 by this much at the oasis edge,
#: decaying over ZONE3_OVERDRAFT_KM.
ZONE3_OVERDRAFT = 0.8
ZONE3_OVERDRAFT_KM = 8.0

#: Vegetation cover of an undegraded parcel per land cover (fraction; estimates).
VEG_COVER_BASE = pd.Series({"forest": 0.60, "alpine_grassland": 0.45, "oasis_farmland": 0.55,
                            "settlement": 0.15, "wetland": 0.35, "desert_shrubland": 0.15,
                            "sand_dune": 0.03, "gobi": 0.04, "bare_mountain": 0.03,
                            "mine": 0.02})
#: Each degradation level lowers vegetation cover by this share.
VEG_COVER_LOSS_PER_LEVEL = 0.2

#: RWEQ erodibility (EF·SCF ranking, 0-1) per land cover (estimates).
ERODIBILITY = pd.Series({"forest": 0.2, "alpine_grassland": 0.3, "oasis_farmland": 0.5,
                         "settlement": 0.05, "wetland": 0.4, "desert_shrubland": 0.7,
                         "sand_dune": 1.0, "gobi": 0.35, "bare_mountain": 0.1, "mine": 0.8})

#: Oasis shielding decays with distance from the oasis over this length (km).
SHIELD_DECAY_KM = 10.0
#: Direction the prevailing wind comes from (north-west; estimate), as (x, y).
PREVAILING_WIND_FROM = np.array([-1.0, 1.0])

#: InVEST habitat suitability H per land cover (estimates).
HABITAT_SUITABILITY = pd.Series({"forest": 1.0, "alpine_grassland": 0.8, "oasis_farmland": 0.2,
                                 "settlement": 0.0, "wetland": 1.0, "desert_shrubland": 0.7,
                                 "sand_dune": 0.3, "gobi": 0.2, "bare_mountain": 0.1,
                                 "mine": 0.0})
#: InVEST threats: land cover → (weight, maximum distance km); decay exp(−2.99 d / dmax).
HABITAT_THREATS: dict[str, tuple[float, float]] = {"oasis_farmland": (0.7, 5.0),
                                                   "settlement": (1.0, 10.0),
                                                   "mine": (0.6, 3.0)}
HABITAT_SENSITIVITY = 0.8
HABITAT_LOSS_PER_LEVEL = 0.15
HABITAT_Z = 2.5

#: A protected area within this distance raises a mine's hazard (km).
MINE_NEAR_PROTECTED_KM = 10.0


def _per_cover(table: pd.Series, cover: ArrayLike) -> NDArray[np.float64]:
    return table.reindex(np.asarray(cover, dtype=object)).to_numpy(dtype=float)


def degradation_score(cover: ArrayLike, zone: ArrayLike, d_oasis_km: ArrayLike,
                      noise: ArrayLike | float = 0.0) -> NDArray[np.float64]:
    """Degradation before rounding: the land cover's base, noise, the zone-3 overdraft term."""
    score = _per_cover(DEGRADATION_BASE, cover) + noise
    score += np.where(np.asarray(zone) == 3,
                      ZONE3_OVERDRAFT * np.exp(-np.asarray(d_oasis_km, float)
                                               / ZONE3_OVERDRAFT_KM), 0.0)
    return score


def degradation_level(score: ArrayLike, cover: ArrayLike,
                      mine_status: ArrayLike) -> NDArray[np.int64]:
    """0-3 from the score; settlements are not rated (0); mines 1 when done, 3 when pending."""
    cover = np.asarray(cover, dtype=object)
    level = np.clip(np.rint(np.asarray(score, float)), 0, 3).astype(int)
    level[cover == "settlement"] = 0
    mine = cover == "mine"
    level[mine] = np.where(np.asarray(mine_status, dtype=object)[mine] == "done", 1, 3)
    return level


def veg_cover(cover: ArrayLike, degradation: ArrayLike) -> NDArray[np.float64]:
    """Expected vegetation cover: the land cover's base, less 20 % per degradation level."""
    return _per_cover(VEG_COVER_BASE, cover) * (
        1.0 - VEG_COVER_LOSS_PER_LEVEL * np.asarray(degradation, float))


def erodibility(cover: ArrayLike) -> NDArray[np.float64]:
    """RWEQ erodibility index of the land cover."""
    return _per_cover(ERODIBILITY, cover)


def oasis_shield(d_oasis_km: ArrayLike, from_oasis: NDArray[np.float64],
                 in_oasis: ArrayLike) -> NDArray[np.float64]:
    """How much a parcel shields the oasis: near it and upwind (north-west) of it.

    ``from_oasis`` holds the vectors (x, y, any length unit) from the nearest oasis to the
    parcel; θ is their angle to the prevailing wind's origin.
    """
    norm = np.hypot(*np.asarray(from_oasis, float).T) + 1e-9
    cos_upwind = (from_oasis @ PREVAILING_WIND_FROM / np.hypot(*PREVAILING_WIND_FROM)) / norm
    return np.where(np.asarray(in_oasis, bool), 0.0,
                    np.exp(-np.asarray(d_oasis_km, float) / SHIELD_DECAY_KM)
                    * (0.5 + 0.5 * cos_upwind))


def invest_habitat_quality(xy_km: NDArray[np.float64], cover: ArrayLike,
                           degradation: ArrayLike) -> NDArray[np.float64]:
    """InVEST habitat quality Q = H (1 − D^z / (D^z + k^z)), z = 2.5.

    Threats (weight, max distance km, exponential decay exp(−2.99 d/dmax)): farmland (0.7, 5),
    settlement (1.0, 10), mines (0.6, 3), distances between parcel centres ``xy_km``. Habitat
    suitability H and sensitivity S per land cover are estimates (data/README.md);
    degradation lowers H by 15 % a level. The half-saturation k is half the largest D, as the
    InVEST user guide recommends.
    """
    cover = np.asarray(cover, dtype=object)
    total_w = sum(w for w, _ in HABITAT_THREATS.values())
    d_sum = np.zeros(len(cover))
    for threat, (weight, dmax) in HABITAT_THREATS.items():
        src = xy_km[cover == threat]
        if len(src) == 0:
            continue
        dist = cKDTree(src).query(xy_km)[0]
        d_sum += weight / total_w * np.where(dist <= dmax, np.exp(-2.99 * dist / dmax), 0.0)
    h = _per_cover(HABITAT_SUITABILITY, cover) * (
        1.0 - HABITAT_LOSS_PER_LEVEL * np.asarray(degradation, float))
    d_sum *= np.where(h > 0, HABITAT_SENSITIVITY, 0.0)
    k = max(d_sum.max() / 2.0, 1e-9)
    z = HABITAT_Z
    return np.clip(h * (1.0 - d_sum**z / (d_sum**z + k**z)), 0.0, 1.0)


def mine_hazard(cover: ArrayLike, water_source: ArrayLike, near_protected: ArrayLike,
                elevation_m: ArrayLike) -> NDArray[np.float64]:
    """Hazard of a mine (0 elsewhere): water-source role, protected area near, high ground."""
    return np.where(
        np.asarray(cover, dtype=object) == "mine",
        np.clip(0.3 + 0.3 * (np.asarray(water_source, float) > 0.4)
                + 0.2 * np.asarray(near_protected, bool)
                + 0.2 * np.clip((np.asarray(elevation_m, float) - 1000.0) / 2000.0, 0, 1),
                0.0, 1.0), 0.0)
