"""A Simplified Chinese font for matplotlib, installed from PyPI.

Matplotlib's bundled DejaVu fonts have no Chinese glyphs: labels such as 防风固沙 would
render as empty boxes. The ``mplfonts`` package ships Noto Sans CJK SC (SIL Open Font
Licence); this module registers it and makes it the first sans-serif family, with DejaVu
Sans behind it for the glyphs Noto lacks.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib
import mplfonts
from matplotlib import font_manager

FONT_FILE = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"


@cache
def use_cjk_font() -> str:
    """Register the CJK font once per process and return its family name."""
    font_manager.fontManager.addfont(str(FONT_FILE))
    family = font_manager.FontProperties(fname=str(FONT_FILE)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font lacks U+2212
    matplotlib.rcParams["svg.fonttype"] = "path"  # SVGs render without the font installed
    return family
