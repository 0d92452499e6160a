"""What each year's application asks for, and what the plan leaves to be paid after it.

A work's cost spreads over the first years of its action (catalogue ``cost_years``), so a
year's money goes to the works starting that year (their first instalment) and to the works
started earlier whose instalments fall due in it (续建项目). A year sheet that listed only the
new starts at their whole cost would total more than the year's budget in the first year and
far less than the year's spend later; :func:`continuing_works` gives the second part, so that
new starts' 当年资金需求 plus the continuing works' equals the year's spend (plan.csv's
``cost_<year>`` summed).

Instalments due after the horizon (``cost_after_horizon``) and the water the works still draw
after it (``water_after_horizon``, to the evaluation year) are obligations the plan hands
on: :func:`obligation_lines` says them beside the totals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimizer.plan import Plan
from outputs.labels import figure_text
from outputs.library import LEVELS, LEVELS_EN, due_column, funds_due_by_level, share_column


def _years(frame: pd.DataFrame) -> list[int]:
    return sorted(int(c.removeprefix("cost_")) for c in frame.columns
                  if c.startswith("cost_") and c.removeprefix("cost_").isdigit())


def first_instalment(frame: pd.DataFrame) -> pd.Series:
    """Each work's money due in its start year (万元): its ``cost_<start year>``."""
    years = _years(frame)
    if frame.empty or not years:
        return pd.Series(0.0, index=frame.index)
    cost = frame[[f"cost_{y}" for y in years]].to_numpy(float)
    column = np.searchsorted(years, frame["start_year"].to_numpy(int))
    inside = column < len(years)
    due = np.zeros(len(frame))
    due[inside] = cost[np.flatnonzero(inside), column[inside]]
    return pd.Series(due, index=frame.index)


def continuing_works(lists: pd.DataFrame, year: int) -> pd.DataFrame:
    """Works started before ``year`` with money due in it, in start-year and rank order:
    their ``year_cost_wan`` (due in ``year``), ``paid_before_wan`` (in earlier years) and
    ``due_later_wan`` (later years of the horizon and after it)."""
    years = _years(lists)
    if f"cost_{year}" not in lists:
        return lists.iloc[:0].assign(year_cost_wan=0.0, paid_before_wan=0.0, due_later_wan=0.0)
    rows = lists[(lists["start_year"] < year) & (lists[f"cost_{year}"] > 0)]
    before = [f"cost_{y}" for y in years if y < year]
    later = [f"cost_{y}" for y in years if y > year]
    rows = rows.assign(
        year_cost_wan=rows[f"cost_{year}"],
        paid_before_wan=rows[before].sum(axis=1) if before else 0.0,
        due_later_wan=rows[later].sum(axis=1) + rows["cost_after_horizon"])
    if all(share_column(column) in rows for _, column, _ in LEVELS):
        rows = rows.assign(**funds_due_by_level(rows))  # that year's instalment by level
    order = [c for c in ("start_year", "rank", "parcel_id") if c in rows]
    return rows.sort_values(order, kind="stable")


def year_rows(lists: pd.DataFrame, year: int) -> pd.DataFrame:
    """A year's application: its new starts (their first instalment) and its continuing
    works (that year's instalment), each with ``year_cost_wan`` and its split by level."""
    return pd.concat([lists[lists["start_year"] == year], continuing_works(lists, year)])


def funds_due_by_year(lists: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Per year (index): the funds due by level (``due_fund_<level>``, new starts and
    continuing works together; blank when an action has no shares) and in all
    (``year_cost_wan``, the year's spend)."""
    keys = [due_column(column) for _, column, _ in LEVELS]
    return pd.DataFrame([year_rows(lists, y).reindex(columns=[*keys, "year_cost_wan"])
                         .sum(skipna=False) for y in years], index=pd.Index(years, name="year"))


def levels_text(due: pd.Series) -> tuple[str, str]:
    """"其中中央 a、自治区 b、市县 c、社会资本 d" and its English, from a row of
    :func:`funds_due_by_year`; blank where the scenario gives no shares."""
    amounts = [due.get(due_column(column), np.nan) for _, column, _ in LEVELS]
    if not all(np.isfinite(a) for a in amounts):
        return "", ""
    zh = "、".join(f"{label} {a:,.1f}" for (_, _, label), a in zip(LEVELS, amounts,
                                                                    strict=True))
    en = ", ".join(f"{label} {a:,.1f}" for label, a in zip(LEVELS_EN, amounts, strict=True))
    return f"，其中{zh}", f"; of which {en}"


def funds_line(year: int, new: float, continuing: float, budget: float | None,
               due: pd.Series | None = None, paid_lapsed: float = 0.0) -> str:
    """The year's money in one bilingual sentence: new starts + continuing works (+ a
    re-plan's recorded year's failed and cancelled works paid, ``paid_lapsed``) = total,
    and the plan works' part by funding level (``due``: the year's row of
    :func:`funds_due_by_year`)."""
    total = new + continuing + paid_lapsed
    lapsed = (f" + 失败/取消工程已支付 {paid_lapsed:,.1f}（未按级次拆分）",
              f" + failed/cancelled works paid {paid_lapsed:,.1f} (not split by level)") \
        if paid_lapsed else ("", "")
    against = "" if budget is None or not np.isfinite(budget) else \
        f"；当年可用预算 {budget:,.1f} 万元"
    against_en = "" if budget is None or not np.isfinite(budget) else \
        f"; budget available {budget:,.1f}"
    zh, en = levels_text(due) if due is not None else ("", "")
    return (f"{year}年当年资金需求合计 {total:,.1f} 万元 = 新开工项目 {new:,.1f} + 续建项目 "
            f"{continuing:,.1f}{lapsed[0]}{zh}{against}。 Funds due in {year}: {total:,.1f} "
            f"(10k CNY) = new starts {new:,.1f} + continuing works {continuing:,.1f}"
            f"{lapsed[1]}{en}{against_en}.")


def obligations(plan: Plan) -> dict[str, float]:
    """Whole cost of the plan's works, the part paid within the horizon and the part due
    after it (万元); the new water its works still draw after the horizon, in its first
    year and in all to the evaluation year (万m³)."""
    chosen = plan.chosen
    within = float(plan.years["spend"].sum())
    after = float(chosen["cost_after_horizon"].sum()) if len(chosen) else 0.0
    water = plan.committed_water()
    return {"total_wan": within + after, "within_wan": within, "after_wan": after,
            "water_first_year_wan_m3": water["first_year_wan_m3"],
            "water_to_evaluation_wan_m3": water["to_evaluation_year_wan_m3"]}


def water_after_horizon(plan: Plan, actions: pd.DataFrame) -> pd.DataFrame:
    """Per water account (county, or the city with ``saving_scope = "city"``): the new
    water the works still draw after the horizon (``need_first``: the first year after it,
    万m³/yr; ``need_total``: to the evaluation year) and the water-saving irrigation's
    credited saving over the same years (``credit_first``, ``credit_total``): each saving
    work's credited part of its last horizon year (the negative ``water_<year>``) for as
    long as its ``water_years`` (catalogue) run past the horizon, to the evaluation year.
    Credited savings count in their own county only, unless the scenario says the city."""
    chosen = plan.chosen
    columns = ["need_first", "need_total", "credit_first", "credit_total"]
    if chosen.empty or plan.scenario is None:
        return pd.DataFrame(columns=columns, dtype=float)
    last = max(_years(chosen))
    extra = plan.scenario.horizon.evaluation_year - last
    drinking = chosen["water_after_horizon"] > 0
    credited = (-chosen[f"water_{last}"]).clip(lower=0.0).where(
        chosen.get(f"saving_{last}", 0.0) > 0, 0.0)
    span = pd.to_numeric(chosen["action"].map(actions.set_index("code")["water_years"]),
                         errors="coerce").to_numpy(float)
    after = np.clip(np.where(np.isnan(span), extra, chosen["start_year"] + span - 1 - last),
                    0, extra)
    account = chosen["county"].astype(str) if plan.scenario.water.saving_scope == "county" \
        else pd.Series("city", index=chosen.index)
    frame = pd.DataFrame({
        "need_first": chosen[f"water_{last}"].clip(lower=0.0).where(drinking, 0.0),
        "need_total": chosen["water_after_horizon"],
        "credit_first": credited.where(after >= 1, 0.0),
        "credit_total": credited * after, "account": account})
    return frame.groupby("account")[columns].sum()


def _water_after_line(plan: Plan, actions: pd.DataFrame | None) -> str:
    """The water the works still draw after the horizon, beside the credited saving that
    runs on after it for the savings' life (the catalogue's lifetime of water-saving
    irrigation): the need alone would overstate what the next plan period must allocate.
    The net is summed city-wide and says so; what the next period must allocate is counted
    per water account, as credits count only in their own county."""
    owed = obligations(plan)
    end = int(plan.years["year"].max())
    evaluation = plan.scenario.horizon.evaluation_year if plan.scenario is not None \
        else None
    until = f"至评估年{evaluation}年" if evaluation else "至评估年"
    until_en = f"to the evaluation year {evaluation}" if evaluation else \
        "to the evaluation year"
    drinking = plan.chosen[plan.chosen["water_after_horizon"] > 0]
    zh = "、".join(dict.fromkeys(drinking["action_zh"].astype(str)))
    en = ", ".join(dict.fromkeys(drinking["action_en"].astype(str)))
    need = (f"{end}年后仍需用水：{zh}措施（{len(drinking)} 项）{end + 1}年需新增用水 "
            f"{figure_text(owed['water_first_year_wan_m3'])} 万m³/年，{until}共 "
            f"{figure_text(owed['water_to_evaluation_wan_m3'])} 万m³", f"Water after {end}: "
            f"{len(drinking)} works ({en}) still need "
            f"{figure_text(owed['water_first_year_wan_m3'])} (10k m³) a year in {end + 1}, "
            f"{figure_text(owed['water_to_evaluation_wan_m3'])} in all {until_en}")
    accounts = water_after_horizon(plan, actions) if actions is not None else None
    if accounts is None or not accounts["credit_total"].gt(0).any():
        return (f"{need[0]}，须在下一规划期的用水指标中安排。 {need[1]}: the next plan "
                "period's allocation must provide it.")
    net = accounts["need_first"] - accounts["credit_first"]
    short_first = float(net.clip(lower=0.0).sum())
    short_total = float((accounts["need_total"] - accounts["credit_total"]).clip(lower=0.0)
                        .sum())
    credit_first, credit_total = (float(accounts[c].sum()) for c in
                                  ("credit_first", "credit_total"))
    saving = (f"本方案节水灌溉计入新增生态用水的节水量{end + 1}年为 {figure_text(credit_first)} "
              f"万m³/年（节水设施运行期内，{until}共 {figure_text(credit_total)} 万m³），两者相抵，"
              f"{end + 1}年全市合计净新增用水 {figure_text(float(net.sum()))} 万m³/年",
              f"the plan's water-saving irrigation credits {figure_text(credit_first)} a year "
              f"to new use in {end + 1} ({figure_text(credit_total)} in all {until_en}, while "
              f"the savings run), net new water, city-wide sum, "
              f"{figure_text(float(net.sum()))} a year in {end + 1}")
    if short_total <= 0:
        return (f"{need[0]}；{saving[0]}：节水设施持续运行期间，由本方案自身的节水覆盖，"
                f"不需下一规划期另增用水指标。 {need[1]}; {saving[1]}: the plan's own credited "
                "saving covers it while the savings run, with no new allocation from the next "
                "plan period.")
    return (f"{need[0]}；{saving[0]}；节水不足以覆盖的部分（按区县账户计，{end + 1}年 "
            f"{figure_text(short_first)} 万m³/年，{until}共 {figure_text(short_total)} 万m³）"
            f"须在下一规划期的用水指标中安排。 {need[1]}; {saving[1]}; the part the savings do "
            f"not cover (account by account: {figure_text(short_first)} a year in {end + 1}, "
            f"{figure_text(short_total)} in all) the next plan period's allocation must "
            "provide.")


def held_in_last_year(after_wan: float, end: int) -> tuple[str, str]:
    """"，已计入2035年的资金…" and its English: instalments after the horizon are held in its
    last year's money (optimizer/problem.py, ``Problem.money``), so the plan period pays
    every work whole. Empty when nothing is due after the horizon."""
    if after_wan <= 0:
        return "", ""
    return (f"，已计入{end}年的资金（规划期内的资金付清工程全部投资）",
            f", held in {end}'s money (the plan period's money pays every work whole)")


def obligation_lines(plan: Plan, actions: pd.DataFrame | None = None) -> list[str]:
    """Total cost = spend within the horizon + instalments after it; the water still drawn
    after the horizon beside the credited saving that runs on after it (``actions``: the
    catalogue, for the savings' ``water_years``). Bilingual, one sentence each (the water
    one only when there is any)."""
    owed = obligations(plan)
    start, end = int(plan.years["year"].min()), int(plan.years["year"].max())
    held_zh, held_en = held_in_last_year(owed["after_wan"], end)
    lines = [
        f"总投资 {owed['total_wan']:,.1f} 万元 = 规划期内支出 {owed['within_wan']:,.1f} 万元"
        f"（{start}-{end}年）+ {end + 1}年起到期的分期付款 {owed['after_wan']:,.1f} 万元"
        f"（{end}年及以前开工、投资跨过{end}年的措施）{held_zh}。 "
        f"Total cost {owed['total_wan']:,.1f} "
        f"(10k CNY) = spend within {start}-{end} {owed['within_wan']:,.1f} + instalments "
        f"due from {end + 1} on {owed['after_wan']:,.1f} (works started by {end} whose "
        f"payments run past it){held_en}."]
    if owed["water_to_evaluation_wan_m3"] > 0:
        lines.append(_water_after_line(plan, actions))
    return lines
