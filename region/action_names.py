"""An action as a user's table names it, read one way wherever an action is read from a
planner's file (progress.csv, an option table, the project library): its catalogue code
(``enclosure``) or its Chinese name in the catalogue (封育, the ``name_zh`` the tool prints
in every list and the progress template's ``action_zh``), or both names as the priority
lists print them (``封育 enclosure / natural recovery``: ``name_zh`` and ``name_en``),
surrounding spaces ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def action_codes_by_name(actions: pd.DataFrame) -> dict[str, str]:
    """Name → code of the catalogue ``actions`` (``code``, ``name_zh``, ``name_en``):
    every code as itself, every Chinese name and every label of both names (``name_zh
    name_en``) as its code. A code wins over another action's name, and of two actions with
    one name the first row's."""
    names: dict[str, str] = {}
    if "name_zh" in actions.columns:
        english = actions["name_en"] if "name_en" in actions.columns else [None] * len(actions)
        for code, name, name_en in zip(actions["code"], actions["name_zh"], english,
                                       strict=True):
            if isinstance(name, str) and name.strip():
                names.setdefault(name.strip(), str(code))
                if isinstance(name_en, str) and name_en.strip():
                    names.setdefault(f"{name.strip()} {name_en.strip()}", str(code))
    return {**names, **{str(code): str(code) for code in actions["code"]}}


def as_action_codes(values: pd.Series, names: Mapping[str, str]) -> pd.Series:
    """Each cell as its action code (:func:`action_codes_by_name`'s ``names``); a cell that
    names no action is kept as typed, for its check to name it."""
    return values.map(lambda value: names.get(value.strip(), value)
                      if isinstance(value, str) else value)
