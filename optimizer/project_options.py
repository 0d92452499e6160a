"""What each plan project could have had: its options after every rule, summed per project.

The table of plan projects without works (outputs/unfunded.py) says why a project the plan
names gets nothing. It needs, per project, the options the model could choose — the option
table's (parcel, action) pairs filed under it (region/projects.py), less those every start
year of which a ``locked_out`` rule removes — and the best of them by return per 万元: the
option's objective coefficient (``Problem.value``, optimizer/problem.py) over its whole cost
(``cost_wan``), at its best start year. That is the ratio the priority lists rank by
(outputs/priority_lists.py ``benefit_per_wan``), so the two compare.

Rows are per (project, action, county, whether the option needs new water), so that the
outputs can say which county's water a project waits for without the option table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.problem import Problem

#: Columns of :func:`project_options`.
COLUMNS = ["project_id", "action", "county", "needs_water", "options", "area_km2",
           "locked_out", "best_per_wan", "best_value", "best_cost_wan", "best_year",
           "best_parcel_id", "best_area_km2"]


def project_options(problem: Problem) -> pd.DataFrame:
    """Per (project, action, county, needs_water): ``options`` (pairs with a start year no
    rule locks out) and their ``area_km2``, ``locked_out`` (pairs every start year of which
    is locked out), and the best open option by value per 万元 (``best_per_wan``, its
    ``best_value``, ``best_cost_wan``, ``best_year``, ``best_parcel_id``,
    ``best_area_km2``). ``needs_water``: the option draws new water
    (``water_wan_m3_per_yr`` > 0; water saving frees it).
    Empty when the options are filed under no project."""
    pairs = problem.pairs
    if "project_id" not in pairs.columns or problem.n_options == 0:
        return pd.DataFrame(columns=COLUMNS)
    cost = pairs["cost_wan"].to_numpy(float)[problem.option_pair]
    ratio = np.divide(problem.value, cost, out=np.full(problem.n_options, np.inf),
                      where=cost > 0)
    options = pd.DataFrame({"pair": problem.option_pair, "ratio": ratio,
                            "value": problem.value, "year": problem.option_year})
    options = options.loc[~problem.locked_out]
    best = options.loc[options.groupby("pair")["ratio"].idxmax()].set_index("pair")
    table = pd.DataFrame({
        "project_id": pairs["project_id"].fillna("").astype(str).to_numpy(),
        "action": pairs["action"].astype(str).to_numpy(),
        "county": pairs["county"].astype(str).to_numpy(),
        "needs_water": pairs["water_wan_m3_per_yr"].to_numpy(float) > 0,
        "area_km2": pairs["area_km2"].to_numpy(float),
        "parcel_id": pairs["parcel_id"].to_numpy(),
        "cost_wan": pairs["cost_wan"].to_numpy(float)})
    table["open"] = table.index.isin(best.index)
    table["ratio"] = best["ratio"].reindex(table.index).to_numpy()
    table["value"] = best["value"].reindex(table.index).to_numpy()
    table["year"] = best["year"].reindex(table.index).to_numpy()
    table = table[table["project_id"] != ""]
    keys = ["project_id", "action", "county", "needs_water"]
    rows = []
    for key, group in table.groupby(keys, sort=True):
        usable = group[group["open"]]
        top = usable.loc[usable["ratio"].idxmax()] if len(usable) else None
        rows.append((*key, len(usable), float(usable["area_km2"].sum()),
                     int((~group["open"]).sum()),
                     np.nan if top is None else float(top["ratio"]),
                     np.nan if top is None else float(top["value"]),
                     np.nan if top is None else float(top["cost_wan"]),
                     None if top is None else int(top["year"]),
                     None if top is None else top["parcel_id"],
                     np.nan if top is None else float(top["area_km2"])))
    return pd.DataFrame(rows, columns=COLUMNS)
