"""The maps drawn in a child process: the same files as drawn in one process, the child's
failure raised as the same error, no child left behind, and a child that starts light."""

import dataclasses
import re
import shutil
import sqlite3
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

import outputs.map_process as map_process
from outputs.bundle import write_planner_outputs
from outputs.map_drawing import draw_maps
from outputs.map_process import MapProcess, maps_drawn
from outputs.maps import map_data


def comparable(path: Path):
    """A result file's content, less what differs between two writes of the same plan in
    one process too: write times (SVG date, xlsx core properties, GeoPackage last_change)
    and random ids (matplotlib's salted SVG ids, plotly's div ids), each numbered in order
    of appearance. manifest.json is the run's, copied, not written here."""
    data = path.read_bytes()
    ids: dict[bytes, int] = {}

    def number(match: re.Match) -> bytes:
        return b"id%d" % ids.setdefault(match.group(0), len(ids))

    if path.suffix == ".svg":
        return re.sub(rb"\b[a-zA-Z][0-9a-f]{10}\b", number,
                      re.sub(rb"<dc:date>[^<]*</dc:date>", b"", data))
    if path.suffix == ".html":
        return re.sub(rb"plot-[0-9a-f]{12}", number, data)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return [(name, re.sub(rb"<dcterms:(created|modified)[^<]*</dcterms:\w+>", b"",
                                  book.read(name))) for name in book.namelist()]
    if path.suffix == ".gpkg":
        connection = sqlite3.connect(path)
        try:
            return [re.sub(r"'\d{4}-\d\d-\d\dT[\d:.]+Z'", "'T'", row)
                    for row in connection.iterdump()]
        finally:
            connection.close()
    return data


def files(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def children(monkeypatch) -> list[MapProcess]:
    """Every map child started, with the child forced (any size, any number of cores)."""
    started: list[MapProcess] = []
    start = MapProcess.__init__

    def record(self, folder, data) -> None:
        start(self, folder, data)
        started.append(self)

    monkeypatch.setattr(MapProcess, "__init__", record)
    monkeypatch.setattr(map_process, "PARALLEL_MIN_PARCELS", 0)
    monkeypatch.setattr(map_process, "usable_cores", lambda: 2)
    return started


def result_folder(small_run, folder: Path) -> Path:
    folder.mkdir()
    for name in ("manifest.json", "plan.csv", "plan.gpkg"):
        shutil.copy(small_run.out_dir / name, folder / name)
    return folder


def test_outputs_written_with_the_child_equal_those_written_in_one_process(
        small_run, small_region, tmp_path, monkeypatch, children) -> None:
    region = small_region[0]
    parallel = result_folder(small_run, tmp_path / "parallel")
    write_planner_outputs(parallel, small_run.plan, region, small_run.corridors)
    assert len(children) == 1  # the maps were drawn in the child
    monkeypatch.setattr(map_process, "usable_cores", lambda: 1)  # a one-core machine
    serial = result_folder(small_run, tmp_path / "serial")
    write_planner_outputs(serial, small_run.plan, region, small_run.corridors)
    assert len(children) == 1  # not in a child this time
    assert files(parallel) == files(serial)
    assert {"maps/plan_by_year.png", "maps/plan_by_action.svg", "report.html",
            "priorities.xlsx", "priorities.gpkg"} <= {str(p) for p in files(serial)}
    for name in files(serial):
        assert comparable(parallel / name) == comparable(serial / name), name
    assert (parallel / "maps/plan_by_year.png").read_bytes() == \
        (serial / "maps/plan_by_year.png").read_bytes()


def test_a_failure_in_the_child_is_raised_as_it_is_in_one_process(
        small_run, small_region, tmp_path, children) -> None:
    data = map_data(small_run.plan, small_region[0], small_run.corridors)
    broken = dataclasses.replace(data, chosen=data.chosen.drop(columns="start_year"))
    with pytest.raises(Exception) as here:
        draw_maps(tmp_path, broken)
    with pytest.raises(here.type) as there, maps_drawn(tmp_path, broken) as maps:
        maps()
    assert there.type is here.type is KeyError
    assert str(there.value) == str(here.value) == "'start_year'"  # what the CLI prints
    assert any("raised in the map process" in note for note in there.value.__notes__)
    assert len(children) == 1 and children[0]._proc.returncode is not None


def test_leaving_early_kills_the_child(small_run, small_region, tmp_path, children) -> None:
    """Ctrl-C (or the parent's own failure) while the child draws: the child is killed
    before the result folder's temporary copy is removed, so nothing is written after."""
    data = map_data(small_run.plan, small_region[0], small_run.corridors)
    with pytest.raises(KeyboardInterrupt), maps_drawn(tmp_path, data):
        raise KeyboardInterrupt
    assert len(children) == 1 and children[0]._proc.returncode is not None


def test_a_child_that_dies_is_reported(small_run, small_region, tmp_path, children) -> None:
    data = map_data(small_run.plan, small_region[0], small_run.corridors)
    with pytest.raises(map_process.MapProcessError, match="ended unexpectedly"), \
            maps_drawn(tmp_path, data) as maps:
        children[0]._proc.kill()
        maps()


def test_the_child_imports_no_region_optimizer_or_criteria() -> None:
    """What keeps its start-up at about a second (the whole package: about two and a
    half): the drawing module imports geopandas and matplotlib, not the model."""
    heavy = ("region", "optimizer", "criteria", "pipeline", "plotly", "scipy")
    code = (f"import sys; sys.path.insert(0, {str(Path(map_process.__file__).parents[1])!r}); "
            "import outputs.map_drawing; "
            f"print([m for m in {heavy!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-P", "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_warnings_of_the_child_are_issued_in_the_parent(small_run, small_region, tmp_path,
                                                        children) -> None:
    """A glyph the font lacks (a zone named with an emoji): matplotlib's warning reaches
    the parent, where the command line prints it as a note, as it would from one process."""
    data = map_data(small_run.plan, small_region[0], small_run.corridors)
    labels = data.zone_labels.assign(name_zh="\U0001F600")
    odd = dataclasses.replace(data, zone_labels=labels)
    with warnings.catch_warnings(record=True) as here:
        warnings.simplefilter("always")
        draw_maps(tmp_path, odd)
    (tmp_path / "there").mkdir()
    with warnings.catch_warnings(record=True) as there:
        warnings.simplefilter("always")
        with maps_drawn(tmp_path / "there", odd) as maps:
            maps()
    assert len(children) == 1 and (tmp_path / "there" / "maps").is_dir()

    def glyphs(caught) -> set[tuple[type, str]]:
        return {(w.category, str(w.message)) for w in caught if "missing from" in str(w.message)}

    assert glyphs(there) == glyphs(here) != set()
