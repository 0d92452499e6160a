"""Area-weighted overlay of patches on the features of another layer, vectorised.

An :class:`Overlay` holds, for every (patch, feature) pair that overlaps, the area they share
(m², in the equal-area CRS). From it: a feature field's area-weighted mean over each patch,
the value covering the largest share of each patch, and each patch's share per category.
Pairs are found with an STR-tree; a patch lying wholly inside a feature (or a feature wholly
inside a patch) takes its area without an intersection, so only the pairs cut by a boundary
pay for one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from numpy.typing import NDArray


@dataclass(frozen=True)
class Overlay:
    """Shared areas of patches (rows) and features (columns)."""

    patch: NDArray[np.int64]
    feature: NDArray[np.int64]
    area_m2: NDArray[np.float64]
    patch_area_m2: NDArray[np.float64]
    feature_area_m2: NDArray[np.float64]

    @property
    def n_patches(self) -> int:
        return len(self.patch_area_m2)

    def matrix(self) -> sp.csr_matrix:
        """Patches × features, shared area in m²."""
        return sp.csr_matrix((self.area_m2, (self.patch, self.feature)),
                             shape=(self.n_patches, len(self.feature_area_m2)))

    def covered_share(self) -> NDArray[np.float64]:
        """Share of each patch the features cover (1 when the layer has no gaps there)."""
        covered = np.bincount(self.patch, self.area_m2, minlength=self.n_patches)
        return np.clip(covered / np.maximum(self.patch_area_m2, 1e-12), 0.0, 1.0)

    def feature_covered_share(self) -> NDArray[np.float64]:
        """Share of each feature the patches cover."""
        covered = np.bincount(self.feature, self.area_m2, minlength=len(self.feature_area_m2))
        return np.clip(covered / np.maximum(self.feature_area_m2, 1e-12), 0.0, 1.0)

    def mean(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Area-weighted mean of a feature field over each patch (NaN where nothing overlaps)."""
        values = np.asarray(values, dtype=float)
        known = ~np.isnan(values[self.feature])
        weight = np.where(known, self.area_m2, 0.0)
        total = np.bincount(self.patch, weight, minlength=self.n_patches)
        summed = np.bincount(self.patch, weight * np.nan_to_num(values[self.feature]),
                             minlength=self.n_patches)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, summed / total, np.nan)

    def share_sum(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Σ value × (shared area / feature area): an amount spread evenly over each feature."""
        values = np.asarray(values, dtype=float)
        part = self.area_m2 / np.maximum(self.feature_area_m2[self.feature], 1e-12)
        return np.bincount(self.patch, part * np.nan_to_num(values[self.feature]),
                           minlength=self.n_patches)

    def shares(self, categories: pd.Series | NDArray) -> pd.DataFrame:
        """Share of each patch per category of the features (columns: the categories)."""
        codes, labels = pd.factorize(pd.Series(np.asarray(categories, dtype=object)))
        if len(labels) == 0:
            return pd.DataFrame(index=range(self.n_patches))
        code = codes[self.feature]
        known = code >= 0
        matrix = sp.csr_matrix((self.area_m2[known], (self.patch[known], code[known])),
                               shape=(self.n_patches, len(labels))).toarray()
        return pd.DataFrame(matrix / np.maximum(self.patch_area_m2, 1e-12)[:, None],
                            columns=list(labels))

    def largest(self, values: pd.Series | NDArray,
                missing: object = "") -> tuple[NDArray[np.object_], NDArray[np.float64]]:
        """The value covering the largest share of each patch, and that share."""
        codes, labels = pd.factorize(pd.Series(np.asarray(values, dtype=object)))
        result = np.full(self.n_patches, missing, dtype=object)
        share = np.zeros(self.n_patches)
        if len(self.patch) == 0 or len(labels) == 0:
            return result, share
        code = codes[self.feature]
        known = code >= 0
        matrix = sp.csr_matrix((self.area_m2[known], (self.patch[known], code[known])),
                               shape=(self.n_patches, len(labels)))
        best = np.asarray(matrix.argmax(axis=1)).ravel()
        top = np.asarray(matrix.max(axis=1).todense()).ravel()
        hit = top > 0
        result[hit] = np.asarray(labels, dtype=object)[best[hit]]
        share[hit] = top[hit] / np.maximum(self.patch_area_m2[hit], 1e-12)
        return result, share


def overlay(patches: NDArray[np.object_], features: NDArray[np.object_]) -> Overlay:
    """Every overlapping (patch, feature) pair and its shared area; both in one metric CRS."""
    patches = np.asarray(patches, dtype=object)
    features = np.asarray(features, dtype=object)
    patch_area = shapely.area(patches)
    feature_area = shapely.area(features)
    if len(patches) == 0 or len(features) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Overlay(empty, empty, np.zeros(0), patch_area, feature_area)
    tree = shapely.STRtree(features)
    p, f = tree.query(patches, predicate="intersects")
    shapely.prepare(features)
    area = np.zeros(len(p))
    inside = shapely.contains_properly(features[f], patches[p])
    area[inside] = patch_area[p[inside]]
    rest = np.flatnonzero(~inside)
    holds = shapely.contains_properly(patches[p[rest]], features[f[rest]])
    area[rest[holds]] = feature_area[f[rest[holds]]]
    cut = rest[~holds]
    area[cut] = shapely.area(shapely.intersection(patches[p[cut]], features[f[cut]]))
    keep = area > 0
    return Overlay(p[keep].astype(np.int64), f[keep].astype(np.int64), area[keep], patch_area,
                   feature_area)


def nearest_distance(geoms: NDArray[np.object_], targets: NDArray[np.object_],
                     tolerance_m: float = 0.0) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Distance from each geometry to the nearest target (0 when they touch) and its index;
    inf and −1 when there are no targets. With ``tolerance_m`` both sides are simplified
    first (distances then err by at most twice that): digitised edges carry hundreds of
    vertices that change a kilometre-scale distance by metres but cost most of the time."""
    geoms = np.asarray(geoms, dtype=object)
    if len(targets) == 0:
        return np.full(len(geoms), np.inf), np.full(len(geoms), -1, dtype=np.int64)
    targets = np.asarray(targets, dtype=object)
    if tolerance_m > 0:
        geoms, targets = _simplified(geoms, tolerance_m), _simplified(targets, tolerance_m)
    tree = shapely.STRtree(targets)
    (source, target), distance = tree.query_nearest(geoms, return_distance=True,
                                                    all_matches=False)
    dist = np.full(len(geoms), np.inf)
    nearest = np.full(len(geoms), -1, dtype=np.int64)
    dist[source] = distance
    nearest[source] = target
    return dist, nearest


def _simplified(geoms: NDArray[np.object_], tolerance_m: float) -> NDArray[np.object_]:
    """Simplified geometries; one that would vanish (narrower than the tolerance) is kept."""
    simple = shapely.simplify(geoms, tolerance_m, preserve_topology=False)
    gone = shapely.is_empty(simple) & ~shapely.is_empty(geoms)
    simple[gone] = geoms[gone]
    return simple
