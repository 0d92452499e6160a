"""Read a Marxan problem (input.dat, pu, spec, puvsp, bound) with every input problem at once.

Files may be tab, comma or space separated with a header row, values optionally quoted, as
Marxan accepts them. ``bound.dat`` rows with ``id1 == id2`` are the fixed boundary on the
study-area edge. A pair listed in both directions counts once; when the two listings differ
the larger value is kept and a warning says how many pairs differed (Marxan itself would add
both listings to the unit's neighbour list, double-counting the pair).
With ``ASYMMETRICCONNECTIVITY 1`` in input.dat the bound file is read as a directed
connectivity matrix (Marxan Connect): ``c_ij`` penalises selecting ``id1`` without ``id2``.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from optimizer.marxan.problem import MarxanProblem
from region.errors import InputError, InputProblem

log = logging.getLogger(__name__)

_KNOWN_KEYS = {"INPUTDIR", "PUNAME", "SPECNAME", "PUVSPRNAME", "BOUNDNAME", "BLM", "PROP",
               "MISSLEVEL", "NUMREPS", "SCENNAME", "OUTPUTDIR", "ASYMMETRICCONNECTIVITY",
               "MATRIXSPORDERNAME", "RANDSEED"}
_DEFAULT_FILES = {"PUNAME": "pu.dat", "SPECNAME": "spec.dat", "PUVSPRNAME": "puvsp.dat"}


def read_input_dat(path: Path) -> dict[str, str]:
    """Keys of input.dat (``KEY value`` lines); other lines are comments, unknown keys are
    kept but noted at debug level."""
    params: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(None, 1)
        if len(parts) != 2 or not parts[0].isupper() or not parts[0].replace("_", "").isalnum():
            continue
        key, value = parts[0], parts[1].strip()
        if key not in _KNOWN_KEYS:
            log.debug("input.dat: key %s ignored", key)
        params[key] = value
    return params


def _read_table(path: Path, problems: list[InputProblem]) -> pd.DataFrame | None:
    if not path.is_file():
        problems.append(InputProblem(str(path), "file not found; check INPUTDIR and the file "
                                     "name keys in input.dat"))
        return None
    with path.open(encoding="utf-8", errors="replace") as handle:
        header = handle.readline()
    sep = "," if "," in header else "\t" if "\t" in header else r"\s+"
    frame = pd.read_csv(path, sep=sep, dtype=str, quotechar='"', skipinitialspace=True,
                        engine="python" if sep == r"\s+" else "c")
    frame.columns = [c.strip().strip('"').lower() for c in frame.columns]
    return frame


def _numeric(frame: pd.DataFrame, path: Path, columns: dict[str, float | None],
             problems: list[InputProblem]) -> dict[str, NDArray[np.float64]]:
    """Each named column as floats; a missing column takes its default (None = required)."""
    out: dict[str, NDArray[np.float64]] = {}
    for column, default in columns.items():
        if column not in frame.columns:
            if default is None:
                problems.append(InputProblem(str(path), f"missing column; found columns "
                                             f"{list(frame.columns)}", column=column))
            else:
                out[column] = np.full(len(frame), default)
            continue
        raw = frame[column].str.strip().str.strip('"')
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(np.isnan(values) & raw.notna().to_numpy() & (raw != "").to_numpy())
        problems.extend(InputProblem(str(path), "not a number", row=int(r) + 1, column=column,
                                     value=raw.iloc[r]) for r in bad)
        out[column] = values
    return out


def _index(ids: NDArray[np.float64], known: NDArray[np.int64], path: Path, column: str,
           problems: list[InputProblem]) -> NDArray[np.int64]:
    """Position of each id in ``known`` (sorted), reporting ids that are not there."""
    pos = np.searchsorted(known, ids).clip(0, max(known.size - 1, 0))
    found = known.size > 0
    ok = found & (known[pos] == ids) if found else np.zeros(ids.size, bool)
    problems.extend(InputProblem(str(path), "unknown id (not in pu.dat/spec.dat)", row=int(r) + 1,
                                 column=column, value=ids[r])
                    for r in np.flatnonzero(~ok & ~np.isnan(ids)))
    return np.where(ok, pos, -1)


def _duplicates(ids: NDArray[np.float64], path: Path, problems: list[InputProblem]) -> None:
    dup = pd.Series(ids).duplicated(keep="first").to_numpy()
    problems.extend(InputProblem(str(path), "duplicate id", row=int(r) + 1, column="id",
                                 value=ids[r]) for r in np.flatnonzero(dup))


def read_marxan(path: str | Path) -> MarxanProblem:
    """Read ``input.dat`` (or a folder holding it) into a :class:`MarxanProblem`.

    Raises :class:`region.errors.InputError` listing every problem found in every file.
    """
    path = Path(path)
    input_dat = path / "input.dat" if path.is_dir() else path
    if not input_dat.is_file():
        raise InputError([InputProblem(str(input_dat), "input.dat not found")])
    params = read_input_dat(input_dat)
    base = input_dat.parent / params.get("INPUTDIR", "input")
    if not base.is_dir():
        base = input_dat.parent
    problems: list[InputProblem] = []
    names = {key: base / params.get(key, default) for key, default in _DEFAULT_FILES.items()}
    pu = _read_table(names["PUNAME"], problems)
    spec = _read_table(names["SPECNAME"], problems)
    puvsp = _read_table(names["PUVSPRNAME"], problems)
    bound_path = base / params["BOUNDNAME"] if "BOUNDNAME" in params else None
    bound = _read_table(bound_path, problems) if bound_path is not None else None
    if pu is None or spec is None or puvsp is None:
        raise InputError(problems)

    pu_cols = _numeric(pu, names["PUNAME"], {"id": None, "cost": 1.0, "status": 0.0}, problems)
    spec_cols = _numeric(spec, names["SPECNAME"],
                         {"id": None, "prop": np.nan, "target": 0.0, "spf": 1.0}, problems)
    pv_cols = _numeric(puvsp, names["PUVSPRNAME"],
                       {"species": None, "pu": None, "amount": None}, problems)
    if "id" in pu_cols:
        _duplicates(pu_cols["id"], names["PUNAME"], problems)
        cost = pu_cols["cost"]
        problems.extend(InputProblem(str(names["PUNAME"]), "negative cost", row=int(r) + 1,
                                     column="cost", value=cost[r])
                        for r in np.flatnonzero(cost < 0))
        status = pu_cols["status"]
        problems.extend(InputProblem(str(names["PUNAME"]), "status must be 0, 1, 2 or 3",
                                     row=int(r) + 1, column="status", value=status[r])
                        for r in np.flatnonzero(~np.isin(status, [0, 1, 2, 3])
                                                & ~np.isnan(status)))
    if "id" in spec_cols:
        _duplicates(spec_cols["id"], names["SPECNAME"], problems)
        for extra in ("target2", "targetocc", "sepnum", "sepdistance"):
            if extra in spec.columns and (pd.to_numeric(spec[extra], errors="coerce")
                                          .fillna(0) != 0).any():
                warnings.warn(f"{names['SPECNAME'].name}: column '{extra}' is not supported "
                              "and is ignored", stacklevel=2)
    if problems:
        raise InputError(problems)

    order = np.argsort(pu_cols["id"], kind="stable")
    pu_ids = pu_cols["id"][order].astype(np.int64)
    f_order = np.argsort(spec_cols["id"], kind="stable")
    feature_ids = spec_cols["id"][f_order].astype(np.int64)
    rows = _index(pv_cols["pu"], pu_ids, names["PUVSPRNAME"], "pu", problems)
    cols = _index(pv_cols["species"], feature_ids, names["PUVSPRNAME"], "species", problems)
    amount = pv_cols["amount"]
    problems.extend(InputProblem(str(names["PUVSPRNAME"]), "negative amount", row=int(r) + 1,
                                 column="amount", value=amount[r])
                    for r in np.flatnonzero(amount < 0))

    n = pu_ids.size
    edges = fixed = conn = None
    asymmetric = params.get("ASYMMETRICCONNECTIVITY", "0").strip() == "1"
    if bound is not None and bound_path is not None:
        b_cols = _numeric(bound, bound_path, {"id1": None, "id2": None, "boundary": None},
                          problems)
        if len(b_cols) == 3:
            bi = _index(b_cols["id1"], pu_ids, bound_path, "id1", problems)
            bj = _index(b_cols["id2"], pu_ids, bound_path, "id2", problems)
            bw = b_cols["boundary"]
            problems.extend(InputProblem(str(bound_path), "negative boundary", row=int(r) + 1,
                                         column="boundary", value=bw[r])
                            for r in np.flatnonzero(bw < 0))
            if not problems:
                if asymmetric:
                    conn = sp.csr_matrix((bw, (bi, bj)), shape=(n, n))
                    conn.setdiag(0)
                    conn.eliminate_zeros()
                else:
                    edges, fixed = _boundary(bi, bj, bw, n, bound_path)
    if problems:
        raise InputError(problems)

    if edges is None:
        edges = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        fixed = np.zeros(n)
    amounts = sp.csr_matrix((amount, (rows, cols)), shape=(n, feature_ids.size))
    prop = spec_cols["prop"][f_order]
    prop = np.where(prop > 0, prop, np.nan)
    name_col = spec["name"] if "name" in spec.columns else spec["id"]
    return MarxanProblem(
        pu_ids=pu_ids, cost=pu_cols["cost"][order], status=pu_cols["status"][order].astype(
            np.int64),
        feature_ids=feature_ids,
        feature_names=tuple(str(v).strip().strip('"') for v in name_col.to_numpy()[f_order]),
        prop=prop, target_abs=spec_cols["target"][f_order], spf=spec_cols["spf"][f_order],
        amounts=amounts, edge_i=edges[0], edge_j=edges[1], edge_b=edges[2],
        fixed_boundary=fixed, blm=float(params.get("BLM", 0) or 0),
        misslevel=float(params.get("MISSLEVEL", 1) or 1), conn=conn,
        name=input_dat.parent.name)


def _boundary(bi: NDArray[np.int64], bj: NDArray[np.int64], bw: NDArray[np.float64], n: int,
              path: Path) -> tuple[tuple[NDArray[np.int64], NDArray[np.int64],
                                         NDArray[np.float64]], NDArray[np.float64]]:
    """Fixed boundary per unit and each unordered pair once (the larger value if listings
    differ)."""
    self_rows = bi == bj
    fixed = np.bincount(bi[self_rows], weights=bw[self_rows], minlength=n).astype(float)
    lo = np.minimum(bi, bj)[~self_rows]
    hi = np.maximum(bi, bj)[~self_rows]
    pairs = pd.DataFrame({"i": lo, "j": hi, "b": bw[~self_rows]})
    grouped = pairs.groupby(["i", "j"], sort=True)["b"].agg(["max", "min"])
    conflicts = int((grouped["max"] != grouped["min"]).sum())
    if conflicts:
        warnings.warn(f"{path.name}: {conflicts} pair(s) listed more than once with different "
                      "boundaries; the larger value is kept", stacklevel=3)
    i = grouped.index.get_level_values("i").to_numpy(np.int64)
    j = grouped.index.get_level_values("j").to_numpy(np.int64)
    return (i, j, grouped["max"].to_numpy(float)), fixed
