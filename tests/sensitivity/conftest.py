"""A tiny region that solves to optimality in about a second, and an offline page opener."""

import os
import re
import shutil
from pathlib import Path

import pytest

SCENARIO = """
name = "tiny"
seed = 3
[horizon]
start = 2027
end = 2030
[budget]
default = 800.0
carry_over = true
[water]
default = 60.0
saving_credit = 1.0  # one for one keeps this instance exact in seconds; credits are
                     # tested in tests/optimizer/test_water_accounts.py
[weights]
sand = 0.4
water = 0.3
bio = 0.2
mine = 0.1
[corridors]
enabled = false
[solver]
time_limit_s = 30.0
gap = 0.0
threads = 2  # the base plan runs HiGHS with 2 threads in the parent: workers are spawned
[sensitivity]
time_limit_s = 30.0
gap = 0.0
cost_range = 0.0
benefit_range = 0.0
survival_range = 0.0
water_demand_range = 0.0
"""


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """(region, scenario, settings, folder): 138 shipped parcels south-west of Shanshan, no
    mine among them (the mine criterion is weighted but can deliver nothing); exact solves
    (gap 0) of weights, budget and water only."""
    import geopandas as gpd

    from region.io import TURPAN_DIR, RegionPaths, load_region
    from region.scenario import load_scenario

    folder = tmp_path_factory.mktemp("tiny")
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg", bbox=(89.9, 42.6, 90.2, 42.8))
    parcels.to_file(folder / "parcels.gpkg", driver="GPKG")
    (folder / "tiny.toml").write_text(SCENARIO, encoding="utf-8")
    region = load_region(RegionPaths(parcels=folder / "parcels.gpkg"))
    scenario = load_scenario(folder / "tiny.toml")
    return region, scenario, scenario.sensitivity, folder


@pytest.fixture(scope="session")
def open_offline():
    """Open an HTML file in headless Chromium with every network request blocked; return
    console errors, blocked requests, plots drawn and the screenshot's grey levels. Skips
    without chromium unless REQUIRE_BROWSER=1."""
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but chromium is missing")
        pytest.skip("chromium is not installed")

    def render(path: Path, min_plots: int) -> dict:
        import io

        import numpy as np
        from PIL import Image
        from playwright.sync_api import sync_playwright

        seen = {"errors": [], "requests": []}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: seen["errors"].append(m.text)
                    if m.type == "error" else None)
            page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))

            def block(route) -> None:
                if re.match(r"(file|data):", route.request.url):
                    route.continue_()
                else:
                    seen["requests"].append(route.request.url)
                    route.abort()

            page.route("**/*", block)
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg')"
                                   f".length >= {min_plots}", timeout=60_000)
            seen["plots"] = page.locator(".js-plotly-plot").count()
            seen["drawn"] = page.evaluate(
                "Array.from(document.querySelectorAll('.js-plotly-plot'))"
                ".filter(d => d.querySelectorAll('path, rect').length > 5).length")
            shot = page.screenshot(full_page=True)
            browser.close()
        seen["pixels"] = np.asarray(Image.open(io.BytesIO(shot)).convert("L"))
        return seen

    return render
