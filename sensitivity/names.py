"""Bilingual names of a sensitivity analysis's factors, outputs and record fields: the one
table the summary, the report and the CSV headers take them from (a factor's code, such as
``water_demand`` or ``weight:sand``, is what the scenario's [sensitivity] table and the
design use; a planner reads 需水量 water demand, 防风固沙权重 weight of sand control)."""

from __future__ import annotations

from region.schema import CRITERION_LABELS

#: Factors that scale one input region-wide (sensitivity/sampling.py factors).
FACTOR_NAMES: dict[str, tuple[str, str]] = {
    "budget": ("预算", "budget"),
    "water": ("水量", "water"),
    "water_demand": ("需水量", "water demand"),
    "survival": ("成活率", "survival"),
    "cost": ("单位成本", "unit cost"),
    "benefit": ("单位效益", "unit benefit"),
}

#: Fields of runs.csv and indices.csv other than factors and per-criterion or per-zone
#: outputs: Chinese, English.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "run_id": ("样本编号", "run"),
    "status": ("求解状态", "status"),
    "objective": ("本次目标值", "own objective"),
    "gap": ("最优性差距", "gap"),
    "time_s": ("求解时间(秒)", "time (s)"),
    "warm_start": ("初始方案", "warm start"),
    "warm_start_best": ("最佳初始方案来源", "best start from"),
    "message": ("求解器信息", "solver message"),
    "value_at_base": ("总效益(基准权重与估算)", "total benefit at base weights"),
    "jaccard": ("与基准方案相似度(Jaccard)", "Jaccard similarity to the base plan"),
    "same_plan": ("与基准方案相同", "same plan as the base"),
    "reliable": ("可靠", "reliable"),
    "output": ("输出", "output"),
    "factor": ("因素", "factor"),
    "factor_name": ("因素名称", "factor name"),
    "multiplier": ("倍数", "multiplier"),
    "mu_star": ("μ*", "mu_star"),
    "mu_star_conf": ("μ*置信区间半宽", "mu_star_conf"),
    "sigma": ("σ", "sigma"),
    "S1": ("一阶指数 S1", "S1"),
    "S1_conf": ("S1置信区间半宽", "S1_conf"),
    "ST": ("总效应指数 ST", "ST"),
    "ST_conf": ("ST置信区间半宽", "ST_conf"),
    "spearman": ("Spearman相关系数", "spearman"),
}


def factor_name(factor: str) -> tuple[str, str]:
    """A factor's (Chinese, English) name: 需水量 / water demand, 防风固沙权重 / weight of
    sand control, 单位成本（afforestation）/ unit cost (afforestation); an unknown code as
    it is."""
    kind, _, scope = factor.partition(":")
    if kind == "weight" and scope in CRITERION_LABELS:
        zh, en = CRITERION_LABELS[scope]
        return f"{zh}权重", f"weight of {en}"
    if kind in FACTOR_NAMES:
        zh, en = FACTOR_NAMES[kind]
        return (f"{zh}（{scope}）", f"{en} ({scope})") if scope else (zh, en)
    return factor, factor


def factor_label(factor: str) -> str:
    """"需水量 water demand": a factor by both names, as the summary names it."""
    zh, en = factor_name(factor)
    return f"{zh} {en}"


def field_name(field: str) -> tuple[str, str]:
    """A column of runs.csv or indices.csv by both names: factors' multipliers (``x:…``),
    benefits per criterion, areas per zone and the fields of :data:`FIELD_NAMES`; an
    unknown one as it is."""
    if field.startswith("x:"):
        zh, en = factor_name(field[2:])
        return f"{zh}倍数", f"{en} multiplier"
    if field.startswith("benefit_") and field[8:] in CRITERION_LABELS:
        zh, en = CRITERION_LABELS[field[8:]]
        return f"{zh}效益", f"{en} benefit"
    if field.startswith("area_zone_"):
        zone = field[10:]
        return f"第{zone}区面积(km²)", f"area of zone {zone} (km²)"
    return FIELD_NAMES.get(field, (field, field))
