"""The curve of a sweep: benefit against the budget or the water, with its marginal benefit;
or, for the corridor bonus, the benefit kept and the corridors completed against the weight."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from outputs.figures import save_png_svg  # noqa: E402
from outputs.fonts import use_cjk_font  # noqa: E402

#: The benefit axis: the objective, whose unit is the normalised benefit-year (each criterion
#: as a share of the most the horizon's budget can achieve, weighted, summed over the years
#: from the horizon's start to the evaluation year; docs/model.md "Objective",
#: docs/criteria.md). A sweep keeps the unswept scenario's scales, so its points compare.
BENEFIT_LABEL = "综合效益（归一化效益·年）\nWeighted benefit (normalised benefit-years)"
AXIS = {"budget": ("规划期总预算 Total budget (亿元 100M CNY)", 1e4, "wan",
                   "边际效益 Marginal benefit per 亿元"),
        "water": ("规划期新增生态用水配额 Water allocated for new use (亿m³ 100M m³)", 1e4,
                  "wan_m3", "边际效益 Marginal benefit per 亿m³ allocated (+ credit)")}
#: What a water sweep's marginal is, under its chart (as sweep.csv's docs, --water-scale's
#: help and the README say): the allocations and the saving credit move together.
WATER_MARGINAL_NOTE = ("注：--water-scale 同时缩放新增生态用水配额与节水抵扣系数 saving_credit，"
                       "边际效益为两者共同带来的效益增量除以配额增量，并非仅增加配额的效益。\n"
                       "Note: --water-scale scales the allocations and the saving credit "
                       "together; the marginal is the gain of both divided by the allocation's "
                       "step alone, not what more allocation alone would give.")
#: A sweep's column of the swept quantity: the scenario's budget, or its water allocations.
SWEPT_TOTAL = {"budget": "budget_total", "water": "water_allocated_total"}


def plot_curve(table: pd.DataFrame, parameter: str, stem: Path) -> list[Path]:
    """Benefit against the total limit, marginal benefit on a second axis; PNG and SVG."""
    if parameter == "corridor":
        return plot_corridor_curve(table, stem)
    use_cjk_font()
    label, per_yi, unit, marginal_label = AXIS[parameter]
    x = table[SWEPT_TOTAL[parameter]] / per_yi
    if x.nunique() < len(x):  # e.g. no water allocated: only the saving credit was scaled
        label, x = "系数 Scale (×; the swept total did not change)", table["scale"]
    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
    ax.plot(x, table["objective"], "o-", color="#1f6f43", label="综合效益 Weighted benefit")
    if "bound" in table.columns:  # the optimum lies between the plan and its bound
        above = (table["bound"].astype(float) - table["objective"]).clip(lower=0)
        ax.errorbar(x, table["objective"], yerr=[above * 0, above], fmt="none",
                    ecolor="#1f6f43", alpha=0.6, capsize=3,
                    label="至上界 up to the bound (gap)")
    for xi, yi, scale in zip(x, table["objective"], table["scale"], strict=True):
        ax.annotate(f"×{scale:g}", (xi, yi), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize=8)
    ax.set_xlabel(label)
    right = ax.twinx()
    # each marginal belongs to the interval between two points: draw it at the midpoint
    midpoints = (x + x.shift()) / 2
    marginal = table[f"marginal_benefit_per_{unit}"] * per_yi
    right.bar(midpoints, marginal,
              width=0.35 * x.diff().median() if len(x) > 1 else 0.1, alpha=0.3,
              color="#b5651d", label=marginal_label)
    low, high = f"marginal_low_per_{unit}", f"marginal_high_per_{unit}"
    if low in table.columns:  # the range the points' gaps leave the optimal plans' marginal
        right.errorbar(midpoints, marginal,
                       yerr=[(marginal - table[low] * per_yi).clip(lower=0),
                             (table[high] * per_yi - marginal).clip(lower=0)],
                       fmt="none", ecolor="#b5651d", capsize=3,
                       label="边际效益的可能范围（由间隙） range the gaps allow")
    ax.margins(y=0.12)  # room for the scale labels above the points
    benefit_axis(ax, table["objective"])
    right.set_ylabel(marginal_label)
    title = "预算—效益曲线 Budget–benefit curve" if parameter == "budget" else \
        "水量—效益曲线 Water–benefit curve"
    note = WATER_MARGINAL_NOTE if parameter == "water" else None
    return _finish(fig, ax, right, title, "lower right", stem, note)


def plot_corridor_curve(table: pd.DataFrame, stem: Path) -> list[Path]:
    """The criteria's benefit (without the corridor bonus) against the bonus weight, the
    corridors completed as bars on a second axis; PNG and SVG."""
    use_cjk_font()
    x = table["scale"]
    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
    right = ax.twinx()
    positions = range(len(x))  # weights often span orders of magnitude: evenly spaced
    right.bar(positions, table["corridors_completed"], width=0.4, alpha=0.3, color="#b5651d",
              label="打通的廊道 Corridors completed")
    ax.plot(positions, table["benefit_without_bonus"], "o-", color="#1f6f43",
            label="准则效益（不含廊道加成）Benefit without the bonus")
    ax.set_xticks(list(positions), [f"{w:g}" for w in x])
    ax.set_zorder(right.get_zorder() + 1)  # the line over the bars
    ax.patch.set_visible(False)
    ax.set_xlabel("廊道加成权重 Corridor bonus weight ([corridors] bonus_weight)")
    benefit_axis(ax, table["benefit_without_bonus"])
    right.set_ylabel("打通的廊道 Corridors completed")
    right.yaxis.get_major_locator().set_params(integer=True)
    return _finish(fig, ax, right, "廊道加成—效益曲线 Corridor bonus–benefit curve",
                   "lower left", stem)


def benefit_axis(ax: Axes, benefit: pd.Series) -> None:
    """Label the benefit axis with its unit and start it at 0 (no works, no benefit) when
    no point is below 0: a curve drawn from its lowest point makes a few per cent between
    the points look like a doubling."""
    ax.set_ylabel(BENEFIT_LABEL)
    high = ax.dataLim.y1  # the points and their error bars
    if benefit.min() >= 0 and high > 0:
        ax.set_ylim(0, high * 1.12)  # room for the scale labels above the points


def _finish(fig: Figure, ax: Axes, right: Axes, title: str, legend_at: str,
            stem: Path, note: str | None = None) -> list[Path]:
    """Title, one legend for the line and the bars of the second axis, grid, the ``note``
    under the chart; PNG and SVG."""
    ax.set_title(title)
    lines = ax.get_legend_handles_labels()
    bars = right.get_legend_handles_labels()
    ax.legend(lines[0] + bars[0], lines[1] + bars[1], loc=legend_at, fontsize=8)
    ax.grid(alpha=0.3)
    if note is None:
        fig.tight_layout()
    else:
        fig.text(0.01, 0.01, note, fontsize=7, color="#444444", va="bottom", wrap=True)
        fig.tight_layout(rect=(0, 0.1, 1, 1))
    return save_png_svg(fig, stem)
