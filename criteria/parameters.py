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
#: RWEQ weather factor WF, evaluated per half-month period and summed (as Chinese RWEQ
#: studies do; one annual evaluation would put x past the peak of SL(x) at x ≈ 62).
#: Annual WF 190.36 kg/m: the mean of 157 northern-China stations 1989-2016 (Spatio-temporal
#: variation of wind erosivity in northern China 1980-2016, 地理科学 2024(4), "eastern
#: Xinjiang" among its high-value areas; read in the abstract). Status D: a regional mean, not
#: a Turpan station value; it applies at the reference exposure below.
RWEQ_WF_ANNUAL_KG_PER_M = 190.36
#: Mean monthly WF per season, kg/m: spring (Mar-May) 19.63, summer 5.72, autumn 6.09,
#: winter 4.96 (Liu W., Zou X. et al., "The Weather Factor in soil wind erosion area of
#: northern China", 188 stations, 1980-2009; read in the abstract). Only their shares are used.
RWEQ_WF_SEASON_MONTHLY = {"spring": 19.63, "summer": 5.72, "autumn": 6.09, "winter": 4.96}
#: Periods per year (half-months, the usual period of Chinese RWEQ studies).
RWEQ_PERIODS_PER_YEAR = 24
#: wind_exposure (an index, data/README.md) at which a parcel's WF equals the annual WF
#: above: the shipped region's mean index (0.448). Estimate: the average parcel is taken to
#: see the average station's wind climate; WF scales linearly with the index. No Turpan
#: station wind climate was found to replace this (data/README.md, "Wind climate").
RWEQ_REFERENCE_EXPOSURE = 0.448
#: RWEQ surface roughness factor K' of untreated ground (smooth surface).
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

#: Oasis shielding and priority-township weights of the sand criterion in the score (not in
#: the physical benefit, which stays in t/yr): score weight × (1 + SHIELD_BONUS · oasis_shield)
#: × (1 + PRIORITY_BONUS · sand_priority). Estimates: a planner's priority, not a quantity.
SHIELD_BONUS = 1.0
PRIORITY_BONUS = 0.5

#: Budyko (Fu) parameter ω = Z · AWC / P + 1.25, capped at 5 (InVEST user guide). Z and the
#: plant-available water content AWC (mm) are estimates for thin arid soils.
FU_Z = 5.0
AWC_MM = 60.0
#: FAO-56 reference evapotranspiration ET0 on the basin floor, mm/yr: the plan's ≈3,000 mm
#: "潜在蒸发量" (plan line 66: potential evaporation, the line's word) is read as pan
#: evaporation (our reading; read as written, ET0 would be ≈3,000 mm); ET0 = Kp · pan with
#: the pan coefficient Kp = 0.5, the low end of the 0.5-0.6 found for north-west China
#: (issue 21; Fan L. et al. 2021, 中国科学院大学学报 38(1): 94-102 relate FAO-56 PM ET0 to pan
#: evaporation at Turpan station — their coefficient was not read). Status D.
ET0_BASIN_MM = 1500.0
#: ET0 falls with elevation (colder, more humid air); lapse and floor are estimates that
#: bring ET0 to ≈700 mm at 2,500 m, the order of Tianshan mid-mountain FAO-56 values.
ET0_LAPSE_MM_PER_M = 0.32
ET0_MIN_MM = 500.0
#: Share of the water yield retained (held in soil and litter, released slowly) rises by
#: RETAIN_SLOPE per unit of vegetation cover (estimate; only the change enters the benefit).
RETAIN_SLOPE = 0.7

#: Precipitation per side of the range (the function data/turpan_criteria_inputs.py uses; see
#: criteria/climate.py). Basin floor 16 mm (plan line 66; stations 9.2-26.7 mm: 托克逊 9.2,
#: 高昌区 14.4, 鄯善 26.7, 2016-2020, hanspub paper 56016). Tianshan south slope (zone 1):
#: rising to 400 mm at 3,000 m, linear from 300 m (plan line 61 gives 200-400 mm as zone 1's
#: mean annual precipitation; this rule gives its forest belt 258-384 mm but the whole
#: modelled zone, 60 % of it Gobi foothills, a mean of 184 mm: data/README.md). South of
#: the basin (Jueluotage-Kuruktag, Gashun Gobi, in the rain shadow of the Tianshan):
#: hyper-arid, 16 mm rising 1 mm per 100 m (estimate; the Lop Nur-Gashun region's stations
#: record a few tens of mm, so 30-40 mm on the 1,500-2,000 m Kuruktag ridges).
PRECIP_BASIN_MM = 16.0
PRECIP_NORTH_TOP_MM = 400.0
PRECIP_NORTH_BASE_M = 300.0
PRECIP_NORTH_TOP_M = 3000.0
PRECIP_SOUTH_GRADIENT_MM_PER_M = 0.01

#: Habitat suitability per land cover and its loss per degradation level live with the
#: modelled parcel inputs (region/modelled_inputs.py: HABITAT_SUITABILITY,
#: HABITAT_LOSS_PER_DEGRADATION): the parcels' habitat quality is built with them and the
#: biodiversity benefit reads the same table, so region/ need not import criteria/.

#: Biodiversity weights in the score (not in the physical gain): any protected area, and the
#: habitats of species the plan names (wild camel in the Lop Nur reserve, lines 22, 81; birds
#: at Aydingkol, line 14, and its camel-thorn land, lines 13, 99). Estimates: a planner's
#: priority. A habitat is found by any of its name fragments, English or Chinese (a bureau's
#: own layer may name areas in Chinese only).
PROTECTED_BONUS = 0.5
SPECIES_HABITAT_BONUS = {("Lop Nur", "罗布泊"): 0.5, ("Aydingkol", "艾丁湖"): 0.5}

#: Carbon uptake of the land cover an action leaves, tC per km² per year. "plantation": a
#: drip-irrigated shelterbelt / sand-fixing plantation (poplar, saxaul, tamarisk): 100
#: tC/km²/yr = 1 tC/ha/yr. Estimate at the low end of what the Taklimakan desert-highway
#: shelterbelt implies (567,432 t sequestered on its ≈3,100 ha in ≈20 years, Xinjiang Agr.
#: Sci. 2026(2); 2.5 tC/ha/yr if that figure is CO₂, 9 if carbon). The natural covers'
#: rates are estimates of the order of arid-zone values.
CARBON_RATE_TC_PER_KM2 = {
    "forest": 100.0, "plantation": 100.0, "alpine_grassland": 30.0, "desert_shrubland": 20.0,
    "sand_dune": 10.0, "gobi": 5.0, "bare_mountain": 3.0, "mine": 15.0,
    "oasis_farmland": 60.0, "settlement": 10.0, "wetland": 50.0,
}

#: Water-limited vegetation cover of an un-irrigated recovery (enclosure, grazing withdrawal,
#: forest repair): the larger of what rain and what groundwater sustain.
#: Rain: perennial cover ≈ RAIN_COVER_PER_MM · P. Estimate anchored at both ends of the
#: region's own cover table (data/README.md, veg_cover): bare dunes and gobi carry ≈3-4 % at
#: the basin's 16 mm (0.002 × 16 = 3.2 %), the Tianshan forest belt ≈60 % at 300-400 mm
#: (plan line 61: forests live on rain alone; 0.002 × 320 = 64 %).
RAIN_COVER_PER_MM = 0.002
#: Groundwater: phreatophytes (Tamarix, Alhagi, Populus) do best at 1-5 m to the water table:
#: in the lower Heihe, Tamarix dominates at 3-5 m, is an associate at 1-3 m and is "obviously
#: degraded" beyond 5 m ("Ecological groundwater level of main drought-tolerant plants",
#: lfasc.com/Photographyportrait/siuklpklfy.html, read). Cover GW_COVER_MAX (the shrubland
#: potential) down to GW_FULL_DEPTH_M, falling linearly to 0 at GW_ZERO_DEPTH_M (estimate:
#: deep-rooted Haloxylon and Tamarix on dune tops still reach somewhat beyond 5 m).
GW_COVER_MAX = 0.35
GW_FULL_DEPTH_M = 5.0
GW_ZERO_DEPTH_M = 10.0

#: Smallest meaningful swing of each criterion, in the unit of its ``benefit_<c>`` column (a
#: year, at maturity, before survival). A criterion whose achievable range (the most the
#: horizon's money buys of it, physical, criteria/normalise.py) is below its floor carries
#: no weight: the best the budget can do on it is no swing a planner can weigh
#: (docs/criteria.md, "Negligible criteria"). Each floor is the least figure the bureau's
#: priority list prints for that benefit (outputs/list_columns.py, BENEFIT_FORMATS): a swing
#: the list itself would round to 0. Estimates; what each is on the ground:
#: - sand 1 t/yr: what 6 m² of bare dune lose in a year (163 kg/m²); 7 × 10⁻¹⁰ of the
#:   city's modelled loss (1.4 × 10⁹ t/yr).
#: - water 0.01 万m³/yr = 100 m³: two people's domestic water for a year (≈ 150 L a day
#:   each); 3 × 10⁻⁷ of the city's modelled yield (3.5 亿m³).
#: - bio 0.001 quality-weighted km²: 0.1 ha of forest-quality habitat.
#: - mine 0.001 hazard-weighted km²: 0.1 ha of a pending mine at the top of the hazard
#:   index (1).
#: - carbon 0.1 tC/yr: 0.1 ha of plantation at 1 tC/ha/yr (CARBON_RATE_TC_PER_KM2).
SWING_FLOOR = {"sand": 1.0, "water": 0.01, "bio": 0.001, "mine": 0.001, "carbon": 0.1}
