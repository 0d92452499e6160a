"""Which column holds what: standard names, Chinese aliases (also cut to 10 bytes), --field."""

from __future__ import annotations

from region.survey.fields import looks_like_survey, parse_field_options, resolve_fields


def test_standard_names_and_chinese_aliases_are_found_case_insensitively() -> None:
    found = resolve_fields(["bsm", "地类编码", "TBMJ", "坐落单位名", "坐落单位代", "geometry"], {})
    assert found.columns == {"bsm": "bsm", "dlbm": "地类编码", "tbmj": "TBMJ",
                             "zldwmc": "坐落单位名", "zldwdm": "坐落单位代"}
    assert found.problems == ()


def test_given_fields_win_and_missing_ones_are_named() -> None:
    mapping, errors = parse_field_options(["dlbm=类别,township=村名", "degradation=退化"])
    assert errors == []
    assert mapping == {"dlbm": "类别", "zldwmc": "村名", "degradation": "退化"}
    found = resolve_fields(["类别", "DLBM", "退化"], {**mapping})
    assert found.get("dlbm") == "类别"
    assert found.get("degradation") == "退化"
    assert found.problems == ("--field zldwmc=村名: the layer has no field '村名' "
                              "(its fields: 类别, DLBM, 退化)",)


def test_bad_field_options_are_all_reported() -> None:
    _, errors = parse_field_options(["dlbm", "colour=颜色", "tbmj="])
    assert len(errors) == 3
    assert "expected key=FIELD" in errors[0] and "unknown key 'colour'" in errors[1]


def test_a_layer_is_a_survey_layer_by_its_code_field() -> None:
    assert looks_like_survey(["BSM", "DLBM", "TBMJ"])
    assert looks_like_survey(["地类编码"])
    assert not looks_like_survey(["parcel_id", "land_cover", "DLBM"])
    assert not looks_like_survey(["parcel_id", "zone"])
