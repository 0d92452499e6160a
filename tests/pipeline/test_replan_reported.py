"""A re-plan shows the past years as the bureau reported them (pipeline/reported.py): the
run table, manifest.json, the 汇总 sheet and report.html carry the actuals' figures for
2027 (without actuals, the progress file's), the model's for the years ahead, and a warning
when the reported spend (or water) is below what the kept works cost (or use) according to
the progress file."""

import json

import pandas as pd
import pytest
from openpyxl import load_workbook
from replan_2028 import replan_2028
from typer.testing import CliRunner

from pipeline.reported import contradictions, restate_past_years
from region.cycle import YearActuals
from region.errors import InputError
from solve import app

runner = CliRunner()

BUDGET = 1500.0  # the cycle scenario's money per year, carried over


def all_done(plan: pd.DataFrame, year: int) -> pd.DataFrame:
    works = plan.loc[plan["start_year"] == year, ["parcel_id", "action", "start_year"]]
    return works.assign(status="done").reset_index(drop=True)


def summary_by_year(path) -> pd.DataFrame:
    """The 汇总 sheet's by-year table, columns named by the Chinese half of the header."""
    ws = load_workbook(path)["汇总 Summary"]
    names = [str(c.value).split("\n")[0] for c in ws[5]]
    rows = []
    for r in range(6, ws.max_row + 1):
        values = [c.value for c in ws[r]]
        if values[0] == "合计 Total":
            break
        rows.append(values)
    return pd.DataFrame(rows, columns=names).set_index("年度")


def test_past_year_shows_the_reported_figures_and_warns_of_a_short_spend(
        cycle_region, plan_2027, tmp_path) -> None:
    """2027 reported: a spend below what its kept works cost (a contradiction, warned) and
    water 20 万m³ above the year's water available (an overuse, warned in both languages:
    water does not carry over, so the years ahead keep their limits)."""
    _, _, folder = cycle_region
    chosen = plan_2027.plan.chosen
    kept_cost = float(chosen["cost_2027"].sum())  # every 2027 work done as planned
    water_limit = float(plan_2027.plan.years.set_index("year").at[2027, "water_limit"])
    granted, spent, water = 1600.0, round(kept_cost - 100.0), round(water_limit + 20.0)
    all_done(chosen, 2027).to_csv(tmp_path / "progress.csv", index=False)
    pd.DataFrame([{"year": 2027, "budget_wan": granted, "spend_wan": spent,
                   "water_wan_m3": water}]).to_csv(tmp_path / "actuals.csv", index=False)
    out = tmp_path / "replan-2028"
    result = replan_2028(plan_2027, tmp_path / "progress.csv", out, "--actuals",
                         str(tmp_path / "actuals.csv"), parcels=folder / "parcels.gpkg")
    assert result.exit_code == 0, result.output

    # the run table: 2027 as reported (available = granted + nothing carried in), marked
    line = next(t for t in result.output.splitlines() if "2027*" in t)
    assert f"{spent:,.0f}" in line and f"{granted:,.0f}" in line and f"{water:,.0f}" in line
    assert "实报" in line and "* 实报 reported" in result.output
    # the warning, in Chinese and English, with the year and both figures
    assert f"2027年：实报支出 {spent:,.0f} 万元，低于" in result.output
    assert f"2027: the reported spend, {spent:,.0f} 万元, is below what the year's kept " \
           f"works (done, partly done) cost according to the progress file, " \
           f"{kept_cost:,.0f} 万元" in result.output
    text = " ".join(result.output.split())  # the console wraps lines
    assert "is below what the kept works use" not in text  # water is not short
    # the water above the year's limit, said with both figures and that nothing carries
    assert f"2027年用水超出上限：实报用水 {water:,.0f} 万m³，比当年可用水量 " \
           f"{water_limit:,.0f} 万m³ 多" in text
    assert f"2027 used more water than it had: the reported water use, {water:,.0f} 万m³, is " \
           f"{water - water_limit:,.0f} 万m³" in text
    assert "Water does not carry over from year to year, so the plan for the years ahead " \
           "does not change" in text

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    year = manifest["years"]["2027"]
    assert year["reported"] is True
    # the previous plan's scenario and inputs: the past works are on its criterion scales
    assert "criterion_scales_changed" not in manifest["replan"]
    assert "准则尺度" not in (out / "report.html").read_text(encoding="utf-8")
    assert (year["spend"], year["budget"], year["budget_available"], year["water_use"]) == \
        pytest.approx((spent, granted, granted, water))
    # the years ahead are the model's, with the money really left carried in
    plan = pd.read_csv(out / "plan.csv")
    year_2028 = manifest["years"]["2028"]
    assert year_2028["reported"] is False
    assert year_2028["spend"] == pytest.approx(plan["cost_2028"].sum())
    assert year_2028["budget_available"] == pytest.approx(BUDGET + granted - spent)
    assert year_2028["water_limit"] == pytest.approx(
        plan_2027.plan.years.set_index("year").at[2028, "water_limit"])  # nothing carried
    warnings = manifest["replan"]["warnings"]
    assert len(warnings) == 2 and f"{kept_cost:,.0f}" in warnings[0]["zh"]
    assert warnings[1]["en"].startswith("2027 used more water than it had")

    summary = summary_by_year(out / "priorities.xlsx")
    row = summary.loc[2027]
    assert (row["当年支出(万元)"], row["可用预算(万元)"], row["当年用水(万m³)"]) == \
        pytest.approx((spent, granted, water))
    assert row["约束"] == "往年实报 reported"
    assert summary.loc[2028, "当年支出(万元)"] == pytest.approx(plan["cost_2028"].sum())

    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"2027年：实报支出 {spent:,.0f} 万元" in report
    assert f"{kept_cost:,.0f} 万元. Check the year&#x27;s spend_wan" in report
    assert "2027年用水超出上限" in report
    assert f"2027年：往年，按实报数（actuals）。支出 {spent:,.0f} / 可用 {granted:,.0f} 万元" \
        in report


def test_without_actuals_the_past_years_come_from_the_progress(cycle_region, plan_2027,
                                                               tmp_path) -> None:
    """A 2027 work failed and no actuals: the run table, manifest, 汇总 sheet and report
    showed the model's row of 2027 (the kept works' spend only, available set to what was
    carried on, "money binds"), while replan.history said granted 1,500 and the failed
    work's instalment paid. Now 2027 reads as replan.history counts it, marked recorded."""
    _, _, folder = cycle_region
    chosen = plan_2027.plan.chosen
    progress = all_done(chosen, 2027)
    failed = progress.index[progress["action"] == "karez_protection"][0]
    progress.loc[failed, "status"] = "failed"
    progress.to_csv(tmp_path / "progress.csv", index=False)
    paid = float(chosen.loc[chosen["start_year"] == 2027, "cost_2027"].sum())  # failed incl.
    out = tmp_path / "replan-2028"
    result = replan_2028(plan_2027, tmp_path / "progress.csv", out,
                         parcels=folder / "parcels.gpkg")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    history = manifest["replan"]["history"]["years"][0]
    assert (history["granted_wan"], history["spent_wan"]) == pytest.approx((BUDGET, paid))
    assert history["spent_on_kept_works_wan"] < paid - 1  # the failed work was paid for
    year = manifest["years"]["2027"]
    assert (year["reported"], year["recorded"]) == (False, True)
    assert (year["spend"], year["budget"], year["budget_available"]) == \
        pytest.approx((paid, BUDGET, BUDGET))  # nothing carried into the first year
    assert manifest["replan"]["warnings"] == []
    year_2028 = manifest["years"]["2028"]
    assert (year_2028["reported"], year_2028["recorded"]) == (False, False)
    assert year_2028["budget_available"] == pytest.approx(BUDGET + history["carried_wan"])

    line = next(t for t in result.output.splitlines() if "2027*" in t)
    assert f"{paid:,.0f}" in line and f"{BUDGET:,.0f}" in line and "记录" in line
    assert "money" not in line and "* 记录 recorded" in result.output
    summary = summary_by_year(out / "priorities.xlsx")
    row = summary.loc[2027]
    assert (row["当年支出(万元)"], row["可用预算(万元)"]) == pytest.approx((paid, BUDGET))
    assert row["约束"] == "往年记录 recorded"
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"2027年：往年，按进度表（无实报数）。支出 {paid:,.0f} / 可用 {BUDGET:,.0f} 万元" \
        in report
    assert "2027 按进度表 recorded" in report and "2027 实报" not in report


HISTORY = pd.DataFrame([
    {"year": 2027, "granted_wan": 1000.0, "spent_wan": 900.0, "spent_on_kept_works_wan": 900.0,
     "carried_wan": 100.0, "water_used_wan_m3": 50.0, "water_of_kept_works_wan_m3": 50.0,
     "lake_delivery_wan_m3": 0.0},
    {"year": 2028, "granted_wan": 800.0, "spent_wan": 850.0, "spent_on_kept_works_wan": 870.0,
     "carried_wan": 50.0, "water_used_wan_m3": 40.0, "water_of_kept_works_wan_m3": 60.0,
     "lake_delivery_wan_m3": 0.0}])
MODEL = pd.DataFrame({"year": [2027, 2028, 2029], "budget": [1000.0, 820.0, 1000.0],
                      "spend": [900.0, 870.0, 1040.0], "water_limit": [80.0] * 3,
                      "water_use": [50.0, 60.0, 70.0],
                      "budget_available": [1000.0, 920.0, 1050.0]})


def test_restated_by_hand() -> None:
    """2028 reported (granted 800, spent 850, water 40): available = 800 + the 100 carried
    from 2027; 2027 has no actuals and is restated from the history (granted 1000, spent
    950 where the model's row holds the kept works' 900), recorded; 2029 stays the model's."""
    history = HISTORY.assign(spent_wan=[950.0, 850.0], carried_wan=[50.0, 0.0])
    actuals = {2028: YearActuals(budget_wan=800.0, spend_wan=850.0, water_wan_m3=40.0)}
    years = restate_past_years(MODEL, history, actuals, carry_over=True).set_index("year")
    assert years["reported"].tolist() == [False, True, False]
    assert years["recorded"].tolist() == [True, False, False]
    assert years.loc[2028, ["budget", "spend", "budget_available", "water_use",
                            "water_limit"]].tolist() == [800.0, 850.0, 850.0, 40.0, 80.0]
    assert years.loc[2027, ["budget", "spend", "budget_available", "water_use",
                            "water_limit"]].tolist() == [1000.0, 950.0, 1000.0, 50.0, 80.0]
    assert years.loc[2029].drop(["reported", "recorded"]).tolist() == MODEL.iloc[2, 1:].tolist()
    without = restate_past_years(MODEL.drop(columns="budget_available"), history, actuals,
                                 carry_over=False).set_index("year")
    assert without.loc[2028, "budget"] == 800.0  # no carry-over: available = granted
    assert restate_past_years(MODEL, HISTORY.iloc[:0], {}, carry_over=True) is MODEL


@pytest.mark.parametrize(("spend", "water", "warned"), [
    (850.0, 40.0, ["spend", "water"]),   # both below the kept works' 870 and 60
    (870.0, 60.0, []),                   # equal: no warning
    (869.8, 59.8, []),                   # within the rounding of a report
    (900.0, None, []),                   # above; water not reported
    (None, 59.0, ["water"]),
])
def test_a_warning_only_where_a_report_is_below_the_kept_works(spend, water, warned) -> None:
    actuals = {2028: YearActuals(spend_wan=spend, water_wan_m3=water)}
    found = contradictions(MODEL, HISTORY, actuals)
    kinds = ["spend" if "reported spend" in en else "water" for _, en in found]
    assert kinds == warned
    for zh, en in found:
        assert zh.startswith("2028年：实报") and en.startswith("2028: the reported")
        assert ("870" in en) if "spend" in en else ("60" in en)


@pytest.mark.parametrize(("water", "warned"), [
    ({2028: 100.0}, [2028]),           # 20 above the 80 available
    ({2027: 80.4, 2028: 79.0}, []),    # within a report's rounding, and below
    ({2027: None}, []),                # water not reported
])
def test_water_above_the_year_limit_is_warned_by_hand(water, warned) -> None:
    from pipeline.reported import water_overuses

    found = water_overuses(MODEL, {y: YearActuals(water_wan_m3=w) for y, w in water.items()})
    assert [int(en[:4]) for _, en in found] == warned
    for zh, en in found:
        assert "实报用水 100 万m³，比当年可用水量 80 万m³ 多 20 万m³（25.0%）" in zh
        assert "不结转" in zh and "does not carry over" in en
        assert "is 20 万m³ (25.0%) above the year's water available, 80 万m³" in en


def test_a_year_with_no_money_that_spent_some_is_overspent_without_a_share() -> None:
    """A year granted 0 (actuals allow it) that spent 50: overspent by 50, with no
    percentage of nothing (it divided by zero after the solve)."""
    from pipeline.reported import overspends

    history = pd.DataFrame({"year": [2027, 2028], "granted_wan": [0.0, 100.0],
                            "spent_wan": [50.0, 80.0], "carried_wan": [0.0, 20.0]})
    found = overspends(history, {}, carry_over=True)
    assert len(found) == 1
    zh, en = found[0]
    assert zh.startswith("2027年超支") and "超出当年可用资金 0 万元 50 万元。" in zh
    assert "is 50 万元 above the money the year had, 0 万元." in en


def test_actuals_typed_in_yuan_are_refused_naming_the_cell(cycle_region, plan_2027,
                                                           tmp_path) -> None:
    """2027's money typed in 元 (1600 万元 as 16,000,000) was carried on as money
    available to every later year: a year's money granted or spent beyond the scenario's
    money for the whole horizon (4 × 1500 万元) is refused as a unit mistake, nothing
    written; a spend of exactly that money is not. Water typed in m³ (a stranger's
    3,000,000 against 400 a year) is held against the horizon's water likewise."""
    _, _, folder = cycle_region
    all_done(plan_2027.plan.chosen, 2027).to_csv(tmp_path / "progress.csv", index=False)
    pd.DataFrame([{"year": 2027, "budget_wan": 16_000_000, "spend_wan": 6000}]).to_csv(
        tmp_path / "actuals.csv", index=False)
    out = tmp_path / "replan-2028"
    result = replan_2028(plan_2027, tmp_path / "progress.csv", out, "--actuals",
                         str(tmp_path / "actuals.csv"), parcels=folder / "parcels.gpkg")
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "actuals.csv, row 2 (the header is row 1), " \
           "column 'budget_wan': implausibly large (more than the " \
           f"money for the whole horizon, {4 * BUDGET:,.0f} 万元): check the unit, " \
           "万元 (1 万元 = 10,000 元) (found '16000000')" in text
    assert "column 'spend_wan'" not in text  # 6000 is the horizon's money, not beyond it
    assert not out.exists()
    # a what-if cut is not held against the past: the money the plan had is the yardstick
    result = replan_2028(plan_2027, tmp_path / "progress.csv", out, "--actuals",
                         str(tmp_path / "actuals.csv"), "--budget-scale", "0.05",
                         parcels=folder / "parcels.gpkg")
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert f"whole horizon, {4 * BUDGET:,.0f} 万元): check the unit" in text
    assert "column 'spend_wan'" not in text


def test_a_replan_without_parcels_runs_on_the_previous_results_parcels(
        plan_2027, tmp_path) -> None:
    """After a run on the planner's own parcels, a re-plan without --parcels took the shipped
    Turpan parcels without a word (a stranger's finding): it takes the previous result's and
    says so (the progress file's own mistake then stops it, before any solve); a recorded
    file that is gone is named."""
    from pipeline.replan_previous import PreviousResult, previous_parcels
    from region.files import TURPAN_DIR

    (tmp_path / "progress.csv").write_text("parcel_id,action,start_year,status\n"
                                           "1,enclosure,2027,maybe\n")
    result = replan_2028(plan_2027, tmp_path / "progress.csv", tmp_path / "replan")
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "the previous result's (--parcels to re-plan on others)" in text
    assert "column 'status'" in text and "outside the region" not in text
    shipped = TURPAN_DIR / "parcels.gpkg"
    gone = PreviousResult(tmp_path, pd.DataFrame(), {"inputs": [str(tmp_path / "gone.gpkg")]},
                          pd.DataFrame(), {})
    with pytest.raises(InputError, match="solved on the parcels .*gone.gpkg, which no longer "
                                         "exists: give the parcels to re-plan on"):
        previous_parcels(gone, shipped)
    assert previous_parcels(PreviousResult(tmp_path, pd.DataFrame(), {}, pd.DataFrame(), {}),
                            shipped) == (shipped, None)


def test_the_scales_are_compared_criterion_by_criterion() -> None:
    """Unchanged (to float noise), changed, scored by neither plan, and unknown to an old
    manifest."""
    from pipeline.replan_scales import scale_changes, scale_note

    today = pd.DataFrame({"scale": [2.0 * (1 + 1e-9), 3.0, float("nan"), 5.0]},
                         index=["sand", "bio", "mine", "water"])
    previous = {"sand": 2.0, "bio": 2.5, "mine": None}
    assert scale_changes(previous, today) == {"bio": {"previous": 2.5, "today": 3.0}}
    assert scale_changes(None, today) == {} and scale_note({}, 2028) is None
    note = scale_note(scale_changes(previous, today), 2028)
    assert "biodiversity 2.5 → 3" in note["en"] and "生物多样性维护 2.5 → 3" in note["zh"]


def test_a_works_cost_typed_in_yuan_is_refused_naming_the_cell(plan_2027, tmp_path) -> None:
    """A work's cost_wan_actual typed in 元 (10,000 × its planned whole cost) was solved and
    only warned of afterwards as an overspend of 64,987 % (stranger's F2): more than 100 ×
    the planned whole cost is refused at the door, nothing written; 50 × passes the check."""
    plan = plan_2027.plan.chosen
    progress = all_done(plan, 2027)
    whole = [float(plan.loc[(plan["parcel_id"] == w.parcel_id) & (plan["action"] == w.action),
                            [c for c in plan.columns if c.startswith("cost_")]].sum(axis=1)
                   .iloc[0]) for w in progress.itertuples()]
    assert len(progress) >= 2 and min(whole) > 0
    progress["cost_wan_actual"] = float("nan")
    progress.loc[0, "cost_wan_actual"] = whole[0] * 10_000
    progress.loc[1, "cost_wan_actual"] = whole[1] * 50
    progress.to_csv(tmp_path / "progress.csv", index=False)
    out = tmp_path / "replan-2028"
    result = runner.invoke(app, ["replan", str(plan_2027.out_dir), "--progress",
                                 str(tmp_path / "progress.csv"), "--year", "2028",
                                 "--out", str(out)])
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "progress.csv, row 2 (the header is row 1), column 'cost_wan_actual': " \
           "implausibly large (more than 100 × " \
           "the work's planned whole cost): check the unit, 万元 expected (1 万元 = 10,000 元) " \
           f"(found '{whole[0] * 10_000:,.6g} 万元 for a work planned at {whole[0]:,.1f} 万元')" \
           in text
    assert "row 3 (the header is row 1), column 'cost_wan_actual'" not in text
    assert not out.exists()


def test_a_progress_file_saved_by_excel_in_gbk_is_read_with_a_note(plan_2027, tmp_path) -> None:
    """Excel's plain "CSV" on Chinese Windows writes GBK: such a progress file was refused as
    not UTF-8 (stranger's F7). It is read, with a note; its Chinese statuses are read as the
    codes (only the 元 typed for 万元 is left to refuse, so nothing is solved)."""
    progress = all_done(plan_2027.plan.chosen, 2027).assign(status="已完成", 备注="按计划完成")
    progress["cost_wan_actual"] = float("nan")
    progress.loc[0, "cost_wan_actual"] = 1e12  # refused: the command stops before solving
    path = tmp_path / "进度.csv"
    path.write_bytes(progress.to_csv(index=False).encode("gbk"))
    result = runner.invoke(app, ["replan", str(plan_2027.out_dir), "--progress", str(path),
                                 "--year", "2028", "--out", str(tmp_path / "out"),
                                 "--budget-scale", "70"])
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    # a re-plan on the previous scenario notes a likely slip as validate and run do
    assert "note: --budget-scale 70 multiplies every year's money by 70: did you mean 0.7" \
        in text
    assert "note: 进度.csv: not UTF-8 text; read as GBK (Excel's plain 'CSV' on Chinese " \
           "Windows writes it, e.g. 备注)" in text
    assert text.count("read as GBK") == 1  # read early, then to be checked: said once
    assert "not UTF-8 text (byte" not in text and "column 'status'" not in text
    assert "row 2 (the header is row 1), column 'cost_wan_actual': implausibly large" in text


def test_a_progress_file_that_is_no_text_is_refused_before_the_slow_steps(
        plan_2027, tmp_path, monkeypatch) -> None:
    """A file neither UTF-8 nor GBK (a Latin-1 remark) was refused only after the region was
    loaded and its options built (34 s on Turpan, stranger's F7): now before either."""
    import cli.cycle

    def slow_step(*_args, **_kwargs):
        raise AssertionError("the progress file was read after a slow step")

    monkeypatch.setattr(cli.cycle, "load_region", slow_step)
    monkeypatch.setattr(cli.cycle, "check_inputs", slow_step)
    progress = all_done(plan_2027.plan.chosen, 2027).assign(remark="forêt")
    path = tmp_path / "progress.csv"
    path.write_bytes(progress.to_csv(index=False).encode("latin-1"))
    result = runner.invoke(app, ["replan", str(plan_2027.out_dir), "--progress", str(path),
                                 "--year", "2028", "--out", str(tmp_path / "out")])
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "progress.csv, row 2 (the header is row 1), column 'remark': is not UTF-8 text " \
           "(byte 0xea)" in text
    assert "read as GBK" not in text
    # a GBK file whose first row has a stray comma: the row named, as a UTF-8 file's
    path.write_bytes("parcel_id,action,start_year,status,remark\n1,x,2027,done,多余,\n"
                     .encode("gbk"))
    result = runner.invoke(app, ["replan", str(plan_2027.out_dir), "--progress", str(path),
                                 "--year", "2028", "--out", str(tmp_path / "out")])
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "progress.csv, row 2 (the header is row 1): has 6 fields but the header names " \
           "5 columns (1,x,2027,done," \
           "多余,)" in text
