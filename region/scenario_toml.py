"""Reading a scenario file: TOML text, with its ``base`` chain merged, into the raw dict that
region/scenario_problems.py validates."""

from __future__ import annotations

import tomllib
from pathlib import Path

from region.errors import InputError, InputProblem, not_found
from region.fullwidth import toml_error_hint
from region.scenario import Scenario
from region.scenario_problems import scenario_from_dict


def read_scenario_toml(path: str | Path, _chain: tuple[Path, ...] = ()) -> dict:
    """The raw scenario dict; a ``base = "other.toml"`` key (relative to the file) is loaded
    first and this file's tables are merged over it, key by key — except ``weights``, which
    replaces the base's whole (direct and AHP weights exclude each other). A chain of
    bases that comes back to a file already in it is an input problem, not a recursion."""
    path = Path(path)
    file = str(path)
    if path.resolve() in _chain:
        names = " → ".join(p.name for p in (*_chain, path.resolve()))
        raise InputError([InputProblem(str(_chain[-1]), f"the 'base' chain loops back: {names}",
                                       column="base")])
    named_by = f" (named by base in {_chain[-1].name})" if _chain else ""
    text = ""
    try:
        text = path.read_text(encoding="utf-8-sig")  # Notepad's "UTF-8 with BOM" too
        raw = tomllib.loads(text)
    except FileNotFoundError:
        raise InputError([not_found(path, named_by)]) from None
    except IsADirectoryError:
        if _chain:  # base = "." names the folder: the scenario and its key say where
            raise InputError([InputProblem(str(_chain[-1]), f"names the folder {path}, "
                                           "expected the file name of another scenario, "
                                           'e.g. base = "baseline.toml"', column="base")]) \
                from None
        raise InputError([InputProblem(file, "is a folder, expected a TOML file")]) from None
    except UnicodeDecodeError as err:
        line = err.object.count(b"\n", 0, err.start) + 1
        raise InputError([InputProblem(file, f"is not UTF-8 text (byte 0x"
                                             f"{err.object[err.start]:02x} on line {line})"
                                             f"{named_by}: save it as UTF-8")]) from None
    except tomllib.TOMLDecodeError as err:
        if _chain and path.suffix.lower() != ".toml":  # base = "actions.csv"
            named_by = (f" (named by base in {_chain[-1].name}, which expects another "
                        "scenario's .toml file)")
        raise InputError([InputProblem(file, f"not valid TOML{named_by}: {err}"
                                             f"{toml_error_hint(text, str(err))}")]) from None
    base = raw.pop("base", None)
    if base is None:
        return raw
    if not isinstance(base, str) or not base.strip():
        raise InputError([InputProblem(file, "expected the file name of another scenario, "
                                             "e.g. base = \"baseline.toml\"", column="base",
                                       value=base)])
    return _merge(read_scenario_toml(path.parent / base, (*_chain, path.resolve())), raw)


def _merge(base: dict, changes: dict) -> dict:
    merged = dict(base)
    for key, value in changes.items():
        if key != "weights" and isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario TOML file; raise :class:`InputError` with every problem."""
    return scenario_from_dict(read_scenario_toml(path), source=str(path))

