"""A re-plan keeps a past work whose action code today's catalogue no longer has at all
(pipeline/replan_former.py): its cost, water and area as the previous result recorded them,
no benefit counted, its parcel taken.

Five shipped parcels of the Bogda foothills, a 2027-2029 horizon. The previous plan was made
with a catalogue that had a grassland enclosure 草场围封 (code ``grass_enclosure``: two cost
instalments, water for three years) the bureau has since dropped: done on parcel 14047 in
2027, announced on 14048 for 2029. Today's catalogue (the shipped one) has no such code.
Everything runs through the CLI in-process."""

import html
import itertools
import json

import numpy as np
import pandas as pd
import pytest
import replan_foothills as foothills_steps
from typer.testing import CliRunner

from criteria.options import build_options
from region.io import TURPAN_DIR, RegionPaths, load_region
from region.scenario_toml import load_scenario
from region.schema import CRITERIA
from solve import app

runner = CliRunner()
PARCELS = foothills_steps.PARCELS
KEPT, ANNOUNCED = 14047, 14048
CODE = "grass_enclosure"
YEARS = (2027, 2028, 2029)
#: The removed action on 5 km²: 22.5 万元/km² in two instalments, 6 万m³/km² for 3 years.
INSTALMENT, WATER, PAID = 56.25, 30.0, 60.0
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
default = 70.0
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
#: The old scenario's red-line rule names the old code; both works pinned.
OLD = f"""[[spatial_rules]]
name = "red lines"
layer = "red_line"
allow = ["enclosure", "{CODE}", "grassland_recovery", "forest_repair", "watershed_control"]
[[locked_in]]
parcel_ids = [{KEPT}]
action = "{CODE}"
year = 2027
[[locked_in]]
parcel_ids = [{ANNOUNCED}]
action = "{CODE}"
year = 2029
"""


@pytest.fixture(scope="module")
def foothills(tmp_path_factory):
    """(folder, previous result folder): parcels, the old catalogue and scenario, today's
    scenario and the plan made with the old catalogue."""
    folder = tmp_path_factory.mktemp("removed")
    today = pd.read_csv(TURPAN_DIR / "actions.csv", dtype=str, keep_default_na=False)
    assert CODE not in set(today["code"])
    old = today[today["code"] == "enclosure"].copy()
    old[["code", "name_zh", "name_en", "land_covers", "places", "cost_years",
         "water_wan_m3_per_km2_yr", "water_years"]] = \
        [CODE, "草场围封", "grassland enclosure", "alpine_grassland", "", "2", "6", "3"]
    previous = foothills_steps.previous_plan(folder, SCENARIO, OLD, pd.concat([today, old]))
    plan = pd.read_csv(previous / "plan.csv").set_index(["parcel_id", "action"])
    row = plan.loc[(KEPT, CODE)]
    assert row["start_year"] == 2027 and plan.loc[(ANNOUNCED, CODE), "start_year"] == 2029
    assert [row[f"cost_{y}"] for y in YEARS] == pytest.approx([INSTALMENT, INSTALMENT, 0.0])
    assert [row[f"water_{y}"] for y in YEARS] == pytest.approx([WATER] * 3)
    return folder, previous


def progress_file(folder, previous, name: str, status: str, extra: str = "",
                  area_done: str = "") -> str:
    """Every 2027 work of the previous plan done, the removed-code work on 14047 ``status``
    at 60 万元 (on ``area_done`` km²), and ``extra`` rows."""
    return foothills_steps.progress_file(
        folder, previous, name, KEPT,
        f"{KEPT},{CODE},2027,{status},{PAID:g},false,{area_done}", extra)


replan = foothills_steps.replan


@pytest.fixture(scope="module")
def kept_run(foothills):
    folder, previous = foothills
    result = replan(folder, previous, progress_file(folder, previous, "done.csv", "done"),
                    "replan-done")
    assert result.exit_code == 0, result.output
    return folder, folder / "replan-done", result.output


def test_the_done_work_is_kept_as_recorded_and_its_money_and_water_are_in_the_accounts(
        kept_run) -> None:
    _, out, _ = kept_run
    plan = pd.read_csv(out / "plan.csv")
    here = plan[plan["parcel_id"] == KEPT]  # the parcel is taken: no other work on it
    assert here[["action", "start_year"]].values.tolist() == [[CODE, 2027]]
    work = here.iloc[0]
    assert [work[f"cost_{y}"] for y in YEARS] == pytest.approx([PAID, INSTALMENT, 0.0])
    assert [work[f"water_{y}"] for y in YEARS] == pytest.approx([WATER] * 3)
    assert work["area_km2"] == 5.0
    assert (work["action_zh"], work["action_en"]) == ("草场围封", "grassland enclosure")
    assert work["value"] == 0.0 and all(work[f"benefit_{c}"] == 0.0 for c in CRITERIA)
    # the year accounts: every year's spend and water are the works' sums, within limits
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    years = manifest["years"]
    for year in YEARS:
        assert years[str(year)]["spend"] == pytest.approx(plan[f"cost_{year}"].sum())
        assert years[str(year)]["water_use"] == pytest.approx(plan[f"water_{year}"].sum())
        assert years[str(year)]["water_use"] <= years[str(year)]["water_limit"] + 1e-9
    assert years["2028"]["water_use"] >= WATER and years["2028"]["spend"] >= INSTALMENT
    granted, spent = 0.0, 0.0  # carry-over: the money spent by each year within what came
    for year in YEARS:
        granted += years[str(year)]["budget"]
        spent += years[str(year)]["spend"]
        assert spent <= granted + 1e-6, year
    past = manifest["replan"]["history"]["years"][0]
    assert past["spent_on_kept_works_wan"] == pytest.approx(plan["cost_2027"].sum())
    assert past["water_of_kept_works_wan_m3"] == pytest.approx(WATER)


def test_the_messages_name_the_code_in_both_languages(kept_run) -> None:
    _, out, output = kept_run
    said = " ".join(output.split())
    assert "现行目录已无此措施代码 Action code no longer in today's catalogue: parcel " \
           f"{KEPT} {CODE} 草场围封 grassland enclosure, 2027, 已完成 done" in said
    assert f"现行目录已无措施代码“{CODE}”（草场围封）" in said
    assert f"today's catalogue has no action code '{CODE}' (grassland enclosure) any more" \
           in said and "its benefits are not" in said
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    named = manifest["replan"]["no_longer_allowed"]
    assert [(w["parcel_id"], w["action"], w["status"], w["kept"], w["code_removed"],
             w["first_named"]) for w in named] == [(KEPT, CODE, "done", True, True, 2028)]
    recorded = named[0]["recorded"]
    assert recorded["cost_2028"] == pytest.approx(INSTALMENT)
    assert recorded["previous_value"] > 0  # the benefit the old plan gave it, not counted
    changes = pd.read_csv(out / "changes.csv").set_index(["parcel_id", "action"])
    kept = changes.loc[(KEPT, CODE)]
    assert kept["change"] == "kept"
    assert kept["reason_zh"].startswith(
        f"2027年已完成（现行目录不再允许：现行目录已无措施代码“{CODE}”")
    assert kept["reason_en"].startswith(f"done in 2027 (no longer allowed by today's catalogue: "
                                        f"today's catalogue has no action code '{CODE}'")
    # (replaced 替换: the re-plan gives the parcel another action, named in replaced_with)
    plan = pd.read_csv(out / "plan.csv")
    others = set(plan.loc[plan["parcel_id"] == ANNOUNCED, "action"])
    dropped = changes.loc[(ANNOUNCED, CODE)]
    assert others and CODE not in others
    assert dropped["change"] == "replaced"
    assert set(dropped["replaced_with"].split(";")) == others
    assert dropped["reason_zh"] == f"现行目录已无措施代码“{CODE}”（草场围封），不再安排"
    assert dropped["reason_en"] == f"today's catalogue has no action code '{CODE}' " \
                                   "(grassland enclosure) any more: dropped"
    lists = pd.read_csv(out / "priorities.csv")
    reason = lists.loc[lists["地块编号 Parcel ID"] == KEPT, "入选理由 Reason"].iat[0]
    assert f"“{CODE}”" in reason and f"'{CODE}'" in reason
    report = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    assert "效益不计" in report and f"no action code '{CODE}'" in report


def brute_force(folder, manifest: dict, kept: dict, announced: set) -> float:
    """The best benefit of a re-plan from 2028, by enumeration: the works of 2027 fixed
    (``kept``: parcel → (action, value, spend per year from 2028)), each other parcel
    nothing or one of today's options started in 2028 or 2029; money carried over, water
    and capacity per year, one action per parcel; most announced works kept first (the
    re-plan's stability), then the best benefit. Benefits: weight × benefit × priority over
    today's achievable range, times the ramp's cumulative factor."""
    priced = foothills_steps.pricing(folder, manifest)
    today, value, spend, catalogue = priced.today, priced.value, priced.spend, priced.catalogue
    assert (today["water_wan_m3_per_yr"] == 0).all()  # only the kept work draws water

    choices = []
    for parcel in PARCELS:
        if parcel in kept:
            choices.append([("kept", parcel)])
            continue
        rows = today[today["parcel_id"] == parcel]
        choices.append([None] + [(r["action"], start, r) for _, r in rows.iterrows()
                                 for start in (2028, 2029)])
    granted = 150.0
    carried = granted - sum(k[3] for k in kept.values())
    best = None
    for combo in itertools.product(*choices):
        money = dict.fromkeys((2028, 2029), 0.0)
        area: dict[tuple, float] = {}
        total, parcels = 0.0, {}
        for choice in combo:
            if choice is None:
                continue
            if choice[0] == "kept":
                action, worth, due, _ = kept[choice[1]]
                parcels[choice[1]] = (action, 2027)
                total += worth
                for year in money:
                    money[year] += due.get(year, 0.0)
                continue
            action, start, row = choice
            parcels[row["parcel_id"]] = (action, start)
            total += value(row, start)
            for year, amount in spend(row, start).items():
                if year in money:
                    money[year] += amount
            area[action, start] = area.get((action, start), 0.0) + row["area_km2"]
        left, ok = carried, True
        for year in (2028, 2029):
            left += granted - money[year]
            ok &= left >= -1e-7
        for (action, _), done in area.items():
            capacity = catalogue.loc[action, "capacity_km2_per_yr"]
            ok &= bool(np.isnan(capacity) or done <= capacity + 1e-9)
        if not ok:
            continue
        stays = sum(parcels.get(p) == (a, s) for p, a, s in announced)
        score = (stays, total)
        best = score if best is None or score > best else best
    return best[1]


def test_the_objective_equals_an_independent_brute_force(kept_run, foothills) -> None:
    """The kept work earns nothing, costs its recorded 2028 instalment; 2027's works of
    today's catalogue (if any) earn their benefit from 2027."""
    folder, out, _ = kept_run
    _, previous = foothills
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg"))
    today = build_options(region.parcels, region.actions).set_index(["parcel_id", "action"])
    first = pd.read_csv(previous / "plan.csv")
    first = first[first["start_year"] == 2027]
    plan = pd.read_csv(out / "plan.csv").set_index(["parcel_id", "action"])
    kept = {}
    for work in first.itertuples():
        row = plan.loc[(work.parcel_id, work.action)]
        due = {y: float(row[f"cost_{y}"]) for y in (2028, 2029)}
        if work.action == CODE:
            kept[work.parcel_id] = (CODE, 0.0, {2028: INSTALMENT}, PAID)
            assert due == {2028: INSTALMENT, 2029: 0.0}
        else:  # a work of today's catalogue: its benefit as the criteria give it
            assert (work.parcel_id, work.action) in today.index
            kept[work.parcel_id] = (work.action, float(row["value"]), due,
                                    float(row["cost_2027"]))
    before = pd.read_csv(previous / "plan.csv")
    announced = {(int(w.parcel_id), w.action, int(w.start_year))
                 for w in before[before["start_year"] >= 2028].itertuples()}
    expected = brute_force(folder, manifest, kept, announced)
    assert manifest["objective"] == pytest.approx(expected, rel=1e-7)


@pytest.mark.parametrize("status", ["done", "failed"])
def test_no_year_re_planned_offers_the_pair(foothills, status) -> None:
    """The model itself: every option of (14047, grass_enclosure) is bounded at 0 but the
    kept work's own (2027, done), costing and drawing water as recorded."""
    from pipeline.replan import replan as run_replan

    folder, previous = foothills
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg"))
    progress = progress_file(folder, previous, f"model-{status}.csv", status)
    outcome = run_replan(region, previous, folder / progress, 2028,
                         load_scenario(folder / "new.toml"))
    problem = outcome.run.problem
    options = problem.option_frame()
    pair = ((options["parcel_id"] == KEPT) & (options["action"] == CODE)).to_numpy()
    assert options.loc[pair, "start_year"].tolist() == list(YEARS)
    assert options.loc[pair & ~problem.locked_out, "start_year"].tolist() == \
        ([2027] if status == "done" else [])
    assert problem.pairs.set_index(["parcel_id", "action"]).loc[(KEPT, CODE),
                                                                "history_only"]
    first = np.flatnonzero(pair)[0]
    assert problem.value[pair].tolist() == [0.0] * 3
    assert problem.water[first].toarray().ravel().tolist() == pytest.approx([WATER] * 3)
    assert problem.cost[first].toarray().ravel()[1:].tolist() == \
        pytest.approx([INSTALMENT, 0.0])
    assert not (problem.pairs["action"] == CODE).sum() > 1  # the announced one: no pair


def test_a_failed_one_is_recorded_paid_and_not_re_scheduled(foothills) -> None:
    folder, previous = foothills
    result = replan(folder, previous, progress_file(folder, previous, "failed.csv",
                                                    "failed"), "replan-failed")
    assert result.exit_code == 0, result.output
    out = folder / "replan-failed"
    plan = pd.read_csv(out / "plan.csv")
    assert (plan.loc[plan["action"] == CODE, "status"] == "failed").all()  # money paid only
    plan = plan[plan["status"] != "failed"]
    assert not (plan["action"] == CODE).any()
    facts = pd.read_csv(out / "progress.csv")
    assert facts.loc[facts["parcel_id"] == KEPT, ["action", "status"]].values.tolist() == \
        [[CODE, "failed"]]
    changes = pd.read_csv(out / "changes.csv").set_index(["parcel_id", "action"])
    row = changes.loc[(KEPT, CODE)]
    others = set(plan.loc[plan["parcel_id"] == KEPT, "action"])  # the parcel's new action
    assert others and row["change"] == "replaced" and row["status"] == "failed"
    assert set(row["replaced_with"].split(";")) == others
    assert row["reason_en"].startswith("failed in 2027, not re-scheduled (no longer allowed "
                                       f"by today's catalogue: today's catalogue has no "
                                       f"action code '{CODE}'")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    past = manifest["replan"]["history"]["years"][0]
    assert past["spent_wan"] == pytest.approx(past["spent_on_kept_works_wan"] + PAID)
    assert manifest["years"]["2028"]["water_use"] == 0.0  # a failed work draws no more
    said = " ".join(result.output.split())
    assert f"parcel {KEPT} {CODE} 草场围封 grassland enclosure, 2027, 失败 failed: 不再安排 " \
           "not re-scheduled" in said


def test_a_new_work_with_the_removed_code_is_refused(foothills) -> None:
    folder, previous = foothills
    path = progress_file(folder, previous, "new.csv", "done",
                         extra=f"14098,{CODE},2027,done,,true,\n")
    result = replan(folder, previous, path, "replan-new")
    assert result.exit_code == 2, result.output
    rows = len(pd.read_csv(path))
    assert f"new.csv, row {rows + 1} (the header is row 1), column 'action': an action " \
           "code today's catalogue no " \
           "longer has: only a work of the previous plan" in " ".join(result.output.split())
    assert not (folder / "replan-new").exists()


def test_a_partly_done_one_is_kept_on_the_area_done(foothills) -> None:
    """2 km² of 5: its instalment still due and its water scaled to the area done."""
    folder, previous = foothills
    result = replan(folder, previous, progress_file(folder, previous, "partial.csv",
                                                    "partial", area_done="2"),
                    "replan-partial")
    assert result.exit_code == 0, result.output
    plan = pd.read_csv(folder / "replan-partial" / "plan.csv").set_index(["parcel_id",
                                                                          "action"])
    row = plan.loc[(KEPT, CODE)]
    assert (row["start_year"], row["area_km2"], row["cost_2027"]) == (2027, 2.0, PAID)
    assert row["cost_2028"] == pytest.approx(INSTALMENT * 2 / 5)
    assert [row[f"water_{y}"] for y in YEARS] == pytest.approx([WATER * 2 / 5] * 3)
    assert row["reason"].startswith("2027年部分完成（现行目录不再允许：现行目录已无措施代码")


def test_next_years_re_plan_keeps_it_and_warns_no_more(kept_run) -> None:
    """The 2029 re-plan from the 2028 result: the work kept at 2027 with its recorded
    figures (the manifest's record), listed in the manifest as first named in 2028, and the
    console gives no new warning of it."""
    folder, out, _ = kept_run
    plan = pd.read_csv(out / "plan.csv")
    path = folder / "progress-2028.csv"
    plan.loc[plan["start_year"] == 2028, ["parcel_id", "action", "start_year"]] \
        .assign(status="done").to_csv(path, index=False)
    result = runner.invoke(app, [
        "replan", str(out), "--year", "2029", "--progress", str(path), "--parcels",
        str(folder / "parcels.gpkg"), "--out", str(folder / "replan-2029")])
    assert result.exit_code == 0, result.output
    again = pd.read_csv(folder / "replan-2029" / "plan.csv").set_index(["parcel_id",
                                                                       "action"])
    row = again.loc[(KEPT, CODE)]
    assert [row["start_year"], *[row[f"cost_{y}"] for y in YEARS]] == \
        pytest.approx([2027, PAID, INSTALMENT, 0.0])
    assert row["water_2029"] == pytest.approx(WATER) and row["value"] == 0.0
    said = " ".join(result.output.split())
    assert "现行目录已无此措施代码" not in said and CODE not in said
    assert "1 past work(s) kept or recorded as history since an earlier re-plan" in said
    manifest = json.loads((folder / "replan-2029" / "manifest.json").read_text(
        encoding="utf-8"))
    named = manifest["replan"]["no_longer_allowed"]
    assert [(w["action"], w["first_named"], w["kept"]) for w in named] == \
        [(CODE, 2028, True)]
    assert named[0]["recorded"]["previous_value"] > 0  # still the first plan's figure
    changes = pd.read_csv(folder / "replan-2029" / "changes.csv")
    reason = changes.loc[changes["parcel_id"] == KEPT, "reason_en"].iat[0]
    assert reason.startswith("done in 2027 (reported earlier) (no longer allowed by today's "
                             f"catalogue: today's catalogue has no action code '{CODE}'")
