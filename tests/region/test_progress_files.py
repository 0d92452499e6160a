"""progress.csv and actuals.csv as a planner writes them by hand: a misspelt column or a
row longer than the header is named, never silently ignored or shifted."""

import dataclasses
import warnings

import pandas as pd
import pytest

from region.errors import InputError
from region.progress import ProgressContext, read_actuals, read_progress
from region.validate import read_csv_table

KEY = ["parcel_id", "action", "start_year"]


def problems_of(call) -> list[str]:
    with pytest.raises(InputError) as caught:
        call()
    return [str(p) for p in caught.value.problems]


def enclosure_context(parcels: list[int], options: list[int] | None = None,
                      planned: list[int] | None = None) -> ProgressContext:
    """The 2028 re-plan of a plan first made for 2027, over ``parcels``, whose one action is
    enclosure (5 km² a parcel): ``options`` the parcels it may go on and ``planned`` those
    the previous plan started it on in 2027 (both every parcel unless given)."""
    options = parcels if options is None else options
    planned = parcels if planned is None else planned
    return ProgressContext(
        parcel_ids=frozenset(parcels), action_codes=frozenset({"enclosure"}),
        options=pd.DataFrame({"parcel_id": options, "action": "enclosure", "area_km2": 5.0}),
        planned=pd.DataFrame({"parcel_id": planned, "action": "enclosure", "start_year": 2027}),
        recorded=pd.DataFrame(columns=KEY), chains=frozenset(), year=2028, first_year=2027)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_actuals_with_misspelt_columns_are_refused_not_ignored(tmp_path) -> None:
    """'budget' and 'spend' instead of budget_wan and spend_wan: the re-plan used to run
    as if no actuals were given, the planner's reported money dropped without a word."""
    path = write(tmp_path, "actuals.csv", "year,budget,spend\n2027,20000,18500\n")
    problems = problems_of(lambda: read_actuals(path, 2028, 2027))
    assert any("column 'budget': unknown column (did you mean 'budget_wan'?)" in p
               for p in problems)
    assert any("column 'spend': unknown column (did you mean 'spend_wan'?)" in p
               for p in problems)
    assert any("has none of the columns budget_wan, spend_wan, water_wan_m3" in p
               for p in problems)


def test_actuals_row_with_a_thousands_separator_is_named(tmp_path) -> None:
    """'18,500' unquoted: pandas read the year as the index and shifted every figure one
    column right, so the error blamed column 'year' for the value 20000."""
    path = write(tmp_path, "actuals.csv",
                 "year,budget_wan,spend_wan,water_wan_m3\n2027,20000,18,500,4200\n")
    problems = problems_of(lambda: read_actuals(path, 2028, 2027))
    assert problems == [p for p in problems if "actuals.csv, row 2 (the header is row 1): "
                                               "has 5 fields but the header names 4 columns"
                                               in p]
    assert len(problems) == 1 and "(2027,20000,18,500,4200)" in problems[0]  # the row itself


def test_rows_are_said_as_a_spreadsheet_numbers_them(tmp_path) -> None:
    """A stranger read "row 1" for the first data row (line 2 of the file) and could not
    tell whether the header counted: every reader says the row a spreadsheet shows, the
    header being row 1, which is the file's line; a GIS layer (no header) counts its
    features from 1, a Marxan table without a header its lines."""
    from region.errors import row_label

    text = "year,budget_wan\n2027,100\n2026,100\n"
    path = write(tmp_path, "actuals.csv", text)
    [problem] = problems_of(lambda: read_actuals(path, 2028, 2027))
    assert problem.startswith("actuals.csv, row 3 (the header is row 1), column 'year': "
                              "expected a past year, 2027-2027 (found '2026')"), problem
    assert text.splitlines()[3 - 1] == "2026,100"  # line 3 of the file
    assert row_label(1, "parcels.gpkg") == "row 1"
    assert row_label(1, "bound.dat", header=False) == "row 1"
    assert row_label(1, "pu.dat") == "row 2 (the header is row 1)"


def test_a_remarks_column_is_kept_out_of_the_way(tmp_path) -> None:
    path = write(tmp_path, "actuals.csv", "year,budget_wan,备注\n2027,20000,拨款推迟\n")
    actuals = read_actuals(path, 2028, 2027)
    assert actuals[2027].budget_wan == 20000.0 and actuals[2027].spend_wan is None


def test_progress_with_a_misspelt_cost_column_is_refused(tmp_path) -> None:
    context = enclosure_context([1])
    path = write(tmp_path, "progress.csv", "parcel_id,action,start_year,action_zh,status,"
                                           "cost_actual\n1,enclosure,2027,封育,done,99\n")
    problems = problems_of(lambda: read_progress(path, context))
    assert problems == ["progress.csv, column 'cost_actual': unknown column (did you mean "
                        "'cost_wan_actual'?): expected parcel_id, action, start_year, status, "
                        "area_km2_done, cost_wan_actual, new; its figures would be ignored"]
    path.write_text("parcel_id,action,start_year,action_zh,status,cost_wan_actual\n"
                    "1,enclosure,2027,封育,done,99\n", encoding="utf-8")
    assert read_progress(path, context)["cost_wan_actual"].tolist() == [99.0]


def test_every_row_longer_than_the_header_is_named(tmp_path) -> None:
    path = write(tmp_path, "t.csv", "a,b\n1,2,\n\n3,4,\n")  # stray commas at the ends
    problems = problems_of(lambda: read_csv_table(path))
    assert [p.split(":")[0] for p in problems] == ["t.csv, row 2 (the header is row 1)"
                                                   "", "t.csv, row 3 (the header is row 1)"]
    assert read_csv_table(path, index_col=False).shape == (2, 2)  # asked for: the caller's


def test_statuses_in_chinese_are_the_codes_the_tool_prints_them_as(tmp_path) -> None:
    """完成/部分完成/失败/取消 were refused ("expected one of ['done', …]") although the tool
    prints those names (changes.csv): they are read as done/partial/failed/cancelled."""
    context = enclosure_context([1, 2, 3, 4, 5])
    path = write(tmp_path, "progress.csv", "parcel_id,action,start_year,status,area_km2_done\n"
                                           "1,enclosure,2027,完成,\n2,enclosure,2027,部分完成,2.5\n"
                                           "3,enclosure,2027,失败,\n4,enclosure,2027, 取消 ,\n"
                                           "5,enclosure,2027,已完成,\n")
    progress = read_progress(path, context)
    assert progress["status"].tolist() == ["done", "partial", "failed", "cancelled", "done"]
    assert progress["area_km2_done"].iat[1] == 2.5
    path.write_text("parcel_id,action,start_year,status\n1,enclosure,2027,丢失\n"
                    "2,enclosure,2027,部分完成\n3,enclosure,2027,done\n4,enclosure,2027,done\n"
                    "5,enclosure,2027,done\n", encoding="utf-8")
    problems = problems_of(lambda: read_progress(path, context))
    assert any("row 2 (the header is row 1), column 'status': expected one of" in p and "丢失" in p
               for p in problems)
    assert any("row 3 (the header is row 1), "
               "column 'area_km2_done': a partial work needs the area" in p
               for p in problems)


def test_a_previous_work_the_catalogue_no_longer_allows_is_a_fact_a_new_one_an_error(
        tmp_path) -> None:
    """A plan made before a catalogue change (e.g. enclosure taken out of a nature reserve)
    holds works that are no longer options: the re-plan builds them as history-only options
    (pipeline/replan_history.py), and their rows are read as any work's; a work of such a
    pair that was not in the plan (new = true) is refused as any the catalogue forbids; a
    planned work with nothing left to treat on its parcel is named as such."""
    context = dataclasses.replace(
        enclosure_context([1, 2, 3], planned=[1, 3]), year=2029,
        options=pd.DataFrame({"parcel_id": [2, 1], "action": "enclosure", "area_km2": 5.0,
                              "history_only": [False, True]}))
    path = write(tmp_path, "progress.csv", "parcel_id,action,start_year,status,new\n"
                                           "1,enclosure,2027,done,false\n"
                                           "2,enclosure,2027,done,true\n"
                                           "3,enclosure,2027,done,false\n"
                                           "1,enclosure,2028,failed,true\n")
    problems = problems_of(lambda: read_progress(path, context))
    assert problems == [
        "progress.csv, row 5 (the header is row 1), "
        "column 'action': this action cannot be applied to this parcel "
        "(its zones, land covers, degradation or places rule it out, see actions.csv) "
        "(found 'enclosure')",
        "progress.csv, row 4 (the header is row 1), "
        "column 'action': the previous plan's work, which leaves nothing "
        "to treat on this parcel now (no area, pending mine or karez for the action's "
        "area_basis, see actions.csv and the parcels file) (found 'enclosure')"], problems


def test_an_action_by_its_chinese_name_and_a_status_in_capitals_are_read(tmp_path) -> None:
    """A row a planner adds names the work as the template's action_zh shows it (封育) and
    Excel may capitalise done: both were refused (unknown action, expected 'done'); the
    status's Chinese names were already read. A name the catalogue does not know still is."""
    context = dataclasses.replace(enclosure_context([1, 2, 3]),
                                  action_names={"封育": "enclosure"})
    path = write(tmp_path, "progress.csv", "parcel_id,action,start_year,status\n"
                                           "1,封育,2027,Done\n2,enclosure,2027,FAILED\n"
                                           "3, 封育 ,2027,已完成\n")
    table = read_progress(path, context)
    assert table["action"].tolist() == ["enclosure"] * 3
    assert table["status"].tolist() == ["done", "failed", "done"]
    path = write(tmp_path, "progress.csv", "parcel_id,action,start_year,status\n"
                                           "1,围栏,2027,done\n2,封育,2027,Finished\n"
                                           "3,封育,2027,done\n")
    problems = problems_of(lambda: read_progress(path, context))
    assert any("row 2 (the header is row 1), column 'action': unknown action" in p and "'围栏'" in p
               for p in problems)
    assert any("row 3 (the header is row 1), "
               "column 'status'" in p and "'Finished'" in p for p in problems)


def test_a_row_with_a_wrong_action_is_one_problem_not_also_an_unreported_work(
        tmp_path) -> None:
    """Reviewer: a row whose action is wrong (unknown, or another than the plan's) was named,
    and the previous plan's work it reports was named again as "no progress for the previous
    plan's work". One problem, one message; a work no row reports is still named."""
    context = enclosure_context([1, 2, 3])
    afforestation = pd.DataFrame({"parcel_id": [2], "action": "afforestation", "area_km2": 5.0})
    context = dataclasses.replace(context, options=pd.concat([context.options, afforestation]),
                                  action_codes=frozenset({"enclosure", "afforestation"}))
    path = write(tmp_path, "progress.csv", "parcel_id,action,start_year,status\n"
                                           "1,enclosur,2027,done\n2,afforestation,2027,done\n")
    problems = problems_of(lambda: read_progress(path, context))
    assert len(problems) == 3, problems
    assert "row 2 (the header is row 1), column 'action': unknown action" in problems[0]
    assert "row 3 (the header is row 1), column 'new': not in the previous plan" in problems[1]
    assert problems[2] == ("progress.csv: no progress for the previous plan's work: parcel 3, "
                           "enclosure, started 2027 (add a row with its status)")


def test_a_progress_file_with_no_rows_says_what_is_missing_without_a_pandas_warning(
        tmp_path) -> None:
    """A header and no rows (or a header and blank lines): the 'or' of booleans with text
    pandas deprecates leaked four times as a note; the planned works are named unreported."""
    context = enclosure_context([1, 2])
    for body in ("", "\n,,,\n"):
        path = write(tmp_path, "progress.csv", "parcel_id,action,start_year,status" + body)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            problems = problems_of(lambda p=path: read_progress(p, context))
        assert problems == [f"progress.csv: no progress for the previous plan's work: parcel "
                            f"{parcel}, enclosure, started 2027 (add a row with its status)"
                            for parcel in (1, 2)]


def test_chinese_headers_are_listed_to_rename_and_the_templates_names_are_not_misspelt(
        tmp_path) -> None:
    """地块编号, 措施, 开始年份, 状态 beside the template's action_zh and action_en: the
    missing columns were named, action_zh taken for a misspelt 'action', and the file's own
    headers not shown beside the names to use. 地块编号, 措施 and 状态 head our columns in
    the priority lists and are read (next test); 开始年份 (the lists write 开工年) is not."""
    context = enclosure_context([1])
    path = write(tmp_path, "progress.csv", "地块编号,措施,开始年份,action_zh,action_en,状态\n"
                                           "1,enclosure,2027,封育,enclosure,已完成\n")
    problems = problems_of(lambda: read_progress(path, context))
    assert [p.split(" (")[0] for p in problems] == [
        "progress.csv: missing column 'start_year'",
        "progress.csv: its columns that are not ours: 开始年份. Rename those that hold ours "
        "to our names: parcel_id, action, start_year, status, area_km2_done, "
        "cost_wan_actual, new"]
    assert not any("did you mean" in p for p in problems)


@pytest.mark.parametrize("headers", [
    "地块编号 Parcel ID,措施 Action,开工年 Start year,状态 Status",  # priorities.csv's
    "地块编号,措施,开工年,状态", "parcel id, ACTION ,Start Year,Status"])
def test_the_priority_lists_headers_and_cells_are_read(tmp_path, headers) -> None:
    """A planner reports on the rows of priorities.csv: its headers (地块编号 Parcel ID …,
    or either name alone) were listed as 'not ours' and its cells (封育 enclosure / natural
    recovery, 已完成 done) refused; they are read as our columns, codes and statuses."""
    from region.action_names import action_codes_by_name

    catalogue = pd.DataFrame({"code": ["enclosure"], "name_zh": ["封育"],
                              "name_en": ["enclosure / natural recovery"]})
    context = dataclasses.replace(enclosure_context([1, 2, 3]),
                                  action_names=action_codes_by_name(catalogue))
    path = write(tmp_path, "progress.csv", f"{headers},area_km2_done\n"
                                           "1,封育 enclosure / natural recovery,2027,已完成 done,\n"
                                           "2,封育,2027,部分完成  partly done,2.5\n"
                                           "3,enclosure,2027,失败 Failed,\n")
    table = read_progress(path, context)
    assert table["parcel_id"].tolist() == [1, 2, 3]
    assert table["action"].tolist() == ["enclosure"] * 3
    assert table["start_year"].tolist() == [2027] * 3
    assert table["status"].tolist() == ["done", "partial", "failed"]
    path.write_text(path.read_text(encoding="utf-8").replace("失败 Failed", "失败 done"),
                    encoding="utf-8")  # two names saying two things: neither is guessed
    status = headers.split(",")[3]  # the column named as the file heads it
    assert any(f"row 4 (the header is row 1), column '{status}': expected one of" in p
               and "'失败 done'" in p
               for p in problems_of(lambda: read_progress(path, context)))


@pytest.mark.parametrize("yes, no", [("是", "否"), ("TRUE", "false"), ("yes", "")])
def test_new_is_read_as_a_planner_writes_yes_and_no(tmp_path, yes, no) -> None:
    """new = 是 was refused ("expected true/false (found '是')") though statuses are read in
    Chinese; a word that is neither yes nor no still is refused."""
    context = enclosure_context([1, 2, 3], planned=[1, 2])
    path = write(tmp_path, "progress.csv", "parcel_id,action,start_year,status,new\n"
                                           f"1,enclosure,2027,done,{no}\n"
                                           f"2,enclosure,2027,done,{no}\n"
                                           f"3,enclosure,2027,done,{yes}\n")
    assert read_progress(path, context)["new"].tolist() == [False, False, True]
    path.write_text(path.read_text(encoding="utf-8").replace(f",{yes}\n", ",也许\n"),
                    encoding="utf-8")
    problems = problems_of(lambda: read_progress(path, context))
    assert ("progress.csv, row 4 (the header is row 1), "
            "column 'new': expected true/false (yes/no, 1/0, 是/否) "
            "(found '也许')") in problems
