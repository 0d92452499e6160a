"""The sensitivity report: one self-contained HTML page (same page frame as the run report:
the embedded CJK font covers every character it draws), with the selection frequency and
the robust core drawn on the region's map (outputs/maps.py: counties, zones, Aydingkol,
equal-area projection, scale bar)."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.patches import Patch

from outputs.fonts import use_cjk_font
from outputs.html_page import figure_html, html_page, html_table
from outputs.map_drawing import finish_map, map_frame
from outputs.maps import map_layers
from region.io import Region
from sensitivity.base_plan import base_lines, plan_counts
from sensitivity.names import FACTOR_NAMES, factor_label
from sensitivity.robustness import dependent_parcels, weight_only_runs

# The output the charts lead with: each run's plan valued with the base weights and estimates
# (its own objective is rescaled by re-normalised weights even when the plan is unchanged).
HEADLINE = "value_at_base"
HEADLINE_NOTE = ("Total benefit = the plan's value under the base scenario's weights and "
                 "estimates (share of regional potential × years of benefit), so that runs "
                 "are compared on one scale; each run's own objective is in runs.csv.")


def _influence(result, method: str) -> pd.Series:
    """Influence of each factor on the objective, largest first."""
    indices = result.indices
    if indices.empty:
        return pd.Series(dtype=float)
    if method == "morris":
        rows = indices[indices["output"] == HEADLINE]
        return rows.set_index("factor")["mu_star"].sort_values(ascending=False)
    if method == "sobol":
        rows = indices[indices["output"] == HEADLINE]
        return rows.set_index("factor")["ST"].sort_values(ascending=False)
    if method == "oat":
        return indices.groupby("factor")[HEADLINE].apply(
            lambda s: s.abs().max()).sort_values(ascending=False)
    rows = indices[indices["output"] == HEADLINE]
    return rows.set_index("factor")["spearman"].abs().sort_values(ascending=False)


#: The limits a planner scales, in Chinese and English (sensitivity/names.py).
LIMIT_NAMES = {factor: FACTOR_NAMES[factor] for factor in ("water", "budget")}

#: Said instead of the findings when the reliability check fails. Withheld rather than
#: prefixed "不可靠 unreliable": a figure with a prefix is still read, and quoted, as a
#: finding (the reviewer of finding 11 met "budget μ* = 0" from runs that never left the
#: start); the figures stay in the CSVs, marked 可靠 reliable = 否 no, for checking the solves.
WITHHELD = ("因素排序、稳健核心、首年清单保留率、地块及方案相似度对水量和预算的依赖不作为结论给出："
            "上述可靠性检查未通过，这些数字反映的是求解而非方案的敏感性；数值仅供核查，"
            "见 indices.csv、runs.csv（“可靠 reliable”列为“否 no”）与 frequency.gpkg。",
            "The factor ranking, the robust core, the first-year list's retention and how "
            "parcels and the plan's similarity follow water or money are not stated as "
            "findings: the reliability check above failed, so these figures measure the "
            "solves, not the plan's sensitivity; they are in indices.csv, runs.csv (column "
            "reliable = no) and frequency.gpkg, for checking only.")


def summary_lines(result, method: str, robust_share: float) -> list[str]:
    """Plain-language findings for the planner, each in Chinese and then English: how the
    runs were solved, whether the indices can be relied on, the base plan; then, only when
    the reliability check passed, the ranking, robust core, retention and dependence on
    water and money (else :data:`WITHHELD`)."""
    runs = result.runs
    zh, en = result.status_words()
    lines = [f"共 {len(runs)} 次求解：{zh}（见 runs.csv）"
             + ("；分析被中断，请用 --resume 继续。" if result.partial else "。")
             + f" {len(runs)} runs: {en} (listed in runs.csv)"
             + ("; PARTIAL: the analysis was interrupted, run again with --resume."
                if result.partial else ".")]
    warning = result.warning()
    if warning is not None:
        lines.append(f"{warning[0]} {warning[1]}")
    lines.append(" ".join(base_lines(result.base, result.folder_plan)))
    if warning is not None:
        return [*lines, " ".join(WITHHELD)]
    return lines + findings(result, method, robust_share)


def findings(result, method: str, robust_share: float) -> list[str]:
    """The ranking of the factors, the robust core, the first-year list's retention and the
    parcels that follow water or money: what the analysis concludes, once its reliability
    check has passed. Parcels are counted as parcels (个地块) throughout."""
    runs = result.runs
    ok = runs["status"].isin(["optimal", "feasible"])
    lines = []
    influence = _influence(result, method)
    if not influence.empty:
        top = ", ".join(f"{factor_label(name)} ({value:.3g})"
                        for name, value in influence.head(3).items())
        lines.append(f"对总效益影响最大的因素：{top}。 Most influential on the total benefit: "
                     f"{top}.")
    core = result.frequency
    base_parcels = plan_counts(result.base.get("chosen", ""))[1]
    in_core, some = int(core["robust_core"].sum()), int((~core["robust_core"]).sum())
    lines.append(f"稳健核心：{in_core} 个地块在不少于 {robust_share:.0%} 的求解中入选（基准方案 "
                 f"{base_parcels} 个地块），另有 {some} 个地块仅在部分求解中入选。 Robust core: "
                 f"{in_core} parcels are chosen in ≥ {robust_share:.0%} of runs (the base plan "
                 f"has {base_parcels} parcels); {some} more parcels are chosen in some runs "
                 "only.")
    stable = result.stability
    first_year = min((int(item.split(":")[1]) for item in
                      result.base.get("chosen", "").split()), default=None)
    weights_alone = stable[stable["run_id"].isin(weight_only_runs(runs)["run_id"])]
    weight_columns = [c for c in runs.columns if c.startswith("x:weight:")]
    if not weights_alone.empty and weight_columns and first_year is not None:
        spread = (runs[weight_columns] - 1.0).abs().max().max()
        kept = weights_alone["first_year_kept"].min()
        robust = kept >= robust_share
        lines.append(f"{first_year} 年清单对 ±{spread:.0%} 以内的权重变化"
                     f"{'稳健' if robust else '敏感'}：每次此类求解至少保留其 {kept:.0%} 的地块。"
                     f" The {first_year} list is {'robust' if robust else 'sensitive'} to "
                     f"weights within ±{spread:.0%}: at least {kept:.0%} of its parcels stay "
                     "in every such run.")
    for factor, (zh, en) in LIMIT_NAMES.items():
        dependent = dependent_parcels(runs, factor)
        if dependent:
            lines.append(f"{len(dependent)} 个地块取决于{zh}：随其变化入选或落选"
                         f"（|相关系数| ≥ 0.5）。 {len(dependent)} parcel(s) depend on the {en} "
                         "limit: chosen or dropped as it moves (|correlation| ≥ 0.5).")
    if not stable.empty:
        kept, jaccard = stable["first_year_kept"].median(), stable["jaccard"].median()
        tau = stable["first_year_tau"].median()
        lines.append(f"首年清单中位保留 {kept:.0%} 的地块（整体方案 Jaccard 中位数 {jaccard:.2f}；"
                     f"首年排序 Kendall τ 中位数 {tau:.2f}）。 The first-year list keeps a "
                     f"median {kept:.0%} of its parcels (Jaccard of whole plans: median "
                     f"{jaccard:.2f}; Kendall's tau of the first-year ranking: median "
                     f"{tau:.2f}).")
    for factor in ("budget", "water"):
        column = f"x:{factor}"
        if column in runs and runs.loc[ok, column].nunique() > 1:
            corr = runs.loc[ok, [column, "jaccard"]].corr().iloc[0, 1]
            zh, en = LIMIT_NAMES[factor]
            lines.append(f"方案相似度与{zh}倍数的相关系数 {corr:+.2f}"
                         f"（{similarity_reading_zh(factor, corr)}）。 Plan similarity vs the "
                         f"{en} multiplier: correlation {corr:+.2f} "
                         f"({similarity_reading(factor, corr)}).")
    return lines


def similarity_reading(factor: str, corr: float) -> str:
    """What a correlation between a limit's multiplier and the plan's similarity to the base
    plan means, in words."""
    if not np.isfinite(corr) or abs(corr) < 0.2:
        return f"the list hardly depends on the {factor}"
    direction = "less" if corr > 0 else "more"
    return f"the {direction} {factor}, the more the list changes"


def similarity_reading_zh(factor: str, corr: float) -> str:
    """:func:`similarity_reading` in Chinese."""
    zh = LIMIT_NAMES[factor][0]
    if not np.isfinite(corr) or abs(corr) < 0.2:
        return f"清单几乎不受{zh}影响"
    return f"{zh}越{'少' if corr > 0 else '多'}，清单变化越大"


def _solved(result) -> pd.DataFrame:
    """The runs that returned a plan."""
    runs = result.runs
    return runs[runs[HEADLINE].notna()] if HEADLINE in runs else runs.iloc[:0]


def _index_chart(result, method: str) -> str:
    indices = result.indices
    if indices.empty:
        return "<p>No indices: the analysis is partial.</p>"
    figure = go.Figure()
    if method == "morris" and indices["sigma"].isna().all():  # one trajectory: no σ
        rows = indices[indices["output"] == HEADLINE]
        figure.add_bar(x=rows["factor"].map(factor_label), y=rows["mu_star"], name="μ*")
        figure.update_layout(title="Morris μ* (total benefit); σ and the interval need two "
                                   "or more trajectories (--samples)")
    elif method == "morris":
        rows = indices[indices["output"] == HEADLINE]
        figure.add_scatter(x=rows["mu_star"], y=rows["sigma"], mode="markers+text",
                           text=rows["factor"].map(factor_label), textposition="top center",
                           error_x={"array": rows["mu_star_conf"]})
        figure.update_layout(title="Morris μ*–σ (total benefit)", xaxis_title="μ*",
                             yaxis_title="σ")
    elif method == "sobol":
        rows = indices[indices["output"] == HEADLINE]
        figure.add_bar(x=rows["factor"].map(factor_label), y=rows["S1"], name="S1",
                       error_y={"array": rows["S1_conf"]})
        figure.add_bar(x=rows["factor"].map(factor_label), y=rows["ST"], name="ST",
                       error_y={"array": rows["ST_conf"]})
        figure.update_layout(title="Sobol indices (total benefit), 95 % CI", barmode="group")
    elif method == "montecarlo":
        rows = indices[indices["output"] == HEADLINE]
        figure.add_bar(x=rows["factor"].map(factor_label), y=rows["spearman"])
        figure.update_layout(title="Spearman correlation with the total benefit (Monte Carlo)")
    else:
        return ""
    return figure_html(figure)


def _tornado(result) -> str:
    """Change of the total benefit when each factor is low and when it is high: the OAT
    runs that move that factor alone, or else (Morris, Sobol, Monte Carlo) the mean over
    the runs with the factor in its lowest and its highest third."""
    runs = _solved(result)
    base = result.base.get(HEADLINE) or np.nan
    factors = [c for c in runs.columns if c.startswith("x:")]
    if runs.empty or not factors:
        return ""
    change = runs[HEADLINE] / base - 1.0
    low, high = [], []
    for column in factors:
        others = [f for f in factors if f != column]
        alone = (runs[others] - 1.0).abs().max(axis=1) < 1e-9 if others else \
            pd.Series(True, index=runs.index)
        alone &= (runs[column] - 1.0).abs() > 1e-9
        if alone.any():
            below, above = alone & (runs[column] < 1.0), alone & (runs[column] > 1.0)
            low.append(change[below].min() if below.any() else 0.0)
            high.append(change[above].max() if above.any() else 0.0)
        else:
            lower, upper = runs[column].quantile([1 / 3, 2 / 3])
            low.append(change[runs[column] <= lower].mean())
            high.append(change[runs[column] >= upper].mean())
    order = np.argsort(np.abs(np.array(high) - np.array(low)))
    names = [factor_label(factors[k][2:]) for k in order]
    figure = go.Figure([go.Bar(y=names, x=[low[k] * 100 for k in order], orientation="h",
                               name="factor low 低"),
                        go.Bar(y=names, x=[high[k] * 100 for k in order], orientation="h",
                               name="factor high 高")])
    figure.update_layout(title="Tornado: change of the total benefit (%)", barmode="overlay",
                         height=max(320, 28 * len(names) + 120))
    return figure_html(figure)


def _curves(result) -> list[str]:
    runs = _solved(result)
    out = []
    for factor, label in (("budget", "预算 budget"), ("water", "水量 water")):
        column = f"x:{factor}"
        if column not in runs:
            continue
        figure = go.Figure(go.Scatter(x=runs[column], y=runs[HEADLINE], mode="markers"))
        figure.update_layout(title=f"Total benefit against the {label} multiplier",
                             xaxis_title=f"{label} × scenario",
                             yaxis_title="总效益 total benefit")
        out.append(figure_html(figure))
    return out


#: Selection-frequency classes of the map: upper bound, label, colour (viridis).
FREQUENCY_CLASSES = [(0.25, "< 25 %", "#440154"), (0.5, "25-50 %", "#3b528b"),
                     (0.75, "50-75 %", "#21918c"), (0.9, "75-90 %", "#5ec962"),
                     (1.01, "≥ 90 %", "#fde725")]


def _map_png(region: Region, title: str, classes) -> str:
    """The region's map (counties, zones, Aydingkol, scale bar, north arrow: the run
    report's frame, in the equal-area projection, so true to scale) with ``classes`` of
    parcels filled — (parcel ids, colour, label) — as an embedded PNG."""
    use_cjk_font()
    layers = map_layers(region)
    fig, ax, handles = map_frame(layers, None)
    parcels = layers["parcels"]
    for ids, colour, label in classes:
        chosen = parcels[parcels["parcel_id"].isin(ids)]
        if len(chosen):
            chosen.plot(ax=ax, color=colour, edgecolor="none")
        handles.append(Patch(facecolor=colour, label=f"{label} ({len(chosen)})"))
    finish_map(fig, ax, layers, handles, title)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(title)}" src="data:image/png;base64,{data}">'


def _maps(result, region: Region) -> list[str]:
    """Selection frequency by class, and the robust core against the scenario-dependent
    parcels, on the region's map."""
    frequency = result.frequency
    if frequency.empty:
        return ["<p>No parcel was chosen in any run.</p>"]
    lower, classes = 0.0, []
    for upper, label, colour in FREQUENCY_CLASSES:
        inside = (frequency["frequency"] >= lower) & (frequency["frequency"] < upper)
        classes.append((frequency.loc[inside, "parcel_id"], colour,
                        f"入选 chosen in {label} of runs"))
        lower = upper
    core = frequency["robust_core"]
    robust = [(frequency.loc[core, "parcel_id"], "#1b7837", "稳健核心 robust core"),
              (frequency.loc[~core, "parcel_id"], "#d95f02",
               "依情景而定 scenario-dependent")]
    return [_map_png(region, "选择频率 Selection frequency (share of runs)", classes),
            _map_png(region, "稳健核心 Robust core", robust)]


def _core_table(result, region: Region) -> pd.DataFrame:
    """The robust core, most often chosen first, with bilingual zone and county names."""
    core = result.frequency[result.frequency["robust_core"]].merge(
        region.parcels[["parcel_id", "zone", "county"]], on="parcel_id")
    for column, labels in (("zone", region.zone_labels), ("county", region.county_labels)):
        if labels is not None:
            names = labels.set_index(column)
            core[column] = core[column].map(
                lambda k, n=names: f"{n.at[k, 'name_zh']} {n.at[k, 'name_en']}"
                if k in n.index else str(k))
    return core[["parcel_id", "zone", "county", "frequency", "modal_year",
                 "modal_year_share"]].rename(columns={
                     "parcel_id": "地块 parcel", "zone": "分区 zone", "county": "县区 county",
                     "frequency": "入选比例 share of runs", "modal_year": "最常见年份 usual year",
                     "modal_year_share": "该年比例 share in that year"})


def _stability_chart(result) -> str:
    stable = result.stability
    if stable.empty:
        return ""
    figure = go.Figure([go.Histogram(x=stable["jaccard"], name="Jaccard (whole plan)"),
                        go.Histogram(x=stable["first_year_kept"],
                                     name="share of the first-year list kept")])
    figure.update_layout(title="Stability against the base plan", barmode="overlay")
    figure.update_traces(opacity=0.6)
    return figure_html(figure)


def write_sensitivity_report(path: Path, result, region: Region, method: str,
                             factors, robust_share: float) -> Path:
    """report.html of a sensitivity analysis (see issue: tornado, Morris/Sobol, curves,
    frequency and robust-core maps and table, stability, plain-language summary)."""
    core = _core_table(result, region)
    warning = result.warning()
    caution = "" if warning is None else \
        f"<p class='banner'>{html.escape(warning[0])} {html.escape(warning[1])}</p>"
    sections = [
        "<h1>敏感性分析 Sensitivity analysis</h1>",
        "<h2>结论 Summary</h2><ul>" + "".join(f"<li>{html.escape(line)}</li>"
                                             for line in summary_lines(result, method,
                                                                       robust_share))
        + "</ul>",
        f"<p class='note'>{html.escape(HEADLINE_NOTE)}</p>",
        f"<p class='note'>Method: {method}; factors (multipliers): "
        + html.escape(", ".join(f"{f.name} [{f.low:g}, {f.high:g}]" for f in factors))
        + "</p>",
        "<h2>影响因素 Influence</h2>", caution, _tornado(result), _index_chart(result, method),
        "<h2>预算与水 Budget and water</h2>", *_curves(result),
        "<h2>稳健性 Robustness</h2>", caution, *_maps(result, region),
        _stability_chart(result),
        f"<h3>稳健核心 Robust core ({len(core)} 个地块 parcels)"
        + ("" if warning is None else "：不可靠，仅供核查 unreliable, for checking only")
        + "</h3>", html_table(core),
    ]
    path.write_text(html_page("Sensitivity analysis", sections), encoding="utf-8")
    return path
