"""The run report renders in a real headless Chromium, offline, without errors."""

import io
import os
import shutil

import numpy as np
import pytest

from outputs.maps import write_maps
from outputs.report import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def browser_or_skip() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but no chromium on PATH")
    pytest.skip("Debian's chromium is not installed (.ci/run installs it)")


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


def test_report_loads_offline_in_chromium_with_charts_and_maps_drawn(report) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    executable = browser_or_skip()
    requests, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        def block(route) -> None:
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                requests.append(route.request.url)
                route.abort()

        page.route("**/*", block)
        page.goto(report.as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length"
                               " >= 4", timeout=20_000)
        plots = page.locator(".js-plotly-plot").count()
        drawn = page.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot'))"
                              ".filter(d => d.querySelectorAll('path, rect').length > 5)"
                              ".length")
        images = page.evaluate("Array.from(document.images).filter(i => i.naturalWidth > 100)"
                               ".length")
        # Missing glyphs draw identical boxes: two different words must differ on a canvas.
        chinese = page.evaluate("""async () => {
            await document.fonts.ready;
            const canvas = document.createElement('canvas');
            canvas.width = 200; canvas.height = 50;
            const g = canvas.getContext('2d');
            const draw = (text) => { g.clearRect(0, 0, 200, 50);
                g.font = "32px 'Report CJK'"; g.fillText(text, 0, 40);
                return g.getImageData(0, 0, 200, 50).data.join(','); };
            return draw('防风') !== draw('固沙');
        }""")
        shot = page.screenshot(full_page=True)
        browser.close()
    assert errors == [] and requests == []
    assert chinese, "Chinese labels render as boxes: the embedded CJK font is missing"
    assert plots == drawn == 4  # money, water, benefits, interactive map
    assert images == 2  # the two static maps
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("L"))
    assert len(np.unique(pixels)) > 50 and pixels.std() > 10
