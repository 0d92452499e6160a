"""Hand-made result folders for the compare tests (library and CLI)."""

import json

import pandas as pd
import pytest


def write_result(folder, rows, spend, objective):
    """A minimal result folder: plan.csv rows (parcel, action, year, km²) and a manifest."""
    folder.mkdir(parents=True)
    pd.DataFrame(rows, columns=["parcel_id", "action", "start_year", "area_km2"]).to_csv(
        folder / "plan.csv", index=False)
    manifest = {"status": "optimal", "objective": objective, "gap": 0.0,
                "criterion_totals": {"sand": objective},
                "years": {str(y): {"spend": s, "water_use": s / 10} for y, s in spend.items()}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.fixture
def two_plans(tmp_path):
    """Result folders A (reference) and B with hand-counted differences."""
    a = write_result(tmp_path / "A", [(1, "x", 2027, 5.0), (2, "x", 2027, 5.0),
                                      (3, "y", 2028, 5.0)], {2027: 100.0, 2028: 50.0}, 1.0)
    # B: parcel 1 same; 2 moved to 2028; 3 dropped; 4 added in 2027; 5 added in 2028
    b = write_result(tmp_path / "B", [(1, "x", 2027, 5.0), (2, "x", 2028, 5.0),
                                      (4, "x", 2027, 5.0), (5, "y", 2028, 2.0)],
                     {2027: 80.0, 2028: 90.0}, 1.5)
    return a, b
