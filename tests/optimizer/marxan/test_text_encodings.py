"""`solve.py marxan` with feature names that are not ASCII: a GBK spec.dat is read as GBK
(not Latin-1) and said so; mvbest.csv carries a byte-order mark only when its names need
one (Excel), so an ASCII problem's outputs keep Marxan's bytes."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from solve import app

from .conftest import SPEC, write_problem

runner = CliRunner()
CHINESE_SPEC = SPEC.replace("wolf", "狼").replace("ibex", "北山羊").replace("saxaul", "梭梭")


def _solve(folder: Path, out: Path) -> str:
    result = runner.invoke(app, ["marxan", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_a_gbk_spec_is_read_as_gbk_and_said_so(tmp_path):
    folder = write_problem(tmp_path / "gbk")
    (folder / "input" / "spec.dat").write_bytes(CHINESE_SPEC.encode("gbk"))
    output = _solve(folder, tmp_path / "out")
    assert "spec.dat: not UTF-8 text; read as GBK" in output
    assert "e.g. 狼" in output
    mvbest = (tmp_path / "out" / "mvbest.csv").read_bytes()
    assert mvbest.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese names as UTF-8
    names = mvbest.decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in names[1:]] == ["狼", "北山羊", "梭梭"]


@pytest.mark.parametrize("name", ["wolfÿ", "Forêt", "Zürich"])
def test_text_neither_utf8_nor_gbk_is_read_as_latin1_and_said_so(tmp_path, name):
    """0xff is no GBK byte; ê and ü followed by a letter decode as GBK ("For阾"), yet the
    text is no Chinese: Latin-1 (review of the GBK reading)."""
    folder = write_problem(tmp_path / "latin")
    (folder / "input" / "spec.dat").write_bytes(SPEC.replace("wolf", name).encode("latin-1"))
    output = _solve(folder, tmp_path / "out")
    assert "spec.dat: not UTF-8 text; read as Latin-1" in output
    assert name in (tmp_path / "out" / "mvbest.csv").read_text(encoding="utf-8-sig")


def test_ascii_names_keep_marxans_bytes_without_a_byte_order_mark(tiny, tmp_path):
    _solve(tiny, tmp_path / "out")
    for name in ("mvbest.csv", "best.csv"):
        assert (tmp_path / "out" / name).read_bytes().startswith(b"Con" if name == "mvbest.csv"
                                                                 else b"PUID")
