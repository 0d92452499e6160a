"""Places and land covers in a planner's words, Chinese and English.

The rules of the catalogue and of the plan projects say where a work may go by a place
expression (region/places.py: ``dist_oasis_km<=10``, ``near(rivers:白杨河)<=2``,
``township==夏乡``) and by land-cover codes. The table of projects without works
(outputs/no_option_cause.py) names the rule that leaves a project nothing, so it says these
as the plan would: 距绿洲10公里以内 / within 10 km of the oasis.
"""

from __future__ import annotations

import re

from region.places import Comparison, PlaceSyntaxError, parse_place
from region.schema import LAND_COVERS


def cover_words(covers: tuple[str, ...] | list[str]) -> tuple[str, str]:
    """Land-cover codes in words: ("荒漠灌丛、沙地/沙丘", "desert shrubland, sand dune")."""
    names = [LAND_COVERS.get(c, (c, c)) for c in covers]
    return "、".join(n[0] for n in names), ", ".join(n[1] for n in names)


_BOUNDS = {"<=": ("以内", "within"), "<": ("以内", "within")}
_LEVELS = {"<=": ("≤", "or less"), "<": ("<", "or less, exclusive"),
           ">=": ("≥", "or more"), ">": (">", "or more, exclusive")}
#: Features the shipped rules measure distance to (``near(layer)``, ``dist_*_km``).
_FEATURES = {"dist_oasis_km": ("绿洲", "the oasis"), "dist_river_km": ("河道", "a river"),
             "aydingkol_lake": ("艾丁湖", "Lake Aydingkol")}
RIVERS = {"白杨河": "the Baiyang River (白杨河)"}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _bilingual(name: str) -> tuple[str, str]:
    """("中文", "English") of a name written "English 中文" (the protected areas')."""
    found = _CJK.search(name)
    if found is None or found.start() == 0:
        return name, name
    return name[found.start():].strip(), name[:found.start()].strip()


def _term_words(term: Comparison, counties: dict[str, tuple[str, str]]) \
        -> tuple[str, str] | None:
    """One comparison of a place in words, for the columns and layers the shipped catalogue
    and projects use; None for any other (a bureau's own), which is then shown as written."""
    right = f"{term.right:g}" if isinstance(term.right, float) else str(term.right)
    near = term.near
    feature = _FEATURES.get(near[0] if near else term.left)
    if near and near[1] and near[0] == "rivers":
        feature = (near[1], RIVERS.get(near[1], near[1]))
    if feature and term.op in _BOUNDS:
        return f"距{feature[0]}{right}公里{_BOUNDS[term.op][0]}", \
            f"within {right} km of {feature[1]}"
    if term.left == "karez_count" and term.op == ">=" and term.right == 1:
        return "有坎儿井穿过", "a karez crosses it"
    if term.left == "road_rail" and term.op == "!=" and term.right == "":
        return "沿公路、铁路", "along a road or railway"
    if term.left == "degradation" and term.op in _LEVELS:
        return f"退化等级{_LEVELS[term.op][0]}{right}", \
            f"degradation level {right} {_LEVELS[term.op][1]}"
    if term.left == "land_cover" and term.op in ("==", "!="):
        zh, en = LAND_COVERS.get(right, (right, right))
        return (f"地类为{zh}", f"on {en}") if term.op == "==" else (f"地类非{zh}", f"not on {en}")
    if term.left == "protected_area" and term.op in ("==", "!="):
        if right == "":  # no protected area covers it / some does
            return (("不在保护地内", "outside every protected area") if term.op == "==" else
                    ("位于保护地内", "inside a protected area"))
        zh, en = _bilingual(right)
        return (f"位于{zh}内", f"in {en}") if term.op == "==" else (f"不在{zh}内", f"outside {en}")
    if term.left in ("county", "township") and term.op in ("==", "!="):
        zh, en = counties.get(right, (right, right)) if term.left == "county" else (right, right)
        return (f"位于{zh}", f"in {en}") if term.op == "==" else (f"不在{zh}", f"outside {en}")
    return None


def place_words(text: object, counties: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """A place expression (region/places.py) in words, Chinese and English:
    ``dist_oasis_km<=10`` → 距绿洲10公里以内 / within 10 km of the oasis; the expression itself
    where any part of it is not one the shipped rules use."""
    try:
        alternatives = parse_place(text)
    except PlaceSyntaxError:
        return str(text), str(text)
    words = [[_term_words(term, counties) for term in terms] for terms in alternatives]
    if not words or any(w is None for terms in words for w in terms):
        return str(text), str(text)
    if len(words) > 1 and all(len(t) == 1 and t[0].left == alternatives[0][0].left
                              and t[0].op == "==" for t in alternatives) \
            and alternatives[0][0].left in ("county", "township"):  # one of several places
        return (f"位于{'、'.join(t[0][0].removeprefix('位于') for t in words)}",
                f"in {', '.join(t[0][1].removeprefix('in ') for t in words)}")
    wrap = len(words) > 1  # (a and b) or c
    zh = ["且".join(w[0] for w in t) if len(t) == 1 or not wrap
          else f"（{'且'.join(w[0] for w in t)}）" for t in words]
    en = [" and ".join(w[1] for w in t) if len(t) == 1 or not wrap
          else f"({' and '.join(w[1] for w in t)})" for t in words]
    return "或".join(zh), " or ".join(en)
