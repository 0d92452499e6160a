"""The re-plan from 2028 of the yearly cycle's 2027 plan (tests/pipeline/conftest.py
plan_2027), through the CLI in-process, as the re-plan test files run it."""

from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from solve import app

runner = CliRunner()


def replan_2028(plan_2027, progress: Path, out: Path, *options: str,
                parcels: Path | None = None) -> Result:
    """``replan`` of ``plan_2027``'s result folder from 2028 with the ``progress`` file,
    written to ``out``, on ``parcels`` (else the previous result's), with ``options``."""
    given = ["--parcels", str(parcels)] if parcels is not None else []
    return runner.invoke(app, ["replan", str(plan_2027.out_dir), "--progress", str(progress),
                               "--year", "2028", *options, "--out", str(out), *given])
