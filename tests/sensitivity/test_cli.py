"""The ``sensitivity`` command through a Typer app (solve.py wires the same function)."""

import json
from pathlib import Path

import pyogrio
import typer
from sensitivity_csv import read_coded
from typer.testing import CliRunner

from cli.sensitivity import sensitivity

app = typer.Typer()
app.command()(sensitivity)
app.command("noop")(lambda: None)  # two commands: the app keeps the subcommand name


def tiny_with(folder: Path, path: Path, sensitivity: str) -> Path:
    """A scenario at ``path`` that is the tiny one (in ``folder``) with one line of its
    [sensitivity] table changed."""
    path.write_text(f'base = "{folder / "tiny.toml"}"\n[sensitivity]\n{sensitivity}\n',
                    encoding="utf-8")
    return path


def test_command_writes_the_analysis(tiny, tmp_path) -> None:
    _, _, _, folder = tiny
    scenario = tiny_with(folder, tmp_path / "budget_water.toml", "weight_range = 0.0")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "sensitivity", "--scenario", str(scenario), "--parcels", str(folder / "parcels.gpkg"),
        "--method", "oat", "--workers", "1", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary == {"out": str(out), "runs": 8, "partial": False, "failed": 0,
                       "reliability": None, "crs": "EPSG:4326"}  # the tiny region's own
    runs = read_coded(out / "runs.csv", ["status", "gap"])  # "optimal" only where proven
    proven = runs["status"] == "optimal"
    assert (runs.loc[proven, "gap"] <= 1e-6).all()
    assert runs.loc[~proven, "status"].str.startswith(("within", "feasible")).all()
    assert json.loads((out / "analysis.json").read_text())["reliability"] is None  # OAT
    assert (out / "report.html").stat().st_size > 100_000  # plotly.js inlined
    # the record names the design that ran (--method), not the scenario's default (morris)
    assert json.loads((out / "analysis.json").read_text())["settings"]["method"] == "oat"


def test_one_morris_trajectory_gives_mu_star_only_and_says_what_ran(tiny, tmp_path) -> None:
    """--samples 1 (the smallest the CLI allows): analysis.json said samples 10 (the
    scenario's), numpy's 'Degrees of freedom <= 0' reached the planner as notes, and μ*'s
    confidence interval was 0, as if one elementary effect were certain."""
    _, _, _, folder = tiny
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "sensitivity", "--scenario", str(folder / "tiny.toml"), "--parcels",
        str(folder / "parcels.gpkg"), "--method", "morris", "--samples", "1",
        "--workers", "1", "--out", str(out), "--crs", "EPSG:4490"])
    assert result.exit_code == 0, result.output
    # --crs as run takes it (the tiny region is WGS84): frequency.gpkg in CGCS2000
    assert "layers in EPSG:4490" in " ".join(result.output.split())
    assert pyogrio.read_info(out / "frequency.gpkg")["crs"] == "EPSG:4490"
    assert "Degrees of freedom" not in result.output  # numpy's warning, once printed as notes
    notes = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert all("smallest meaningful swing" in line for line in notes)  # only the weights' own
    meta = json.loads((out / "analysis.json").read_text())
    assert meta["settings"]["samples"] == 1 and meta["settings"]["method"] == "morris"
    assert meta["runs"] == len(meta["factors"]) + 1  # one trajectory
    indices = read_coded(out / "indices.csv", ["mu_star", "sigma", "mu_star_conf"])
    assert indices["mu_star"].notna().all()
    assert indices["sigma"].isna().all() and indices["mu_star_conf"].isna().all()
    assert "and the interval need two or more trajectories" in \
        (out / "report.html").read_text(encoding="utf-8")
    # and it says so, with how many would do: console, report, analysis.json
    said = " ".join(result.output.split())
    assert said.count("One Morris trajectory only") == 1 and "--samples 10" in said
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "One Morris trajectory only" in page
    # and it states no ranking from that one effect per factor (finding 11)
    assert "Most influential on the total benefit" not in page
    assert "are not stated as findings" in page
    assert "no spread estimate" in meta["reliability"]["en"]
    assert "proven optimal" in said and "proven optimal" in meta["solved"]["en"]


def test_bad_settings_exit_2_naming_the_key_and_write_nothing(tiny, tmp_path) -> None:
    _, _, _, folder = tiny
    scenario = tiny_with(folder, tmp_path / "bad.toml", "gap = -0.5")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["sensitivity", "--scenario", str(scenario),
                                      "--out", str(out)])
    assert result.exit_code == 2
    assert "sensitivity.gap" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_unknown_method_is_refused(tiny) -> None:
    _, _, _, folder = tiny
    result = CliRunner().invoke(app, ["sensitivity", "--scenario", str(folder / "tiny.toml"),
                                      "--method", "lhs"])
    assert result.exit_code == 2 and "lhs" in result.output


def test_time_limit_is_each_samples_and_the_help_reads_whole(tiny, tmp_path,
                                                             monkeypatch) -> None:
    """Every other solving command takes --time-limit; sensitivity did not, and its help
    lost '[sensitivity]' to rich markup ("the scenario's  method")."""
    import sensitivity.runner as runner

    _, _, _, folder = tiny
    scenario = tiny_with(folder, tmp_path / "budget_water.toml", "weight_range = 0.0")
    limits = []
    solve_from = runner.solve_from

    def recorded(model, problem, start, time_limit_s, gap, seed):
        limits.append(time_limit_s)
        return solve_from(model, problem, start, time_limit_s, gap, seed)

    monkeypatch.setattr(runner, "solve_from", recorded)  # --workers 1 solves in-process
    out = tmp_path / "out"
    args = ["sensitivity", "--scenario", str(scenario), "--parcels", str(folder / "parcels.gpkg"),
            "--method", "oat", "--workers", "1", "--out", str(out), "--json"]
    result = CliRunner().invoke(app, [*args, "--time-limit", "7.5"])
    assert result.exit_code == 0, result.output
    assert limits == [7.5] * 8  # every sample's solve; the scenario says 600
    assert json.loads((out / "analysis.json").read_text())["settings"]["time_limit_s"] == 7.5
    bad = CliRunner().invoke(app, [*args[:-3], "--out", str(tmp_path / "bad"),
                                   "--time-limit", "0"])
    assert bad.exit_code == 2 and "--time-limit" in bad.output and "must be > 0" in bad.output
    assert not (tmp_path / "bad").exists()
    shown = CliRunner().invoke(app, ["sensitivity", "--help"], env={"COLUMNS": "200"}).output
    assert "the scenario's [sensitivity] method" in shown and "scenario's  " not in shown
    assert "--time-limit" in shown and "[sensitivity] time_limit_s" in shown


def test_samples_left_at_the_base_plan_are_said_to_weaken_the_indices(tiny, tmp_path,
                                                                       monkeypatch) -> None:
    """The README's small example (12 s a sample) left 21 of 24 Turpan samples short of the
    gap with the base plan unchanged, and still ranked the budget by them: the command, the
    report and analysis.json now say so. Here every solve returns its start, as a solve out
    of time does."""
    from dataclasses import replace

    import sensitivity.runner as runner

    _, _, _, folder = tiny
    scenario = tiny_with(folder, tmp_path / "budget_water.toml", "weight_range = 0.0")
    solve_from = runner.solve_from

    def out_of_time(model, problem, start, time_limit_s, gap, seed):
        result, polished = solve_from(model, problem, start, time_limit_s, gap, seed)
        return replace(result, status="feasible", x=start, gap=0.05,
                       objective=model.objective_value(start)), polished

    monkeypatch.setattr(runner, "solve_from", out_of_time)  # --workers 1 solves in-process
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "sensitivity", "--scenario", str(scenario), "--parcels", str(folder / "parcels.gpkg"),
        "--method", "oat", "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    runs = read_coded(out / "runs.csv", ["status", "same_plan"])
    unchanged = int((runs["status"].str.startswith("feasible") & runs["same_plan"]).sum())
    assert unchanged >= 2  # the samples with more money or water: the base plan fits them
    said = f"{unchanged} of {len(runs)} samples stopped short of the asked gap with the base " \
           "plan unchanged (the same parcels, actions and start years)"
    assert said in " ".join(result.output.split())
    assert said in json.loads((out / "analysis.json").read_text())["reliability"]["en"]
    assert f"{unchanged}/{len(runs)} 个样本未达到要求差距" in (out / "report.html").read_text()
    summary = CliRunner().invoke(app, [  # --json says it as analysis.json does
        "sensitivity", "--scenario", str(scenario), "--parcels", str(folder / "parcels.gpkg"),
        "--method", "oat", "--workers", "1", "--out", str(tmp_path / "again"), "--json"])
    assert summary.exit_code == 0, summary.output
    assert said in json.loads(summary.stdout)["reliability"]["en"]


def test_a_sample_that_moved_start_years_on_the_base_parcels_is_not_unchanged(
        tiny, tmp_path, monkeypatch) -> None:
    """The warning compared parcel ids only (Jaccard 1): a sample whose solve kept the base
    plan's parcels but started every one a year later counted as never having left it."""
    from dataclasses import replace

    import numpy as np

    import sensitivity.runner as runner

    _, _, _, folder = tiny
    scenario = tiny_with(folder, tmp_path / "budget_water.toml", "weight_range = 0.0")
    solve_from = runner.solve_from

    def a_year_later(model, problem, start, time_limit_s, gap, seed):
        """The start's parcels and actions, each option moved to the next start year."""
        result, polished = solve_from(model, problem, start, time_limit_s, gap, seed)
        later = np.array(start, dtype=float)
        chosen = np.flatnonzero(later[:problem.n_options] > 0.5)
        # options run pair by pair, year by year (option_frame): the pair's next year, or
        # the one before for the horizon's last
        last = problem.option_year[chosen] == problem.years[-1]
        later[chosen] = 0.0
        later[np.where(last, chosen - 1, chosen + 1)] = 1.0
        return replace(result, status="feasible", x=later, gap=0.05), polished

    monkeypatch.setattr(runner, "solve_from", a_year_later)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "sensitivity", "--scenario", str(scenario), "--parcels", str(folder / "parcels.gpkg"),
        "--method", "oat", "--workers", "1", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    runs = read_coded(out / "runs.csv", ["status", "same_plan", "jaccard"])
    samples = runs[runs["status"].str.startswith("feasible")]
    assert len(samples) == len(runs)
    assert (samples["jaccard"] == 1).sum() >= 2  # a quarter: Jaccard alone would warn
    assert not runs["same_plan"].any()
    assert json.loads(result.stdout)["reliability"] is None
    assert json.loads((out / "analysis.json").read_text())["reliability"] is None


def test_the_progress_count_is_blank_until_the_samples_are_known() -> None:
    """The bar read "0/None" while the base plan was solved (stranger's F9)."""
    from rich.progress import Progress

    from cli.sensitivity import SamplesDone

    column = SamplesDone()
    with Progress(column, disable=True) as progress:
        task = progress.add_task("base plan, then samples", total=None)
        assert column.render(progress.tasks[task]).plain == ""
        progress.update(task, total=10, completed=3)
        assert column.render(progress.tasks[task]).plain == "3/10"
