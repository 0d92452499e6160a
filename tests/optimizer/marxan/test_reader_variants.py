"""What real Marxan datasets look like: every variant of header, separator, line end, path
and order that Marxan reads must give the same problem as the plain files (conftest's tiny
problem), with a note where the files were read differently from their letter; bad cells
are reported with file, row and column."""

from pathlib import Path

import numpy as np
import pytest

from optimizer.marxan import read_marxan
from region.errors import InputError

PU = [["id", "cost", "status"], ["1", "3", "0"], ["2", "2", "0"], ["3", "4", "0"],
      ["4", "1", "0"], ["5", "5", "0"], ["6", "2", "0"]]
SPEC = [["id", "prop", "target", "spf", "name"], ["1", "0", "6", "10", "wolf"],
        ["2", "0", "4", "10", "ibex"], ["3", "0.5", "0", "10", "saxaul"]]
PUVSP = [["species", "pu", "amount"], ["1", "1", "3"], ["1", "2", "2"], ["1", "3", "4"],
         ["1", "5", "5"], ["2", "2", "2"], ["2", "4", "1"], ["2", "6", "3"], ["3", "1", "1"],
         ["3", "3", "2"], ["3", "4", "1"], ["3", "6", "2"]]
BOUND = [["id1", "id2", "boundary"], ["1", "1", "2"], ["3", "3", "2"], ["4", "4", "2"],
         ["6", "6", "2"], ["2", "2", "1"], ["5", "5", "1"], ["1", "2", "1"], ["2", "3", "1"],
         ["4", "5", "1"], ["5", "6", "1"], ["1", "4", "1"], ["2", "5", "1"], ["3", "6", "1"]]
INPUT = ["General Parameters", "BLM 0.5", "NUMREPS 10", "INPUTDIR input", "PUNAME pu.dat",
         "SPECNAME spec.dat", "PUVSPRNAME puvsp.dat", "BOUNDNAME bound.dat"]


def render(table: list[list[str]], sep: str = "\t", end: str = "\n") -> str:
    return "".join(sep.join(row) + end for row in table)


def write(folder: Path, pu: str | None = None, spec: str | None = None,
          puvsp: str | None = None, bound: str | None = None, input_dat: str | None = None,
          inputdir: str = "input") -> Path:
    (folder / inputdir).mkdir(parents=True, exist_ok=True)
    (folder / "input.dat").write_text(input_dat if input_dat is not None
                                      else "\n".join(INPUT) + "\n", newline="")
    for name, text, table in (("pu.dat", pu, PU), ("spec.dat", spec, SPEC),
                              ("puvsp.dat", puvsp, PUVSP), ("bound.dat", bound, BOUND)):
        (folder / inputdir / name).write_text(text if text is not None else render(table),
                                              newline="")
    return folder


def same_problem(a, b) -> None:
    """Every array of the two problems equal (units and features by id)."""
    assert a.pu_ids.tolist() == b.pu_ids.tolist()
    assert a.feature_ids.tolist() == b.feature_ids.tolist()
    assert a.feature_names == b.feature_names
    np.testing.assert_array_equal(a.cost, b.cost)
    np.testing.assert_array_equal(a.status, b.status)
    np.testing.assert_array_equal(a.amounts.toarray(), b.amounts.toarray())
    np.testing.assert_array_equal(a.targets, b.targets)
    np.testing.assert_array_equal(a.spf, b.spf)
    np.testing.assert_array_equal(a.fixed_boundary, b.fixed_boundary)
    np.testing.assert_array_equal(a.boundary_matrix().toarray(), b.boundary_matrix().toarray())
    assert a.blm == b.blm


@pytest.fixture
def plain(tmp_path):
    problem = read_marxan(write(tmp_path / "plain"))
    assert problem.notes == ()
    assert problem.targets.tolist() == [6, 4, 3] and problem.edge_i.size == 7
    return problem


@pytest.mark.parametrize("header", ["id,id2,boundary", "id1,id2,amount", "id1,id2,bound",
                                    "pu1,pu2,length", '"a","b","c"'])
def test_bound_read_by_position_whatever_its_header(tmp_path, plain, header):
    bound = header + "\n" + render(BOUND[1:], ",")
    same_problem(read_marxan(write(tmp_path, bound=bound)), plain)


def test_bound_without_header_read_as_data(tmp_path, plain):
    problem = read_marxan(write(tmp_path, bound=render(BOUND[1:])))
    same_problem(problem, plain)
    assert any("bound.dat" in n and "no header" in n for n in problem.notes)


def test_spec_row_with_one_trailing_tab(tmp_path, plain):
    rows = render(SPEC).splitlines()
    rows[3] += "\t"  # the "Expected 3 fields in line 4, saw 4"
    problem = read_marxan(write(tmp_path, spec="\n".join(rows) + "\n"))
    same_problem(problem, plain)
    assert any("spec.dat" in n and "first: row 4 (the header is row 1)" in n  # line 4
               and "trailing" in n for n in problem.notes)


def test_doubled_tabs_everywhere(tmp_path, plain):
    files = {name: render(table, "\t\t") for name, table in
             (("pu", PU), ("spec", SPEC), ("puvsp", PUVSP), ("bound", BOUND))}
    problem = read_marxan(write(tmp_path, **files))
    same_problem(problem, plain)
    assert {n.split(":")[0] for n in problem.notes if "doubled" in n} >= {
        "pu.dat", "spec.dat", "puvsp.dat"}


@pytest.mark.parametrize("sep", [",", "\t", " ", ";", "   "])
def test_any_separator(tmp_path, plain, sep):
    files = {name: render(table, sep) for name, table in
             (("pu", PU), ("spec", SPEC), ("puvsp", PUVSP), ("bound", BOUND))}
    same_problem(read_marxan(write(tmp_path, **files)), plain)


def test_trailing_separators(tmp_path, plain):
    files = {name: "".join(",".join(row) + ",\n" for row in table[:1]) +
             "".join(",".join(row) + ",\n" for row in table[1:])
             for name, table in (("pu", PU), ("spec", SPEC), ("puvsp", PUVSP))}
    problem = read_marxan(write(tmp_path, **files))
    same_problem(problem, plain)


def test_crlf_everywhere(tmp_path, plain):
    files = {name: render(table, "\t", "\r\n") for name, table in
             (("pu", PU), ("spec", SPEC), ("puvsp", PUVSP), ("bound", BOUND))}
    input_dat = "\r\n".join(INPUT) + "\r\n"
    same_problem(read_marxan(write(tmp_path, input_dat=input_dat, **files)), plain)


def test_quoted_headers_and_cells_and_bom(tmp_path, plain):
    quoted = {name: "\ufeff" + "".join(",".join(f'"{c}"' for c in row) + "\n"
                                        for row in table)
              for name, table in (("pu", PU), ("spec", SPEC), ("puvsp", PUVSP))}
    same_problem(read_marxan(write(tmp_path, **quoted)), plain)


def test_input_dat_indented_unknown_and_repeated_keys(tmp_path, plain):
    lines = ["Input file for Annealing program.", "", "   BLM 7", "\tBLM 0.5",
             "  INPUTDIR\tinput", "PUNAME pu.dat", "SPECNAME spec.dat",
             "PUVSPRNAME puvsp.dat", "BOUNDNAME bound.dat", "PROJECT_NAME my project",
             "DESCRIPTION Marxan Web adds its own keys", "CREATEDATE 14/10/19 12:45:05",
             "OUTPUTDIR C:\\Users\\me\\output"]
    same_problem(read_marxan(write(tmp_path, input_dat="\n".join(lines) + "\n")), plain)


def test_absolute_inputdir(tmp_path, plain):
    elsewhere = write(tmp_path / "data")
    lines = [line if not line.startswith("INPUTDIR") else f"INPUTDIR {elsewhere / 'input'}"
             for line in INPUT]
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "input.dat").write_text("\n".join(lines) + "\n")
    same_problem(read_marxan(tmp_path / "project"), plain)


@pytest.mark.parametrize("inputdir, files_in", [
    ("C:\\Users\\me\\Marxan\\project\\input", "input"),  # the same name beside input.dat
    ("C:\\Users\\me\\Marxan\\project\\data", "."),  # else input.dat's own folder
    ("/home/someone/else/input", "input"),
])
def test_foreign_inputdir_falls_back_with_a_note(tmp_path, plain, inputdir, files_in):
    lines = [line if not line.startswith("INPUTDIR") else f"INPUTDIR {inputdir}"
             for line in INPUT]
    folder = write(tmp_path, input_dat="\n".join(lines) + "\n", inputdir=files_in)
    problem = read_marxan(folder)
    same_problem(problem, plain)
    assert any(n.startswith("input.dat: INPUTDIR") and "not a folder here" in n
               for n in problem.notes)


def test_windows_file_names(tmp_path, plain):
    lines = ["PUNAME C:\\marxan\\input\\pu.dat" if line.startswith("PUNAME") else line
             for line in INPUT]
    problem = read_marxan(write(tmp_path, input_dat="\n".join(lines) + "\n"))
    same_problem(problem, plain)
    assert any("PUNAME" in n for n in problem.notes)


def test_no_boundname_means_no_boundary(tmp_path, plain):
    lines = [line for line in INPUT if not line.startswith("BOUNDNAME")]
    problem = read_marxan(write(tmp_path, input_dat="\n".join(lines) + "\n"))
    assert problem.edge_i.size == 0 and not problem.fixed_boundary.any()
    np.testing.assert_array_equal(problem.amounts.toarray(), plain.amounts.toarray())
    assert any("no BOUNDNAME" in n for n in problem.notes)


def test_ids_not_contiguous_nor_sorted(tmp_path, plain):
    new = {"1": "907", "2": "15", "3": "4000", "4": "16", "5": "3", "6": "250"}
    pu = [PU[0]] + [[new[r[0]], *r[1:]] for r in reversed(PU[1:])]
    puvsp = [PUVSP[0]] + [[r[0], new[r[1]], r[2]] for r in PUVSP[1:]]
    bound = [BOUND[0]] + [[new[r[0]], new[r[1]], r[2]] for r in BOUND[1:]]
    problem = read_marxan(write(tmp_path, pu=render(pu), puvsp=render(puvsp),
                                bound=render(bound)))
    order = [new[str(i)] for i in range(1, 7)]
    position = {pid: k for k, pid in enumerate(problem.pu_ids.astype(str))}
    index = [position[pid] for pid in order]  # problem's rows in the plain problem's order
    np.testing.assert_array_equal(problem.cost[index], plain.cost)
    np.testing.assert_array_equal(problem.amounts.toarray()[index], plain.amounts.toarray())
    np.testing.assert_array_equal(problem.boundary_matrix().toarray()[np.ix_(index, index)],
                                  plain.boundary_matrix().toarray())
    np.testing.assert_array_equal(problem.fixed_boundary[index], plain.fixed_boundary)


def test_puvspr_any_row_and_column_order(tmp_path, plain):
    rows = PUVSP[1:]
    shuffled = [rows[k] for k in np.random.default_rng(3).permutation(len(rows))]
    reordered = [["pu", "amount", "species"]] + [[r[1], r[2], r[0]] for r in shuffled]
    same_problem(read_marxan(write(tmp_path, puvsp=render(reordered, ","))), plain)


def test_puvspr_unknown_header_read_by_position(tmp_path, plain):
    table = [["spid", "puid", "amt"]] + PUVSP[1:]
    problem = read_marxan(write(tmp_path, puvsp=render(table)))
    same_problem(problem, plain)


def test_puvspr_pair_listed_twice_keeps_the_last(tmp_path):
    table = PUVSP + [["1", "1", "9"]]
    problem = read_marxan(write(tmp_path, puvsp=render(table)))
    assert problem.amounts[0, 0] == 9
    assert any("listed more than once" in n for n in problem.notes)


@pytest.mark.parametrize("cell, message", [("", "blank value"), ("inf", "not a finite number"),
                                           ("nan", "not a finite number"),
                                           ("1e999", "not a finite number"),
                                           ("abc", "not a number"), ("-2", "negative cost")])
def test_bad_cost_named_with_file_row_column(tmp_path, cell, message):
    pu = [row[:] for row in PU]
    pu[4][1] = cell
    with pytest.raises(InputError) as err:
        read_marxan(write(tmp_path, pu=render(pu, ",")))
    found = {(Path(p.file).name, p.row, p.column, p.message.split(";")[0])
             for p in err.value.problems}
    assert ("pu.dat", 4, "cost", message) in found


def test_row_with_missing_values_named(tmp_path):
    pu = render(PU) + "7\t3\n"
    with pytest.raises(InputError) as err:
        read_marxan(write(tmp_path, pu=pu))
    (problem,) = err.value.problems
    assert Path(problem.file).name == "pu.dat" and problem.row == 7
    assert "2 values" in problem.message and "id, cost, status" in problem.message


@pytest.mark.parametrize("column, cell", [("prop", "1.5"), ("prop", "-0.1"), ("spf", "-1"),
                                          ("target", "inf")])
def test_bad_spec_values(tmp_path, column, cell):
    spec = [row[:] for row in SPEC]
    spec[2][SPEC[0].index(column)] = cell
    with pytest.raises(InputError) as err:
        read_marxan(write(tmp_path, spec=render(spec, ",")))
    assert {(Path(p.file).name, p.row, p.column) for p in err.value.problems} == {
        ("spec.dat", 2, column)}


def test_bad_blm_in_input_dat(tmp_path):
    lines = [line if not line.startswith("BLM") else "BLM -1" for line in INPUT]
    with pytest.raises(InputError) as err:
        read_marxan(write(tmp_path, input_dat="\n".join(lines) + "\n"))
    (problem,) = err.value.problems
    assert Path(problem.file).name == "input.dat" and problem.column == "BLM"
    assert problem.row == 2
