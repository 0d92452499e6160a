"""The re-plan's formulation: the past fixed as it happened, stability against the works
announced (pipeline/replan.py, steps 2 and 3).

:class:`ReplanModel` compiles the problem with the past (optimizer/history.py), then keeps
every announced work still possible, or the most of them any plan meeting every rule can
keep (proven by the integer programme), or trades benefit against changes with the
``[replan]`` penalties (optimizer/stability.py); where the announced works cannot all stay
it records the rows each one breaks, for the reasons of the changes table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from optimizer.compiled import CompiledModel
from optimizer.greedy import complete_options
from optimizer.history import History, compile_with_past
from optimizer.plan import Plan
from optimizer.problem import Problem
from optimizer.solve_stage import solve_compiled
from optimizer.stability import (
    Announced,
    announced_options,
    keep_all,
    keep_at_least,
    keep_count_objective,
    penalised,
)
from optimizer.stages import ProgressFn
from pipeline.replan_facts import past_of
from pipeline.replan_former import with_recorded_figures
from pipeline.replan_history import MARK_COLUMNS, history_record, marked
from pipeline.replan_scales import scale_changes, scale_note
from pipeline.reported import (
    contradictions,
    overspends,
    reported_notes,
    restate_past_years,
    water_overuses,
)
from pipeline.run import Formulation
from region.cycle import YearActuals
from region.progress import KEY


@dataclass
class ReplanModel:
    """The re-plan's formulation (a ``pipeline.run.Formulate``): the past fixed, stability
    against the announced works. Calling it solves the 'fewest changes' step when the
    announced works cannot all stay; what it found is kept for the changes table.
    ``announced_works``: the works still to do (:func:`announced_ahead`); ``done_early``:
    how many more the previous plan had from ``year`` on, reported done before it;
    ``no_longer_allowed``: the recorded works whose pair today's catalogue no longer allows
    (pipeline/replan_history.py ``kept_marks``); ``former``: the past works whose action
    code the catalogue no longer has, with their recorded figures, and ``previous_credit``
    the previous scenario's water saving credit (pipeline/replan_former.py);
    ``count_changes``: of the solved plan, the announced works kept, moved, dropped …
    as changes.csv pairs them (pipeline/changes.py ``announced_counts``), recorded as
    ``announced_changes`` when the plan is restated, before the manifest is written."""

    facts: pd.DataFrame
    year: int
    actuals: dict[int, YearActuals]
    announced_works: pd.DataFrame
    previous_objective: float
    progress: ProgressFn | None = None
    done_early: int = 0
    no_longer_allowed: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=MARK_COLUMNS))
    former: pd.DataFrame = field(default_factory=pd.DataFrame)
    previous_credit: float = 0.0
    #: the previous plan's criterion scales as its manifest records them (pipeline/
    #: replan_scales.py: the past works are scored on today's)
    previous_scales: dict | None = None
    count_changes: Callable[[Plan], dict[str, int]] | None = None
    history: History | None = field(default=None, init=False)
    #: the problem solved (with the past), for why a failed work was not re-scheduled
    problem: Problem | None = field(default=None, init=False)
    announced: Announced | None = field(default=None, init=False)
    conflicts: dict[int, list[str]] = field(default_factory=dict, init=False)
    record: dict = field(default_factory=dict, init=False)

    def __call__(self, problem: Problem) -> Formulation:
        say = self.progress or (lambda _msg: None)
        problem = with_recorded_figures(problem, self.former, self.previous_credit)
        past = past_of(problem, self.facts, self.year, self.actuals)
        problem, model, layout, self.history = compile_with_past(problem, past)
        self.problem = problem
        self.announced = not_history(problem, announced_options(problem,
                                                                self.announced_works))
        keepable = self.announced.keepable
        chosen = np.zeros(problem.n_options, bool)
        chosen[past.kept] = True
        chosen[keepable] = True
        threads = problem.scenario.solver.threads
        start = complete_options(model, problem.n_options, chosen, threads)
        if start is None:
            self.conflicts = _conflicts(model, problem.n_options, chosen, keepable)
        settings = problem.scenario.replan
        record = {"year": self.year, "announced_works": len(self.announced_works),
                  "announced_done_early": self.done_early,
                  "announced_still_possible": int(len(keepable)),
                  "all_announced_can_stay": start is not None,
                  "history": self.history.record(),
                  "facts": self.facts["status"].value_counts().to_dict(),
                  "no_longer_allowed": history_record(self.no_longer_allowed)}
        if not settings.strict:
            scale = abs(self.previous_objective) or 1.0
            move = settings.move_penalty * scale
            drop = settings.drop_penalty * scale
            model = penalised(model, problem, self.announced, move, drop)
            record["stability"] = {"mode": "penalties", "move_penalty": move,
                                   "drop_penalty": drop,
                                   "as_share_of_previous_objective":
                                       [settings.move_penalty, settings.drop_penalty]}
        elif start is not None:  # every work still possible stays: nothing else changes
            model = keep_all(model, self.announced)
            record["stability"] = {"mode": "fewest changes", "proven": True,
                                   "fewest_changes": len(self.announced_works) - len(keepable)}
        else:
            say("stability: the fewest announced works that must change")
            count, proven, start = _most_kept(problem, model, layout, self.announced, say)
            model = keep_at_least(model, self.announced, count)
            record["stability"] = {"mode": "fewest changes",
                                   "fewest_changes": len(self.announced_works) - count,
                                   "proven": proven}
        self.record = record
        return Formulation(problem, model, layout, start, {"replan": record},
                           restate=self.restate)

    def restate(self, plan: Plan) -> Plan:
        """The solved plan with its past years as reported (pipeline/reported.py); the
        contradictions between the actuals and the progress go to the record (manifest
        ``replan.warnings``)."""
        years, carry = self.history.years, plan.scenario.budget.carry_over
        self.record["warnings"] = [{"zh": zh, "en": en} for zh, en in
                                   [*contradictions(plan.years, years, self.actuals),
                                    *overspends(years, self.actuals, carry),
                                    *water_overuses(plan.years, self.actuals)]]
        self.record["reported_years"] = reported_notes(years, self.actuals, carry)
        changed = scale_changes(self.previous_scales, plan.scales)
        if changed:
            self.record["criterion_scales_changed"] = changed
            self.record["scale_note"] = scale_note(changed, self.year)
        restated = replace(
            plan, years=restate_past_years(plan.years, years, self.actuals, carry),
            chosen=with_status(marked(plan.chosen, self.no_longer_allowed), self.facts,
                               self.year),
            paid_lapsed=self.history.lapsed.assign(status=np.where(
                self.history.lapsed.get("failed", pd.Series(dtype=bool)),
                "failed", "cancelled")))
        if self.count_changes is not None:
            self.record["announced_changes"] = self.count_changes(restated)
        return restated


def with_status(chosen: pd.DataFrame, facts: pd.DataFrame, year: int) -> pd.DataFrame:
    """``chosen`` with ``status``: what the progress recorded of each work started before
    ``year`` (done, partial), blank for the works ahead."""
    recorded = facts[facts["start_year"] < year].drop_duplicates(KEY).set_index(KEY)["status"]
    keys = pd.MultiIndex.from_frame(chosen[KEY])
    return chosen.assign(status=recorded.reindex(keys).fillna("").to_numpy())


def not_history(problem: Problem, announced: Announced) -> Announced:
    """``announced`` with the works of pairs the catalogue no longer allows matched to no
    option: their pair is there only to record a past work (optimizer/history.py)."""
    if "history_only" not in problem.pairs.columns:
        return announced
    gone = announced.pair >= 0
    gone[gone] = problem.pairs["history_only"].eq(True).to_numpy()[announced.pair[gone]]
    if not gone.any():
        return announced
    return replace(announced, pair=np.where(gone, -1, announced.pair),
                   option=np.where(gone, -1, announced.option))


def _most_kept(problem: Problem, model: CompiledModel, layout, announced: Announced,
               say: ProgressFn) -> tuple[int, bool, np.ndarray]:
    """The most announced works a plan meeting every rule keeps (solved with the run's
    solve stage, to an absolute gap below one work), whether that is proven, and the plan."""
    counting = keep_count_objective(model, announced)
    value = counting.obj[:problem.n_options]
    solver = problem.scenario.solver
    gap = min(solver.gap, 0.5 / max(len(announced.keepable), 1))
    scenario = problem.scenario.model_copy(
        update={"solver": solver.model_copy(update={"gap": gap})})
    counting_problem = replace(problem, value=value, scenario=scenario,
                               corridor_bonus=None if problem.corridor_bonus is None
                               else np.zeros_like(problem.corridor_bonus))
    result, _, _ = solve_compiled(counting_problem, counting, layout, None, say)
    count = int(round(result.objective))
    proven = result.bound is not None and result.bound < count + 1 - 1e-6
    return count, proven, result.x


def _conflicts(model: CompiledModel, n: int, chosen: np.ndarray,
               keepable: np.ndarray) -> dict[int, list[str]]:
    """Per announced option, the labels of the rows it touches that the past plus all
    announced works break (money and water with carry-over counted year by year as the
    rows read; rows holding other columns are left out)."""
    x = np.zeros(model.n_cols)
    x[:n] = chosen
    activity = model.A @ x
    others = np.diff(model.A[:, n:].tocsr().indptr) > 0
    broken = ((activity > model.row_upper + 1e-6) | (activity < model.row_lower - 1e-6))
    try:
        budget = model.family("budget")
        rows = np.arange(budget.start, budget.stop)
        spend = np.cumsum(activity[rows])
        broken[rows] = spend > np.cumsum(model.row_upper[rows]) + 1e-6
        others[rows] = False
    except KeyError:
        pass
    broken &= ~others
    touched = model.A[:, keepable].tocsc()
    found = {}
    for k, option in enumerate(keepable):
        rows = touched.indices[touched.indptr[k]:touched.indptr[k + 1]]
        found[int(option)] = [model.row_label(r) for r in rows if broken[r]]
    found[-1] = [model.row_label(r) for r in np.flatnonzero(broken)
                 if model.row_lower[r] > -np.inf]  # ≥ rows (targets, mandatory) unmet
    return found
