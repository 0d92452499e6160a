"""Full-width (Chinese) punctuation where TOML expects ASCII, named in plain words.

A planner typing with a Chinese input method gets curly quotes “ ”, the full-width comma ，
or full-width digits １２００ in a scenario file; TOML reads none of them, and the parser's
own words ("Invalid value (at line 3, column 15)") do not say which character is wrong.
"""

from __future__ import annotations

import re

#: Full-width characters → (their name, what to type instead).
FULL_WIDTH = {
    "“": ("the curly quote “", 'the straight quote "'),
    "”": ("the curly quote ”", 'the straight quote "'),
    "‘": ("the curly quote ‘", "the straight quote '"),
    "’": ("the curly quote ’", "the straight quote '"),
    "＂": ('the full-width quote ＂', 'the straight quote "'),
    "，": ("the full-width comma ，", "',' between items, nothing inside a number"),
    "、": ("the enumeration comma 、", "',' between items"),
    "：": ("the full-width colon ：", "':'"),
    "＝": ("the full-width equals sign ＝", "'='"),
    "。": ("the ideographic full stop 。", "'.'"),
    "．": ("the full-width full stop ．", "'.'"),
    "［": ("the full-width bracket ［", "'['"),
    "］": ("the full-width bracket ］", "']'"),
    "｛": ("the full-width brace ｛", "'{'"),
    "｝": ("the full-width brace ｝", "'}'"),
    "－": ("the full-width minus －", "'-'"),
    "＿": ("the full-width underscore ＿", "'_'"),
    "＃": ("the full-width number sign ＃", "'#'"),
    "\u3000": ("the full-width space", "an ordinary space"),
    **dict.fromkeys("０１２３４５６７８９", ("full-width digits ０-９", "the digits 0-9")),
}
_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def _named(chars: list[str], with_fix: bool) -> str:
    entries = dict.fromkeys(FULL_WIDTH[c] for c in chars)  # the digits are one entry
    return " and ".join(name + (f" (type {instead})" if with_fix else "")
                        for name, instead in entries)


def _found(text: str) -> list[str]:
    return list(dict.fromkeys(c for c in text if c in FULL_WIDTH))


def toml_error_hint(text: str, message: str) -> str:
    """For a TOML syntax error: '; line 3 holds the curly quote “ (type …) …' naming the
    full-width characters of the line it names, or '' when there is none."""
    where = _LINE.search(message)
    lines = text.splitlines()
    if where is None or not 0 < int(where.group(1)) <= len(lines):
        return ""
    number = int(where.group(1))
    found = _found(lines[number - 1])
    if not found:
        return _bare_key_hint(lines[number - 1], number)
    return (f"; line {number} holds {_named(found, True)}: TOML reads only ASCII digits and "
            "punctuation")


#: A table header or ``key =`` whose bare key holds a character TOML's bare keys lack.
_BARE_KEY = re.compile(r"^\s*\[{1,2}[^\]\"']*?(?P<h>[^\x00-\x7f]+)"
                       r"|^\s*(?P<k>[^=\"'\[]*?[^\x00-\x7f][^=\"']*?)\s*=")


def _bare_key_hint(line: str, number: int) -> str:
    """'; line 9 has the key 高昌 without quotes …' for a Chinese name written as a bare key
    (``[budget.per_county.高昌]``), which TOML reads only in quotes; '' otherwise."""
    match = _BARE_KEY.search(line)
    if match is None:
        return ""
    key = (match.group("h") or match.group("k")).strip().split(".")[-1].strip()
    return (f"; line {number} has the key {key} without quotes: TOML keys outside quotes are "
            f"ASCII letters, digits, '-' and '_', so write \"{key}\" (a county by its code, "
            "e.g. 650402 for 高昌区)")


def value_hint(value: object, numeric: bool) -> str:
    """For a text value of the wrong type: '; it holds the full-width comma ，: type 20000'
    (the number as TOML reads it, when ``numeric`` and it is one), or ''."""
    if not isinstance(value, str) or not (found := _found(value)):
        return ""
    number = as_ascii_number(value) if numeric else None
    return f"; it holds {_named(found, number is None)}" + (f": type {number}" if number
                                                              else "")


def as_ascii_number(text: str) -> str | None:
    """A quoted number typed with full-width digits or separators (``"20，000"``,
    ``"１２００"``) written as TOML reads it (``20000``, ``1200``), or None."""
    ascii_text = "".join(chr(ord(c) - 0xFEE0) if "０" <= c <= "９" else c for c in text)
    ascii_text = ascii_text.replace("，", "").replace(",", "").replace("．", ".").strip()
    try:
        float(ascii_text)
    except ValueError:
        return None
    return ascii_text
