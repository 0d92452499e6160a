"""Model parameters of the criteria, in one place, each with its source or marked estimate.

Per-action figures (effects, survival, lags) live in the action catalogue; these are the
land-cover and model constants the benefit models share.
"""

from __future__ import annotations

#: RWEQ vegetation factor C = exp(a · SC), SC = vegetation cover in %: a per land cover.
#: Source: PARAMETERS.md "Sand fixation (RWEQ)" (woodland −0.1535, grassland −0.1151,
#: shrub −0.0921, bare −0.0768, sand −0.0658, cropland −0.0438); other classes mapped to them.
RWEQ_A = {
    "forest": -0.1535, "alpine_grassland": -0.1151, "desert_shrubland": -0.0921,
    "bare_mountain": -0.0768, "gobi": -0.0768, "mine": -0.0768, "settlement": -0.0768,
    "sand_dune": -0.0658, "oasis_farmland": -0.0438, "wetland": -0.1151,
}
#: RWEQ wind factor at full exposure, kg/m per year. Estimate for a hyper-arid basin with
#: frequent sand-moving winds; wind_exposure (0-1) scales it.
RWEQ_WF_MAX_KG_PER_M = 200.0
#: RWEQ soil-crust / roughness factor K' (estimate: smooth surface).
RWEQ_K = 1.0
#: Downwind field length z in the RWEQ transport equation, m (PARAMETERS.md: z = 50 m).
RWEQ_Z_M = 50.0

#: Vegetation cover a fully successful action can bring each land cover to (fraction;
#: estimates from the cover classes of restored desert and mountain sites).
POTENTIAL_COVER = {
    "forest": 0.70, "alpine_grassland": 0.60, "desert_shrubland": 0.35, "sand_dune": 0.25,
    "gobi": 0.15, "bare_mountain": 0.10, "mine": 0.30, "oasis_farmland": 0.65,
    "settlement": 0.20, "wetland": 0.60,
}

#: Oasis shielding and priority-township multipliers of the sand benefit (estimates):
#: benefit × (1 + SHIELD_BONUS · oasis_shield) × (1 + PRIORITY_BONUS · sand_priority).
SHIELD_BONUS = 1.0
PRIORITY_BONUS = 0.5

#: Budyko (Fu) parameter ω = Z · AWC / P + 1.25, capped at 5 (InVEST user guide). Z and the
#: plant-available water content AWC (mm) are estimates for thin arid soils.
FU_Z = 5.0
AWC_MM = 60.0
#: Potential evapotranspiration, mm/yr: ≈3,000 on the basin floor (plan), falling with
#: elevation to a floor in the high Tianshan (lapse an estimate).
PET_BASIN_MM = 3000.0
PET_LAPSE_MM_PER_M = 0.8
PET_MIN_MM = 500.0
#: Share of the water yield retained (held in soil and litter, released slowly) rises by
#: RETAIN_SLOPE per unit of vegetation cover (estimate; only the change enters the benefit).
RETAIN_SLOPE = 0.7
#: Groundwater-fed yield protected per km² where the basin's water depends on it (karez
#: belt, Aydingkol, farmland over the over-drafted aquifer), 万m³/km²/yr at water_source = 1
#: and full effect. Estimate; the basin's yield from precipitation is nil (16 mm/yr).
PROTECTED_GROUNDWATER_WAN_M3_PER_KM2 = 2.0

#: Habitat suitability after restoration, per land cover (InVEST H; estimates, matching
#: data/build_turpan.py's suitability table).
HABITAT_SUITABILITY = {
    "forest": 1.0, "alpine_grassland": 0.8, "oasis_farmland": 0.2, "settlement": 0.0,
    "wetland": 1.0, "desert_shrubland": 0.7, "sand_dune": 0.3, "gobi": 0.2,
    "bare_mountain": 0.1, "mine": 0.3,
}
#: Biodiversity multipliers: any protected area, and the habitats of species the plan names
#: (wild camel in the Lop Nur reserve; birds and camel-thorn at Aydingkol). Estimates.
PROTECTED_BONUS = 0.5
SPECIES_HABITAT_BONUS = {"Lop Nur": 0.5, "Aydingkol": 0.5}

#: Carbon uptake of a restored land cover, tC per km² per year (estimates of the order of
#: arid-zone sequestration rates: 1 tC/ha/yr for forest = 100 tC/km²/yr).
CARBON_RATE_TC_PER_KM2 = {
    "forest": 100.0, "alpine_grassland": 30.0, "desert_shrubland": 20.0, "sand_dune": 10.0,
    "gobi": 5.0, "bare_mountain": 3.0, "mine": 15.0, "oasis_farmland": 60.0,
    "settlement": 10.0, "wetland": 50.0,
}
