"""The 27 historical mine sites of the shipped Turpan region: placed at random (seeded) in
the zones where the plan's mines lie (and 3 in zone 3, ours), with the plan's area for the 17
near-term sites, assumed done (data/README.md)."""

from __future__ import annotations

import numpy as np

MINES_DONE_AREA_KM2 = 10.99  # PLAN line 89: the 14th-FYP area for Turpan; the 17 sites, l.90
MINES_PENDING_AREA_KM2 = 7.0  # estimate: no figure in the plan for the 10 later sites


def place_mines(rng: np.random.Generator, zone: np.ndarray, in_oasis: np.ndarray,
                is_wetland: np.ndarray, area_km2: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """27 sites, mostly in zones 1, 4 and 5, off the oases; protected areas and red lines
    allowed (PLAN line 22: some mines lie inside reserves and red lines). Their parcels,
    status (17 done, 10 pending) and mined area, km²."""
    # The split is an estimate: the plan puts mines in zone 1 (PLAN line 63), zones 4-5
    # (lines 78, 83) and the Lop Nur reserve (line 22); the 3 in zone 3 are ours.
    mine_zone_quota = {1: 9, 4: 10, 5: 5, 3: 3}
    mine_idx = []
    for z, k in mine_zone_quota.items():
        pool = np.flatnonzero((zone == z) & ~in_oasis & ~is_wetland & (area_km2 > 3.0))
        mine_idx.extend(rng.choice(pool, size=k, replace=False).tolist())
    mine_idx = np.array(mine_idx)
    rng.shuffle(mine_idx)
    status = np.array(["done"] * 17 + ["pending"] * 10)
    mine_area = np.zeros(27)
    mine_area[status == "done"] = rng.dirichlet(np.full(17, 4.0)) * MINES_DONE_AREA_KM2
    mine_area[status == "pending"] = rng.dirichlet(np.full(10, 4.0)) * MINES_PENDING_AREA_KM2
    return mine_idx, status, mine_area


def mine_fields(n: int, mine_idx: np.ndarray, status: np.ndarray, mine_area: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The parcels' mine_id (M01…), mine_status and mine_area_km2 ('' and 0 off the mines)."""
    mine_id = np.full(n, "", dtype=object)
    mine_status = np.full(n, "", dtype=object)
    mine_area_km2 = np.zeros(n)
    mine_id[mine_idx] = [f"M{i + 1:02d}" for i in range(len(mine_idx))]
    mine_status[mine_idx] = status
    mine_area_km2[mine_idx] = mine_area.round(4)
    return mine_id, mine_status, mine_area_km2
