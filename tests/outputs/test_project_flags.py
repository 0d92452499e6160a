"""部署标注: the minimum-deployment flag (a target needs the work of a plan project) and the
mark of a work outside the zone the plan puts its project in, named; the report's
per-project table and its line on the support projects (review findings 5, 6, 14b)."""

import pandas as pd

from outputs.project_flags import (
    deployment_flags,
    minimum_deployment,
    only_minimum_line,
    outside_plan_zone,
    project_table,
)
from outputs.unfunded import NONE_LEFT, support_line
from region.scenario_requirements import Target

#: Zone 2 as zones.csv names it, and its mark (the plan files P2-12 under zone 2's work).
ZONE_2 = ("绿洲特色农业、旅游与艾丁湖湿地保护生态修复区",
          "Oasis agriculture, tourism and Aydingkol wetland")
OUTSIDE_2 = f"跨分区（规划为第2区 {ZONE_2[0]}） outside the plan's zone (zone 2, {ZONE_2[1]})"


def works(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    """Chosen works (project, its key work, zone, start year), 1 km², 10 万元 each."""
    frame = pd.DataFrame(rows, columns=["project_id", "work_id", "zone", "start_year"])
    return frame.assign(parcel_id=range(len(frame)), action="enclosure", county="650421",
                        land_cover="gobi", umbrella_id="", area_km2=1.0, total_cost_wan=10.0)


def deploy(project: str, minimum: int, by_year: int = 2035) -> Target:
    return Target(name=f"{project} ≥ {minimum}", measure="count", minimum=minimum,
                  by_year=by_year, project=project)


def test_a_work_is_a_minimum_deployment_when_its_project_target_needs_it(small_region) -> None:
    """Flagged: the only work of a project asked for at least one (P2-2), both works of one
    asked for two (P2-3), a key work's target counting its projects' works (W1: P1-1's one
    work); not flagged: one of two works of a project asked for one (P2-4: either alone
    meets it), a project with no target (P3-1), a work started after the target's year
    (P2-5's 2035 work beside its 2030 one, target by 2030)."""
    frame = works([("P2-2", "W2A", 2, 2035),
                   ("P2-3", "W2A", 2, 2030), ("P2-3", "W2A", 2, 2031),
                   ("P2-4", "W2A", 2, 2030), ("P2-4", "W2A", 2, 2035),
                   ("P3-1", "W3", 3, 2027),
                   ("P1-1", "W1", 1, 2033),
                   ("P2-5", "W2B", 2, 2030), ("P2-5", "W2B", 2, 2035)])
    scenario = small_region[1].model_copy(update={"targets": [
        deploy("P2-2", 1), deploy("P2-3", 2), deploy("P2-4", 1), deploy("W1", 1),
        deploy("P2-5", 1, by_year=2030)]})
    assert minimum_deployment(frame, scenario).tolist() == [
        True, True, True, False, False, False, True, True, False]
    assert not minimum_deployment(frame, None).any()
    no_targets = scenario.model_copy(update={"targets": []})
    assert not minimum_deployment(frame, no_targets).any()


def test_a_work_outside_the_zone_the_plan_puts_its_project_in_is_marked(region) -> None:
    """The plan's zone of a project is its key work's (projects.csv ``zones`` of the
    ``parent``, plan lines 98-102): P2-12 and P2-11 (zone 2's 重点河湖湿地 work, l.99) in
    zone 3 or 1 are marked, in zone 2 not; P3-1 in zone 3 and W4 (a work, its own zone 4)
    not; the mine programme W0 (any zone) and a work under no project never."""
    frame = works([("P2-12", "W2C", 3, 2030), ("P2-12", "W2C", 2, 2030),
                   ("P2-11", "W2C", 1, 2030), ("P3-1", "W3", 3, 2030),
                   ("W4", "", 4, 2030), ("W0", "", 5, 2030), ("", "", 3, 2030)])
    assert outside_plan_zone(frame, region) == [["2"], None, ["2"], None, None, None, None]
    as_floats = frame.assign(zone=frame["zone"].astype(float))  # a GIS's number column
    assert outside_plan_zone(as_floats, region) == outside_plan_zone(frame, region)
    flags = deployment_flags(frame, None, region)
    assert flags.iat[0] == OUTSIDE_2  # the zone by zones.csv's names beside its number
    assert (flags.iloc[[1, 3, 4, 5, 6]] == "").all()


def test_both_flags_join_in_one_cell(small_region, region) -> None:
    frame = works([("P2-12", "W2C", 3, 2035)])
    scenario = small_region[1].model_copy(update={"targets": [deploy("P2-12", 1)]})
    assert deployment_flags(frame, scenario, region).tolist() == [
        f"最低部署 minimum deployment；{OUTSIDE_2}"]


def test_a_zone_without_a_name_is_said_by_its_number() -> None:
    from outputs.project_flags import outside_zone_mark

    assert outside_zone_mark(["2", "3"], {2: ("二区", "Zone two")}) == (
        "跨分区（规划为第2区 二区；第3区）", "outside the plan's zone (zone 2, Zone two; zone 3)")


def test_works_another_target_needs_are_minimum_deployments_of_their_project(
        small_region) -> None:
    """A target on an action, not a project ("all 10 pending mines by 2030" on W0's mines):
    the works it needs were unmarked (a stranger's finding). Three works, a target of 3:
    every one is needed, and the two of W0 are marked, the one under no project not (it has
    no deployment to mark); a target of 1, which each meets alone, needs none."""
    frame = works([("W0", "", 5, 2028), ("W0", "", 5, 2029), ("", "", 5, 2030)])
    def on_action(minimum: int) -> Target:
        return Target(name=f"enclosures ≥ {minimum}", measure="count", minimum=minimum,
                      by_year=2030, action="enclosure")

    scenario = small_region[1].model_copy(update={"targets": [on_action(3)]})
    assert minimum_deployment(frame, scenario).tolist() == [True, True, False]
    loose = scenario.model_copy(update={"targets": [on_action(1)]})
    assert not minimum_deployment(frame, loose).any()
    assert not minimum_deployment(frame.drop(columns="project_id"), scenario).any()


def test_the_project_table_says_what_each_project_gets(small_region, region) -> None:
    """Per project that takes works: works, zones beside the plan's, 亩, 万元, start years
    and its minimum deployments; a project without works shows none; work rows with
    projects below them (W1) and support projects (S1-S3) have no row."""
    frame = works([("P2-12", "W2C", 3, 2035), ("P3-1", "W3", 3, 2027),
                   ("P3-1", "W3", 3, 2030), ("P3-1", "W3", 3, 2027)])
    scenario = small_region[1].model_copy(update={"targets": [deploy("P2-12", 1)]})
    frame["deployment_flag"] = deployment_flags(frame, scenario, region)
    table = project_table(frame, region)
    by_id = table.set_index(table["project"].str.split(" ").str[0])
    assert by_id.loc["P2-12", ["plan_zone", "zones", "works", "years", "minimum"]].tolist() \
        == ["2", "3", 1, "2035", 1]
    assert by_id.loc["P3-1", ["plan_zone", "works", "area_mu", "cost_wan", "years",
                              "minimum"]].tolist() == ["3", 3, 4500.0, 30.0, "2027, 2030", 0]
    assert by_id.loc["P2-8", ["works", "zones", "years"]].tolist() == [0, "—", "—"]
    assert not {"W1", "W2C", "W6", "S1", "S2", "S3"} & set(by_id.index)
    assert {"W0", "W4", "W5", "P1-1"} <= set(by_id.index)
    [line] = only_minimum_line(table)  # P2-12 only: P3-1's works are not required
    assert line.startswith("1 个项目的全部措施均为最低部署") and line.endswith(": P2-12.")
    assert only_minimum_line(table.assign(minimum=0)) == []


def test_the_report_names_the_support_projects_beside_every_project_has_works(region) -> None:
    """Review finding 14b: '每个重点项目均有入选措施' claimed more than the English; both now
    say parcel works, and the support projects of plan line 104 are named, in both languages
    alike."""
    assert "承担地块措施" in NONE_LEFT and "takes parcel works" in NONE_LEFT
    [line] = support_line(region)
    zh, en = line.split("。 ", 1)
    for code in ("S1", "S2", "S3"):
        assert code in zh and code in en
    assert "3项支撑项目" in zh and "第104行" in zh
    assert "3 support projects" in en and "l.104" in en
    assert support_line(None) == []


def test_the_written_lists_and_report_carry_the_flags_and_the_table(small_run, region) -> None:
    """The small run's priorities.csv has the 部署标注 column, a new start marked outside
    the plan's zone exactly where its project's plan zone differs from its own (none in this
    box: every work lies in its project's zone, so no mark is given where none is due), and
    its report the per-project table and the support projects' line."""
    from outputs.project_flags import CAPTION, plan_zones

    folder = small_run.out_dir
    lists = pd.read_csv(folder / "priorities.csv", encoding="utf-8-sig", dtype=str)
    new = lists[lists["类型 Entry"].str.startswith("新开工")]
    flag = new["部署标注 Deployment flags"].fillna("")
    plan = pd.read_csv(folder / "plan.csv", dtype={"project_id": str}).set_index(
        ["parcel_id", "action"])
    zones = plan_zones(region)
    assert len(new) == len(plan)
    for parcel, label, text in zip(new["地块编号 Parcel ID"].astype(int),
                                   new["措施 Action"], flag, strict=True):
        row = plan.xs(parcel, level="parcel_id").iloc[0]
        outside = str(row["zone"]) not in zones.get(str(row["project_id"] or ""),
                                                    [str(row["zone"])])
        assert ("跨分区" in text) == outside, (parcel, label, text)
    assert plan["project_id"].isin(list(zones)).any()  # works whose plan zone is checked
    assert "最低部署" not in "".join(flag)  # the small scenario has no project target
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert CAPTION in page and "3 support projects take no parcel work" in page
