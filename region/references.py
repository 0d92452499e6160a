"""Codes a scenario names, checked against what the region has: a misspelt action in a rule
must not silently match nothing.

A scenario field that names something of the region is declared with one of the annotated
types below (``action: ActionCode``, ``per_year: dict[Year, float]``, …); fields added
without them are recognised by their name (:data:`KINDS_BY_NAME`, :data:`KEY_KINDS_BY_NAME`).
:func:`reference_problems` walks any validated pydantic model, so keys added to the
scenario later are checked without further code.

An action may be named by its code or its Chinese name in the catalogue (封育 for
``enclosure``, region/action_names.py): a scenario validated with the catalogue's names in
its context (:data:`ACTION_NAMES`) holds the codes.
"""

from __future__ import annotations

import difflib
import math
import types
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import numpy as np
import pandas as pd
from pydantic import BaseModel, BeforeValidator, ValidationInfo

from region.errors import InputProblem, holds_stand_in, stands_in

CodeKind = Literal["action", "county", "zone", "year", "project", "land_cover", "parcel"]


@dataclass(frozen=True)
class CodeOf:
    """Marks a field (or a dict's keys) whose values are codes of ``kind``."""

    kind: CodeKind


#: Validation context key: the catalogue's action names → codes
#: (region/action_names.py :func:`action_codes_by_name`). Given, an action named by its
#: Chinese name is read as its code; not given (the catalogue did not load), it is kept as
#: typed and :func:`reference_problems` judges it by ``RegionCodes.action_names``.
ACTION_NAMES = "action_names"


def _action_code(value: object, info: ValidationInfo) -> object:
    """``value`` as its action code when the validation context names it
    (:data:`ACTION_NAMES`); anything else as it is, for the field's own checks."""
    names = (info.context or {}).get(ACTION_NAMES) or {}
    return names.get(value.strip(), value) if isinstance(value, str) else value


#: An action as a scenario names it: its code, or its Chinese name read as its code.
ActionName = Annotated[str, BeforeValidator(_action_code)]
ActionCode = Annotated[ActionName, CodeOf("action")]
CountyCode = Annotated[str, CodeOf("county")]
ZoneCode = Annotated[int, CodeOf("zone")]
Year = Annotated[int, CodeOf("year")]
ProjectId = Annotated[str, CodeOf("project")]
LandCover = Annotated[str, CodeOf("land_cover")]
ParcelId = Annotated[int, CodeOf("parcel")]

#: Fields recognised by name when they carry no annotation.
KINDS_BY_NAME: dict[str, CodeKind] = {
    "action": "action", "actions": "action", "before": "action", "after": "action",
    "county": "county", "counties": "county", "zone": "zone", "zones": "zone",
    "year": "year", "years": "year", "by_year": "year", "start_year": "year",
    "project": "project", "projects": "project", "project_id": "project",
    "project_ids": "project", "land_cover": "land_cover", "land_covers": "land_cover",
    "parcel_id": "parcel", "parcel_ids": "parcel",
}
#: Dict fields whose keys are codes, recognised by name.
KEY_KINDS_BY_NAME: dict[str, CodeKind] = {
    "per_year": "year", "per_county": "county", "county_min_share": "county",
    "per_zone": "zone", "per_action": "action", "per_project": "project",
}

#: What each kind is called in messages.
KIND_NAMES: dict[CodeKind, str] = {
    "action": "action", "county": "county", "zone": "zone", "year": "year",
    "project": "project", "land_cover": "land cover", "parcel": "parcel id",
}


@dataclass(frozen=True)
class RegionCodes:
    """What exists: the codes a scenario may name (None: that file could not be read, so
    its codes are not checked), and the horizon's first and last year."""

    actions: frozenset[str] | None
    counties: frozenset[str] | None
    zones: frozenset[str] | None
    projects: frozenset[str] | None
    land_covers: frozenset[str] | None
    parcels: frozenset[str] | None
    years: tuple[int, int]
    #: code → "高昌区 Gaochang District": a county's name typed for its code is suggested.
    county_names: Mapping[str, str] = dataclass_field(default_factory=dict)
    #: name → code (region/action_names.py): an action named by its Chinese name names that
    #: code (a scenario read before the catalogue loaded keeps the name as typed).
    action_names: Mapping[str, str] = dataclass_field(default_factory=dict)

    def known(self, kind: CodeKind) -> frozenset[str] | None:
        return {"action": self.actions, "county": self.counties, "zone": self.zones,
                "project": self.projects, "land_cover": self.land_covers,
                "parcel": self.parcels}[kind]


def code_text(value: object) -> str:
    """A code as text, however it was typed or read: 2, 2.0 and '2' are zone 2 (a county
    read from a file as 650402.0 is '650402'); a blank cell (None, NaN, pd.NA) is ''; text is
    kept as typed but for surrounding spaces, so '01' stays '01' (a project id is text)."""
    if value is None or value is pd.NA or (isinstance(value, float | np.floating)
                                           and math.isnan(value)):
        return ""
    if isinstance(value, float | np.floating) and math.isfinite(value) \
            and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def reference_problems(model: BaseModel, codes: RegionCodes, source: str,
                       lenient_years: bool = False,
                       strict_keys: Container[str] = (),
                       unchecked: Container[str] = ()) -> list[InputProblem]:
    """Every code ``model`` names that the region does not have, and every year outside the
    horizon. With ``lenient_years`` (the horizon was narrowed on the command line), a year
    key outside the horizon (``budget.per_year``) is allowed: it is simply not used; but not
    one of ``strict_keys`` (key paths like ``budget.per_year.2040`` that an option typed:
    a year asked for on the command line and then unused would be a silent mistake).
    The keys of ``unchecked`` (dotted key paths with problems of their own, left to
    their defaults or stand-ins) are skipped with all they hold, and with a key of
    ``horizon`` among them every year (the horizon is not known)."""
    problems = []
    for path, kind, value, is_key in _references(model, ()):
        key = ".".join(str(p) for p in path)
        if stands_in(key, unchecked) or (kind == "year"
                                         and holds_stand_in("horizon", unchecked)):
            continue
        if kind == "year":
            if _year_ok(value, codes.years) or (is_key and lenient_years
                                                and key not in strict_keys):
                continue
            first, last = codes.years
            problems.append(InputProblem(
                source, f"year {code_text(value)} is outside the horizon {first}-{last}: a "
                        "typing mistake, or widen [horizon]", column=key))
            continue
        known = codes.known(kind)
        if known is None or code_text(value) in known or (
                kind == "action" and codes.action_names.get(code_text(value)) in known):
            continue
        problems.append(InputProblem(source, _unknown_message(kind, value, known, codes),
                                     column=key))
    return problems


def _year_ok(value: object, years: tuple[int, int]) -> bool:
    try:
        year = int(code_text(value))
    except ValueError:
        return False
    return years[0] <= year <= years[1]


def _unknown_message(kind: CodeKind, value: object, known: frozenset[str],
                     codes: RegionCodes) -> str:
    text = code_text(value)
    what = KIND_NAMES[kind]
    if not known:
        return f"unknown {what} '{text}': the region has none"
    guess = (county_guess(text, sorted(known), codes.county_names) if kind == "county"
             else action_guess(text, known, codes.action_names) if kind == "action"
             else None)
    close = difflib.get_close_matches(text, sorted(known), n=1, cutoff=0.6)
    hint = (f" (did you mean {guess}?)" if guess
            else f" (did you mean '{close[0]}'?)" if close else "")
    listed = sorted(known)
    shown = ", ".join(listed[:12]) + (f", … ({len(listed)} in all)" if len(listed) > 12
                                       else "")
    named = (" or its Chinese name (name_zh in the action catalogue)"
             if kind == "action" and codes.action_names else "")
    return f"unknown {what} '{text}'{hint}: expected one of {shown}{named}"


def action_guess(text: str, known: frozenset[str], names: Mapping[str, str]) -> str | None:
    """"'坎儿井保护' (karez_protection)" for a Chinese name close to a catalogue action's
    (坎儿井保, 坎儿井保护工程); None when none is, or ``text`` is close to a code (the code
    is suggested then)."""
    chinese = sorted(n for n, code in names.items() if n != code and code in known)
    if not chinese or difflib.get_close_matches(text, sorted(known), n=1, cutoff=0.6):
        return None
    close = difflib.get_close_matches(text, chinese, n=1, cutoff=0.6)
    return f"'{close[0]}' ({names[close[0]]})" if close else None


def county_guess(code: str, known: list[str], names: Mapping[str, str]) -> str | None:
    """"'650402' (高昌区 …)" for a slip (codes one digit off, all of them when several are),
    or a county's name typed for its code (高昌 → 650402; ``names``: code → "高昌区
    Gaochang District"); None when neither."""
    def named(c: str) -> str:
        return f"'{c}' ({names[c]})" if names.get(c) else f"'{c}'"

    one_off = [c for c in known if len(c) == len(code)
               and sum(a != b for a, b in zip(c, code, strict=True)) == 1]
    if one_off:
        return " or ".join(named(c) for c in one_off)
    by_name = [c for c in known if code and any(
        code.lower() in part.lower() for part in names.get(c, "").split())]
    if len(by_name) == 1:
        return named(by_name[0])
    close = difflib.get_close_matches(code, [names.get(c, "") for c in known], n=1,
                                      cutoff=0.6)
    return next((named(c) for c in known if close and names.get(c) == close[0]), None)


def _references(model: BaseModel, path: tuple
                ) -> Iterator[tuple[tuple, CodeKind, Any, bool]]:
    """(key path, kind, value, is a dict key) for every code ``model`` names."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        kind = _kind_in(field.metadata) or _kind_of(field.annotation)
        yield from _walk(field.annotation, value, (*path, name), kind, name)


def _walk(annotation: Any, value: Any, path: tuple, kind: CodeKind | None, name: str
          ) -> Iterator[tuple[tuple, CodeKind, Any, bool]]:
    if value is None:
        return
    if isinstance(value, BaseModel):
        yield from _references(value, path)
        return
    annotation = _without_none(annotation)
    args = get_args(annotation)
    if isinstance(value, dict):
        key_type, value_type = args if len(args) == 2 else (None, None)
        key_kind = _kind_of(key_type) or KEY_KINDS_BY_NAME.get(name)
        value_kind = _kind_of(value_type)
        for key, item in value.items():
            if key_kind is not None:
                yield (*path, key), key_kind, key, True
            yield from _walk(value_type, item, (*path, key), value_kind, name)
        return
    if isinstance(value, list | tuple | set | frozenset):
        item_type = args[0] if args else None
        item_kind = _kind_of(item_type) or kind or KINDS_BY_NAME.get(name)
        for index, item in enumerate(value):
            yield from _walk(item_type, item, (*path, index), item_kind, name)
        return
    kind = kind or KINDS_BY_NAME.get(name)
    if kind is not None and isinstance(value, str | int | float) and not isinstance(value,
                                                                                     bool):
        yield path, kind, value, False


def _without_none(annotation: Any) -> Any:
    """``X | None`` → ``X`` (and the first non-None member of a wider union)."""
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return members[0] if members else annotation
    return annotation


def _kind_of(annotation: Any) -> CodeKind | None:
    """The CodeOf kind of an annotation (looking through ``| None``), if any."""
    annotation = _without_none(annotation)
    if get_origin(annotation) is Annotated:
        return _kind_in(annotation.__metadata__)
    return None


def _kind_in(metadata: Any) -> CodeKind | None:
    return next((m.kind for m in metadata if isinstance(m, CodeOf)), None)
