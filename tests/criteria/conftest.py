"""A tiny hand-made landscape for the criteria models."""

import pandas as pd
import pytest

ACTION = {
    "code": "plant", "name_zh": "造林", "name_en": "planting", "zones": "1|2|3",
    "land_covers": "desert_shrubland|sand_dune|forest|wetland|mine", "min_degradation": 1,
    "area_basis": "parcel", "unit_cost_wan_per_km2": 100.0, "cost_years": 1,
    "water_wan_m3_per_km2_yr": 10.0, "water_years": 5, "lag_years": 1, "maturity_years": 4,
    "survival": 0.9, "effect_sand": 0.8, "effect_water": 0.5, "effect_bio": 0.5,
    "effect_mine": 0.0, "effect_carbon": 0.5, "capacity_km2_per_yr": float("nan"),
    "compatible_with": "",
}


def parcel(**overrides) -> dict:
    row = {"parcel_id": 1, "county": "c1", "zone": 3, "area_km2": 5.0,
           "land_cover": "desert_shrubland", "degradation": 2, "elevation_m": 100.0,
           "precip_mm": 16.0, "veg_cover": 0.1, "wind_exposure": 0.6, "erodibility": 0.7,
           "dist_oasis_km": 3.0, "oasis_shield": 0.3, "water_source": 0.1,
           "habitat_quality": 0.3, "protected_area": "", "sand_priority": False,
           "mine_id": "", "mine_status": "", "mine_area_km2": 0.0, "mine_hazard": 0.0}
    row.update(overrides)
    return row


@pytest.fixture(scope="session")
def landscape():
    """Build a parcel table from overrides, one dict per parcel (ids assigned in order)."""
    def make(*rows: dict) -> pd.DataFrame:
        return pd.DataFrame([parcel(parcel_id=i + 1, **r) for i, r in enumerate(rows)])
    return make


@pytest.fixture(scope="session")
def actions():
    def make(**overrides) -> pd.DataFrame:
        return pd.DataFrame([{**ACTION, **overrides}])
    return make
