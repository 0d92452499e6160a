"""Which column of a survey layer holds what: the 三调 standard names, their Chinese aliases,
and the user's ``--field key=NAME`` mappings.

The Third National Land Survey database names its patch fields in pinyin initials (``DLBM``
地类编码, ``TBMJ`` 图斑面积 …); exports for users often carry the Chinese aliases instead,
and a Shapefile cuts a Chinese name to 10 bytes (坐落单位名称 → 坐落单位名). Both are found
without help; anything else is named with ``--field``. Besides the survey keys, any parcel
field of ``region.schema.PARCEL_COLUMNS`` can be mapped, so a bureau's own ``degradation``
or ``zone`` column replaces our modelled one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from region.schema import PARCEL_COLUMNS

#: Survey keys: key → (standard field name, Chinese alias, what it is).
SURVEY_FIELDS: dict[str, tuple[str, str, str]] = {
    "dlbm": ("DLBM", "地类编码", "land-use code of GB/T 21010-2017 (required)"),
    "dlmc": ("DLMC", "地类名称", "land-use name"),
    "tbmj": ("TBMJ", "图斑面积", "patch area, m² (checked against the geometry)"),
    "bsm": ("BSM", "标识码", "unique patch id (becomes parcel_id)"),
    "zldwdm": ("ZLDWDM", "坐落单位代码", "code of the village or township (its first six "
                                        "digits are the county)"),
    "zldwmc": ("ZLDWMC", "坐落单位名称", "name of the village or township (the priority "
                                        "lists' township)"),
}
#: ``--field township=…`` names the township column (an alias of ``zldwmc``).
KEY_ALIASES = {"township": "zldwmc"}
#: A Shapefile field name is at most this many bytes (dBASE); GBK spends 2 on a Chinese sign.
DBF_NAME_BYTES = 10

#: Parcel fields a layer may carry itself; ``parcel_id``, ``area_km2`` and ``land_cover`` come
#: from BSM, TBMJ and DLBM.
PARCEL_FIELD_NAMES: tuple[str, ...] = tuple(
    c.name for c in PARCEL_COLUMNS if c.name not in ("parcel_id", "area_km2", "land_cover"))


@dataclass(frozen=True)
class FieldMap:
    """Our key → the layer's column, for the columns found (survey keys and parcel fields)."""

    columns: dict[str, str]
    problems: tuple[str, ...] = ()  # what was asked for and not found, as messages

    def get(self, key: str) -> str | None:
        return self.columns.get(key)


def parse_field_options(items: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """``["dlbm=地类编码", "tbmj=图斑面积,zldwmc=村名"]`` → {key: column}, and the errors."""
    mapping: dict[str, str] = {}
    errors: list[str] = []
    known = set(SURVEY_FIELDS) | set(KEY_ALIASES) | set(PARCEL_FIELD_NAMES)
    for item in items:
        for part in (p.strip() for p in item.split(",")):
            if not part:
                continue
            key, sep, column = part.partition("=")
            key, column = key.strip().lower(), column.strip()
            if not sep or not column:
                errors.append(f"--field {part!r}: expected key=FIELD, e.g. dlbm=地类编码")
            elif key not in known:
                errors.append(f"--field {part!r}: unknown key {key!r}; expected one of "
                              f"{sorted(SURVEY_FIELDS) + sorted(KEY_ALIASES)} or a parcel "
                              f"field ({', '.join(PARCEL_FIELD_NAMES)})")
            else:
                mapping[KEY_ALIASES.get(key, key)] = column
    return mapping, errors


def _truncated(alias: str, column: str) -> bool:
    """True if ``column`` is ``alias`` cut to a Shapefile's 10-byte field name in GBK."""
    try:
        return (len(alias.encode("gbk")) > DBF_NAME_BYTES and alias.startswith(column)
                and len(column.encode("gbk")) >= DBF_NAME_BYTES - 1)
    except UnicodeEncodeError:
        return False


def resolve_fields(columns: Iterable[str], given: Mapping[str, str]) -> FieldMap:
    """Find every key's column: the user's mapping first, then the standard name or its alias
    (case-insensitive, Shapefile-truncated aliases too), then a parcel field of our name."""
    columns = [c for c in columns if c != "geometry"]
    by_lower = {c.lower(): c for c in columns}
    found: dict[str, str] = {}
    problems: list[str] = []
    for key, column in given.items():
        if column in columns:
            found[key] = column
        elif column.lower() in by_lower:
            found[key] = by_lower[column.lower()]
        else:
            problems.append(f"--field {key}={column}: the layer has no field {column!r} "
                            f"(its fields: {', '.join(columns)})")
    for key, (standard, alias, _) in SURVEY_FIELDS.items():
        if key in found or key in given:
            continue
        match = by_lower.get(standard.lower()) or by_lower.get(alias)
        if match is None:
            match = next((c for c in columns if _truncated(alias, c)), None)
        if match is not None:
            found[key] = match
    for name in PARCEL_FIELD_NAMES:
        if name not in found and name not in given and name.lower() in by_lower:
            found[name] = by_lower[name.lower()]
    return FieldMap(found, tuple(problems))


def looks_like_survey(columns: Iterable[str]) -> bool:
    """A land-survey layer: it has a land-use code field and none of our land covers."""
    columns = list(columns)
    fields = resolve_fields(columns, {})
    return fields.get("dlbm") is not None and "land_cover" not in {c.lower() for c in columns}
