"""The shipped key-projects scenario (data/scenarios/key_projects.toml): one target per key
project of the plan, each read and checked by ``validate`` as the run would."""

import json
import re
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


def target(name: str, project: str, minimum: float, zone: int | None = None) -> str:
    """A [[targets]] table: at least ``minimum`` works by 2035 counting for ``project``."""
    return (f'\n[[targets]]\nname = "{name}"\nmeasure = "count"\nminimum = {minimum:g}\n'
            f'by_year = 2035\nproject = "{project}"\n' + (f"zone = {zone}\n" if zone else ""))


def test_a_target_on_a_work_counts_the_works_of_its_projects(tmp_path) -> None:
    """W1 (the Tianshan work, line 98) files no work itself: its five projects P1-1 to P1-5
    do, and a target on W1 counts theirs (line 96: the key works carry the key projects).
    ``validate`` finds one W1 work (its reach is the sum of its projects' reaches, each
    read from the presolve's "cannot be met" for a minimum no region holds), and reports a
    W1 target nothing can meet, zone 4 (W1's projects work in zone 1), naming it."""
    projects = [f"P1-{k}" for k in range(1, 6)]
    text = (SCENARIOS / "baseline.toml").read_text(encoding="utf-8")
    text += target("a W1 work", "W1", 1) + target("W1 in zone 4", "W1", 1, zone=4)
    text += "".join(target(f"all of {p}", p, 1e6) for p in ("W1", *projects))
    path = tmp_path / "w1.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--scenario", str(path)])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "'a W1 work'" not in said  # one work of W1's projects is within reach
    assert "w1.toml, key 'targets[4].minimum'" in said
    assert "target 'W1 in zone 4' needs ≥ 1 options by 2035, but all matching options " \
           "together give only 0 options" in said
    reach = {name: int(count) for name, count in re.findall(
        r"target 'all of ([\w-]+)' needs ≥ 1e\+06 options by 2035, but all matching options "
        r"together give only (\d+) options", said)}
    assert set(reach) == {"W1", *projects}
    assert reach["W1"] == sum(reach[p] for p in projects) > 0


def test_the_zone_2_wetland_project_works_in_the_park_and_the_river_projects_keep_zone_3(
        ) -> None:
    """Review finding 6. The plan files P2-8 to P2-12 under zone 2's 重点河湖湿地 work (l.99);
    zone 2 is the oasis and the Aydingkol wetland park (l.65-66). P2-8, the Aydingkol wetland
    project, has its options on the park's wetland, zone 2 only. The river projects P2-9,
    P2-10, P2-12 would have none in zone 2 (the catalogue allows their riparian works on no
    zone-2 parcel), so they keep zone 3 (projects.csv, an estimate) and every one of their
    options is one the lists mark outside the plan's zone."""
    from criteria.feasibility import feasible_pairs
    from outputs.project_flags import outside_plan_zone
    from region.io import load_region
    from region.projects import assign_projects

    region = load_region()
    scenario = load_scenario(SCENARIOS / "key_projects.toml")
    pairs = assign_projects(feasible_pairs(region.parcels, region.actions,
                                           scenario.spatial_rules, region.places),
                            region.projects, region.places)
    wetland = pairs[pairs["project_id"] == "P2-8"]
    assert len(wetland) > 0 and set(wetland["zone"].astype(int)) == {2}
    assert set(wetland["land_cover"]) == {"wetland"}
    riparian = pairs[pairs["action"] == "riparian_restoration"]
    assert len(riparian) > 0 and 2 not in set(riparian["zone"].astype(int))
    rivers = pairs[pairs["project_id"].isin(["P2-9", "P2-10", "P2-12"])]
    assert set(rivers["project_id"]) == {"P2-9", "P2-10", "P2-12"}
    assert outside_plan_zone(rivers, region) == [["2"]] * len(rivers)
