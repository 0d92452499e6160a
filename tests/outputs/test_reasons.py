"""入选理由: rules written out, readable corridor names, rank and driving criterion."""

import dataclasses
import re
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from criteria.corridors import analyse_corridors
from outputs.priorities import write_priorities
from outputs.priority_lists import priority_lists
from outputs.reasons import corridor_names, reasons, source_names, split_bilingual, target_text
from outputs.report import write_report
from region.scenario_requirements import OptionRule, Target


@pytest.fixture(scope="module")
def region(township_region):
    return township_region


@pytest.fixture(scope="module")
def whole(whole_region):
    """The whole shipped region and its corridors: every kind of source, several of a kind
    (the small region has no corridor)."""
    return whole_region, analyse_corridors(whole_region.parcels, 20)


def test_corridors_are_named_after_the_places_they_join(whole) -> None:
    region, analysis = whole
    assert len(analysis.corridors) > 5
    sources = source_names(analysis, region)
    assert len(set(sources.values())) == len(analysis.sources)  # no two share a name
    counties = ("高昌区", "鄯善县", "托克逊县")
    for source in analysis.sources:
        zh, en = sources[source.name]
        assert zh != source.name and not any(ch.isdigit() for ch in zh.split("（")[0])
        assert any(c in zh for c in counties) or source.kind == "desert", zh
        assert en.isascii()
    names = corridor_names(analysis, region)
    for corridor in analysis.corridors:
        zh, en = names[corridor.name]
        assert zh.endswith("生态廊道") and "↔" not in zh and en.endswith("corridor")


def test_a_label_in_two_languages_splits() -> None:
    assert split_bilingual("Kumtag Desert national scenic area 库木塔格沙漠风景名胜区") == (
        "库木塔格沙漠风景名胜区", "Kumtag Desert national scenic area")
    assert split_bilingual("Kumtag") == ("Kumtag", "Kumtag")
    assert split_bilingual("2030年前在3区设置沙障100 km² sand barriers on 100 km² of zone 3") \
        == ("2030年前在3区设置沙障100 km²", "sand barriers on 100 km² of zone 3")


def test_a_target_is_written_out_in_both_languages_from_its_fields(region) -> None:
    mines = Target(name="all 10 pending mines remediated by 2030", measure="count",
                   minimum=10, by_year=2030, action="mine_remediation")
    assert target_text(mines, region) == ("2030年前矿山生态修复不少于 10 处",
                                          "mine remediation: at least 10 sites by 2030")
    sand = Target(name="sand barriers", minimum=100.0, by_year=2030, zone=3,
                  action="sand_barrier")
    zh, _ = target_text(sand, region)
    assert zh == "2030年前绿洲外围防风固沙生态修复区固沙沙障不少于 15.00 万亩"


def test_a_targets_name_enters_neither_half_so_a_stale_name_is_not_quoted(region) -> None:
    """A re-plan's scenario raised a target's minimum and kept its name ("karez on 8
    parcels", minimum 10): the Chinese, built from the fields, said 10 and the English,
    the name's English half, said 8. Both are built from the fields; a bilingual or a
    Chinese-only name gives no Chinese to the English either."""
    stale = Target(name="2030年前坎儿井保护8个地块 karez on 8 parcels by 2030", measure="count",
                   minimum=10, by_year=2030, action="karez_protection")
    zh, en = target_text(stale, region)
    assert zh == "2030年前坎儿井保护不少于 10 个地块"
    assert en == "karez protection and winter-water recharge: at least 10 parcels by 2030"
    for name in ("2030年前完成全部待修复矿山", "all 10 pending mines remediated by 2030"):
        mines = Target(name=name, measure="count", minimum=10, by_year=2030,
                       action="mine_remediation")
        assert target_text(mines, region)[1] == "mine remediation: at least 10 sites by 2030"
    sand = Target(name="3区沙障", minimum=100.0, by_year=2030, zone=3, action="sand_barrier")
    _, en = target_text(sand, region)
    assert not re.search(r"[\u3400-\u9fff]", en) and "zone 3" in en and "100 km²" in en, en


def test_the_plans_deadline_in_a_targets_name_is_kept_in_both_halves(region) -> None:
    """The baseline's mine target is the scenario's (2030) and its name says the plan's
    deadline (2035): the English reason kept "(plan: by 2035)" while the Chinese dropped
    "（规划要求2035年前）"; both halves say it, and no other part of the name."""
    from region.io import DEFAULT_SCENARIO
    from region.scenario_toml import load_scenario

    mines = next(t for t in load_scenario(DEFAULT_SCENARIO).targets
                 if t.action == "mine_remediation")
    zh, en = target_text(mines, region)
    assert zh == "2030年前矿山生态修复不少于 10 处（规划要求2035年前）"
    assert en == "mine remediation: at least 10 sites by 2030 (plan: by 2035)"
    stale = mines.model_copy(update={"name": "2030年前完成8处（共8处） 8 mines (all 8)"})
    assert target_text(stale, region) == ("2030年前矿山生态修复不少于 10 处",
                                          "mine remediation: at least 10 sites by 2030")


def test_a_target_on_a_land_cover_without_an_action_counts_any_restoration(region) -> None:
    """A land cover and no action: any restoration on it counts, in both languages (the
    English read "on Gobi: at least …", the Chinese "2030年前戈壁不少于 …")."""
    gobi = Target(name="戈壁修复", minimum=20.0, by_year=2030, land_cover="gobi")
    assert target_text(gobi, region) == ("2030年前戈壁修复不少于 3.00 万亩",
                                         "restoration on Gobi: at least 20 km² by 2030")
    county = gobi.model_copy(update={"county": "650421", "measure": "count", "minimum": 4})
    assert target_text(county, region) == (
        "2030年前鄯善县戈壁修复不少于 4 个地块",
        "restoration on Gobi in Shanshan County: at least 4 parcels by 2030")
    anything = gobi.model_copy(update={"land_cover": None})
    assert target_text(anything, region)[1] == "restoration: at least 20 km² by 2030"


def test_reasons_keep_each_language_in_its_half(small_run, region) -> None:
    """入选理由 "中文。 English.": no Chinese in the English half from a bilingual target
    name or a bilingual mandatory-work reason."""
    plan = small_run.plan
    lists = priority_lists(plan, region)
    action = str(lists.at[0, "action"])
    members = lists[(lists["action"] == action) & (lists["start_year"] <= 2030)]
    # every work of the action by 2030 needed: the minimum is all of them
    target = Target(name="2030年前完成示范工程 the demonstration works by 2030",
                    minimum=float(members["area_km2"].sum()), by_year=2030, action=action)
    locked = OptionRule(parcel_ids=[int(lists.at[0, "parcel_id"])],
                        reason="已立项 approved project")
    scenario = plan.scenario.model_copy(update={"locked_in": [locked], "targets": [target]})
    said = reasons(lists, scenario, region, None, [])[0]
    zh, en = said.split("。 ", 1)
    assert "情景规定必须实施（已立项）" in zh and "情景目标：2030年前" in zh
    assert "approved project" not in zh and "demonstration" not in zh
    action_en = region.actions.set_index("code").at[action, "name_en"]
    assert f"scenario target: {action_en}: at least {target.minimum:g} km² by 2030" in en
    assert "demonstration" not in en
    assert "mandatory works of the scenario (approved project)" in en
    assert not re.search(r"[\u3400-\u9fff]", en), en


def test_a_scenario_target_is_not_called_the_plans_in_any_list(small_run, region,
                                                                tmp_path) -> None:
    """A target is the scenario's (a deadline or a figure the plan does not give, e.g. the
    baseline's mines by 2030 where the plan says 2026-2035): the reasons of priorities.csv,
    the year sheet of priorities.xlsx and report.html's top table call it 情景目标 /
    "scenario target", never 规划目标 (the plan's target)."""
    plan = small_run.plan
    lists = priority_lists(plan, region)
    first = lists.iloc[0]
    count = int(((lists["action"] == first["action"]) & (lists["start_year"] <= 2030)).sum())
    target = Target(name="all works by 2030", measure="count", minimum=count, by_year=2030,
                    action=str(first["action"]))  # every one of them needed
    plan = dataclasses.replace(plan, scenario=plan.scenario.model_copy(
        update={"targets": [target]}))
    for name in ("manifest.json", "plan.csv"):
        shutil.copy(small_run.out_dir / name, tmp_path / name)
    write_priorities(tmp_path, plan, region)
    report = write_report(tmp_path, plan, region, None).read_text(encoding="utf-8")
    listed = pd.read_csv(tmp_path / "priorities.csv", encoding="utf-8-sig")
    said = listed.loc[listed["地块编号 Parcel ID"] == first["parcel_id"],
                      "入选理由 Reason"].iat[0]
    sheet = load_workbook(tmp_path / "priorities.xlsx")[f"{first['start_year']}年"]
    in_sheet = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    action_en = region.actions.set_index("code").at[str(first["action"]), "name_en"]
    for text in (said, in_sheet, report):
        assert "情景目标：2030年前" in text
        assert f"scenario target: {action_en}: at least {count} parcels by 2030" in text
        assert "规划目标" not in text and "; target:" not in text


def test_rules_corridors_rank_and_driver_make_the_reason(small_run, region, whole) -> None:
    plan = small_run.plan
    lists = priority_lists(plan, region)
    region, analysis = whole
    corridor = analysis.corridors[0]
    restores = set(region.actions.loc[region.actions["restores_habitat"] == 1, "code"])
    row = lists.index[lists["action"].isin(restores)][-1]  # a barrier would restore nothing
    lists.loc[row, "parcel_id"] = int(corridor.degraded_parcel_ids[0])
    locked = OptionRule(parcel_ids=[int(lists.at[0, "parcel_id"])], reason="已立项")
    scenario = plan.scenario.model_copy(update={"locked_in": [locked], "targets": []})
    said = reasons(lists, scenario, region, analysis, [corridor.name])
    zh, en = corridor_names(analysis, region)[corridor.name]
    assert f"属于本方案打通的{zh}" in said[row]
    assert f"part of {en}, which the plan completes" in said[row]
    other = reasons(lists, scenario, region, analysis, [])[row]
    assert f"位于{zh}（本方案未全部打通）" in other and "(not completed by the plan)" in other
    assert said[0].startswith("情景规定必须实施（已立项）")
    assert "mandatory works of the scenario (已立项)" in said[0]
    first = lists[lists["start_year"] == lists["start_year"].min()]
    best = first["benefit_per_wan"].idxmax()
    assert f"第 1/{len(first)} 位" in said[best] and f"ranked 1 of {len(first)}" in said[best]
    unchanged = reasons(lists, dataclasses.replace(plan).scenario, region, None, [])
    assert all("廊道" not in text for text in unchanged)
    barrier = region.actions.assign(restores_habitat=(region.actions["code"] != lists.at[
        row, "action"]).astype(int))  # the catalogue says this action restores nothing
    said = reasons(lists, scenario, dataclasses.replace(region, actions=barrier), analysis,
                   [corridor.name])
    assert "廊道" not in said[row]


def test_a_target_on_a_plan_project_names_the_project_in_both_languages(region) -> None:
    """A project's count target counts its works (a parcel may carry two), as the target
    names say (至少实施1处): 处 / work, singular for one (review finding 14a)."""
    deploy = Target(name="P2-9", measure="count", minimum=1, by_year=2035, project="P2-9")
    assert target_text(deploy, region) == (
        "2035年前白杨河（吐鲁番市）重要河流保护修复重点项目实施不少于 1 处",
        "works in P2-9 Baiyang River protection and restoration: at least 1 work by 2035")
    two = deploy.model_copy(update={"minimum": 2})
    assert target_text(two, region)[1].endswith("at least 2 works by 2035")
    one_parcel = Target(name="karez", measure="count", minimum=1, by_year=2030,
                        action="karez_protection")
    assert target_text(one_parcel, region)[1].endswith(": at least 1 parcel by 2030")


def test_a_target_on_a_work_names_the_work_in_the_reasons_of_its_projects_works(
        small_run, region) -> None:
    """A target on a key work with projects below it (W1, W2A-C, W3: plan l.96, l.98-100)
    counts the works of its projects: each of them, all needed, gives the target written
    out with the work's name, as a target on a project (P2-9 above) gives the project's;
    the works of other works' projects do not."""
    lists = priority_lists(small_run.plan, region).reset_index(drop=True)
    filed = lists[lists["work_id"].fillna("") != ""]
    assert len(filed), "the small plan has no work under a key work's project"
    work = str(filed["work_id"].iat[0])
    other = filed.index[-1]  # the small plan's works share one key work: file one elsewhere
    lists.loc[other, ["project_id", "work_id"]] = ["W5", ""]
    by_year = int(lists["start_year"].max())
    members = lists.index[lists["work_id"] == work]
    assert 0 < len(members) < len(lists)  # others to stay silent
    deploy = Target(name=work, measure="count", minimum=len(members), by_year=by_year,
                    project=work)  # every one of them needed
    said = reasons(lists, small_run.plan.scenario.model_copy(update={"targets": [deploy]}),
                   region, None, [])
    names = region.projects.set_index("project_id")
    zh = f"情景目标：{by_year}年前{names.at[work, 'name_zh']}实施不少于 {len(members)} 处"
    plural = "" if len(members) == 1 else "s"
    en = (f"scenario target: works in {work} {names.at[work, 'name_en']}: at least "
          f"{len(members)} work{plural} by {by_year}")
    assert target_text(deploy, region) == (zh.removeprefix("情景目标："),
                                           en.removeprefix("scenario target: "))
    for i, text in enumerate(said):
        assert (zh in text and en in text) == (i in members), (i, text)
    assert set(lists.loc[members, "project_id"]) <= set(
        names.index[names["parent"] == work])  # filed under the work's projects
