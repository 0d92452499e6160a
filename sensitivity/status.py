"""What a sensitivity analysis can claim: how well each sample was solved, and whether its
indices rest on enough samples.

A sample's solve stops at the analysis's gap (``[sensitivity] gap``, 1 % by default): the
solver calls such a plan "optimal", but it is only proven within that gap of the best plan.
So a run is called optimal only when its gap is closed (optimizer/gap.py), else "within
x % of optimal" — the words ``solve.py run`` prints beside its own gap.

How many samples make indices reliable (docs/sensitivity.md, "How many samples"):
- Morris: σ and μ*'s confidence interval (SALib ``analyze.morris``, bootstrapped over the
  trajectories) need two trajectories at least; with one, μ* rests on a single elementary
  effect per factor and has no spread estimate. SALib's docs give no number of
  trajectories; Morris screening designs commonly use 5 to 50 (UQpy's Morris docs) and 10
  or more for a ranking: :data:`MORRIS_TRAJECTORIES` (an estimate, not a sourced figure).
- Sobol: SALib's ``sample.sobol`` asks for N "ideally a power of 2", and its
  ``analyze.sobol`` gives each index a bootstrapped 95 % interval; the indices are not
  reliable while an interval is wider than :data:`SOBOL_CONF` (±0.1, on indices that
  range over 0-1). The interval narrows as 1/√N, which gives the N that would reach it.
"""

from __future__ import annotations

import math

import pandas as pd

from optimizer.gap import PROVEN_GAP, gap_up, within_gap_only

#: Morris trajectories from which indices are read as more than a first screening.
MORRIS_TRAJECTORIES = 10
#: The widest 95 % interval of a Sobol index (half-width) read as reliable.
SOBOL_CONF = 0.1
#: Statuses of a sample that returned a plan.
SOLVED = ("optimal", "feasible")
#: From this share of the samples left short of the asked gap with the base plan unchanged,
#: the indices measure the start more than each sample's best plan, and are said to.
UNMOVED_SHARE = 0.25


def run_words(status: str, gap: float | None) -> str:
    """A sample's status as a planner reads it: "optimal" only when proven (gap closed),
    "within 1.20 % of optimal" when it stopped at the asked gap, "feasible, gap 5.10 %" or
    "feasible, no bound" when it stopped short (also when its gap is infinite: HiGHS
    found no bound, and "gap inf%" says nothing a planner can read); other statuses as
    they are."""
    known = gap is not None and math.isfinite(gap)
    if status == "optimal":
        return f"within {gap_up(gap)} of optimal" if within_gap_only(status, gap) \
            else "optimal"
    if status == "feasible":
        return f"feasible, gap {gap:.2%}" if known else "feasible, no bound"
    return status


def status_counts(runs: pd.DataFrame, asked_gap: float) -> tuple[str, str]:
    """How the runs were solved, in Chinese and English: proven optimal, within the asked
    gap (the largest gap reached), stopped short of it, failed."""
    status = runs["status"] if "status" in runs else pd.Series(dtype=str)
    gap = pd.to_numeric(runs["gap"], errors="coerce") if "gap" in runs \
        else pd.Series(float("nan"), index=runs.index)
    optimal = status == "optimal"
    proven = optimal & (gap.isna() | (gap <= PROVEN_GAP))
    within = optimal & ~proven
    short = status == "feasible"
    failed = ~status.isin(SOLVED)
    widest = gap[within].max() if within.any() else 0.0
    zh = [f"{int(proven.sum())} 次证明最优"]
    en = [f"{int(proven.sum())} proven optimal"]
    if within.any():
        zh.append(f"{int(within.sum())} 次距最优不超过 {gap_up(widest)}（要求差距 {asked_gap:.2%}，"
                  "[sensitivity] gap）")
        en.append(f"{int(within.sum())} within {gap_up(widest)} of optimal (the asked gap, "
                  f"[sensitivity] gap, is {asked_gap:.2%})")
    if short.any():
        zh.append(f"{int(short.sum())} 次未达到要求差距（可行解）")
        en.append(f"{int(short.sum())} feasible, short of the asked gap")
    zh.append(f"{int(failed.sum())} 次失败或不可行")
    en.append(f"{int(failed.sum())} failed or infeasible")
    return "，".join(zh), ", ".join(en)


def reliability(method: str, samples: int, factors: int, indices: pd.DataFrame,
                headline: str = "value_at_base") -> tuple[str, str] | None:
    """A warning, in Chinese and English, when the design's indices have no spread estimate
    or too few samples to be relied on, with how many would be; None when they are."""
    if method == "morris" and samples < MORRIS_TRAJECTORIES:
        runs = MORRIS_TRAJECTORIES * (factors + 1)
        advice_zh = (f"建议至少 {MORRIS_TRAJECTORIES} 条轨迹（--samples {MORRIS_TRAJECTORIES}，"
                     f"{runs} 次求解；见 docs/sensitivity.md）")
        advice_en = (f"use {MORRIS_TRAJECTORIES} trajectories or more (--samples "
                     f"{MORRIS_TRAJECTORIES}: {runs} solves; docs/sensitivity.md)")
        if samples == 1:
            return (f"仅 1 条 Morris 轨迹：每个因素只有一个基本效应，μ* 没有离散度估计"
                    f"（σ 和置信区间至少需要 2 条轨迹），指标不可靠；{advice_zh}。",
                    "One Morris trajectory only: each factor has a single elementary effect, "
                    "so μ* has no spread estimate (σ and its interval need two trajectories "
                    f"or more) and the indices are not reliable; {advice_en}.")
        return (f"仅 {samples} 条 Morris 轨迹：指标只可作初步筛选，不宜据此排序；{advice_zh}。",
                f"{samples} Morris trajectories only: the indices are a first screening, "
                f"not a ranking to rely on; {advice_en}.")
    if method == "sobol" and not indices.empty:
        rows = indices[indices["output"] == headline]
        widest = float(rows[["S1_conf", "ST_conf"]].max().max()) if len(rows) else math.nan
        if not math.isfinite(widest) or widest > SOBOL_CONF:
            ratio = (widest / SOBOL_CONF) ** 2 if math.isfinite(widest) else 16.0
            needed = 2 ** math.ceil(math.log2(max(samples * ratio, samples + 1)))
            runs = needed * (factors + 2)  # Saltelli without second order (sampling.py)
            width_zh = f"±{widest:.2f}" if math.isfinite(widest) else "无法估计"
            width_en = f"±{widest:.2f}" if math.isfinite(widest) else "not estimable"
            return (f"Sobol 指标的 95% 置信区间最宽 {width_zh}（基础样本 N = {samples}），"
                    f"宽于 ±{SOBOL_CONF:g}，指标不可靠；区间随 1/√N 收窄，约需 N = {needed}"
                    f"（--samples {needed}，{runs} 次求解；SALib 建议 N 取 2 的幂）。",
                    f"The Sobol indices' 95 % intervals are up to {width_en} wide (N = "
                    f"{samples} base samples), wider than ±{SOBOL_CONF:g}: the indices are "
                    f"not reliable. Intervals narrow as 1/√N: about N = {needed} would do "
                    f"(--samples {needed}: {runs} solves; SALib asks for N a power of 2).")
    return None


def unmoved(runs: pd.DataFrame) -> tuple[str, str] | None:
    """A warning, in Chinese and English, when many samples stopped short of the asked gap
    with the base plan unchanged (``same_plan``: the same parcels, actions and start years;
    a sample's solve starts from the base plan and never returns less, so with too little
    time it returns that plan); None otherwise. The same parcels alone (Jaccard 1) are not
    enough: a sample that moved start years or actions did adapt. The README's small example
    (12 s a sample) left 21 of 24 Turpan samples so, and ranked the budget by plans that
    never saw it. Runs recorded before ``same_plan`` existed (a resumed folder) are not
    counted."""
    if runs.empty or "status" not in runs or "same_plan" not in runs:
        return None
    same = (runs["status"] == "feasible") & runs["same_plan"].eq(True)  # NaN: not known
    count = int(same.sum())
    if count == 0 or count < UNMOVED_SHARE * len(runs):
        return None
    return (f"{count}/{len(runs)} 个样本未达到要求差距且方案与基准方案相同（地块、措施与开始年份"
            "均未变）：求解时间不足以按样本调整方案，指标主要反映基准方案，而非各样本的最优方案；"
            "请给每次求解更多时间（--time-limit，[sensitivity] time_limit_s）。",
            f"{count} of {len(runs)} samples stopped short of the asked gap with the base "
            "plan unchanged (the same parcels, actions and start years): their solves had no "
            "time to adapt the plan to the sample, so the indices mostly measure the base "
            "plan, not each sample's best. Give each solve more time (--time-limit, "
            "[sensitivity] time_limit_s).")
