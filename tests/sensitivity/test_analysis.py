"""A whole analysis on the tiny region: an inert weight has no effect and an active input
has; the outputs are written and the report renders offline; an interrupt keeps its runs."""

import base64
import io
import json
import re

import numpy as np
import pytest
from PIL import Image
from sensitivity_csv import read_coded

from sensitivity.analysis import run_sensitivity


@pytest.fixture(scope="module")
def oat(tiny, tmp_path_factory):
    region, scenario, settings, _ = tiny
    out = tmp_path_factory.mktemp("oat") / "sensitivity"
    return run_sensitivity(region, scenario, settings, out, method="oat", workers=2), out


def test_an_inert_weight_has_no_effect_and_active_inputs_have(oat, tiny) -> None:
    result, _ = oat
    region = tiny[0]
    assert region.parcels["mine_status"].isin(["pending", "done"]).sum() == 0  # no mines
    effects = result.indices.set_index("factor")
    assert not result.partial and (result.runs["status"] == "optimal").all()
    # Mine (no mine) and water (the basin floor yields litres) can deliver nothing: they
    # weigh 0 (criteria/normalise.py), so their weights are no factors at all.
    assert {"weight:mine", "weight:water"}.isdisjoint(effects.index)
    assert set(effects.index) == {"weight:sand", "weight:bio", "budget", "water"}
    benefits = [c for c in effects.columns if c.startswith("benefit_")]
    assert effects.loc["budget", "value_at_base"].abs().max() > 1e-3  # money changes it
    assert effects.loc["budget", benefits].abs().max().max() > 1e-4
    # (Sand and bio at ±25 % leave this region's optimum where it is: with water live, water
    # and bio moved it; tests/optimizer/test_negligible_criteria.py has the weights' effect.)


def test_outputs_are_written(oat) -> None:
    result, out = oat
    assert {p.name for p in out.iterdir()} >= {"report.html", "runs.csv", "indices.csv",
                                               "frequency.gpkg", "analysis.json"}
    runs = read_coded(out / "runs.csv", ["status", "gap", "objective", "value_at_base",
                                         "x:budget", "x:water", "x:weight:sand",
                                         "x:weight:bio", "warm_start"])
    assert len(runs) == len(result.runs) == 4 * 4  # 2 live weights, budget, water; 4 steps
    assert {"status", "gap", "objective", "value_at_base", "x:budget"} <= set(runs)
    # Weights leave the base plan feasible: it is the warm start; a budget or water cut may
    # not, and then the greedy plan seeded with the base plan is.
    moved = runs.filter(like="x:").sub(1.0).abs().idxmax(axis=1)
    assert (runs.loc[moved.str.startswith("x:weight:"), "warm_start"] == "base").all()
    assert set(runs["warm_start"]) <= {"base", "greedy from base"}
    assert (runs.loc[runs["warm_start"] != "base", ["x:budget", "x:water"]].min(axis=1)
            < 1).all()
    meta = json.loads((out / "analysis.json").read_text())
    assert meta["partial"] is False and meta["failed"] == 0
    core = result.frequency[result.frequency["robust_core"]]
    assert len(core) > 0 and (core["frequency"] >= 0.9).all()
    assert not list(out.parent.glob(".sensitivity.work-*"))  # cleaned up when complete
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "robust to weights" in html or "sensitive to weights" in html


def test_report_loads_offline_in_chromium(oat, render_offline) -> None:
    _, out = oat
    seen = render_offline(out / "report.html", min_plots=4)
    assert seen["errors"] == [] and seen["requests"] == []
    # tornado, budget and water curves, stability
    assert seen["drawn"] == seen["plots"] >= 4
    assert seen["pixels"].std() > 10


def test_frequency_and_robust_core_are_drawn_on_the_regions_map(oat) -> None:
    result, out = oat
    html = (out / "report.html").read_text(encoding="utf-8")
    maps = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([^"]+)"', html)
    assert [alt for alt, _ in maps] == ["选择频率 Selection frequency (share of runs)",
                                        "稳健核心 Robust core"]
    for _, data in maps:
        image = np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))
        assert image.shape[1] > 1000  # the run report's map frame (11 in at 110 dpi)
        assert (np.abs(image - [0x1B, 0x78, 0x37]).sum(axis=2) < 30).any() or \
            (np.abs(image - [0xFD, 0xE7, 0x25]).sum(axis=2) < 30).any()  # core drawn
    body = html[html.index("<body>"):]
    assert '"scaleratio"' not in body and not re.search(r"parcel \d+: \d+%", body)  # no dots


def test_the_report_shows_no_chinese_glyph_from_a_fallback_font(oat, glyph_fallbacks) -> None:
    _, out = oat
    seen = glyph_fallbacks(out / "report.html", min_plots=4)
    assert "选" in seen["chars"] and seen["fallback"] == ""
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "次求解" in html and "稳健核心：" in html  # the summary in Chinese too, its glyphs
                                                   # covered by the embedded font above


def test_interrupted_analysis_keeps_its_runs_and_resumes(tiny, tmp_path, monkeypatch) -> None:
    import sensitivity.runner as runner

    region, scenario, settings, _ = tiny
    settings = settings.model_copy(update={"weight_range": 0.0})  # budget and water: 8 runs
    out = tmp_path / "sensitivity"
    real = runner.solve_sample
    calls = {"n": 0}

    def interrupt_after_three(context, run_id, sample):
        calls["n"] += 1
        if calls["n"] > 3:
            raise KeyboardInterrupt
        return real(context, run_id, sample)

    monkeypatch.setattr(runner, "solve_sample", interrupt_after_three)
    partial = run_sensitivity(region, scenario, settings, out, method="oat", workers=1)
    assert partial.partial and len(partial.runs) == 3
    assert json.loads((out / "analysis.json").read_text())["partial"] is True
    assert "PARTIAL" in (out / "report.html").read_text(encoding="utf-8")
    monkeypatch.setattr(runner, "solve_sample", real)
    resumed = run_sensitivity(region, scenario, settings, out, method="oat", workers=1,
                              resume=True)
    assert not resumed.partial
    assert resumed.runs["run_id"].tolist() == list(range(8))
    assert resumed.runs.iloc[:3]["objective"].tolist() == partial.runs["objective"].tolist()


def test_resume_of_another_designs_runs_says_it_starts_afresh(tiny, tmp_path,
                                                              monkeypatch) -> None:
    """--resume where only another design's finished runs wait (other samples, method or
    settings) started afresh without a word (stranger's finding 22); those runs are left
    for a --resume of their own design."""
    import sensitivity.analysis

    class StoppedError(Exception):
        pass

    def stop(*_args, **_kwargs):
        raise StoppedError

    region, scenario, settings, _ = tiny
    other = tmp_path / ".sensitivity.work-0123456789ab"
    other.mkdir()
    (other / "runs.jsonl").write_text('{"run_id": 0, "status": "optimal"}\n')
    monkeypatch.setattr(sensitivity.analysis, "run_all", stop)  # the samples: not needed
    with pytest.warns(UserWarning) as said, pytest.raises(StoppedError):
        run_sensitivity(region, scenario, settings, tmp_path / "sensitivity", method="oat",
                        workers=1, resume=True)
    notes = [str(w.message) for w in said]
    assert [n for n in notes if n.startswith("--resume")] == [
        f"--resume: the interrupted analysis at {tmp_path / 'sensitivity'} is of another "
        "design (method, samples, seed, [sensitivity] settings or scenario differ); starting "
        "a fresh one, its finished runs are kept for a --resume of that design"]
    assert (other / "runs.jsonl").is_file()
