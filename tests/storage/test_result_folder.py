"""Result folders: only our own are replaced, inputs are never in the way, writes are atomic,
nested results survive, and what a killed run left behind is cleaned up."""

import json
import os
import subprocess
import sys

import pytest

from storage import (
    STAMP,
    OutputRefusedError,
    fitting_name,
    is_result,
    protecting,
    write_atomically,
    writing_as,
    written_by,
)
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


def test_a_result_is_replaced_by_its_own_command_only(tmp_path) -> None:
    """A compare's or Marxan's --out pointing at a plan replaced the whole plan silently
    (stranger's finding 0); the same command again is the normal re-run."""
    with writing_as("run"):
        out = write_atomically(tmp_path / "plan-2027", write_plan("the plan"))
    assert json.loads((out / STAMP).read_text())["command"] == "run"
    with writing_as("compare"), pytest.raises(OutputRefusedError) as refused:
        write_atomically(out, write_plan("a comparison"))
    assert "holds a result of 'run' (written 20" in str(refused.value)
    assert "'compare' would replace it: choose another --out, or remove the folder " \
           "yourself" in str(refused.value)
    assert (out / "plan.csv").read_text() == "the plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan-2027"]
    with writing_as("run"):
        write_atomically(out, write_plan("the plan again"))
    assert (out / "plan.csv").read_text() == "the plan again"


RUN_MANIFEST = {"status": "optimal", "solver": "highs", "versions": {}}


def _stamp_without_command(folder, names: list[str]) -> None:
    """The stamp as results were stamped before it named the command."""
    (folder / STAMP).write_text(json.dumps({"tool": "turpan-restore", "version": "0.1",
                                            "written": "2026-11-30T08:00:00+00:00",
                                            "entries": names}))


@pytest.mark.parametrize(("files", "stamped", "writer"), [
    ({"plan.csv": "", "manifest.json": RUN_MANIFEST}, False, "run"),
    ({"plan.csv": "", "manifest.json": RUN_MANIFEST, "priorities.xlsx": ""}, True, "run"),
    ({"plan.csv": "", "manifest.json": RUN_MANIFEST | {"replan": {"year": 2028}},
      "progress.csv": "", "actuals.csv": "", "changes.csv": ""}, False, "replan"),
    ({"plan.csv": "", "manifest.json": RUN_MANIFEST | {"sweep": {"scale": 1.0}}}, True,
     "sweep"),
    ({"compare.csv": "", "compare_years.csv": "", "changes.csv": ""}, False, "compare"),
    ({"summary.json": {"objective_kind": "minset", "marxan_score": {}}, "best.csv": ""},
     True, "marxan"),
    ({"analysis.json": {"method": "oat", "factors": [], "settings": {}}}, False,
     "sensitivity"),
    ({"notes.md": ""}, True, None),  # ours, but nothing says whose
])
def test_the_writer_of_an_older_result_is_told_from_what_it_holds(tmp_path, files, stamped,
                                                                    writer) -> None:
    out = tmp_path / "older"
    out.mkdir()
    for name, content in files.items():
        (out / name).write_text(content if isinstance(content, str) else json.dumps(content))
    if stamped:
        _stamp_without_command(out, sorted(files))
    assert written_by(out) == writer
    other = "criteria" if writer != "criteria" else "run"
    if writer is not None:
        with writing_as(other), pytest.raises(OutputRefusedError, match=f"'{writer}'"):
            write_atomically(out, write_plan("x"))
        assert sorted(p.name for p in out.iterdir() if p.name != STAMP) == sorted(files)
    with writing_as(writer or other):
        write_atomically(out, write_plan("new"))
    assert (out / "plan.csv").read_text() == "new"
    assert written_by(out) == (writer or other)


def test_points_and_nested_results_keep_their_own_commands(tmp_path) -> None:
    """A sweep's points are written with it; a nested analysis survives a re-run of the
    plan around it, and is itself re-run; a run may not replace a sweep's point."""
    def sweep(folder):
        (folder / "sweep.csv").write_text("scale")
        write_atomically(folder / "x1.0", write_plan("point"))

    with writing_as("run"):
        write_atomically(tmp_path / "baseline", write_plan("run 1"))
    with writing_as("sweep"):
        points = write_atomically(tmp_path / "baseline" / "sweep-budget", sweep)
        write_atomically(points, sweep)  # the sweep again
    assert written_by(points / "x1.0") == "sweep"
    with writing_as("run"), pytest.raises(OutputRefusedError, match="'sweep'"):
        write_atomically(points / "x1.0", write_plan("a run"))
    with writing_as("run"):
        write_atomically(tmp_path / "baseline", write_plan("run 2"))  # sweep-budget inside
    with writing_as("sensitivity"):
        nested = tmp_path / "baseline" / "sensitivity"
        write_atomically(nested, lambda f: (f / "runs.csv").write_text("1"))
        write_atomically(nested, lambda f: (f / "runs.csv").write_text("2"))
    with writing_as("run"):
        write_atomically(tmp_path / "baseline", write_plan("run 3"))
    assert (tmp_path / "baseline" / "plan.csv").read_text() == "run 3"
    assert (nested / "runs.csv").read_text() == "2"
    assert (points / "x1.0" / "plan.csv").read_text() == "point"


def test_a_plans_folder_holding_only_nested_results_takes_the_run(tmp_path) -> None:
    """`sweep` (or sensitivity) before any `run` leaves results/baseline holding only its
    results: the run is written there and they are carried in; a folder of runs is not
    taken for such a folder."""
    with writing_as("sweep"):
        write_atomically(tmp_path / "baseline" / "sweep-budget",
                         lambda f: (f / "sweep.csv").write_text("scale"))
    (tmp_path / "baseline" / ".sensitivity.work-0123456789ab").mkdir()  # a Ctrl-C's state
    (tmp_path / "baseline" / ".sweep-water.tmp-999999999-abcd1234").mkdir()  # a dead write
    with writing_as("run"):
        write_atomically(tmp_path / "baseline", write_plan("the plan"))
    assert (tmp_path / "baseline" / "plan.csv").read_text() == "the plan"
    assert (tmp_path / "baseline" / ".sensitivity.work-0123456789ab").is_dir()
    resumed = tmp_path / "resumed"  # a plan's folder holding only an analysis's resume state
    (resumed / ".sensitivity.work-0123456789ab").mkdir(parents=True)
    with writing_as("run"):
        write_atomically(resumed, write_plan("the plan"))
    assert (resumed / ".sensitivity.work-0123456789ab").is_dir()
    assert (tmp_path / "baseline" / "sweep-budget" / "sweep.csv").read_text() == "scale"
    with writing_as("run"), pytest.raises(OutputRefusedError, match=(
            "holds other results of turpan-restore \\(baseline, resumed\\), not one to "
            "replace")):
        write_atomically(tmp_path, write_plan("a run over the runs"))
    assert not (tmp_path / "plan.csv").exists()


def test_a_result_whose_file_was_edited_is_not_replaced(tmp_path) -> None:
    """options.csv edited in place (the README's own-benefits route) was re-computed over
    by the next `criteria` without a word: a changed file refuses the write; a GeoPackage
    (which QGIS may rewrite on opening) is not held to its hash."""
    def criteria(folder):
        (folder / "options.csv").write_text("benefit_sand\n1\n")
        (folder / "corridors.gpkg").write_text("layers")

    with writing_as("criteria"):
        out = write_atomically(tmp_path / "criteria", criteria)
        (out / "corridors.gpkg").write_text("opened in QGIS")
        write_atomically(out, criteria)  # a re-run over its own, untouched result
        (out / "options.csv").write_text("benefit_sand\n5\n")
        with pytest.raises(OutputRefusedError, match="options.csv changed since this tool "
                                                     "wrote them"):
            write_atomically(out, criteria)
    assert (out / "options.csv").read_text() == "benefit_sand\n5\n"


def test_a_long_default_name_is_cut_with_a_hash_and_an_overlong_out_refused(tmp_path) -> None:
    """compare of folders with long Chinese names failed with '[Errno 36] File name too
    long' (stranger's finding 20)."""
    names = ["compare-" + "-".join([f"吐鲁番市生态修复规划方案比较结果第{k}版本_2027年秋季调整"
                                    for k in range(6)]), "compare-" + "-".join(
        [f"吐鲁番市生态修复规划方案比较结果第{k}版本_2027年秋季调整" for k in range(1, 7)])]
    fitted = [fitting_name(name) for name in names]
    assert all(len(name.encode()) <= 120 for name in fitted)
    assert fitted[0] != fitted[1] and fitted[0].startswith("compare-吐鲁番市")
    assert fitting_name("compare-baseline-tight_water") == "compare-baseline-tight_water"
    write_atomically(tmp_path / fitted[0], write_plan("x"))  # it fits beside its siblings
    with pytest.raises(OutputRefusedError, match="longer than 220 bytes"):
        write_atomically(tmp_path / ("方" * 80), write_plan("x"))
