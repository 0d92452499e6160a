"""What the sensitivity report states as findings, and of which plan (findings 11-13 of the
funding reviewer's reading): no factor ranking, robust core or retention when the analysis's
reliability check fails, and the ranking, by bilingual names, when it passes; the base plan
the result folder's when solved from the same inputs, else a fresh solve said to be one,
with why and whether it is the result folder's plan, with both objectives;
works counted as works and parcels as parcels; runs.csv and indices.csv as the lists are
written (UTF-8 with BOM, bilingual headers, a numeric gap, a reliability column)."""

import html
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import typer
from sensitivity_csv import BOM, read_coded
from typer.testing import CliRunner

import sensitivity.runner as runner
from cli.sensitivity import sensitivity
from pipeline.run import run_scenario
from sensitivity.analysis import SensitivityResult
from sensitivity.base_plan import (
    WORK_COLUMNS,
    FolderResult,
    base_lines,
    plan_counts,
    why_not_same_inputs,
)
from sensitivity.names import factor_label
from sensitivity.report import summary_lines
from sensitivity.robustness import selection_frequency, stability

app = typer.Typer()
app.command()(sensitivity)
app.command("noop")(lambda: None)  # two commands: the app keeps the subcommand name

RANKING = ("对总效益影响最大的因素", "Most influential on the total benefit")
CORE = ("稳健核心：", "Robust core: ")
RETENTION = ("首年清单中位保留", "The first-year list keeps a median")
WITHHELD = ("不作为结论给出", "are not stated as findings")


def summary_of(out: Path) -> str:
    """The report's 结论 Summary list, as text."""
    page = (out / "report.html").read_text(encoding="utf-8")
    start = page.index("<h2>结论 Summary</h2>")
    return page[start:page.index("</ul>", start)]


def oat_scenario(folder: Path, path: Path) -> Path:
    """The tiny scenario with the weights fixed: budget and water move, 8 runs."""
    path.write_text(f'base = "{folder / "tiny.toml"}"\n[sensitivity]\nweight_range = 0.0\n',
                    encoding="utf-8")
    return path


def analyse(folder: Path, scenario: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(app, [
        "sensitivity", "--scenario", str(scenario), "--parcels", str(folder / "parcels.gpkg"),
        "--method", "oat", "--workers", "1", "--out", str(out), *extra])
    assert result.exit_code == 0, result.output


def test_a_passed_check_states_the_ranking_by_bilingual_names(tiny, tmp_path) -> None:
    _, _, _, folder = tiny
    out = tmp_path / "out"
    analyse(folder, oat_scenario(folder, tmp_path / "oat.toml"), out)
    assert json.loads((out / "analysis.json").read_text())["reliability"] is None
    summary = summary_of(out)
    for said in (*RANKING, *CORE, *RETENTION):
        assert said in summary
    assert not any(said in summary for said in WITHHELD)
    ranking = summary[summary.index(RANKING[1]):].split("</li>")[0]
    assert "预算 budget" in ranking or "水量 water" in ranking  # the only factors that move
    assert "x:" not in ranking and "weight:" not in ranking
    # the CSVs: BOM, bilingual headers, the reliability column says yes
    for name in ("runs.csv", "indices.csv"):
        assert (out / name).read_bytes().startswith(BOM)
    header = (out / "runs.csv").read_bytes()[3:].decode("utf-8").splitlines()[0].split(",")
    assert {"样本编号 run", "求解状态 status", "最优性差距 gap", "预算倍数 budget multiplier",
            "水量倍数 water multiplier", "可靠 reliable"} <= set(header)
    indices = read_coded(out / "indices.csv", ["factor", "factor_name", "reliable"])
    assert set(indices["reliable"]) == {"是 yes"}
    assert (indices["factor_name"] == indices["factor"].map(factor_label)).all()
    assert set(indices["factor_name"]) == {"预算 budget", "水量 water"}


def test_a_failed_check_withholds_ranking_core_and_retention(tiny, tmp_path,
                                                             monkeypatch) -> None:
    """Every sample returns its start short of the gap (a solve out of time): the report
    said "most influential: …" and "robust core: …" right after its own caveat."""
    _, _, _, folder = tiny
    solve_from = runner.solve_from

    def out_of_time(model, problem, start, time_limit_s, gap, seed):
        result, polished = solve_from(model, problem, start, time_limit_s, gap, seed)
        return replace(result, status="feasible", x=start, gap=float("inf"),
                       objective=model.objective_value(start)), polished

    monkeypatch.setattr(runner, "solve_from", out_of_time)  # --workers 1: in-process
    out = tmp_path / "out"
    analyse(folder, oat_scenario(folder, tmp_path / "oat.toml"), out)
    assert json.loads((out / "analysis.json").read_text())["reliability"] is not None
    summary = summary_of(out)
    for said in (*RANKING, *CORE, *RETENTION):
        assert said not in summary
    for said in WITHHELD:
        assert said in summary
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "robust to weights" not in page and "sensitive to weights" not in page
    assert "unreliable, for checking only" in page  # the robust-core table's heading
    # the numbers are still there, marked unreliable; the gap is a number or empty
    runs = read_coded(out / "runs.csv", ["status", "gap", "same_plan", "reliable"])
    unchanged = runs["status"].str.startswith("feasible") & runs["same_plan"]
    assert unchanged.sum() >= 2
    assert (runs.loc[unchanged, "reliable"] == "否 no").all()
    assert runs["gap"].isna().all()  # no bound: empty, not "inf"
    assert not runs["status"].str.contains("inf").any()
    assert (runs["status"] == "feasible, no bound").all()
    indices = read_coded(out / "indices.csv", ["reliable", "value_at_base"])
    assert set(indices["reliable"]) == {"否 no"} and indices["value_at_base"].notna().any()


def test_the_folders_plan_is_the_base_when_solved_from_the_same_inputs(tiny, tmp_path,
                                                                        monkeypatch) -> None:
    """Written into a result folder whose plan was solved from the same inputs (files'
    SHA-256, scenario, seed): that plan is the base, with no solve (the analysis re-solved
    it and said whether it got the folder's plan). Once plan.csv is edited, the base is a
    fresh solve, the summary says why and that it is not the folder's plan; both objectives
    are named, works and parcels counted apart."""
    import sensitivity.analysis

    region, scenario, _, folder = tiny
    result_dir = tmp_path / "tiny"
    run_scenario(region, scenario, result_dir, outputs=lambda _folder, _plan: None)
    plan = pd.read_csv(result_dir / "plan.csv", encoding="utf-8-sig")
    objective = json.loads((result_dir / "manifest.json").read_text())["objective"]
    oat = oat_scenario(folder, tmp_path / "oat.toml")  # another [sensitivity] table only
    solve = sensitivity.analysis.run_scenario

    def no_solve(*_a, **_k):
        raise AssertionError("the base plan was solved afresh")

    monkeypatch.setattr(sensitivity.analysis, "run_scenario", no_solve)
    analyse(folder, oat, result_dir / "sensitivity")
    meta = json.loads((result_dir / "sensitivity" / "analysis.json").read_text())
    assert meta["folder_plan"]["reused"] is True and meta["folder_plan"]["same_plan"] is True
    assert meta["folder_plan"]["why_not_reused"] is None
    assert meta["base"]["objective"] == pytest.approx(objective, rel=1e-9)
    assert meta["base"]["works"] == len(plan)
    assert meta["base"]["parcels"] == plan["parcel_id"].nunique()
    summary = summary_of(result_dir / "sensitivity")
    assert f"Base plan: the plan of the result folder, {result_dir}/plan.csv (objective " \
           f"{objective:.6g}, {len(plan)} works on {plan['parcel_id'].nunique()} parcels), " \
           "solved from the same inputs" in summary
    assert "used as it is, not solved afresh" in summary and "本分析直接采用，未重新求解" in summary

    monkeypatch.setattr(sensitivity.analysis, "run_scenario", solve)
    plan.iloc[1:].to_csv(result_dir / "plan.csv", index=False, encoding="utf-8-sig")
    analyse(folder, oat, result_dir / "sensitivity")
    meta = json.loads((result_dir / "sensitivity" / "analysis.json").read_text())
    assert meta["folder_plan"]["reused"] is False and meta["folder_plan"]["same_plan"] is False
    assert meta["folder_plan"]["works"] == len(plan) - 1
    summary = html.unescape(summary_of(result_dir / "sensitivity"))
    assert "solved afresh by this analysis" in summary
    assert "the result folder's plan was not used as the base because its plan.csv was " \
           "edited after it was written" in summary and "其 plan.csv 在写出后被修改" in summary
    assert f"it is not the plan of the result folder, {result_dir}/plan.csv (objective " \
           f"{objective:.6g}" in summary
    assert f"{len(plan) - 1} 项措施，" in summary and "个地块）不同" in summary


def test_a_folder_plan_of_other_inputs_is_not_the_base_and_the_reason_is_named(tiny) -> None:
    """The folder's manifest against the analysis's inputs: each difference that makes a
    fresh solve differ is named (files, seed, scenario tables, a re-plan's or cheapest
    plan); the name, description and [sensitivity] table are not differences."""
    _, scenario, _, _ = tiny
    recorded = json.loads(json.dumps(scenario.model_dump(mode="json")))
    manifest = {"inputs_sha256": "abc", "seed": scenario.seed, "scenario": recorded}
    held = FolderResult(Path("/nowhere"), pd.DataFrame(columns=WORK_COLUMNS), manifest)
    other = scenario.model_copy(update={
        "name": "other", "description": "notes",
        "sensitivity": scenario.sensitivity.model_copy(update={"samples": 99})})
    assert why_not_same_inputs(held, "abc", other) == []
    budget = scenario.budget.model_copy(update={"default": 1.0})
    changed = scenario.model_copy(update={"seed": scenario.seed + 1, "budget": budget})
    said = [en for _, en in why_not_same_inputs(held, "def", changed)]
    assert said == ["the input files differ from those its manifest.json records (SHA-256)",
                    f"the seed differs ({scenario.seed} ≠ {scenario.seed + 1})",
                    "the scenario's [budget] differs"]
    replan = replace(held, manifest={**manifest, "replan": {"year": 2028},
                                     "objective_kind": "min_cost: …"})
    said = [en for _, en in why_not_same_inputs(replan, "abc", scenario)]
    assert said == ["it was written by 'replan', not solved from this scenario alone",
                    "it is the cheapest plan (run --objective min_cost)"]
    cut = replace(held, manifest={**manifest, "heuristics": {"reproducible": False}})
    said = [en for _, en in why_not_same_inputs(cut, "abc", scenario)]
    assert said == ["its solve was cut short by the clock, so a fresh solve of the same "
                    "inputs may give another plan"]


def test_works_and_parcels_are_counted_apart() -> None:
    """A parcel with two works (a sand barrier, then afforestation) is two works and one
    parcel: the base counted 'parcel:year' entries and called them parcels (412 ≠ 406)."""
    base = {"chosen": "1:2027 1:2030 2:2027 3:2028", "first_year_order": "1 2",
            "objective": 2.5}
    assert plan_counts(base["chosen"]) == (4, 3)
    zh, en = base_lines(base, None)
    assert "4 项措施，3 个地块" in zh and "4 works on 3 parcels" in en
    runs = pd.DataFrame({"run_id": [0, 1], "status": ["optimal"] * 2, "jaccard": [1.0, 1.0],
                         "chosen": [base["chosen"], "1:2027 2:2027 3:2028"],
                         "first_year_order": ["1 2", "1 2"]})
    result = SensitivityResult(runs, pd.DataFrame(), selection_frequency(runs, 0.9),
                               stability(runs, base), base, False, None, "oat", 2, 0.0, 2)
    core = next(line for line in summary_lines(result, "oat", 0.9) if line.startswith(CORE[0]))
    assert "3 个地块在不少于 90% 的求解中入选（基准方案 3 个地块）" in core
    assert "(the base plan has 3 parcels)" in core and "4" not in core


@pytest.mark.parametrize(("factor", "name"), [
    ("water_demand", "需水量 water demand"), ("water", "水量 water"),
    ("weight:sand", "防风固沙权重 weight of sand control"), ("budget", "预算 budget")])
def test_factors_are_named_in_both_languages(factor, name) -> None:
    assert factor_label(factor) == name
