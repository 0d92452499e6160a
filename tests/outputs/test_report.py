"""The run report renders in a real headless Chromium, offline, without errors."""

import dataclasses
import shutil

import numpy as np
import pandas as pd
import pytest

from outputs.maps import write_maps
from outputs.report import html_table, write_report


@pytest.fixture(scope="module")
def report(small_run, small_region, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    shutil.copy(small_run.out_dir / "manifest.json", folder / "manifest.json")
    write_maps(folder, small_run.plan, small_region[0], small_run.corridors)
    return write_report(folder, small_run.plan, small_region[0], small_run.corridors)


def test_report_is_one_self_contained_file(report) -> None:
    text = report.read_text(encoding="utf-8")
    # no external script, stylesheet or image (plotly.js's own default URLs are inert)
    assert "<script src=" not in text and "<link" not in text and 'src="http' not in text
    assert "data:image/png;base64," in text
    for heading in ("关键指标 Key figures", "影子价格 Shadow prices", "数据来源 Data provenance",
                    "年度优先项目"):
        assert heading in text


def test_report_loads_offline_in_chromium_with_charts_and_maps_drawn(report,
                                                                      render_offline) -> None:
    seen = render_offline(report, min_plots=4)
    assert seen["errors"] == [] and seen["requests"] == []
    assert seen["chinese"], "Chinese labels render as boxes: the embedded CJK font is missing"
    assert seen["plots"] == seen["drawn"] == 4  # money, water, benefits, interactive map
    assert seen["images"] == 2  # the two static maps
    pixels = seen["pixels"]
    assert len(np.unique(pixels)) > 50 and pixels.std() > 10


@pytest.mark.usefixtures("render_offline")  # skips without chromium
def test_legends_fit_their_labels_once_the_chinese_font_has_loaded(report) -> None:
    """Charts drawn before the embedded font loads size their legends for the fallback font
    and clip the Chinese labels; the page waits for the font."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(report.as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .legend').length"
                               " >= 4", timeout=30_000)
        overflow = page.evaluate("""() => Array.from(document.querySelectorAll('.legend'))
            .flatMap(legend => {
                const box = legend.querySelector('.bg').getBoundingClientRect();
                return Array.from(legend.querySelectorAll('.legendtext'))
                    .filter(t => t.getBoundingClientRect().right > box.right + 1)
                    .map(t => t.textContent);
            })""")
        browser.close()
    assert overflow == []


def test_tables_escape_text_align_it_left_and_round_numbers() -> None:
    frame = pd.DataFrame({"name": ["<b>沙障</b>", "封育"], "cost": [1234.5678, np.nan],
                          "year": [2027, 2028]})
    table = html_table(frame)
    assert "&lt;b&gt;沙障&lt;/b&gt;" in table and "<b>" not in table
    assert "<td class='text'>封育</td>" in table
    assert "<td>1,235</td>" in table and "<td></td>" in table and "<td>2027</td>" in table


def test_an_empty_plan_still_gets_a_report(small_run, small_region, tmp_path) -> None:
    empty = dataclasses.replace(small_run.plan, chosen=small_run.plan.chosen.iloc[:0])
    shutil.copy(small_run.out_dir / "manifest.json", tmp_path / "manifest.json")
    text = write_report(tmp_path, empty, small_region[0], None).read_text(encoding="utf-8")
    assert "<td class='text'>入选地块 Options chosen</td><td class='text'>0</td>" in text
