"""Read a Marxan problem (input.dat, pu, spec, puvspr, bound) as Marxan reads it, with every
input problem reported at once and a note for everything read differently from the letter
of the files.

What Marxan 4 does (input.cpp of Marxan-source-code/marxan), and what is done here:

- input.dat: ``KEY value`` lines; keys may be indented, unknown keys (Marxan Web adds its
  own) are ignored, a key given twice takes its last value (Marxan: "Final value taken").
  ``CM`` is the old name of ``BLM``. INPUTDIR and the file names may be absolute or Windows
  paths (``C:\\…\\input``): when the folder is not found here, the folder of that name beside
  input.dat is used, else input.dat's own folder, with a note. OUTPUTDIR is not used (results
  go to ``--out``). Without BOUNDNAME there is no boundary (as in Marxan).
- pu.dat and spec.dat by header name (lower case); columns Marxan knows but this tool does
  not model are ignored with a note when they hold values.
- puvspr.dat by header name when it names ``species``, ``pu`` and ``amount`` (in any order),
  else by position, as Marxan always does. Rows may come in any order; a (species, pu) pair
  listed twice keeps its last amount (Marxan overwrites). Rows naming a species absent from
  spec.dat or a unit absent from pu.dat are skipped with a note, as Marxan does (a spec.dat
  often lists a subset of the features).
- bound.dat by position (id1, id2, boundary) whatever its header says (``readConnections``).
  Rows with id1 == id2 add to the unit's fixed boundary (the study-area edge). A pair listed
  twice keeps its first listing (Marxan ignores "double connection definitions"); a note
  says when the listings differ. With ``ASYMMETRICCONNECTIVITY 1`` the file is a directed
  connectivity matrix (Marxan Connect): c_ij penalises selecting ``id1`` without ``id2``,
  listings add up.
- Ids need not be contiguous or sorted. Costs, amounts, boundaries, targets and SPFs must be
  finite and not negative; prop within [0, 1]; status 0-3.

Targets: ``prop × total over all units`` (locked-out ones included) where prop > 0, else
``target``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path, PureWindowsPath

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.marxan.problem import MarxanProblem
from optimizer.marxan.tables import Table, read_table
from region.errors import InputError, InputProblem, shown_row

log = logging.getLogger(__name__)

_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_DEFAULT_FILES = {"PUNAME": "pu.dat", "SPECNAME": "spec.dat", "PUVSPRNAME": "puvsp.dat"}
_SPEC_UNMODELLED = ("target2", "targetocc", "sepnum", "sepdistance", "ptarget1d", "ptarget2d")


def read_input_dat(path: Path) -> dict[str, tuple[str, int]]:
    """Keys of input.dat: ``KEY value`` lines (indented or not), each with its line number;
    other lines are headings or comments. The last of a repeated key wins, as in Marxan."""
    params: dict[str, tuple[str, int]] = {}
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.strip().split(None, 1)
        if len(parts) == 2 and _KEY.match(parts[0]):
            params[parts[0]] = (parts[1].strip().strip('"'), number)
    return params


def _written_path(value: str) -> tuple[Path | None, str]:
    """A path as written in input.dat, read on this system, and its last name. A Windows
    path (drive letter or backslashes) keeps its parts; an absolute one has no local
    equivalent (None)."""
    if "\\" in value or PureWindowsPath(value).drive:
        windows = PureWindowsPath(value)
        return (None if windows.anchor else Path(*windows.parts)), windows.name
    return Path(value), Path(value).name


def _input_folder(input_dat: Path, value: str | None, notes: list[str]) -> Path:
    """INPUTDIR resolved here: as written (absolute, or relative to input.dat's folder), else
    the folder of that name beside input.dat, else input.dat's own folder (with a note)."""
    home = input_dat.parent
    if value is None:
        return home / "input" if (home / "input").is_dir() else home
    if value in ("", "."):
        return home
    local, name = _written_path(value)
    if local is not None and (local if local.is_absolute() else home / local).is_dir():
        return local if local.is_absolute() else home / local
    chosen = home / name if name and (home / name).is_dir() else home
    notes.append(f"input.dat: INPUTDIR '{value}' is not a folder here; the input files are "
                 f"read from {chosen}")
    return chosen


def _input_file(folder: Path, key: str, value: str, notes: list[str]) -> Path:
    """A file name key (PUNAME …) resolved in the input folder; an absolute or Windows path
    not found here falls back to its file name in the input folder (with a note)."""
    local, name = _written_path(value)
    if local is not None and not local.is_absolute():
        return folder / local
    if local is not None and local.is_file():
        return local
    notes.append(f"input.dat: {key} '{value}' is not a file here; {name} is read from "
                 f"{folder}")
    return folder / name


def _numbers(table: Table, column: str, problems: list[InputProblem], *,
             default: float | None = None, whole: bool = False, low: float | None = None,
             high: float | None = None, what: str = "") -> NDArray[np.float64] | None:
    """One column as finite floats, every bad cell reported with its row; a missing column
    takes ``default`` (None: the column is required)."""
    path = str(table.path)
    if column not in table.cells.columns:
        if default is None:
            found = ", ".join(table.header) or "none"
            problems.append(InputProblem(path, f"missing column (the header names: {found})",
                                         column=column))
            return None
        return np.full(len(table), float(default))
    raw = table.cells[column].fillna("")
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    for r in np.flatnonzero(bad):
        cell = raw.iloc[r].strip()
        message = ("blank value; expected a number" if not cell else "not a finite number"
                   if _is_float(cell) else "not a number")
        problems.append(table.problem(message, r, column, cell or None))
    ok = ~bad
    if whole:
        frac = ok & (values != np.round(values))
        problems.extend(table.problem("not a whole number (ids are integers)", r, column,
                                      raw.iloc[r]) for r in np.flatnonzero(frac))
    if low is not None:
        problems.extend(table.problem(f"negative {what or column}" if low == 0 else
                                      f"{what or column} below {low}", r, column, values[r])
                        for r in np.flatnonzero(ok & (values < low)))
    if high is not None:
        problems.extend(table.problem(f"{what or column} above {high}", r, column, values[r])
                        for r in np.flatnonzero(ok & (values > high)))
    return values


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _duplicates(table: Table, ids: NDArray[np.float64], problems: list[InputProblem]) -> None:
    dup = pd.Series(ids).duplicated(keep="first").to_numpy() & np.isfinite(ids)
    problems.extend(table.problem("duplicate id", r, "id", ids[r])
                    for r in np.flatnonzero(dup))


def _positions(ids: NDArray[np.float64], known: NDArray[np.int64]) -> NDArray[np.int64]:
    """Index of each id in the sorted ``known`` ids, −1 where it is not there."""
    if known.size == 0:
        return np.full(ids.size, -1)
    pos = np.searchsorted(known, ids).clip(0, known.size - 1)
    return np.where(known[pos] == ids, pos, -1)


def _first_rows(table: Table, mask: NDArray[np.bool_], limit: int = 3) -> str:
    """The first rows of ``mask``, numbered as messages number them (region/errors.py
    :func:`shown_row`: the header is row 1)."""
    rows = [shown_row(int(r), str(table.path), bool(table.header))
            for r in table.rows[mask][:limit]]
    more = ", …" if mask.sum() > limit else ""
    counted = "; the header is row 1" if table.header else ""
    return ", ".join(str(r) for r in rows) + more + counted


def read_marxan(path: str | Path) -> MarxanProblem:
    """Read ``input.dat`` (or a folder holding it) into a :class:`MarxanProblem`; what was
    read differently from the letter of the files is in its ``notes``.

    Raises :class:`region.errors.InputError` listing every problem found in every file.
    """
    path = Path(path)
    input_dat = path / "input.dat" if path.is_dir() else path
    if not input_dat.is_file():
        raise InputError([InputProblem(str(input_dat), "input.dat not found")])
    params = read_input_dat(input_dat)
    problems: list[InputProblem] = []
    notes: list[str] = []
    value = {key: text for key, (text, _) in params.items()}
    folder = _input_folder(input_dat, value.get("INPUTDIR"), notes)
    names = {key: _input_file(folder, key, value.get(key, default), notes)
             for key, default in _DEFAULT_FILES.items()}
    blm = _setting(params, input_dat, ("BLM", "CM"), 0.0, problems, low=0.0)
    misslevel = _setting(params, input_dat, ("MISSLEVEL",), 1.0, problems, low=0.0, high=1.0)
    asymmetric = value.get("ASYMMETRICCONNECTIVITY", "0").strip() == "1"

    pu = read_table(names["PUNAME"], problems, notes)
    spec = read_table(names["SPECNAME"], problems, notes)
    puvspr = read_table(names["PUVSPRNAME"], problems, notes, positional=_puvspr_order(
        names["PUVSPRNAME"]))
    bound_path = (_input_file(folder, "BOUNDNAME", value["BOUNDNAME"], notes)
                  if value.get("BOUNDNAME") else None)
    bound = (read_table(bound_path, problems, notes, positional=("id1", "id2", "boundary"))
             if bound_path is not None else None)
    if bound_path is None and blm:
        notes.append("input.dat: no BOUNDNAME, so there is no boundary to weigh by BLM")
    if pu is None or spec is None or puvspr is None:
        raise InputError(problems)

    pu_id = _numbers(pu, "id", problems, whole=True)
    cost = _numbers(pu, "cost", problems, default=1.0, low=0.0, what="cost")
    status = _numbers(pu, "status", problems, default=0.0)
    if status is not None:
        odd = np.isfinite(status) & ~np.isin(status, [0, 1, 2, 3])
        problems.extend(pu.problem("status must be 0, 1, 2 or 3", r, "status", status[r])
                        for r in np.flatnonzero(odd))
    spec_id = _numbers(spec, "id", problems, whole=True)
    prop = _numbers(spec, "prop", problems, default=0.0, low=0.0, high=1.0, what="prop")
    target = _numbers(spec, "target", problems, default=0.0, low=0.0, what="target")
    spf = _numbers(spec, "spf", problems, default=1.0, low=0.0, what="spf")
    if "prop" not in spec.cells.columns and "target" not in spec.cells.columns:
        notes.append(f"{spec.path.name}: neither a prop nor a target column: no feature has "
                     "a target (use --prop)")
    for extra in _SPEC_UNMODELLED:
        if extra in spec.cells.columns and (pd.to_numeric(spec.cells[extra], errors="coerce")
                                            .fillna(0) > 0).any():
            notes.append(f"{spec.path.name}: column '{extra}' is not modelled and is ignored")
    pv_species = _numbers(puvspr, "species", problems, whole=True)
    pv_pu = _numbers(puvspr, "pu", problems, whole=True)
    amount = _numbers(puvspr, "amount", problems, low=0.0, what="amount")
    for table, ids in ((pu, pu_id), (spec, spec_id)):
        if ids is not None:
            _duplicates(table, ids, problems)
    if problems:
        raise InputError(problems)

    order = np.argsort(pu_id, kind="stable")
    pu_ids = pu_id[order].astype(np.int64)
    f_order = np.argsort(spec_id, kind="stable")
    feature_ids = spec_id[f_order].astype(np.int64)
    n = pu_ids.size
    amounts = _amounts(puvspr, pv_pu, pv_species, amount, pu_ids, feature_ids, notes)
    edges = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    fixed = np.zeros(n)
    conn = None
    if bound is not None:
        links = _bound_rows(bound, pu_ids, problems)
        if links is not None and not problems:
            bi, bj, bw = links
            if asymmetric:
                conn = sp.csr_matrix((bw, (bi, bj)), shape=(n, n))
                conn.setdiag(0)
                conn.eliminate_zeros()
            else:
                edges, fixed = _boundary(bi, bj, bw, n, bound.path, notes)
    if problems:
        raise InputError(problems)

    prop_sorted = prop[f_order]
    name_col = spec.cells["name"] if "name" in spec.cells.columns else spec.cells["id"]
    for note in notes:
        log.info("%s", note)
    return MarxanProblem(
        pu_ids=pu_ids, cost=cost[order], status=status[order].astype(np.int64),
        feature_ids=feature_ids,
        feature_names=tuple(str(v).strip() for v in name_col.to_numpy()[f_order]),
        prop=np.where(prop_sorted > 0, prop_sorted, np.nan), target_abs=target[f_order],
        spf=spf[f_order], amounts=amounts, edge_i=edges[0], edge_j=edges[1], edge_b=edges[2],
        fixed_boundary=fixed, blm=blm, misslevel=misslevel, conn=conn,
        name=input_dat.parent.name, notes=tuple(notes))


def _setting(params: dict[str, tuple[str, int]], input_dat: Path, keys: tuple[str, ...],
             default: float, problems: list[InputProblem], low: float | None = None,
             high: float | None = None) -> float:
    """A number of input.dat (the first of ``keys`` present), checked against its range."""
    key = next((k for k in keys if k in params), None)
    if key is None:
        return default
    text, line = params[key]
    try:
        number = float(text.split()[0])
    except (ValueError, IndexError):
        number = float("nan")
    bad = (not np.isfinite(number) or (low is not None and number < low)
           or (high is not None and number > high))
    if bad:
        span = (f"≥ {low:g}" if high is None else f"between {low:g} and {high:g}")
        problems.append(InputProblem(str(input_dat), f"{key} must be a finite number {span}",
                                     row=line, column=key, value=text, header=False))
        return default
    return number


def _puvspr_order(path: Path) -> tuple[str, ...] | None:
    """None (by header name) when the header names species, pu and amount; else Marxan's
    positions."""
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        first = handle.readline().decode("utf-8-sig", errors="replace")
    names = {cell.strip().strip('"').lower() for cell in re.split(r"[,;\t ]+", first)}
    return None if {"species", "pu", "amount"} <= names else ("species", "pu", "amount")


def _amounts(table: Table, pu: NDArray[np.float64], species: NDArray[np.float64],
             amount: NDArray[np.float64], pu_ids: NDArray[np.int64],
             feature_ids: NDArray[np.int64], notes: list[str]) -> sp.csr_matrix:
    """The unit × feature amounts; rows naming unknown ids are skipped, a pair listed twice
    keeps its last amount (both with a note)."""
    rows = _positions(pu, pu_ids)
    cols = _positions(species, feature_ids)
    name = table.path.name
    for mask, what in (((rows < 0), "a planning unit absent from pu.dat"),
                       ((cols < 0) & (rows >= 0), "a feature absent from spec.dat")):
        if mask.any():
            notes.append(f"{name}: {int(mask.sum())} row(s) name {what} and are skipped, as "
                         f"Marxan does (rows {_first_rows(table, mask)})")
    keep = (rows >= 0) & (cols >= 0)
    pairs = pd.DataFrame({"r": rows[keep], "c": cols[keep], "a": amount[keep]})
    last = pairs.drop_duplicates(["r", "c"], keep="last")
    if len(last) < len(pairs):
        notes.append(f"{name}: {len(pairs) - len(last)} (species, pu) pair(s) listed more "
                     "than once; the last amount is kept, as Marxan does")
    return sp.csr_matrix((last["a"].to_numpy(float), (last["r"].to_numpy(),
                                                       last["c"].to_numpy())),
                         shape=(pu_ids.size, feature_ids.size))


def _bound_rows(table: Table, pu_ids: NDArray[np.int64], problems: list[InputProblem]
                ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]] | None:
    """bound.dat's rows as unit indices and values (Marxan stops on an unknown id)."""
    id1 = _numbers(table, "id1", problems, whole=True)
    id2 = _numbers(table, "id2", problems, whole=True)
    value = _numbers(table, "boundary", problems, low=0.0, what="boundary")
    if id1 is None or id2 is None or value is None:
        return None
    index = []
    for column, ids in (("id1", id1), ("id2", id2)):
        pos = _positions(ids, pu_ids)
        problems.extend(table.problem("unknown planning unit id (not in pu.dat)", r, column,
                                      ids[r])
                        for r in np.flatnonzero((pos < 0) & np.isfinite(ids)))
        index.append(pos)
    return index[0], index[1], value


def _boundary(bi: NDArray[np.int64], bj: NDArray[np.int64], bw: NDArray[np.float64], n: int,
              path: Path, notes: list[str]
              ) -> tuple[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
                         NDArray[np.float64]]:
    """Fixed boundary per unit (id1 == id2 rows, summed) and each unordered pair once (its
    first listing, as Marxan keeps it)."""
    self_rows = bi == bj
    fixed = np.bincount(bi[self_rows], weights=bw[self_rows], minlength=n).astype(float)
    lo = np.minimum(bi, bj)[~self_rows]
    hi = np.maximum(bi, bj)[~self_rows]
    pairs = pd.DataFrame({"i": lo, "j": hi, "b": bw[~self_rows]})
    spread = pairs.groupby(["i", "j"], sort=False)["b"].agg(["max", "min"])
    conflicts = int((spread["max"] != spread["min"]).sum())
    if conflicts:
        notes.append(f"{path.name}: {conflicts} pair(s) listed more than once with different "
                     "boundaries; the first listing is kept, as Marxan does")
    first = pairs.drop_duplicates(["i", "j"], keep="first").sort_values(["i", "j"])
    return ((first["i"].to_numpy(np.int64), first["j"].to_numpy(np.int64),
             first["b"].to_numpy(float)), fixed)
