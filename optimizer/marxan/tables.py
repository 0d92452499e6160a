"""Marxan's text tables (pu, spec, puvspr, bound) split into cells as Marxan reads them, and
read right where Marxan would misread them silently.

- Line ends: LF, CRLF or CR; blank lines are skipped; a UTF-8 byte-order mark is dropped.
- Text: UTF-8, else GBK (GB18030), else Latin-1, a note saying which (names only).
- Separator: the one the header uses most (comma, tab or semicolon), else runs of spaces.
  Cells are trimmed; double quotes around a cell or a header name are removed (a quoted
  cell may hold the separator).
- A row with more cells than the header whose extra cells are empty (a trailing separator,
  or a separator doubled between two values) is read without the empty cells, and a note
  says on how many rows that was done. Marxan 4 either stops ("different amount of items")
  or, in versions that drop empty tokens, reads such rows silently.
- Header names are matched in lower case, as Marxan does (``GetFieldNames`` in input.cpp).
- ``positional`` files (bound.dat, and puvspr.dat when its header names are not Marxan's)
  are read by position, as Marxan's ``readConnections`` and ``readSparseMatrix`` do; their
  first line is a header only when it is not numbers alone (Marxan's
  ``is_like_numerical_data``), else it is data and a note says so.

Rows are numbered as :class:`region.errors.InputProblem` counts them: the data rows, header
excluded (a file without a header starts at row 1 with its first line); messages show them
as a spreadsheet does (region/errors.py :func:`row_label`: the header is row 1), so the
number said is the file's line when no blank line comes before it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from region.errors import InputProblem, row_label
from region.mojibake import gbk_read_as_latin1

_NUMERIC_LINE = re.compile(r"""^[ ,;:^*"/\t'\\.+\-Ee0-9]*$""")
_SEPARATORS = {",": "comma", "\t": "tab", ";": "semicolon"}


@dataclass(frozen=True)
class Table:
    """The cells of one table as strings, one column per header name."""

    path: Path
    cells: pd.DataFrame  # str cells, columns named by the header (lower case)
    rows: NDArray[np.int64]  # row number of each data row, for messages
    header: tuple[str, ...]  # the header as written (empty when the file has none)

    def __len__(self) -> int:
        return len(self.cells)

    def problem(self, message: str, r: int, column: str | None = None,
                value: object = None) -> InputProblem:
        """A problem of data row ``r`` (0-based position in ``cells``), numbered as the
        file's rows are (with or without a header)."""
        return InputProblem(str(self.path), message, row=int(self.rows[r]), column=column,
                            value=value, header=bool(self.header))


def _decode(path: Path, notes: list[str]) -> str:
    """The file's text: UTF-8, else GBK when every non-ASCII run of it is GBK Chinese (what
    Chinese Windows writes; region/mojibake.py), else Latin-1 (which reads any bytes: a
    European name, "Forêt", would turn into Chinese as GBK); a note says which, with a name
    read, when not UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    latin = raw.decode("latin-1")
    chinese = gbk_read_as_latin1(latin)  # every non-ASCII run GBK Chinese: not "Forêt"
    text, encoding = (latin, "Latin-1") if chinese is None else (chinese, "GBK")
    name = re.search(r"[^\x00-\x7f]+", text)
    notes.append(f"{path.name}: not UTF-8 text; read as {encoding} (only names are affected"
                 f"{f', e.g. {name.group()}' if name else ''}); if the names look wrong, save "
                 "it as UTF-8")
    return text


def _separator(header: str) -> str | None:
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    sep = max(counts, key=counts.__getitem__)  # ties: comma, then tab
    return sep if counts[sep] else None


def _split(lines: list[str], sep: str | None) -> list[list[str]]:
    if sep is None:
        return [[cell.strip('"') for cell in line.split()] for line in lines]
    reader = csv.reader(lines, delimiter=sep, quotechar='"', skipinitialspace=True)
    return [[cell.strip().strip('"') for cell in row] for row in reader]


def is_numeric_line(line: str) -> bool:
    """Marxan's test for a first line that is data, not a header."""
    return bool(_NUMERIC_LINE.match(line))


def _regular(lines: list[str], sep: str | None, names: tuple[str, ...], positional: bool
             ) -> pd.DataFrame | None:
    """The cells by pandas' C parser when every row has the header's width (positional:
    at least that many cells, the first ones filled); None sends the file to the careful
    row-by-row reading."""
    if not lines:
        return None
    try:
        frame = pd.read_csv(io.StringIO("\n".join(lines)), sep=sep or r"\s+", header=None,
                            dtype=str, quotechar='"', skipinitialspace=True,
                            skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError):
        return None
    width = len(names)
    if len(frame) != len(lines) or frame.shape[1] < width or (
            not positional and frame.shape[1] != width):
        return None
    frame = frame.iloc[:, :width]
    if frame.isna().to_numpy().any():  # a short row, a blank or "NA" cell: read with care
        return None
    frame.columns = list(names)  # cells keep surrounding spaces: numbers parse with them
    if positional and (frame == "").to_numpy().any():
        return None
    return frame


def read_table(path: Path, problems: list[InputProblem], notes: list[str],
               positional: tuple[str, ...] | None = None) -> Table | None:
    """The table at ``path``, or None (with a problem recorded) when it cannot be read.

    With ``positional`` names the first ``len(positional)`` cells of each row are taken in
    that order whatever the header says; otherwise columns are named by the header.
    """
    if not path.is_file():
        problems.append(InputProblem(str(path), "file not found; check INPUTDIR and the file "
                                     "name keys (PUNAME, SPECNAME, PUVSPRNAME, BOUNDNAME) in "
                                     "input.dat"))
        return None
    numbered = [(number, line) for number, line in
                enumerate(_decode(path, notes).splitlines(), start=1)
                if line and not line.isspace()]
    if not numbered:
        problems.append(InputProblem(str(path), "the file is empty; expected a header row "
                                     "naming the columns, then one row per record"))
        return None
    first = numbered[0][1]
    has_header = not is_numeric_line(first)
    if not has_header and positional is None:
        problems.append(InputProblem(str(path), "the first line holds numbers, not column "
                                     "names; add a header row (e.g. id, cost, status)",
                                     row=1, value=first.strip(), header=False))
        return None
    sep = _separator(first)
    if not has_header:
        notes.append(f"{path.name}: no header row; every line read as data by position "
                     f"({', '.join(positional or ())}), as Marxan does")
    header = tuple(cell for cell in _split([first], sep)[0] if cell) if has_header else ()
    body = numbered[1:] if has_header else numbered
    numbers = np.array([number for number, _ in body], dtype=np.int64)
    rows = numbers - 1 if has_header else numbers
    if positional is not None:
        names = positional
    else:
        names = tuple(name.lower() for name in header)
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            problems.append(InputProblem(str(path), "column named twice in the header",
                                         column=", ".join(doubled)))
            return None
    lines = [line for _, line in body]
    regular = _regular(lines, sep, names, positional is not None)
    if regular is not None:
        return Table(path, regular, rows, header)
    data = _split(lines, sep)
    width = len(names)
    kept: list[list[str]] = []
    keep_rows: list[int] = []
    irregular: list[int] = []
    for cells, row in zip(data, rows, strict=True):
        if positional is None and len(cells) == width:
            kept.append(cells)
            keep_rows.append(int(row))
            continue
        filled = [cell for cell in cells if cell]
        if len(filled) == width or (positional is not None and len(filled) > width):
            kept.append(filled[:width])
            keep_rows.append(int(row))
            if len(filled) != len(cells):
                irregular.append(int(row))
            continue
        if positional is not None and len(cells) == width:
            kept.append(cells)
            keep_rows.append(int(row))
            continue
        expected = (f"at least {width} values ({', '.join(names)})" if positional is not None
                    else f"{width} values, one per header column ({', '.join(names)})")
        problems.append(InputProblem(str(path), f"{len(filled)} values where {expected} "
                                     "were expected", row=int(row), header=has_header))
    if irregular:
        kind = _SEPARATORS.get(sep or "", "space")
        notes.append(f"{path.name}: {len(irregular)} row(s) with doubled or trailing {kind} "
                     f"separators (first: {row_label(irregular[0], str(path), has_header)}) "
                     "read as single separators")
    cells = pd.DataFrame(kept, columns=list(names), dtype=str) if kept else pd.DataFrame(
        {name: pd.Series(dtype=str) for name in names})
    return Table(path, cells, np.asarray(keep_rows, dtype=np.int64), header)
