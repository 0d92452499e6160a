"""The shipped key-projects scenario (data/scenarios/key_projects.toml): one target per key
project of the plan, each read and checked by ``validate`` as the run would."""

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from region.io import TURPAN_DIR
from region.scenario_toml import load_scenario
from solve import app

SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "scenarios"
runner = CliRunner()


def test_the_key_projects_scenario_asks_one_work_of_every_key_project() -> None:
    """The 20 key projects (plan lines 98-100) and the key works of zones 4 and 5 (lines
    101-102), each at least one work by 2035, beside the baseline's own targets."""
    scenario = load_scenario(SCENARIOS / "key_projects.toml")
    baseline = load_scenario(SCENARIOS / "baseline.toml")
    projects = pd.read_csv(TURPAN_DIR / "projects.csv", dtype=str)
    key = projects.loc[projects["level"] == "project", "project_id"].tolist()
    assert len(key) == 20
    on_projects = [t for t in scenario.targets if t.project is not None]
    assert [t.project for t in on_projects] == [*key, "W4", "W5"]
    assert all(t.measure == "count" and t.minimum == 1 and t.by_year == 2035
               and t.action is t.zone is t.county is t.land_cover is None for t in on_projects)
    assert [t for t in scenario.targets if t.project is None] == baseline.targets
    assert scenario.budget == baseline.budget and scenario.water == baseline.water


def test_the_key_projects_scenario_validates_on_the_shipped_data() -> None:
    result = runner.invoke(app, ["validate", "--json", "--scenario",
                                 str(SCENARIOS / "key_projects.toml")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scenario"]["name"] == "key_projects"


def test_validate_refuses_a_work_whose_projects_carry_its_works(tmp_path) -> None:
    """W1 (the Tianshan work, line 98) files no work itself: its five projects do. A target
    on it is the presolve's "cannot be met", with the file and the target's key."""
    text = (SCENARIOS / "baseline.toml").read_text(encoding="utf-8")
    path = tmp_path / "w1.toml"
    path.write_text(f'{text}\n[[targets]]\nname = "W1"\nmeasure = "count"\nminimum = 1\n'
                    'by_year = 2035\nproject = "W1"\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", "--scenario", str(path)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "w1.toml, key 'targets[3].minimum'" in said
    assert "target 'W1' needs ≥ 1 options by 2035, but all matching options together give " \
           "only 0 options" in said
