"""Rules that model a parcel's criteria inputs from its land cover where no measurement exists.

The shipped Turpan build (data/build_turpan.py) and the import of a bureau's own land-survey
patches use the same rules, so a patch of 沙地 gets the same modelled cover, erodibility and
habitat as a shipped dune parcel. Every figure is an estimate (data/README.md, "Parcel
fields"); replace with survey values where they exist.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.spatial import cKDTree

#: Degradation base level per land cover (0-3) before noise: the plan's problem list
#: (ch. 1 §2 and the zones' problems in ch. 3: degraded grassland, lines 19, 62; salinised
#: farmland, line 67; shrinking wetland, lines 19-20; the transition belt, line 72).
DEGRADATION_BASE = {
    "forest": 1.0, "alpine_grassland": 1.5, "oasis_farmland": 1.0, "settlement": 0.0,
    "wetland": 2.0, "desert_shrubland": 1.2, "sand_dune": 1.6, "gobi": 0.4,
    "bare_mountain": 0.2, "mine": 3.0,
}
#: Vegetation cover of an undegraded parcel per land cover (fraction).
VEG_COVER_BASE = {
    "forest": 0.60, "alpine_grassland": 0.45, "oasis_farmland": 0.55, "settlement": 0.15,
    "wetland": 0.35, "desert_shrubland": 0.15, "sand_dune": 0.03, "gobi": 0.04,
    "bare_mountain": 0.03, "mine": 0.02,
}


@dataclass(frozen=True)
class SurfaceSoil:
    """Surface layer of a land cover, as RWEQ's soil equations need it.

    ``sand``, ``silt``, ``clay``, ``organic_matter`` and ``caco3`` are % of the fine earth
    (< 2 mm); ``gravel`` is the mass share (0-1) of the surface layer coarser than 2 mm;
    ``basis`` says where the figures come from (data/README.md, "Soil surface per land
    cover", gives the sources).
    """

    sand: float
    silt: float
    clay: float
    organic_matter: float
    caco3: float
    gravel: float
    basis: str


#: Surface soil per land cover (Turpan basin and eastern Xinjiang). Sources and reasoning in
#: data/README.md; every figure is a class value for a land cover, not a measured profile.
SURFACE_SOIL = {
    "sand_dune": SurfaceSoil(95.0, 3.0, 2.0, 0.1, 5.0, 0.0,
                             "aeolian sand: fine and very fine sand ≥ 82 % on Xinjiang "
                             "crescent dunes; clay, OM, CaCO3 estimates"),
    "gobi": SurfaceSoil(80.0, 12.0, 8.0, 0.3, 8.0, 0.66,
                        "brown desert soil (棕漠土) under a gravel pavement: gravel 66 % "
                        "of the surface mass (Hexi gobis, 66 ± 17 %); fines estimates"),
    "bare_mountain": SurfaceSoil(80.0, 12.0, 8.0, 0.3, 8.0, 0.80,
                                 "rock and scree: gobi fines, gravel share estimate"),
    "desert_shrubland": SurfaceSoil(70.0, 20.0, 10.0, 0.5, 10.0, 0.0,
                                    "sandy grey-brown desert soil and nebkha sand "
                                    "(estimate)"),
    "oasis_farmland": SurfaceSoil(40.0, 45.0, 15.0, 1.2, 12.0, 0.0,
                                  "irrigated-silted loam (灌淤土; estimate)"),
    "settlement": SurfaceSoil(40.0, 45.0, 15.0, 1.2, 12.0, 0.90,
                              "oasis loam, 90 % sealed or built (estimate)"),
    "wetland": SurfaceSoil(30.0, 50.0, 20.0, 1.0, 10.0, 0.0,
                           "saline lacustrine silt loam of the Aydingkol flats (estimate)"),
    "mine": SurfaceSoil(80.0, 12.0, 8.0, 0.3, 8.0, 0.50,
                        "spoil of the host gobi or rock, half gravel (estimate)"),
    "alpine_grassland": SurfaceSoil(35.0, 45.0, 20.0, 5.0, 2.0, 0.0,
                                    "mountain meadow and chestnut soil (estimate)"),
    "forest": SurfaceSoil(30.0, 45.0, 25.0, 8.0, 0.0, 0.0,
                          "grey-cinnamon mountain forest soil (estimate)"),
}


def rweq_erodible_fraction(sand: float, silt: float, clay: float, organic_matter: float,
                           caco3: float) -> float:
    """RWEQ erodible fraction EF of the fine earth (Fryrear et al. 1998), 0-1:
    (29.09 + 0.31 Sa + 0.17 Si + 0.33 Sa/Cl − 2.59 OM − 0.95 CaCO3) / 100."""
    ef = (29.09 + 0.31 * sand + 0.17 * silt + 0.33 * sand / clay - 2.59 * organic_matter
          - 0.95 * caco3) / 100.0
    return min(max(ef, 0.0), 1.0)


def rweq_crust_factor(clay: float, organic_matter: float) -> float:
    """RWEQ soil crust factor SCF = 1 / (1 + 0.0066 Cl² + 0.021 OM²) (Fryrear et al. 1998)."""
    return 1.0 / (1.0 + 0.0066 * clay**2 + 0.021 * organic_matter**2)


def surface_erodibility(soil: SurfaceSoil) -> float:
    """EF·SCF of a surface: EF counts the mass finer than 0.84 mm, so the gravel share
    (> 2 mm, non-erodible) scales the fine earth's EF down; SCF from the fine earth."""
    ef = rweq_erodible_fraction(soil.sand, soil.silt, soil.clay, soil.organic_matter,
                                soil.caco3) * (1.0 - soil.gravel)
    return round(ef * rweq_crust_factor(soil.clay, soil.organic_matter), 3)


#: RWEQ EF·SCF per land cover, from SURFACE_SOIL.
ERODIBILITY = {cover: surface_erodibility(soil) for cover, soil in SURFACE_SOIL.items()}
#: InVEST habitat suitability H per land cover, the one table the parcels' habitat quality
#: and the biodiversity benefit (criteria/biodiversity.py) share: Turpan's own habitat index
#: (PARAMETERS.md, ChinaXiv 202204.00108: forest 0.35, grassland 0.21, water 0.28, cropland
#: 0.11, built 0.04, unused 0.01) scaled so forest = 1: grassland 0.60, water/wetland 0.80,
#: cropland 0.31, built 0.11, unused land (gobi, dunes, bare rock, mines) 0.03. Desert
#: shrubland is scored as grassland (sparse shrub steppe). Status D.
HABITAT_SUITABILITY = {
    "forest": 1.0, "alpine_grassland": 0.60, "desert_shrubland": 0.60, "wetland": 0.80,
    "oasis_farmland": 0.31, "settlement": 0.11, "sand_dune": 0.03, "gobi": 0.03,
    "bare_mountain": 0.03, "mine": 0.03,
}
#: Suitability lost per degradation level (15 %), here and in the biodiversity benefit
#: (criteria/biodiversity.py).
HABITAT_LOSS_PER_DEGRADATION = 0.15
#: InVEST threats: land cover → (weight, maximum distance km), exponential decay.
HABITAT_THREATS = {"oasis_farmland": (0.7, 5.0), "settlement": (1.0, 10.0), "mine": (0.6, 3.0)}
#: Sensitivity S of a habitat to every threat.
HABITAT_SENSITIVITY = 0.8


def _per_cover(table: dict[str, float], cover: NDArray) -> NDArray[np.float64]:
    return pd.Series(table).reindex(cover).to_numpy(dtype=float)


def erodibility(cover: NDArray) -> NDArray[np.float64]:
    """RWEQ EF·SCF of each land cover (ERODIBILITY)."""
    return _per_cover(ERODIBILITY, cover)


def degradation(cover: NDArray, noise: NDArray, extra: NDArray | float = 0.0) -> NDArray:
    """Degradation 0-3: round(base + noise + extra), settlements 0."""
    score = _per_cover(DEGRADATION_BASE, cover) + noise + extra
    level = np.clip(np.rint(score), 0, 3).astype(int)
    return np.where(cover == "settlement", 0, level)


def veg_cover(cover: NDArray, degradation_level: NDArray, jitter: NDArray) -> NDArray:
    """Cover = base × (1 − 0.2 · degradation) × jitter, clipped to 0-1."""
    base = _per_cover(VEG_COVER_BASE, cover) * (1.0 - 0.2 * degradation_level)
    return np.clip(base * jitter, 0.0, 1.0)


def invest_habitat_quality(xy_km: NDArray, cover: NDArray,
                           degradation_level: NDArray) -> NDArray[np.float64]:
    """InVEST habitat quality Q = H (1 − D^z / (D^z + k^z)), z = 2.5.

    D sums the threats of HABITAT_THREATS (exponential decay exp(−2.99 d/dmax), d between
    parcel points in km) times the sensitivity S; degradation lowers H by 15 % a level; the
    half-saturation k is half the largest D, as the InVEST user guide recommends (its
    default 0.05, the figure PARAMETERS.md lists, is where a first run starts).
    """
    total_w = sum(w for w, _ in HABITAT_THREATS.values())
    d_sum = np.zeros(len(cover))
    for threat, (weight, dmax) in HABITAT_THREATS.items():
        src = xy_km[cover == threat]
        if len(src) == 0:
            continue
        dist = cKDTree(src).query(xy_km)[0]
        d_sum += weight / total_w * np.where(dist <= dmax, np.exp(-2.99 * dist / dmax), 0.0)
    h = _per_cover(HABITAT_SUITABILITY, cover) * (1.0 - HABITAT_LOSS_PER_DEGRADATION
                                                   * degradation_level)
    d_sum *= np.where(h > 0, HABITAT_SENSITIVITY, 0.0)
    k = max(d_sum.max() / 2.0, 1e-9)
    z = 2.5
    return np.clip(h * (1.0 - d_sum**z / (d_sum**z + k**z)), 0.0, 1.0)


#: Over-drafted groundwater around the oases (the transition belt, plan line 72) raises
#: degradation in zone 3 by OVERDRAFT_RISE at the oasis edge, decaying over OVERDRAFT_KM.
OVERDRAFT_RISE = 0.8
OVERDRAFT_KM = 8.0
#: Land covers that make up an oasis (farmland and the settlements in it).
OASIS_COVERS = ("oasis_farmland", "settlement")
#: Oasis shielding decays over this distance (km); the prevailing wind comes from the
#: north-west (estimate), as the vector (x, y).
SHIELD_KM = 10.0
PREVAILING_WIND_FROM = np.array([-1.0, 1.0])
#: Water-source role of a wetland (Aydingkol: lake, reed beds, flood plain); elsewhere the
#: role follows the place (river sources, karez belt), not the cover.
WETLAND_WATER_SOURCE = 0.9
#: A protected area within this distance (km) raises a mine's hazard.
MINE_NEAR_PROTECTED_KM = 10.0


def oasis_overdraft(zone: NDArray, d_oasis_km: NDArray) -> NDArray[np.float64]:
    """The ``extra`` of :func:`degradation`: 0.8 · exp(−d_oasis / 8 km) in zone 3, else 0."""
    return np.where(np.asarray(zone) == 3,
                    OVERDRAFT_RISE * np.exp(-np.asarray(d_oasis_km, float) / OVERDRAFT_KM),
                    0.0)


def mine_degradation(level: NDArray, cover: NDArray, mine_status: NDArray) -> NDArray:
    """Degradation with mines set apart: 1 when remediated (done), 3 when pending."""
    level = np.array(level, dtype=int)
    mine = np.asarray(cover) == "mine"
    level[mine] = np.where(np.asarray(mine_status, dtype=object)[mine] == "done", 1, 3)
    return level


def oasis_shield(d_oasis_km: NDArray, from_oasis: NDArray, in_oasis: NDArray) -> NDArray:
    """exp(−d_oasis / 10 km) · (0.5 + 0.5 cos θ), θ between ``from_oasis`` (the vector from the
    nearest oasis to the parcel) and the prevailing wind's origin; 0 inside the oasis."""
    norm = np.hypot(*np.asarray(from_oasis, float).T) + 1e-9
    cos_upwind = (from_oasis @ PREVAILING_WIND_FROM / np.hypot(*PREVAILING_WIND_FROM)) / norm
    return np.where(in_oasis, 0.0, np.exp(-np.asarray(d_oasis_km, float) / SHIELD_KM)
                    * (0.5 + 0.5 * cos_upwind))


def mine_hazard(cover: NDArray, water_source: NDArray, near_protected: NDArray,
                elevation_m: NDArray) -> NDArray[np.float64]:
    """0.3 + 0.3·[water_source > 0.4] + 0.2·[protected area ≤ 10 km] + 0.2·clip((elev −
    1,000)/2,000, 0, 1) on mines, clipped to 0-1; 0 elsewhere."""
    return np.where(
        np.asarray(cover) == "mine",
        np.clip(0.3 + 0.3 * (np.asarray(water_source) > 0.4) + 0.2 * np.asarray(near_protected)
                + 0.2 * np.clip((np.asarray(elevation_m) - 1000.0) / 2000.0, 0, 1), 0.0, 1.0),
        0.0)
