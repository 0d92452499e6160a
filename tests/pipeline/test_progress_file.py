"""progress.csv as a planner saves it from a spreadsheet: rows cleared at the end (",,,,")
are not works, and a blank cell is named as one, not as 'nan'."""

import shutil

import pandas as pd
from typer.testing import CliRunner

from solve import app

runner = CliRunner()


def test_cleared_rows_at_the_end_are_ignored_and_blanks_are_named(cycle_region, plan_2027,
                                                                  tmp_path) -> None:
    _, _, folder = cycle_region
    plan = plan_2027.plan.chosen
    works = plan.loc[plan["start_year"] == 2027, ["parcel_id", "action", "start_year"]]
    works = works.assign(status="done", area_km2_done="").reset_index(drop=True)
    works.loc[1, "status"] = "部分完成"  # partly done, the area treated not filled in
    text = works.to_csv(index=False) + ",,,,\n" * 3 + " , , , ,\n"
    (tmp_path / "progress.csv").write_text(text, encoding="utf-8-sig")
    out = tmp_path / "out"
    result = runner.invoke(app, ["replan", str(plan_2027.out_dir), "--progress",
                                 str(tmp_path / "progress.csv"), "--year", "2028", "--out",
                                 str(out), "--parcels", str(folder / "parcels.gpkg")])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "1 problem(s)" in said
    assert "progress.csv, row 3 (the header is row 1), " \
           "column 'area_km2_done': a partial work needs the area " \
           "treated (km²) (found a blank cell)" in said
    assert "nan" not in said and not out.exists()


def one_problem(result, said: str) -> None:
    """The re-plan stopped on ``said``, its only problem: every other row was read."""
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "1 problem(s)" in text and said in text, result.output


def test_the_template_and_the_priority_list_are_read_back(cycle_region, plan_2027,
                                                          tmp_path) -> None:
    """Round trips: the template's status (written 'done' while the lists print 已完成 done)
    is written by both names and read back; a progress file made from priorities.csv's 2027
    new starts keeps its bilingual headers and cells (地块编号 Parcel ID, 措施 Action: 封育
    enclosure / natural recovery, 开工年 Start year, 状态 Status). One row of each is made
    partly done without its area, so the re-plan stops before solving on that row alone."""
    _, _, folder = cycle_region
    parcels = ["--parcels", str(folder / "parcels.gpkg")]
    template = tmp_path / "template.csv"
    command = ["replan", str(plan_2027.out_dir), "--year", "2028", "--progress",
               str(template), *parcels]
    written = runner.invoke(app, [*command, "--template"])
    assert written.exit_code == 0, written.output
    table = pd.read_csv(template, encoding="utf-8-sig")
    assert set(table["status"]) == {"已完成 done"}
    table.loc[1, "status"] = "部分完成 partly done"
    table.to_csv(template, index=False)
    one_problem(runner.invoke(app, [*command, "--out", str(tmp_path / "a")]),
                "row 3 (the header is row 1), column 'area_km2_done': a partial work needs the "
                "area treated")

    lists = pd.read_csv(plan_2027.out_dir / "priorities.csv", encoding="utf-8-sig")
    starts = lists[(lists["年度 Year"] == 2027) & (lists["类型 Entry"] == "新开工 new start")]
    progress = starts[["地块编号 Parcel ID", "措施 Action", "开工年 Start year"]].assign(
        **{"状态 Status": "已完成 done"}).reset_index(drop=True)
    assert progress["措施 Action"].str.contains("封育 enclosure / natural recovery").any()
    progress.loc[2, "状态 Status"] = "部分完成 partly done"
    progress.to_csv(tmp_path / "from-lists.csv", index=False, encoding="utf-8-sig")
    command[5] = str(tmp_path / "from-lists.csv")
    one_problem(runner.invoke(app, [*command, "--out", str(tmp_path / "b")]),
                "row 4 (the header is row 1), column 'area_km2_done': a partial work needs the "
                "area treated")


def test_a_previous_folders_hand_edited_progress_is_read_as_the_progress_file(
        plan_2027, tmp_path) -> None:
    """A re-plan's folder keeps the facts so far in its progress.csv (status, status_zh),
    which the next re-plan reads: edited by hand to 完成 or 失败 they were kept as typed (a
    work neither kept nor lapsed), and new = 否 read as true. They are read as the --progress
    file is; a status of none, or a status_zh that says another status than status (either
    may be the one edited), is refused with its row."""
    from pipeline.replan_previous import read_previous

    previous = tmp_path / "plan-2028"
    previous.mkdir()
    for name in ("plan.csv", "manifest.json"):
        shutil.copy(plan_2027.out_dir / name, previous / name)
    plan = plan_2027.plan.chosen
    works = plan.loc[plan["start_year"] == 2027, ["parcel_id", "action", "start_year"]] \
        .head(3).reset_index(drop=True)
    facts = works.assign(status=["完成", "失败", "部分完成 partly done"],
                         status_zh=["已完成", "失败", ""], area_km2_done=[None, None, 0.1],
                         cost_wan_actual=None, new=["否", "false", "是"], reported_for=2028)
    facts.to_csv(previous / "progress.csv", index=False, encoding="utf-8-sig")
    read = read_previous(previous).facts
    assert read["status"].tolist() == ["done", "failed", "partial"]
    assert read["new"].tolist() == [False, False, True]
    template = tmp_path / "progress.csv"
    command = ["replan", str(previous), "--year", "2029", "--progress", str(template),
               "--template"]
    written = runner.invoke(app, command)  # the works recorded are not asked for again
    assert written.exit_code == 0, written.output
    asked = pd.read_csv(template, encoding="utf-8-sig")
    assert not len(asked.merge(works)) and len(asked) == (plan["start_year"] < 2029).sum() - 3

    facts.assign(status=["完成", "done", "丢失"]).to_csv(previous / "progress.csv",
                                                     index=False)
    template.unlink()
    refused = runner.invoke(app, command)
    said = " ".join(refused.output.split())
    assert refused.exit_code == 2 and not template.exists(), refused.output
    assert "progress.csv, row 3 (the header is row 1), column 'status_zh': says another " \
           "status than the status " \
           "column: make them agree (status is the one read) (found '失败')" in said
    assert "progress.csv, row 4 (the header is row 1), column 'status': expected one of " \
           "done, partial, failed, " \
           "cancelled (or 已完成, 部分完成, 失败, 取消, 完成) (found '丢失')" in said
