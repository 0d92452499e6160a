"""入选理由: rules written out, readable corridor names, rank and driving criterion."""

import dataclasses

import pytest

from criteria.corridors import analyse_corridors
from outputs.priorities import priority_lists
from outputs.reasons import corridor_names, reasons, source_names, split_bilingual, target_text
from region.scenario import OptionRule, Target


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


def test_a_target_is_written_out_in_chinese_from_its_fields(region) -> None:
    mines = Target(name="all 10 pending mines remediated by 2030", measure="count",
                   minimum=10, by_year=2030, action="mine_remediation")
    assert target_text(mines, region) == ("2030年前矿山生态修复不少于 10 处", mines.name)
    sand = Target(name="sand barriers", minimum=100.0, by_year=2030, zone=3,
                  action="sand_barrier")
    zh, _ = target_text(sand, region)
    assert zh == "2030年前绿洲外围防风固沙生态修复区沙障不少于 15.00 万亩"


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
