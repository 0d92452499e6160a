"""The shipped action catalogue says what the plan and its stated sources say (plan audit)."""

import geopandas as gpd
import pandas as pd
import pytest

from region.io import TURPAN_DIR, load_actions

KM2_PER_WAN_MU = 10_000 / 1_500  # 1万亩 in km²
WAN_PER_KM2_PER_YUAN_PER_MU = 0.15  # 1 元/亩 = 0.15 万元/km²


@pytest.fixture(scope="module")
def catalogue() -> pd.DataFrame:
    return load_actions(TURPAN_DIR / "actions.csv").set_index("code")


def test_grassland_work_is_not_charged_the_grazing_ban_already_in_force(catalogue) -> None:
    """Plan line 13: 998万亩 under grazing ban and 144万亩 under grass-livestock balance every
    year, paid by the subsidy-and-reward policy, more than the whole modelled alpine
    grassland: the work's cost is its fence (≈120 元/亩, an estimate), paid when built,
    without the 5 years of ban payment (7.5 元/亩/yr) that paid the ban a second time."""
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", columns=["land_cover", "area_km2"],
                            ignore_geometry=True)
    grassland = parcels.loc[parcels["land_cover"] == "alpine_grassland", "area_km2"].sum()
    assert grassland < 998 * KM2_PER_WAN_MU  # the ban alone covers more than all of it
    work = catalogue.loc["grassland_recovery"]
    assert work["unit_cost_wan_per_km2"] == pytest.approx(120 * WAN_PER_KM2_PER_YUAN_PER_MU)
    assert work["cost_years"] == 1
    assert "998万亩" in work["rule_source"] and "l.98" in work["rule_source"]


def test_mine_cost_is_the_turpan_demonstration_projects(catalogue) -> None:
    """PARAMETERS.md: 5.20亿元 for 1,599.63 hm² (≈32.5万元/hm²), the source the catalogue
    states (1 km² = 100 hm²). It lies just above the 2.1万-31.4万元/hm² reported elsewhere in
    Xinjiang; the catalogue keeps the Turpan figure it cites."""
    per_km2 = 52_000.0 / 1_599.63 * 100
    assert catalogue.loc["mine_remediation", "unit_cost_wan_per_km2"] == pytest.approx(
        per_km2, rel=1e-3)


def test_wetland_enclosure_has_no_pace_of_its_own_and_says_why(catalogue) -> None:
    """The plan gives no pace for wetland works; enclosure's 28.7 km²/yr (21.50万亩 in five
    years, plan line 12) belongs to the greening and desertification works, so it is not
    lent to the wetland: no capacity, and the rule says why."""
    assert catalogue.loc["enclosure", "capacity_km2_per_yr"] == pytest.approx(
        21.5 * KM2_PER_WAN_MU / 5, rel=0.01)
    wetland = catalogue.loc["wetland_enclosure"]
    assert pd.isna(wetland["capacity_km2_per_yr"])
    assert "no pace" in wetland["rule_source"]


def test_karez_recharge_stays_a_use_of_the_allocation(catalogue) -> None:
    """Plan line 92: the water karez sources need is arranged within the total-use control
    (严格执行水资源总量控制方案 … 合理安排保护坎儿井水源所需的水资源量), so the recharge is charged
    to the county's water, and the rule cites the line."""
    karez = catalogue.loc["karez_protection"]
    assert karez["water_wan_m3_per_km2_yr"] > 0
    assert "总量控制" in karez["rule_source"]


@pytest.fixture(scope="module")
def shipped_pairs(catalogue) -> pd.DataFrame:
    """Every option the shipped catalogue allows on the shipped parcels (no spatial rule)."""
    from criteria.feasibility import feasible_pairs

    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", ignore_geometry=True)
    return feasible_pairs(parcels, catalogue.reset_index())


def test_enclosure_is_not_offered_on_grassland_the_ban_already_closes(catalogue,
                                                                      shipped_pairs) -> None:
    """Plan line 13: grazing is banned on 998万亩 a year, more than the modelled alpine
    grassland; line 63 closes natural forest (轮封 … 促进天然林更新), not grassland (以草定畜，
    划区轮牧); zone 1's grassland 封育 is its key project 草原封育保护 (line 98), the work
    grassland_recovery. Enclosure there earned grazing exclusion's recovery a second time."""
    enclosure = catalogue.loc["enclosure"]
    assert "alpine_grassland" not in enclosure["land_covers"].split("|")
    on = shipped_pairs.loc[shipped_pairs["action"] == "enclosure", "land_cover"]
    assert len(on) and "alpine_grassland" not in set(on)
    assert "998万亩" in enclosure["rule_source"] and "l.98" in enclosure["rule_source"]
    assert set(shipped_pairs.loc[shipped_pairs["action"] == "grassland_recovery",
                                 "land_cover"]) == {"alpine_grassland"}


def test_grassland_project_takes_the_grassland_work_only() -> None:
    """P1-4 草原封育保护 (plan line 98) is grassland_recovery; enclosure has no grassland."""
    projects = pd.read_csv(TURPAN_DIR / "projects.csv").set_index("project_id")
    assert projects.at["P1-4", "actions"] == "grassland_recovery"


def test_wetland_enclosure_is_not_offered_in_the_national_wetland_park(catalogue,
                                                                        shipped_pairs) -> None:
    """Plan lines 14 and 66: Aydingkol's wetland is a national wetland park (289.86 km²) since
    the 13th five-year plan, so the protection the work brings is already in today's state;
    line 19: the wetland degrades by shrinking for want of water, which closing it does not
    bring. The work stays for wetland no protected area covers."""
    wetland = catalogue.loc["wetland_enclosure"]
    assert wetland["places"] == "protected_area==''"
    rule = wetland["rule_source"]
    assert "国家级湿地公园" in rule and "l.66" in rule and "水资源匮乏" in rule
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", ignore_geometry=True)
    park = parcels["protected_area"].str.contains("湿地公园", na=False)
    assert parcels.loc[parcels["land_cover"] == "wetland", "protected_area"].str.contains(
        "湿地公园").all()
    assert not (shipped_pairs["action"] == "wetland_enclosure").any()
    # Replenishment, the water the plan says the park lacks (lines 14, 68), stays offered.
    replenished = shipped_pairs.loc[shipped_pairs["action"] == "wetland_replenishment",
                                    "parcel_id"]
    assert set(replenished) == set(parcels.loc[park & (parcels["land_cover"] == "wetland")
                                               & (parcels["degradation"] >= 1), "parcel_id"])


def test_wetland_enclosure_still_goes_on_unprotected_wetland(catalogue) -> None:
    """A region whose wetland lies outside any protected area still gets the work."""
    from criteria.feasibility import feasible_pairs

    parcels = pd.DataFrame({"parcel_id": [1, 2], "zone": [2, 2], "land_cover": ["wetland"] * 2,
                            "degradation": [2, 2], "area_km2": [1.0, 1.0],
                            "protected_area": ["", "艾丁湖国家湿地公园"]})
    pairs = feasible_pairs(parcels, catalogue.loc[["wetland_enclosure"]].reset_index())
    assert list(pairs["parcel_id"]) == [1]


def test_enclosure_is_not_offered_in_the_nature_reserve_the_law_already_closes(
        catalogue, shipped_pairs) -> None:
    """The nature-reserve regulation bans grazing and the other disturbance enclosure stops in
    every nature reserve (自然保护区条例, art. 26), the experimental zone in Turpan (plan line
    81) included: enclosure there would earn protection in force. It stays on the same land
    covers outside the reserve, in the scenic areas and the desert parks."""
    reserve = "Lop Nur wild camel national reserve 罗布泊野骆驼国家级自然保护区"
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", ignore_geometry=True)
    in_reserve = set(parcels.loc[parcels["protected_area"] == reserve, "parcel_id"])
    enclosed = shipped_pairs.loc[shipped_pairs["action"] == "enclosure", "parcel_id"]
    assert in_reserve and not in_reserve & set(enclosed)
    assert "art. 26" in catalogue.loc["enclosure", "rule_source"]
    others = parcels.loc[parcels["protected_area"].str.contains("风景名胜区|沙漠公园", na=False)
                         & parcels["zone"].isin([3, 4, 5])
                         & parcels["land_cover"].isin(["desert_shrubland", "sand_dune"])]
    assert set(others["parcel_id"]) & set(enclosed)


def test_sand_barriers_bear_the_plans_name_in_the_catalogue_and_the_library(
        catalogue, plan_lines) -> None:
    """Plan line 71 calls them 固沙沙障 (the barriers of Shanshan's closure areas); the plan
    never says 草方格. The catalogue's action and the project library's 建设内容 name the
    same work: the plan's word, the straw checkerboard costed (PARAMETERS.md) in brackets,
    as 人工造林（滴灌防风固沙林） names its kind. They used to read 沙障 and 草方格沙障."""
    assert "固沙沙障" in plan_lines[70] and not any("草方格" in line for line in plan_lines)
    barrier = catalogue.loc["sand_barrier"]
    assert barrier["name_zh"] == "固沙沙障" and "l.71 (固沙沙障" in barrier["rule_source"]
    library = pd.read_csv(TURPAN_DIR / "project_library.csv").set_index("action")
    works = library.loc["sand_barrier"]
    assert works["works_zh"].startswith(barrier["name_zh"])
    assert works["works_en"] == barrier["name_en"] == "sand-fixing barriers (straw checkerboard)"


def test_the_enclosure_indicator_counts_the_greening_enclosure_only(plan_lines) -> None:
    """Line 12's 封育面积21.50万亩 is a figure of the greening and desertification works
    (国土绿化有序推进，荒漠化治理成效显著); wetland protection is line 14's, with no area. So
    the indicator compares enclosure alone (as the catalogue keeps enclosure's pace from
    the wetland work) and its source says why wetland enclosure is not in it."""
    assert "封育面积21.50万亩" in plan_lines[11] and "国土绿化" in plan_lines[11]
    assert "湿地" in plan_lines[13] and "万亩" not in plan_lines[13]
    indicators = pd.read_csv(TURPAN_DIR / "indicators.csv").set_index("key")
    row = indicators.loc["enclosure_area"]
    assert row["actions"] == "enclosure"
    assert "第14行" in row["source"] and "湿地封育保护不计入" in row["source"]
