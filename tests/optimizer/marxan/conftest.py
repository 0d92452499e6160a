"""A tiny Marxan problem written to disk, and a brute force over all 2^n selections."""

import itertools
from pathlib import Path

import numpy as np
import pytest

PU = "id\tcost\tstatus\n1\t3\t0\n2\t2\t0\n3\t4\t0\n4\t1\t0\n5\t5\t0\n6\t2\t0\n"
SPEC = "id,prop,target,spf,name\n1,0,6,10,wolf\n2,0,4,10,ibex\n3,0.5,0,10,saxaul\n"
PUVSP = ("species pu amount\n1 1 3\n1 2 2\n1 3 4\n1 5 5\n2 2 2\n2 4 1\n2 6 3\n"
         "3 1 1\n3 3 2\n3 4 1\n3 6 2\n")
# 2x3 grid 1 2 3 / 4 5 6; fixed edge rows (id1 == id2); pair 1-2 listed twice.
BOUND = ("id1,id2,boundary\n1,1,2\n3,3,2\n4,4,2\n6,6,2\n2,2,1\n5,5,1\n"
         "1,2,1\n2,1,1\n2,3,1\n4,5,1\n5,6,1\n1,4,1\n2,5,1\n3,6,1\n")
INPUT = "General Parameters\nBLM 0.5\nPROP 0.5\nNUMREPS 10\nINPUTDIR input\nBOUNDNAME bound.dat\n"


def write_problem(folder: Path, pu: str = PU, spec: str = SPEC, puvsp: str = PUVSP,
                  bound: str = BOUND, input_dat: str = INPUT) -> Path:
    (folder / "input").mkdir(parents=True, exist_ok=True)
    (folder / "input.dat").write_text(input_dat)
    for name, text in (("pu.dat", pu), ("spec.dat", spec), ("puvsp.dat", puvsp),
                       ("bound.dat", bound)):
        (folder / "input" / name).write_text(text)
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_problem(tmp_path / "tiny")


def brute_force(problem, objective) -> tuple[float, np.ndarray]:
    """Minimum of ``objective(x)`` over every selection meeting all targets and locks,
    checked directly from the arrays (amounts, status)."""
    n = problem.n_units
    amounts = problem.amounts.toarray()
    best, best_x = np.inf, None
    for bits in itertools.product((0.0, 1.0), repeat=n):
        x = np.array(bits)
        if (x[problem.status == 2] == 0).any() or (x[problem.status == 3] == 1).any():
            continue
        if (amounts.T @ x < problem.targets - 1e-9).any():
            continue
        value = objective(x)
        if value < best - 1e-9:
            best, best_x = value, x
    return best, best_x


@pytest.fixture
def marxan_writer():
    return write_problem


@pytest.fixture
def brute():
    return brute_force
