"""Input problems, collected all at once and reported together (InVEST's validate style)."""

from __future__ import annotations

import difflib
import glob
import itertools
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

#: The "file" of a problem in a command-line option.
COMMAND_LINE = "command line"

#: Scenario keys that hold lists (``[[targets]]``, ``parcel_ids = [...]``; a test holds this
#: to the model too): a number after one of them is an item, counted from 1 in messages. A
#: number after any other key is a key as written (``budget.2040``: a year put in a table
#: that takes none).
LIST_KEYS = frozenset({"targets", "locked_in", "locked_out", "precedence", "spatial_rules",
                       "parcel_ids", "allow", "criteria", "matrix", "match"})


#: Files read as text tables whose first line is a header (CSV, and Marxan's .dat tables
#: unless they say otherwise): their rows are said as a spreadsheet numbers them.
HEADED_TABLES = (".csv", ".tsv", ".txt", ".dat")


def headed(file: str, header: bool | None = None) -> bool:
    """Whether ``file`` is a text table with a header line: ``header`` when given, else by
    its suffix (:data:`HEADED_TABLES`); a GIS layer (GeoPackage, shapefile) has none."""
    return header if header is not None else Path(file).suffix.lower() in HEADED_TABLES


def shown_row(row: int, file: str, header: bool | None = None) -> int:
    """The number a planner sees for data row ``row`` (1-based, header excluded) of
    ``file``: the row a spreadsheet shows it in, the header being row 1 (the line of the
    file, when no blank line or quoted line break comes before it), so data row 1 is row 2;
    a file without a header (a GIS layer's features, a headerless Marxan table) keeps its
    count from 1. One convention for every reader's messages (a stranger could not tell
    whether "row 1" counted the header)."""
    return row + 1 if headed(file, header) else row


def row_label(row: int, file: str, header: bool | None = None) -> str:
    """"row 2 (the header is row 1)" for data row 1 of a CSV; "row 1" for the first
    feature of a GIS layer (:func:`shown_row`)."""
    number = shown_row(row, file, header)
    return f"row {number} (the header is row 1)" if headed(file, header) else f"row {number}"


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with one input: where it is, what was found, what was expected.

    ``row`` is the data row counted from 1, the header excluded, as the readers count
    them; messages show it as a spreadsheet does (:func:`row_label`: "row 2 (the header is
    row 1)"). ``header`` False for a text table without a header line (its rows are its
    records from 1); None: by the file's suffix (:func:`headed`)."""

    file: str
    message: str
    row: int | None = None  # 1-based data row (header excluded), None for file-level problems
    column: str | None = None
    value: object = None
    header: bool | None = None

    def __str__(self) -> str:
        where = Path(self.file).name
        if self.row is not None:
            where += f", {row_label(self.row, self.file, self.header)}"
        if self.column is not None:
            if self.column.startswith("--"):
                where += f", option '{self.column}'"
            elif where.endswith(".toml"):
                where += f", key {toml_key_label(self.column)}"
            else:
                where += f", column '{self.column}'"
        return f"{where}: {self.message}{self._found()}"

    def _found(self) -> str:
        """What was found: a table's missing value as a blank cell; the command line and a
        TOML file have no blank cells, so NaN there is the 'nan' typed (``--weights
        sand=nan``, ``default = nan``)."""
        value = self.value.item() if isinstance(self.value, np.generic) else self.value
        if value is None:
            return ""
        if _is_blank(value):
            typed = self.file == COMMAND_LINE or self.file.endswith(".toml")
            return " (found 'nan')" if typed else " (found a blank cell)"
        return f" (found {value!r})"


def toml_key_label(key: str) -> str:
    """A dotted scenario key as its file reads: list items counted from 1, as a planner counts
    the ``[[locked_in]]`` tables of a file (``'locked_in[1].parcel_ids[2]' (items counted
    from 1)``), where pydantic's path counts from 0 (``locked_in.0.parcel_ids.1``); a number
    after any key but one of :data:`LIST_KEYS` (or an item of a list of lists: ``matrix``)
    stays as written: the years and county codes of keyed tables (``budget.per_year.2027``),
    or a year put where no year is a key (``budget.2040``, not ``budget[2041]``)."""
    parts = key.split(".")
    label, indexed, item = parts[0], False, False
    for before, part in itertools.pairwise(parts):
        item = part.isdigit() and (before in LIST_KEYS or item)
        if item:
            label, indexed = label + f"[{int(part) + 1}]", True
        else:
            label += f".{part}"
    return f"'{label}' (items counted from 1)" if indexed else f"'{label}'"


#: Where the shipped inputs live: a name not found where it was given may be one of them.
SHIPPED_FOLDERS = tuple(Path(__file__).resolve().parent.parent / "data" / folder
                        for folder in ("scenarios", "turpan"))


def not_found(path: str | Path, where: str = "", hint: str = "") -> InputProblem:
    """A missing input: the path it was looked for at (a relative one is read from the
    folder the command runs in), and the file meant where one is near: the name with its
    suffix (``data/scenarios/tight_water`` → ``tight_water.toml``) or the shipped input of
    that name (``--scenario tight_water.toml`` from the repository's root), or a file beside
    it whose name is one slip away (``parcel.gpkg`` for ``parcels.gpkg``). ``hint`` says
    what else to do (``replan --template`` makes a progress file)."""
    path = Path(path)
    near = sorted(path.parent.glob(f"{glob.escape(path.name)}.*")) if not path.suffix else []
    near += [folder / path.name for folder in SHIPPED_FOLDERS
             if path.suffix and (folder / path.name).is_file()
             and (folder / path.name).resolve() != path.resolve()]
    if path.parent.is_dir():
        beside = [p.name for p in path.parent.iterdir() if p.is_file()]
        near += [path.parent / name for name in
                 difflib.get_close_matches(path.name, beside, n=1, cutoff=0.85)]
    meant = f"; did you mean {near[0]}?" if near else ""
    return InputProblem(str(path), f"file not found{where} (looked for {path.absolute()})"
                                   f"{meant}{hint}")


def _is_blank(value: object) -> bool:
    """A missing value as a table reader gives it (NaN, pandas' NA): shown as a blank cell,
    not as 'nan'."""
    return (isinstance(value, float) and value != value) or value is pd.NA


class InputError(ValueError):
    """Raised with every problem found in the inputs, so a user fixes them in one pass."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the inputs:\n{lines}")


def stands_in(key: str, unchecked: Collection[str]) -> bool:
    """Whether the value at ``key`` (a dotted key path of a scenario) is a stand-in: it, or
    a table holding it, is one of the ``unchecked`` keys that had problems of their own and
    were left to their default (region/scenario_problems.py), so it is not to be judged."""
    return any(key == u or key.startswith(u + ".") for u in unchecked)


def holds_stand_in(key: str, unchecked: Collection[str]) -> bool:
    """Whether the value at ``key`` is or holds a stand-in (:func:`stands_in`, or one of
    its own keys is unchecked): a rule that reads the whole of it would judge a default
    the planner did not give."""
    return stands_in(key, unchecked) or any(u.startswith(key + ".") for u in unchecked)
