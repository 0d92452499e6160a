"""The Marxan reader on the tiny problem and the public ones: targets, boundaries, locked units,
and every problem of bad input files reported at once (variants of the format:
test_reader_variants.py)."""

import numpy as np
import pytest

from optimizer.marxan import read_marxan
from region.errors import InputError


def test_reads_tiny(tiny):
    p = read_marxan(tiny)
    assert p.n_units == 6 and p.n_features == 3
    assert p.blm == 0.5
    # prop 0.5 of saxaul over all units: (1 + 2 + 1 + 2) / 2
    assert p.targets.tolist() == [6, 4, 3]
    # fixed boundary from id1 == id2 rows; pair 1-2 listed twice counts once
    assert p.fixed_boundary.tolist() == [2, 1, 2, 2, 1, 2]
    assert p.edge_i.size == 7
    assert p.boundary_matrix()[0, 1] == 1


def test_prop_over_all_units_even_locked_out(tmp_path, marxan_writer):
    pu = "id\tcost\tstatus\n1\t3\t3\n2\t2\t0\n3\t4\t0\n4\t1\t0\n5\t5\t0\n6\t2\t0\n"
    p = read_marxan(marxan_writer(tmp_path, pu=pu))
    assert p.targets[2] == 3.0  # unit 1 (locked out) still counts in the total
    assert p.locked_out.tolist() == [True] + [False] * 5


def test_conflicting_pair_keeps_first_listing_as_marxan(tmp_path, marxan_writer):
    """Marxan's readConnections ignores a pair's second listing ("double connection")."""
    bound = "id1 id2 boundary\n1 2 1\n2 1 3\n"
    p = read_marxan(marxan_writer(tmp_path, bound=bound))
    assert p.edge_b.tolist() == [1.0]
    assert any("bound.dat" in n and "first listing" in n for n in p.notes)


def test_all_problems_at_once(tmp_path, marxan_writer):
    pu = "id,cost,status\n1,3,0\n1,2,0\n3,-4,0\n4,abc,0\n5,5,7\n6,2,0\n"
    puvsp = "species,pu,amount\n1,1,3\n1,99,2\n"
    bound = "id1,id2,boundary\n1,2,1\n"
    folder = marxan_writer(tmp_path, pu=pu, puvsp=puvsp, bound=bound)
    with pytest.raises(InputError) as err:
        read_marxan(folder)
    found = {(p.message.split(";")[0], p.row, p.column) for p in err.value.problems}
    assert ("duplicate id", 2, "id") in found
    assert ("negative cost", 3, "cost") in found
    assert ("not a number", 4, "cost") in found
    assert ("status must be 0, 1, 2 or 3", 5, "status") in found


def test_unknown_ids_and_missing_column(tmp_path, marxan_writer):
    """Unknown ids in puvspr are skipped with a note (Marxan: "Ignoring"); in bound.dat
    they stop the reading (Marxan: "not found in pu")."""
    puvsp = "species,pu,amount\n1,1,3\n1,99,2\n7,2,1\n2,2,5\n"
    p = read_marxan(marxan_writer(tmp_path / "a", puvsp=puvsp))
    assert p.amounts.nnz == 2 and p.amounts[1, 1] == 5
    assert any("puvsp.dat" in n and "absent from pu.dat" in n  # the file's line 3
               and "(rows 3; the header is row 1)" in n for n in p.notes)
    assert any("absent from spec.dat" in n and "(rows 4; the header is row 1)" in n
               for n in p.notes)
    bound = "id1,id2,boundary\n1,42,1\n"
    folder = marxan_writer(tmp_path / "b", bound=bound)
    with pytest.raises(InputError) as err:
        read_marxan(folder)
    rows = {(p.file.split("/")[-1], p.row, p.column) for p in err.value.problems}
    assert ("bound.dat", 1, "id2") in rows
    missing = marxan_writer(tmp_path / "b", spec="name,spf\nwolf,1\n")
    with pytest.raises(InputError, match="missing column"):
        read_marxan(missing)


def test_missing_file(tmp_path, marxan_writer):
    folder = marxan_writer(tmp_path)
    (folder / "input" / "pu.dat").unlink()
    with pytest.raises(InputError, match="file not found"):
        read_marxan(folder / "input.dat")


def test_public_problem_reads(marxan_benchmarks):
    p = read_marxan(marxan_benchmarks / "marxanconnect-cf-demographic" / "input_connect.dat")
    assert p.n_units == 653 and p.n_features == 21
    # every pair listed in both directions: 3600 rows, 1800 pairs
    assert p.edge_i.size == 1800
    assert np.all(p.edge_i < p.edge_j)
