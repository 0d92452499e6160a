"""Two successive re-plans on the small cycle region (autumn 2027 → 2028, then autumn 2028 →
2029). The second re-plan charged the works that failed in 2027 their 2028 instalments
(their failed state came from the first re-plan's progress.csv, and every past year was
paid as planned), so 2028 read as spending more than it had, carried nothing, and the
overspend vanished without a word; a kept work's recorded cost was spread over 2028 as well.
Now: a failed work is paid in no year after the re-plan that recorded it, a past year's spend
is what the works it paid cost, and a past year that overspent is said."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.replan import replan
from pipeline.run import run_scenario
from region.scenario_toml import load_scenario
from solve import app

runner = CliRunner()
BUDGET = 1500.0  # the cycle scenario's money per year, carried over
PAIR = ["parcel_id", "action"]


def all_done(plan: pd.DataFrame, year: int) -> pd.DataFrame:
    works = plan.loc[plan["start_year"] == year, ["parcel_id", "action", "start_year"]]
    return works.assign(status="done", cost_wan_actual=np.nan).reset_index(drop=True)


def row_of(table: pd.DataFrame, work: pd.Series) -> pd.Series:
    return (table["parcel_id"] == work["parcel_id"]) & (table["action"] == work["action"])


#: The cycle scenario with works paid over two years started in 2027 (degraded-forest repair:
#: cost_years 2), which its plan does not choose on its own.
TWO_YEAR_WORKS = """
[[targets]]
name = "forest repair on 4 parcels by 2027"
measure = "count"
minimum = 4
by_year = 2027
action = "forest_repair"
"""


def test_failed_works_are_paid_in_no_later_year_and_an_overspent_year_is_said(
        cycle_region, tmp_path) -> None:
    region, _, folder = cycle_region
    text = (folder / "cycle.toml").read_text(encoding="utf-8")
    (tmp_path / "two-year.toml").write_text(
        text.replace("[corridors]", TWO_YEAR_WORKS + "[corridors]"), encoding="utf-8")
    plan_2027 = run_scenario(region, load_scenario(tmp_path / "two-year.toml"),
                             tmp_path / "plan-2027")
    first = plan_2027.plan.chosen
    with_later = first[(first["start_year"] == 2027) & (first["cost_2028"] > 0)]
    assert len(with_later) >= 3  # works paid over 2027 and 2028
    failed, costed = with_later.iloc[:2], with_later.iloc[2]

    # autumn 2027: two works failed; one cost less than planned in 2027
    progress = all_done(first, 2027)
    progress.loc[progress.set_index(PAIR).index.isin(failed.set_index(PAIR).index),
                 "status"] = "failed"
    paid_2027 = round(0.8 * costed["cost_2027"], 2)
    progress.loc[row_of(progress, costed), "cost_wan_actual"] = paid_2027
    progress.to_csv(tmp_path / "progress-2027.csv", index=False)
    r2028 = tmp_path / "replan-2028"
    replan(region, plan_2027.out_dir, tmp_path / "progress-2027.csv", 2028, out_dir=r2028)
    plan_2028 = pd.read_csv(r2028 / "plan.csv")
    carried_2027 = json.loads((r2028 / "manifest.json").read_text(encoding="utf-8"))[
        "replan"]["history"]["years"][0]["carried_wan"]

    # autumn 2028: every 2028 work done, one of them dearer, so that 2028 spent 300 more
    # than the money it had
    available_2028 = BUDGET + carried_2027
    progress_2028 = all_done(plan_2028, 2028)
    dear = progress_2028.iloc[0]
    planned = float(plan_2028.loc[row_of(plan_2028, dear), "cost_2028"].iat[0])
    excess = 300.0
    dear_paid = planned + available_2028 - plan_2028["cost_2028"].sum() + excess
    progress_2028.loc[0, "cost_wan_actual"] = dear_paid
    progress_2028.to_csv(tmp_path / "progress-2028.csv", index=False)
    r2029 = tmp_path / "replan-2029"
    result = runner.invoke(app, ["replan", str(r2028), "--progress",
                                 str(tmp_path / "progress-2028.csv"), "--year", "2029",
                                 "--out", str(r2029), "--parcels", str(folder / "parcels.gpkg")])
    assert result.exit_code == 0, result.output
    plan_2029 = pd.read_csv(r2029 / "plan.csv")
    paid_rows = plan_2029[plan_2029["status"].isin(["failed", "cancelled"])]
    plan_2029 = plan_2029[~plan_2029["status"].isin(["failed", "cancelled"])]
    manifest = json.loads((r2029 / "manifest.json").read_text(encoding="utf-8"))
    history = {y["year"]: y for y in manifest["replan"]["history"]["years"]}

    # the failed works: not in the plan at their old start, and paid in 2027 only (their
    # 2028 instalments would have been charged on top of the works 2028 paid)
    for work in failed.itertuples():
        assert not ((plan_2029["parcel_id"] == work.parcel_id)
                    & (plan_2029["action"] == work.action)
                    & (plan_2029["start_year"] == 2027)).any()
    failed_2027 = float(failed["cost_2027"].sum())
    assert failed["cost_2028"].sum() > 1.0
    # every year's spend is the works it paid: plan.csv's, plus the failed works' 2027
    # instalments (they are in no plan row)
    spend = {int(y): v["spend"] for y, v in manifest["years"].items()}
    assert spend[2027] == pytest.approx(plan_2029["cost_2027"].sum() + failed_2027)
    # plan.csv lists those payments as rows of their own: its 2027 rows add up to the spend
    assert paid_rows["cost_2027"].sum() == pytest.approx(failed_2027)
    assert history[2027]["spent_wan"] == pytest.approx(spend[2027])
    for year in (2028, 2029, 2030):
        assert spend[year] == pytest.approx(plan_2029[f"cost_{year}"].sum()), year
    # 2028 paid the works done then and the later instalments of the works kept from 2027
    assert spend[2028] == pytest.approx(plan_2028["cost_2028"].sum() - planned + dear_paid)
    assert spend[2028] == pytest.approx(available_2028 + excess)
    # a kept work's recorded cost is its 2027 payment; its 2028 instalment stays as planned
    kept = plan_2029[row_of(plan_2029, costed)].iloc[0]
    assert (kept["cost_2027"], kept["cost_2028"]) == pytest.approx(
        (paid_2027, costed["cost_2028"]))
    dear_row = plan_2029[row_of(plan_2029, dear)].iloc[0]
    assert dear_row["cost_2028"] == pytest.approx(dear_paid)

    # the overspent year is said: manifest, command line, report; nothing carried into 2029
    year_2028 = manifest["years"]["2028"]
    assert year_2028["budget_available"] == pytest.approx(available_2028)
    assert history[2028]["carried_wan"] == 0.0
    assert manifest["years"]["2029"]["budget_available"] == pytest.approx(BUDGET)
    warnings = manifest["replan"]["warnings"]
    assert len(warnings) == 1, warnings
    zh, en = warnings[0]["zh"], warnings[0]["en"]
    assert zh.startswith(f"2028年超支：进度表所列工程当年的支付 {spend[2028]:,.0f} 万元，"
                         f"超出当年可用资金 {available_2028:,.0f} 万元 {excess:,.0f} 万元")
    assert en.startswith(f"2028 overspent: what the progress file's works were paid that "
                         f"year, {spend[2028]:,.0f} 万元, is {excess:,.0f} 万元")
    assert "not carried as a debt: 2029 has 0 carried in" in en
    text = " ".join(result.output.split())
    assert f"注意 Warning: {zh}" in text and en in text
    assert f"结转 carried on 0 万元 (超支 overspent {excess:,.0f} 万元" in text
    report = (r2029 / "report.html").read_text(encoding="utf-8")
    assert zh in report and f"超支 overspent {excess:,.0f} 万元" in report

    # the next year's works on the command line: counties by name, not code
    works = result.output[result.output.index("2029: works to start"):
                          result.output.index("Against the previous plan")]
    assert "鄯善县" in works and "6504" not in works
