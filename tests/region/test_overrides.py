"""Command-line overrides change exactly what they name and are validated like the file."""

import pytest

from region.errors import InputError
from region.overrides import (
    Overrides,
    apply_overrides,
    load_scenario_with_overrides,
    parse_horizon,
    parse_weights,
    parse_year_values,
)

RAW = {
    "name": "t",
    "budget": {"default": 100.0, "per_year": {"2028": 50.0}, "total": 900.0},
    "water": {"default": 10.0, "per_county": {"650402": {"default": 4.0}}},
    "weights": {"sand": 1.0},
}


def test_scales_every_limit_and_explicit_years_win() -> None:
    raw = apply_overrides(RAW, Overrides(budget={2027: 70.0}, budget_scale=0.5, water_scale=0.7))
    assert raw["budget"]["default"] == 50.0
    assert raw["budget"]["per_year"] == {"2028": 25.0, "2027": 70.0}
    assert raw["budget"]["total"] == 450.0
    assert raw["water"]["default"] == pytest.approx(7.0)
    assert raw["water"]["per_county"]["650402"]["default"] == pytest.approx(2.8)
    assert RAW["budget"]["default"] == 100.0  # the input dict is untouched


def test_weights_horizon_and_solver_replace_the_files_values() -> None:
    raw = apply_overrides(RAW, Overrides(weights={"bio": 1.0}, horizon=(2028, 2030),
                                         solver="cbc", gap=0.01))
    assert raw["weights"] == {"bio": 1.0}
    assert raw["horizon"] == {"start": 2028, "end": 2030}
    assert raw["solver"] == {"name": "cbc", "gap": 0.01}


def test_record_lists_only_what_was_given() -> None:
    assert Overrides(budget_scale=0.8).as_record() == {"budget_scale": 0.8}
    assert Overrides().as_record() == {}


def test_parsers_accept_the_documented_forms() -> None:
    assert parse_year_values("2027=8000, 2028=9000", "--budget") == {2027: 8000.0, 2028: 9000.0}
    assert parse_weights("sand=0.4,water=0.3,biodiversity=0.2,mine=0.1") == {
        "sand": 0.4, "water": 0.3, "bio": 0.2, "mine": 0.1}
    assert parse_horizon("2027-2035") == (2027, 2035)


@pytest.mark.parametrize(
    ("parser", "text", "needle"),
    [
        (lambda t: parse_year_values(t, "--budget"), "2027:8000", "YEAR=VALUE"),
        (parse_weights, "wind=0.5", "NAME=VALUE"),
        (parse_weights, "sand=lots", "not a number"),
        (parse_horizon, "2027", "START-END"),
        (parse_horizon, "2030-2027", "start year 2030 comes after the end year 2027"),
    ],
)
def test_parsers_say_what_they_expected(parser, text: str, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        parser(text)


def test_an_override_that_breaks_the_scenario_is_an_input_error(tmp_path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('name = "t"\n[budget]\ndefault = 1\n[water]\ndefault = 1\n'
                    "[weights]\nsand = 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="horizon"):
        load_scenario_with_overrides(path, Overrides(horizon=(2035, 2027)))


def test_a_replans_scales_leave_the_past_years_as_they_were() -> None:
    """replan --budget-scale 0.05 scaled 2027's money too: the re-plan read the year's real
    spend as a 1,760 % overspend (a stranger's finding). The years before the re-plan keep
    the previous plan's money and water, a year typed with --budget keeps what was typed,
    and the years ahead are scaled."""
    from region.overrides import keep_past_years
    from region.scenario_problems import scenario_from_dict

    raw = {**RAW, "horizon": {"start": 2027, "end": 2030},
           "budget": {**RAW["budget"], "per_county": {"650421": {"default": 20.0}}}}
    before = scenario_from_dict(raw)
    typed = Overrides(budget={2028: 33.0}, budget_scale=0.05, water_scale=0.5)
    out = keep_past_years(apply_overrides(raw, typed), before, 2029, typed)
    after = scenario_from_dict(out)
    assert after.budget.for_years([2027, 2028, 2029, 2030]) == {
        2027: 100.0, 2028: 33.0, 2029: 5.0, 2030: 5.0}
    assert after.budget.per_county["650421"].for_years([2028, 2029]) == {2028: 20.0,
                                                                         2029: 1.0}
    assert after.water.for_years([2028, 2029]) == {2028: 10.0, 2029: 5.0}
    assert after.water.per_county["650402"].for_years([2028, 2029]) == {2028: 4.0, 2029: 2.0}
    assert keep_past_years(raw, before, 2027, typed) == raw  # no past year
