"""Chinese text that was read in the wrong encoding once and saved so: GBK bytes taken for
Latin-1 (or Windows-1252). QGIS opens a GBK ``.dbf`` without a ``.cpg`` in the "System"
encoding of a Western Windows and saves the layer as a GeoPackage, which is UTF-8 by its
specification: 二堡乡 comes in as ``¶þ±¤Ïç`` and nothing in the file says it is wrong.

Such text is recognised by its shape: every run of non-ASCII characters encodes back to
single bytes (Latin-1 or Windows-1252) that are pairs of high bytes (a GBK character in
the GB2312 area has both bytes ≥ 0x80) and not UTF-8, and those decode as GBK to Chinese
characters. A European name (``Forêt``: one accented letter between ASCII letters) does
not have it.
A column is repaired only when every one of its non-ASCII cells has it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
#: Chinese characters and the full-width and CJK punctuation that GBK text holds.
_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def gbk_read_as_latin1(text: str) -> str | None:
    """The Chinese text ``text`` shows when it is GBK read as Latin-1 (or Windows-1252);
    None when it is not such text (ASCII, real Chinese, a European name)."""
    runs = _NON_ASCII.findall(text)
    if not runs:
        return None
    repaired = {}
    for run in runs:
        raw = _single_bytes(run)
        if raw is None or len(raw) % 2 or any(b < 0x80 for b in raw) or _is_utf8(raw):
            return None  # UTF-8 read as Latin-1 is another mistake, not repaired as GBK
        try:
            chinese = raw.decode("gbk")
        except UnicodeDecodeError:
            return None
        if not _CHINESE.fullmatch(chinese):
            return None
        repaired[run] = chinese
    return _NON_ASCII.sub(lambda match: repaired[match.group()], text)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _single_bytes(run: str) -> bytes | None:
    for codec in ("latin-1", "cp1252"):
        try:
            return run.encode(codec)
        except UnicodeEncodeError:
            continue
    return None


@dataclass(frozen=True)
class Repair:
    """One column repaired: how many cells, an example, and how many of the repaired names
    are names the region knows (its townships)."""

    column: str
    cells: int
    example: tuple[str, str]
    known: int

    def said(self, known_what: str) -> str:
        """"ZLDWMC (3,000 cells, e.g. '¶þ±¤Ïç' → '二堡乡'; 2,989 of them townships …)"."""
        before, after = self.example
        found = f"; {self.known:,} of them {known_what}" if self.known else ""
        return f"{self.column} ({self.cells:,} cells, e.g. '{before}' → '{after}'{found})"


def repair_note(file: str, repairs: list[Repair], known_what: str) -> str:
    """One note for every column repaired in ``file``."""
    return (f"{file}: Chinese text read in the wrong encoding once (GBK taken for Latin-1, "
            f"e.g. by a GIS that opened a GBK .dbf without a .cpg) in column"
            f"{'s' if len(repairs) > 1 else ''} "
            + ", ".join(repair.said(known_what) for repair in repairs)
            + ": read as the repaired Chinese text. Check the names; to keep the file right, "
              "open the .dbf with the encoding GBK and save it again")


def repair_gbk_mojibake(frame: pd.DataFrame, known: Collection[str] = ()
                        ) -> tuple[pd.DataFrame, list[Repair]]:
    """``frame`` with every text column whose non-ASCII cells are all GBK read as Latin-1
    (:func:`gbk_read_as_latin1`) repaired, and what was repaired; ``known``: names the
    region has (its townships), counted among the repaired cells as evidence."""
    repairs = []
    out = frame
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind not in "OSU" and str(values.dtype) not in ("str", "string"):
            continue
        text = values.map(lambda v: v if isinstance(v, str) else "")
        non_ascii = text.map(lambda v: not v.isascii())
        if not non_ascii.any():
            continue
        repaired = text[non_ascii].map(gbk_read_as_latin1)
        if repaired.isna().any():
            continue
        if out is frame:
            out = frame.copy()
        out.loc[repaired.index, column] = repaired
        first = repaired.index[0]
        repairs.append(Repair(str(column), len(repaired), (text[first], repaired[first]),
                              int(repaired.str.strip().isin(set(known)).sum())))
    return out, repairs
