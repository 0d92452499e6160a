"""A re-plan keeps a past work that today's action catalogue no longer allows: works done
are facts (pipeline/replan_history.py).

Five shipped parcels of the Bogda foothills (zone 1: three of alpine grassland, two of
forest), a 2027-2029 horizon. The previous plan was made with the catalogue before the
second plan audit (enclosure 封育 allowed on alpine grassland): enclosure on parcel 14047
in 2027 (done) and on parcel 14048 announced for 2029. Today's catalogue allows enclosure
only on forest, desert shrubland and dunes. Everything runs through the CLI in-process."""

import html
import itertools
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import replan_foothills as foothills_steps
from typer.testing import CliRunner

from criteria.options import build_options
from optimizer.plan import criterion_scales
from region.io import TURPAN_DIR, RegionPaths, load_region
from region.scenario_toml import load_scenario
from region.schema import CRITERIA
from solve import app

runner = CliRunner()
PARCELS = foothills_steps.PARCELS
KEPT, ANNOUNCED = 14047, 14048
YEARS = (2027, 2028, 2029)
SCENARIO = """name = "foothills"
seed = 1
[horizon]
start = 2027
end = 2029
evaluation_year = 2040
[budget]
default = 150.0
carry_over = true
[water]
default = 200.0
[weights]
sand = 0.4
water = 0.3
bio = 0.2
mine = 0.0
carbon = 0.1
[corridors]
enabled = false
[solver]
gap = 0.0
"""
#: The previous plan's two enclosures on alpine grassland, pinned (the old catalogue's).
PINNED = f"""[[locked_in]]
parcel_ids = [{KEPT}]
action = "enclosure"
year = 2027
[[locked_in]]
parcel_ids = [{ANNOUNCED}]
action = "enclosure"
year = 2029
"""


@pytest.fixture(scope="module")
def foothills(tmp_path_factory):
    """(folder, previous result folder): parcels, both catalogues, both scenarios and the
    plan made with the old catalogue."""
    folder = tmp_path_factory.mktemp("foothills")
    old = pd.read_csv(TURPAN_DIR / "actions.csv", dtype=str, keep_default_na=False)
    enclosure = old["code"] == "enclosure"
    assert "alpine_grassland" not in old.loc[enclosure, "land_covers"].iat[0]
    old.loc[enclosure, "land_covers"] = "forest|alpine_grassland|desert_shrubland|sand_dune"
    old.loc[enclosure, "places"] = ""
    previous = foothills_steps.previous_plan(folder, SCENARIO, PINNED, old)
    plan = pd.read_csv(previous / "plan.csv")
    works = set(zip(plan["parcel_id"], plan["action"], plan["start_year"], strict=True))
    assert {(KEPT, "enclosure", 2027), (ANNOUNCED, "enclosure", 2029)} <= works
    return folder, previous


def progress_file(folder, previous, name: str, kept_status: str,
                  extra: str = "", area_done: str = "") -> str:
    """Every 2027 work of the previous plan done, the enclosure on 14047 ``kept_status``
    at 100 万元 (on ``area_done`` km²), and ``extra`` rows."""
    return foothills_steps.progress_file(
        folder, previous, name, KEPT,
        f"{KEPT},enclosure,2027,{kept_status},100,false,{area_done}", extra)


replan = foothills_steps.replan


@pytest.fixture(scope="module")
def kept_run(foothills):
    folder, previous = foothills
    result = replan(folder, previous, progress_file(folder, previous, "done.csv", "done"),
                    "replan-done")
    assert result.exit_code == 0, result.output
    return folder, folder / "replan-done", result.output


def test_a_done_enclosure_on_alpine_grassland_is_kept_at_its_year_and_cost(kept_run) -> None:
    folder, out, output = kept_run
    plan = pd.read_csv(out / "plan.csv")
    here = plan[plan["parcel_id"] == KEPT]
    assert here[["action", "start_year"]].values.tolist() == [["enclosure", 2027]]
    assert here["cost_2027"].iat[0] == pytest.approx(100.0)  # as recorded
    assert here["cost_2028"].iat[0] == here["cost_2029"].iat[0] == 0.0  # one instalment
    # no year re-planned has an enclosure on alpine grassland
    covers = gpd.read_file(folder / "parcels.gpkg").set_index("parcel_id")["land_cover"]
    ahead = plan[plan["start_year"] >= 2028]
    assert not ((ahead["action"] == "enclosure")
                & (ahead["parcel_id"].map(covers) == "alpine_grassland")).any()
    # the money of 2027 is what was paid: 100 万元 of the enclosure and the other works'
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    past = manifest["replan"]["history"]["years"][0]
    assert past["spent_on_kept_works_wan"] == pytest.approx(plan["cost_2027"].sum())


def test_the_run_names_the_kept_work_and_the_rule_that_rules_it_out_now(kept_run) -> None:
    _, out, output = kept_run
    assert "现行目录不再允许 No longer allowed by today's catalogue" in output
    assert f"parcel {KEPT} enclosure 封育 enclosure / natural recovery, 2027, 已完成 done" \
        in output
    assert "only on forest, desert shrubland, sand dune (this parcel: alpine grassland; " \
           "actions.csv land_covers)" in output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    named = manifest["replan"]["no_longer_allowed"]
    assert [(w["parcel_id"], w["action"], w["start_year"], w["status"], w["kept"])
            for w in named] == [(KEPT, "enclosure", 2027, "done", True)]
    assert named[0]["action_zh"] == "封育" and "高山草地" in named[0]["rule_zh"]
    changes = pd.read_csv(out / "changes.csv").set_index(["parcel_id", "action"])
    kept = changes.loc[(KEPT, "enclosure")]
    assert kept["change"] == "kept"
    assert kept["reason_zh"].startswith("2027年已完成（现行目录不再允许：目录现只允许封育用于")
    assert kept["reason_en"].startswith("done in 2027 (no longer allowed by today's catalogue:")
    lists = pd.read_csv(out / "priorities.csv")
    reason = lists.loc[lists["地块编号 Parcel ID"] == KEPT, "入选理由 Reason"].iat[0]
    assert reason.startswith("2027年已完成（现行目录不再允许：")
    assert "done in 2027 (no longer allowed by today's catalogue: " in reason
    # the announced enclosure of 2029 on alpine grassland is dropped for the same rule
    # (replaced 替换: the re-plan gives the parcel another action, named in replaced_with)
    plan = pd.read_csv(out / "plan.csv")
    others = set(plan.loc[plan["parcel_id"] == ANNOUNCED, "action"])
    dropped = changes.loc[(ANNOUNCED, "enclosure")]
    assert others and "enclosure" not in others
    assert dropped["change"] == "replaced"
    assert set(dropped["replaced_with"].split(";")) == others
    assert {changes.loc[(ANNOUNCED, a), "change"] for a in others} == {"replaced"}
    assert dropped["reason_en"].startswith("no longer allowed by today's catalogue: the "
                                           "catalogue now allows enclosure")


def test_the_past_works_are_said_to_be_scored_on_todays_scales(foothills, kept_run) -> None:
    """Today's catalogue offers fewer options than the one the previous plan was made with,
    so the achievable ranges, the criterion scales, differ: the kept works of 2027 are
    scored on today's (pipeline/replan_scales.py), their values are not those of the
    previous report, and the report and the manifest say so, with both scales."""
    _, previous = foothills
    _, out, _ = kept_run
    before = json.loads((previous / "manifest.json").read_text())["criterion_scales"]
    manifest = json.loads((out / "manifest.json").read_text())
    now = manifest["criterion_scales"]
    differ = {c for c in now if (before[c] is None) != (now[c] is None) or (
        now[c] is not None and abs(now[c] - before[c]) > 1e-6 * abs(before[c]))}
    assert differ  # the case this test is about
    changed = manifest["replan"]["criterion_scales_changed"]
    assert changed == {c: {"previous": before[c], "today": now[c]} for c in differ}
    page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    assert "Note: the works kept from before 2028 are scored, as the works ahead are, on " \
           "this re-plan's criterion scales, which differ from the previous plan's" in page
    assert "注：2028年以前保留的工程与今后的工程一样，按本次重新规划的准则尺度计分" in page


def test_the_kept_work_counts_as_under_the_old_catalogue(kept_run) -> None:
    """Benefits, area and water of the kept work are those the old catalogue's option had
    (the criteria models on the same parcel); its cost as recorded."""
    folder, out, _ = kept_run
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg",
                                     actions=folder / "actions_old.csv"))
    old = build_options(region.parcels, region.actions).set_index(["parcel_id", "action"])
    row = old.loc[(KEPT, "enclosure")]
    plan = pd.read_csv(out / "plan.csv").set_index(["parcel_id", "action"])
    kept = plan.loc[(KEPT, "enclosure")]
    for column in ["area_km2", *[f"benefit_{c}" for c in CRITERIA]]:
        assert kept[column] == pytest.approx(row[column], rel=1e-9), column
    assert [kept[f"water_{y}"] for y in YEARS] == [0.0, 0.0, 0.0]  # enclosure draws none


def brute_force(folder, manifest: dict, kept: dict, announced: set) -> float:
    """The best benefit of a re-plan from 2028, by enumeration: the works of 2027 fixed
    (``kept``: parcel → (action, start, cost paid in 2027, option row)), each other parcel
    nothing or one of today's options started in 2028 or 2029; money carried over, water
    and capacity per year, one action per parcel; most announced works kept first (the
    re-plan's stability), then the best benefit. Benefits: weight × benefit × priority over
    today's achievable range, times the ramp's cumulative factor."""
    priced = foothills_steps.pricing(folder, manifest)
    today, value, spend, catalogue = priced.today, priced.value, priced.spend, priced.catalogue
    assert (today["water_wan_m3_per_yr"] == 0).all()  # so water never binds here

    choices = []
    for parcel in PARCELS:
        if parcel in kept:
            choices.append([kept[parcel]])
            continue
        rows = today[today["parcel_id"] == parcel]
        choices.append([None] + [(r["action"], start, None, r) for _, r in rows.iterrows()
                                 for start in (2028, 2029)])
    granted = 150.0
    carried = granted - sum(k[2] for k in kept.values())
    best = None
    for combo in itertools.product(*choices):
        works = [c for c in combo if c is not None]
        money = dict.fromkeys((2028, 2029), 0.0)
        area: dict[tuple, float] = {}
        for action, start, _, row in works:  # a 2027 work's later instalments are due
            for year, amount in spend(row, start).items():
                if year in money:
                    money[year] += amount
            if start >= 2028:
                area[action, start] = area.get((action, start), 0.0) + row["area_km2"]
        left, ok = carried, True
        for year in (2028, 2029):
            left += granted - money[year]
            ok &= left >= -1e-7
        for (action, _), total in area.items():
            capacity = catalogue.loc[action, "capacity_km2_per_yr"]
            ok &= bool(np.isnan(capacity) or total <= capacity + 1e-9)
        if not ok:
            continue
        parcels = {row["parcel_id"]: (action, start) for action, start, _, row in works}
        stays = sum(parcels.get(p) == (a, s) for p, a, s in announced)
        score = (stays, sum(value(row, start) for _, start, _, row in works))
        best = score if best is None or score > best else best
    return best[1]


def test_the_objective_equals_an_independent_brute_force(kept_run, foothills) -> None:
    folder, out, _ = kept_run
    _, previous = foothills
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenario"]["water"]["default"] == 200.0
    plan = pd.read_csv(out / "plan.csv")
    assert plan[[f"water_{y}" for y in YEARS]].to_numpy().max() <= 0.0
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg",
                                     actions=folder / "actions_old.csv"))
    old = build_options(region.parcels, region.actions).set_index(["parcel_id", "action"])
    first = plan[plan["start_year"] == 2027]
    kept = {int(w.parcel_id): (w.action, 2027, float(w.cost_2027),
                               old.loc[(w.parcel_id, w.action)].rename(None).to_dict()
                               | {"parcel_id": int(w.parcel_id), "action": w.action})
            for w in first.itertuples()}
    before = pd.read_csv(previous / "plan.csv")
    announced = {(int(w.parcel_id), w.action, int(w.start_year))
                 for w in before[before["start_year"] >= 2028].itertuples()}
    expected = brute_force(folder, manifest, kept, announced)
    assert manifest["objective"] == pytest.approx(expected, rel=1e-7)


def test_a_failed_work_the_catalogue_no_longer_allows_is_recorded_not_kept(
        foothills) -> None:
    folder, previous = foothills
    result = replan(folder, previous, progress_file(folder, previous, "failed.csv",
                                                    "failed"), "replan-failed")
    assert result.exit_code == 0, result.output
    out = folder / "replan-failed"
    plan = pd.read_csv(out / "plan.csv")
    plan = plan[plan["status"] != "failed"]  # the failed work is a row of money paid only
    assert not ((plan["parcel_id"] == KEPT) & (plan["action"] == "enclosure")).any()
    facts = pd.read_csv(out / "progress.csv")
    assert facts.loc[facts["parcel_id"] == KEPT, "status"].tolist() == ["failed"]
    changes = pd.read_csv(out / "changes.csv").set_index(["parcel_id", "action"])
    row = changes.loc[(KEPT, "enclosure")]
    others = set(plan.loc[plan["parcel_id"] == KEPT, "action"])  # the parcel's new action
    assert others and row["change"] == "replaced" and row["status"] == "failed"
    assert set(row["replaced_with"].split(";")) == others
    assert row["reason_en"].startswith("failed in 2027, not re-scheduled (no longer allowed "
                                       "by today's catalogue: ")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    named = manifest["replan"]["no_longer_allowed"]
    assert [(w["parcel_id"], w["status"], w["kept"]) for w in named] == \
        [(KEPT, "failed", False)]
    # what it cost is still counted in 2027's money, as for any failed work
    past = manifest["replan"]["history"]["years"][0]
    assert past["spent_wan"] == pytest.approx(past["spent_on_kept_works_wan"] + 100.0)
    assert "不再安排 not re-scheduled" in result.output


def test_a_new_work_the_catalogue_forbids_is_still_an_error(foothills) -> None:
    folder, previous = foothills
    path = progress_file(folder, previous, "new.csv", "done",
                         extra=f"{ANNOUNCED},enclosure,2027,done,,true,\n")
    result = replan(folder, previous, path, "replan-new")
    assert result.exit_code == 2, result.output
    rows = len(pd.read_csv(path))
    assert f"new.csv, row {rows + 1} (the header is row 1), column 'action': this action " \
           "cannot be applied to this " \
           "parcel" in " ".join(result.output.split())
    assert not (folder / "replan-new").exists()


@pytest.mark.parametrize("status", ["done", "failed"])
def test_no_year_re_planned_offers_the_pair(foothills, status) -> None:
    """The model itself: every option of (14047, enclosure) is bounded at 0 but the kept
    work's own (2027, done), so no solver or heuristic can start it again."""
    from pipeline.replan import replan as run_replan

    folder, previous = foothills
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg"))
    progress = progress_file(folder, previous, f"model-{status}.csv", status)
    outcome = run_replan(region, previous, folder / progress, 2028,
                         load_scenario(folder / "new.toml"))
    problem = outcome.run.problem
    options = problem.option_frame()
    pair = ((options["parcel_id"] == KEPT) & (options["action"] == "enclosure")).to_numpy()
    assert options.loc[pair, "start_year"].tolist() == list(YEARS)
    open_years = options.loc[pair & ~problem.locked_out, "start_year"].tolist()
    assert open_years == ([2027] if status == "done" else [])
    # its money and water per km² are the catalogue's, as the old catalogue's option had
    old = build_options(*_region_tables(folder / "actions_old.csv")).set_index(
        ["parcel_id", "action"]).loc[(KEPT, "enclosure")]
    built = problem.pairs.set_index(["parcel_id", "action"]).loc[(KEPT, "enclosure")]
    for column in ("area_km2", "cost_wan", "water_wan_m3_per_yr"):
        assert built[column] == pytest.approx(old[column], rel=1e-12), column
    assert built["history_only"]
    # the region's potential counts the pair only where it is kept: a failed one is out of
    # reach (report's 全域潜力 and the Summary's shares)
    counted = problem.pairs[~problem.pairs["history_only"].eq(True)] if status == "failed" \
        else problem.pairs
    pd.testing.assert_frame_equal(outcome.run.plan.scales, criterion_scales(counted))
    assert status == "done" or not outcome.run.plan.scales.equals(
        criterion_scales(problem.pairs))


def _region_tables(actions):
    region = load_region(RegionPaths(parcels=actions.parent / "parcels.gpkg",
                                     actions=actions))
    return region.parcels, region.actions


def test_next_years_re_plan_keeps_it_without_a_new_report(kept_run) -> None:
    """The re-plan's folder is next year's previous result: the kept work is recorded in
    its progress.csv, so the 2029 re-plan keeps it at 2027 with its cost, named again."""
    folder, out, _ = kept_run
    plan = pd.read_csv(out / "plan.csv")
    works = plan[plan["start_year"] == 2028]
    path = folder / "progress-2028.csv"
    works[["parcel_id", "action", "start_year"]].assign(status="done").to_csv(path,
                                                                             index=False)
    result = runner.invoke(app, [
        "replan", str(out), "--year", "2029", "--progress", str(path), "--parcels",
        str(folder / "parcels.gpkg"), "--out", str(folder / "replan-2029")])
    assert result.exit_code == 0, result.output
    again = pd.read_csv(folder / "replan-2029" / "plan.csv")
    here = again[again["parcel_id"] == KEPT]
    assert here[["action", "start_year", "cost_2027"]].values.tolist() == \
        [["enclosure", 2027, pytest.approx(100.0)]]
    changes = pd.read_csv(folder / "replan-2029" / "changes.csv")
    reason = changes.loc[changes["parcel_id"] == KEPT, "reason_en"].iat[0]
    assert reason.startswith("done in 2027 (reported earlier) (no longer allowed by today's "
                             "catalogue: ")
    # warned of once, by the 2028 re-plan that first kept it: listed, not warned again
    assert "No longer allowed by today's catalogue" not in result.output
    assert "1 past work(s) kept or recorded as history since an earlier re-plan" in \
        " ".join(result.output.split())
    manifest = json.loads((folder / "replan-2029" / "manifest.json").read_text(
        encoding="utf-8"))
    assert [w["first_named"] for w in manifest["replan"]["no_longer_allowed"]] == [2028]


def test_a_partly_done_one_is_kept_on_the_area_done(foothills, kept_run) -> None:
    """Partly done (2 km² of 5): kept at 2027 on the area done, its benefits scaled to it
    (as any partial work's), marked 部分完成 with the rule."""
    folder, previous = foothills
    result = replan(folder, previous, progress_file(folder, previous, "partial.csv",
                                                    "partial", area_done="2"),
                    "replan-partial")
    assert result.exit_code == 0, result.output
    plan = pd.read_csv(folder / "replan-partial" / "plan.csv").set_index(["parcel_id",
                                                                          "action"])
    whole = pd.read_csv(kept_run[1] / "plan.csv").set_index(["parcel_id", "action"])
    row = plan.loc[(KEPT, "enclosure")]
    assert (row["start_year"], row["area_km2"], row["cost_2027"]) == (2027, 2.0, 100.0)
    done = whole.loc[(KEPT, "enclosure")]
    for c in CRITERIA:
        assert row[f"benefit_{c}"] == pytest.approx(done[f"benefit_{c}"] * 2.0 / 5.0), c
    assert row["reason"].startswith("2027年部分完成（现行目录不再允许：")
