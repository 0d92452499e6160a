"""The ``sensitivity`` command through a Typer app (solve.py wires the same function)."""

import json

import typer
from typer.testing import CliRunner

from cli.sensitivity import sensitivity

app = typer.Typer()
app.command()(sensitivity)
app.command("noop")(lambda: None)  # two commands: the app keeps the subcommand name


def test_command_writes_the_analysis(tiny, tmp_path) -> None:
    _, _, _, folder = tiny
    scenario = tmp_path / "budget_water.toml"
    scenario.write_text(f'base = "{folder / "tiny.toml"}"\n[sensitivity]\nweight_range = 0.0\n',
                        encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "sensitivity", "--scenario", str(scenario), "--parcels", str(folder / "parcels.gpkg"),
        "--method", "oat", "--workers", "1", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary == {"out": str(out), "runs": 8, "partial": False, "failed": 0}
    assert (out / "report.html").stat().st_size > 100_000  # plotly.js inlined


def test_bad_settings_exit_2_naming_the_key_and_write_nothing(tiny, tmp_path) -> None:
    _, _, _, folder = tiny
    scenario = tmp_path / "bad.toml"
    scenario.write_text(f'base = "{folder / "tiny.toml"}"\n[sensitivity]\ngap = -0.5\n',
                        encoding="utf-8")
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
