"""Water accounts: who may use how much new ecological water, per county and year.

The plan's first rule is water (以水而定，量水而行, plan line 40; total use already above the
carrying capacity, line 20). An *account* is a county (when the scenario gives
``water.per_county``) or the whole city (``water.default``/``per_year`` alone). In year t

    use[k,t]       = Σ demand of new works in k − saving_credit · Σ water saved in k
    available[k,t] = allocation[k,t] + lake source − lake target   (lake terms in its county)
    use[k,t] ≤ available[k,t] + import[k,t]

``import`` is 0 unless ``saving_scope = "city"``: then credited savings may move between
counties (Σ_k import[k,t] = 0, and a county exports at most its credited savings). The
uncredited share of every saving, (1 − saving_credit) · saved, is 压采: groundwater left in
the aquifer, reported per county. docs/water.md explains the accounts with figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from region.scenario import Scenario

CITY = "city"


@dataclass(frozen=True)
class WaterAccount:
    """One account's water per horizon year (万m³): its allocation and the lake's terms."""

    key: str  # a county code, or CITY
    allocation: NDArray[np.float64]
    lake_source: NDArray[np.float64]
    lake_target: NDArray[np.float64]

    @property
    def available(self) -> NDArray[np.float64]:
        """Water the account's new works may use before credited savings."""
        return self.allocation + self.lake_source - self.lake_target


def water_accounts(scenario: Scenario, years: list[int],
                   counties: set[str]) -> list[WaterAccount]:
    """The scenario's accounts: with ``per_county``, one per county of ``counties`` (the
    parcels') and of the scenario (a county it does not list has no allocation), else the
    city's."""
    water = scenario.water
    if water.per_county:
        keys = set(water.per_county) | {str(c) for c in counties}
        if water.aydingkol is not None:
            keys.add(water.aydingkol.county)
        keys = sorted(keys)
        limits = {k: water.per_county[k].for_years(years) if k in water.per_county
                  else dict.fromkeys(years, 0.0) for k in keys}
    else:
        keys = [CITY]
        limits = {CITY: water.for_years(years)}
    accounts = []
    for key in keys:
        lake = water.aydingkol is not None and key in (CITY, water.aydingkol.county)
        n = len(years)
        accounts.append(WaterAccount(
            key, np.array([limits[key][y] for y in years], dtype=float),
            np.full(n, water.aydingkol.source_wan_m3 if lake else 0.0),
            np.full(n, water.aydingkol.target_wan_m3 if lake else 0.0)))
    return accounts


def account_of_options(accounts: list[WaterAccount], county: NDArray) -> NDArray[np.int64]:
    """Index of each option's account (every county has one, see :func:`water_accounts`)."""
    if len(accounts) == 1 and accounts[0].key == CITY:
        return np.zeros(len(county), dtype=np.int64)
    index = {a.key: i for i, a in enumerate(accounts)}
    return np.array([index[str(c)] for c in county], dtype=np.int64)


def account_table(accounts: list[WaterAccount], years: list[int], account: NDArray,
                  demand: NDArray, saving: NDArray, credit: float,
                  moved: NDArray | None = None) -> pd.DataFrame:
    """Each account's water per year for the chosen works (rows of ``demand``/``saving``,
    万m³ per horizon year; ``account`` their account index; ``moved`` accounts × years of
    credited savings moved in, when savings may cross county lines).

    ``water_use`` = demand of the works + the lake's delivery target; ``water_available`` =
    allocation + the lake's source + credited savings + savings moved in; the model keeps
    use ≤ available. ``groundwater_relief`` is the uncredited share of the savings (压采).
    """
    records = []
    for i, acc in enumerate(accounts):
        mine = account == i
        own_demand = demand[mine].sum(axis=0)
        own_saving = saving[mine].sum(axis=0)
        moved_in = moved[i] if moved is not None else np.zeros(len(years))
        for t, year in enumerate(years):
            credited = credit * own_saving[t]
            records.append({
                "year": year, "account": acc.key,
                "demand": float(own_demand[t]), "lake_target": float(acc.lake_target[t]),
                "water_use": float(own_demand[t] + acc.lake_target[t]),
                "allocation": float(acc.allocation[t]), "lake_source": float(acc.lake_source[t]),
                "saving": float(own_saving[t]), "saving_credited": float(credited),
                "groundwater_relief": float(own_saving[t] - credited),
                "moved_in": float(moved_in[t]),
                "water_available": float(acc.allocation[t] + acc.lake_source[t] + credited
                                         + moved_in[t]),
            })
    return pd.DataFrame.from_records(records)
