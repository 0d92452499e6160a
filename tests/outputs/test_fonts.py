"""Chinese labels render as glyphs, not as empty boxes."""

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from outputs.fonts import use_cjk_font  # noqa: E402


def render(text: str) -> np.ndarray:
    fig = plt.figure(figsize=(2, 0.6), dpi=80)
    fig.text(0.05, 0.3, text, fontsize=20)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    buffer.seek(0)
    return plt.imread(buffer)


def test_chinese_text_renders_with_distinct_glyphs_and_no_missing_glyph_warning() -> None:
    assert use_cjk_font() == "Noto Sans CJK SC"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
        sand, water = render("防风固沙"), render("水源涵养")
    # Missing glyphs draw identical boxes: different words must give different pixels.
    assert not np.array_equal(sand, water)
    assert (sand[..., :3] < 0.5).any()  # something dark was drawn
