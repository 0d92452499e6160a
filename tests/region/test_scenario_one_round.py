"""A scenario's problems in one round: keys of the wrong type, rules across tables (county
shares, limits covering the horizon) and codes the region lacks, all reported at once by
``validate``, without judging a table that has problems of its own twice."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from region.scenario_problems import ScenarioError, scenario_from_dict
from solve import app

runner = CliRunner()

@pytest.fixture
def scenario(scenario_text) -> str:
    """The minimal scenario (tests/conftest.py) without carry-over, carbon weighted 0."""
    return scenario_text("one_round", budget={"carry_over": None}, weights={"carbon": 0.0})


def problems_of(tmp_path, text: str) -> list[str]:
    """The problem lines ``validate`` prints for the scenario ``text`` (exit status 2)."""
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--scenario", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return [line.strip(" •-") for line in result.output.splitlines()
            if line.strip().startswith(("•", "-")) and "scenario.toml" in line]


def test_type_rule_and_code_problems_of_different_tables_come_together(tmp_path, scenario) -> None:
    lines = problems_of(tmp_path, scenario.replace(
        'name = "one_round"\n',
        'name = "one_round"\ncounty_min_share = { "650421" = 0.7, "650402" = 0.6 }\n')
        + '[budget.per_year]\n2040 = 100.0\n[solver]\nthreads = "two"\n'
          '[[targets]]\nname = "t"\nminimum = 1\nby_year = 2030\ncounty = "650000"\n')
    assert len(lines) == 4, lines
    # The type error first (pydantic's), then the rule, then the codes against the region.
    assert lines[0].startswith("scenario.toml, key 'solver.threads': expected a whole number")
    assert "found 'two'" in lines[0]
    assert lines[1].startswith("scenario.toml, key 'county_min_share': the shares add up to "
                               "1.3, more than 1")
    assert lines[2].startswith("scenario.toml, key 'budget.per_year.2040': year 2040 is "
                               "outside the horizon 2027-2030")
    assert lines[3].startswith("scenario.toml, key 'targets[1].county' "
                               "(items counted from 1): unknown county "
                               "'650000' (did you mean")


def test_a_table_with_a_type_error_is_not_judged_again_by_the_rules(tmp_path, scenario) -> None:
    """budget.default of the wrong type: the budget does not 'miss years' (it stands in),
    but the county shares of another table are still judged."""
    lines = problems_of(tmp_path, scenario.replace("default = 3000.0", 'default = "3000"')
                        .replace('name = "one_round"\n', 'name = "one_round"\n'
                                 'county_min_share = { "650421" = 0.9, "650402" = 0.2 }\n'))
    assert len(lines) == 2, lines
    assert lines[0].startswith("scenario.toml, key 'budget.default': expected a number")
    assert "key 'county_min_share': the shares add up to 1.1" in lines[1]


def test_with_the_horizon_unreadable_no_year_is_judged(tmp_path, scenario) -> None:
    lines = problems_of(tmp_path, scenario.replace("end = 2030", 'end = "2030"')
                        + '[budget.per_year]\n2040 = 100.0\n'
                          '[[locked_out]]\naction = "sand_barier"\n')
    assert [line.split(":")[0] for line in lines] == [
        "scenario.toml, key 'horizon.end'", "scenario.toml, key 'locked_out[1].action' "
                                            "(items counted from 1)"]
    assert "did you mean 'sand_barrier'" in lines[1]


def test_a_limit_missing_years_is_named_by_its_key() -> None:
    raw = {"name": "t", "horizon": {"start": 2027, "end": 2029},
           "budget": {"per_year": {"2027": 1.0}}, "weights": {"sand": 1.0},
           "water": {"per_county": {"650402": {"per_year": {"2027": 1.0}}}},
           "seed": "seven"}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(raw, "s.toml")
    found = [(p.column, p.message) for p in caught.value.problems]
    assert found[0][0] == "seed"
    assert found[1:] == [("budget", "no limit for years [2028, 2029]: give 'default' or "
                                    "'per_year'"),
                         ("water.per_county.650402", "no limit for years [2028, 2029]: give "
                                                     "'default' or 'per_year'")]
    assert caught.value.unchecked == frozenset({"seed"})
    assert caught.value.partial is not None and caught.value.partial.seed == 0  # stand-in


def test_a_county_budget_of_an_unknown_county_says_which_it_meant(tmp_path, scenario) -> None:
    lines = problems_of(tmp_path, scenario + "[budget.per_county.650412]\ndefault = 500.0\n"
                                             "[budget.per_county.650421]\nper_year = { 2027 = "
                                             "1.0 }\n")
    assert lines == [
        "scenario.toml, key 'budget.per_county.650421': no limit for years [2028, 2029, "
        "2030]: give 'default' or 'per_year'",
        "scenario.toml, key 'budget.per_county.650412': unknown county '650412' (did you "
        "mean '650402' (高昌区 Gaochang District) or '650422' (托克逊县 Toksun County)?): "
        "expected one of 650402, 650421, 650422"]


def test_a_type_error_hides_no_other_key_of_its_table(tmp_path, scenario) -> None:
    """budget.default of the wrong type sets aside that key alone: the county budget of an
    unknown county beside it, the water table's unknown county beside its own type error,
    and the solver's unknown name beside a wrong thread count are reported in the same
    round, each with its key and what was expected; the budget is not said to 'miss
    years' (its default stands in)."""
    lines = problems_of(tmp_path, scenario.replace("default = 3000.0", 'default = "lots"')
                        .replace("default = 200.0", 'default = 200.0\nsaving_credit = "half"')
                        + "[budget.per_county.650412]\ndefault = 500.0\n"
                          "[water.per_county.650499]\ndefault = 5.0\n"
                          '[solver]\nthreads = "two"\nname = "gurobix"\n')
    assert lines == [
        "scenario.toml, key 'budget.default': expected a number, without quotes (found "
        "'lots')",
        "scenario.toml, key 'water.saving_credit': expected a number, without quotes (found "
        "'half')",
        "scenario.toml, key 'solver.threads': expected a whole number, without quotes or "
        "decimals (found 'two')",
        "scenario.toml, key 'solver.name': unknown solver 'gurobix': available here: "
        + lines[3].split("available here: ")[-1],
        "scenario.toml, key 'budget.per_county.650412': unknown county '650412' (did you "
        "mean '650402' (高昌区 Gaochang District) or '650422' (托克逊县 Toksun County)?): "
        "expected one of 650402, 650421, 650422",
        "scenario.toml, key 'water.per_county.650499': unknown county '650499' (did you "
        "mean '650422'?): expected one of 650402, 650421, 650422"]
    assert "highs" in lines[3]


def test_a_type_error_in_one_list_item_hides_not_the_others(tmp_path, scenario) -> None:
    """A target's county typed as a number is set aside alone: the next target's year
    outside the horizon and unknown zone are reported with their own index."""
    lines = problems_of(tmp_path, scenario + '[[targets]]\nname = "a"\nminimum = 1\n'
                                             'by_year = 2030\ncounty = 650402\n'
                                             '[[targets]]\nname = "b"\nminimum = 1\n'
                                             'by_year = 2031\nzone = 9\n')
    assert [line.split(": ")[0] for line in lines] == [
        "scenario.toml, key 'targets[1].county' "
        "(items counted from 1)", "scenario.toml, key 'targets[2].by_year' (items counted from 1)",
        "scenario.toml, key 'targets[2].zone' (items counted from 1)"]
    assert "expected text in quotes (found 650402)" in lines[0]
    assert "year 2031 is outside the horizon 2027-2030" in lines[1]
    assert "unknown zone '9': expected one of 1, 2, 3, 4, 5" in lines[2]


def test_a_list_item_missing_a_required_key_is_set_aside_with_its_list() -> None:
    """A target without its minimum cannot be validated alone, and an item is never
    dropped from its list (the items after it would be named by the wrong index): the
    whole list is set aside, the other tables still read."""
    raw = {"name": "t", "budget": {"default": "lots", "total": 5.0},
           "water": {"default": 1.0}, "weights": {"sand": 1.0},
           "targets": [{"name": "a", "minimum": "x", "by_year": 2027},
                       {"name": "b", "minimum": 1.0, "by_year": 2027}]}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(raw, "s.toml")
    assert [p.column for p in caught.value.problems] == ["budget.default", "targets.0.minimum"]
    partial = caught.value.partial
    assert partial is not None and partial.targets == [] and partial.budget.total == 5.0
    assert partial.budget.default is None
    assert caught.value.unchecked >= {"budget.default", "targets"}
    assert raw["budget"]["default"] == "lots"  # the caller's dict is not changed


def test_the_scale_options_leave_a_value_of_the_wrong_type_to_be_reported(
        tmp_path, scenario, scenario_text) -> None:
    """--budget-scale, --water-scale and --budget on a file whose values have the wrong
    type: the file's problems, not a crash."""
    path = tmp_path / "scenario.toml"
    path.write_text(scenario.replace("default = 3000.0", 'default = "lots"\nper_year = "x"')
                    .replace("default = 200.0", 'default = 200.0\nsaving_credit = "half"')
                    + "[water.per_county.650402]\nper_year = { 2027 = \"y\" }\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["validate", "--scenario", str(path), "--budget-scale",
                                 "0.8", "--water-scale", "0.9", "--budget", "2028=5"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "bug" not in result.output
    for key in ("budget.default", "budget.per_year", "water.saving_credit",
                "water.per_county.650402.per_year.2027"):
        assert f"key '{key}': expected" in result.output, key
    # A limit that is a number, not a table: the scale options and --budget leave it too.
    scalars = scenario_text("one_round", budget=5, water=7)
    path.write_text(scalars, encoding="utf-8")
    for options in (["--budget-scale", "0.8"], ["--water-scale", "0.9"], ["--budget", "2028=5"],
                    ["--budget-scale", "0.8", "--water-scale", "0.9", "--budget", "2028=5"]):
        result = runner.invoke(app, ["validate", "--scenario", str(path), *options])
        assert result.exit_code == 2, (options, result.output)
        assert "Traceback" not in result.output and "bug" not in result.output, options
        assert "key 'budget'" in result.output and "key 'water'" in result.output, options


def test_a_file_saved_as_utf8_with_bom_is_read(tmp_path, scenario) -> None:
    """Windows Notepad saves "UTF-8 with BOM"; TOML's parser stopped at its first byte."""
    path = tmp_path / "scenario.toml"
    path.write_bytes("\ufeff".encode() + scenario.encode("utf-8"))
    result = runner.invoke(app, ["validate", "--scenario", str(path)])
    assert result.exit_code == 0, result.output


def test_a_chinese_bare_key_is_named_with_what_to_type(tmp_path, scenario) -> None:
    lines = problems_of(tmp_path, scenario + "[budget.per_county.高昌]\ndefault = 1.0\n")
    assert len(lines) == 1
    assert "not valid TOML" in lines[0]
    assert 'has the key 高昌 without quotes' in lines[0] and 'write "高昌"' in lines[0]


def test_list_items_are_counted_from_one_and_keyed_tables_keep_their_keys() -> None:
    """Messages count [[targets]] from 1 as a planner does; years and county codes stay as
    written, and so does a year put in a table that takes none (``budget.2040`` was
    'budget[2041]'). Only the keys of region/errors.py's LIST_KEYS count items, and that
    set is the model's own set of list fields."""
    import typing

    from pydantic import BaseModel

    from region.errors import LIST_KEYS, toml_key_label
    from region.scenario import Scenario

    def models_in(kind: object) -> list[type[BaseModel]]:
        inner = [kind, *typing.get_args(kind)]
        inner += [b for a in inner[1:] for b in typing.get_args(a)]
        return [k for k in inner if isinstance(k, type) and issubclass(k, BaseModel)]

    def listed(model: type[BaseModel]) -> set[str]:
        found = set()
        for name, field in model.model_fields.items():
            for kind in (field.annotation, *typing.get_args(field.annotation)):
                if typing.get_origin(kind) in (list, tuple):
                    found.add(name)
                for inner in models_in(kind):
                    found |= listed(inner)
        return found

    assert listed(Scenario) == LIST_KEYS
    assert toml_key_label("targets.1.zone") == "'targets[2].zone' (items counted from 1)"
    assert toml_key_label("weights.ahp.matrix.0.2") == \
        "'weights.ahp.matrix[1][3]' (items counted from 1)"
    assert toml_key_label("budget.2040") == "'budget.2040'"
    assert toml_key_label("budget.per_county.650402.per_year.2027") == \
        "'budget.per_county.650402.per_year.2027'"
