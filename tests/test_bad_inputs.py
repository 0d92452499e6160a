"""The catalogue of bad inputs and faults (issue 19), through the CLI in-process.

Every case copies a small planner's project (parcels, actions, projects, scenario, option
table) into its own folder, breaks one thing, runs a command and checks: the exit status
(2 bad input or refused output, 3 no plan found, 130 interrupted), the message naming the
file (and row and column, or key) in plain words, no traceback, raw warning or numpy repr,
and that nothing was written or deleted anywhere in the case's folder.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon
from typer.testing import CliRunner

from region.io import TURPAN_DIR
from solve import app

runner = CliRunner()

MARXAN = {"input.dat": "BLM 0.5\nPROP 0.5\nINPUTDIR input\n",
          "input/pu.dat": "id,cost,status\n1,3,0\n2,2,0\n3,4,0\n",
          "input/spec.dat": "id,prop,spf,name\n1,0.5,10,wolf\n",
          "input/puvsp.dat": "species,pu,amount\n1,1,3\n1,2,2\n1,3,4\n"}


@pytest.fixture(scope="session")
def kit(tmp_path_factory, scenario_text) -> Path:
    """A planner's project: 494 shipped parcels around Shanshan, the shipped catalogue and
    projects, a four-year scenario and an option table of the criteria models' benefits."""
    from criteria.options import build_options
    from region.io import RegionPaths, load_region

    folder = tmp_path_factory.mktemp("kit") / "my_project"
    folder.mkdir()
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.5, 43.0))
    parcels.to_file(folder / "parcels.gpkg", driver="GPKG")
    for name in ("actions.csv", "projects.csv"):
        shutil.copy(TURPAN_DIR / name, folder / name)
    (folder / "scenario.toml").write_text(scenario_text(
        "catalogue", seed=7, corridors={"enabled": False},
        solver={"time_limit_s": 20.0, "gap": 0.01}), encoding="utf-8")
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg"))
    options = build_options(region.parcels, region.actions)
    options[["parcel_id", "action", "area_km2", "zone", "county", "cost_wan",
             "water_wan_m3_per_yr", *[c for c in options if c.startswith("benefit_")]]
            ].to_csv(folder / "options.csv", index=False)
    return folder


@dataclass
class Project:
    """One case's copy of the project, in ``root/my_project``; ``root/out`` is where the
    result would go."""

    root: Path
    folder: Path

    @property
    def out(self) -> Path:
        return self.root / "out"

    def path(self, name: str) -> Path:
        return self.folder / name

    def inputs(self) -> list[str]:
        return ["--parcels", str(self.path("parcels.gpkg")), "--actions",
                str(self.path("actions.csv")), "--projects", str(self.path("projects.csv")),
                "--scenario", str(self.path("scenario.toml"))]

    def edit_csv(self, name: str, row: int, column: str, value: object) -> None:
        """Set one cell (data row ``row``, 1-based) of a CSV input."""
        frame = pd.read_csv(self.path(name), dtype=str, keep_default_na=False)
        frame[column] = frame[column].astype(object)
        frame.loc[row - 1, column] = value
        frame.to_csv(self.path(name), index=False)

    def edit_parcels(self, change: Callable[[gpd.GeoDataFrame], object]) -> None:
        frame = gpd.read_file(self.path("parcels.gpkg"))
        change(frame)
        frame.to_file(self.path("parcels.gpkg"), driver="GPKG")

    def scenario(self, text: str = "", replace: tuple[str, str] | None = None) -> None:
        """Append TOML to the scenario, or replace a piece of it."""
        body = self.path("scenario.toml").read_text(encoding="utf-8")
        if replace:
            assert replace[0] in body
            body = body.replace(*replace)
        self.path("scenario.toml").write_text(body + text, encoding="utf-8")

    def result_folder(self, name: str) -> Path:
        """A minimal result of 'solve.py run' (plan.csv and manifest.json)."""
        folder = self.root / name
        folder.mkdir()
        (folder / "plan.csv").write_text("parcel_id,action,start_year,area_km2\n"
                                         "1,enclosure,2027,5.0\n")
        (folder / "manifest.json").write_text(json.dumps(
            {"status": "optimal", "objective": 1.0, "solver": "highs", "versions": {},
             "criterion_totals": {}, "years": {"2027": {"spend": 1.0, "water_use": 0.0}}}))
        return folder


@pytest.fixture
def project(kit, tmp_path) -> Project:
    shutil.copytree(kit, tmp_path / "my_project")
    return Project(tmp_path, tmp_path / "my_project")


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with a hash of its bytes."""
    return {str(p.relative_to(root)): (hashlib.sha1(p.read_bytes()).hexdigest()
                                       if p.is_file() else "dir")
            for p in sorted(root.rglob("*"))}


def plain(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Case:
    """A broken input (``setup`` breaks the project and returns the command line), the exit
    status, and what the message must say: ``where`` (file, row, column or key) and
    ``says``."""

    setup: Callable[[Project], list[str]]
    code: int
    where: str
    says: str
    also: tuple[str, ...] = field(default_factory=tuple)


def run(*extra: str) -> Callable[[Project], list[str]]:
    """'run' on the project with ``extra`` options, the result going to ``out``."""
    return lambda p: ["run", *p.inputs(), "--out", str(p.out), *extra]


def broken(change: Callable[[Project], object], command: str = "run",
           *extra: str) -> Callable[[Project], list[str]]:
    def setup(p: Project) -> list[str]:
        change(p)
        out = [] if command == "validate" else ["--out", str(p.out)]
        return [command, *p.inputs(), *out, *extra]

    return setup


def with_options(change: Callable[[Project], object] | None = None
                 ) -> Callable[[Project], list[str]]:
    def setup(p: Project) -> list[str]:
        if change is not None:
            change(p)
        return ["run", *p.inputs(), "--options", str(p.path("options.csv")), "--out",
                str(p.out)]

    return setup


def at(name: str) -> Callable[[Project], list[str]]:
    """'run' writing to ``name`` (relative to the case's root) after ``make`` put it there."""
    return lambda p: ["run", *p.inputs(), "--out", str(p.root / name)]


def make_file(name: str, text: str = "my notes") -> Callable[[Project], None]:
    def make(p: Project) -> None:
        path = p.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    return make


def then(*steps: Callable[[Project], object]) -> Callable[[Project], list[str]]:
    """Run the steps; the last returns the command line."""
    def setup(p: Project) -> list[str]:
        for step in steps[:-1]:
            step(p)
        return steps[-1](p)

    return setup


def our_result_with_notes(p: Project) -> None:
    from storage import write_atomically

    write_atomically(p.out, lambda f: (f / "plan.csv").write_text("ours"))
    (p.out / "notes.txt").write_text("mine")


def bureau_layer(name: str) -> Callable[[Project], None]:
    """A bureau's area layer beside the project: the first ten parcels."""
    def make(p: Project) -> None:
        parcels = gpd.read_file(p.path("parcels.gpkg"), rows=10)
        gpd.GeoDataFrame({"name": ["局红线 bureau red line"]},
                         geometry=[parcels.union_all()], crs=parcels.crs).to_file(
            p.root / name, driver="GPKG")

    return make


def marxan_problem(p: Project) -> Path:
    for name, text in MARXAN.items():
        (p.root / "marxan" / name).parent.mkdir(parents=True, exist_ok=True)
        (p.root / "marxan" / name).write_text(text)
    return p.root / "marxan" / "input.dat"


def two_results(p: Project) -> list[str]:
    return [str(p.result_folder("A")), str(p.result_folder("B"))]


def replan_result(p: Project) -> Path:
    """A minimal result of 'solve.py replan': a run's files, its manifest's replan record,
    and the facts so far the next re-plan starts from."""
    folder = p.result_folder("replan-2028")
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps(manifest | {"replan": {"year": 2028}}))
    for name in ("progress.csv", "actuals.csv", "changes.csv"):
        (folder / name).write_text("the facts so far")
    return folder


def toml(text: str) -> Callable[[Project], None]:
    return lambda p: p.scenario(text)


def swap(old: str, new: str) -> Callable[[Project], None]:
    return lambda p: p.scenario(replace=(old, new))


def cell(name: str, row: int, column: str, value: object) -> Callable[[Project], None]:
    return lambda p: p.edit_csv(name, row, column, value)


def parcels_cell(row: int, column: str, value: object) -> Callable[[Project], None]:
    def change(frame: gpd.GeoDataFrame) -> None:
        frame[column] = frame[column].astype(object) if isinstance(value, str) else \
            frame[column]
        frame.loc[row - 1, column] = value

    return lambda p: p.edit_parcels(change)


def moved_parcels(move: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]
                  ) -> Callable[[Project], None]:
    """The parcels file rewritten as ``move`` returns it (shifted, relabelled, emptied)."""
    def change(p: Project) -> None:
        frame = move(gpd.read_file(p.path("parcels.gpkg")))
        p.path("parcels.gpkg").unlink()
        frame.to_file(p.path("parcels.gpkg"), driver="GPKG")

    return change


def shifted(frame: gpd.GeoDataFrame, east: float, rows: slice = slice(None)
            ) -> gpd.GeoDataFrame:
    """``frame`` with the geometries of ``rows`` moved ``east`` degrees."""
    frame = frame.copy()
    frame.loc[frame.index[rows], "geometry"] = frame.geometry.iloc[rows].translate(xoff=east)
    return frame


def parcels_file(name: str, make: Callable[[Project, Path], object]
                 ) -> Callable[[Project], list[str]]:
    """'validate' with ``--parcels`` a file ``name`` of the project that ``make`` made (from
    the project's parcels)."""
    def setup(p: Project) -> list[str]:
        make(p, p.path(name))
        inputs = p.inputs()
        inputs[1] = str(p.path(name))
        return ["validate", *inputs]

    return setup


def shapefile_without(side: str, cut: bool = False) -> Callable[[Project, Path], None]:
    """The project's parcels as a Shapefile without its ``side`` file (``cut``: and the .shp
    cut to its 100-byte header, a copy that did not finish)."""
    def make(p: Project, path: Path) -> None:
        with warnings.catch_warnings():  # GDAL's own notes that it cuts the column names
            warnings.simplefilter("ignore")
            gpd.read_file(p.path("parcels.gpkg")).to_file(path)
        path.with_suffix(side).unlink()
        if cut:
            path.write_bytes(path.read_bytes()[:100])

    return make


def empty(name: str) -> Callable[[Project], None]:
    return lambda p: p.path(name).write_text("")


def gbk(name: str) -> Callable[[Project], None]:
    return lambda p: p.path(name).write_bytes(
        p.path(name).read_bytes() + "# 封育 说明\n".encode("gbk"))


def gbk_with_bom(name: str) -> Callable[[Project], None]:
    """The file re-saved whole in GBK, a UTF-8 byte-order mark kept in front."""
    return lambda p: p.path(name).write_bytes(
        b"\xef\xbb\xbf" + p.path(name).read_text(encoding="utf-8").encode("gb18030"))


def options_edit(change: Callable[[pd.DataFrame], object]) -> Callable[[Project], None]:
    def edit(p: Project) -> None:
        frame = pd.read_csv(p.path("options.csv"))
        frame = frame.astype(dict.fromkeys(frame.columns, object))
        change(frame)
        frame.to_csv(p.path("options.csv"), index=False)

    return edit


def option_set(row: int, column: str, value: object) -> Callable[[pd.DataFrame], object]:
    def change(frame: pd.DataFrame) -> None:
        frame.loc[row - 1, column] = value

    return change


def headers(names: dict[str, str]) -> Callable[[pd.DataFrame], object]:
    """The table's columns renamed by ``names``."""
    def change(frame: pd.DataFrame) -> None:
        frame.columns = [names.get(c, c) for c in frame.columns]

    return change


def first_row_of(frame_action: str) -> int:
    actions = pd.read_csv(TURPAN_DIR / "actions.csv")
    return int(actions.index[actions["code"] == frame_action][0]) + 1


ENCLOSURE = first_row_of("enclosure")
AHP_INCONSISTENT = """
[weights.ahp]
criteria = ["sand", "water", "bio"]
matrix = [[1, 9, 0.111111], [0.111111, 1, 9], [9, 0.111111, 1]]
"""

CASES: dict[str, Case] = {
    # 1. Output safety: only our own results are replaced; inputs never.
    "out is a notes file": Case(then(make_file("notes.txt"), at("notes.txt")), 2,
                                "notes.txt", "is a file"),
    "out is a folder of documents": Case(then(make_file("docs/report.docx"), at("docs")), 2,
                                         "docs", "holds no result of turpan-restore"),
    "out is the inputs' folder": Case(at("my_project"), 2, "my_project",
                                      "holds the input"),
    "out is the parcels file": Case(at("my_project/parcels.gpkg"), 2, "parcels.gpkg",
                                    "is one of the command's inputs"),
    "out holds the inputs' folder": Case(at("."), 2, "", "holds the input"),
    "out is our result with the planner's notes added": Case(
        then(our_result_with_notes, run()), 2, "out", "did not write (notes.txt)"),
    "scenario name climbs out of results": Case(
        broken(swap('name = "catalogue"', 'name = "../../x"')), 2,
        "scenario.toml, key 'name'", "safe folder name"),
    "scenario name with a slash": Case(
        broken(swap('name = "catalogue"', 'name = "a/b"')), 2, "scenario.toml, key 'name'",
        "safe folder name"),
    "criteria --out a folder of documents": Case(
        then(make_file("docs/a.txt"), lambda p: ["criteria", *p.inputs(), "--out",
                                                 str(p.root / "docs")]), 2, "docs",
        "holds no result"),
    "sensitivity --out a notes file": Case(
        then(make_file("notes.txt"), lambda p: ["sensitivity", *p.inputs(), "--out",
                                                str(p.root / "notes.txt")]), 2, "notes.txt",
        "is a file"),
    "sweep --out the inputs' folder": Case(
        lambda p: ["sweep", "--budget-scale", "1", *p.inputs(), "--out", str(p.folder)], 2,
        "my_project", "holds the input"),
    "compare --out one of the compared results": Case(
        lambda p: ["compare", *two_results(p), "--out", str(p.root / "A")], 2, "/A:",
        "is one of the command's inputs"),
    "compare --out a run's result (to put it beside the plan)": Case(
        lambda p: ["compare", *two_results(p), "--out", str(p.result_folder("plan-2027"))], 2,
        "plan-2027: holds a result of 'run' (written",
        "'compare' would replace it: choose another --out, or remove the folder yourself"),
    "marxan --out a run's result": Case(
        lambda p: ["marxan", str(marxan_problem(p)), "--out", str(p.result_folder("plan"))],
        2, "plan: holds a result of 'run'", "'marxan' would replace it"),
    "run --out a re-plan's result (its progress and actuals)": Case(
        lambda p: ["run", *p.inputs(), "--out", str(replan_result(p))], 2,
        "replan-2028: holds a result of 'replan'", "'run' would replace it"),
    "marxan --out a folder of documents": Case(
        then(make_file("docs/a.txt"), lambda p: ["marxan", str(marxan_problem(p)), "--out",
                                                 str(p.root / "docs")]), 2, "docs",
        "holds no result"),
    "marxan --out the problem's own folder": Case(
        lambda p: ["marxan", str(marxan_problem(p)), "--out", str(p.root / "marxan")], 2,
        "marxan", "holds the input"),
    "--export over the planner's file": Case(
        then(make_file("model.lp", "my own model"), run("--export", "MODEL")), 2,
        "model.lp", "was not written by turpan-restore"),
    "pareto --layer of a missing file": Case(
        lambda p: ["pareto", "--between", "sand,bio", "--points", "3", *p.inputs(),
                   "--layer", f"red_line={p.root / 'none.gpkg'}", "--out", str(p.out)], 2,
        "none.gpkg", "file not found"),
    "--layer NAME no rule reads (red_lines for red_line)": Case(
        then(bureau_layer("红线.gpkg"), lambda p: [
            "validate", *p.inputs(), "--layer", f"red_lines={p.root / '红线.gpkg'}"]), 2,
        "command line, option '--layer'",
        "layer 'red_lines' is read by no rule (did you mean 'red_line'?)"),
    "marxan --export over the planner's file": Case(
        then(make_file("model.lp", "my own model"),
             lambda p: ["marxan", str(marxan_problem(p)), "--out", str(p.root / "mx"),
                        "--export", "MODEL"]), 2, "model.lp",
        "was not written by turpan-restore"),
    # 2. A hang: numbers that are not numbers never reach the solver.
    "--weights with inf": Case(run("--weights", "sand=inf,water=1"), 2,
                               "command line, option '--weights'", "finite"),
    # 3. Nonsense called a plan: every number finite and in range.
    "unit cost 1e308": Case(broken(cell("actions.csv", ENCLOSURE, "unit_cost_wan_per_km2",
                                        "1e308")), 2,
                            f"actions.csv, row {ENCLOSURE + 1} (the header is row 1), column "
                            "'unit_cost_wan_per_km2'",
                            "implausibly large"),
    "unit cost inf": Case(broken(cell("actions.csv", 2, "unit_cost_wan_per_km2", "inf")), 2,
                          "actions.csv, row 3 (the header is row 1), "
                          "column 'unit_cost_wan_per_km2'",
                          "finite number"),
    "water demand nan": Case(broken(cell("actions.csv", 3, "water_wan_m3_per_km2_yr", "nan")),
                             2, "actions.csv, row 4 (the header is row 1), "
                                "column 'water_wan_m3_per_km2_yr'",
                             "expected a number"),
    "parcel area inf": Case(broken(parcels_cell(4, "area_km2", float("inf"))), 2,
                            "parcels.gpkg, row 4, column 'area_km2'", "finite number"),
    "budget 1e308": Case(broken(swap("default = 3000.0", "default = 1e308")), 2,
                         "scenario.toml, key 'budget.default'", "implausibly large"),
    # 元 typed for 万元 in a past year's money, as actuals.csv is checked (0b)
    "past year's money in yuan": Case(
        broken(toml("[actuals.2027]\nbudget_wan = 30000000.0\nspend_wan = 2900.0\n"),
               "validate"), 2, "scenario.toml, key 'actuals.2027.budget_wan'",
        "implausibly large (more than the scenario's money for its whole horizon, 12,000 "
        "万元): check the unit, 万元 (1 万元 = 10,000 元) (found 30000000.0)"),
    # m³ typed for 万m³ in a past year's water, held against the horizon's water likewise
    "past year's water in m³": Case(
        broken(toml("[actuals.2027]\nwater_wan_m3 = 2000000.0\n"), "validate"), 2,
        "scenario.toml, key 'actuals.2027.water_wan_m3'",
        "implausibly large (more than the scenario's water for its whole horizon, 800 万m³): "
        "check the unit, 万m³ (1 万m³ = 10,000 m³) (found 2000000.0)"),
    "budget inf": Case(broken(swap("default = 3000.0", "default = inf")), 2,
                       "scenario.toml, key 'budget.default'", "finite number"),
    "--budget-scale inf": Case(run("--budget-scale", "inf"), 2,
                               "option '--budget-scale'", "finite"),
    "--water-scale negative": Case(run("--water-scale", "-0.5"), 2, "option '--water-scale'",
                                   "must be ≥ 0"),
    "--gap nan": Case(run("--gap", "nan"), 2, "option '--gap'", "finite"),
    "--gap 5 meant as 5 %": Case(run("--gap", "5"), 2, "command line, option '--gap'",
                                 "the gap is a fraction, ≥ 0 and < 1 (0.005 = 0.5 %); for 5 % "
                                 "type 0.05"),
    "--gap 1": Case(run("--gap", "1"), 2, "option '--gap'", "the gap is a fraction"),
    "--gap negative": Case(run("--gap", "-0.01"), 2, "option '--gap'", "the gap is a fraction"),
    "sweep --gap 5": Case(lambda p: ["sweep", "--budget-scale", "1", *p.inputs(), "--gap",
                                     "5", "--out", str(p.out)], 2, "option '--gap'",
                          "the gap is a fraction"),
    # the first objective is maximised: cost first gave a front of the most money spent
    "pareto cost first": Case(lambda p: ["pareto", "--between", "cost,benefit", *p.inputs(),
                                         "--out", str(p.out)], 2, "cost must come second",
                              "give benefit,cost"),
    # a criterion's name is read as --weights reads it, with the same suggestions
    "pareto misspelt Chinese criterion": Case(
        lambda p: ["pareto", "--between", "防风固沙，生物多样", *p.inputs(), "--out",
                   str(p.out)], 2, "--between: expected two different names",
        "got '防风固沙，生物多样' (did you mean 'bio'?)"),
    "pareto --gap 5": Case(lambda p: ["pareto", "--between", "sand,bio", *p.inputs(),
                                      "--gap", "5", "--out", str(p.out)], 2, "option '--gap'",
                           "the gap is a fraction"),
    "marxan --gap 5": Case(lambda p: ["marxan", str(marxan_problem(p)), "--gap", "5",
                                      "--out", str(p.root / "mx")], 2, "'--gap'",
                           "the gap is a fraction"),
    "scenario gap 5": Case(broken(swap("gap = 0.01", "gap = 5.0")), 2,
                           "scenario.toml, key 'solver.gap'",
                           "the gap is a fraction, ≥ 0 and < 1 (0.005 = 0.5 %); for 5 % "
                           "type 0.05"),
    "--time-limit -1": Case(run("--time-limit", "-1"), 2, "option '--time-limit'",
                            "must be > 0"),
    "--time-limit 0": Case(run("--time-limit", "0"), 2, "option '--time-limit'",
                           "must be > 0"),
    "--budget negative year": Case(run("--budget", "2027=-5"), 2, "option '--budget'",
                                   "must be ≥ 0"),
    "sweep scale inf": Case(lambda p: ["sweep", "--budget-scale", "0.5,inf", *p.inputs(),
                                       "--out", str(p.out)], 2, "--budget-scale",
                            "positive finite"),
    "county share above 1": Case(broken(swap('name = "catalogue"', 'name = "catalogue"\n'
                                             'county_min_share = { "650421" = 1.5 }')), 2,
                                 "scenario.toml, key 'county_min_share.650421'",
                                 "less than or equal to 1"),
    # 4. Typos that silently change the plan: every code checked against what exists.
    "precedence names a misspelt action": Case(
        broken(toml('[[precedence]]\nbefore = "karez_protectoin"\nafter = "afforestation"\n')),
        2, "scenario.toml, key 'precedence[1].before' (items counted from 1)",
        "unknown action 'karez_protectoin' (did you mean 'karez_protection'?)"),
    # a Chinese name is read as its code (test_a_scenario_names_actions_and_criteria_…);
    # one the catalogue does not have is refused with the nearest one
    "precedence names an action by a Chinese name of none": Case(
        broken(toml('[[precedence]]\nbefore = "坎儿井保"\nafter = "afforestation"\n')),
        2, "scenario.toml, key 'precedence[1].before' (items counted from 1)",
        "unknown action '坎儿井保' (did you mean '坎儿井保护' (karez_protection)?): expected "
        "one of", ("or its Chinese name (name_zh in the action catalogue)",)),
    "weights name a criterion twice, in Chinese and English": Case(
        broken(swap("sand = 0.4\n", "sand = 0.4\n\"防风固沙\" = 0.5\n"), "validate"), 2,
        "scenario.toml, key 'weights'",
        "'sand' and '防风固沙' both name the criterion 'sand': give it once"),
    "weights name no criterion": Case(
        broken(swap("sand = 0.4\n", "\"防风\" = 0.4\n"), "validate"), 2,
        "scenario.toml, key 'weights.防风'",
        "unknown key (did you mean 'sand'?): expected one of sand, water, bio, mine, carbon "
        "(or 防风固沙, 水源涵养, 生物多样性维护, 矿山修复, 固碳), or ahp"),
    "locked out an unknown action": Case(
        broken(toml('[[locked_out]]\naction = "sand_barier"\n')), 2,
        "scenario.toml, key 'locked_out[1].action' "
        "(items counted from 1)", "unknown action 'sand_barier'"),
    "water limit of an unknown county": Case(
        broken(toml("[water.per_county.650499]\ndefault = 100.0\n")), 2,
        "scenario.toml, key 'water.per_county.650499'", "unknown county '650499'"),
    "budget for a year outside the horizon": Case(
        broken(toml("[budget.per_year]\n2040 = 100.0\n")), 2,
        "scenario.toml, key 'budget.per_year.2040'", "outside the horizon 2027-2030"),
    "--solver foo": Case(run("--solver", "foo"), 2, "option '--solver'",
                         "unknown solver 'foo': available here: highs, cpsat"),
    "solver foo in the scenario": Case(
        broken(swap("[solver]\n", '[solver]\nname = "foo"\n')), 2,
        "scenario.toml, key 'solver.name'", "unknown solver 'foo'"),
    "target in an unknown zone": Case(
        broken(toml('[[targets]]\nname = "t"\nminimum = 1\nby_year = 2030\nzone = 9\n')), 2,
        "scenario.toml, key 'targets[1].zone' (items counted from 1)", "unknown zone '9'"),
    "target in an unknown county": Case(
        broken(toml('[[targets]]\nname = "t"\nminimum = 1\nby_year = 2030\n'
                    'county = "650000"\n')), 2, "scenario.toml, key 'targets[1].county' "
                                                "(items counted from 1)",
        "unknown county '650000'"),
    "target before the horizon": Case(
        broken(toml('[[targets]]\nname = "t"\nminimum = 1\nby_year = 2026\n')), 2,
        "scenario.toml, key 'targets[1].by_year' (items counted from 1)", "outside the horizon"),
    "target of a misspelt land cover": Case(
        broken(toml('[[targets]]\nname = "t"\nminimum = 1\nby_year = 2030\n'
                    'land_cover = "sand_dunes"\n')), 2,
        "scenario.toml, key 'targets[1].land_cover' "
        "(items counted from 1)", "did you mean 'sand_dune'"),
    "target of an unknown project": Case(
        broken(toml('[[targets]]\nname = "t"\nminimum = 1\nby_year = 2030\n'
                    'project = "P9-9"\n')), 2,
        "scenario.toml, key 'targets[1].project' (items counted from 1)",
        "unknown project 'P9-9'"),
    "locked in an unknown parcel": Case(
        broken(toml("[[locked_in]]\nparcel_ids = [99999999]\n")), 2,
        "scenario.toml, key 'locked_in[1].parcel_ids[1]' "
        "(items counted from 1)", "unknown parcel id '99999999'"),
    "locked in a year outside the horizon": Case(
        broken(toml('[[locked_in]]\naction = "enclosure"\nyear = 2045\n')), 2,
        "scenario.toml, key 'locked_in[1].year' (items counted from 1)", "outside the horizon"),
    "county share of an unknown county": Case(
        broken(swap('name = "catalogue"', 'name = "catalogue"\n'
                    'county_min_share = { "650499" = 0.1 }')), 2,
        "scenario.toml, key 'county_min_share.650499'", "unknown county"),
    "misspelt scenario key": Case(broken(toml("[budgett]\ndefault = 1.0\n")), 2,
                                  "scenario.toml, key 'budgett'",
                                  "unknown key (did you mean 'budget'?)"),
    # a year typed as a key of [budget] was named 'budget[2041]' (items counted from 1)
    "a year as a key of [budget]": Case(
        broken(swap("default = 3000.0", "default = 3000.0\n2040 = 5.0")), 2,
        "scenario.toml, key 'budget.2040'", "unknown key (2040 is not a key of [budget]: a "
        "year's figure goes in [budget.per_year]"),
    # 5. --options checked against the parcels.
    "options: unknown parcel": Case(with_options(options_edit(option_set(1, "parcel_id",
                                                                         99999999))), 2,
                                    "options.csv, row 2 (the header is row 1), column 'parcel_id'",
                                    "unknown parcel id"),
    "options: zone contradicts the parcel": Case(
        with_options(options_edit(option_set(2, "zone", 1))), 2,
        "options.csv, row 3 (the header is row 1), column 'zone'", "contradicts the parcels file"),
    "options: county contradicts the parcel": Case(
        with_options(options_edit(option_set(3, "county", 650402))), 2,
        "options.csv, row 4 (the header is row 1), "
        "column 'county'", "contradicts the parcels file"),
    "options: area contradicts the parcel": Case(
        with_options(options_edit(option_set(4, "area_km2", 50.0))), 2,
        "options.csv, row 5 (the header is row 1), "
        "column 'area_km2'", "differs from the parcels file"),
    "options: unknown action": Case(
        with_options(options_edit(option_set(5, "action", "sand_barier"))), 2,
        "options.csv, row 6 (the header is row 1), column 'action'", "unknown action"),
    "options: an action named by neither code nor Chinese name": Case(
        with_options(options_edit(option_set(5, "action", "围栏"))), 2,
        "options.csv, row 6 (the header is row 1), column 'action'",
        "or its Chinese name (name_zh in the action catalogue) (found '围栏')"),
    # the missing columns were listed, the file's own (Chinese) headers not
    "options: Chinese headers": Case(
        with_options(options_edit(headers({"parcel_id": "地块编号", "action": "措施",
                                           "cost_wan": "投资"}))), 2,
        "options.csv: missing column 'parcel_id'",
        "options.csv: its columns that are not ours: 地块编号, 措施, 投资. Rename those that "
        "hold ours to our names: parcel_id, action, area_km2"),
    "options: zone as text": Case(
        with_options(options_edit(option_set(6, "zone", "three"))), 2,
        "options.csv, row 7 (the header is row 1), column 'zone'", "expected a number"),
    "options: cost inf": Case(with_options(options_edit(option_set(7, "cost_wan", "inf"))), 2,
                              "options.csv, row 8 (the header is row 1), "
                              "column 'cost_wan'", "finite number"),
    "options: cost 1e308": Case(
        with_options(options_edit(option_set(8, "cost_wan", 1e308))), 2,
        "options.csv, row 9 (the header is row 1), column 'cost_wan'", "implausibly large"),
    # a cell reading NaN was "found a blank cell"
    "options: benefit NaN": Case(
        with_options(options_edit(option_set(3, "benefit_sand", "NaN"))), 2,
        "options.csv, row 4 (the header is row 1), "
        "column 'benefit_sand'", "expected a number (float) (found 'NaN')"),
    "--weights with nan": Case(run("--weights", "sand=nan,water=1"), 2,
                               "command line, option '--weights'",
                               "sand: expected a finite number (found 'nan')"),
    "options: negative cost": Case(
        with_options(options_edit(option_set(9, "cost_wan", -1.0))), 2,
        "options.csv, row 10 (the header is row 1), column 'cost_wan'", "must be ≥ 0"),
    "options: duplicate parcel and action": Case(
        with_options(options_edit(lambda f: f.loc.__setitem__(
            (1, ["parcel_id", "action"]), f.loc[0, ["parcel_id", "action"]].to_numpy()))), 2,
        "options.csv, row 3 (the header is row 1), "
        "column 'action'", "duplicate (parcel_id, action)"),
    "options: blank parcel id": Case(with_options(options_edit(option_set(3, "parcel_id",
                                                                          ""))), 2,
                                     "options.csv, row 4 (the header is row 1), "
                                     "column 'parcel_id'", "blank"),
    "options: missing cost column": Case(
        with_options(lambda p: pd.read_csv(p.path("options.csv")).drop(columns="cost_wan")
                     .to_csv(p.path("options.csv"), index=False)), 2, "options.csv",
        "missing column 'cost_wan'"),
    "options: no benefit column": Case(
        with_options(lambda p: (lambda f: f.drop(columns=[c for c in f if c.startswith(
            "benefit_")]).to_csv(p.path("options.csv"), index=False))(
            pd.read_csv(p.path("options.csv")))), 2, "options.csv", "no benefit column"),
    "options: empty file": Case(with_options(empty("options.csv")), 2, "options.csv",
                                "is empty"),
    "options: an Excel workbook": Case(
        with_options(lambda p: p.path("options.csv").write_bytes(b"PK\x03\x04xlsx")), 2,
        "options.csv", "Excel workbook"),
    "options: file not found": Case(
        lambda p: ["run", *p.inputs(), "--options", str(p.path("nope.csv")), "--out",
                   str(p.out)], 2, "nope.csv", "file not found"),
    # 6. A planner's own parcels keep the code checks.
    "own parcels: unknown zone": Case(broken(parcels_cell(1, "zone", 9)), 2,
                                      "parcels.gpkg, row 1, column 'zone'", "unknown zone"),
    "own parcels: unknown county (validate)": Case(
        broken(parcels_cell(2, "county", "650499"), "validate"), 2,
        "parcels.gpkg, row 2, column 'county'", "unknown county"),
    "own parcels: unknown county (run)": Case(
        broken(parcels_cell(3, "county", "110101")), 2,
        "parcels.gpkg, row 3, column 'county'", "unknown county"),
    "projects name an unknown zone": Case(broken(cell("projects.csv", 1, "zones", "1|9")), 2,
                                          "projects.csv, row 2 (the header is row 1), "
                                          "column 'zones'",
                                          "unknown zone code"),
    # 7. No traceback: recursive bases, a missing base, a bad base.
    "scenario base is itself": Case(broken(lambda p: p.scenario(replace=(
        'name = "catalogue"', 'base = "scenario.toml"\nname = "catalogue"'))), 2,
        "scenario.toml, key 'base'", "loops back: scenario.toml → scenario.toml"),
    "two scenarios name each other": Case(broken(lambda p: (
        p.scenario(replace=('name = "catalogue"', 'base = "other.toml"\nname = "c"')),
        p.path("other.toml").write_text('base = "scenario.toml"\n'))), 2,
        "other.toml, key 'base'", "loops back"),
    "scenario base missing": Case(broken(swap('name = "catalogue"',
                                              'base = "gone.toml"\nname = "c"')), 2,
                                  "gone.toml", "file not found (named by base in "
                                               "scenario.toml)"),
    # base = "." said "• : is a folder", naming neither the scenario nor its key
    "scenario base is a folder": Case(broken(swap('name = "catalogue"',
                                                  'base = "."\nname = "c"')), 2,
                                      "scenario.toml, key 'base'", "names the folder"),
    "scenario base is a CSV file": Case(
        broken(swap('name = "catalogue"', 'base = "actions.csv"\nname = "c"')), 2,
        "actions.csv: not valid TOML (named by base in scenario.toml, which expects another "
        "scenario's .toml file)", "Expected"),
    "scenario base not a file name": Case(broken(swap('name = "catalogue"',
                                                      'base = 3\nname = "c"')), 2,
                                          "scenario.toml, key 'base'", "file name"),
    # 8. Everything at once; validate and run agree.
    "run reports the region and the scenario together": Case(
        broken(lambda p: (cell("actions.csv", 2, "unit_cost_wan_per_km2", "inf")(p),
                          toml('[[locked_out]]\naction = "sand_barier"\n')(p))), 2,
        "actions.csv, row 3 (the header is row 1), column 'unit_cost_wan_per_km2'", "finite",
        also=("scenario.toml, key 'locked_out[1].action' (items counted from 1)",)),
    "validate reports region, scenario and options together": Case(
        lambda p: (cell("actions.csv", 2, "unit_cost_wan_per_km2", "inf")(p),
                   toml('[[locked_out]]\naction = "sand_barier"\n')(p),
                   options_edit(option_set(1, "parcel_id", 99999999))(p),
                   ["validate", *p.inputs(), "--options", str(p.path("options.csv"))])[-1],
        2, "actions.csv, row 3 (the header is row 1)", "finite",
        also=("scenario.toml, key 'locked_out[1].action' "
              "(items counted from 1)", "options.csv, row 2 (the header is row 1)")),
    "validate rejects what run rejects: inconsistent AHP": Case(
        broken(lambda p: (p.scenario(replace=("[weights]\nsand = 0.4\nwater = 0.3\n"
                                              "bio = 0.2\nmine = 0.1\n", "")),
                          p.scenario(AHP_INCONSISTENT)), "validate"), 2,
        "scenario.toml, key 'weights.ahp'", "consistency ratio"),
    "validate rejects an unknown solver": Case(
        broken(lambda _p: None, "validate", "--solver", "gurobi_typo"), 2,
        "option '--solver'", "unknown solver"),
    # 9. Messages name their file, in plain words.
    "empty actions file": Case(broken(empty("actions.csv")), 2, "actions.csv", "is empty"),
    "empty projects file": Case(broken(empty("projects.csv")), 2, "projects.csv",
                                "is empty"),
    "actions file in GBK": Case(broken(gbk("actions.csv")), 2, "actions.csv",
                                "is not UTF-8"),
    "scenario file in GBK": Case(broken(gbk("scenario.toml")), 2, "scenario.toml",
                                 "is not UTF-8"),
    "actions file re-saved in GBK behind a BOM: its first Chinese cell": Case(
        broken(gbk_with_bom("actions.csv")), 2, "actions.csv, row 2 (the header is row 1), "
                                                "column 'name_zh'",
        "is not UTF-8 text (byte 0xb7)"),
    "actions file is a folder": Case(
        broken(lambda p: (p.path("actions.csv").unlink(), p.path("actions.csv").mkdir())), 2,
        "actions.csv", "is a folder"),
    "ragged actions file": Case(
        broken(lambda p: p.path("actions.csv").write_text(
            p.path("actions.csv").read_text() + "x,y,z," + ",".join(map(str, range(60)))
            + "\n")), 2, "actions.csv",  # more fields than any catalogue has columns
        "not a well-formed CSV"),
    # The cases main already handled (they must stay handled).
    "parcels missing a column": Case(broken(lambda p: p.edit_parcels(
        lambda f: f.pop("degradation"))), 2, "parcels.gpkg",
        "missing column 'degradation'"),
    "duplicate parcel id": Case(broken(lambda p: p.edit_parcels(
        lambda f: f.loc.__setitem__((10, "parcel_id"), f.loc[3, "parcel_id"]))), 2,
        "parcels.gpkg, row 11, column 'parcel_id'", "duplicate id: row 4 has it already"),
    "empty parcel geometry": Case(broken(lambda p: p.edit_parcels(
        lambda f: f.__setitem__("geometry", f.geometry.where(f.index != 20, Polygon())))), 2,
        "parcels.gpkg, row 21, column 'geometry'", "empty or missing geometry"),
    "parcel area off its geometry": Case(broken(parcels_cell(5, "area_km2", 50.0)), 2,
                                         "parcels.gpkg, row 5, column 'area_km2'",
                                         "differs from the geometry"),
    # Parcels somewhere else, or whose coordinates do not fit their CRS (the stranger's
    # outside.gpkg, proj_as_wgs.gpkg, wrong_crs.gpkg, empty_layer.gpkg).
    "parcels 10 degrees east of the region": Case(
        broken(moved_parcels(lambda f: shifted(f, 10.0)), "validate"), 2,
        "parcels.gpkg, column 'geometry'", "no parcel lies in the region: the parcels span "
        "99.87-100.52 E", also=("the region's outline (boundaries.gpkg, layer 'city') spans "
                                "87.26-91.92 E, 41.20-43.63 N",
                                "Wrong CRS, shifted coordinates")),
    "two parcels strayed east": Case(
        broken(moved_parcels(lambda f: shifted(f, 10.0, slice(3, 5)))), 2,
        "parcels.gpkg, row 4, column 'geometry'", "the parcel lies outside the region",
        also=("parcels.gpkg, row 5, column 'geometry'",)),
    "metres labelled WGS84": Case(
        broken(moved_parcels(lambda f: f.to_crs("EPSG:4518").set_crs("EPSG:4326",
                                                                      allow_override=True)),
               "validate"), 2, "parcels.gpkg, column 'geometry'",
        "are not degrees, yet the file says its CRS is EPSG:4326 (WGS 84)",
        also=("projected coordinates (metres) labelled as degrees",
              "they look like EPSG:4518")),
    "metres labelled WGS84, run": Case(
        broken(moved_parcels(lambda f: f.to_crs("EPSG:4518").set_crs("EPSG:4326",
                                                                      allow_override=True))),
        2, "parcels.gpkg, column 'geometry'", "are not degrees"),
    "degrees labelled Web Mercator": Case(
        broken(moved_parcels(lambda f: f.set_crs("EPSG:3857", allow_override=True)),
               "validate"), 2, "parcels.gpkg, column 'geometry'",
        "on 494 of 494 parcels", also=("the CRS is wrong — its coordinates are degrees",
                                       "the file says they are in EPSG:3857",
                                       "row 3, column 'area_km2': for example")),
    "zone-30 metres labelled zone 36": Case(  # the stranger's wrongprj_4524.gpkg (F5)
        broken(moved_parcels(lambda f: f.to_crs("EPSG:4518").set_crs("EPSG:4524",
                                                                      allow_override=True)),
               "validate"), 2, "parcels.gpkg, column 'geometry'",
        "the CRS is wrong — is EPSG:4524 (CGCS2000 / 3-degree Gauss-Kruger zone 36) the CRS "
        "the coordinates are in? They look like EPSG:4518 (3-degree Gauss-Krüger zone 30)"),
    "parcels layer with no rows": Case(
        broken(moved_parcels(lambda f: f.iloc[:0]), "validate"), 2, "parcels.gpkg",
        "has no parcels (the layer is empty)"),
    "parcels layer with no rows, run": Case(
        broken(moved_parcels(lambda f: f.iloc[:0])), 2, "parcels.gpkg",
        "has no parcels (the layer is empty)"),
    # Files GDAL cannot read, in plain words (not "prefix the path with '<DRIVER>:'").
    "Shapefile without its .dbf": Case(
        parcels_file("parcels.shp", shapefile_without(".dbf")), 2, "parcels.shp",
        "the Shapefile's parcels.dbf is missing beside it"),
    "Shapefile without its .shx that GDAL cannot rebuild": Case(
        parcels_file("parcels.shp", shapefile_without(".shx", cut=True)), 2, "parcels.shp",
        "whose .shx (shape index) is missing, and GDAL could not rebuild it"),
    "empty parcels file": Case(parcels_file("nothing.gpkg", lambda _p, f: f.write_bytes(b"")),
                               2, "nothing.gpkg", "is empty (0 bytes)"),
    "a folder named .gpkg": Case(parcels_file("folder.gpkg", lambda _p, f: f.mkdir()), 2,
                                 "folder.gpkg", "is a folder, expected a GeoPackage"),
    "a text file named .gpkg": Case(
        parcels_file("notes.gpkg", lambda _p, f: f.write_text("my notes")), 2, "notes.gpkg",
        "is not a GeoPackage (not an SQLite database)"),
    "a GeoPackage cut short": Case(
        parcels_file("cut.gpkg", lambda p, f: f.write_bytes(
            p.path("parcels.gpkg").read_bytes()[:200_000])), 2, "cut.gpkg", "is damaged"),
    "parcels as a CSV with WKT": Case(
        parcels_file("parcels.csv", lambda p, f: pd.DataFrame(gpd.read_file(
            p.path("parcels.gpkg")).to_wkt()).to_csv(f, index=False)), 2,
        "parcels.csv", "is a table (.csv), not a layer of shapes"),
    "county typed by its name": Case(
        broken(parcels_cell(10, "county", "高昌"), "validate"), 2,
        "parcels.gpkg, row 10, column 'county'",
        "unknown county (did you mean '650402' (高昌区 Gaochang District)?)"),
    "county code one digit off": Case(
        broken(parcels_cell(6, "county", "650412"), "validate"), 2,
        "parcels.gpkg, row 6, column 'county'",
        "unknown county (did you mean '650402' (高昌区 Gaochang District) or '650422' "
        "(托克逊县 Toksun County)?): expected one of ['650402', '650421', '650422']"),
    "unknown land cover": Case(broken(parcels_cell(6, "land_cover", "jungle")), 2,
                               "parcels.gpkg, row 6, column 'land_cover'", "expected one of"),
    "degradation out of range": Case(broken(parcels_cell(7, "degradation", 5)), 2,
                                     "parcels.gpkg, row 7, column 'degradation'",
                                     "must be ≤ 3"),
    "parcels file not found": Case(
        lambda p: ["run", *p.inputs()[:1], str(p.path("gone.gpkg")), *p.inputs()[2:],
                   "--out", str(p.out)], 2, "gone.gpkg", "file not found"),
    "action in an unknown zone": Case(broken(cell("actions.csv", 1, "zones", "1|9")), 2,
                                      "actions.csv, row 2 (the header is row 1), "
                                      "column 'zones'", "unknown zone"),
    "action on an unknown land cover": Case(
        broken(cell("actions.csv", 1, "land_covers", "forest|jungle")), 2,
        "actions.csv, row 2 (the header is row 1), column 'land_covers'", "unknown land cover"),
    "survival above 1": Case(broken(cell("actions.csv", 2, "survival", "1.5")), 2,
                             "actions.csv, row 3 (the header is row 1), "
                             "column 'survival'", "must be ≤ 1"),
    "project names an unknown action": Case(
        broken(cell("projects.csv", 1, "actions", "mine_remedy")), 2,
        "projects.csv, row 2 (the header is row 1), column 'actions'", "unknown action code"),
    "scenario file not found": Case(
        lambda p: ["run", *p.inputs()[:-1], str(p.path("gone.toml")), "--out", str(p.out)],
        2, "gone.toml", "file not found"),
    "scenario with curly quotes": Case(
        broken(swap('name = "catalogue"', 'name = "catalogue"\ndescription = “高昌区”')), 2,
        "scenario.toml: not valid TOML", 'line 2 holds the curly quote “ (type the straight '
                                         'quote ") and the curly quote ”'),
    "budget with a full-width comma": Case(
        broken(swap("default = 3000.0", "default = 3，000.0")), 2,
        "scenario.toml: not valid TOML", "line 7 holds the full-width comma ，"),
    "budget quoted with a full-width comma": Case(
        broken(swap("default = 3000.0", 'default = "3，000"')), 2,
        "scenario.toml, key 'budget.default'",
        "expected a number, without quotes; it holds the full-width comma ，: type 3000"),
    "water in full-width digits": Case(
        broken(swap("default = 200.0", 'default = "２００"')), 2,
        "scenario.toml, key 'water.default'", "it holds full-width digits ０-９: type 200"),
    "scenario not TOML": Case(broken(toml("[budget\n")), 2, "scenario.toml",
                              "not valid TOML"),
    "negative budget": Case(broken(swap("default = 3000.0", "default = -1.0")), 2,
                            "scenario.toml, key 'budget.default'", "greater than or equal"),
    "carry_over as text": Case(broken(swap("carry_over = true", 'carry_over = "yes"')), 2,
                               "scenario.toml, key 'budget.carry_over'",
                               "expected true or false, without quotes (found 'yes')"),
    "budget as a quoted number": Case(broken(swap("default = 3000.0", 'default = "3000"')), 2,
                                      "scenario.toml, key 'budget.default'",
                                      "expected a number, without quotes (found '3000')"),
    "no water table": Case(broken(swap("[water]\ndefault = 200.0\n", "")), 2,
                           "scenario.toml, key 'water'", "missing key"),
    "all weights zero": Case(broken(swap("sand = 0.4\nwater = 0.3\nbio = 0.2\nmine = 0.1",
                                         "sand = 0.0")), 2,
                             "scenario.toml, key 'weights'", "must be positive"),
    "horizon backwards": Case(broken(swap("start = 2027\nend = 2030", "start = 2031\n"
                                                                      "end = 2030")), 2,
                              "scenario.toml, key 'horizon'", "need start <= end"),
    "--horizon malformed": Case(run("--horizon", "2027"), 2, "option '--horizon'",
                                "expected START-END"),
    "--budget for a year outside the horizon": Case(
        run("--budget", "2036=8000"), 2, "command line, option '--budget'",
        "year 2036 is outside the horizon 2027-2030"),
    "--budget for a year outside a narrowed --horizon": Case(
        run("--horizon", "2027-2028", "--budget", "2028=5000,2030=8000"), 2,
        "command line, option '--budget'",
        "year 2030 is outside the horizon 2027-2028: a typing mistake, or widen --horizon"),
    "--horizon backwards": Case(run("--horizon", "2030-2027"), 2,
                                "command line, option '--horizon'",
                                "the start year 2030 comes after the end year 2027"),
    "--horizon past the evaluation year": Case(run("--horizon", "2027-2060"), 2,
                                               "command line, option '--horizon'",
                                               "evaluation_year"),
    "--budget malformed": Case(run("--budget", "2027:5"), 2, "option '--budget'",
                               "expected YEAR=VALUE"),
    "--weights unknown criterion": Case(run("--weights", "beauty=1"), 2,
                                        "option '--weights'", "expected NAME=VALUE"),
    "--weights naming one criterion twice": Case(
        run("--weights", "固碳=0.5,碳汇=0.1,sand=0.4"), 2, "option '--weights'",
        "'固碳' and '碳汇' both name the criterion 'carbon': give it once"),
    "sweep scales backwards": Case(lambda p: ["sweep", "--budget-scale", "1.5:0.5:0.1",
                                              *p.inputs(), "--out", str(p.out)], 2,
                                   "--budget-scale", "START:STOP:STEP"),
    "compare a folder without a plan": Case(
        lambda p: ["compare", str(p.result_folder("A")), str(p.folder), "--out", str(p.out)],
        2, "my_project", "has no plan.csv"),
    # 1 % of the money with 1 s to solve was "no feasible plan within the time limit … give
    # it more time": the cheapest way to meet the target is priced before the solve
    "a target the money cannot pay, in a short time limit": Case(
        broken(toml('[[targets]]\nname = "t"\nminimum = 5.0\nby_year = 2030\n'
                    'action = "afforestation"\n'), "run", "--budget-scale", "0.01",
               "--time-limit", "1"), 2, "The scenario cannot be met",
        "target[t]: its cheapest matching options cost at least",
        also=("but the whole horizon's budget is 120 万元",)),
    "a target no plan can meet": Case(
        broken(toml('[[targets]]\nname = "impossible"\nminimum = 100000.0\nby_year = 2027\n'
                    'action = "afforestation"\n')), 2, "impossible", "cannot be met"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_named_and_nothing_is_written_or_deleted(name, project) -> None:
    case = CASES[name]
    args = case.setup(project)
    args = [a.replace("MODEL", str(project.root / "model.lp")) for a in args]
    before = snapshot(project.root)
    result = runner.invoke(app, args)
    text = plain(result.output)
    assert result.exit_code == case.code, result.output
    assert plain(case.where) in text and plain(case.says) in text, result.output
    for fragment in case.also:
        assert plain(fragment) in text, result.output
    assert snapshot(project.root) == before  # nothing written, nothing deleted
    for bad in ("Traceback", "np.float64", "Warning:", "\nError:"):
        assert bad not in result.output


@pytest.mark.parametrize(("option", "says"), [
    (["--weights", "sand=0.4,water=0.3"],
     "note: --weights gives sand=0.4, water=0.3 and leaves out bio, mine, carbon: they weigh "
     "0, so the plan ignores them"),
    ([], "note: scenario.toml [weights] gives sand=0.4, water=0.3, bio=0.2, mine=0.1 and "
         "leaves out carbon: it weighs 0, so the plan ignores it"),
])
def test_weights_that_leave_a_criterion_out_say_it_weighs_0(option, says, project) -> None:
    """--weights and the scenario file's [weights] behave alike: a criterion left out weighs
    0, and a note says which (it used to be silent)."""
    result = runner.invoke(app, ["validate", *project.inputs(), *option])
    assert result.exit_code == 0, result.output
    assert plain(says) in plain(result.output)
    full = "sand=0.4,water=0.3,bio=0.2,mine=0.1,carbon=0"
    result = runner.invoke(app, ["validate", *project.inputs(), "--weights", full])
    assert result.exit_code == 0 and "leaves out" not in result.output


def test_a_locked_geopackage_says_it_may_be_open_elsewhere(project) -> None:
    """A GeoPackage another program holds locked (QGIS editing it) is refused after a short
    wait with what to do, not after GDAL's long retries with 'database is locked'."""
    import sqlite3

    holder = sqlite3.connect(project.path("parcels.gpkg"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = runner.invoke(app, ["validate", *project.inputs()])
    finally:
        holder.close()
    assert result.exit_code == 2, result.output
    assert plain("parcels.gpkg: is locked by another program: it may be open for editing in "
                 "QGIS or ArcGIS") in plain(result.output)


def test_a_layer_a_place_reads_is_accepted(project) -> None:
    """--layer road_rail=FILE: the catalogue's sand-barrier place reads ``road_rail!=''``
    (actions.csv), so the layer is read; a misspelt name is refused (the case above)."""
    bureau_layer("roads.gpkg")(project)
    result = runner.invoke(app, ["validate", *project.inputs(),
                                 "--layer", f"road_rail={project.root / 'roads.gpkg'}"])
    assert result.exit_code == 0, result.output
    assert "read by no rule" not in plain(result.output)


def test_a_shapefile_without_its_shx_is_read_from_a_rebuilt_copy(project) -> None:
    """GDAL rebuilds a missing .shx from the .shp (SHAPE_RESTORE_SHX), but beside the file
    it opens: the index is rebuilt in a temporary copy, the planner's folder is left as it
    was, a note says so, and the parcels read are those of the whole Shapefile."""
    parcels = project.path("parcels.shp")
    shapefile_without(".shx")(project, parcels)
    before = snapshot(project.root)
    result = runner.invoke(app, ["validate", *project.inputs()[2:], "--parcels",
                                 str(parcels), "--json"])
    assert result.exit_code == 0, result.output
    assert "note: parcels.shp: its shape index parcels.shx is missing; rebuilt it from the " \
           ".shp in a temporary copy (nothing was written beside your file)" in \
           plain(result.output)
    summary = json.loads(result.stdout)
    assert summary["parcels"] == len(gpd.read_file(project.path("parcels.gpkg")))
    assert snapshot(project.root) == before


def test_a_narrowed_horizon_leaves_the_files_budget_years_outside_it_unused(project) -> None:
    """--horizon 2027-2028 on a scenario budgeting 2030: the file's year is simply not used
    (narrowing must not make the file wrong); a --budget year inside the horizon is fine."""
    project.scenario(replace=("carry_over = true", "carry_over = true\nper_year = {2030 = 4000.0}"))
    result = runner.invoke(app, ["validate", *project.inputs(), "--horizon", "2027-2028",
                                 "--budget", "2028=5000"])
    assert result.exit_code == 0, result.output
    assert "outside the horizon" not in plain(result.output)


# Faults: what happens while a command runs.

def _raise(error: BaseException):
    def fail(*_args, **_kwargs):
        raise error

    return fail


@pytest.mark.parametrize(("where", "error", "code", "says"), [
    ("pipeline.run.solve_compiled", KeyboardInterrupt(), 130, "interrupted, nothing written"),
    ("storage.result_folder._stamp", KeyboardInterrupt(), 130, "interrupted, nothing written"),
    ("pipeline.run.solve_compiled", RuntimeError("boom"), 1, "a bug in turpan-restore"),
])
def test_a_fault_while_running_writes_nothing_and_says_so(where, error, code, says, project,
                                                          monkeypatch) -> None:
    module, name = where.rsplit(".", 1)
    monkeypatch.setattr(f"{module}.{name}", _raise(error))
    before = snapshot(project.root)
    result = runner.invoke(app, ["run", *project.inputs(), "--out", str(project.out),
                                 "--time-limit", "5"])
    assert result.exit_code == code, result.output
    assert says in plain(result.output) and "Traceback" not in result.output
    assert snapshot(project.root) == before  # no result, no temporary folder


def test_no_plan_in_time_exits_3_with_what_to_do(project, monkeypatch) -> None:
    import pipeline.run
    from optimizer.compiled import SolveResult

    real = pipeline.run.solve_compiled

    def nothing_found(*args, **kwargs):
        result, heuristics, stages = real(*args, **kwargs)
        return (SolveResult("time_limit_no_solution", None, None, None, None, 5.0, "highs",
                            "1", message="HiGHS: Time limit reached"), heuristics, stages)

    monkeypatch.setattr(pipeline.run, "solve_compiled", nothing_found)
    before = snapshot(project.root)
    result = runner.invoke(app, ["run", *project.inputs(), "--out", str(project.out),
                                 "--time-limit", "5"])
    text = plain(result.output)
    assert result.exit_code == 3, result.output
    assert "no feasible plan within the time limit of 5 s" in text
    assert "--time-limit 60" in text and "Traceback" not in text
    assert snapshot(project.root) == before


def test_a_conflict_the_lp_relaxation_shows_is_said_without_the_mip(project,
                                                                     monkeypatch) -> None:
    """Two targets each of which the money pays alone, not both (13 % of the money; the
    forest's works cost 1,500 万元 whole, now that instalments after the horizon count): the
    pre-solve check, one target at a time, passes them; the LP relaxation is infeasible, so
    the conflict is said from it at once, without the MIP solve (which a short time limit
    may leave no time for: "give it more time" was said of a scenario no time can solve).
    What binds the target short is named from the LP's duals (it said only "with the other
    limits": a stranger's finding)."""
    import optimizer.solve_stage

    def no_mip(*_args, **_kwargs):
        raise AssertionError("the MIP solve was run")

    monkeypatch.setattr(optimizer.solve_stage, "solve", no_mip)
    project.scenario('[[targets]]\nname = "forest"\nminimum = 5.0\nby_year = 2030\n'
                     'action = "afforestation"\n[[targets]]\nname = "fence"\nminimum = 20.0\n'
                     'by_year = 2030\naction = "enclosure"\n')
    before = snapshot(project.root)
    result = runner.invoke(app, ["run", *project.inputs(), "--out", str(project.out),
                                 "--budget-scale", "0.13", "--time-limit", "3"])
    text = plain(result.output)
    assert result.exit_code == 2, result.output
    assert "The scenario cannot be met. Conflicting rules: • target[" in text
    assert "its cheapest matching options cost" not in text  # not the pre-solve's words
    assert "even with works counted in fractions (the LP relaxation" in text  # its figures
    # what binds it, from the LP's duals: each year's money (3,000 × 0.13 = 390 万元, all of
    # 2027-2030 before the targets' year), and the other target paid from it
    short = re.search(r"• target\[(\w+)\]: at most", text)[1]
    other = {"forest": "fence] ≥ 20", "fence": "forest] ≥ 5"}[short]
    assert "• what binds it in the LP relaxation (its non-zero duals: raising one of these " \
           "limits, or lowering one of these other requirements, would lessen the " \
           "shortfall): budget[2027] ≤ 390 万元; budget[2028] ≤ 390 万元; budget[2029] ≤ 390 " \
           f"万元; budget[2030] ≤ 390 万元 (1,560 万元 in all); target[{other}" in text, text
    assert snapshot(project.root) == before


def test_a_target_whose_options_no_money_pays_names_the_cheapest(project) -> None:
    """At 0.0005 of the money (1.5 万元 a year, carried over) no afforestation work is paid
    by any year: the pre-solve said "the options it counts are locked out, or each alone
    costs more than the money there is for it", with no figure (a stranger's finding); it
    now gives what is reachable, the cheapest work's cost and the money by that year."""
    project.scenario('[[targets]]\nname = "forest"\nminimum = 5.0\nby_year = 2030\n'
                     'action = "afforestation"\n')
    before = snapshot(project.root)
    result = runner.invoke(app, ["run", *project.inputs(), "--out", str(project.out),
                                 "--budget-scale", "0.0005", "--time-limit", "3"])
    text = plain(result.output)
    assert result.exit_code == 2, result.output
    assert "• target[forest]: at most 0 km² is reachable by 2030, but 5 is required: " in text
    said = re.search(r"each cost alone more than the money there is for them in every year "
                     r"they could start; the cheapest costs ([\d,.]+) 万元 by (\d+) but the "
                     r"budget up to \2, all carried over, is ([\d,.]+) 万元", text)
    assert said, result.output
    cost, year, money = float(said[1].replace(",", "")), int(said[2]), float(said[3])
    assert money == pytest.approx(1.5 * (year - 2026), abs=0.5) and cost > money
    assert "locked out, or each alone" not in text
    assert snapshot(project.root) == before


def test_what_a_killed_run_left_beside_the_result_is_cleaned(project) -> None:
    stale = project.root / ".out.tmp-abcd1234"  # SIGKILL while writing, before pids in names
    stale.mkdir()
    (stale / "plan.csv").write_text("half")
    result = runner.invoke(app, ["criteria", *project.inputs(), "--out", str(project.out)])
    assert result.exit_code == 0, result.output
    assert not stale.exists() and (project.out / "options.csv").exists()


def test_a_repaired_geometry_is_a_plain_note_not_a_raw_warning(project) -> None:
    """Two bow-ties, the first with area 0. The --parcels loader said of both only
    "area_km2 differs from the geometry's area"; the survey import names the invalid outline
    and the area of 0 (stranger's F6): both say it alike."""
    bowtie = Polygon([(90.0, 42.7), (90.01, 42.71), (90.01, 42.7), (90.0, 42.71)])
    project.edit_parcels(lambda f: f.__setitem__("geometry", f.geometry.where(
        f.index > 1, bowtie)))
    project.edit_parcels(lambda f: f.__setitem__("area_km2", f["area_km2"].where(
        f.index != 0, 0.0)))
    result = runner.invoke(app, ["validate", *project.inputs()])
    text = plain(result.output)
    assert result.exit_code == 2
    assert "parcels.gpkg, row 1, column 'area_km2': expected a positive area in km²" in text
    assert "parcels.gpkg, row 2, column 'geometry': the geometry is invalid " \
           "(Self-intersection[" in text
    assert "its repair (make_valid) has an area more than 5% off the one given: fix the " \
           "outline in the GIS" in text and "but the repaired geometry has" in text
    assert "differs from the geometry's area" not in text
    assert "note: parcels.gpkg: repaired 2 invalid geometries (rows 1, 2)" in text, text
    assert "UserWarning" not in text and "warnings.warn" not in text


def test_parcels_in_a_zone_far_from_theirs_run_with_a_note_naming_their_own(project) -> None:
    """A layer rightly reprojected to EPSG:4524 (central meridian 108 E, 18° from Turpan) ran
    without a word (stranger's F5); its own zone, named in the note, is the CRS pyproj
    gives for it. A layer 2 zones off has no note."""
    from pyproj import CRS

    moved_parcels(lambda f: f.to_crs("EPSG:4524"))(project)
    result = runner.invoke(app, ["validate", *project.inputs()])
    text = plain(result.output)
    assert result.exit_code == 0, text
    assert "note: parcels.gpkg: its CRS EPSG:4524 (CGCS2000 / 3-degree Gauss-Kruger zone 36) " \
           "has its central meridian at 108 E, 18° from the parcels (centred at 90." in text
    assert "Their own zone is EPSG:4518 (3-degree Gauss-Krüger zone 30) or EPSG:4539 (the " \
           "same without the zone number, central meridian 90 E)" in text
    assert CRS.from_epsg(4518).name.endswith("zone 30")
    assert CRS.from_epsg(4539).name.endswith("CM 90E")
    moved_parcels(lambda f: f.to_crs("EPSG:4516"))(project)  # zone 28, central meridian 84 E
    text = plain(runner.invoke(app, ["validate", *project.inputs()]).output)
    assert "central meridian" not in text, text


def test_figures_in_the_wrong_unit_are_noted_by_validate_and_run_alike(project) -> None:
    """元 typed for 万元 on the command line, m³ for 万m³ in the scenario and 70 (%) for 0.7
    all gave "✓ inputs valid" (stranger's F2). A planner may mean them: a note each, the
    same from validate and run (run stops here at an unknown solver: nothing is solved)."""
    project.scenario(replace=("[water]\ndefault = 200.0\n",
                              "[water]\ndefault = 200.0\nper_year = { 2029 = 5000000.0 }\n"))
    typed = ["--budget", "2028=140000000", "--budget-scale", "70"]  # scales the others only
    valid = plain(runner.invoke(app, ["validate", *project.inputs(), *typed]).output)
    ran = runner.invoke(app, ["run", *project.inputs(), *typed, "--out", str(project.out),
                              "--solver", "gurobi_typo"])
    assert ran.exit_code == 2 and "unknown solver" in ran.output
    for text in (valid, plain(ran.output)):
        assert "note: --budget-scale 70 multiplies every year's money by 70: did you mean " \
               "0.7 (70 %)? Run as given" in text, text
        assert "note: --budget 2028=1.4e+08: 140,000,000 万元 in 2028 is 667 × the " \
               "median of the other years (210,000 万元): 元 typed for 万元 (1 万元 = " \
               "10,000 元)?" in text, text
        assert "note: scenario.toml, key 'water.per_year.2029': 5,000,000 万m³ a year is " \
               "39.7 × the city's whole water resources (126,000 万m³ = 12.6 亿m³, " \
               "PARAMETERS.md): m³ typed for 万m³" in text, text
        assert "water.default" not in text and "key 'budget" not in text  # 200, 3000: plausible
    assert "inputs valid" in valid


def test_every_command_is_guarded() -> None:
    from typer.main import get_group

    group = get_group(app)

    def commands(g):
        for command in g.commands.values():
            yield from commands(command) if hasattr(command, "commands") else [command]

    assert all(getattr(c.callback, "guarded", False) for c in commands(group))


# A bureau's own parcel files as they really arrive — zipped, GBK-encoded, Chinese column
# names, no .prj, points mixed into the polygons, features added and never filled in — and a
# scenario that names a county by its name.

def _shapefile(frame: gpd.GeoDataFrame, path: Path, encoding: str = "UTF-8") -> Path:
    """``frame`` as a Shapefile at ``path`` (GDAL's notes that it cuts names silenced)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame.to_file(path, encoding=encoding)
    return path


def _zipped(shp: Path, zip_path: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """The Shapefile ``shp`` with its side files in a zip, without those of ``leave_out``."""
    with zipfile.ZipFile(zip_path, "w") as archive:
        for file in sorted(shp.parent.glob(f"{shp.stem}.*")):
            if file.suffix.lower() not in leave_out:
                archive.write(file, file.name)
    return zip_path


def _validate(p, parcels: Path, *extra: str):
    inputs = p.inputs()
    inputs[1] = str(parcels)
    return runner.invoke(app, ["validate", *inputs, *extra])


def test_a_zipped_shapefile_without_its_shx_is_read_and_the_zip_left_alone(project) -> None:
    """GDAL cannot write an index into a zip: the zip is extracted to a temporary folder and
    the index rebuilt there; a note says so; every parcel is read."""
    parcels = gpd.read_file(project.path("parcels.gpkg"))
    folder = project.root / "export"
    folder.mkdir()
    shp = _shapefile(parcels, folder / "parcels.shp")
    zipped = _zipped(shp, project.root / "parcels.zip", leave_out=(".shx",))
    before = snapshot(project.root)
    result = _validate(project, zipped, "--json")
    assert result.exit_code == 0, result.output
    assert "the zip holds parcels.shp without its shape index parcels.shx; rebuilt it from " \
           "the .shp in a temporary folder the zip was extracted to (the zip was not " \
           "changed)" in plain(result.output)
    assert f'"parcels": {len(parcels)}' in result.stdout
    assert snapshot(project.root) == before


def test_a_zip_without_the_dbf_is_refused_by_name(project) -> None:
    parcels = gpd.read_file(project.path("parcels.gpkg"))
    folder = project.root / "export"
    folder.mkdir()
    zipped = _zipped(_shapefile(parcels, folder / "地块.shp"), project.root / "parcels.zip",
                     leave_out=(".dbf",))
    result = _validate(project, zipped)
    assert result.exit_code == 2
    assert "parcels.zip: the zip holds 地块.shp without its 地块.dbf" in plain(result.output)
    assert "index 0 is out of bounds" not in result.output


def test_a_gbk_shapefile_with_chinese_column_names_shows_them_to_rename(project) -> None:
    """No .cpg, a GBK .dbf (Chinese ArcGIS exports): the names are read as GBK, not as
    Latin-1 mojibake, and listed beside the columns that are missing."""
    parcels = gpd.read_file(project.path("parcels.gpkg")).rename(columns={
        "parcel_id": "地块编号", "county": "区县", "land_cover": "地类"})
    shp = _shapefile(parcels, project.root / "地块.shp", encoding="GBK")
    shp.with_suffix(".cpg").unlink(missing_ok=True)
    result = _validate(project, shp)
    text = plain(result.output)
    assert result.exit_code == 2
    assert "地块.shp: missing column 'parcel_id'" in text
    assert "地块.shp: its columns that are not ours: 地块编号, 区县, 地类" in text


def test_a_gbk_zipped_shapefile_keeps_its_chinese_text(project) -> None:
    """Township names of a zipped GBK Shapefile reach the parcels as written."""
    from region.io import load_parcels

    parcels = gpd.read_file(project.path("parcels.gpkg"))
    folder = project.root / "export"
    folder.mkdir()
    shp = _shapefile(parcels, folder / "parcels.shp", encoding="GBK")
    shp.with_suffix(".cpg").unlink(missing_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = load_parcels(_zipped(shp, project.root / "parcels.zip"))
    assert read["township"].tolist() == parcels["township"].tolist()
    assert read["township"].str.contains("乡|镇|区").any()


def test_a_shapefile_without_its_prj_says_what_crs_its_coordinates_look_like(project) -> None:
    parcels = gpd.read_file(project.path("parcels.gpkg")).to_crs("EPSG:4518")
    shp = _shapefile(parcels, project.root / "parcels.shp")
    shp.with_suffix(".prj").unlink()
    result = _validate(project, shp)
    assert result.exit_code == 2
    assert "parcels.shp, column 'geometry': no CRS (a Shapefile without its .prj?)" in \
           plain(result.output)
    assert "look like EPSG:4518 (3-degree Gauss-Krüger zone 30)" in plain(result.output)


def test_points_lines_and_empty_features_are_named_once_each(project) -> None:
    """A point and a line saved into the parcels layer, and two features added in the GIS
    and never filled in: each named by its row as what it is, not as an area that is off
    or as a column per empty cell ('nan')."""
    parcels = gpd.read_file(project.path("parcels.gpkg"))
    parcels.loc[2, "geometry"] = parcels.geometry[2].centroid
    parcels.loc[4, "geometry"] = parcels.geometry[4].boundary
    blank = pd.DataFrame([dict.fromkeys(parcels.columns)] * 2)
    mixed = gpd.GeoDataFrame(pd.concat([parcels, blank], ignore_index=True),
                             geometry="geometry", crs=parcels.crs)
    mixed.to_file(project.root / "mixed.gpkg", driver="GPKG")
    result = _validate(project, project.root / "mixed.gpkg")
    text = plain(result.output)
    assert result.exit_code == 2
    n = len(parcels)
    assert "mixed.gpkg, row 3, column 'geometry': expected a polygon" in text
    assert "(found 'Point')" in text and "(found 'MultiLineString')" in text
    for row in (n + 1, n + 2):
        assert f"mixed.gpkg, row {row}: an empty row (no shape and no values): delete it" \
            in text
        assert f"row {row}, column" not in text
    assert "4 problem(s)" in text
    assert "nan" not in text and "differs from the geometry's area" not in text


def test_a_county_named_by_its_name_in_the_scenario_gets_its_code(project) -> None:
    project.scenario('[budget.per_county."高昌"]\ndefault = 500.0\n')
    result = runner.invoke(app, ["validate", *project.inputs()])
    assert result.exit_code == 2
    assert "scenario.toml, key 'budget.per_county.高昌': unknown county '高昌' (did you " \
           "mean '650402' (高昌区 Gaochang District)?)" in plain(result.output)


def test_a_geopackage_of_several_layers_reads_its_parcels_or_asks_which(project) -> None:
    """pyogrio read the first layer and said "Specify layer parameter", which no command
    has: the one layer with parcels is read (a note names it), two such layers are
    refused, naming them."""
    parcels = gpd.read_file(project.path("parcels.gpkg"))
    both = project.root / "bureau.gpkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gpd.GeoDataFrame({"name": ["road"] * len(parcels)}, geometry=parcels.boundary,
                         crs=parcels.crs).to_file(both, layer="roads")
        parcels.to_file(both, layer="地块")
    result = _validate(project, both, "--json")
    assert result.exit_code == 0, result.output
    assert "bureau.gpkg holds 2 layers ('roads', '地块'): read '地块', the one with a " \
           "parcel_id column" in plain(result.output)
    assert "Specify layer parameter" not in result.output
    assert f'"parcels": {len(parcels)}' in result.stdout
    parcels.head(5).to_file(both, layer="地块_2020")
    result = _validate(project, both)
    assert result.exit_code == 2
    assert "bureau.gpkg: holds 3 layers ('roads', '地块', '地块_2020') and 2 of them have " \
           "parcels (地块, 地块_2020)" in plain(result.output)


def test_weights_typed_with_a_chinese_input_method_are_read(project) -> None:
    """The criteria's Chinese names as the tool prints them, full-width commas and equals
    signs and per cent, as a Chinese input method types them: read as the codes ('not a
    number' of the whole text before); a misspelt name gets the one it is close to."""
    result = runner.invoke(app, ["validate", *project.inputs(), "--weights",
                                 "防风固沙＝0.5，水源涵养=0.3、bio=20%"])
    assert result.exit_code == 0, result.output
    assert "note: --weights gives sand=0.5, water=0.3, bio=0.2 and leaves out mine" in \
           plain(result.output)
    result = runner.invoke(app, ["validate", *project.inputs(), "--weights",
                                 "sand=0.4,wtaer=0.3"])
    assert result.exit_code == 2
    assert "got 'wtaer=0.3' (did you mean 'water'?)" in plain(result.output)


def test_a_command_replaces_its_own_result_and_its_stamp_names_it(project) -> None:
    """Refusing another command's result (the cases above) leaves the normal re-run: the
    same command over its own previous result."""
    args = ["compare", *two_results(project), "--out", str(project.out)]
    assert runner.invoke(app, args).exit_code == 0
    (project.out / "compare.csv").unlink()  # the re-run writes it anew (an edit would refuse)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (project.out / "compare.csv").is_file()
    assert json.loads((project.out / ".turpan-restore.json").read_text())["command"] == \
        "compare"


def test_compare_of_long_chinese_names_writes_to_a_default_name_that_fits(project,
                                                                          monkeypatch) -> None:
    """Six folders named like 吐鲁番市生态修复规划方案比较结果第N版本_2027年秋季调整 made
    the default results/compare-<names> too long for the file system (Errno 36); --help
    said the default was results/<scenario name>."""
    import cli.scenarios

    monkeypatch.setattr(cli.scenarios, "REPO_ROOT", project.root)
    name = "吐鲁番市生态修复规划方案比较结果第{}版本_2027年秋季调整"
    folders = [str(project.result_folder(name.format(k))) for k in range(1, 7)]
    result = runner.invoke(app, ["compare", *folders, "--json"])
    assert result.exit_code == 0, result.output
    out = Path(json.loads(result.stdout)["out"])
    assert out.parent == project.root / "results" and (out / "compare.csv").is_file()
    assert out.name.startswith("compare-吐鲁番市生态修复规划方案") and len(out.name.encode()) <= 120
    shown = plain(runner.invoke(app, ["compare", "--help"], env={"COLUMNS": "200"}).output)
    assert "default: results/compare-<the folders' names>" in shown


def test_a_result_of_ours_under_an_overlong_name_is_re_run_in_place(project) -> None:
    """An older version wrote results under names of 221-255 bytes; --out over 220 bytes
    was then refused before solving, even over such a result of ours. Only a new name is
    limited: the old result is replaced, its temporary siblings named after a cut name."""
    long_out = project.root / ("方" * 83)  # 249 bytes
    short_out = project.root / "written-before-the-limit"
    args = ["compare", *two_results(project)]
    result = runner.invoke(app, [*args, "--out", str(short_out)])
    assert result.exit_code == 0, result.output
    short_out.rename(long_out)  # as the older version left it
    (long_out / "compare.csv").unlink()  # the re-run must write it anew
    result = runner.invoke(app, [*args, "--out", str(long_out)])
    assert result.exit_code == 0, result.output
    assert (long_out / "compare.csv").is_file()
    assert not [p for p in project.root.iterdir() if p.name.startswith(".")]  # no siblings left
    new_out = project.root / ("方" * 74)  # 222 bytes, new
    result = runner.invoke(app, [*args, "--out", str(new_out)])
    assert result.exit_code == 2 and "longer than 220 bytes" in plain(result.output)
    assert not new_out.exists()


@pytest.mark.parametrize("command", [["sweep", "--budget-scale", "0.5,1"], ["sensitivity"]])
def test_an_unreachable_dask_scheduler_fails_before_any_solve(command, project,
                                                              monkeypatch) -> None:
    """sensitivity --dask-scheduler tcp://nowhere:1 solved the base plan (2 min 23 s on
    Turpan) before 'Timed out trying to connect … after 30 s' (stranger's finding 21); the
    check then still waited distributed's 30-s connect timeout: it has its own short one
    (shortened further here, so that the test does not wait 5 s)."""
    import cli.cluster
    import cli.scenarios
    import sensitivity.analysis

    solved = []
    monkeypatch.setattr(cli.scenarios, "run_sweep", lambda *a, **k: solved.append((a, k)))
    monkeypatch.setattr(sensitivity.analysis, "run_sensitivity",
                        lambda *a, **k: solved.append((a, k)))
    monkeypatch.setattr(cli.cluster, "SCHEDULER_CONNECT_S", 0.5)
    before = snapshot(project.root)
    result = runner.invoke(app, [*command, *project.inputs(), "--out", str(project.out),
                                 "--dask-scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2, result.output
    assert "--dask-scheduler tcp://127.0.0.1:1: cannot reach the Dask scheduler within 0.5 s " \
           "(Timed out trying to connect" in plain(result.output)
    assert not solved and snapshot(project.root) == before


def test_the_scheduler_check_waits_5_s_or_a_shorter_configured_timeout() -> None:
    """distributed's default connect timeout is 30 s; the check waits 5 s, or less when
    distributed.comm.timeouts.connect is set shorter."""
    import dask
    import distributed  # noqa: F401 - its settings are loaded before one is changed below

    from cli.cluster import connect_timeout_s

    with dask.config.set({"distributed.comm.timeouts.connect": "30s"}):
        assert connect_timeout_s() == 5.0
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert connect_timeout_s() == 1.0


def test_resume_with_nothing_to_resume_says_it_starts_afresh(project, monkeypatch) -> None:
    """sensitivity --resume with no interrupted analysis started a fresh one silently
    (stranger's finding 22); the note comes before the base plan's solve."""
    import sensitivity.analysis

    monkeypatch.setattr(sensitivity.analysis, "base_context", _raise(KeyboardInterrupt()))
    result = runner.invoke(app, ["sensitivity", *project.inputs(), "--out", str(project.out),
                                 "--resume"])
    assert result.exit_code == 130, result.output  # stopped at the base plan's solve
    assert f"note: --resume: no interrupted analysis to continue at {project.out}; starting " \
           "a fresh one" in plain(result.output)


def test_an_option_column_of_no_criterion_is_named_in_a_note(project) -> None:
    """A ``benefit_<x>`` column whose ``<x>`` is no criterion was ignored without a word:
    a note names it, with the criterion it is closest to."""
    options_edit(lambda f: f.insert(len(f.columns), "benefit_sands", 1.0))(project)
    options_edit(lambda f: f.insert(len(f.columns), "benefit_foo", 1.0))(project)
    result = runner.invoke(app, ["validate", *project.inputs(), "--options",
                                 str(project.path("options.csv"))])
    assert result.exit_code == 0, result.output
    assert "options.csv: column(s) 'benefit_sands' (did you mean 'benefit_sand'?), " \
           "'benefit_foo' name no criterion, so their figures are ignored; the criteria are " \
           "sand, water, bio, mine, carbon" in plain(result.output)


def test_a_sweep_point_of_a_huge_scale_has_a_safe_name(project) -> None:
    """``sweep --budget-scale 1e9`` first blamed the planner for the tool's own point name
    ('baseline-budgetx1e+09' "must be a safe folder name"): only the unit remains."""
    result = runner.invoke(app, ["sweep", "--budget-scale", "1e9", *project.inputs(),
                                 "--out", str(project.out)])
    text = plain(result.output)
    assert result.exit_code == 2, result.output
    assert "column 'budget.default': implausibly large (3e+12): check the unit" in text
    assert "safe folder name" not in text and "budgetx1e+09" not in text


def test_an_option_table_names_actions_by_their_chinese_names(project) -> None:
    """封育 in --options was refused ("unknown action … (found '封育')") while progress.csv
    read it: the catalogue's Chinese names are read as the codes wherever an action is read
    (region/action_names.py)."""
    options = pd.read_csv(project.path("options.csv"))
    catalogue = pd.read_csv(project.path("actions.csv")).set_index("code")["name_zh"]
    options["action"] = options["action"].map(catalogue)
    assert options["action"].str.contains("封育").any()
    options.to_csv(project.path("options.csv"), index=False)
    result = runner.invoke(app, ["validate", *project.inputs(), "--options",
                                 str(project.path("options.csv"))])
    assert result.exit_code == 0, result.output
    assert f"{len(options):,} options of yours" in plain(result.output)


def test_a_scenario_names_actions_and_criteria_by_their_chinese_names(project) -> None:
    """A target and a lock naming 封育 were refused ("a scenario names an action by its
    code: write 'enclosure'"), and [weights] "防风固沙" = 1 as an unknown key, though --options,
    progress.csv and --weights read them: the scenario is read with the catalogue's names
    (region/action_names.py) and the criteria's (region/criterion_names.py). Seen through
    what validate says: enclosure locked out leaves an enclosure target nothing (both name
    enclosure, and no other problem is found), and the weights leave out all but sand."""
    project.scenario('[[locked_out]]\naction = "封育"\n[[targets]]\nname = "封育 1 km²"\n'
                     'minimum = 1.0\nby_year = 2030\naction = " 封育 "\n',
                     replace=("sand = 0.4\nwater = 0.3\nbio = 0.2\nmine = 0.1\n",
                              '"防风固沙" = 1.0\n'))
    result = runner.invoke(app, ["validate", *project.inputs()])
    said = plain(result.output)
    assert result.exit_code == 2, result.output
    assert "1 problem(s)" in said
    assert "key 'targets[1].minimum' (items counted from 1): the scenario cannot be met: " \
           "target '封育 1 km²' needs ≥ 1 km² by 2030, but all matching options together " \
           "give only 0 km²" in said
    assert "[weights] gives sand=1 and leaves out water, bio, mine, carbon" in said
    project.scenario(replace=('action = "封育"\n', 'action = "afforestation"\n'))
    unlocked = runner.invoke(app, ["validate", *project.inputs()])  # enclosure reaches 1 km²
    assert unlocked.exit_code == 0, unlocked.output


def test_a_yes_no_column_saved_as_numbers_is_read(project) -> None:
    """sand_priority saved by a GIS as a number column (1.0, 0.0) was refused ("expected
    true/false (found 1.0)"): 1 and 0 are yes and no wherever a yes/no column is read."""
    project.edit_parcels(lambda f: f.__setitem__("sand_priority",
                                                 f["sand_priority"].astype(float)))
    assert gpd.read_file(project.path("parcels.gpkg"))["sand_priority"].dtype == float
    result = runner.invoke(app, ["validate", *project.inputs()])
    assert result.exit_code == 0, result.output


def test_a_yes_no_attribute_nobody_filled_in_is_refused_not_taken_for_no(project) -> None:
    """A parcel's sand_priority left NULL in the GIS is not read as "no" (it would silently
    drop a priority township's parcel); tests/region/test_progress_files.py has the
    progress file's blank ``new``, which its column says is "no"."""
    project.edit_parcels(lambda f: f.__setitem__(
        "sand_priority", f["sand_priority"].astype(float).where(f.index != 0)))
    result = runner.invoke(app, ["validate", *project.inputs()])
    assert result.exit_code == 2, result.output
    assert "row 1, column 'sand_priority': expected true/false (yes/no, 1/0, 是/否)" in \
           plain(result.output)
