"""Scores that explain themselves: parts per option, shares per plan, the sentence when one
criterion dominates, and the objective in words, against hand-made and recomputed values."""

import json

import numpy as np
import pandas as pd
import pytest

from outputs.explain import (
    contributions,
    criterion_shares,
    dominance_lines,
    objective_lines,
)
from region.schema import CRITERIA


def test_contributions_are_shares_of_the_value_and_name_the_driver() -> None:
    chosen = pd.DataFrame({f"value_{c}": [0.0, 0.0] for c in CRITERIA})
    chosen["value_sand"] = [3.0, 1.0]
    chosen["value_mine"] = [1.0, 3.0]
    parts = contributions(chosen)
    assert parts.loc[0, "sand"] == pytest.approx(0.75) and parts.loc[1, "mine"] == 0.75
    assert parts["driver"].tolist() == ["sand", "mine"]


def test_a_sentence_for_each_criterion_above_a_third_and_only_those() -> None:
    shares = pd.DataFrame({
        "criterion": ["mine", "sand"], "name_zh": ["矿山修复", "防风固沙"],
        "name_en": ["mine remediation", "sand control"], "weight": [0.2, 0.8],
        "share_weighted": [0.537, 0.33], "options_driven": [10, 90],
        "area_driven_km2": [7.0, 400.0], "area_share_driven": [0.003, 0.9],
        "share_scale": [0.95, 0.2]})
    lines = dominance_lines(shares)
    assert len(lines) == 1
    assert lines[0].startswith("矿山修复占方案加权效益的 53.7%（权重 0.200），由其主导的 10 项措施"
                               "占方案面积的 0.3%（1.05 万亩）")
    assert "Mine remediation carries 53.7% of the plan's weighted benefit" in lines[0]
    assert "realises 95.0% of its scale (the others: sand control 20.0%)." in lines[0]
    assert "集中在少数地块" in lines[0] and "sits in few parcels" in lines[0]
    shares.loc[0, "area_share_driven"] = 0.5  # on half the plan's area: not "few parcels"
    assert "few parcels" not in dominance_lines(shares)[0]


def test_shares_add_up_and_physical_totals_match_the_manifest(small_run) -> None:
    plan = small_run.plan
    shares = criterion_shares(plan).set_index("criterion")
    assert shares["share_weighted"].sum() == pytest.approx(1.0)
    assert shares["options_driven"].sum() == len(plan.chosen)
    pairs = small_run.problem.pairs
    manifest = json.loads((small_run.out_dir / "manifest.json").read_text(encoding="utf-8"))
    negligible = manifest["negligible_criteria"]
    assert "water" in negligible  # litres in this box
    for c, total in plan.criterion_totals.items():
        assert shares.loc[c, "physical"] == pytest.approx(total)
        potential = pairs.groupby("parcel_id")[f"benefit_{c}"].max().sum()  # by hand
        assert plan.scales.loc[c, "potential"] == pytest.approx(potential)
        if potential > 0:
            assert shares.loc[c, "share_potential"] == pytest.approx(total / potential)
            # norm_c = benefit_c · priority_c / R_c on every option; 0 for a criterion the
            # budget buys nothing meaningful of (this box: water, litres), which has no scale
            priority = pairs.get(f"priority_{c}", 1.0)
            if c in negligible:
                assert np.isnan(plan.scales.loc[c, "scale"])
                assert (pairs[f"norm_{c}"] == 0).all() and shares.loc[c, "weight"] == 0
                continue
            assert (pairs[f"benefit_{c}"] * priority / plan.scales.loc[c, "scale"]
                    ).to_numpy() == pytest.approx(pairs[f"norm_{c}"].to_numpy())


def test_the_objective_is_the_weighted_potential_realised_year_by_year(small_run,
                                                                       small_region) -> None:
    """Recompute the objective as the lines describe it: the weighted benefit each option
    delivers in each year from its start to the evaluation year (lag, ramp, survival and,
    where the catalogue has one, the action's lifetime), summed."""
    plan = small_run.plan
    horizon = plan.scenario.horizon
    chosen = plan.chosen
    catalogue = small_region[0].actions.set_index("code")
    timing = {c: chosen["action"].map(catalogue[c]).to_numpy(float)
              for c in ("lag_years", "maturity_years")}
    lifetime = np.nan_to_num(chosen["action"].map(catalogue["lifetime_years"]).to_numpy(float),
                             nan=np.inf) if "lifetime_years" in catalogue else np.inf
    start = chosen["start_year"].to_numpy()
    per_year = {}
    for year in range(horizon.start, horizon.evaluation_year + 1):
        k = year - start
        ramp = np.clip((k - timing["lag_years"] + 1)
                       / (timing["maturity_years"] - timing["lag_years"] + 1), 0, 1)
        alive = (k >= timing["lag_years"]) & (k < lifetime)
        per_year[year] = float((chosen["score"] * chosen["survival"] * ramp * alive).sum())
    corridor = plan.result.objective - float(chosen["value"].sum())
    assert sum(per_year.values()) + corridor == pytest.approx(plan.result.objective)
    lines = objective_lines(plan, small_region[0].actions)
    years = horizon.evaluation_year - horizon.start + 1
    scales = plan.scales
    # the small scenario's weights, water (litres in this box) and mine (none) weighing 0
    # and the others scaled to keep their total (criteria/normalise.py, live_weights)
    potential = sum(w * scales.loc[c, "weighted_potential"] / scales.loc[c, "scale"]
                    for c, w in {"sand": .4 / .6, "bio": .2 / .6}.items())
    assert np.isnan(scales.loc["water", "scale"]) and np.isnan(scales.loc["mine", "scale"])
    assert f"本方案平均每年实现其 {plan.result.objective / years / potential:.1%}" in lines[0]
    assert f"{horizon.evaluation_year}年实现 {per_year[horizon.evaluation_year] / potential:.1%}" \
        in lines[0]
    assert f"共 {years} 年" in lines[0] and f"{potential:.3g}/年" in lines[0]
