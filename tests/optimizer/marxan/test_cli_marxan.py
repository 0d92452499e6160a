"""`solve.py marxan` at the door: options out of range and bad cells stop it with exit 2 and
nothing written; a result without a bound prints; --export writes the model HiGHS reads."""

import json
from pathlib import Path

import highspy
import numpy as np
import pytest
from typer.testing import CliRunner

import optimizer.marxan as marxan_pkg
from optimizer.marxan import read_marxan
from optimizer.marxan.minset import MarxanSolution
from optimizer.marxan.runner import MarxanRunResult
from solve import app

runner = CliRunner()


@pytest.mark.parametrize("option, value", [
    ("--prop", "-0.5"), ("--prop", "0"), ("--prop", "1.5"), ("--prop", "nan"),
    ("--time-limit", "-1"), ("--time-limit", "0"), ("--time-limit", "inf"),
    ("--solutions", "-3"), ("--solutions", "0"), ("--blm", "-1"), ("--blm", "inf"),
    ("--spf", "-2"), ("--gap", "1"), ("--gap", "-0.1"), ("--budget", "-5")])
def test_options_out_of_range_rejected(tiny, tmp_path, option, value):
    out = tmp_path / "out"
    result = runner.invoke(app, ["marxan", str(tiny), "--out", str(out), option, value])
    assert result.exit_code == 2, result.output
    expected = "the gap is a fraction" if option == "--gap" else "must be a finite number"
    assert option in result.output and expected in result.output
    assert not out.exists()


@pytest.mark.parametrize("cell, message", [("", "blank value"), ("inf", "not a finite number")])
def test_blank_or_inf_cost_is_an_error_with_file_row_column(tiny, tmp_path, cell, message):
    pu = tiny / "input" / "pu.dat"
    lines = pu.read_text().splitlines()
    lines[3] = f"3\t{cell}\t0"
    pu.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["marxan", str(tiny), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert f"pu.dat, row 4 (the header is row 1), column 'cost': {message}" in result.output
    assert not out.exists()


def test_a_result_without_bound_prints(tiny, tmp_path, monkeypatch):
    """A solve that ends with no bound (none found in time) is printed as 'bound n/a'."""
    problem = read_marxan(tiny)
    x = np.ones(problem.n_units)
    best = MarxanSolution(x, 24.0, None, None, "feasible", 1.0, "greedy+lns")
    summary = {"problem": "tiny", "objective": 24.0, "bound": None, "gap": None,
               "status": "feasible", "time_s": 1.0, "marxan_score": {"score": 24.0},
               "targets_met": 3, "features": 3, "notes": ["pu.dat: a note"]}

    def fake_run(_path, out_dir, **_):
        return MarxanRunResult(Path(out_dir), problem, best, (best,), x, summary)

    monkeypatch.setattr(marxan_pkg, "run_marxan", fake_run)
    result = runner.invoke(app, ["marxan", str(tiny), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "bound n/a, gap n/a" in result.output
    assert "note: pu.dat: a note" in result.output


def test_export_writes_the_model_highs_solves_to_the_same_optimum(tiny, tmp_path):
    model = tmp_path / "tiny.mps"
    result = runner.invoke(app, ["marxan", str(tiny), "--out", str(tmp_path / "o"),
                                 "--export", str(model), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["status"] == "optimal"
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(model))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.run()
    assert h.getInfo().objective_function_value == pytest.approx(summary["objective"])


def test_export_with_another_suffix_rejected(tiny, tmp_path):
    out = tmp_path / "o"
    result = runner.invoke(app, ["marxan", str(tiny), "--out", str(out),
                                 "--export", str(tmp_path / "m.txt")])
    assert result.exit_code == 2 and ".lp or .mps" in result.output
    assert not out.exists()


def test_the_command_ends_within_its_time_limit(marxan_benchmarks, tmp_path):
    """12,178 units, 3 s: the solve's own clock (the Lagrangian, LNS) ends within the limit
    plus a second or two, and the command as a whole cannot hang (the old code overran 15-s
    limits by up to 8.6 s, and by minutes once). Reading and writing are not time-boxed, so the
    whole command gets a bound that holds on a machine at load 20 (it took 17 s there)."""
    import time

    out = tmp_path / "o"
    began = time.monotonic()
    result = runner.invoke(app, ["marxan", str(marxan_benchmarks / "marxan-cloud-sample"),
                                 "--prop", "0.3", "--spf", "100", "--blm", "1",
                                 "--time-limit", "3", "--out", str(out), "--json"])
    elapsed = time.monotonic() - began
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["time_s"] < 3 + 2
    assert elapsed < 60
    assert summary["targets_met"] == summary["features"] == 59
    assert summary["bound"] is not None and summary["bound"] <= summary["objective"]
    assert (out / "best.csv").exists()


def test_the_printed_parts_of_the_score_add_up_to_it(tiny, tmp_path):
    """The summary line used to print the boundary length where the score counts BLM × the
    length ('score 129 (cost 96 + boundary 165 + shortfall 0)' with BLM 0.2)."""
    out = tmp_path / "o"
    result = runner.invoke(app, ["marxan", str(tiny), "--out", str(out), "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    score, blm = summary["marxan_score"], summary["blm"]
    assert blm == 0.5 and score["boundary"] > 0  # so that BLM × boundary ≠ boundary
    text = " ".join(result.output.split())
    assert (f"cost {score['cost']:,.6g} + BLM 0.5 × boundary {score['boundary']:,.6g} + "
            f"shortfall {score['shortfall_penalty']:,.6g}") in text
    assert score["score"] == pytest.approx(score["cost"] + blm * score["boundary"]
                                           + score["shortfall_penalty"])
