"""The run report: one self-contained HTML page that opens offline.

Charts are plotly figures with plotly.js inlined once; the static maps are embedded as
base64 PNG; the interactive map draws the region (counties, zones, Aydingkol) and the chosen
parcels in an equal-area projection with equal axis scales, so it is true to scale and
needs no tile server. Nothing on the page requests the network; the page itself (font
subset, plotly.js, tables) is outputs/html_page.py's.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry import Polygon

from criteria.corridors import CorridorAnalysis
from optimizer.plan import Plan
from outputs.crs import crs_name
from outputs.data_note import data_note
from outputs.dissolve import dissolve, union_method
from outputs.explain import dominance_lines, normalisation_rule, objective_lines, plan_benefit
from outputs.html_page import figure_html, html_page, html_table, paragraphs
from outputs.indicators import FIGURES, figures_as_text, plan_indicators
from outputs.labels import (
    MU_PER_WAN_MU,
    area_text,
    both_names,
    county_names,
    rounded_to_total,
    status_words,
)
from outputs.limits import (
    MONEY_RULE,
    RULE,
    county_water,
    lake_delivery,
    lake_note,
    limits_by_year,
    money_water_cell,
    places_text,
)
from outputs.list_columns import INDICATOR_COLUMNS, SHARE_COLUMNS, UNIT_RULE
from outputs.list_totals import area_lines, criterion_table, net_area_km2, size_lines
from outputs.map_drawing import action_colours
from outputs.maps import lake_within
from outputs.priority_lists import priority_lists, units_frame
from outputs.project_causes import projects_without_works
from outputs.project_flags import project_table_html
from outputs.project_limits import capacity_grades
from outputs.project_units import size_distribution
from outputs.recorded_year import is_record
from outputs.unfunded import unfunded_html
from outputs.year_funds import obligation_lines, obligations
from region.io import Region
from region.schema import CRITERIA, CRITERION_LABELS, EQUAL_AREA_CRS

BELOW = {"orientation": "h", "x": 0, "y": -0.15, "yanchor": "top"}  # a legend under a chart
YEARS = {"tickmode": "linear", "dtick": 1, "tickformat": "d"}  # one tick per calendar year
DOWNLOADS = [
    ("priorities.xlsx", "年度优先项目清单（Excel） Annual priority lists"),
    ("priorities.csv", "优先项目清单 CSV"), ("project_units.csv", "项目单元 Project units CSV"),
    ("projects_without_works.csv", "无入选措施的重点项目及原因 Plan projects without works, why"),
    ("priorities.gpkg", "优先项目与项目单元图层 Priority and unit layers (GeoPackage)"),
    ("plan.csv", "方案全部字段 The plan, every field"), ("plan.gpkg", "方案图层 The plan layer"),
    ("数据说明_README.txt", "CSV文件的数据说明 The CSVs' data note: what is modelled, what "
                          "each column adds up to"),
    ("manifest.json", "运行记录 Run manifest (inputs' hash, solver, limits)"),
    ("maps/plan_by_year.svg", "按开工年地图 Map by start year (SVG)"),
    ("maps/plan_by_action.svg", "按措施地图 Map by action (SVG)"),
]
def _money_water_charts(plan: Plan) -> list[str]:
    years = plan.years
    budget = years["budget_available"] if "budget_available" in years else years["budget"]
    money = go.Figure([go.Bar(x=years["year"], y=years["spend"], name="支出 Spend"),
                       go.Scatter(x=years["year"], y=budget, name="可用预算 Budget available",
                                  mode="lines+markers")])
    money.update_layout(title="年度支出与预算 Spend and budget per year (万元)", legend=BELOW,
                        xaxis=YEARS)
    lake = lake_delivery(plan)  # counted in the year's use, but not new use by the works
    bars = [go.Bar(x=years["year"], y=(years["water_use"] - lake).tolist(),
                   name="工程用水 Works' water", marker_color="#3b7fb8")]
    if lake > 0:
        bars.append(go.Bar(x=years["year"], y=[lake] * len(years),
                           name="艾丁湖输水 Aydingkol delivery", marker_color="#9ecae1"))
    water = go.Figure([*bars, go.Scatter(x=years["year"], y=years["water_limit"],
                                         name="用水上限 Water limit", mode="lines+markers")])
    water.update_layout(title="年度用水与上限 Water use and limit per year (万m³)",
                        legend=BELOW, xaxis=YEARS, barmode="stack")
    return [figure_html(money), figure_html(water)]


def _benefit_chart(plan: Plan) -> str:
    """Per criterion, the share of the region's physical potential (Σ over parcels of the
    best action's benefit) secured by the options started up to each year, at maturity
    after survival: cumulative, so that criteria met early (mines) and those built up year
    by year read on one scale."""
    chosen = plan.chosen
    survival = chosen["survival"].to_numpy(float)
    years = plan.years["year"].to_numpy()
    figure = go.Figure()
    for c in CRITERIA:
        potential = float(plan.scales.at[c, "potential"]) if plan.scales is not None else 0.0
        if not potential > 0:
            continue
        share = (chosen[f"benefit_{c}"] * survival).groupby(chosen["start_year"]).sum() \
            * 100 / potential
        cumulative = share.reindex(years, fill_value=0.0).cumsum()
        figure.add_scatter(x=years, y=cumulative.to_numpy(), mode="lines+markers",
                           name=" ".join(CRITERION_LABELS[c]))
    figure.update_layout(legend=BELOW, yaxis={"title": "%", "rangemode": "tozero"}, xaxis=YEARS,
                         title="累计效益占全域潜力 Cumulative benefit by start year "
                               "(% of the region's physical potential, at maturity)")
    return figure_html(figure)


def _outline_km(geometries: gpd.GeoSeries, tolerance_m: float) -> tuple[list, list]:
    """x and y (km, equal-area projection) of the lines or polygon outlines, simplified to
    ``tolerance_m`` and rounded to 10 m, each part ended by None so that plotly draws it
    separately."""
    xs: list = []
    ys: list = []
    shapes = geometries.to_crs(EQUAL_AREA_CRS).simplify(tolerance_m)
    for part in shapes.explode(index_parts=False):
        if part is None or part.is_empty:
            continue
        line = part.exterior if isinstance(part, Polygon) else part
        coords = np.round(np.asarray(line.coords)[:, :2] / 1000.0, 2)
        xs += [*coords[:, 0], None]
        ys += [*coords[:, 1], None]
    return xs, ys


def region_figure(region: Region, title: str, height: int = 700) -> go.Figure:
    """A true-scale map frame: the region's counties, zones and Aydingkol lake in an
    equal-area projection (km) with equal axis scales."""
    parcels = region.parcels
    figure = go.Figure()
    lake = lake_within(parcels)
    if lake is not None:
        xs, ys = _outline_km(lake.geometry, 200)
        figure.add_scatter(x=xs, y=ys, fill="toself", mode="lines", name="艾丁湖 Aydingkol",
                           line={"color": "#3b7fb8", "width": 0.6}, fillcolor="#7fb8e6",
                           hoverinfo="skip")
    method = union_method(parcels)
    for key, name, style in (("zone", "修复分区界 Zone boundary", {"color": "#555",
                                                                "width": 0.8}),
                             ("county", "区县界 County boundary", {"color": "#000", "width": 1.4,
                                                                "dash": "dash"})):
        xs, ys = _outline_km(dissolve(parcels, key, method).boundary, 300)
        figure.add_scatter(x=xs, y=ys, mode="lines", line=style, name=name, hoverinfo="skip")
    figure.update_layout(title=title, height=height, plot_bgcolor="#f4f4f4",
                         xaxis={"title": "km（等积投影 equal-area）", "scaleanchor": "y",
                                "scaleratio": 1, "showgrid": False},
                         yaxis={"title": "km", "showgrid": False},
                         legend={**BELOW, "y": -0.1})
    return figure


def _interactive_map(plan: Plan, region: Region) -> str:
    figure = region_figure(region, "交互地图 Interactive map of the plan (true scale; zoom, "
                                   "hover)")
    parcels = region.parcels[["parcel_id", "geometry"]].merge(plan.chosen, on="parcel_id")
    colours = action_colours(list(parcels["action"].unique()))
    centres = gpd.GeoSeries(parcels.geometry, crs=region.parcels.crs).to_crs(
        EQUAL_AREA_CRS).representative_point()
    for action, group in parcels.groupby("action"):
        xs, ys = _outline_km(gpd.GeoSeries(group.geometry, crs=region.parcels.crs), 50)
        label = f"{group['action_zh'].iat[0]} {group['action_en'].iat[0]}"
        figure.add_scatter(x=xs, y=ys, fill="toself", mode="lines", name=label,
                           line={"width": 0.5, "color": colours[action]},
                           fillcolor=colours[action], legendgroup=action, hoverinfo="skip")
        centre = centres.loc[group.index]
        text = [f"地块 parcel {p}<br>{label}<br>{y}年开工 start {y}<br>{c:,.0f} 万元"
                for p, y, c in zip(group["parcel_id"], group["start_year"],
                                   group.filter(like="cost_2").sum(axis=1), strict=True)]
        figure.add_scatter(x=(centre.x / 1000).round(2), y=(centre.y / 1000).round(2),
                           mode="markers", marker={"size": 3, "opacity": 0}, hovertext=text,
                           hoverinfo="text", legendgroup=action, showlegend=False)
    return figure_html(figure)


def _image(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


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


def _objective_rows(objective: float | None, bound: float | None, greedy: float | None,
                    min_cost: bool) -> list[tuple[str, str]]:
    """The objective, its bound and the greedy plan's, as a reader can take them: for the
    cheapest plan (``--objective min_cost``, objective = −spend) as money spent."""
    if not min_cost:
        return [("目标值 Objective / bound", f"{_number(objective)} / {_number(bound)}"),
                ("贪心基线 Greedy baseline", _number(greedy))]

    def spend(value: float | None) -> str:
        return "n/a" if value is None else f"{-value:,.0f} 万元"

    return [("最低支出 Cheapest spend (objective = −spend)",
             f"{spend(objective)}; no plan meeting every rule spends less than "
             f"{spend(bound)}"),
            ("贪心方案支出 Greedy plan's spend", spend(greedy))]


def _corridor_count(analysed: int, completed: int) -> str:
    return (f"分析 {analysed} 条，本方案修复完成 {completed} 条 {analysed} analysed, {completed} "
            "completed by the plan")


def _connectivity(manifest: dict) -> str:
    iic = manifest.get("connectivity") or {}
    if "now" not in iic:
        return "n/a"
    now, after = f"{iic['now']:.4g}", f"{iic.get('after_plan', float('nan')):.4g}"
    return f"现状 {now} → 本方案实施后 {after} now {now} → {after} after the plan"


def _top_priorities(lists: pd.DataFrame, objective: float) -> pd.DataFrame:
    """The first ten of each year's priority list, the project with its deployment flags
    (a re-plan's recorded year: its record's first ten, not ranked); benefits as a share of
    the plan's objective, per 1,000万元 in the same unit as the budget shadow price."""
    top = lists[lists["rank"] <= 10].copy()  # a recorded year's first ten, as its sheet's
    top["rank"] = top["rank"].where(~is_record(top))  # a record is not ranked: blank
    share = 100 / objective if objective else np.nan
    top["benefit"] = top["value"] * share
    top["per_money"] = top["benefit_per_wan"] * 1000 * share
    for zh, en in (("county_zh", "county_en"),  # both names, as the lists' works and actions
                   ("township_zh", "township_en"), ("project_label", "project_en")):
        if en in top:
            top[zh] = both_names(top[zh], top[en])
    if "deployment_flag" in top:  # 最低部署, 跨分区: outputs/project_flags.py
        flag = top["deployment_flag"].fillna("")
        top["project_label"] = top["project_label"] + flag.map(lambda f: f"（{f}）" if f else "")
    return top[["start_year", "rank", "parcel_id", "county_zh", "township_zh", "works",
                "project_label", "total_cost_wan", "benefit", "per_money", "reason"]].rename(
        columns={"start_year": "开工年 Year", "rank": "优先序 Rank", "parcel_id": "地块 Parcel",
                 "county_zh": "区县 County", "township_zh": "乡镇 Township",
                 "works": "建设内容及规模 Works", "project_label": "项目 Project",
                 "total_cost_wan": "投资 Cost (万元)", "benefit": "效益 Benefit (% of plan)",
                 "per_money": "每1,000万元效益 per 1,000万元 (% of plan)",
                 "reason": "入选理由 Reason"})


def _limits_section(plan: Plan, region: Region) -> list[str]:
    """Which limit binds per year (a table and one sentence per year) and the per-county
    water accounts when the run has them."""
    counties = county_names(region)
    limits = limits_by_year(plan, counties, capacity_grades(region))
    table = pd.DataFrame({  # capacity has its own column: the first says money and water
        "年 Year": limits["year"],
        "资金与水紧约束 Money or water binds": [money_water_cell(row) for row in
                                             limits.itertuples(index=False)],
        "水紧约束的区县 Water binds in": [places_text(row) for row in
                                         limits.itertuples(index=False)],
        "实施能力紧约束 Capacity binds": limits["capacity_binds"],
        "资金使用 Money used": limits["money_share"].map(lambda v: f"{v:.1%}"),
        "用水占上限 Water use of the limit": limits["water_share"].map(lambda v: f"{v:.1%}")})
    if (limits["lake_delivery"] > 0).any():  # water use as the run table names it, of which
        # the lake's delivery (not new use) and the works' water (savings not deducted)
        table["用水 Water use (万m³)"] = limits["water_use"]
        table["其中艾丁湖输水 Of which Aydingkol delivery (万m³)"] = limits["lake_delivery"]
        table["其中工程用水 Of which works' water (万m³)"] = limits["works_water"]
    out = ["<h3>哪项限额起约束 Which limit binds</h3>", html_table(table),
           paragraphs([*limits["sentence"], RULE, MONEY_RULE,
                       *filter(None, [lake_note(plan, counties)])])]
    accounts = county_water(plan, counties)
    if len(accounts):
        out += ["<h3>分县水账 Water accounts per county (万m³)</h3>", html_table(
            accounts.rename(columns={
                "year": "年 Year", "county": "区县 County", "water_use": "用水 Use",
                "water_available": "可用 Available", "saving_credited": "节水计入 Saving "
                "credited", "groundwater_relief": "压采 Groundwater relief",
                "binds": "紧约束 Binds"}))]
    return out


def _shares_section(plan: Plan) -> list[str]:
    shares = criterion_table(plan)
    shown = {"weight": ".3f", "area_wan_mu": ",.2f",  # as the Summary's formats show them
             **dict.fromkeys(("share_weighted", "share_scale", "share_potential"), ".1%")}
    table = pd.DataFrame({  # the Summary's table: its headers and figures
        f"{c.zh} {c.en}": [format(v, shown[c.key]) if np.isfinite(v) else "" for v in
                           shares[c.key]] if c.key in shown else shares[c.key]
        for c in SHARE_COLUMNS})
    figures = [f"{c.zh} {c.en}" for c in SHARE_COLUMNS if c.key in shown]
    return [html_table(table, right=figures),
            paragraphs(dominance_lines(shares), "banner"),
            paragraphs([normalisation_rule(plan)])]


def _downloads(folder: Path) -> str:
    items = [f"<li><a href='{name}'>{html.escape(name)}</a> — {html.escape(text)}</li>"
             for name, text in DOWNLOADS if (folder / name).exists()]
    return f"<ul>{''.join(items)}</ul>"


def banner(region: Region) -> str:
    """Which inputs are modelled, at the top of the page."""
    return f"<p class='banner'>{html.escape(data_note(region))}</p>"


def write_report(folder: Path, plan: Plan, region: Region,
                 corridors: CorridorAnalysis | None, first: Sequence[str] = (),
                 lists: pd.DataFrame | None = None,
                 unfunded: pd.DataFrame | None = None,
                 maps_written: Callable[[], object] | None = None) -> Path:
    """``report.html`` in ``folder``, from the plan, the manifest and the maps there;
    ``first``: HTML sections to open with (a re-plan's next-year list and changes);
    ``lists``, ``unfunded``: the plan's priority lists and projects without works
    (outputs/unfunded.py), when the caller has them already; ``maps_written``: returns
    once the maps are in ``folder`` (drawn meanwhile in another process,
    outputs/map_process.py), called only when everything else of the page is made."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    r = plan.result
    chosen = plan.chosen
    scenario = manifest.get("scenario", {})
    gap = "n/a" if r.gap is None else f"{r.gap:.3%}"
    lists = priority_lists(plan, region, corridors) if lists is None else lists
    units = units_frame(lists, plan, region)
    horizon = (int(plan.years["year"].min()), int(plan.years["year"].max()))
    owed = obligations(plan)
    key = pd.DataFrame([
        ("情景 Scenario", f"{scenario.get('name', '')}: {scenario.get('description', '')}"),
        ("求解状态 Status", f"{status_words(r.status, r.gap)} ({r.solver} "
                          f"{r.solver_version})，差距 gap {gap}，用时 {r.time_s:.1f} s"),
        *_objective_rows(r.objective, r.bound,
                         manifest.get("heuristics", {}).get("greedy_objective"),
                         str(manifest.get("objective_kind", "")).startswith("min_cost")),
        ("入选措施 Works chosen", f"{len(chosen):,} 项 works，"
                                f"{chosen['parcel_id'].nunique():,} 个地块 parcels"),
        ("实施面积 Area treated (works added up)",
         f"{area_text(chosen['area_km2'].sum())} = {chosen['area_km2'].sum():,.1f} km²"),
        ("净面积 Net area (each parcel once)",
         f"{area_text(net_area_km2(chosen))} = {net_area_km2(chosen):,.1f} km²"),
        ("总投资 Total cost", f"{owed['total_wan']:,.0f} 万元 = {owed['within_wan']:,.0f} "
                            f"规划期内 within {horizon[0]}-{horizon[1]} + "
                            f"{owed['after_wan']:,.0f} {horizon[1] + 1}年起 from "
                            f"{horizon[1] + 1}"),
        ("项目单元 Project units", f"{len(units):,}"),
        ("生态廊道 Corridors", _corridor_count(len(corridors.corridors) if corridors else 0,
                                            len(plan.corridors_completed))),
        ("连通性 Connectivity (IIC)", _connectivity(manifest)),
    ], columns=["", "数值 Value"])
    provenance = pd.DataFrame([
        ("输入哈希 Inputs SHA-256", manifest.get("inputs_sha256", "")),
        ("输入 Inputs", ", ".join(Path(p).name for p in manifest.get("inputs", []))),
        ("随机种子 Seed", str(manifest.get("seed", ""))),
        ("坐标系 CRS of the layers", crs_name(region.parcels.crs)),
        ("Python / platform", f"{manifest.get('python')} / {manifest.get('platform')}"),
        ("版本 Versions", ", ".join(f"{k} {v}" for k, v in
                                    manifest.get("versions", {}).items())),
    ], columns=["", "数值 Value"])
    headers = {c.key: f"{c.zh} {c.en}" for c in INDICATOR_COLUMNS}  # as the Summary's
    indicators = figures_as_text(plan_indicators(lists, region, horizon)).drop(
        columns="key").rename(columns=headers)
    sizes = size_distribution(units)
    sizes = sizes.assign(area_mu=rounded_to_total(sizes["area_mu"] / MU_PER_WAN_MU, 2))
    sizes = pd.concat([sizes, pd.DataFrame([{"size": "合计 Total", **sizes[
        ["units", "parcels", "area_mu"]].sum().to_dict()}])], ignore_index=True).rename(
        columns={"size": "单元规模 Unit size", "units": "单元数 Units",
                 "parcels": "措施数 Works", "area_mu": "实施面积(万亩) Area treated (10k mu)"})
    head = [
        "<h1>吐鲁番市生态修复规划方案 Turpan restoration plan: run report</h1>",
        banner(region), *first,
        "<h2>关键指标 Key figures</h2>", html_table(key),
        paragraphs([*area_lines(lists), *obligation_lines(plan, region.actions),
                    *objective_lines(plan, region.actions)]),
        "<h2>下载 Downloads</h2>"]
    middle = [
        "<h2>资金与水 Money and water against the limits</h2>", *_money_water_charts(plan),
        *_limits_section(plan, region),
        "<h2>效益构成 What the score is made of</h2>", *_shares_section(plan),
        _benefit_chart(plan),
        "<h2>规划指标 The plan's indicators</h2>",
        html_table(indicators, right=[headers[key] for key in FIGURES]),
        *project_table_html(lists, region),
        *unfunded_html(projects_without_works(plan, region) if unfunded is None
                       else unfunded, plan, region),
        "<h2>地图 Maps</h2>"]
    tail = [
        _interactive_map(plan, region),
        "<h2>年度优先项目(前10) Top priorities per year</h2>",
        "<p class='note'>排序同 priorities.xlsx：必须实施和目标所需的措施在前，其余按单位投资效益"
        "从高到低。效益：该措施的加权效益占方案目标值的百分比；每1,000万元效益与预算影子价格同单位，"
        "可直接比较。 Ranked as in priorities.xlsx: required options (mandatory, targets) "
        "first, then by benefit per 万元. Benefit: the option's weighted benefit as a share of "
        "the plan's objective; per 1,000万元 it compares with the budget shadow price.</p>",
        html_table(_top_priorities(lists, plan_benefit(plan))),
        "<h2>项目单元 Project units</h2>", paragraphs([*size_lines(units, lists), UNIT_RULE]),
        html_table(sizes, {"实施面积(万亩) Area treated (10k mu)": ",.2f", "单元数 Units": ",.0f",
                           "措施数 Works": ",.0f"}),
        "<h2>影子价格 Shadow prices</h2>",
        "<p class='note'>影子价格：该年预算或用水限额放宽一个单位时方案目标值的增量"
        "（求解方法见下），此处表示为该年多1,000万元或100万m³水可增加的方案加权效益百分比"
        "（0：该年此项限额不起约束；资金可结转时，某年的正值可能来自以后年度的累计预算或资金总额，"
        "以上文“哪项限额起约束”一节的说法为准）。 "
        f"{html.escape(plan.shadow_price_method)}; shown as the share of "
        "the plan's weighted benefit that one more 1,000万元 or 100万m³ in that year would "
        "add (0: that year's limit does not bind; with carry-over a year's positive money "
        "price may come from a later year's cumulative budget or the total: 'Which limit "
        "binds' above says which).</p>",
        html_table(_shadow_prices(plan, plan_benefit(plan))),
        "<h2>数据来源 Data provenance</h2>", html_table(provenance),
    ]
    if maps_written is not None:
        maps_written()
    maps = sorted((folder / "maps").glob("*.png")) if (folder / "maps").exists() else []
    sections = [*head, _downloads(folder), *middle, *[_image(p) for p in maps], *tail]
    path = folder / "report.html"
    path.write_text(html_page("Turpan restoration plan report", sections), encoding="utf-8")
    return path
