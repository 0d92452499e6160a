"""Project-library texts: scale, period, funding, department and performance targets."""

import dataclasses
from types import SimpleNamespace

import pandas as pd
import pytest

from outputs.library import (
    add_library_columns,
    department_text,
    funding_text,
    load_library,
    performance_text,
    period_text,
    significant,
    works_text,
)
from region.errors import InputError
from region.scenario_budget_water import Funding
from region.scenario_problems import scenario_from_dict
from region.schema import CRITERIA


def test_modelled_figures_keep_three_significant_digits() -> None:
    assert significant(544373.78) == "544,000"
    assert significant(2.0000001) == "2.00"
    assert significant(0.012345) == "0.0123"
    assert significant(0.0) == "0"


def test_works_say_what_and_how_much_in_mu_or_wan_mu(region) -> None:
    library = load_library(region)
    barrier = SimpleNamespace(action="sand_barrier", action_zh="固沙沙障", area_km2=1 / 3, sites=0)
    name = "固沙沙障（草方格） sand-fixing barriers (straw checkerboard)"
    assert works_text(barrier, library) == f"{name} 500 亩"
    big = SimpleNamespace(**{**vars(barrier), "area_km2": 10.0})
    assert works_text(big, library) == f"{name} 1.50 万亩"
    mines = SimpleNamespace(action="mine_remediation", action_zh="矿山生态修复", area_km2=1.4,
                            sites=2)
    assert works_text(mines, library) == (
        "历史遗留矿山生态修复 historical mine remediation 2 处，治理面积 2,100 亩")


def test_afforestation_works_follow_the_land_cover(region) -> None:
    """Planting on farmland is a farmland shelterbelt (P2-1 重点农田防护林), on dunes and gobi
    a sand-fixing forest; a unit over both names both; bilingual."""
    library = load_library(region)
    row = SimpleNamespace(action="afforestation", action_zh="人工造林", area_km2=2.0, sites=0,
                          land_cover="oasis_farmland")
    assert works_text(row, library) == (
        "人工造林（滴灌农田防护林） drip-irrigated farmland shelterbelt 3,000 亩")
    dune = SimpleNamespace(**{**vars(row), "land_cover": "sand_dune"})
    assert works_text(dune, library).startswith(
        "人工造林（滴灌防风固沙林） drip-irrigated sand-fixing forest")
    unit = SimpleNamespace(action="afforestation", action_zh="人工造林", area_km2=2.0, sites=0,
                           land_covers="gobi、oasis_farmland、sand_dune")
    assert works_text(unit, library) == (
        "人工造林（滴灌防风固沙林）、人工造林（滴灌农田防护林） drip-irrigated sand-fixing "
        "forest, drip-irrigated farmland shelterbelt 3,000 亩")


def test_period_runs_to_the_last_year_of_the_cost() -> None:
    assert period_text(2027, 1, 2035) == "2027年"
    assert period_text(2027, 2, 2035) == "2027-2028年"
    assert period_text(2034, 2, 2035) == "2034-2035年"  # ends with the plan period


def test_a_period_past_the_plan_period_is_marked() -> None:
    """Grassland works started in 2035 are paid to 2039, past the plan period (2021-2035,
    l.5): the period keeps its true end and says which years lie beyond the plan."""
    assert period_text(2035, 5, 2035) == "2035-2039年（2036年起超出规划期 beyond the plan " \
                                         "period from 2036）"
    assert period_text(2034, 3, 2035).startswith("2034-2036年（2036年起超出规划期")
    assert period_text(2034, 3, 2040) == "2034-2036年"  # a later plan's period


def test_the_lists_mark_the_period_end_the_scenario_sets(region) -> None:
    """horizon.plan_period_end is the scenario's: the default 2035 (plan line 5), or
    another plan's; without a scenario, the default."""
    frame = pd.DataFrame({"action": ["afforestation"], "action_zh": ["人工造林"],
                          "start_year": [2030], "area_km2": [1.0], "total_cost_wan": [10.0],
                          "water_wan_m3_per_yr": [0.0], "survival": [1.0],
                          **{f"expected_{c}": [1.0] for c in CRITERIA}})
    library = load_library(region)
    cost_years = int(region.actions.set_index("code").loc["afforestation", "cost_years"])
    end = 2030 + cost_years - 1
    assert end > 2030  # paid over more than one year
    periods = {}
    for period_end in (None, 2035, 2030):
        scenario = None if period_end is None else scenario_from_dict(
            {"name": "t", "horizon": {"plan_period_end": period_end}, "budget": {"default": 1},
             "water": {"default": 1}, "weights": {"sand": 1}})
        periods[period_end] = add_library_columns(frame, region, scenario, library)["period"][0]
    assert periods[None] == periods[2035] == period_text(2030, cost_years, 2035)
    assert periods[2030] == f"2030-{end}年（2031年起超出规划期 beyond the plan period from 2031）"


def test_funding_department_and_targets(region) -> None:
    funding = Funding(central=0.5, autonomous_region=0.3, city_county=0.2, channel="渠道甲")
    assert funding_text(funding) == "中央 50%、自治区 30%、市县 20%（渠道甲；估算）"
    assert funding_text(Funding(central=1.0, source="财政部文件")) == "中央 100%"
    library = load_library(region)
    assert department_text("watershed_control", library) == (
        "水利局 Water Resources Bureau；配合：林草局")
    row = SimpleNamespace(action="afforestation", area_km2=2.0, survival=0.9, sites=0,
                          karez_count=0, water_wan_m3_per_yr=108.0, expected_sand=61234.0)
    assert performance_text(row, library) == (
        "实施面积 3,000 亩；成活率 ≥ 90%；年减少风蚀 61,200 吨（模型排序指标，量级未校准，"
        "不作考核；成熟期，模型估算）")
    saving = SimpleNamespace(action="water_saving_irrigation", area_km2=5.0,
                             water_wan_m3_per_yr=-152.25, sites=0, karez_count=0)
    assert performance_text(saving, library) == "实施面积 7,500 亩；年节水 152 万m³"


def test_a_library_naming_an_unknown_action_is_refused_with_its_row(region, tmp_path) -> None:
    (tmp_path / "actions.csv").write_bytes(region.paths.actions.read_bytes())
    text = region.paths.actions.with_name("project_library.csv").read_text(encoding="utf-8")
    (tmp_path / "project_library.csv").write_text(text + "dig,挖,dig,area,局,Bureau,,\n",
                                                  encoding="utf-8")
    own = dataclasses.replace(region, paths=dataclasses.replace(
        region.paths, actions=tmp_path / "actions.csv"))
    with pytest.raises(InputError) as err:
        load_library(own)
    problem = err.value.problems[0]
    line = len(text.strip().splitlines()) + 1  # "dig" follows the header and every action
    assert problem.row == line - 1 and problem.column == "action" and problem.value == "dig"
    # said on the file's line, as every reader says its rows (the library said line + 1)
    assert f"project_library.csv, row {line} (the header is row 1), column 'action'" \
        in str(problem)


def test_a_library_naming_an_action_by_its_chinese_name_reads_it_as_the_code(
        region, tmp_path) -> None:
    """An action is read by its code or its Chinese name wherever a planner's table names
    one (region/action_names.py), the library too."""
    (tmp_path / "actions.csv").write_bytes(region.paths.actions.read_bytes())
    library = pd.read_csv(region.paths.library, dtype=str, keep_default_na=False)
    names = region.actions.set_index("code")["name_zh"]
    library["action"] = library["action"].map(names)
    library.to_csv(tmp_path / "project_library.csv", index=False)
    own = dataclasses.replace(region, paths=dataclasses.replace(
        region.paths, actions=tmp_path / "actions.csv"))
    assert library["action"].isin(names).all()  # every row by its Chinese name
    assert load_library(own).index.tolist() == load_library(region).index.tolist()


def test_grazing_ban_payments_are_funded_through_the_grassland_subsidy_reward() -> None:
    """The shipped grassland works name the channel of their grazing-ban payments
    (草原生态保护补助奖励), with the source that says so; the shares stay estimates."""
    from region.io import DEFAULT_SCENARIO
    from region.scenario_toml import load_scenario

    funding = load_scenario(DEFAULT_SCENARIO).funding["grassland_recovery"]
    assert "草原生态保护补助奖励" in funding.channel
    assert "gcq.tlf.gov.cn" in funding.source
    assert funding_text(funding).endswith("估算）")


def test_the_row_texts_say_what_a_row_is() -> None:
    """Every function of outputs/library.py has its parameters and result typed: the row
    texts take a :class:`WorkRow` (itertuples rows, SimpleNamespace in these tests)."""
    import inspect

    import outputs.library

    untyped = [f"{name}({', '.join(missing)})"
               for name, function in inspect.getmembers(outputs.library, inspect.isfunction)
               if function.__module__ == outputs.library.__name__
               for missing in [[p for p, v in inspect.signature(function).parameters.items()
                                if v.annotation is inspect.Parameter.empty]]
               if missing or inspect.signature(function).return_annotation
               is inspect.Signature.empty]
    assert untyped == []
    assert inspect.signature(outputs.library.works_label).parameters["row"].annotation \
        == "WorkRow"
