"""The input schema, declared once: columns, units, allowed values.

Every loader validates against these specs and every model reads columns by these names,
so a region other than Turpan works by supplying the same columns (InVEST-style spec).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Criterion keys used everywhere (weights, benefit columns ``benefit_<key>``, reports).
CRITERIA: tuple[str, ...] = ("sand", "water", "bio", "mine", "carbon")

CRITERION_LABELS: dict[str, tuple[str, str]] = {
    "sand": ("防风固沙", "sand control"),
    "water": ("水源涵养", "water conservation"),
    "bio": ("生物多样性维护", "biodiversity"),
    "mine": ("矿山修复", "mine remediation"),
    "carbon": ("固碳", "carbon sequestration"),
}

#: Land-cover / ecosystem classes of a parcel.
LAND_COVERS: dict[str, tuple[str, str]] = {
    "forest": ("森林", "forest"),
    "alpine_grassland": ("高山草地", "alpine grassland"),
    "oasis_farmland": ("绿洲农田", "oasis farmland"),
    "settlement": ("城乡建设用地", "settlement"),
    "wetland": ("湿地/湖泊", "wetland / lake"),
    "desert_shrubland": ("荒漠灌丛", "desert shrubland"),
    "sand_dune": ("沙地/沙丘", "sand dune"),
    "gobi": ("戈壁", "Gobi"),
    "bare_mountain": ("裸岩山地", "bare mountain"),
    "mine": ("矿山", "mine"),
}

MINE_STATUSES: tuple[str, ...] = ("", "done", "pending")

#: Equal-area CRS for every area computation (Albers conic centred on the Turpan basin;
#: fine for any region in western China, and areas are checked, not assumed).
EQUAL_AREA_CRS = (
    "+proj=aea +lat_1=41.5 +lat_2=43.5 +lat_0=42.5 +lon_0=89.5 +datum=WGS84 +units=m +no_defs"
)

#: CRS the shipped data are stored in (geographic WGS84). A region's own parcels may be in any
#: CRS with a definition and are kept in it (outputs/crs.py).
STORAGE_CRS = "EPSG:4326"


@dataclass(frozen=True)
class Column:
    """One column of an input table: its type, whether it must be there, its valid range."""

    name: str
    kind: str  # "int", "float", "str", "bool"
    unit: str
    description: str
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple | None = None
    allow_blank: bool = False  # a blank cell means "none" (e.g. no capacity limit)


PARCEL_COLUMNS: tuple[Column, ...] = (
    Column("parcel_id", "int", "", "unique planning-unit id", minimum=0),
    Column("county", "str", "", "county code (adcode), e.g. 650402; labels in counties.csv"),
    Column("zone", "int", "", "restoration zone; labels in zones.csv", minimum=1),
    Column("area_km2", "float", "km²", "area in an equal-area CRS", minimum=0.0),
    Column("land_cover", "str", "", "land cover / ecosystem type", choices=tuple(LAND_COVERS)),
    Column("degradation", "int", "", "0 none, 1 light, 2 moderate, 3 severe", minimum=0, maximum=3),
    # Inputs of the criteria models. Not needed when benefits come from --options.
    Column("elevation_m", "float", "m", "mean elevation", required=False),
    Column("precip_mm", "float", "mm/yr", "mean annual precipitation", required=False, minimum=0),
    Column("veg_cover", "float", "fraction", "current vegetation cover", required=False,
           minimum=0, maximum=1),
    Column("wind_exposure", "float", "index 0-1", "sand-moving wind exposure", required=False,
           minimum=0, maximum=1),
    Column("erodibility", "float", "index 0-1", "soil erodibility (RWEQ EF x SCF)",
           required=False, minimum=0, maximum=1),
    Column("dist_oasis_km", "float", "km", "distance to the nearest oasis edge (0 inside)",
           required=False, minimum=0),
    Column("oasis_shield", "float", "index 0-1",
           "how much the parcel shields an oasis from the prevailing wind", required=False,
           minimum=0, maximum=1),
    Column("water_source", "float", "index 0-1",
           "water-source role: river sources, riparian, karez, Aydingkol", required=False,
           minimum=0, maximum=1),
    Column("habitat_quality", "float", "index 0-1", "current habitat quality (InVEST logic)",
           required=False, minimum=0, maximum=1),
    Column("protected_area", "str", "", "name of the protected area it lies in, '' if none",
           required=False),
    Column("red_line", "str", "",
           "ecological protection red-line area (生态保护红线) it lies in, '' if none",
           required=False),
    Column("sand_priority", "bool", "", "in a sand-control priority township of the plan",
           required=False),
    Column("mine_id", "str", "", "historical mine site id, '' if none", required=False),
    Column("mine_status", "str", "", "'' no mine, 'done' 2021-2025, 'pending' 2026-2035",
           required=False, choices=MINE_STATUSES),
    Column("mine_area_km2", "float", "km²", "disturbed mine area to remediate", required=False,
           minimum=0),
    Column("mine_hazard", "float", "index 0-1",
           "geohazard, water-source and protected-area proximity of the mine", required=False,
           minimum=0, maximum=1),
    Column("groundwater_depth_m", "float", "m", "depth to the water table", required=False,
           minimum=0),
    Column("dist_river_km", "float", "km", "distance to the nearest main river", required=False,
           minimum=0),
    Column("karez_count", "int", "", "karez (坎儿井) on the parcel", required=False, minimum=0),
    Column("township", "str", "", "township / town (乡镇), Chinese name", required=False),
    Column("township_en", "str", "", "township / town, English name", required=False),
)

ACTION_COLUMNS: tuple[Column, ...] = (
    Column("code", "str", "", "action code"),
    Column("name_zh", "str", "", "Chinese name"),
    Column("name_en", "str", "", "English name"),
    Column("zones", "str", "", "zones where allowed, '|'-separated, e.g. 1|2"),
    Column("land_covers", "str", "", "land covers where allowed, '|'-separated"),
    Column("min_degradation", "int", "", "lowest degradation level it is applied to",
           minimum=0, maximum=3),
    Column("area_basis", "str", "", "treated area: 'parcel' (area_km2 × area_share), 'mine' "
           "(mine_area_km2) or 'karez' (per karez: karez_count)",
           choices=("parcel", "mine", "karez")),
    Column("places", "str", "", "where else it must lie, e.g. dist_oasis_km<=10 "
           "(region/places.py); empty = anywhere in its zones and land covers", required=False),
    Column("area_share", "str", "", "share of a parcel treated per land cover, e.g. "
           "oasis_farmland=0.06 (others 1)", required=False),
    Column("rule_source", "str", "", "plan line or PARAMETERS.md entry of each where-rule",
           required=False),
    Column("unit_cost_wan_per_km2", "float", "万元/km²", "total cost per treated km²", minimum=0),
    Column("cost_years", "int", "yr", "years the cost is spread over evenly", minimum=1),
    Column("water_wan_m3_per_km2_yr", "float", "万m³/km²/yr",
           "water demand per treated km² per year; negative frees water"),
    Column("water_years", "float", "yr", "years the water demand lasts (0 = none; blank = for "
           "the life of the stand, to the evaluation year)", minimum=0, allow_blank=True),
    Column("lag_years", "int", "yr", "years before any benefit shows", minimum=0),
    Column("maturity_years", "int", "yr", "years from start to full benefit", minimum=1),
    Column("survival", "float", "fraction", "share of the treated area that succeeds",
           minimum=0, maximum=1),
    *(Column(f"effect_{c}", "float", "fraction", f"effect factor on the {c} criterion",
             minimum=0, maximum=1) for c in CRITERIA),
    Column("capacity_km2_per_yr", "float", "km²/yr",
           "region-wide area it can reach per year (blank = no limit)", required=False,
           minimum=0, allow_blank=True),
    *(Column(f"capacity_source_{lang}", "str", "", f"the yearly capacity's grade and source, "
             f"in {name}, grade first: {derived} (derived from a source) or {estimate} "
             "(an estimate)", required=False)
      for lang, name, derived, estimate in (("zh", "Chinese", "'推算：…'", "'估算：…'"),
                                            ("en", "English", "'derived: …'",
                                             "'estimate: …'"))),
    Column("capacity_source_km2_per_yr", "float", "km²/yr",
           "the yearly capacity capacity_source_zh/_en give: the outputs print that source "
           "only while capacity_km2_per_yr is this figure, and call another figure the "
           "user's (用户设定); blank = the source states none (来源未注明)", required=False,
           minimum=0, allow_blank=True),
    Column("compatible_with", "str", "", "actions that may follow it on the same parcel",
           required=False),
    Column("lifetime_years", "float", "yr",
           "years the benefit lasts from the start (blank = beyond the horizon)",
           required=False, minimum=1, allow_blank=True),
    Column("roughness_k", "float", "fraction",
           "RWEQ roughness factor K' while it stands (blank = 1: no change)",
           required=False, minimum=0, maximum=1, allow_blank=True),
    Column("result_cover", "str", "", "land cover it leaves for carbon (blank = unchanged)",
           required=False),
    Column("restores_habitat", "int", "",
           "1 if it lowers resistance / creates habitat (completes corridors, counts in IIC)",
           required=False, minimum=0, maximum=1),
)

#: A planner's own option table (``--options``): one row per parcel × action, replacing the
#: criteria models. Zone, county and area are checked against the parcels too
#: (pipeline/inputs.py); a missing benefit column counts as 0, but one must be there.
OPTION_COLUMNS: tuple[Column, ...] = (
    Column("parcel_id", "str", "", "parcel id, as in the parcels file"),
    Column("action", "str", "", "action code of the action catalogue, or its Chinese name (封育)"),
    Column("area_km2", "float", "km²", "treated area (the parcel's, or a mine's disturbed area)",
           minimum=0),
    Column("zone", "int", "", "the parcel's restoration zone", minimum=1),
    Column("county", "str", "", "the parcel's county code"),
    Column("cost_wan", "float", "万元", "total cost of the option", minimum=0),
    Column("water_wan_m3_per_yr", "float", "万m³/yr",
           "water demand per year while it lasts; negative frees water"),
    *(Column(f"benefit_{c}", "float", "", f"{CRITERION_LABELS[c][1]} benefit (raw units)",
             required=False, minimum=0) for c in CRITERIA),
)
