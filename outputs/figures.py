"""Saving a figure the way every chart and map of a result is handed in: PNG to view and
print, SVG to edit (its text drawn as paths, outputs/fonts.py)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display (as every module that draws)
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def save_png_svg(fig: Figure, stem: Path) -> list[Path]:
    """Write ``fig`` as ``stem``.png and ``stem``.svg, close it, and return both paths."""
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        fig.savefig(path)
    plt.close(fig)
    return paths
