"""A re-plan's recorded year adds up in every file, and its changes agree with each other
(review findings 3 and 4): the failed and cancelled works' paid instalments are rows of
plan.csv, priorities.csv and the year sheet, so the year's sums equal its recorded spend in
the run table, manifest, both CSVs and priorities.xlsx; the recorded year's sheet is a
record with a status column; a drop and an add on one parcel are one *replaced* row; a
dropped water-saving work is not said to free water. Through the CLI, on the cycle region
(tests/pipeline/conftest.py)."""

import json
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pipeline.replan_reasons import announced_reasons
from solve import app

runner = CliRunner()
FUNDS_DUE = "当年资金需求(万元) Funds due in the year (10k CNY)"
PAID_ENTRY = "失败/取消 已支付 failed/cancelled, paid"
CANCELLED_PAID = 50.0  # 万元 the bureau reports paid on the cancelled work


def _replan(previous, folder, progress: pd.DataFrame, tmp_path, year: int = 2028,
            name: str = "replan"):
    progress.to_csv(tmp_path / f"progress-{name}.csv", index=False)
    out = tmp_path / name
    result = runner.invoke(app, ["replan", str(previous), "--progress",
                                 str(tmp_path / f"progress-{name}.csv"), "--year", str(year),
                                 "--out", str(out), "--parcels",
                                 str(folder / "parcels.gpkg")])
    assert result.exit_code == 0, result.output
    return out, result


def _sheet_figures(path, year: int) -> tuple[str, list[str], float, list[tuple]]:
    """The year sheet's title, its header, the sum of the 当年资金需求 column over every
    entry row (new starts, continuing works, paid failed/cancelled works: total rows left
    out) and the entry rows (status, parcel)."""
    ws = load_workbook(path)[f"{year}年"]
    title = ws["A1"].value
    header = [str(c.value).split("\n")[0] for c in ws[2]]
    total, entries, columns = 0.0, [], None
    for row in ws.iter_rows(min_row=2, values_only=True):
        cells = [str(v).split("\n")[0] if isinstance(v, str) else v for v in row]
        if "当年资金需求(万元)" in cells:  # a table's header row
            columns = {name: k for k, name in enumerate(cells) if name is not None}
            continue
        if columns is None or row[0] is None or str(row[0]).startswith("合计"):
            continue
        due = row[columns["当年资金需求(万元)"]]
        if isinstance(due, (int, float)):
            total += due
            status = row[columns["状态"]] if "状态" in columns else None
            entries.append((status, row[columns["地块编号"]]))
    return title, header, total, entries


def test_recorded_year_adds_up_in_every_file(cycle_region, plan_2027, tmp_path) -> None:
    _, _, folder = cycle_region
    chosen = plan_2027.plan.chosen
    works = chosen.loc[chosen["start_year"] == 2027].reset_index(drop=True)
    progress = works[["parcel_id", "action", "start_year"]].assign(
        status="done", cost_wan_actual=np.nan, area_km2_done=np.nan)
    progress.loc[0, "status"] = "failed"
    progress.loc[1, ["status", "cost_wan_actual"]] = ["cancelled", CANCELLED_PAID]
    progress.loc[2, ["status", "area_km2_done"]] = ["partial", works.at[2, "area_km2"] / 2]
    failed_paid = float(works.at[0, "cost_2027"])  # a failed work pays as planned
    out, result = _replan(plan_2027.out_dir, folder, progress, tmp_path)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    spend = manifest["years"]["2027"]["spend"]
    history = manifest["replan"]["history"]["years"][0]
    # the failed and cancelled works were paid: the kept works alone do not make the spend
    assert spend == pytest.approx(history["spent_on_kept_works_wan"] + failed_paid
                                  + CANCELLED_PAID)
    line = next(t for t in result.output.splitlines() if "2027*" in t)
    assert f"{spend:,.0f}" in line

    plan = pd.read_csv(out / "plan.csv")
    assert plan["cost_2027"].sum() == pytest.approx(spend)
    paid = plan[plan["status"].isin(["failed", "cancelled"])].set_index("parcel_id")
    assert paid.loc[works.at[0, "parcel_id"], "status"] == "failed"
    assert paid.loc[works.at[0, "parcel_id"], "cost_2027"] == pytest.approx(failed_paid)
    assert paid.loc[works.at[1, "parcel_id"], "cost_2027"] == pytest.approx(CANCELLED_PAID)
    assert (paid[["area_km2", "value", "cost_2028"]] == 0).all().all()  # money, no work
    assert paid["work_id"].notna().all()  # filed under its key work as the works are (W3)
    # plan.gpkg maps the works only: a paid row is no parcel of the plan
    layer = gpd.read_file(out / "plan.gpkg")
    assert len(layer) == len(plan) - len(paid)
    assert not layer["status"].isin(["failed", "cancelled"]).any()
    statuses = plan.set_index("parcel_id")["status"]
    assert statuses[works.at[2, "parcel_id"]] == "partial"
    assert statuses[works.at[3, "parcel_id"]] == "done"

    lists = pd.read_csv(out / "priorities.csv")
    in_2027 = lists[lists["年度 Year"] == 2027]
    assert in_2027[FUNDS_DUE].sum() == pytest.approx(spend, abs=1e-4)
    assert set(in_2027.loc[in_2027["类型 Entry"] == PAID_ENTRY, "状态 Status"]) == \
        {"失败 failed", "取消 cancelled"}
    # a recorded year's works are a record, not ranked (stranger's F10); the years ahead are
    starts = lists[lists["类型 Entry"] == "新开工 new start"]
    record, ahead = starts[starts["年度 Year"] == 2027], starts[starts["年度 Year"] == 2028]
    assert len(record) and record["优先序 Rank"].isna().all()
    assert record["入选理由 Reason"].str.contains("2027年实施记录（不排序）").all()
    assert not record["入选理由 Reason"].str.contains(r"第 \d+/\d+ 位|ranked \d").any()
    assert ahead["优先序 Rank"].tolist() == list(range(1, len(ahead) + 1))
    assert ahead["入选理由 Reason"].str.contains("居2028年第 ").all()
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "2027年实施记录（不排序）" in report and "居2027年第" not in report
    assert "居2028年第 1/" in report
    for year in (2028, 2029, 2030):  # the years ahead add up as before
        assert lists.loc[lists["年度 Year"] == year, FUNDS_DUE].sum() == \
            pytest.approx(manifest["years"][str(year)]["spend"], abs=1e-4)

    title, header, total, entries = _sheet_figures(out / "priorities.xlsx", 2027)
    assert title == "2027年度 实施记录 Record 2027" and header[0] == "状态"
    assert total == pytest.approx(spend, abs=1e-3)
    assert ("失败 failed", works.at[0, "parcel_id"]) in entries
    assert ("部分完成 partly done", works.at[2, "parcel_id"]) in entries
    title_2028, header_2028, _, _ = _sheet_figures(out / "priorities.xlsx", 2028)
    assert title_2028.startswith("2028年度生态修复优先项目清单") and "状态" not in header_2028

    note = (out / "数据说明_README.txt").read_text(encoding="utf-8-sig")
    assert "a past year's rows add up to its recorded spend too" in note

    # the next re-plan reads plan.csv's works, not the paid rows (progress.csv has them)
    ahead = plan[(plan["start_year"] == 2028)][["parcel_id", "action", "start_year"]]
    out_2029, _ = _replan(out, folder, ahead.assign(status="done"), tmp_path, 2029, "r2029")
    again = json.loads((out_2029 / "manifest.json").read_text(encoding="utf-8"))
    assert again["years"]["2027"]["spend"] == pytest.approx(spend)
    assert pd.read_csv(out_2029 / "plan.csv")["cost_2027"].sum() == pytest.approx(spend)


def test_a_drop_and_an_add_on_one_parcel_are_replaced_rows(cycle_region, plan_2027,
                                                           tmp_path) -> None:
    """The previous plan's 2029 work on a parcel is an action the catalogue does not allow
    there (hand-edited): the re-plan drops it and, money and rules unchanged, gives the
    parcel its best action again. changes.csv marks both rows replaced, each naming the
    other (pipeline/work_pairs.py), not an unrelated drop and add."""
    _, _, folder = cycle_region
    previous = tmp_path / "previous"
    previous.mkdir()
    for name in ("manifest.json",):
        (previous / name).write_bytes((plan_2027.out_dir / name).read_bytes())
    plan = pd.read_csv(plan_2027.out_dir / "plan.csv")
    row = plan.index[(plan["start_year"] == 2029) & (plan["action"] == "sand_barrier")][0]
    parcel, action = int(plan.at[row, "parcel_id"]), plan.at[row, "action"]
    plan.loc[row, ["action", "action_zh", "action_en"]] = \
        ["wetland_enclosure", "湿地封育保护", "wetland enclosure / natural recovery"]
    plan.to_csv(previous / "plan.csv", index=False, encoding="utf-8-sig")
    done = plan.loc[plan["start_year"] == 2027, ["parcel_id", "action", "start_year"]]
    out, result = _replan(previous, folder, done.assign(status="done"), tmp_path)

    changes = pd.read_csv(out / "changes.csv").set_index(["parcel_id", "action"])
    dropped, added = changes.loc[(parcel, "wetland_enclosure")], changes.loc[(parcel, action)]
    assert (dropped["change"], dropped["replaced_with"]) == ("replaced", action)
    assert (added["change"], added["replaced_with"]) == ("replaced", "wetland_enclosure")
    assert "现行目录不再允许" in dropped["reason_zh"]  # why the old work went
    # the manifest counts the announced works as changes.csv does: replaced, not dropped
    # (it counted the optimizer's fate, which knows no replacement)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    announced = changes[changes["previous_start"] >= 2028]
    assert manifest["replan"]["announced_changes"] == {
        kind: int((announced["change"] == kind).sum())
        for kind in ("kept", "moved", "resized", "dropped", "replaced")}
    assert manifest["replan"]["announced_changes"]["replaced"] == 1
    assert "replaced by 1 other action(s)" in " ".join(result.output.split())
    # the console says what its count counts
    assert "works announced for 2028 on (past works not counted), the fewest that any " \
           "plan meeting every rule must move or drop" in " ".join(result.output.split())


def test_a_dropped_water_saving_work_is_not_said_to_free_water(cycle_region) -> None:
    """The reason of an announced work dropped to make room: money and water for most
    works, money only for a water-saving one (its credited saving is lost)."""
    region, scenario, _ = cycle_region
    works = pd.DataFrame({"parcel_id": [1, 2], "action": ["water_saving_irrigation",
                                                          "enclosure"],
                          "start_year": [2029, 2029]})
    formulation = SimpleNamespace(
        announced=SimpleNamespace(works=works, option=np.array([0, 1])),
        facts=pd.DataFrame(columns=["parcel_id", "action", "status"]),
        conflicts={-1: ["target[karez on 8 parcels by 2030]"]}, record={},
        former=pd.DataFrame())
    reasons = announced_reasons(formulation, scenario, region)
    saving_zh, saving_en = reasons[(1, "water_saving_irrigation", 2029)]
    other_zh, other_en = reasons[(2, "enclosure", 2029)]
    assert "水量" in other_zh and "money and water" in other_en
    assert "腾出资金（节水措施：其节水量随之失去，并不腾出水量）" in saving_zh
    assert "its saving is lost, no water is freed" in saving_en
    assert "money and water" not in saving_en
