"""The table of plan projects without works: why each gets nothing (outputs/unfunded.py)."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from optimizer.project_options import COLUMNS as OPTION_COLUMNS
from outputs.no_option_cause import no_option_cause
from outputs.place_words import place_words
from outputs.project_causes import projects_without_works
from outputs.project_limits import dry_accounts, marginal_ratio
from outputs.unfunded import RETURN_NOTE, unfunded_html, write_unfunded_csv
from region.projects import FILED_UNDER
from region.scenario_spatial_rules import SpatialRule
from region.validate import split_list

PROJECT_FIELDS = ["project_id", "level", "parent", "name_zh", "name_en", "zones", "counties",
                  "land_covers", "places", "actions", "source"]


def project(pid: str, actions: str, zones: str = "", land_covers: str = "",
            counties: str = "") -> dict:
    return {"project_id": pid, "level": "project", "parent": "", "name_zh": f"测试{pid}",
            "name_en": f"test {pid}", "zones": zones, "counties": counties,
            "land_covers": land_covers, "places": "", "actions": actions, "source": "test"}


def option_row(pid: str, action: str, county: str, needs_water: bool, options: int,
               best_per_wan: float) -> dict:
    return dict(zip(OPTION_COLUMNS, [pid, action, county, needs_water, options, 5.0 * options,
                                     0, best_per_wan, best_per_wan * 10.0, 10.0, 2027, 1, 5.0],
                    strict=True))


@pytest.fixture(scope="module")
def hand_plan(small_run, small_region):
    """A plan built by hand: funded works of value per 万元 2.0 and 0.5 (the marginal), a
    required work (0.01) and a water-saving work (0.001) that the marginal leaves out; and
    three unfunded projects: one returning 0.06 per 万元, one whose options need water in
    鄯善县 (no water there), one needing water in 高昌区 (100 万m³ allocated)."""
    region = small_region[0]
    chosen = pd.DataFrame({
        "project_id": ["A1", "A1", "A1", "A1"], "action": ["enclosure"] * 4,
        "county": ["650421"] * 4, "start_year": [2027] * 4, "area_km2": [1.0] * 4,
        "value": [2.0, 0.5, 0.01, 0.001], "cost_2027": [0.6, 0.6, 1.0, 1.0],
        "cost_after_horizon": [0.4, 0.4, 0.0, 0.0], "water_2027": [0.0, 0.0, 0.0, -3.0],
        "saving_2027": [0.0, 0.0, 0.0, 3.0], "required": [False, False, True, False]})
    options = pd.DataFrame([
        option_row("A1", "enclosure", "650421", False, 4, 2.0),
        option_row("X-low", "mine_remediation", "650421", False, 3, 0.06),
        option_row("X-low", "mine_remediation", "650421", False, 0, np.nan),
        option_row("X-water", "riparian_restoration", "650421", True, 2, 1.5),
        option_row("X-wet", "wetland_replenishment", "650402", True, 1, 1.0),
        {**option_row("X-locked", "enclosure", "650421", False, 0, np.nan), "locked_out": 2}])
    accounts = pd.DataFrame({"year": [2027, 2027], "account": ["650421", "650402"],
                             "allocation": [0.0, 100.0], "saving_credited": [0.0, 0.0],
                             "moved_in": [0.0, 0.0], "water_use": [0.0, 40.0],
                             "water_available": [0.0, 100.0]})
    plan = dataclasses.replace(
        small_run.plan, chosen=chosen, project_options=options, water_accounts=accounts,
        years=pd.DataFrame({"year": [2027]}), shadow_prices={},
        result=dataclasses.replace(small_run.plan.result, objective=None, gap=0.001))
    projects = pd.DataFrame([project("A1", "enclosure"),
                             project("X-low", "mine_remediation"),
                             project("X-water", "riparian_restoration"),
                             project("X-wet", "wetland_replenishment"),
                             project("X-locked", "enclosure")], columns=PROJECT_FIELDS)
    return plan, dataclasses.replace(region, projects=projects)


def test_the_marginal_work_is_the_least_return_among_works_chosen_for_it(hand_plan) -> None:
    plan, _ = hand_plan
    # value / whole cost (cost in the horizon + after it): 2.0 and 0.5; the required work
    # and the water-saving work are funded for other reasons
    assert marginal_ratio(plan.chosen) == pytest.approx(0.5)


def test_outbid_project_reports_its_share_of_the_marginal_work(hand_plan) -> None:
    plan, region = hand_plan
    table = projects_without_works(plan, region).set_index("project_id")
    assert "A1" not in table.index  # funded
    low = table.loc["X-low"]
    assert low["options"] == 3 and low["area_km2"] == pytest.approx(15.0)
    assert low["share_of_marginal"] == pytest.approx(0.06 / 0.5)  # 12 %
    assert low["reason"] == "效益偏低 lower return"
    assert "12%" in low["why_zh"] and "returns 12% of what the marginal funded work" \
        in low["why_en"]
    assert low["water_options"] == 0


def test_project_whose_options_need_water_where_there_is_none_says_so(hand_plan) -> None:
    plan, region = hand_plan
    table = projects_without_works(plan, region).set_index("project_id")
    water = table.loc["X-water"]
    assert water["reason"] == "缺水 no water"
    assert water["water_options"] == 2 and water["share_of_marginal"] == pytest.approx(3.0)
    assert "鄯善县" in water["why_zh"] and "Shanshan County" in water["why_en"]
    assert "water-saving irrigation in the same county" in water["why_en"]
    # in 高昌区 water is allocated: not 'no water'; nothing else is known to stop it
    wet = table.loc["X-wet"]
    assert wet["water_options"] == 0 and wet["reason"] == "其他约束 other limits"


def test_a_project_whose_best_options_lack_water_says_water_not_return(hand_plan) -> None:
    """Stranger 3 (F3): P2-9 read "效益偏低 lower return" beside its best option at 736 % of
    the marginal work's; that option needed new water in 托克逊县, which has none, and only
    its one low-return option did not. The water stops it, so the reason says water."""
    plan, region = hand_plan
    options = pd.concat([plan.project_options, pd.DataFrame([
        option_row("X-mixed", "riparian_restoration", "650421", True, 2, 1.5),
        option_row("X-mixed", "mine_remediation", "650421", False, 1, 0.06)])])
    projects = pd.concat([region.projects,
                          pd.DataFrame([project("X-mixed", "riparian_restoration|"
                                                "mine_remediation")])])
    table = projects_without_works(
        dataclasses.replace(plan, project_options=options),
        dataclasses.replace(region, projects=projects)).set_index("project_id")
    row = table.loc["X-mixed"]
    assert row["reason"] == "缺水 no water"
    assert row["share_of_marginal"] == pytest.approx(3.0) and row["water_options"] == 2
    assert row["why_zh"].endswith("其余选项每万元效益低于边际入选措施。")
    assert "鄯善县" in row["why_zh"] and "the others return less per 万元" in row["why_en"]
    assert table.loc["X-low", "reason"] == "效益偏低 lower return"  # its best is below: return


def test_project_whose_options_a_lock_removes_says_so(hand_plan) -> None:
    plan, region = hand_plan
    row = projects_without_works(plan, region).set_index("project_id").loc["X-locked"]
    assert row["options"] == 0 and row["reason"] == "无可行选项 no feasible option"
    assert "locked_out rules remove all 2 of its options" in row["why_en"]


def test_project_without_options_names_the_condition(small_run, small_region) -> None:
    """The small box (all of it 鄯善县) has no wetland; a rule over every parcel forbids
    enclosure; sand barriers in zone 3 are filed under P3-1, listed first at equal
    specificity (region/projects.py)."""
    region = small_region[0]
    extra = pd.DataFrame([project("X-none", "wetland_replenishment", "2", "wetland"),
                          project("X-rule", "enclosure", "3", "sand_dune"),
                          project("X-taken", "sand_barrier", "3")], columns=PROJECT_FIELDS)
    region = dataclasses.replace(region, projects=pd.concat(
        [region.projects, extra], ignore_index=True).fillna(""))
    rule = SpatialRule(name="测试规则 test rule", layer="county", allow=["sand_barrier"])
    plan = small_run.plan
    plan = dataclasses.replace(plan, scenario=plan.scenario.model_copy(
        update={"spatial_rules": [rule]}))
    table = projects_without_works(plan, region).set_index("project_id")
    for pid in ("X-none", "X-rule", "X-taken"):
        assert table.loc[pid, "options"] == 0
        assert table.loc[pid, "reason"] == "无可行选项 no feasible option"
    assert "no parcel meets the project's own rule (zone 2; land cover wetland / lake)" \
        in table.loc["X-none", "why_en"]
    assert "测试规则 test rule" in table.loc["X-rule", "why_zh"]
    assert "forbids enclosure" in table.loc["X-rule", "why_en"]
    assert "filed under P3-1" in table.loc["X-taken", "why_en"]


def test_option_summary_and_shares_match_a_brute_force_on_the_small_run(small_run,
                                                                        small_region) -> None:
    """Per project: the options' count and the best value per 万元 over every (pair, start
    year), by a loop over the problem's options; the table's share against the marginal
    work computed from plan.csv's columns."""
    problem, plan, region = small_run.problem, small_run.plan, small_region[0]
    frame = problem.option_frame()
    best: dict[str, float] = {}
    for i in range(problem.n_options):
        if problem.locked_out[i]:
            continue
        pid = frame["project_id"].iat[i]
        ratio = frame["value"].iat[i] / frame["cost_wan"].iat[i]
        best[pid] = max(best.get(pid, -np.inf), ratio)
    summary = plan.project_options
    assert summary.groupby("project_id")["best_per_wan"].max().to_dict() == pytest.approx(
        {k: v for k, v in best.items() if k})
    pairs = problem.pairs[problem.pairs["project_id"] != ""]
    assert summary.groupby("project_id")["options"].sum().to_dict() == \
        pairs.groupby("project_id").size().to_dict()
    chosen = plan.chosen
    cost = chosen.filter(regex=r"^cost_\d{4}$").sum(axis=1) + chosen["cost_after_horizon"]
    frees = chosen.filter(regex=r"^saving_\d{4}$").sum(axis=1) > 0
    by_return = ~chosen["required"] & ~frees
    marginal = (chosen.loc[by_return, "value"] / cost[by_return]).min()
    table = projects_without_works(plan, region).set_index("project_id")
    takes = region.projects[region.projects["level"].isin(FILED_UNDER)
                            & (region.projects["actions"].map(split_list).map(len) > 0)]
    assert set(table.index) == set(takes["project_id"]) - set(chosen["project_id"])
    assert len(table) > 0
    for pid, row in table.iterrows():
        if row["options"]:
            assert row["share_of_marginal"] == pytest.approx(best[pid] / marginal)


DRY_WATER = """[water]
saving_credit = 0.0         # nothing saved is credited: 鄯善县 has no new water at all
[water.per_county.650421]   # as the baseline: no allocation
default = 0.0
"""


def dry_scenario(small: str) -> str:
    """The small scenario with no new water in 鄯善县 and no corridors."""
    text = small[:small.index("[water]")] + DRY_WATER + small[small.index("[weights]"):]
    return (text.replace('name = "small"', 'name = "small_dry"')
            .replace("enabled = true\nmax_corridors = 4", "enabled = false"))


def test_run_writes_the_table_in_the_workbook_report_and_csv(tmp_path, monkeypatch,
                                                             small_scenario_text) -> None:
    """`solve.py run` on the small box (all of it 鄯善县) with no new water: the table is
    in the 汇总 sheet right after the by-project table, in report.html and in
    projects_without_works.csv, one row per project that takes works and has none; it is
    computed once for the three."""
    import geopandas as gpd
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    import outputs.bundle
    import outputs.priorities
    import outputs.report
    from region.io import TURPAN_DIR
    from solve import app

    calls = []

    def once(*args):
        calls.append(1)
        return projects_without_works(*args)

    def again(*_):
        raise AssertionError("projects_without_works computed again")

    monkeypatch.setattr(outputs.bundle, "projects_without_works", once)
    monkeypatch.setattr(outputs.priorities, "projects_without_works", again)
    monkeypatch.setattr(outputs.report, "projects_without_works", again)

    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.5, 43.0))
    parcels.to_file(tmp_path / "small.gpkg", driver="GPKG")
    scenario = dry_scenario(small_scenario_text)
    assert "enabled = false" in scenario and "default = 400" not in scenario  # dry, no corridors
    (tmp_path / "small.toml").write_text(scenario, encoding="utf-8")
    out = tmp_path / "result"
    result = CliRunner().invoke(app, ["run", "--parcels", str(tmp_path / "small.gpkg"),
                                      "--scenario", str(tmp_path / "small.toml"),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    plan = pd.read_csv(out / "plan.csv", dtype={"project_id": str})
    table = pd.read_csv(out / "projects_without_works.csv", encoding="utf-8-sig")
    projects = pd.read_csv(TURPAN_DIR / "projects.csv", dtype=str).fillna("")
    takes = projects[projects["level"].isin(FILED_UNDER)
                     & (projects["actions"].map(split_list).map(len) > 0)]
    ids = table["重点项目 Plan project"].str.split(" ").str[0]
    assert set(ids) == set(takes["project_id"]) - set(plan["project_id"].dropna())
    assert table["原因说明（英文） Why, in English"].str.len().gt(20).all()
    assert table["原因说明 Why, in Chinese"].str.len().gt(10).all()
    # shelterbelts and karez works need water, which 鄯善县 does not have
    for pid in ("P2-1", "P2-11"):
        row = table[ids == pid].iloc[0]
        assert row["原因 Reason"] == "缺水 no water"
        assert row["无水县的需水选项 Options needing water where none"] \
            == row["可行选项 Feasible options"] > 0
        assert "鄯善县" in row["原因说明 Why, in Chinese"]
    # no parcel of the small box lies in 高昌区
    gaochang = table[ids == "P2-5"].iloc[0]
    assert gaochang["可行选项 Feasible options"] == 0
    assert "Gaochang District" in gaochang["原因说明（英文） Why, in English"]
    sheet = load_workbook(out / "priorities.xlsx")["汇总 Summary"]
    captions = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    by_project = captions.index("按重点工程/项目 By plan project")
    here = captions.index("无入选措施的重点项目及原因 Plan projects without works, and why")
    assert here > by_project
    between = captions[by_project + 1:here]
    assert not any(c.startswith("按") for c in between)  # the next table, no other between
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Plan projects without works, and why" in report
    assert all(pid in report for pid in ids)


def with_capacity(hand_plan, capacity: float, used_km2: float, sourced: bool = True):
    """The hand-built plan with a yearly capacity on sand barriers, ``used_km2`` of it taken
    in 2027 (the only year) by a funded work returning 1.0 per 万元, and project X-cap whose
    best sand-barrier option (5 km²) returns 0.8 per 万元, above the marginal work's 0.5.
    ``sourced``: the catalogue's source gives that capacity (else it still gives the shipped
    67.3 km²/yr, as when a planner edits the capacity alone)."""
    plan, region = hand_plan
    work = pd.DataFrame({
        "project_id": ["A1"], "action": ["sand_barrier"], "county": ["650421"],
        "start_year": [2027], "area_km2": [used_km2], "value": [1.0], "cost_2027": [1.0],
        "cost_after_horizon": [0.0], "water_2027": [0.0], "saving_2027": [0.0],
        "required": [False]})
    options = pd.concat([plan.project_options, pd.DataFrame(
        [option_row("X-cap", "sand_barrier", "650421", False, 2, 0.8)])], ignore_index=True)
    actions = region.actions.copy()
    actions["capacity_km2_per_yr"] = actions["capacity_km2_per_yr"].astype(float)
    actions.loc[actions["code"] == "sand_barrier", "capacity_km2_per_yr"] = capacity
    if sourced:
        actions.loc[actions["code"] == "sand_barrier", "capacity_source_km2_per_yr"] = capacity
    projects = pd.concat([region.projects, pd.DataFrame([project("X-cap", "sand_barrier")])],
                         ignore_index=True)
    plan = dataclasses.replace(plan, chosen=pd.concat([plan.chosen, work], ignore_index=True),
                               project_options=options)
    return plan, dataclasses.replace(region, actions=actions, projects=projects)


def test_capacity_used_up_in_every_year_is_said_capacity(hand_plan) -> None:
    # 8 of 10 km² used: 2 km² left, less than the best option's 5 km²
    plan, region = with_capacity(hand_plan, capacity=10.0, used_km2=8.0)
    row = projects_without_works(plan, region).set_index("project_id").loc["X-cap"]
    assert row["reason"] == "实施能力已满 capacity full"
    # review: "(8.0-8.0 / 10 km² a year)" said one figure as a range, and what it measured
    # only by a slash
    # review finding 6: the capacity is said with its grade and source (the catalogue's
    # capacity_source_*): here barriers' pace, derived from plan line 12
    assert "(8.0 km² started a year of 10 km², derived: plan line 12's 50.51万亩 of " \
           "sand-land treatment" in row["why_en"]
    assert "（每年实施8.0 km²，能力10 km²，推算：规划第12行沙化土地治理50.51万亩按5年计；" \
           in row["why_zh"]
    assert "8.0-8.0" not in row["why_en"] + row["why_zh"]
    assert "returns 80% of the least of them" in row["why_en"]  # 0.8 against 1.0


def test_capacity_with_room_left_is_not_said_full(hand_plan) -> None:
    # 1 of 1,000 km² used: the best option's 5 km² fits; the funded sand barrier returns
    # more per 万元 than X-cap's best, which is not a reason while there is room
    plan, region = with_capacity(hand_plan, capacity=1000.0, used_km2=1.0)
    row = projects_without_works(plan, region).set_index("project_id").loc["X-cap"]
    assert row["reason"] == "其他约束 other limits"
    assert "capacity full" not in row["why_en"]
    assert "yearly capacity: sand-fixing barriers (straw checkerboard) 1.0 km² started a year of " \
           "1000 km²" in row["why_en"] and "年实施能力：固沙沙障每年实施1.0 km²，能力1000 km²" \
           in row["why_zh"]


def test_water_allocated_but_all_used_is_said_water_used_up(hand_plan) -> None:
    """高昌区 has 100 万m³ and its water binds in 2027 (a shadow price on its account):
    X-wet, which needs water there, is told the water is used up."""
    plan, region = hand_plan
    prices = {2027: {"budget_per_wan": 0.0,
                     "water_per_wan_m3_by_county": {"650402": 2.0, "650421": 0.0}}}
    plan = dataclasses.replace(plan, shadow_prices=prices)
    table = projects_without_works(plan, region).set_index("project_id")
    wet = table.loc["X-wet"]
    assert wet["reason"] == "水量已用尽 water used up"
    assert "高昌区" in wet["why_zh"] and "water binds in 1 of 1 years" in wet["why_en"]
    # review: "(the plan's other works use all of it)" where the baseline's binding years
    # leave 4.8-191.6 万m³: a binding limit may leave what fits no whole work
    assert "use all of it" not in wet["why_en"] and "用尽" not in wet["why_zh"]
    assert "what is left fits no further whole work, or another limit stops one" \
        in wet["why_en"] and "余量不足以再开展一项完整工程或受其他限制" in wet["why_zh"]
    # no shadow price on 鄯善县's (empty) account: X-low is still outbid on return
    assert table.loc["X-low", "reason"] == "效益偏低 lower return"


def test_places_are_said_in_words_and_a_bureaus_own_as_written() -> None:
    counties = {"650421": ("鄯善县", "Shanshan County")}
    assert place_words("dist_oasis_km<=10", counties) == ("距绿洲10公里以内",
                                                          "within 10 km of the oasis")
    zh, en = place_words("dist_river_km<=2|near(aydingkol_lake)<=30&land_cover=="
                         "desert_shrubland&county!=650421", counties)
    assert zh == "距河道2公里以内或（距艾丁湖30公里以内且地类为荒漠灌丛且不在鄯善县）"
    assert en == ("within 2 km of a river or (within 30 km of Lake Aydingkol and on desert "
                  "shrubland and outside Shanshan County)")
    assert place_words("township==夏乡|township==伊拉湖镇", counties)[0] == "位于夏乡、伊拉湖镇"
    assert place_words("slope_deg<=5", counties) == ("slope_deg<=5", "slope_deg<=5")
    # the catalogue's protected areas (enclosure out of the Lop Nur reserve, wetland
    # enclosure out of every protected area), by the area's Chinese and English names
    assert place_words("protected_area!=Lop Nur wild camel national reserve 罗布泊野骆驼国家级"
                       "自然保护区", counties) == ("不在罗布泊野骆驼国家级自然保护区内",
                                          "outside Lop Nur wild camel national reserve")
    assert place_words("protected_area==''", counties) == ("不在保护地内",
                                                          "outside every protected area")


def test_no_option_causes_carry_no_internal_codes(small_run, small_region) -> None:
    """A project's own place and an action with nothing to treat (every parcel made a mine
    site with no mine pending) are said in words, not as the catalogue's codes."""
    region = small_region[0]
    region = dataclasses.replace(region, parcels=region.parcels.assign(
        land_cover="mine", mine_status=""))
    own = pd.Series({**project("X-p", "enclosure"), "places": "degradation>=9"})
    zh, en = no_option_cause(own, region, small_run.plan)
    assert "位置：退化等级≥9" in zh and "place: degradation level 9 or more" in en
    zh, en = no_option_cause(pd.Series(project("X-m", "mine_remediation")), region,
                             small_run.plan)
    assert "无待修复矿山的地块可供矿山生态修复" in zh
    assert "no parcel with a mine awaiting remediation for" in en and "by mine" not in en


def test_no_water_sentence_follows_the_scope_of_savings(hand_plan) -> None:
    """With saving_scope = "city" water saved in any county may serve 鄯善县: the sentence
    must not send the planner to irrigation in the same county."""
    plan, region = hand_plan
    water = plan.scenario.water.model_copy(update={"saving_scope": "city"})
    plan = dataclasses.replace(plan, scenario=plan.scenario.model_copy(update={"water": water}))
    row = projects_without_works(plan, region).set_index("project_id").loc["X-water"]
    assert row["reason"] == "缺水 no water"
    assert "water-saving irrigation anywhere in the city must free it first" in row["why_en"]
    assert "全市任一县" in row["why_zh"]
    assert "same county" not in row["why_en"] and "本县" not in row["why_zh"]


@pytest.mark.parametrize("scope", ["county", "city"])
def test_water_saving_project_sentence_follows_the_scope_of_savings(hand_plan, scope) -> None:
    """A water-saving project outbid on return, in a plan that chooses no water-using work:
    the water it would free serves its county, or any county with city scope."""
    plan, region = hand_plan
    water = plan.scenario.water.model_copy(update={"saving_scope": scope})
    options = pd.concat([plan.project_options, pd.DataFrame(
        [option_row("X-save", "water_saving_irrigation", "650421", False, 1, 0.1)])],
        ignore_index=True)
    plan = dataclasses.replace(plan, project_options=options, scenario=plan.scenario.model_copy(
        update={"water": water}))
    region = dataclasses.replace(region, projects=pd.concat(
        [region.projects, pd.DataFrame([project("X-save", "water_saving_irrigation")])],
        ignore_index=True))
    row = projects_without_works(plan, region).set_index("project_id").loc["X-save"]
    assert row["reason"] == "效益偏低 lower return"
    if scope == "city":
        assert "anywhere in the city, and the plan chooses none." in row["why_en"]
        assert "本县" not in row["why_zh"]
    else:
        assert "in the same county, and the plan chooses none in Shanshan County" \
            in row["why_en"]


@pytest.mark.parametrize(("scope", "saved_in", "dry"), [
    ("county", "650402", {"650421"}),  # 高昌区's saving serves 高昌区 only
    ("city", "650402", set()),         # ... or, with city scope, 鄯善县 too
    ("county", "650421", set()),       # 鄯善县's own saving
    ("city", None, {"650421"}),        # nothing saved anywhere in the city
])
def test_a_county_has_no_water_by_the_scope_of_savings(hand_plan, scope, saved_in,
                                                       dry) -> None:
    """鄯善县 (650421) has no allocation: it has water for new works only from credited
    savings — its own, or with saving_scope = "city" any county's."""
    plan, region = hand_plan
    accounts = plan.water_accounts.copy()
    accounts.loc[accounts["account"] == saved_in, "saving_credited"] = 5.0
    water = plan.scenario.water.model_copy(update={"saving_scope": scope})
    plan = dataclasses.replace(plan, water_accounts=accounts,
                               scenario=plan.scenario.model_copy(update={"water": water}))
    assert dry_accounts(plan) == dry
    row = projects_without_works(plan, region).set_index("project_id").loc["X-water"]
    assert row["water_options"] == (2 if dry else 0)
    assert (row["reason"] == "缺水 no water") == bool(dry)


def test_return_per_wan_is_the_options_own_coefficient_and_the_note_says_so(
        hand_plan) -> None:
    """With a corridor bonus of 1.0 in the objective, the plan's benefit is 2.511 + 1.0; a
    best option's value per 万元 stays its coefficient ÷ its cost (no bonus, no cost of
    the water saving it would need first): X-water's 1.5 against the marginal work's 0.5 in
    鄯善县, which has no water; the sheet's and report's notes say what it leaves out."""
    from openpyxl import Workbook

    from outputs.unfunded import write_unfunded_sheet_table
    from outputs.workbook import Column

    plan, region = hand_plan
    plan = dataclasses.replace(plan, result=dataclasses.replace(plan.result, objective=3.511))
    table = projects_without_works(plan, region)
    water = table.set_index("project_id").loc["X-water"]
    assert water["reason"] == "缺水 no water"
    assert water["share_of_marginal"] == pytest.approx(1.5 / 0.5)
    assert water["best_pct_per_1000_wan"] == pytest.approx(1.5 * 1000 * 100 / 3.511)
    assert "corridor bonus" in RETURN_NOTE and "water-saving" in RETURN_NOTE
    assert RETURN_NOTE in "".join(unfunded_html(table, plan)).replace("&#x27;", "'")
    ws = Workbook().active
    write_unfunded_sheet_table(ws, 1, table, plan, [Column("key", "", "", width=10)] * 6)
    assert RETURN_NOTE in [c.value for c in ws["A"]]


def test_the_csv_writes_figures_as_a_reader_needs_them(hand_plan, tmp_path) -> None:
    """Areas to 0.1 km², shares of the marginal work to 0.1 %, the best option's % of the
    plan's benefit per 1,000万元 to 3 significant figures; the report's table says the
    same shares."""
    plan, region = hand_plan
    options = plan.project_options.copy()
    options.loc[options["project_id"] == "X-low", "best_per_wan"] = 0.0123456
    options.loc[options["project_id"] == "X-low", "area_km2"] = 12.3456
    plan = dataclasses.replace(plan, project_options=options)
    table = projects_without_works(plan, region)
    write_unfunded_csv(table, tmp_path / "table.csv")
    csv = pd.read_csv(tmp_path / "table.csv", encoding="utf-8-sig", dtype=str)
    low = csv[csv["重点项目 Plan project"].str.startswith("X-low")].iloc[0]
    assert low["可行面积 km² Feasible area km²"] == "12.3"
    assert low["占边际入选措施(%) % of the marginal funded work"] == "2.5"  # 0.0123456 / 0.5
    # 0.0123456 × 1000 × 100 / 2.511 (the plan's benefit: the works' values) = 491.66…
    assert low["最佳选项每千万元效益(%) Best option, % of plan benefit per 1,000万元"] == "492"
    figures = csv.stack()
    assert not figures.str.fullmatch(r"-?\d+\.\d{4,}").any()  # no long decimals anywhere
    assert "<td class='text'>2.5%</td>" in "".join(unfunded_html(table, plan))


@pytest.mark.parametrize(("source", "zh", "en"), [
    (("估算：无出处", "estimate: no source found"), "能力10 km²，估算：无出处）",
     "a year of 10 km², estimate: no source found)"),
    (("", ""), "能力10 km²，来源未注明）", "a year of 10 km², source not stated)")])
def test_a_full_capacity_says_whether_it_is_an_estimate(hand_plan, source, zh, en) -> None:
    """Review finding 6: "capacity full" read as a fact while forest repair's 20 km²/yr
    (and grassland recovery's, watershed control's) is an unsourced estimate: the reason says
    so; a catalogue that gives no source says that."""
    plan, region = with_capacity(hand_plan, capacity=10.0, used_km2=8.0)
    actions = region.actions.assign(capacity_source_zh=source[0], capacity_source_en=source[1])
    row = projects_without_works(plan, dataclasses.replace(region, actions=actions)
                                 ).set_index("project_id").loc["X-cap"]
    assert row["reason"] == "实施能力已满 capacity full"
    assert zh in row["why_zh"] and en in row["why_en"]


def test_a_full_capacity_the_user_set_is_not_given_the_sources_support(hand_plan) -> None:
    """A planner's catalogue with sand barriers' capacity edited to 10 km²/yr, the source
    columns as shipped (67.3 km²/yr from plan line 12): "capacity full" says 10 km² is the
    user's figure, names the sourced 67.3 beside it with its source, and never prints the
    source after the user's figure."""
    plan, region = with_capacity(hand_plan, capacity=10.0, used_km2=8.0, sourced=False)
    row = projects_without_works(plan, region).set_index("project_id").loc["X-cap"]
    assert row["reason"] == "实施能力已满 capacity full"
    assert "（每年实施8.0 km²，能力10 km²，用户设定，来源数值67.3 km²/年（推算：规划第12行" \
           "沙化土地治理50.51万亩按5年计" in row["why_zh"]
    assert "(8.0 km² started a year of 10 km², user's figure; the source's figure is 67.3 " \
           "km²/yr (derived: plan line 12's 50.51万亩 of sand-land treatment" in row["why_en"]
    assert "能力10 km²，推算" not in row["why_zh"] and "of 10 km², derived" not in row["why_en"]


def test_the_shipped_capacities_carry_data_readmes_grades(small_region) -> None:
    """Every shipped capacity is graded as data/README.md grades it: D derived, E estimate."""
    from outputs.project_limits import capacity_grades

    derived, estimate = ("推算", "derived"), ("估算", "estimate")
    assert capacity_grades(small_region[0]) == {
        "enclosure": derived, "afforestation": derived, "sand_barrier": derived,
        "water_saving_irrigation": derived, "karez_protection": derived,
        "grassland_recovery": estimate, "forest_repair": estimate,
        "watershed_control": estimate}
    from outputs.data_note import readme_text

    readme = readme_text(small_region[0])
    assert "- 退化林修复 degraded-forest repair and tending：20 km²/年，估算：无出处；20 km²/yr, " \
           "estimate: no source found" in readme
    assert "28.7 km²/yr, derived: plan line 12's 21.50万亩 of enclosure" in readme


def test_aydingkols_delivery_is_said_an_estimate_with_its_basis(small_run) -> None:
    """Review finding 7: 4,260 万m³ a year booked to 高昌区 read as a fact and P2-8 as "water
    used up". The note under the water tables gives the figure, the account and the
    scenario's basis (or says there is none); a lake project stopped by water says that the
    delivery goes on outside the plan's works, another project does not."""
    from outputs.limits import lake_note
    from outputs.project_causes import _with_lake
    from region.io import DEFAULT_SCENARIO
    from region.scenario_toml import load_scenario

    shipped = load_scenario(DEFAULT_SCENARIO)
    plan = dataclasses.replace(small_run.plan, scenario=shipped)
    note = lake_note(plan, {"650402": ("高昌区", "Gaochang District")})
    assert "艾丁湖生态输水 4,260 万m³/年计入各年用水（高昌区水账）" in note
    assert "也不是规划的输水目标" in note and "nor a delivery target of the plan" in note
    assert "情景估算 scenario estimate：白杨河向艾丁湖及骆驼刺草场" in note
    assert "a year's delivery is our reading" in note
    lake = shipped.water.aydingkol.model_copy(update={"basis": ""})
    bare = shipped.model_copy(update={"water": shipped.water.model_copy(
        update={"aydingkol": lake})})
    assert "来源未注明 / source not given" in lake_note(dataclasses.replace(plan, scenario=bare))
    why = ("…水量在9年中有6年为紧约束。", "… where water binds in 6 of 9 years.")
    p28 = pd.Series({"actions": "wetland_replenishment|riparian_restoration"})
    zh, en = _with_lake(plan, p28, "water_used", why)
    assert zh.startswith(why[0]) and "在本方案工程之外照常进行" in zh and "4,260万m³" in zh
    assert "goes on outside this plan's works" in en
    assert _with_lake(plan, pd.Series({"actions": "afforestation"}), "water_used", why) == why
    assert _with_lake(plan, p28, "return", why) == why
