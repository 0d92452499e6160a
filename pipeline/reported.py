"""A re-plan's past years as the bureau reported them.

The model's row of a past year holds what the re-plan fixed there (optimizer/history.py):
the kept works' spend and water, and a budget row set so that exactly the money really left
is carried into the re-planned year. A planner reading the year wants what happened. So
every past year the actuals give (``actuals.csv`` or ``[actuals.<year>]``) is restated in
the plan's year table, from the history the re-plan took:

* ``spend``: the reported spend; not reported, the recorded works' payments (failed works'
  included, as the money carried counts them);
* ``budget``: the money granted (reported, else the scenario's);
* ``budget_available`` (with carry-over): granted + carried in, the money left at the end
  of the year before (granted less spent, year by year, never below 0; nothing is carried
  into the horizon's first year): what the year really had to spend. Without carry-over
  the available money is what was granted;
* ``water_use``: the reported water, counted as the table counts it (the works' water and
  the lake's delivery); not reported, the model's;
* ``water_limit``: the scenario's, unchanged (the bureau reports no limit);
* ``reported``: True on these rows.

A past year the actuals do not give is restated the same way from the same history, marked
``recorded`` instead (``reported`` False): granted is the scenario's budget, spent what the
progress file's works were paid (failed works' instalments included, which the model's row
leaves out: it holds only the kept works), water the model's. So the year reads as the
money carried into the re-plan was counted, never as a year whose limit "binds".

The years ahead keep the model's figures. A reported spend
(or water) below what the kept works (done, partly done) cost (or use) in that year
according to progress is a contradiction between the two reports: :func:`contradictions`
names it. A past year that spent more than it had (granted, plus the money carried in with
carry-over) is said too (:func:`overspends`, and in its line of :func:`reported_notes`): the
overspend is not carried as a debt (optimizer/history.py), so without a word the year would
read as carrying 0 and the excess would vanish. A past year whose reported water is above
the water it had (the model's ``water_limit`` of that year) is said as well
(:func:`water_overuses`): water does not carry over, so the plan ahead does not change, but
the figure shown and carried in the outputs is the reported one.
"""

from __future__ import annotations

import pandas as pd

from region.cycle import YearActuals

#: Figures within this much (万元, 万m³) of each other are taken as equal (reports round).
TOLERANCE = 0.5


def restate_past_years(years: pd.DataFrame, history: pd.DataFrame,
                       actuals: dict[int, YearActuals], carry_over: bool) -> pd.DataFrame:
    """The plan's year table (``optimizer.plan.yearly_totals``) with every past year of the
    history restated as it happened (see the module docstring): ``reported`` where the
    actuals give it, ``recorded`` (from the progress file) where they do not; unchanged,
    without those columns, when there is no past year."""
    past = history.set_index("year")
    carried_in = past["carried_wan"].shift(fill_value=0.0)
    restated = [int(y) for y in past.index if (years["year"] == int(y)).any()]
    if not restated:
        return years
    out = years.copy()
    out["reported"] = False
    out["recorded"] = False
    for year in restated:
        row = out.index[out["year"] == year][0]
        record, actual = past.loc[year], actuals.get(year)
        out.loc[row, "budget"] = record["granted_wan"]
        out.loc[row, "spend"] = record["spent_wan"]
        if actual is not None and actual.water_wan_m3 is not None:
            out.loc[row, "water_use"] = actual.water_wan_m3
        if carry_over and "budget_available" in out.columns:
            out.loc[row, "budget_available"] = record["granted_wan"] + carried_in[year]
        out.loc[row, "reported" if actual is not None else "recorded"] = True
    return out


def _available(history: pd.DataFrame, carry_over: bool) -> pd.Series:
    """Per past year (index), the money it had: granted, plus what was carried in."""
    past = history.set_index("year")
    carried_in = past["carried_wan"].shift(fill_value=0.0) if carry_over else 0.0
    return past["granted_wan"] + carried_in


def overspends(history: pd.DataFrame, actuals: dict[int, YearActuals],
               carry_over: bool) -> list[tuple[str, str]]:
    """(Chinese, English) warnings: each past year whose spend (reported, else what its
    recorded works were paid) is above the money it had."""
    available = _available(history, carry_over)
    found = []
    for record in history.itertuples():
        year, had = int(record.year), float(available[record.year])
        excess = float(record.spent_wan) - had
        if excess <= TOLERANCE:
            continue
        source = ("实报支出", "the reported spend") if actuals.get(year, YearActuals()) \
            .spend_wan is not None else ("进度表所列工程当年的支付", "what the progress "
                                         "file's works were paid that year")
        debt = (f"超支部分不作为欠款结转，{year + 1}年结转 0 万元；",
                f" The overspend is not carried as a debt: {year + 1} has 0 carried in.") \
            if carry_over else ("", "")
        # (a year granted nothing and carrying nothing has no share to overspend)
        share_zh, share_en = (f"（{excess / had:.1%}）", f" ({excess / had:.1%})") \
            if had > 0 else ("", "")
        found.append((
            f"{year}年超支：{source[0]} {record.spent_wan:,.0f} 万元，超出当年可用资金 "
            f"{had:,.0f} 万元 {excess:,.0f} 万元{share_zh}。{debt[0]}请核对该年的"
            "拨付、支出（实报数）和工程费用（进度表 cost_wan_actual）。",
            f"{year} overspent: {source[1]}, {record.spent_wan:,.0f} 万元, is "
            f"{excess:,.0f} 万元{share_en} above the money the year had, "
            f"{had:,.0f} 万元.{debt[1]} Check the year's granted and spent money (actuals) "
            "and the works' costs (cost_wan_actual in the progress file)."))
    return found


def water_overuses(model_years: pd.DataFrame, actuals: dict[int, YearActuals]
                   ) -> list[tuple[str, str]]:
    """(Chinese, English) warnings: each past year whose reported water use is above the
    water it had by the model's row of that year (``model_years``, before restating:
    ``water_limit``, the accounts' water available, counted as ``water_use`` is). Water is
    a limit per year with nothing carried over, so the years ahead are planned as before."""
    limits = model_years.set_index("year")["water_limit"]
    found = []
    for year, actual in sorted(actuals.items()):
        used = actual.water_wan_m3
        if used is None or year not in limits.index:
            continue
        limit = float(limits[year])
        excess = used - limit
        if excess <= TOLERANCE:
            continue
        share_zh, share_en = (f"（{excess / limit:.1%}）", f" ({excess / limit:.1%})") \
            if limit > 0 else ("", "")
        found.append((
            f"{year}年用水超出上限：实报用水 {used:,.0f} 万m³，比当年可用水量 {limit:,.0f} "
            f"万m³ 多 {excess:,.0f} 万m³{share_zh}。用水额度逐年核定、不结转，以后各年的计划不因此"
            "改变；请核对实报数中该年的 water_wan_m3（单位万m³，与运行表的用水同一口径，"
            "含艾丁湖生态补水）。",
            f"{year} used more water than it had: the reported water use, {used:,.0f} 万m³, "
            f"is {excess:,.0f} 万m³{share_en} above the year's water available, "
            f"{limit:,.0f} 万m³. Water does not carry over from year to year, so the plan "
            "for the years ahead does not change. Check the year's water_wan_m3 in the "
            "actuals (万m³, counted as the run table counts water use, the lake's delivery "
            "included)."))
    return found


def reported_notes(history: pd.DataFrame, actuals: dict[int, YearActuals],
                   carry_over: bool) -> list[str]:
    """One bilingual line per past year: which figures the bureau reported (or that the
    progress file gave them, with no actuals) and how the money available is made up."""
    lines = []
    past = history.set_index("year")
    carried_in = past["carried_wan"].shift(fill_value=0.0)
    available = _available(history, carry_over)
    for year in (int(y) for y in past.index):
        record, actual = past.loc[year], actuals.get(year)
        if actual is not None:
            said = [name for name, value in (("拨付 granted", actual.budget_wan),
                                             ("支出 spent", actual.spend_wan),
                                             ("用水 water used", actual.water_wan_m3))
                    if value is not None]
            source = f"实报 reported ({', '.join(said)}; actuals)"
        else:
            source = ("按进度表 recorded (无实报数 no actuals: 拨付 granted = 情景预算 the "
                      "scenario's budget; 支出 spent = 进度表所列工程的支付，含失败工程 what the "
                      "progress file's works were paid, failed works included)")
        granted = f"{record['granted_wan']:,.0f}"
        money = (f"可用 available = 拨付 granted {granted} + 上年结转 carried in "
                 f"{carried_in[year]:,.0f} = {record['granted_wan'] + carried_in[year]:,.0f} 万元"
                 if carry_over else f"可用 available = 拨付 granted {granted} 万元")
        excess = record["spent_wan"] - available[year]
        over = (f" (超支 overspent {excess:,.0f} 万元"
                f"{', 不作为欠款结转 not carried as a debt' if carry_over else ''})"
                if excess > TOLERANCE else "")
        lines.append(f"{year} {source}: {money}; 支出 spent {record['spent_wan']:,.0f} 万元; "
                     f"结转 carried on {record['carried_wan']:,.0f} 万元{over}.")
    return lines


def contradictions(model_years: pd.DataFrame, history: pd.DataFrame,
                   actuals: dict[int, YearActuals]) -> list[tuple[str, str]]:
    """(Chinese, English) warnings: each past year whose reported spend is below what its
    kept works cost, or whose reported water is below what they (and the lake's delivery)
    use, by the model's own rows of that year (``model_years``, before restating)."""
    model = model_years.set_index("year")
    past = history.set_index("year")
    found = []
    for year in (int(y) for y in past.index if int(y) in actuals):
        actual, record = actuals[year], past.loc[year]
        kept_cost = float(record["spent_on_kept_works_wan"])
        if actual.spend_wan is not None and actual.spend_wan < kept_cost - TOLERANCE:
            found.append((
                f"{year}年：实报支出 {actual.spend_wan:,.0f} 万元，低于进度表中保留工程"
                f"（已完成、部分完成）当年的费用 {kept_cost:,.0f} 万元。请核对实报数中该年的 "
                f"spend_wan，以及进度表中该年工程的状态和 cost_wan_actual（未填者按计划费用计）。"
                f"重新规划按实报支出结转资金：结转 {record['carried_wan']:,.0f} 万元。",
                f"{year}: the reported spend, {actual.spend_wan:,.0f} 万元, is below what the "
                f"year's kept works (done, partly done) cost according to the progress file, "
                f"{kept_cost:,.0f} 万元. Check the year's spend_wan in the actuals, and the "
                "status and cost_wan_actual of its works in the progress file (a work without "
                "cost_wan_actual counts at its planned cost). The re-plan carries money on "
                f"from the reported spend: {record['carried_wan']:,.0f} 万元."))
        model_water = float(model.loc[year, "water_use"])
        lake = float(record.get("lake_delivery_wan_m3", 0.0))
        if actual.water_wan_m3 is not None and actual.water_wan_m3 < model_water - TOLERANCE:
            with_lake = (f"（含艾丁湖生态补水 {lake:,.0f} 万m³）" if lake else "",
                         f" (the lake's delivery of {lake:,.0f} 万m³ included)" if lake else "")
            found.append((
                f"{year}年：实报用水 {actual.water_wan_m3:,.0f} 万m³，低于按进度表计算的保留工程"
                f"当年用水 {model_water:,.0f} 万m³{with_lake[0]}。请核对实报数中该年的 "
                "water_wan_m3（与运行表的用水同一口径，含湖泊补水），以及进度表中工程的状态和 "
                "area_km2_done。",
                f"{year}: the reported water use, {actual.water_wan_m3:,.0f} 万m³, is below "
                f"what the kept works use that year according to the progress file, "
                f"{model_water:,.0f} 万m³{with_lake[1]}. Check the year's water_wan_m3 in the "
                "actuals (counted as the run table counts water use, the lake's delivery "
                "included) and the status and area_km2_done of the works in the progress "
                "file."))
    return found
