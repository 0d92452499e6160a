"""The annual priority lists as a table: the chosen options with bilingual labels, township,
areas, cost and its funding, water, physical benefits, score and its parts, the project-library
columns, project unit, reason and rank per start year (outputs/ranking.py's order); and the
project units of the lists. The workbook, the CSVs, the report and the re-plan's report read
them."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from criteria.corridors import CorridorAnalysis
from criteria.plausibility import wind_erosion_modulus
from optimizer.plan import Plan
from outputs.explain import plan_benefit
from outputs.labels import (
    HM2_PER_KM2,
    MU_PER_KM2,
    MU_PER_WAN_MU,
    both_names,
    county_names,
    label_column,
    zone_names,
)
from outputs.library import add_library_columns, load_library
from outputs.list_columns import UNIT_SUMMED
from outputs.plan_basis import project_fields
from outputs.project_flags import deployment_flags
from outputs.project_units import project_units, unit_ids
from outputs.ranking import in_rank_order, rank_values
from outputs.reasons import reasons, required_by_rules
from outputs.water_reliance import saving_links
from outputs.year_funds import first_instalment
from region.io import Region
from region.schema import CRITERIA

#: Parcel fields the RWEQ wind-erosion model reads (criteria/sand_control.py).
RWEQ_INPUTS = ("wind_exposure", "erodibility", "land_cover", "veg_cover")


def priority_lists(plan: Plan, region: Region,
                   corridors: CorridorAnalysis | None = None) -> pd.DataFrame:
    """The chosen options with bilingual labels, township, areas in 亩 and hm², total
    cost and its funding, yearly water, physical benefits, score and its parts, the
    project-library columns, project unit, reason and rank per start year, sorted by year
    and rank."""
    chosen = plan.chosen.copy()
    for column in ("project_id", "project_zh", "project_en"):  # a region without projects
        if column not in chosen:
            chosen[column] = ""
    years = plan.years["year"].astype(int).tolist()
    cost = chosen[[f"cost_{y}" for y in years]].sum(axis=1) + chosen["cost_after_horizon"]
    water = chosen[[f"water_{y}" for y in years]].to_numpy(float)
    chosen["total_cost_wan"] = cost
    chosen["year_cost_wan"] = first_instalment(chosen)
    chosen["water_wan_m3_per_yr"] = water[np.arange(len(water)), np.abs(water).argmax(axis=1)] \
        if len(water) else 0.0
    saving = [f"saving_{y}" for y in years if f"saving_{y}" in chosen]
    chosen["saving_wan_m3_per_yr"] = chosen[saving].max(axis=1) if saving else 0.0
    chosen["area_mu"] = chosen["area_km2"] * MU_PER_KM2
    chosen["area_hm2"] = chosen["area_km2"] * HM2_PER_KM2
    for c in CRITERIA:
        chosen[f"expected_{c}"] = chosen[f"benefit_{c}"] * chosen["survival"]
    counties, zones = county_names(region), zone_names(region)
    chosen["county"] = chosen["county"].astype(str)
    for language, suffix in enumerate(("zh", "en")):
        chosen[f"county_{suffix}"] = label_column(chosen["county"], counties, language)
        chosen[f"zone_{suffix}"] = label_column(chosen["zone"], zones, language)
    chosen = chosen.merge(_parcel_fields(region), on="parcel_id", how="left")
    chosen["sand_now_t"] = chosen["parcel_id"].map(_sand_modulus(region)) * chosen["area_km2"]
    catalogue = region.actions.set_index("code")
    basis = chosen["action"].map(catalogue["area_basis"]) if "area_basis" in catalogue \
        else pd.Series("", index=chosen.index)
    chosen["sites"] = (basis == "mine").astype(int)
    chosen["action_label"] = chosen["action_zh"] + " " + chosen["action_en"]
    chosen["project_label"] = _project_label(chosen)
    chosen = chosen.join(_both_names(chosen)).join(project_fields(chosen, region))
    total = plan_benefit(plan)
    chosen["score_pct"] = chosen["value"] * 100.0 / total if total else np.nan
    for c in CRITERIA:
        chosen[f"score_{c}"] = chosen[f"value_{c}"] * 100.0 / total if total else np.nan
    value = chosen["value"].to_numpy(float)
    chosen["benefit_per_wan"] = np.divide(value, cost.to_numpy(float),
                                          out=np.full(len(value), np.inf), where=cost > 0)
    chosen["pct_per_1000_wan"] = chosen["benefit_per_wan"] * 1000 * 100.0 / total \
        if total else np.nan
    if plan.scenario is not None:  # only what a rule needs (not every target member) first
        chosen["required"] = required_by_rules(chosen, plan.scenario)
    by_row = pd.Series(cost.to_numpy(float), index=chosen.index)  # chosen was re-indexed
    chosen = chosen.join(rank_values(chosen, by_row, saving_links(
        chosen, plan.water_accounts, plan.scenario, region)))
    chosen["rank_pct_per_1000_wan"] = chosen["rank_value"] * 1000 * 100.0 / total \
        if total else np.nan
    chosen = in_rank_order(chosen)
    chosen["rank"] = chosen.groupby("start_year").cumcount() + 1
    chosen["unit_id"] = unit_ids(chosen, region.parcels, sites=chosen["sites"] == 1)
    chosen["reason"] = reasons(chosen, plan.scenario, region, corridors,
                               plan.corridors_completed, plan.water_accounts)
    chosen["deployment_flag"] = deployment_flags(chosen, plan.scenario, region)
    chosen = add_library_columns(chosen, region, plan.scenario, load_library(region))
    return chosen.reset_index(drop=True)


def _parcel_fields(region: Region) -> pd.DataFrame:
    """Per parcel: township (Chinese, English; blank when the parcels have none) and the
    number of karez crossing it (0 when unknown)."""
    parcels = region.parcels
    fields = pd.DataFrame({"parcel_id": parcels["parcel_id"].to_numpy()})
    for source, target in (("township", "township_zh"), ("township_en", "township_en")):
        fields[target] = parcels[source].fillna("").astype(str).to_numpy() \
            if source in parcels else ""
    fields["karez_count"] = pd.to_numeric(parcels["karez_count"], errors="coerce").fillna(0) \
        .to_numpy() if "karez_count" in parcels else 0
    return fields


def _sand_modulus(region: Region) -> pd.Series:
    """Today's modelled wind erosion per parcel (t/km²·yr, RWEQ) by parcel id, the base the
    sand benefit is a reduction of; empty when the parcels lack the RWEQ inputs."""
    parcels = region.parcels
    if not set(RWEQ_INPUTS) <= set(parcels.columns):
        return pd.Series(dtype=float)
    return pd.Series(wind_erosion_modulus(parcels), index=parcels["parcel_id"].to_numpy())


def _project_label(frame: pd.DataFrame) -> pd.Series:
    """"<project id> <Chinese name>", empty when the option belongs to no plan project."""
    return (frame["project_id"].fillna("") + " " + frame["project_zh"].fillna("")).str.strip()


def _both_names(frame: pd.DataFrame) -> pd.DataFrame:
    """County, township, zone and plan project by both names ("鄯善县 Shanshan County",
    "P3-1 三北… Three-North …"), as the sheets show them (``<name>_both``), and the plan
    project's English label with its code (``project_label_en``), as the CSVs give it
    beside the Chinese one."""
    english = (frame["project_id"].fillna("") + " " + frame["project_en"].fillna("")).str.strip()
    return pd.DataFrame({
        **{f"{name}_both": both_names(frame[f"{name}_zh"], frame[f"{name}_en"])
           for name in ("county", "township", "zone") if f"{name}_zh" in frame},
        "project_both": both_names(frame["project_label"], frame["project_en"]),
        "project_label_en": english}, index=frame.index)


def units_frame(lists: pd.DataFrame, plan: Plan, region: Region) -> gpd.GeoDataFrame:
    """The project units of the lists, with their library columns rebuilt from the sums."""
    units = project_units(lists, region.parcels, UNIT_SUMMED)
    units["area_wan_mu"] = units["area_km2"] * MU_PER_KM2 / MU_PER_WAN_MU
    units["action_label"] = units["action_zh"] + " " + units["action_en"]
    units["project_label"] = _project_label(units)
    units = units.join(_both_names(units))  # its places by both names: project_units
    if "umbrella_id" in lists:  # a unit counts towards the umbrella work its parcels all do
        shared = lists.groupby("unit_id")["umbrella_id"].agg(
            lambda ids: ids.iat[0] if ids.nunique(dropna=False) == 1 else "")
        units["umbrella_id"] = units["unit_id"].map(shared)
    units = units.join(project_fields(units, region))
    units["survival"] = units["action"].map(region.actions.set_index("code")["survival"])
    return add_library_columns(units, region, plan.scenario, load_library(region))
