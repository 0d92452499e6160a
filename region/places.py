"""Places: conditions on a parcel's attributes that say where an action or a project applies.

A place is written in one cell of a rule table (``actions.csv`` column ``places``,
``projects.csv`` column ``places``) as alternatives separated by ``|``, each a conjunction of
comparisons separated by ``&``::

    dist_oasis_km<=10                       the oasis edge (a parcel attribute, km)
    karez_count>=1                          parcels a karez crosses
    township==艾丁湖镇|township==恰特喀勒乡   either township
    near(rivers:白杨河)<=5                   within 5 km of the feature named 白杨河 of the
                                            boundaries layer ``rivers``
    near(aydingkol_lake)<=25 & county==650422

A comparison is ``<left><op><right>`` with ``op`` one of ``<= >= < > == !=``; ``left`` is a
parcel column or ``near(<layer>[:<name>])``, the distance in km from the parcel to the layer's
features (all of them, or those whose ``name_zh``, ``name_en`` or ``name`` equals ``<name>``),
measured in the equal-area CRS. ``right`` is a number, or text (quotes optional; ``''`` is the
empty text). An empty place holds everywhere.

A comparison on a column the parcels lack, or on a layer the region has no file for, is false
(that alternative places nothing): the shipped rules can name layers a bureau adds later
(``--layer``) without failing on a region that has not.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from region.schema import EQUAL_AREA_CRS

OPERATORS: dict[str, Callable] = {"<=": operator.le, ">=": operator.ge, "==": operator.eq,
                                  "!=": operator.ne, "<": operator.lt, ">": operator.gt}
_COMPARISON = re.compile(
    r"^\s*(?P<left>near\(\s*[^)]+\)|[A-Za-z_]\w*)\s*(?P<op><=|>=|==|!=|<|>)\s*(?P<right>.*?)\s*$")
_NAME_COLUMNS = ("name_zh", "name_en", "name")


class PlaceSyntaxError(ValueError):
    """A place cell that is not a list of comparisons; the message shows the bad part."""


@dataclass(frozen=True)
class Comparison:
    """One ``left op right`` test of a place."""

    left: str  # a parcel column, or "near(layer)" / "near(layer:name)"
    op: str
    right: float | str

    @property
    def near(self) -> tuple[str, str | None] | None:
        """(layer, feature name or None) when ``left`` is a distance to a layer."""
        if not self.left.startswith("near("):
            return None
        inner = self.left[5:-1].strip()
        layer, _, name = inner.partition(":")
        return layer.strip(), (name.strip() or None)


def parse_place(text: object) -> list[list[Comparison]]:
    """``'a<=1&b==x|c>0'`` → [[a<=1, b==x], [c>0]]; empty → [] (everywhere)."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return []
    alternatives = []
    for alternative in str(text).split("|"):
        terms = []
        for part in alternative.split("&"):
            match = _COMPARISON.match(part)
            if match is None:
                raise PlaceSyntaxError(
                    f"'{part.strip()}' is not a comparison: expected <column><op><value> or "
                    f"near(<layer>[:<name>])<op><km>, op one of {' '.join(OPERATORS)}")
            terms.append(Comparison(match["left"].replace(" ", ""), match["op"],
                                    _value(match["right"])))
        alternatives.append(terms)
    return alternatives


def _value(text: str) -> float | str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    try:
        return float(text)
    except ValueError:
        return text


def place_problem(text: object) -> str | None:
    """The syntax problem of a place cell, or None when it parses."""
    try:
        parse_place(text)
    except PlaceSyntaxError as err:
        return str(err)
    return None


@dataclass
class Places:
    """Evaluates places on one region's parcels; distances to layers are computed once.

    ``parcels`` may lack geometry when no place uses ``near(...)``; ``boundaries`` is the
    GeoPackage holding the layers ``near`` refers to (None: every ``near`` is false).
    """

    parcels: pd.DataFrame
    boundaries: Path | None = None
    _distances: dict[tuple[str, str | None], NDArray[np.float64] | None] = field(
        default_factory=dict, repr=False)

    def mask(self, text: object) -> NDArray[np.bool_]:
        """Which parcels (in row order) the place holds on."""
        alternatives = parse_place(text)
        if not alternatives:
            return np.ones(len(self.parcels), bool)
        result = np.zeros(len(self.parcels), bool)
        for terms in alternatives:
            holds = np.ones(len(self.parcels), bool)
            for term in terms:
                holds &= self._holds(term)
            result |= holds
        return result

    def missing(self, text: object) -> list[str]:
        """The columns and layers a place names that this region lacks."""
        absent = []
        for terms in parse_place(text):
            for term in terms:
                near = term.near
                if near is None and term.left not in self.parcels.columns:
                    absent.append(f"column '{term.left}'")
                elif near is not None and self._distance(*near) is None:
                    absent.append(f"layer '{near[0]}'" + (f" feature '{near[1]}'"
                                                           if near[1] else ""))
        return absent

    def _holds(self, term: Comparison) -> NDArray[np.bool_]:
        near = term.near
        if near is not None:
            values = self._distance(*near)
            if values is None:
                return np.zeros(len(self.parcels), bool)
            return _compare(pd.Series(values), term)
        if term.left not in self.parcels.columns:
            return np.zeros(len(self.parcels), bool)
        return _compare(self.parcels[term.left].reset_index(drop=True), term)

    def _distance(self, layer: str, name: str | None) -> NDArray[np.float64] | None:
        key = (layer, name)
        if key not in self._distances:
            self._distances[key] = self._measure(layer, name)
        return self._distances[key]

    def _measure(self, layer: str, name: str | None) -> NDArray[np.float64] | None:
        if self.boundaries is None or not Path(self.boundaries).exists() \
                or not isinstance(self.parcels, gpd.GeoDataFrame):
            return None
        try:
            features = gpd.read_file(self.boundaries, layer=layer)
        except Exception:  # noqa: BLE001 - a missing layer is "no such place"
            return None
        if name is not None:
            named = np.zeros(len(features), bool)
            for column in _NAME_COLUMNS:
                if column in features.columns:
                    named |= (features[column].astype(str) == name).to_numpy()
            features = features[named]
        if features.empty:
            return None
        target = features.to_crs(EQUAL_AREA_CRS).geometry.union_all()
        geometry = self.parcels.geometry.to_crs(EQUAL_AREA_CRS).values
        return shapely.distance(geometry, target) / 1000.0


def _compare(values: pd.Series, term: Comparison) -> NDArray[np.bool_]:
    compare = OPERATORS[term.op]
    if isinstance(term.right, float):
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(float)
        with np.errstate(invalid="ignore"):
            return np.asarray(compare(numbers, term.right), bool) & ~np.isnan(numbers)
    text = values.fillna("").astype(str).str.strip()
    if term.op not in ("==", "!="):
        raise PlaceSyntaxError(f"'{term.left}{term.op}{term.right}': text compares with == "
                               "or != only")
    return np.asarray(compare(text, term.right), bool)
