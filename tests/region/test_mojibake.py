"""GBK text read as Latin-1 (or Windows-1252) is recognised and repaired; text that only
looks foreign is left alone (region/mojibake.py)."""

import pandas as pd
import pytest

from region.mojibake import gbk_read_as_latin1, repair_gbk_mojibake


@pytest.mark.parametrize("name", ["二堡乡", "吐鲁番市（高昌区）", "艾丁湖乡 3组"])
@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_gbk_read_as_single_bytes_is_repaired(name, codec) -> None:
    assert gbk_read_as_latin1(name.encode("gbk").decode(codec)) == name


@pytest.mark.parametrize("text", [
    "Forêt", "Zürich", "plain ASCII", "二堡乡",  # an accent between letters; ASCII; Chinese
    "二堡".encode().decode("latin-1"),  # UTF-8 read as Latin-1: another mistake
])
def test_other_text_is_not_taken_for_it(text) -> None:
    assert gbk_read_as_latin1(text) is None


def test_a_column_is_repaired_only_when_all_its_foreign_cells_are_gbk() -> None:
    frame = pd.DataFrame({"town": ["二堡乡".encode("gbk").decode("latin-1"), "", None],
                          "mixed": ["二堡乡".encode("gbk").decode("latin-1"), "Forêt", "x"],
                          "area": [1.0, 2.0, 3.0]})
    repaired, repairs = repair_gbk_mojibake(frame, known={"二堡乡"})
    assert repaired["town"].tolist()[0] == "二堡乡" and repaired["mixed"].equals(frame["mixed"])
    assert [(r.column, r.cells, r.known) for r in repairs] == [("town", 1, 1)]
    assert frame["town"].iat[0] != "二堡乡"  # the caller's frame is not changed
