"""Write any compiled model as .lp or .mps, for users who solve with Gurobi, CPLEX or SCIP."""

from __future__ import annotations

from pathlib import Path

import highspy

from optimizer.compiled import CompiledModel
from optimizer.solvers.highs import model_arrays
from optimizer.solvers.highs_child import build_lp


def write_model(model: CompiledModel, path: str | Path) -> Path:
    """Write the model in the format its suffix names (.lp or .mps), through HiGHS."""
    path = Path(path)
    if path.suffix not in (".lp", ".mps"):
        raise ValueError(f"{path.name}: the model can be written as .lp or .mps, "
                         f"not '{path.suffix}'")
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(build_lp(model_arrays(model)))
    status = h.writeModel(str(path))
    if status == highspy.HighsStatus.kError:
        raise RuntimeError(f"HiGHS could not write {path}")
    return path
