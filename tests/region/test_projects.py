"""Plan projects by rule: an option is filed under the most specific project whose rule it
meets; every key project can receive work; the plan's rows keep their rules."""

import pandas as pd
import pytest

from region.errors import InputError
from region.io import TURPAN_DIR, load_projects
from region.places import Places
from region.projects import assign_projects
from region.validate import split_list

COLUMNS = ["project_id", "level", "parent", "name_zh", "name_en", "zones", "counties",
           "land_covers", "places", "actions", "source"]


def table(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, row, strict=True)) for row in rows])


PARCELS = pd.DataFrame({"parcel_id": [1, 2, 3], "township": ["艾丁湖镇", "鲁克沁镇", "夏乡"]})
OPTIONS = pd.DataFrame({"parcel_id": [1, 2, 3, 3], "zone": [3, 3, 3, 3],
                        "county": ["650402", "650421", "650422", "650422"],
                        "land_cover": ["sand_dune", "sand_dune", "sand_dune", "sand_dune"],
                        "action": ["sand_barrier", "sand_barrier", "sand_barrier", "karez"]})


def filed(projects: pd.DataFrame, options: pd.DataFrame = OPTIONS) -> list[str]:
    return list(assign_projects(options, projects, Places(PARCELS))["project_id"])


def test_the_most_specific_rule_wins_whatever_the_order() -> None:
    zone_wide = ("P3-1", "project", "W3", "三北", "Three-North", "3", "", "", "",
                 "sand_barrier|afforestation", "")
    aydingkol = ("P3-2", "project", "W3", "艾丁湖", "Aydingkol", "3", "650402|650422",
                 "sand_dune", "township==艾丁湖镇|township==夏乡", "sand_barrier", "")
    assert filed(table(zone_wide, aydingkol)) == ["P3-2", "P3-1", "P3-2", ""]
    assert filed(table(aydingkol, zone_wide)) == ["P3-2", "P3-1", "P3-2", ""]


def test_equal_specificity_goes_to_the_first_listed() -> None:
    first = ("A", "project", "", "甲", "a", "3", "", "sand_dune", "", "sand_barrier", "")
    second = ("B", "project", "", "乙", "b", "3", "", "", "township!=''", "sand_barrier", "")
    assert filed(table(first, second))[:3] == ["A", "A", "A"]
    assert filed(table(second, first))[:3] == ["B", "B", "B"]


def test_umbrellas_and_support_rows_take_no_work_but_umbrellas_are_recorded() -> None:
    project = ("P", "project", "", "甲", "a", "3", "", "", "", "sand_barrier", "")
    umbrella = ("W6", "umbrella", "", "一体化", "integrated", "", "", "", "", "karez", "")
    support = ("S1", "support", "", "监测", "monitoring", "", "", "", "", "karez", "")
    out = assign_projects(OPTIONS, table(project, umbrella, support), Places(PARCELS))
    assert list(out["project_id"]) == ["P", "P", "P", ""]
    assert list(out["umbrella_id"]) == ["", "", "", "W6"]


def test_a_work_filed_under_a_project_records_the_key_work_above_it() -> None:
    """work_id: the filed project's parent (the key work a target on W3 counts it for, plan
    l.100); '' for a work filed under a project-less work (W5) and for none."""
    barriers = ("P3-2", "project", "W3", "艾丁湖", "Aydingkol", "3", "", "",
                "township==艾丁湖镇", "sand_barrier", "")
    zone_work = ("W5", "work", "", "嘎顺", "Gashun", "3", "650421", "", "", "sand_barrier", "")
    out = assign_projects(OPTIONS, table(barriers, zone_work), Places(PARCELS))
    assert list(out["project_id"]) == ["P3-2", "W5", "", ""]
    assert list(out["work_id"]) == ["W3", "", "", ""]


def test_bad_rules_are_input_errors(tmp_path) -> None:
    projects = pd.read_csv(TURPAN_DIR / "projects.csv", dtype=str, keep_default_na=False)
    projects.loc[0, "level"] = "phase"
    projects.loc[1, "land_covers"] = "forest|swamp"
    projects.loc[2, "places"] = "near the lake"
    path = tmp_path / "projects.csv"
    projects.to_csv(path, index=False)
    actions = set().union(*projects["actions"].map(split_list))
    with pytest.raises(InputError) as caught:
        load_projects(path, actions)
    assert {(p.row, p.column) for p in caught.value.problems} == {
        (1, "level"), (2, "land_covers"), (3, "places")}


@pytest.fixture(scope="module")
def shipped():
    """The shipped region's options under the baseline's rules, filed under projects."""
    from criteria.weights import resolve_weights
    from pipeline.run import region_options
    from region.io import DEFAULT_SCENARIO, load_region
    from region.scenario_toml import load_scenario

    region = load_region()
    scenario = load_scenario(DEFAULT_SCENARIO)
    return region, region_options(region, scenario, resolve_weights(scenario.weights))


def test_every_shipped_option_is_filed_under_a_project(shipped) -> None:
    _, options = shipped
    assert (options["project_id"] != "").all()


def test_every_key_project_has_a_feasible_option_on_the_shipped_data(shipped) -> None:
    region, options = shipped
    key = region.projects.loc[region.projects["level"] == "project", "project_id"]
    counts = options["project_id"].value_counts().reindex(key, fill_value=0)
    assert (counts > 0).all(), f"no feasible option: {list(counts[counts == 0].index)}"


def expected_project(row: pd.Series, projects: pd.DataFrame, places: Places) -> str:
    """The project a plan row belongs to, worked out row by row from the table: the rules it
    meets, the one stating most conditions, the first listed among equals."""
    parcel = int(places.parcels.index[places.parcels["parcel_id"] == row["parcel_id"]][0])
    best, best_key = "", None
    for order, project in enumerate(projects.itertuples()):
        if project.level not in ("programme", "work", "project"):
            continue
        checks = [(split_list(project.actions), row["action"]),
                  (split_list(project.zones), str(row["zone"])),
                  (split_list(project.counties), str(row["county"])),
                  (split_list(project.land_covers), row["land_cover"])]
        if not split_list(project.actions) or any(
                wanted and value not in wanted for wanted, value in checks):
            continue
        if project.places and not places.mask(project.places)[parcel]:
            continue
        stated = sum(bool(x) for x in (project.counties, project.land_covers, project.places))
        if best_key is None or (stated, -order) > best_key:
            best, best_key = project.project_id, (stated, -order)
    return best


def test_each_plan_row_is_filed_under_the_project_its_rule_gives(small_run,
                                                                  small_region) -> None:
    region = small_region[0]
    chosen = small_run.plan.chosen
    assert len(chosen) > 0 and (chosen["project_id"] != "").all()
    for _, row in chosen.iterrows():
        assert row["project_id"] == expected_project(row, region.projects, region.places), \
            f"parcel {row['parcel_id']} {row['action']}"


def test_the_baseline_plan_keeps_red_lines_and_files_each_work_by_its_rule(shipped) -> None:
    """The shipped baseline (its solve cut to 10 s: every feasible plan must pass): no
    engineering work on a red-line parcel (small-watershed control aside, line 63) or in a
    reserve, every row under the project its rule gives."""
    from pipeline.run import run_scenario
    from region.io import DEFAULT_SCENARIO
    from region.overrides import Overrides, load_scenario_with_overrides
    from region.scenario_spatial_rules import PROTECTION_LED_ACTIONS, RED_LINE_ACTIONS

    region, _ = shipped
    scenario = load_scenario_with_overrides(DEFAULT_SCENARIO, Overrides(time_limit_s=10.0))
    chosen = run_scenario(region, scenario, None).plan.chosen
    parcels = region.parcels.set_index("parcel_id").loc[chosen["parcel_id"]]
    engineering = ~chosen["action"].isin(PROTECTION_LED_ACTIONS).to_numpy()
    not_for_red_lines = ~chosen["action"].isin(RED_LINE_ACTIONS).to_numpy()
    in_red_line = (parcels["red_line"] != "").to_numpy()
    in_reserve = parcels["protected_area"].str.contains("自然保护区|地质公园").to_numpy()
    assert in_red_line.any() and len(chosen) > 100
    assert not (not_for_red_lines & in_red_line).any()
    assert not (engineering & in_reserve).any()
    for _, row in chosen.iterrows():
        assert row["project_id"] == expected_project(row, region.projects, region.places), \
            f"parcel {row['parcel_id']} {row['action']}"
