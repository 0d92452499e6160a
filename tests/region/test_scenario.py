"""Scenario files: defaults, every problem reported with its key, limits covering the horizon."""

import pytest

from region.errors import InputError
from region.scenario_toml import load_scenario

MINIMAL = 'name = "t"\n[budget]\ndefault = 100\n[water]\ndefault = 10\n[weights]\nsand = 1\n'


def write(tmp_path, text: str):
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_scenario_gets_documented_defaults(tmp_path) -> None:
    scenario = load_scenario(write(tmp_path, MINIMAL))
    assert scenario.horizon.years == list(range(2027, 2036))
    assert scenario.horizon.evaluation_year == 2050
    assert scenario.horizon.plan_period_end == 2035  # 规划期为2021-2035年, plan line 5
    assert scenario.solver.name == "highs"
    assert scenario.budget.for_years([2027, 2035]) == {2027: 100.0, 2035: 100.0}
    assert scenario.weights.direct() == {"sand": 1.0, "water": 0.0, "bio": 0.0, "mine": 0.0,
                                         "carbon": 0.0}


def test_every_problem_is_reported_at_once_with_its_key(tmp_path) -> None:
    text = MINIMAL.replace("default = 10\n", "per_year = { 2027 = 10 }\n") + (
        "colour = 'blue'\n[[targets]]\nname = 'x'\nby_year = 2030\n")
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, text))
    keys = {p.column for p in caught.value.problems}
    assert "weights.colour" in keys
    assert "targets.0.minimum" in keys
    assert "scenario.toml" in str(caught.value)


def test_water_must_cover_every_year(tmp_path) -> None:
    text = MINIMAL.replace("default = 10\n", "per_year = { 2027 = 10 }\n")
    with pytest.raises(InputError, match=r"no limit for years \[2028"):
        load_scenario(write(tmp_path, text))


def test_direct_and_ahp_weights_together_are_refused(tmp_path) -> None:
    text = MINIMAL + "[weights.ahp]\ncriteria = ['sand', 'bio']\nmatrix = [[1, 3], [0.333, 1]]\n"
    with pytest.raises(InputError, match="either direct weights"):
        load_scenario(write(tmp_path, text))


def test_missing_and_broken_files_are_input_errors(tmp_path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_scenario(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="not valid TOML"):
        load_scenario(write(tmp_path, "name = "))


def test_a_variant_merges_over_its_base_and_replaces_weights_whole(tmp_path) -> None:
    (tmp_path / "base.toml").write_text(
        MINIMAL.replace("[weights]\nsand = 1\n", "[weights.ahp]\ncriteria = ['sand', 'bio']\n"
                        "matrix = [[1, 3], [0.3333333, 1]]\n")
        + "[solver]\ntime_limit_s = 5\n", encoding="utf-8")
    variant = tmp_path / "variant.toml"
    variant.write_text('base = "base.toml"\nname = "v"\n[water]\ndefault = 7\n'
                       "[weights]\nbio = 1\n", encoding="utf-8")
    scenario = load_scenario(variant)
    assert scenario.name == "v"
    assert scenario.water.default == 7.0 and scenario.budget.default == 100.0
    assert scenario.solver.time_limit_s == 5.0
    assert scenario.weights.ahp is None and scenario.weights.bio == 1.0


def test_shipped_scenarios_all_validate() -> None:
    from region.io import REPO_ROOT

    names = {load_scenario(p).name for p in (REPO_ROOT / "data" / "scenarios").glob("*.toml")}
    assert names == {"baseline", "tight_water", "budget_cut", "sand_first",
                     "biodiversity_first", "key_projects"}


def test_spatial_rules_default_to_the_plans_and_a_scenario_replaces_them(tmp_path) -> None:
    from region.scenario_spatial_rules import PLAN_SPATIAL_RULES

    assert load_scenario(write(tmp_path, MINIMAL)).spatial_rules == list(PLAN_SPATIAL_RULES)
    own = MINIMAL + ("[[spatial_rules]]\nname = 'bureau red lines'\nlayer = 'sqsx'\n"
                     "allow = ['enclosure']\n")
    rules = load_scenario(write(tmp_path, own)).spatial_rules
    assert [(r.layer, r.allow, r.match) for r in rules] == [("sqsx", ["enclosure"], [])]
    none = load_scenario(write(tmp_path, "spatial_rules = []\n" + MINIMAL)).spatial_rules
    assert none == []
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, MINIMAL + "[[spatial_rules]]\nname = 'x'\nlayer = 'y'\n"))
    assert {p.column for p in caught.value.problems} == {"spatial_rules.0.allow"}


def test_the_baseline_states_the_plans_spatial_rules_and_its_mine_deadline() -> None:
    from region.io import DEFAULT_SCENARIO
    from region.scenario_spatial_rules import PLAN_SPATIAL_RULES

    baseline = load_scenario(DEFAULT_SCENARIO)
    assert [(r.layer, r.match, r.allow) for r in baseline.spatial_rules] == [
        (r.layer, r.match, r.allow) for r in PLAN_SPATIAL_RULES]
    mines = [t for t in baseline.targets if t.action == "mine_remediation"]
    assert len(mines) == 1 and mines[0].by_year == 2030 and "plan: by 2035" in mines[0].name
    assert "line 90" in DEFAULT_SCENARIO.read_text(encoding="utf-8")


@pytest.mark.parametrize("section", [{"actuals": {"2027": {"budget_wan": float("inf")}}},
                                     {"replan": {"move_penalty": float("inf"),
                                                 "drop_penalty": 0.1}},
                                     {"actuals": {"2027": {"water_wan_m3": 1e15}}}])
def test_the_cycle_sections_refuse_inf_and_implausible_numbers(section) -> None:
    from region.scenario_problems import scenario_from_dict

    with pytest.raises(InputError):
        scenario_from_dict({"name": "x", **section})


@pytest.mark.parametrize(("change", "key", "expected"), [
    (("[budget]\n", "[budget]\ncarry_over = \"yes\"\n"), "budget.carry_over", "true or false"),
    (("default = 100\n", "default = \"20000\"\n"), "budget.default", "a number"),
    (("name = \"t\"\n", "name = \"t\"\nseed = 1.5\n"), "seed", "a whole number"),
    (("sand = 1\n", "sand = 1\n[corridors]\nenabled = 1\n"), "corridors.enabled",
     "true or false"),
    (("[water]\n", "[water]\nper_year = { 2027 = \"10\" }\n"), "water.per_year.2027",
     "a number"),
    (("name = \"t\"\n", "name = \"t\"\n[horizon]\nplan_period_end = \"2035\"\n"),
     "horizon.plan_period_end", "a whole number"),
    (("name = \"t\"\n", "name = \"t\"\n[horizon]\nplan_period_end = 2035.5\n"),
     "horizon.plan_period_end", "a whole number"),
])
def test_a_value_of_the_wrong_type_is_refused_not_converted(tmp_path, change, key,
                                                           expected) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(write(tmp_path, MINIMAL.replace(*change)))
    [problem] = caught.value.problems
    assert (problem.column, problem.file) == (key, str(tmp_path / "scenario.toml"))
    assert f"expected {expected}" in problem.message


def test_whole_numbers_for_decimals_year_keys_and_text_choices_still_load(tmp_path) -> None:
    from region.scenario_problems import scenario_from_dict

    text = MINIMAL.replace("default = 100\n", "default = 100\nper_year = { 2030 = 80 }\n") + (
        "[water.aydingkol]\ncounty = \"650402\"\ntarget_wan_m3 = 5\n"
        "[sensitivity]\nmethod = \"sobol\"\n[actuals.2027]\nspend_wan = 90\n")
    scenario = load_scenario(write(tmp_path, text))
    assert scenario.budget.for_years([2029, 2030]) == {2029: 100.0, 2030: 80.0}
    assert scenario.water.aydingkol.target_wan_m3 == 5.0
    assert scenario.sensitivity.method == "sobol" and scenario.actuals[2027].spend_wan == 90.0
    # a result's manifest keeps the scenario as JSON (keys as text); a re-plan reads it back
    assert scenario_from_dict(scenario.model_dump(mode="json")) == scenario
