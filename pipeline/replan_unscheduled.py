"""Why a failed or cancelled past work was not re-scheduled, as far as the solved re-plan
shows it (changes.csv: pipeline/changes.py says it after "not re-scheduled"):

* no start year from the re-planned year on is open to it (a rule locks every one out);
* the action's yearly capacity (actions.csv ``capacity_km2_per_yr``) is taken in every year
  it could start: the plan starts so much of the action there that the work's area no
  longer fits;
* its cost alone exceeds the scenario's money in every year it could start, whatever else
  the plan chose (optimizer/problem.py ``unaffordable``: the model closes such options);
* the money the plan leaves could not pay it in any year it could start (its instalments
  within the money left, carried on year by year with carry-over: optimizer/binding.py
  ``instalments_fit``, the test of whether money binds);
* or each of its start years is stopped by one of the two.

A start year closed by the work's own cost beside years stopped by capacity or money is
said after them ("2028 is closed to it: its cost alone exceeds the scenario's money"), so
the years named add up to every year it could start.

Water and the other rules are not asked. When neither capacity nor money stops every start
year, no reason is given here and the row says only that the re-plan did not choose it
again: it is not claimed to be worth less than the works chosen.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from optimizer.binding import instalments_fit, money_left
from optimizer.plan import Plan
from optimizer.problem import Problem, unaffordable
from region.progress import LAPSED_STATUSES

Reason = tuple[str, str]  # (Chinese, English)
#: Area tolerance of "capacity taken", km² (outputs/project_limits.py's).
TOLERANCE = 1e-6


def year_span(years: list[int]) -> str:
    """"2028-2030", "2028, 2030": the years, runs of consecutive ones as a span."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def unscheduled_reasons(problem: Problem, plan: Plan, facts: pd.DataFrame, year: int,
                        names: Mapping[str, tuple[str, str]]) -> dict[tuple, Reason]:
    """Per failed or cancelled work of ``facts`` started before ``year`` whose (parcel,
    action) the plan does not hold: what stops it in every start year left (see the
    module), in Chinese and English; works nothing shown stops are left out. ``names``:
    action code → (Chinese, English)."""
    lapsed = facts[(facts["start_year"] < year) & facts["status"].isin(LAPSED_STATUSES)]
    held = set(zip(plan.chosen["parcel_id"], plan.chosen["action"], strict=True))
    pairs = problem.pairs
    pair_of = {(int(p), a): i for i, (p, a) in
               enumerate(zip(pairs["parcel_id"], pairs["action"], strict=True))}
    ahead = [y for y in problem.years if y >= year]
    columns = [problem.years.index(y) for y in ahead]
    carry = plan.scenario.budget.carry_over
    left = money_left(plan.years, carry)
    started = plan.chosen.groupby(["action", "start_year"])["area_km2"].sum()
    closed = unaffordable(problem)
    reasons = {}
    for fact in lapsed.itertuples(index=False):
        key = (int(fact.parcel_id), fact.action, int(fact.start_year))
        pair = pair_of.get(key[:2])
        if key[:2] in held or pair is None:
            continue
        options = np.flatnonzero((problem.option_pair == pair)
                                 & (problem.option_year >= year) & ~problem.locked_out)
        if not len(options):
            reasons[key] = (f"{year}年起已无可实施的年度（规则排除）",
                            f"no start year from {year} on is open to it (a rule locks each "
                            "one out)")
            continue
        starts = [int(y) for y in problem.option_year[options]]
        if closed[options].all():
            reasons[key] = (f"其投资本身即超过可实施的{year_span(starts)}年的资金"
                            "（与其他工程无关）",
                            "its cost alone exceeds the scenario's money in every year "
                            f"it could start ({year_span(starts)}), whatever else the plan "
                            "chose")
            continue
        dear = [int(y) for y in problem.option_year[options[closed[options]]]]
        options = options[~closed[options]]
        starts = [int(y) for y in problem.option_year[options]]
        area = float(pairs["area_km2"].iat[pair])
        capacity = float(pairs["capacity_km2_per_yr"].iat[pair]) \
            if "capacity_km2_per_yr" in pairs else np.nan
        full = [y for y in starts if np.isfinite(capacity)
                and started.get((fact.action, y), 0.0) + area > capacity + TOLERANCE]
        poor = []
        if left is not None:
            cost = problem.money[options][:, columns].toarray()
            fits = instalments_fit(cost, [left[y] for y in ahead], carry).all(axis=1)
            poor = [y for y, fit in zip(starts, fits, strict=True) if not fit]
        zh, en = names.get(fact.action, (fact.action, fact.action))
        if len(full) == len(starts):
            reason = (f"{zh}年度实施能力（{capacity:g} km²/年）在可实施的"
                      f"{year_span(starts)}年均已排满，容不下其{area:.4g} km²",
                      f"{en}'s yearly capacity ({capacity:g} km²/yr) is taken in every "
                      f"year it could start ({year_span(starts)}): no room for its "
                      f"{area:.4g} km²")
        elif len(poor) == len(starts):
            reason = (f"本方案结余资金在可实施的{year_span(starts)}年均不足以支付其投资"
                      "（资金已用于其他工程）",
                      "the money the plan leaves could not pay it in any year it could "
                      f"start ({year_span(starts)}): the plan spends it on other works")
        elif set(full) | set(poor) == set(starts):
            only_poor = sorted(set(poor) - set(full))
            reason = (f"{zh}年度实施能力在{year_span(full)}年已排满，"
                      f"结余资金在{year_span(only_poor)}年不足以支付其投资",
                      f"{en}'s yearly capacity is taken in {year_span(full)} and the "
                      f"money the plan leaves could not pay it in {year_span(only_poor)}")
        else:
            continue
        reasons[key] = _with_own_cost(reason, dear)
    return reasons


def _with_own_cost(reason: Reason, dear: list[int]) -> Reason:
    """``reason`` followed by the start years ``dear`` closed by the work's own cost (the
    model closes them whatever else the plan chose), when there are any."""
    if not dear:
        return reason
    return (f"{reason[0]}；{year_span(dear)}年其投资本身即超过情景资金（与其他工程无关）",
            f"{reason[1]}; {year_span(dear)} is closed to it: its cost alone exceeds the "
            "scenario's money there, whatever else the plan chose")
