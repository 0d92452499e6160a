"""Land-use codes of the survey (DLBM, GB/T 21010-2017) → our land covers, by a shipped table.

``data/survey/dlbm_land_cover.csv`` lists every second-level class of GB/T 21010-2017 and the
working classes the Third National Land Survey adds (``05H1``, ``08H2``, ``1104A`` …, and the
``K`` "adjustable" classes), each with:

- ``role``: ``restoration`` (a parcel actions may restore), ``oasis`` (farmland, orchards: the
  oasis; only the plan's oasis works apply), ``built_up`` (settlements, roads, industry: no
  action), ``water`` (open water, canals, glaciers: no action; a wetland source),
  ``excluded`` (classes that cannot occur in an arid region: left out and reported);
- ``land_cover``: our class, or alternatives ``a|b``: the first, unless the shipped region's
  modelled cover under the patch is one of the others (e.g. 1207 裸岩石砾地 is Gobi on the
  plains and bare mountain in the hills);
- ``oasis``: whether the class makes up an oasis (distance to the oasis, its shield);
- ``degradation``: blank = modelled by the land-cover rule; a number fixes it (0 for water:
  not rated, so no action is offered).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from region.errors import InputError, InputProblem
from region.files import REPO_ROOT
from region.schema import LAND_COVERS
from region.validate import BOOL_EXPECTED, truth_values

DLBM_TABLE = REPO_ROOT / "data" / "survey" / "dlbm_land_cover.csv"
TABLE_COLUMNS = ("dlbm", "dlmc", "name_en", "role", "land_cover", "oasis", "degradation",
                 "note")
ROLES = ("restoration", "oasis", "built_up", "water", "excluded")


@dataclass(frozen=True)
class CodeTable:
    """The checked mapping table, indexed by code."""

    table: pd.DataFrame  # index dlbm; columns as TABLE_COLUMNS
    path: Path

    def known(self, codes: pd.Series) -> NDArray[np.bool_]:
        return codes.isin(self.table.index).to_numpy()

    def column(self, codes: pd.Series, name: str) -> NDArray:
        return self.table[name].reindex(codes).to_numpy()

    def alternatives(self, codes: pd.Series) -> list[tuple[str, ...]]:
        """The land covers each code may take, the default first."""
        return [tuple(text.split("|")) for text in self.column(codes, "land_cover")]


def normalise_codes(values: pd.Series) -> pd.Series:
    """Codes as text: trimmed, upper case; a number that lost its leading zero gets it back."""
    text = values.astype("string").fillna("").str.strip().str.upper()
    text = text.str.replace(r"\.0+$", "", regex=True)
    return text.where(~text.str.fullmatch(r"\d{3}"), "0" + text)


def load_code_table(path: Path = DLBM_TABLE) -> CodeTable:
    """Read and check a mapping table; every problem at once."""
    file = str(path)
    if not Path(path).exists():
        raise InputError([InputProblem(file, "file not found")])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    problems = [InputProblem(file, f"missing column '{c}'") for c in TABLE_COLUMNS
                if c not in frame.columns]
    if problems:
        raise InputError(problems)
    frame["dlbm"] = normalise_codes(frame["dlbm"])
    for row, record in enumerate(frame.itertuples(index=False), start=1):
        problems += _row_problems(file, row, record)
    dup = frame["dlbm"].duplicated()
    problems += [InputProblem(file, "duplicate code", row=int(i) + 1, column="dlbm",
                              value=frame["dlbm"].iloc[i]) for i in np.flatnonzero(dup)]
    if problems:
        raise InputError(problems)
    frame["degradation"] = pd.to_numeric(frame["degradation"].replace("", np.nan))
    frame["oasis"] = truth_values(frame["oasis"]).eq(True)
    return CodeTable(frame.set_index("dlbm"), Path(path))


def _row_problems(file: str, row: int, record) -> list[InputProblem]:
    problems = []
    if not re.fullmatch(r"\d{2}[0-9A-Z]{0,3}", record.dlbm):
        problems.append(InputProblem(file, "expected a GB/T 21010 code such as 0305",
                                     row=row, column="dlbm", value=record.dlbm))
    if record.role not in ROLES:
        problems.append(InputProblem(file, f"expected one of {list(ROLES)}", row=row,
                                     column="role", value=record.role))
    covers = [c for c in record.land_cover.split("|") if c]
    if record.role == "excluded":
        if covers:
            problems.append(InputProblem(file, "an excluded code takes no land cover",
                                         row=row, column="land_cover",
                                         value=record.land_cover))
    elif not covers or any(c not in LAND_COVERS for c in covers):
        problems.append(InputProblem(file, f"expected land covers from {list(LAND_COVERS)}, "
                                           "'|'-separated", row=row, column="land_cover",
                                     value=record.land_cover))
    if not record.oasis.strip() or truth_values(pd.Series([record.oasis])).isna().iat[0]:
        problems.append(InputProblem(file, BOOL_EXPECTED, row=row, column="oasis",
                                     value=record.oasis))
    if record.degradation and record.degradation not in ("0", "1", "2", "3"):
        problems.append(InputProblem(file, "expected blank (modelled) or 0-3", row=row,
                                     column="degradation", value=record.degradation))
    return problems


def choose_land_cover(alternatives: list[tuple[str, ...]],
                      shipped_share: pd.DataFrame) -> NDArray[np.object_]:
    """Per patch, the default cover, or the alternative the shipped region has most of there.

    ``shipped_share``: one row per patch, one column per land cover, the share of the patch
    the shipped parcels of that cover overlap.
    """
    chosen = np.array([alt[0] for alt in alternatives], dtype=object)
    share = shipped_share.reindex(columns=list(LAND_COVERS), fill_value=0.0).to_numpy()
    column = {cover: k for k, cover in enumerate(LAND_COVERS)}
    groups = pd.Series(range(len(alternatives))).groupby(pd.Series(alternatives, dtype=object))
    for options, rows in groups.indices.items():
        if len(options) < 2:
            continue
        shares = share[np.ix_(rows, [column[c] for c in options])]
        best = shares.argmax(axis=1)
        wins = shares[np.arange(len(rows)), best] > shares[:, 0]
        chosen[rows[wins]] = np.asarray(options, dtype=object)[best[wins]]
    return chosen
