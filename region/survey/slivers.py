"""Slivers: patches too small to plan, merged into a neighbour of the same class or dropped.

A patch below the minimum area joins the neighbour of the same land cover with which it shares
the longest boundary (a neighbour that is not itself a sliver); a sliver with no such neighbour
is dropped. Both are reported, by the patch's row and id, so nothing disappears unseen.

The default minimum, 200 m², is below any patch the survey itself draws (its smallest mapped
patches are of that order), so by default only artefacts of clipping and editing are touched;
``--min-area-m2`` raises it for coarser planning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray

DEFAULT_MIN_AREA_M2 = 200.0
#: Boundaries closer than this (m) count as shared: reprojection and T-junctions leave
#: neighbours a hair apart.
SNAP_M = 0.05


@dataclass(frozen=True)
class SliverPlan:
    """What happens to each sliver: ``target[k]`` is the patch sliver ``k`` joins, or −1."""

    slivers: NDArray[np.int64]
    target: NDArray[np.int64]

    @property
    def merged(self) -> NDArray[np.int64]:
        return self.slivers[self.target >= 0]

    @property
    def dropped(self) -> NDArray[np.int64]:
        return self.slivers[self.target < 0]


def plan_slivers(geoms: NDArray[np.object_], area_m2: NDArray[np.float64],
                 cover: NDArray[np.object_], min_area_m2: float) -> SliverPlan:
    """For each patch below ``min_area_m2``, the same-cover neighbour to merge it into
    (metric CRS)."""
    slivers = np.flatnonzero(area_m2 < min_area_m2)
    target = np.full(len(slivers), -1, dtype=np.int64)
    if len(slivers) == 0:
        return SliverPlan(slivers, target)
    tree = shapely.STRtree(geoms)
    s, t = tree.query(shapely.buffer(geoms[slivers], SNAP_M), predicate="intersects")
    s_patch = slivers[s]
    ok = (t != s_patch) & (area_m2[t] >= min_area_m2) & (cover[t] == cover[s_patch])
    s, t = s[ok], t[ok]
    shared = shapely.length(shapely.intersection(shapely.boundary(geoms[slivers[s]]),
                                                 shapely.buffer(geoms[t], SNAP_M)))
    keep = shared > 0
    s, t, shared = s[keep], t[keep], shared[keep]
    order = np.lexsort((-shared, s))  # per sliver, the longest shared boundary first
    s, t = s[order], t[order]
    first = np.r_[True, s[1:] != s[:-1]] if len(s) else np.zeros(0, bool)
    target[s[first]] = t[first]
    return SliverPlan(slivers, target)


def merged_geometries(geoms: NDArray[np.object_], plan: SliverPlan) -> NDArray[np.object_]:
    """The geometries after merging (slivers' own entries left as they were)."""
    out = geoms.copy()
    if len(plan.merged) == 0:
        return out
    targets = plan.target[plan.target >= 0]
    for target in np.unique(targets):
        members = plan.merged[targets == target]
        out[target] = shapely.union_all(np.r_[geoms[[target]], geoms[members]])
    return out
