"""Write any compiled model as .lp or .mps, for users who solve with Gurobi, CPLEX or SCIP."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import highspy

from optimizer.compiled import CompiledModel
from optimizer.solvers.highs import model_arrays
from optimizer.solvers.highs_child import build_lp
from storage import check_file_writable, write_file_atomically


def check_model_path(path: str | Path) -> None:
    """Raise ValueError unless ``path`` names a model file we can write (.lp or .mps)."""
    path = Path(path)
    if path.suffix not in (".lp", ".mps"):
        raise ValueError(f"--export {path.name}: the model can be written as .lp or .mps, "
                         f"not '{path.suffix}'")


def check_model_target(path: str | Path) -> None:
    """Raise (before any solve) unless a model file may be written at ``path``: .lp or .mps,
    not an input, and not a file of the user's (a previous export may be replaced)."""
    check_model_path(path)
    check_file_writable(path, is_model_file)


def is_model_file(path: Path) -> bool:
    """A model file as HiGHS writes them (so a previous export may be replaced)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline()
    except OSError:
        return False
    return first.startswith(("\\ File written by HiGHS", "NAME"))


def _quiet_highs() -> highspy.Highs:
    """A Highs object whose banner (printed by the first one of a process, before any
    option can silence it) goes to stderr: stdout carries ``--json`` output."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def write_model(model: CompiledModel, path: str | Path) -> Path:
    """Write the model in the format its suffix names (.lp or .mps), through HiGHS,
    atomically; an existing file is replaced only if it is a model file."""
    check_model_path(path)

    def write(tmp: Path) -> None:
        h = _quiet_highs()
        h.setOptionValue("output_flag", False)
        h.passModel(build_lp(model_arrays(model)))
        if h.writeModel(str(tmp)) == highspy.HighsStatus.kError:
            raise OSError(f"HiGHS could not write {path}")

    return write_file_atomically(path, write, is_model_file)
