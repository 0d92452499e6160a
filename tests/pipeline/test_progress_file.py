"""progress.csv as a planner saves it from a spreadsheet: rows cleared at the end (",,,,")
are not works, and a blank cell is named as one, not as 'nan'."""

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
