"""Tables written into openpyxl worksheets as the priority lists are handed in: two-line
bilingual headers (Chinese first), number formats, row heights that fit wrapped CJK text (no
spreadsheet sizes them on opening), total rows, and printed pages with the header row repeated
on every page: A4 landscape fitted to the width for the short tables; for the long lists
(30-odd columns, which fitted to one A4 width printed at ~3 pt) A3 landscape, the columns
in groups of one page width each (what the work is and where; money, funding and targets;
water, benefits, score and reason) with the identifying columns repeated on every page, at a
scale a bureau can read (:func:`print_in_column_groups`)."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from outputs.labels import area_text


@dataclass(frozen=True)
class Column:
    """One column of a table: data key, Chinese and English header, Excel number format,
    width (in characters), whether text wraps, whether a total row sums it, and a note
    for the 说明 Notes sheet."""

    key: str
    zh: str
    en: str
    number_format: str = "General"
    width: float = 10.0
    wrap: bool = False
    summed: bool = False
    note: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh}\n{self.en}"


MU, HM2, MONEY, WATER, COUNT = "#,##0", "#,##0.0", "#,##0.0", "#,##0.0", "#,##0"
WAN_MU = "#,##0.00"

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
LINE_PT = 16.0  # row height per line of 11 pt text, CJK fonts' line spacing included


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide (East Asian
    wide characters count twice, as in Excel's CJK fonts). Spreadsheets do not
    size wrapped rows on opening, so rows get this height to print all their text."""
    chars = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, math.ceil(chars / max(width - 1.0, 1.0)))


def sheet_width(ws: Worksheet, k: int, column: Column) -> float:
    """The width of the ``k``-th column as the sheet already sets it (a sheet of several
    tables, as the Summary, has one width per column for all of them), else ``column``'s:
    rows are sized for the width they print at."""
    letter = get_column_letter(k)
    return ws.column_dimensions[letter].width if letter in ws.column_dimensions \
        else column.width


def write_header(ws: Worksheet, row: int, columns: list[Column]) -> None:
    """The two-line bilingual header in ``row``, bold on blue, tall enough for its text."""
    for k, column in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=k, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    widths = [sheet_width(ws, k, column) for k, column in enumerate(columns, start=1)]
    lines = max(text_lines(column.zh, width) + text_lines(column.en, width)
                for column, width in zip(columns, widths, strict=True))
    ws.row_dimensions[row].height = LINE_PT * lines + 4


def _cell_value(value: object) -> object:
    """A cell value: numpy scalars as Python ones, NaN and NA as empty cells."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value if isinstance(value, int | float | str | bool) else str(value)


def _cell_style(ws: Worksheet, column: Column) -> str:
    """The workbook's named style for the cells of ``column`` (number format, top-aligned,
    wrapped or not, grid), registered once: one style per cell instead of three
    assignments makes writing a long list several times faster."""
    name = f"清单 {'wrap' if column.wrap else 'cell'} {column.number_format}"
    if name not in ws.parent.named_styles:
        alignment = Alignment(vertical="top", wrap_text=True, indent=1) if column.wrap \
            else Alignment(vertical="top")
        ws.parent.add_named_style(NamedStyle(name=name, number_format=column.number_format,
                                             alignment=alignment, border=GRID))
    return name


def write_rows(ws: Worksheet, row: int, frame: pd.DataFrame, columns: list[Column]) -> int:
    """Write ``frame``'s columns from ``row`` on; wrapped rows get a height that fits their
    longest text (so that the printed list shows it all). Returns the next free row."""
    styles = [_cell_style(ws, column) for column in columns]
    widths = [sheet_width(ws, k, column) for k, column in enumerate(columns, start=1)]
    for values in frame[[c.key for c in columns]].itertuples(index=False):
        lines = 1
        for k, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(row=row, column=k, value=_cell_value(value))
            cell.style = styles[k - 1]
            if column.wrap and isinstance(value, str):
                lines = max(lines, text_lines(value, widths[k - 1] - 1))  # 1 for the indent
        if lines > 1:
            ws.row_dimensions[row].height = LINE_PT * lines
        row += 1
    return row


def write_total_row(ws: Worksheet, row: int, frame: pd.DataFrame, columns: list[Column],
                    label: str) -> None:
    """``label`` in the first cell, then the sum of every ``summed`` column, bold."""
    ws.cell(row=row, column=1, value=label).font = Font(bold=True)
    for k, column in enumerate(columns, start=1):
        if column.summed and column.key in frame:
            cell = ws.cell(row=row, column=k, value=float(frame[column.key].sum()))
            cell.number_format, cell.font = column.number_format, Font(bold=True)


def page_setup(ws: Worksheet, columns: list[Column], header_row: int | None,
               freeze: str | None) -> None:
    """Column widths; A4 landscape fitted to the page width, the header row repeated on
    every page, the sheet name and page numbers in the header and footer."""
    for k, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = column.width
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.horizontalCentered = True
    ws.oddHeader.left.text = "&A"
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页  Page &P of &N"
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = freeze


#: Printable width of an A3 landscape page (420 mm) within page_setup's 0.4-inch margins, pt.
A3_PRINTABLE_PT = 420 / 25.4 * 72 - 2 * 0.4 * 72
#: The columns a long list's printed page groups start with: the money and targets, then
#: the water, benefits, scores and reason (the first group says what the work is and where).
PAGE_STARTS = ("area_mu", "area_wan_mu", "water_wan_m3_per_yr")


def column_pt(width: float) -> float:
    """Printed width (pt at 100 %) of a column ``width`` characters wide: Excel's 7-pixel
    digit of the 11-pt default font plus 5 pixels of padding, at 0.75 pt a pixel."""
    return int(width * 7 + 5) * 0.75


def print_in_column_groups(ws: Worksheet, columns: list[Column], title_columns: int) -> None:
    """Print a long list on A3 landscape in column groups (a manual page break before each
    column of :data:`PAGE_STARTS`), the first ``title_columns`` (rank, unit, parcel)
    repeated left on every page, at the largest scale (≤ 100 %) at which the widest group
    with them fits the page; a set of rows prints all its groups before the next rows.
    Replaces the fit-to-one-page-width of :func:`page_setup` (Excel ignores manual breaks
    when fitting to pages)."""
    starts = [k for k, column in enumerate(columns) if k > 0 and column.key in PAGE_STARTS]
    bounds = [0, *starts, len(columns)]
    titles = sum(column_pt(c.width) for c in columns[:title_columns])
    widest = max(sum(column_pt(c.width) for c in columns[a:b]) + (titles if a else 0.0)
                 for a, b in zip(bounds, bounds[1:], strict=False))
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
    ws.page_setup.scale = max(10, min(100, int(A3_PRINTABLE_PT / widest * 100)))
    ws.page_setup.pageOrder = "overThenDown"
    for k in starts:
        ws.col_breaks.append(Break(id=k))  # left of the (0-based) k-th column
    if title_columns:
        ws.print_title_cols = f"A:{get_column_letter(title_columns)}"


def write_title(ws: Worksheet, text: str) -> None:
    """The sheet's title in its first cell."""
    ws.cell(row=1, column=1, value=text).font = Font(bold=True, size=13)


def title_note(ws: Worksheet, title: str, note: str, columns: list[Column]) -> None:
    """``note`` in the title row, right of the title (13 pt: ~1.3 characters a character)
    and merged to the last column, wrapped, the row as tall as its lines."""
    title_width = 1.3 * sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
                            for ch in title)
    first, span = 0, 0.0
    while first < len(columns) - 1 and span < title_width:
        span += columns[first].width
        first += 1
    width = sum(c.width for c in columns[first:])
    ws.merge_cells(start_row=1, start_column=first + 1, end_row=1, end_column=len(columns))
    cell = ws.cell(row=1, column=first + 1, value=note)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    cell.font = Font(color="7F4F00")
    ws.row_dimensions[1].height = LINE_PT * text_lines(note, width) + 4


def list_sheet(wb: Workbook, name: str, title: str, rows: pd.DataFrame,
               columns: list[Column], freeze: str, note: str = "",
               total_label: str | None = None) -> Worksheet:
    """A ranked list: title (with ``note`` beside it, e.g. what in it is modelled), header
    on row 2, one row per entry, a total row (its label ``total_label``, by default the
    entries and their area in 万亩 or 亩).
    Returns the sheet (more goes under it from ``ws.max_row + 2``)."""
    ws = wb.create_sheet(name)
    write_title(ws, title)
    if note:
        title_note(ws, title, note, columns)
    write_header(ws, 2, columns)
    end = write_rows(ws, 3, rows, columns)
    if rows.empty:
        ws.cell(row=end, column=1, value="无 None")
    else:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{end - 1}"
        write_total_row(ws, end, rows, columns, total_label or (
            f"合计 Total: {len(rows)} 项 entries, {area_text(rows['area_km2'].sum())}"))
    page_setup(ws, columns, 2, freeze)
    print_in_column_groups(ws, columns, title_columns=ws[freeze].column - 1)
    return ws


def text_block(ws: Worksheet, row: int, lines: list[str], width: int = 12) -> int:
    """Bold-free paragraphs merged across ``width`` columns, one per row, heights fitted."""
    for line in lines:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = ws.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = LINE_PT * text_lines(line, 12.0 * width) + 4
        row += 1
    return row


def write_table(ws: Worksheet, row: int, caption: str, frame: pd.DataFrame,
                columns: list[Column], total: bool) -> int:
    """A captioned table with a header and, if asked, a total row; returns the next row
    after a blank line."""
    ws.cell(row=row, column=1, value=caption).font = Font(bold=True)
    write_header(ws, row + 1, columns)
    row = write_rows(ws, row + 2, frame, columns)
    if total:
        write_total_row(ws, row, frame, columns, "合计 Total")
        row += 1
    return row + 2


