"""The page kit of the HTML reports (run, re-plan, sensitivity): a self-contained page with
plotly.js inlined once and the CJK font embedded as a subset of the characters it draws,
figures drawn once that font has loaded, and tables and paragraphs escaped.

Chinese renders from an embedded subset of Noto Sans CJK SC built from every character the
page draws: its HTML text and the text inside its charts' data (titles, legends, hover
text), which plotly's JSON carries as ``\\uXXXX`` escapes (:func:`page_text`).
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
import uuid
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from fontTools import subset
from plotly.offline import get_plotlyjs

from outputs.fonts import FONT_FILE
from outputs.labels import figure_text

FONT = "Report CJK"  # the embedded subset of Noto Sans CJK SC
STYLE = """
body{font-family:"Report CJK",sans-serif;margin:24px;
color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;
margin-top:32px}table{border-collapse:collapse;font-size:13px;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#e8f0f8}
td:first-child,th:first-child,td.text{text-align:left}.note{color:#555;font-size:13px}
img{max-width:100%;border:1px solid #ddd}
.banner{background:#fff4d6;border:1px solid #e0b84c;padding:8px 12px;font-size:14px}
"""
# Plotly measures (and caches) text widths when it draws: drawn before the embedded font has
# loaded, legends are sized for the fallback font and clip the Chinese labels. So every chart
# waits for the font.
DRAW = ("const fontLoaded = document.fonts.load(\"16px 'Report CJK'\", '中文').catch(() => null);"
        "function draw(id, figure) { fontLoaded.then(() => Plotly.newPlot(id, figure.data,"
        " figure.layout, {displaylogo: false, responsive: true})); }")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def page_text(body: str) -> str:
    """Every character the page can draw: its text with HTML entities and the ``\\uXXXX``
    escapes of the charts' JSON decoded."""
    return html.unescape(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), body))


def font_face(text: str) -> str:
    """An @font-face rule embedding Noto Sans CJK SC cut down to the characters of ``text``
    (tens of kB instead of 16 MB), so that Chinese renders on machines without CJK fonts."""
    return _font_face("".join(sorted(set(text))))


@functools.lru_cache(maxsize=8)
def _font_face(characters: str) -> str:
    """:func:`font_face` of these sorted, distinct characters, kept: cutting the font takes
    seconds, and the reports of one process (a sweep's, a test run's) often draw the same
    characters."""
    options = subset.Options()
    options.name_IDs = ["*"]
    # fontTools' own loader, as its subset command: no bounding boxes recalculated on
    # saving (most of the time on a CFF font) and no new timestamp in the font.
    buffer = io.BytesIO()
    with subset.load_font(FONT_FILE, options) as font:  # closed: its file stays open else
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"@font-face{{font-family:'{FONT}';"
            f"src:url(data:font/otf;base64,{data}) format('opentype');}}")


def figure_html(figure: go.Figure) -> str:
    """A plotly figure as a page fragment (plotly.js comes once, from ``html_page``), in the
    embedded font, 380 px high unless the figure sets its own height."""
    height = figure.layout.height or 380
    figure.update_layout(margin={"l": 60, "r": 20, "t": 50, "b": 50}, height=height,
                         font={"family": f"{FONT}, sans-serif"})
    div = f"plot-{uuid.uuid4().hex[:12]}"
    data = figure.to_json().replace("</", "<\\/")  # no "</script>" inside the script
    return (f'<div id="{div}" style="height:{height}px"></div>'
            f'<script>draw("{div}", {data});</script>')


def _cell(value) -> str:
    """A value as table text; a missing whole number (pandas' NA, e.g. a dropped work's new
    year) as "—", not the text "<NA>"."""
    if value is None or value is pd.NA:
        return "—"
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else figure_text(float(value))
    return html.escape(str(value))


def html_table(frame: pd.DataFrame, formats: dict[str, str] | None = None,
               right: Sequence[str] = ()) -> str:
    """A table with numbers right-aligned to 4 significant digits (or in the ``formats``
    given per column, e.g. ``",.2f"`` where rows must add up to a total row) and text
    left-aligned, except the ``right`` columns: figures already written as text."""
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) or c in right for c in frame.columns]
    spec = [(formats or {}).get(c) for c in frame.columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = ["<tr>" + "".join(
        (f"<td>{_cell(v) if f is None or pd.isna(v) else format(v, f)}</td>" if n
         else f"<td class='text'>{_cell(v)}</td>")
        for v, n, f in zip(row, numeric, spec, strict=True)) + "</tr>"
            for row in frame.itertuples(index=False)]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def paragraphs(lines: list[str], css: str = "note") -> str:
    """Each line as an HTML paragraph of class ``css``, escaped."""
    return "".join(f"<p class='{css}'>{html.escape(line)}</p>" for line in lines)


def html_page(title: str, sections: list[str]) -> str:
    """A self-contained page: the sections, plotly.js inlined, the CJK font subset of every
    character the page draws."""
    body = "\n".join(sections)
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>"
            f"<style>{font_face(page_text(title + body))}{STYLE}</style>"
            f"<script>{get_plotlyjs()}</script>"
            f"<script>{DRAW}</script></head><body>{body}</body></html>")
