"""Scores that explain themselves: what each criterion contributes, per option and per plan.

An option's value (the objective coefficient, optimizer/problem.py) is the sum of its
criteria's parts, ``value_<c>`` = w_c · norm_c · Σ_years ramp (optimizer/plan.py), where
norm_c = benefit_c · priority_c / R_c: the physical benefit, times the planners' priority
factor where the score has one (criteria/), over the criterion's scale R_c
(criteria/normalise.py; the plan's ``scales`` recover it from the option table).
Normalising puts the criteria on one scale, but a criterion of which the plan realises a
large share of its scale carries the plan's value whatever its physical size.
:func:`criterion_shares` shows, per criterion, the share of the plan's weighted benefit, of
the scale and of the region's physical potential; :func:`dominance_lines` says it in words
when one criterion carries more than a third of the weighted benefit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from criteria.ramp import benefit_fraction
from optimizer.plan import Plan
from outputs.labels import area_text
from region.schema import CRITERIA, CRITERION_LABELS

#: A criterion carrying more than this share of the weighted benefit gets a sentence.
DOMINANT_SHARE = 1.0 / 3.0


def scale_words(plan: Plan) -> tuple[str, str]:
    """What the score divides each criterion by in this plan (Chinese, English): the
    region's potential (every parcel's best action for the criterion, summed) or a smaller
    scale (what the horizon's budget could achieve on that criterion alone:
    criteria/normalise.py), read from the plan's scales."""
    scales = plan.scales
    potential = scales is not None and np.allclose(
        scales["scale"].fillna(0.0), scales["weighted_potential"].where(
            scales["scale"].notna(), 0.0), rtol=1e-6)
    if potential:
        return ("全域潜力（每个地块取该准则下最佳措施，全域求和）",
                "the region's potential for it (every parcel's best action for it, summed)")
    return ("该准则的归一化尺度（规划期预算全部用于该准则时可达到的效益）",
            "its scale (what the horizon's budget could achieve on that criterion alone)")


def score_note(plan: Plan) -> str:
    """The note of the 综合得分 column, naming the scale this plan was normalised by."""
    zh, en = scale_words(plan)
    year_zh, year_en = evaluation_year_words(plan)
    return (f"加权效益（除以{zh}、乘权重，累计至{year_zh}，含滞后、成长期、成活率）占全方案加权效益"
            f"（目标值）的百分比 | weighted benefit (divided by {en}, weighted, summed up to "
            f"{year_en} with lag, ramp-up and survival) as % of the plan's weighted "
            f"benefit (its objective)")


def evaluation_year_words(plan: Plan) -> tuple[str, str]:
    """The evaluation year the score sums benefits up to, in words (Chinese, English),
    said to lie beyond the plan period when it does: a funding body reads 2035 as the end."""
    if plan.scenario is None:
        return "评估年", "the evaluation year"
    year, end = plan.scenario.horizon.evaluation_year, plan.scenario.horizon.plan_period_end
    if year > end:
        return (f"评估年{year}年（超出规划期，规划期末为{end}年）",
                f"the evaluation year {year} (beyond the plan period, which ends in {end})")
    return f"评估年{year}年", f"the evaluation year {year}"


def normalisation_rule(plan: Plan) -> str:
    """The score's rule in words, with what R_c is for this plan (:func:`scale_words`)."""
    zh, en = scale_words(plan)
    year_zh, year_en = evaluation_year_words(plan)
    return (f"综合得分：每项准则的物理效益乘以优先系数（绿洲防护、规划第73行重点治理乡镇、"
            f"保护地等；系数为估算，仅计入得分），除以{zh}，乘以权重，再按滞后、成长期与成活率累计至"
            f"{year_zh}；各准则单位因此相消。带单位的效益列不含优先系数与归一化。 Score: each "
            f"criterion's physical benefit, times its priority factor (oasis shielding, the plan's "
            f"priority townships of line 73, protected areas; estimated factors, in the score "
            f"only), divided by {en}, times its weight, "
            f"accumulated to {year_en} with lag, ramp-up and survival; the criteria's "
            f"units cancel. Columns with a unit carry neither priority nor normalisation."
            + scale_follows_budget_words(plan) + dropped_words(plan))


def scale_follows_budget_words(plan: Plan) -> str:
    """When the scale is what the budget could achieve, a sentence saying it follows the
    budget: with less money the scale shrinks, so a plan's share of it can rise while its
    benefit falls (a reviewer read 14.2 % against the baseline's 12.9 % as more benefit
    from a 20 % smaller budget); plans of different budgets compare by their physical
    benefit. Empty when the scale is the region's potential."""
    zh, _ = scale_words(plan)
    if zh.startswith("全域潜力"):
        return ""
    return (" 归一化尺度随本方案的预算而定：预算减少时尺度随之变小，方案所占份额可能上升而"
            "效益下降；比较不同预算的方案请看带单位的成熟期物理效益。 The scale follows this "
            "plan's budget: with less money it shrinks, so a plan's share of it can rise while its "
            "benefit falls; compare plans of different budgets by their physical benefit "
            "(the columns with units).")


def dropped_words(plan: Plan) -> str:
    """A sentence naming the weighted criteria that weigh 0 in this plan because the budget
    can buy nothing meaningful of them (criteria/normalise.py); empty when there are none."""
    if plan.scenario is None or plan.scales is None:
        return ""
    from criteria.weights import resolve_weights

    given = resolve_weights(plan.scenario.weights)
    dropped = [c for c in CRITERIA if given.get(c, 0.0) > 0
               and not np.isfinite(_scale(plan, c, "scale"))]
    if not dropped:
        return ""
    zh = "、".join(CRITERION_LABELS[c][0] for c in dropped)
    en = ", ".join(CRITERION_LABELS[c][1] for c in dropped)
    return (f" 本方案中{zh}在预算内可实现的效益低于最小有意义幅度（或为零），权重计 0，其余"
            f"权重按比例放大。 In this plan the most the budget can buy of {en} is below its "
            f"smallest meaningful swing (or nil): it weighs 0 and the other weights are "
            f"scaled up in proportion (manifest.json: negligible_criteria).")


def contributions(chosen: pd.DataFrame) -> pd.DataFrame:
    """Per option, each criterion's share of its value (0-1; columns ``<c>``), and the
    criterion that drives it (``driver``: the largest part)."""
    parts = chosen[[f"value_{c}" for c in CRITERIA]].to_numpy(float)
    total = parts.sum(axis=1, keepdims=True)
    share = np.divide(parts, total, out=np.zeros_like(parts), where=total > 0)
    frame = pd.DataFrame(share, columns=list(CRITERIA), index=chosen.index)
    frame["driver"] = np.array(CRITERIA)[parts.argmax(axis=1)] if len(parts) else []
    return frame


def weights_of(plan: Plan) -> dict[str, float]:
    """The criterion weights the plan was scored with (from its scenario), summing to 1; 0
    for a criterion without a scale (negligible, criteria/normalise.py)."""
    if plan.scenario is None:
        return {}
    from criteria.normalise import live_weights
    from criteria.weights import resolve_weights

    weights = resolve_weights(plan.scenario.weights)
    if plan.scales is None:
        return weights
    return live_weights(weights, {c for c in plan.scales.index
                                  if np.isfinite(_scale(plan, c, "scale"))})


def _scale(plan: Plan, criterion: str, column: str) -> float:
    if plan.scales is None or criterion not in plan.scales.index:
        return np.nan
    return float(plan.scales.at[criterion, column])


def criterion_shares(plan: Plan) -> pd.DataFrame:
    """One row per criterion: its weight, its part of the plan's weighted benefit (and share
    of it), the options it drives and their area, the share of its scale R_c the plan
    realises at maturity, the mature physical benefit after survival, the region's physical
    potential and the share of it the plan realises."""
    chosen = plan.chosen
    weights = weights_of(plan)
    total = float(chosen[[f"value_{c}" for c in CRITERIA]].to_numpy(float).sum())
    driver = contributions(chosen)["driver"] if len(chosen) else pd.Series(dtype=object)
    area = float(chosen["area_km2"].sum())
    rows = []
    for c in CRITERIA:
        weighted = float(chosen[f"value_{c}"].sum())
        physical = float((chosen[f"benefit_{c}"] * chosen["survival"]).sum())
        potential = _scale(plan, c, "potential")
        driven = driver == c
        rows.append({
            "criterion": c, "name_zh": CRITERION_LABELS[c][0], "name_en": CRITERION_LABELS[c][1],
            "weight": weights.get(c, np.nan), "weighted": weighted,
            "share_weighted": weighted / total if total > 0 else np.nan,
            "options_driven": int(driven.sum()),
            "area_driven_km2": float(chosen.loc[driven, "area_km2"].sum()),
            "area_share_driven": float(chosen.loc[driven, "area_km2"].sum()) / area
            if area > 0 else np.nan,
            "share_scale": float((chosen[f"norm_{c}"] * chosen["survival"]).sum())
            if np.isfinite(_scale(plan, c, "scale")) else np.nan,
            "physical": physical, "potential": potential,
            "share_potential": physical / potential if potential > 0 else np.nan,
        })
    return pd.DataFrame(rows)


def dominance_lines(shares: pd.DataFrame) -> list[str]:
    """A bilingual sentence for every criterion carrying more than a third of the plan's
    weighted benefit: how much, on how much of the plan's area, and why: a criterion counts
    as its weight × the share of its scale the plan realises, so one whose scale the plan
    realises far more fully than the others' dominates; when it does so on little area,
    its scale sits in few parcels."""
    lines = []
    for row in shares.itertuples():
        if not row.share_weighted > DOMINANT_SHARE:
            continue
        others = shares[(shares["criterion"] != row.criterion) & shares["share_scale"].notna()]
        others_zh = "、".join(f"{o.name_zh} {o.share_scale:.1%}" for o in others.itertuples())
        others_en = ", ".join(f"{o.name_en} {o.share_scale:.1%}" for o in others.itertuples())
        realised = "" if np.isnan(row.share_scale) else (
            f"方案实现了该准则归一化尺度的 {row.share_scale:.1%}"
            + (f"（其他准则：{others_zh}）" if others_zh else "") + "。")
        realised_en = "" if np.isnan(row.share_scale) else (
            f" The plan realises {row.share_scale:.1%} of its scale"
            + (f" (the others: {others_en})" if others_en else "") + ".")
        few = row.area_share_driven < row.share_weighted / 2
        lines.append(
            f"{row.name_zh}占方案加权效益的 {row.share_weighted:.1%}（权重 {row.weight:.3f}），"
            f"由其主导的 {row.options_driven} 项措施占方案面积的 {row.area_share_driven:.1%}"
            f"（{area_text(row.area_driven_km2)}）。原因：每项准则按其尺度归一化，计为 权重 × "
            f"实现的尺度份额；{realised}"
            + ("该准则的效益集中在少数地块，这些地块的得分因此很高。" if few else "")
            + f" {row.name_en.capitalize()} carries {row.share_weighted:.1%} of the plan's "
            f"weighted benefit (weight {row.weight:.3f}) from {row.options_driven} options on "
            f"{row.area_share_driven:.1%} of its area "
            f"({area_text(row.area_driven_km2)}). Why: each criterion is scaled and "
            f"counts as its weight × the share of its scale realised.{realised_en}"
            + (" Its benefit sits in few parcels, so each of them scores high." if few
               else ""))
    return lines


def plan_benefit(plan: Plan) -> float:
    """The plan's weighted benefit: its options' values plus the corridor-completion bonus.
    That is the objective of a benefit run; a run whose objective is something else
    (``--objective min_cost``: minus the spend) keeps its options' values."""
    values = float(plan.chosen["value"].sum())
    objective = plan.result.objective
    tolerance = 1e-9 * max(abs(values), 1.0)
    return objective if objective is not None and objective >= values - tolerance else values


def weighted_potential(plan: Plan) -> float:
    """The region's weighted potential per year in score units: Σ_c w_c · (priority-weighted
    regional potential of c) / R_c — what every parcel's best action for every criterion
    would score in a year at maturity (1 when R_c is the regional potential)."""
    weights = weights_of(plan)
    if plan.scales is None:
        return float(sum(weights.values())) or 1.0
    total = 0.0
    for c, w in weights.items():
        scale = _scale(plan, c, "scale")
        if np.isfinite(scale) and scale > 0:
            total += w * _scale(plan, c, "weighted_potential") / scale
    return total or 1.0


def yearly_benefit(plan: Plan, actions: pd.DataFrame) -> pd.Series:
    """The plan's weighted benefit realised in each year from the horizon's start to the
    evaluation year (score units, undiscounted): Σ options score × ramp(year − start) with
    the catalogue's lag, maturity, survival and lifetime (criteria/ramp.py)."""
    horizon = plan.scenario.horizon
    years = range(horizon.start, horizon.evaluation_year + 1)
    chosen = plan.chosen
    if chosen.empty:
        return pd.Series(0.0, index=list(years))
    catalogue = actions.set_index("code")
    timing = {column: chosen["action"].map(catalogue[column]).to_numpy(float)
              for column in ("lag_years", "maturity_years") if column in catalogue}
    lifetime = chosen["action"].map(catalogue["lifetime_years"]).to_numpy(float) \
        if "lifetime_years" in catalogue else np.full(len(chosen), np.inf)
    lifetime = np.nan_to_num(lifetime, nan=np.inf)
    start = chosen["start_year"].to_numpy()
    score = chosen["score"].to_numpy(float)
    out = {}
    for year in years:
        k = year - start
        fraction = benefit_fraction(k, timing["lag_years"], timing["maturity_years"],
                                    chosen["survival"].to_numpy(float))
        out[year] = float((score * np.where((k >= 0) & (k < lifetime), fraction, 0.0)).sum())
    return pd.Series(out)


def objective_lines(plan: Plan, actions: pd.DataFrame) -> list[str]:
    """What the objective measures, in words: the region's weighted potential the plan
    realises, summed over the years from the horizon's start to the evaluation year; on
    average per year, in the horizon's last year and in the evaluation year."""
    objective = plan.result.objective
    if objective is None or plan.scenario is None:
        return []
    benefit = plan_benefit(plan)
    if objective != benefit:
        return [f"本方案的目标不是加权效益（例如最小投资：目标值 = −投资）；方案加权效益为 "
                f"{benefit:.4f}。 This run's objective is not the weighted benefit "
                f"(e.g. minimum cost: objective = −spend); the plan's weighted benefit is "
                f"{benefit:.4f}."]
    horizon = plan.scenario.horizon
    years = horizon.evaluation_year - horizon.start + 1
    potential = weighted_potential(plan)
    yearly = yearly_benefit(plan, actions) / potential
    average = objective / years / potential
    end, last = yearly.get(horizon.end, np.nan), yearly.iloc[-1]
    corridor = objective - float(plan.chosen["value"].sum())
    lines = [
        f"目标值 {objective:.4f} = 各年实现的加权效益之和（{horizon.start}-"
        f"{horizon.evaluation_year}年，共 {years} 年）。全域加权潜力（每个地块都取各准则最佳措施时"
        f"一年的得分，Σ 权重 × 潜力 / 尺度）为 {potential:.3g}/年：本方案平均每年实现其 "
        f"{average:.1%}，{horizon.end}年实现 {end:.1%}，{horizon.evaluation_year}年实现 "
        f"{last:.1%}。 Objective {objective:.4f} = the weighted benefit the plan realises in "
        f"each year, summed over {horizon.start}-{horizon.evaluation_year} ({years} years). "
        f"The region's weighted potential (a year's score if every parcel had its best "
        f"action for every criterion, Σ weight × potential / scale) is {potential:.3g} a "
        f"year: the plan realises {average:.1%} of it a year on average, {end:.1%} in "
        f"{horizon.end} and {last:.1%} in {horizon.evaluation_year}."]
    if corridor > 1e-9 * max(abs(objective), 1.0):
        lines.append(f"其中生态廊道连通奖励 {corridor:.4f}（{corridor / objective:.1%}）。 "
                     f"Of which corridor-completion bonus {corridor:.4f} "
                     f"({corridor / objective:.1%}).")
    if horizon.discount_rate > 0:
        lines.append(f"各年按 {horizon.discount_rate:.1%} 贴现（目标值），各年份额未贴现。 The "
                     f"objective discounts years at {horizon.discount_rate:.1%}; the yearly "
                     f"shares are undiscounted.")
    return lines
