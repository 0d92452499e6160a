"""Schema-driven checks of a table: one vectorised pass per column, every problem collected.

Used by every loader, so parcels, the action catalogue and user-supplied option tables are
checked by the same rules (the Column specs of :mod:`region.schema`).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from region.errors import InputError, InputProblem, not_found, shown_row
from region.mojibake import gbk_read_as_latin1
from region.schema import Column

#: At most this many rows are named per problem and column; the rest are counted.
MAX_ROWS_NAMED = 5

#: Numbers beyond this magnitude are a unit or typing mistake in any of our columns (a
#: parcel's cost of 10^12 万元 per km²…) and would overflow sums to inf: refused.
MAX_MAGNITUDE = 1e12

#: How a user's CSV says yes and no, in any case: English words, 1/0, and the 是/否 a
#: Chinese planner writes (a blank cell is no).
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t", "是"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f", "", "否"})
#: What a boolean column expects, in messages.
BOOL_EXPECTED = "expected true/false (yes/no, 1/0, 是/否)"


def truth_values(values: pd.Series, blank: bool | None = None) -> pd.Series:
    """Each cell of a user's yes/no column as True or False, or None when it is neither
    (:data:`TRUE_WORDS`, :data:`FALSE_WORDS`; a bool cell as it is, a number 1 or 0 as
    true or false, an empty text as False; a missing value (NaN, a GIS's NULL) as
    ``blank``: None, refused, unless the column says a blank means "no"
    (``Column.allow_blank``), so that a parcel attribute nobody filled in is not taken for
    "no")."""
    def truth(value: object) -> bool | None:
        if isinstance(value, bool | np.bool_):
            return bool(value)
        if isinstance(value, int | float | np.number) and value in (0, 1):
            return bool(value)  # a flag of a GeoPackage read as a number, 1.0
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return blank
        text = str(value).strip().lower()
        return True if text in TRUE_WORDS else False if text in FALSE_WORDS else None

    return values.map(truth).astype(object)


def rows_problems(file: str, column: str, mask: np.ndarray, values: pd.Series,
                  message: str) -> list[InputProblem]:
    """One problem per offending row (1-based data rows), the first few named, then a count."""
    bad = np.flatnonzero(np.asarray(mask, dtype=bool))
    problems = [InputProblem(file, message, row=int(i) + 1, column=column,
                             value=_plain(values.iloc[i]))
                for i in bad[:MAX_ROWS_NAMED]]
    if len(bad) > MAX_ROWS_NAMED:
        problems.append(InputProblem(
            file, f"{message} — and {len(bad) - MAX_ROWS_NAMED} more rows like it",
            column=column))
    return problems


def not_utf8(path: Path) -> InputProblem:
    """A CSV that is not UTF-8: the first byte that is not, by its record (the header, or
    data row N under it, as pandas numbers them: blank lines skipped, a quoted cell's line
    breaks inside its record; said as a spreadsheet numbers rows, region/errors.py
    :func:`row_label`) and column, and how to save the file (the parser's own offset
    was no place in the file: pandas decodes in chunks)."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a BOM before GBK text too
    try:
        data.decode("utf-8")
        start = 0
    except UnicodeDecodeError as err:
        start = err.start
    # the records before the bad byte, byte for byte; "X" stands for it, so the last record
    # read is the one holding it, and its last field the field it is in
    before = data[:start].decode("latin-1") + "X"
    records = list(csv.reader(io.StringIO(before, newline="")))
    row = sum(1 for record in records[1:-1] if record) + 1 if len(records) > 1 else 0
    field = len(records[-1]) - 1
    header = ([name.encode("latin-1").decode("utf-8").strip() for name in records[0]]
              if row else [])
    column = header[field] if row and field < len(header) else None
    where = " in the header" if row == 0 else ""
    return InputProblem(str(path), f"is not UTF-8 text{where} (byte 0x{data[start]:02x}): "
                                   "save it as 'CSV UTF-8' (Excel's plain 'CSV' on Chinese "
                                   "Windows writes GBK)", row=row or None, column=column)


def gbk_text(path: Path) -> str | None:
    """The text of a CSV saved as GBK (Excel's plain "CSV" on Chinese Windows): not UTF-8,
    and every run of non-ASCII bytes GBK Chinese (region/mojibake.py, as the Marxan reader
    and the .dbf detection judge it); None for any other file, such as one half UTF-8 and
    half GBK, or a European name in Latin-1, which GBK would misread."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        return gbk_read_as_latin1(data.decode("latin-1"))


def _gbk_text_noted(path: Path) -> str:
    """A GBK CSV's text (:func:`gbk_text`), with a note saying so; refused as not UTF-8
    when it is not one."""
    text = gbk_text(path)
    if text is None:
        raise InputError([not_utf8(path)])
    example = re.search(r"[^\x00-\x7f]+", text)
    warnings.warn(f"{path.name}: not UTF-8 text; read as GBK (Excel's plain 'CSV' on Chinese "
                  f"Windows writes it{f', e.g. {example.group()}' if example else ''}); if "
                  "the Chinese looks wrong, save it as 'CSV UTF-8'", stacklevel=1)
    return text


def read_csv_table(path: str | Path, gbk: bool = False, **read_csv) -> pd.DataFrame:
    """Read a CSV input; an absent, empty, undecodable or ragged file raises
    :class:`InputError` naming the file (and the line), never a parser's own message.
    A UTF-8 byte-order mark (Excel's "CSV UTF-8") is accepted; with ``gbk``, a file that is
    GBK Chinese (:func:`gbk_text`) is read too, with a note (a file a planner edits in
    Excel: progress.csv)."""
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise InputError([not_found(path)])
    if path.is_dir():
        raise InputError([InputProblem(file, "is a folder, expected a CSV file")])
    head = path.read_bytes()[:4]
    if head.startswith(b"PK"):
        raise InputError([InputProblem(file, "is an Excel workbook (or another zip file), "
                                             "not CSV: save it as 'CSV UTF-8'")])
    text = None  # the file's text when it is GBK; pandas reads UTF-8 from the path
    try:
        try:
            frame = pd.read_csv(path, encoding="utf-8-sig", **read_csv)
        except UnicodeDecodeError:
            if not gbk:
                raise InputError([not_utf8(path)]) from None
            text = _gbk_text_noted(path)
            frame = pd.read_csv(io.StringIO(text), **read_csv)
    except pd.errors.EmptyDataError:
        raise InputError([InputProblem(file, "is empty: expected a header row of column "
                                             "names and one row per record")]) from None
    except pd.errors.ParserError as err:
        raise InputError([InputProblem(file, f"is not a well-formed CSV table: {err}")]) \
            from None
    if frame.columns.empty:
        raise InputError([InputProblem(file, "has no columns: expected a header row")])
    frame = _without_trailing_blank_rows(frame)
    if "index_col" not in read_csv and not frame.index.equals(pd.RangeIndex(len(frame))):
        # pandas takes a first data row longer than the header as "the first column is
        # the index" and shifts every value one column to the right: refuse, naming rows.
        raise InputError(_long_rows(path, len(frame.columns), text))
    return frame


def blank_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """True where a cell is blank: missing, or only spaces. Compared after the strip, so a
    frame without rows gives booleans too (an empty frame's ``apply`` returns the frame
    itself, text, which or-ed with booleans is deprecated in pandas)."""
    return frame.isna() | frame.astype(str).apply(lambda c: c.str.strip()).eq("")


def _without_trailing_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the rows at its end whose every cell is blank (",,,,": rows a
    spreadsheet keeps after their contents were cleared). Only at the end, so that every
    other row keeps its number in messages."""
    blank = blank_cells(frame).all(axis=1)
    filled = np.flatnonzero(~blank.to_numpy())
    last = filled[-1] + 1 if len(filled) else 0
    return frame if last == len(frame) else frame.iloc[:last]


def _long_rows(path: Path, columns: int, text: str | None = None) -> list[InputProblem]:
    """One problem per data row with more fields than the header's ``columns`` (the file
    read as UTF-8, or its ``text`` when it was read from GBK)."""
    with (path.open(encoding="utf-8-sig", newline="") if text is None
          else io.StringIO(text, newline="")) as handle:
        rows = [fields for fields in csv.reader(handle) if fields][1:]  # as pandas: no blanks
    return [InputProblem(str(path), f"has {len(fields)} fields but the header names "
                                    f"{columns} columns ({_shown(fields)}): a number written "
                                    "with a thousands separator (18,500), a comma inside a "
                                    "name that needs quotes, or a stray comma at the end?",
                         row=row)
            for row, fields in enumerate(rows, start=1) if len(fields) > columns]


def _shown(fields: list[str], limit: int = 80) -> str:
    """A row's fields as the file has them, cut to ``limit`` characters."""
    text = ",".join(fields)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def check_table(frame: pd.DataFrame, specs: Iterable[Column], file: str) -> list[InputProblem]:
    """Every problem of ``frame`` against the column specs: missing, type, range, choices."""
    problems: list[InputProblem] = []
    for spec in specs:
        if spec.name not in frame.columns:
            if spec.required:
                problems.append(InputProblem(
                    file, f"missing column '{spec.name}' ({spec.kind}"
                          f"{', ' + spec.unit if spec.unit else ''}: {spec.description})"))
            continue
        problems += check_column(frame[spec.name], spec, file)
    return problems


@dataclass(frozen=True)
class UnitOfFigure:
    """A unit a figure is asked in, for the implausibly-large check: ``what`` is measured,
    ``name`` the unit, ``explained`` the unit with its size (a figure typed in the smaller
    unit is 10,000 times too large)."""

    what: str
    name: str
    explained: str


MONEY_UNIT = UnitOfFigure("money", "万元", "万元 (1 万元 = 10,000 元)")
WATER_UNIT = UnitOfFigure("water", "万m³", "万m³ (1 万m³ = 10,000 m³)")


def implausibly_large(beyond: str, unit: str) -> str:
    """What a figure too large to be meant says: ``beyond`` what, and the unit it should be
    in (a unit or typing mistake: 元 typed where 万元 are asked)."""
    return f"implausibly large ({beyond}): check the unit{', ' + unit if unit else ''}"


def columns_not_ours(columns: Iterable[object], specs: Iterable[Column],
                     problems: list[InputProblem], file: str, advice: str = "",
                     known: Iterable[str] = ()) -> list[InputProblem]:
    """When ``problems`` has a column of ours missing, one problem listing the file's
    columns that are neither ours (``specs``) nor ``known`` (columns read elsewhere, such
    as a GeoPackage's geometry, or written only to be read by a person, such as the
    progress template's action_zh): Chinese headers, names cut by another program; the
    planner sees what to rename to which of our names, or ``advice`` when given."""
    if not any(p.message.startswith("missing column") for p in problems):
        return []
    ours = [spec.name for spec in specs]
    others = [str(c) for c in columns if str(c) not in {*ours, *known}]
    if not others:
        return []
    shown = ", ".join(others[:15]) + (f", … ({len(others)} in all)" if len(others) > 15
                                      else "")
    advice = advice or f"Rename those that hold ours to our names: {', '.join(ours)}"
    return [InputProblem(file, f"its columns that are not ours: {shown}. {advice}")]


def check_column(values: pd.Series, spec: Column, file: str) -> list[InputProblem]:
    """Problems of one column; numeric kinds must parse, be finite and lie in the range."""
    problems: list[InputProblem] = []
    if spec.kind in ("int", "float"):
        numeric = pd.to_numeric(values, errors="coerce")
        blank = values.isna() | (values.astype(str).str.strip() == "")
        not_number = (numeric.isna() & ~(blank & spec.allow_blank)).to_numpy()
        problems += rows_problems(file, spec.name, not_number, values,
                                  f"expected a number ({spec.kind})")
        number = numeric.to_numpy(dtype=float, na_value=np.nan)
        not_number = not_number | np.isnan(number)  # blanks allowed: skip the range checks
        infinite = ~not_number & np.isinf(number)
        problems += rows_problems(file, spec.name, infinite, values,
                                  "expected a finite number")
        huge = ~not_number & ~infinite & (np.abs(number) > MAX_MAGNITUDE)
        problems += rows_problems(file, spec.name, huge, values,
                                  implausibly_large(f"beyond ±{MAX_MAGNITUDE:.0e}", spec.unit))
        not_number = not_number | infinite | huge
        if spec.kind == "int":
            fractional = ~not_number & (np.abs(number - np.round(number)) > 1e-9)
            problems += rows_problems(file, spec.name, fractional, values,
                                      "expected a whole number")
        if spec.minimum is not None:
            problems += rows_problems(file, spec.name, ~not_number & (number < spec.minimum),
                                      values, f"must be ≥ {spec.minimum:g}")
        if spec.maximum is not None:
            problems += rows_problems(file, spec.name, ~not_number & (number > spec.maximum),
                                      values, f"must be ≤ {spec.maximum:g}")
    elif spec.kind == "str" and spec.required and not spec.allow_blank:
        blank = (values.isna() | (values.astype(str).str.strip() == "")).to_numpy()
        problems += rows_problems(file, spec.name, blank, values, "blank: expected a value")
    elif spec.kind == "bool":
        read = truth_values(values, False if spec.allow_blank else None)
        problems += rows_problems(file, spec.name, read.isna().to_numpy(),
                                  values, BOOL_EXPECTED)
    if spec.choices is not None:
        text = values.fillna("").astype(str)
        problems += rows_problems(file, spec.name, ~text.isin(spec.choices).to_numpy(), values,
                                  f"expected one of {list(spec.choices)}")
    return problems


def coerce_table(frame: pd.DataFrame, specs: Iterable[Column]) -> pd.DataFrame:
    """Columns in their declared dtypes (call only after :func:`check_table` found nothing)."""
    out = frame.copy()
    for spec in specs:
        if spec.name not in out.columns:
            continue
        column = out[spec.name]
        if spec.kind == "int":
            out[spec.name] = pd.to_numeric(column).round().astype("int64")
        elif spec.kind == "float" and spec.allow_blank:
            out[spec.name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif spec.kind == "float":
            out[spec.name] = pd.to_numeric(column).astype("float64")
        elif spec.kind == "bool":
            out[spec.name] = truth_values(column, False).eq(True)
        else:
            out[spec.name] = column.fillna("").astype(str).str.strip()
    return out


def duplicates(file: str, column: str, values: pd.Series,
               what: str = "duplicate id") -> list[InputProblem]:
    """Rows whose value repeats an earlier row's, each naming the first row that has it (the
    first occurrence is not flagged); the first few named, then a count."""
    repeated = values.duplicated(keep="first").to_numpy()
    first_row = pd.Series(np.arange(1, len(values) + 1), index=values.index).groupby(
        values.to_numpy(), dropna=False, sort=False).transform("min").to_numpy()
    bad = np.flatnonzero(repeated)
    problems = [InputProblem(file, f"{what}: row {shown_row(first_row[i], file)} has it "
                                   "already", row=int(i) + 1, column=column,
                             value=_plain(values.iloc[i]))
                for i in bad[:MAX_ROWS_NAMED]]
    if len(bad) > MAX_ROWS_NAMED:
        problems.append(InputProblem(
            file, f"{what} — and {len(bad) - MAX_ROWS_NAMED} more rows like it", column=column))
    return problems


def split_list(text: object) -> tuple[str, ...]:
    """'1|2|3' → ('1', '2', '3'); empty or NaN → ()."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ()
    return tuple(part.strip() for part in str(text).split("|") if part.strip())
