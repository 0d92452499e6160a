"""The budget–benefit (or water–benefit) curve of a sweep, with its marginal benefit."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from outputs.figures import save_png_svg  # noqa: E402
from outputs.fonts import use_cjk_font  # noqa: E402

AXIS = {"budget": ("规划期总预算 Total budget (亿元 100M CNY)", 1e4, "wan",
                   "边际效益 Marginal benefit per 亿元"),
        "water": ("规划期可用生态水量 Water available for new use (亿m³ 100M m³)", 1e4, "wan_m3",
                  "边际效益 Marginal benefit per 亿m³")}


def plot_curve(table: pd.DataFrame, parameter: str, stem: Path) -> list[Path]:
    """Benefit against the total limit, marginal benefit on a second axis; PNG and SVG."""
    use_cjk_font()
    label, per_yi, unit, marginal_label = AXIS[parameter]
    x = table[f"{parameter}_total"] / per_yi
    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
    ax.plot(x, table["objective"], "o-", color="#1f6f43", label="综合效益 Weighted benefit")
    for xi, yi, scale in zip(x, table["objective"], table["scale"], strict=True):
        ax.annotate(f"×{scale:g}", (xi, yi), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize=8)
    ax.set_xlabel(label)
    ax.set_ylabel("综合效益 Weighted benefit (objective)")
    right = ax.twinx()
    # each marginal belongs to the interval between two points: draw it at the midpoint
    midpoints = (x + x.shift()) / 2
    right.bar(midpoints, table[f"marginal_benefit_per_{unit}"] * per_yi,
              width=0.35 * x.diff().median() if len(x) > 1 else 0.1, alpha=0.3,
              color="#b5651d", label=marginal_label)
    ax.margins(y=0.12)  # room for the scale labels above the points
    right.set_ylabel(marginal_label)
    title = "预算—效益曲线 Budget–benefit curve" if parameter == "budget" else \
        "水量—效益曲线 Water–benefit curve"
    ax.set_title(title)
    lines = ax.get_legend_handles_labels()
    bars = right.get_legend_handles_labels()
    ax.legend(lines[0] + bars[0], lines[1] + bars[1], loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return save_png_svg(fig, stem)
