"""The land-use code table: complete for GB/T 21010-2017, every code handled by an import."""

from __future__ import annotations

import pandas as pd
import pytest

from region.errors import InputError
from region.schema import LAND_COVERS
from region.survey import DLBM_TABLE, ImportOptions, import_survey
from region.survey.dlbm import choose_land_cover, load_code_table, normalise_codes

# GB/T 21010-2017 Table 1: (first-level class, number of second-level classes), written out
# here independently of the table.
GB_T_21010_2017 = [f"{first:02d}{second:02d}" for first, count in (
    (1, 3), (2, 4), (3, 7), (4, 4), (5, 7), (6, 4), (7, 2), (8, 10), (9, 6), (10, 9), (11, 10),
    (12, 7)) for second in range(1, count + 1)]
# Codes the survey's working classification uses in arid Xinjiang besides those.
SURVEY_WORKING = ["0201K", "0204K", "0301K", "0307K", "05H1", "0508", "08H1", "08H2", "08H2A",
                  "0810A", "09", "1104A", "1107A"]


def test_the_table_covers_every_class_of_the_standard_and_the_survey() -> None:
    table = load_code_table().table
    assert len(GB_T_21010_2017) == 73
    missing = [c for c in GB_T_21010_2017 + SURVEY_WORKING if c not in table.index]
    assert missing == []
    mapped = table.loc[table["role"] != "excluded"]
    assert all(c in LAND_COVERS for text in mapped["land_cover"] for c in text.split("|"))
    # Only classes that cannot occur in an arid basin are left out.
    assert set(table.index[table["role"] == "excluded"]) == {"0203", "0203K", "0303", "1105"}
    # The examples map as a planner reads them.
    expected = {"0301": "forest", "0305": "desert_shrubland", "0404": "desert_shrubland",
                "1205": "sand_dune", "1206": "gobi", "1207": "gobi", "0103": "oasis_farmland",
                "0602": "mine", "1106": "wetland", "0201": "oasis_farmland"}
    assert {c: table.at[c, "land_cover"].split("|")[0] for c in expected} == expected
    # Water is not rated (no action offered), farmland and built-up are not restoration.
    assert (table.loc[table["role"] == "water", "degradation"] == 0).all()
    assert set(table.loc[table.index.str.startswith(("01", "02")), "role"]) <= {"oasis",
                                                                                 "excluded"}
    assert set(table.loc[table.index.str.startswith(("05", "07", "08", "10")), "role"]) == {
        "built_up"}


def test_every_code_in_the_table_is_handled_by_an_import(write_layer, patch_layer) -> None:
    table = load_code_table().table
    codes = list(table.index)
    result = import_survey(write_layer(patch_layer(codes)))
    parcels = result.parcels.set_index("dlbm")
    excluded = table.index[table["role"] == "excluded"]
    assert sorted(result.report["excluded"]) == sorted(excluded)
    assert len(parcels) == len(codes) - len(excluded)
    for code in parcels.index:
        row = table.loc[code]
        assert parcels.at[code, "land_cover"] in row["land_cover"].split("|"), code
        assert parcels.at[code, "survey_role"] == row["role"]
        if not pd.isna(row["degradation"]):
            assert parcels.at[code, "degradation"] == row["degradation"], code
    # The modelled degradation follows the land cover: dunes worse than bare rock.
    assert parcels.at["1205", "degradation"] > parcels.at["1207", "degradation"]
    assert (parcels.loc[parcels["survey_role"] == "built_up", "degradation"] == 0).all()


def test_codes_are_normalised_before_lookup() -> None:
    codes = normalise_codes(pd.Series(["305", 305.0, " 0305 ", "05h1", 1207, None]))
    assert codes.tolist() == ["0305", "0305", "0305", "05H1", "1207", ""]


def test_the_modelled_cover_chooses_between_listed_alternatives() -> None:
    shares = pd.DataFrame({"bare_mountain": [0.7, 0.1, 0.0], "gobi": [0.3, 0.9, 0.0],
                           "forest": [0.0, 0.0, 1.0]})
    chosen = choose_land_cover([("gobi", "bare_mountain")] * 2 + [("gobi", "bare_mountain")],
                               shares)
    assert chosen.tolist() == ["bare_mountain", "gobi", "gobi"]


def test_a_bad_code_table_lists_every_problem(tmp_path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("dlbm,dlmc,name_en,role,land_cover,oasis,degradation,note\n"
                    "0305,灌木林地,shrub,restoration,shrubs,no,,\n"
                    "0305,灌木林地,shrub,planting,desert_shrubland,maybe,5,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_code_table(path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(1, "land_cover"), (2, "role"), (2, "oasis"), (2, "degradation"),
                     (2, "dlbm")}


def test_a_code_table_of_ones_own_is_used(write_layer, patch_layer, tmp_path) -> None:
    table = pd.read_csv(DLBM_TABLE, dtype=str, keep_default_na=False)
    table.loc[table["dlbm"] == "0404", "land_cover"] = "alpine_grassland"
    path = tmp_path / "codes.csv"
    table.to_csv(path, index=False)
    result = import_survey(write_layer(patch_layer(["0404"])), ImportOptions(code_table=path))
    assert result.parcels["land_cover"].tolist() == ["alpine_grassland"]


def test_oasis_is_read_as_every_yes_no_column_is(tmp_path) -> None:
    """是/否 (and true/false) in a code table of one's own, as in every planner's table
    (region/validate.py truth_values); a blank is still refused: the table says it."""
    path = tmp_path / "codes.csv"
    header = "dlbm,dlmc,name_en,role,land_cover,oasis,degradation,note\n"
    path.write_text(header + "0103,旱地,dry land,oasis,oasis_farmland,是,,\n"
                    "0305,灌木林地,shrub,restoration,desert_shrubland,否,,\n", encoding="utf-8")
    assert load_code_table(path).table["oasis"].tolist() == [True, False]
    path.write_text(header + "0305,灌木林地,shrub,restoration,desert_shrubland,,,\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="expected true/false"):
        load_code_table(path)
