"""Result folders: only our own are replaced, inputs are never in the way, writes are atomic,
nested results survive, and what a killed run left behind is cleaned up."""

import json
import os
import subprocess
import sys

import pytest

from storage import STAMP, OutputRefusedError, is_result, protecting, write_atomically
from storage.result_folder import clean_stale, write_file_atomically


def write_plan(text: str):
    return lambda folder: (folder / "plan.csv").write_text(text)


def test_a_new_folder_is_written_and_stamped_with_what_it_holds(tmp_path) -> None:
    out = write_atomically(tmp_path / "run", write_plan("a"))
    stamp = json.loads((out / STAMP).read_text())
    assert stamp["tool"] == "turpan-restore" and stamp["entries"] == ["plan.csv"]
    assert is_result(out)
    assert oct(out.stat().st_mode & 0o777) != oct(0o700)  # the user's umask, not mkdtemp's


def test_a_previous_result_is_replaced(tmp_path) -> None:
    out = write_atomically(tmp_path / "run", write_plan("old"))
    write_atomically(out, write_plan("new"))
    assert (out / "plan.csv").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_an_empty_folder_may_take_a_result(tmp_path) -> None:
    (tmp_path / "run").mkdir()
    write_atomically(tmp_path / "run", write_plan("a"))
    assert (tmp_path / "run" / "plan.csv").read_text() == "a"


@pytest.mark.parametrize("make", ["file", "documents", "result_with_notes"])
def test_anything_else_is_refused_and_left_as_it_was(tmp_path, make) -> None:
    out = tmp_path / "out"
    if make == "file":
        out.write_text("my notes")
    elif make == "documents":
        out.mkdir()
        (out / "report.docx").write_text("draft")
    else:
        write_atomically(out, write_plan("ours"))
        (out / "notes.txt").write_text("mine")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(OutputRefusedError):
        write_atomically(out, write_plan("new"))
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_a_result_from_before_the_stamp_is_recognised_by_its_manifest(tmp_path) -> None:
    out = tmp_path / "baseline"
    out.mkdir()
    (out / "plan.csv").write_text("old")
    (out / "manifest.json").write_text(json.dumps({"status": "optimal", "solver": "highs",
                                                   "versions": {}}))
    write_atomically(out, write_plan("new"))
    assert (out / "plan.csv").read_text() == "new" and not (out / "manifest.json").exists()


def test_an_input_or_its_folder_is_never_the_output(tmp_path) -> None:
    project = tmp_path / "my_project"
    project.mkdir()
    parcels = project / "parcels.gpkg"
    parcels.write_text("parcels")
    with protecting([parcels]):
        for out in (project, parcels, tmp_path):
            with pytest.raises(OutputRefusedError):
                write_atomically(out, write_plan("x"))
        write_atomically(tmp_path / "results" / "run", write_plan("x"))  # beside: fine
    assert parcels.read_text() == "parcels"


def test_results_of_other_commands_nested_inside_are_carried_over(tmp_path) -> None:
    out = write_atomically(tmp_path / "baseline", write_plan("run 1"))
    write_atomically(out / "sensitivity", lambda f: (f / "runs.csv").write_text("hours"))
    (out / ".sensitivity.work-0123456789ab").mkdir()  # an interrupted analysis's runs
    write_atomically(out, write_plan("run 2"))
    assert (out / "plan.csv").read_text() == "run 2"
    assert (out / "sensitivity" / "runs.csv").read_text() == "hours"
    assert (out / ".sensitivity.work-0123456789ab").is_dir()


def test_a_failed_write_leaves_the_old_result_and_no_temporary_folder(tmp_path) -> None:
    out = write_atomically(tmp_path / "run", write_plan("old"))

    def crash(folder):
        (folder / "plan.csv").write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, crash)
    assert (out / "plan.csv").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]


def test_what_a_killed_run_left_is_cleaned_but_a_live_run_is_not_touched(tmp_path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = [tmp_path / ".run.tmp-abcd1234", tmp_path / f".run.tmp-{dead}-abcd1234"]
    live = tmp_path / f".other.tmp-{os.getpid()}-abcd1234"
    for folder in (*stale, live):
        folder.mkdir()
        (folder / "plan.csv").write_text("half")
    write_atomically(tmp_path / "run", write_plan("a"))
    assert not any(p.exists() for p in stale)
    assert live.is_dir()


def test_a_swap_cut_short_puts_the_parked_result_back(tmp_path) -> None:
    out = write_atomically(tmp_path / "run", write_plan("previous"))
    parked = tmp_path / ".run.old-abcd1234"
    parked.mkdir()
    os.replace(out, parked / "run")  # killed between parking the old and renaming the new
    clean_stale(tmp_path)
    assert (out / "plan.csv").read_text() == "previous" and not parked.exists()


def test_a_single_file_gets_the_users_usual_permissions(tmp_path) -> None:
    """An exported model, an import's provenance and report were 0600 (mkstemp's), so a
    colleague on the same server could not read them while the result folders could."""
    mask = os.umask(0o022)
    try:
        path = write_file_atomically(tmp_path / "model.mps", lambda p: p.write_text("NAME"),
                                     lambda _p: True)
    finally:
        os.umask(mask)
    assert path.read_text() == "NAME"
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)


def test_every_csv_we_write_rounds_its_floats_alike() -> None:
    """Every ``to_csv`` of the tool passes a float_format (CSV_FLOATS, or the planner lists'
    own), so no written table shows binary noise such as 0.30000000000000004."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    skipped = {"tests", "benchmarks", "data", ".venv", "docs"}
    missing = []
    paths = [*root.glob("*.py"), *(path for folder in root.iterdir()
                                   if folder.is_dir() and folder.name not in skipped
                                   and not folder.name.startswith(".")
                                   for path in folder.rglob("*.py"))]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "to_csv" \
                    and "float_format" not in {k.arg for k in node.keywords}:
                missing.append(f"{path.relative_to(root)}:{node.lineno}")
    assert missing == []
