"""Every key a scenario file may hold, read from the pydantic models of region/scenario.py:
its TOML type, default, unit, description and allowed values. ``solve.py scenario keys``
prints them as docs/scenario.md, and a test checks that the committed file is what the
models say, so the documentation cannot go stale.

A key's description is its field's (``Field(description=…)`` or the docstring under the
field); its unit is :data:`UNITS`' (a test asks one of every number)."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from region.references import KIND_NAMES, CodeOf
from region.scenario import Scenario

#: The unit of every number a scenario holds, by key path ("—": a plain count or index;
#: "share": a fraction, 0.2 = 20 %).
UNITS: dict[str, str] = {
    "seed": "—", "horizon.start": "year", "horizon.end": "year",
    "horizon.evaluation_year": "year", "horizon.discount_rate": "share per year",
    "horizon.plan_period_end": "year",
    "budget.default": "万元/yr", "budget.per_year.<year>": "万元", "budget.total": "万元",
    "budget.per_county.<county>.default": "万元/yr",
    "budget.per_county.<county>.per_year.<year>": "万元",
    "water.default": "万m³/yr", "water.per_year.<year>": "万m³",
    "water.per_county.<county>.default": "万m³/yr",
    "water.per_county.<county>.per_year.<year>": "万m³", "water.total": "万m³",
    "water.saving_credit": "share", "water.aydingkol.source_wan_m3": "万m³/yr",
    "water.aydingkol.target_wan_m3": "万m³/yr",
    **{f"weights.{c}": "relative weight" for c in ("sand", "water", "bio", "mine", "carbon")},
    "weights.ahp.matrix": "Saaty scale 1/9-9",
    "targets[].minimum": "km² (area_km2) or options (count)", "targets[].by_year": "year",
    "targets[].zone": "zone code",
    "locked_in[].parcel_ids": "parcel id", "locked_in[].zone": "zone code",
    "locked_in[].year": "year",
    "locked_out[].parcel_ids": "parcel id", "locked_out[].zone": "zone code",
    "locked_out[].year": "year",
    "precedence[].lag_years": "years",
    "county_min_share.<county>": "share of the whole spend",
    "corridors.bonus_weight": "share of the objective scale", "corridors.max_corridors": "—",
    **{f"funding.<action>.{k}": "share of the cost"
       for k in ("central", "autonomous_region", "city_county", "social")},
    "solver.time_limit_s": "s", "solver.gap": "share", "solver.threads": "—",
    "solver.effort": "multiplier",
    "sensitivity.samples": "—", "sensitivity.morris_levels": "—",
    **{f"sensitivity.{k}_range": "share (± relative)"
       for k in ("weight", "budget", "water", "cost", "benefit", "survival", "water_demand")},
    "sensitivity.dirichlet_concentration": "—", "sensitivity.time_limit_s": "s",
    "sensitivity.gap": "share", "sensitivity.robust_share": "share of runs",
    "actuals.<year>.budget_wan": "万元", "actuals.<year>.spend_wan": "万元",
    "actuals.<year>.water_wan_m3": "万m³",
    "replan.move_penalty": "share of the previous objective per work",
    "replan.drop_penalty": "share of the previous objective per work",
}


@dataclass(frozen=True)
class Key:
    """One key of a scenario file."""

    path: str  # dotted; <county>, <year>, <action> stand for a table's own keys, [] a list
    table: str  # the TOML table it is written in, e.g. "[budget]" or "[[targets]]"
    type: str
    default: str
    unit: str
    description: str
    allowed: str
    numeric: bool


def scenario_keys() -> list[Key]:
    """Every key of :class:`region.scenario.Scenario`, in the order of the models."""
    return list(_keys(Scenario, "", "(top level)"))


def _keys(model: type[BaseModel], prefix: str, table: str) -> typing.Iterator[Key]:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = _without_none(field.annotation)
        code = next((m for m in field.metadata if isinstance(m, CodeOf)), None)
        if code is not None:  # pydantic moves a required field's Annotated metadata here
            annotation = Annotated[annotation, code]
        nested, key_name, is_list = _nested(annotation, name)
        if nested is not None:
            inner = f"{path}.<{key_name}>" if key_name else f"{path}[]" if is_list else path
            written = (f"[[{path}]]" if is_list else f"[{inner}]").replace("[]", "")
            yield Key(path, table, _toml_type(annotation, name), _default(field), "",
                      _description(field, nested), _allowed(field), False)
            yield from _keys(nested, inner + ".", written)
            continue
        if get_origin(annotation) is dict:
            key_type, value_type = get_args(annotation)
            inner = f"{path}.<{_code_name(key_type, name) or 'key'}>"
            yield Key(path, table, _toml_type(annotation, name), _default(field), "",
                      _description(field, None), _allowed(field), False)
            yield Key(inner, table, _toml_type(value_type), "—", UNITS.get(inner, ""),
                      f"one entry of {path}", _allowed_of(value_type, name),
                      _numeric(value_type))
            continue
        yield Key(path, table, _toml_type(annotation), _default(field), UNITS.get(path, ""),
                  _description(field, None), _allowed(field, annotation),
                  _numeric(annotation))


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation


def _bare(annotation: Any) -> Any:
    """``Annotated[X, …]`` → X."""
    annotation = _without_none(annotation)
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def _nested(annotation: Any, name: str) -> tuple[type[BaseModel] | None, str | None, bool]:
    """(the model a key holds, the name of its table's own keys, whether a list of them)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, None, False
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list and _is_model(args[0]):
        return args[0], None, True
    if origin is dict and _is_model(args[1]):
        return args[1], _code_name(args[0], name) or "key", False
    return None, None, False


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


#: What the keys of a table keyed by plain text or numbers stand for.
KEYS_OF = {"funding": "action", "actuals": "year"}


def _code_name(annotation: Any, name: str = "") -> str | None:
    """"county" for a CountyCode, "year" for a Year key, …, or what :data:`KEYS_OF` says
    the keys of the table ``name`` are."""
    annotation = _without_none(annotation)
    if get_origin(annotation) is Annotated:
        for meta in annotation.__metadata__:
            if isinstance(meta, CodeOf):
                return meta.kind
    return KEYS_OF.get(name)


def _toml_type(annotation: Any, name: str = "") -> str:
    annotation = _without_none(annotation)
    code = _code_name(annotation) if get_origin(annotation) is Annotated else None
    bare = _bare(annotation)
    origin, args = get_origin(bare), get_args(bare)
    if get_origin(annotation) in (Union, types.UnionType):
        return " or ".join(_toml_type(a) for a in get_args(annotation) if a is not type(None))
    if origin is Literal:
        return "text"
    if origin is list:
        return f"list of tables [[{name}]]" if _is_model(args[0]) and name \
            else f"list of {_toml_type(args[0])}"
    if origin is dict:
        return f"table: {_code_name(args[0], name) or 'key'} → {_toml_type(args[1])}"
    if _is_model(bare):
        return "table"
    words = {bool: "true or false", int: "whole number", float: "number", str: "text"}
    word = words.get(bare, str(bare))
    if not code:
        return word
    return f"{word} (a year)" if code == "year" else f"{word} ({KIND_NAMES[code]} code)"


def _numeric(annotation: Any) -> bool:
    bare = _bare(annotation)
    if get_origin(bare) is list:
        return _numeric(get_args(bare)[0])
    return bare in (int, float) and bare is not bool


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    value = field.default_factory() if field.default_factory is not None else field.default
    if value is PydanticUndefined or value is None:
        return "not set"
    if isinstance(value, BaseModel):
        return "its keys' defaults"
    if isinstance(value, list | tuple) and value and isinstance(value[0], BaseModel):
        return f"{len(value)} built-in entries"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict | list) and not value:
        return "{}" if isinstance(value, dict) else "[]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _description(field: FieldInfo, nested: type[BaseModel] | None) -> str:
    text = field.description or ""
    if not text and nested is not None and nested.__doc__:
        text = nested.__doc__.strip().split("\n\n")[0]
    return " ".join(text.split())


def _allowed(field: FieldInfo, annotation: Any = None) -> str:
    parts = _bounds(field.metadata)
    annotation = _without_none(field.annotation if annotation is None else annotation)
    parts += _allowed_of(annotation).split("; ") if _allowed_of(annotation) else []
    return "; ".join(p for p in parts if p)


def _allowed_of(annotation: Any, name: str = "") -> str:
    annotation = _without_none(annotation)
    parts = []
    if get_origin(annotation) is Annotated:
        parts += _bounds(annotation.__metadata__)
        for meta in annotation.__metadata__:
            if isinstance(meta, FieldInfo):
                parts += _bounds(meta.metadata)
        code = _code_name(annotation, name)
        if code == "year":
            parts.append("a year of the horizon")
        elif code:
            article = "an" if KIND_NAMES[code][0] in "aeiou" else "a"
            parts.append(f"{article} {KIND_NAMES[code]} of the region")
    bare = _bare(annotation)
    if get_origin(bare) is Literal:
        parts.append(", ".join(f'"{v}"' for v in get_args(bare)))
    if get_origin(bare) is list:
        inner = _allowed_of(get_args(bare)[0])
        if inner:
            parts.append(f"each: {inner}")
    return "; ".join(parts)


def _bounds(metadata: list) -> list[str]:
    words = {annotated_types.Ge: ("≥", "ge"), annotated_types.Gt: (">", "gt"),
             annotated_types.Le: ("≤", "le"), annotated_types.Lt: ("<", "lt")}
    out = []
    for meta in metadata:
        for kind, (sign, attribute) in words.items():
            if isinstance(meta, kind):
                out.append(f"{sign} {getattr(meta, attribute):g}")
    return out


def keys_markdown() -> str:
    """docs/scenario.md: every key, table by table."""
    lines = [
        "# Scenario keys",
        "",
        "<!-- Generated from region/scenario.py by `solve.py scenario keys > "
        "docs/scenario.md`; tests/region/test_scenario_keys.py checks it is current. -->",
        "",
        "Every key a scenario TOML file may hold (`data/scenarios/baseline.toml` is an "
        "example; `base = \"other.toml\"` starts from another file). A key not listed here "
        "is an error, as is a value of the wrong type: `carry_over = \"yes\"` or "
        "`default = \"20000\"` (numbers without quotes). `<county>`, `<year>`, `<action>` "
        "stand for a table's own keys (a county code of the region, a year of the horizon, "
        "an action code or `default`); `[]` marks a list of tables (`[[targets]]`). Units: "
        "万元 = 10,000 CNY, 万m³ = 10,000 m³; a share is a fraction (0.2 = 20 %). Where the "
        "plan gives a figure, the shipped scenarios cite its line; money per county "
        "(`budget.per_county`) the plan does not give: a bureau's figure or an estimate "
        "(docs/model.md).",
        "",
    ]
    tables: dict[str, list[Key]] = {}
    for key in scenario_keys():
        tables.setdefault(key.table, []).append(key)
    for table, keys in tables.items():
        lines += ["", f"## {table}", "",
                  "| key | type | default | unit | allowed | description |",
                  "|---|---|---|---|---|---|"]
        for key in keys:
            cells = [f"`{key.path}`", key.type, key.default, key.unit, key.allowed,
                     key.description]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
