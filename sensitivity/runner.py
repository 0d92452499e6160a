"""One solve per sample, in parallel on a local process pool or a Dask cluster.

Every sample is solved by the same function, ``solve_sample(context, run_id, sample)``,
whichever executor runs it: the context (option table, catalogue, scenario, corridors, the
base plan's solution as warm start) is sent to each worker once. Each finished run is
appended to ``runs.jsonl`` in a work folder as soon as it arrives, so an interrupted
analysis keeps its runs and ``resume`` skips them.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from optimizer.compiled import CompiledModel, SolveResult
from optimizer.formulation import Layout, compile_problem
from optimizer.greedy import greedy_solution
from optimizer.heuristics import best_warm_start
from optimizer.neighbourhoods import polish_neighbourhoods
from optimizer.problem import CorridorLike, Problem, build_problem
from optimizer.solve_stage import certified_start, never_below, tighter_bound
from optimizer.solvers import solve
from region.scenario import Scenario
from region.schema import CRITERIA
from sensitivity.perturb import ParcelNoise, perturb


@dataclass(frozen=True)
class Context:
    """What every run needs, shipped to each worker once."""

    scenario: Scenario
    options: pd.DataFrame
    actions: pd.DataFrame
    weights: dict[str, float]
    corridors: tuple[CorridorLike, ...]
    base_x: np.ndarray | None
    base_parcels: frozenset[int]
    time_limit_s: float
    gap: float
    parcel_noise: tuple[float, float] | None = None  # (cost, benefit) ranges per parcel
    base_value: np.ndarray | None = None  # the base problem's objective coefficients
    base_plan: frozenset[tuple[int, str, int]] = frozenset()  # see plan_items


def solve_sample(context: Context, run_id: int, sample: dict[str, float]) -> dict:
    """Solve one sample; a record of its inputs, status, gap and outputs (never raises)."""
    return solve_with_solution(context, run_id, sample)[0]


def solve_with_solution(context: Context, run_id: int, sample: dict[str, float],
                        strict: bool = False) -> tuple[dict, np.ndarray | None]:
    """The record of :func:`solve_sample` and the solution vector; ``strict`` raises what
    a sample would record."""
    clock = time.perf_counter()
    record: dict = {"run_id": run_id, **{f"x:{k}": v for k, v in sample.items()}}
    try:
        scenario, problem, model, layout = sample_model(context, run_id, sample)
        start, source = warm_start(context.base_x, problem, model, layout)
        result, polished = solve_from(model, problem, start, context.time_limit_s,
                                      context.gap, scenario.seed)
    except Exception as err:  # recorded, not dropped: the report lists failed samples
        if strict:
            raise
        return {**record, "status": "error", "message": f"{type(err).__name__}: {err}",
                "time_s": round(time.perf_counter() - clock, 2)}, None
    record.update(status=result.status, objective=result.objective, gap=result.gap,
                  time_s=round(time.perf_counter() - clock, 2), warm_start=source,
                  warm_start_best=polished, message=result.message)
    if result.x is None:
        return record, None
    record.update(describe(problem, result.x, context.base_parcels, context.base_value,
                           context.base_plan))
    return record, result.x


def sample_model(context: Context, run_id: int, sample: dict[str, float]
                 ) -> tuple[Scenario, Problem, CompiledModel, Layout]:
    """One sample's scenario, problem and compiled model: the context perturbed by the
    sample's factors, and by parcel noise seeded with the scenario's seed and ``run_id``
    when the context asks for it."""
    noise = None if context.parcel_noise is None else \
        ParcelNoise(*context.parcel_noise, seed=(context.scenario.seed, run_id))
    scenario, options, actions, weights = perturb(
        context.scenario, context.options, context.actions, context.weights, sample, noise)
    problem = build_problem(options, actions, scenario, weights, context.corridors)
    model, layout = compile_problem(problem)
    return scenario, problem, model, layout


def solve_from(model: CompiledModel, problem: Problem, start: np.ndarray | None,
               time_limit_s: float, gap: float, seed: int) -> tuple[SolveResult, str]:
    """The run's solve stage on one thread, with a shorter warm start than ``solve.py run``
    gives (half the time, as the start is a nearby plan already): LP fix-and-re-solve,
    support polish over the run's widenings (not its exchanges: each sample's time is
    short, and they cost more than the rest of the polish); the start is the answer if the LP bound
    already proves it within ``gap``, else HiGHS without presolve (the root bound of a
    Turpan-sized model in 4 s instead of 18 s) from the best start. Also which heuristic
    gave that start."""
    found = best_warm_start(model, {"given": start}, time_limit_s / 2, threads=1, seed=seed,
                            neighbourhoods=polish_neighbourhoods(problem, time_limit_s / 2,
                                                                 exchanges=False))
    result = certified_start(model, found, gap)
    if result is None:
        result = solve(model, "highs", max(time_limit_s / 2, 1.0), gap, threads=1, seed=seed,
                       warm_start=found.x, presolve=False)
        result = tighter_bound(model, never_below(model, result, found.x), found.lp_bound)
    return result, "start" if found.source == "given" else found.source


def warm_start(base_x: np.ndarray | None, problem: Problem, model: CompiledModel,
               layout: Layout) -> tuple[np.ndarray | None, str]:
    """The base plan when it is feasible for this sample (same layout); else (a cut budget
    or water limit) the greedy plan seeded with it: the base plan's parcel-actions first, in
    the greedy's own order, so the start keeps as much of the base plan as fits."""
    if base_x is not None and len(base_x) == model.n_cols and not model.violations(base_x):
        return base_x, "base"
    seeded = problem
    if base_x is not None and len(base_x) == model.n_cols:
        seeded = replace(problem, value=_base_first(problem, base_x))
    greedy = greedy_solution(seeded, model, layout, threads=1)
    if greedy is None:
        return None, "none"
    return greedy, "greedy from base" if seeded is not problem else "greedy"


def _base_first(problem: Problem, base_x: np.ndarray) -> np.ndarray:
    """Option values scaled so that every pair of the base plan outranks every other pair
    in the greedy's value-per-cost order (their order among themselves is kept)."""
    in_base = np.zeros(len(problem.pairs), bool)
    in_base[problem.option_pair[base_x[:problem.n_options] > 0.5]] = True
    cost = problem.whole_cost
    ratio = problem.value / np.maximum(cost, 1e-12)
    base_options = in_base[problem.option_pair] & (problem.value > 0)
    if not base_options.any():
        return problem.value
    lift = 2.0 * ratio.max() / ratio[base_options].min()
    return np.where(base_options, problem.value * lift, problem.value)


def plan_items(problem: Problem, x: np.ndarray) -> frozenset[tuple[int, str, int]]:
    """The plan as (parcel, action, start year) items: two plans are the same plan only when
    these are (the same parcels with other actions or years are another plan)."""
    frame = problem.option_frame().iloc[np.flatnonzero(x[:problem.n_options] > 0.5)]
    return frozenset((int(p), str(a), int(y)) for p, a, y in
                     zip(frame["parcel_id"], frame["action"], frame["start_year"], strict=True))


def describe(problem: Problem, x: np.ndarray, base_parcels: frozenset[int],
             base_value: np.ndarray | None,
             base_plan: frozenset[tuple[int, str, int]] | None = None) -> dict:
    """The outputs of a plan: value at base weights and estimates, benefit per criterion,
    area per zone, Jaccard of its parcels against the base plan's, whether it is the base
    plan itself (``same_plan``: parcels, actions and start years; when ``base_plan`` is
    given), chosen parcels with their start years, and the first year's parcels ordered by
    value per 万元."""
    chosen = np.flatnonzero(x[:problem.n_options] > 0.5)
    frame = problem.option_frame().iloc[chosen]
    survival = frame["survival"].to_numpy(float)
    parcels = frozenset(int(p) for p in frame["parcel_id"])
    union = parcels | base_parcels
    # The plan valued with the base weights and estimates: comparable across runs, unlike
    # the run's own objective (re-normalised weights rescale it even when the plan stays).
    value = problem.value if base_value is None else base_value
    out: dict = {"value_at_base": float(value[chosen].sum())}
    out.update(
        {f"benefit_{c}": float((frame[f"benefit_{c}"] * survival).sum()) for c in CRITERIA})
    out.update({f"area_zone_{z}": float(a)
                for z, a in frame.groupby("zone")["area_km2"].sum().items()})
    out["jaccard"] = len(parcels & base_parcels) / len(union) if union else 1.0
    if base_plan is not None:
        out["same_plan"] = plan_items(problem, x) == base_plan
    out["chosen"] = " ".join(f"{p}:{y}" for p, y in
                             zip(frame["parcel_id"], frame["start_year"], strict=True))
    first = frame[frame["start_year"] == problem.years[0]]
    cost = problem.whole_cost[chosen]
    per_wan = pd.Series(frame["value"].to_numpy() / np.maximum(cost, 1e-9),
                        index=frame.index).loc[first.index]
    out["first_year_order"] = " ".join(
        str(p) for p in first.loc[per_wan.sort_values(ascending=False).index, "parcel_id"])
    return out


_WORKER_CONTEXT: Context | None = None


def _install(context: Context) -> None:
    """Pool initializer: keep the context; leave Ctrl-C to the parent, which stops the
    analysis cleanly, instead of killing solves mid-way."""
    global _WORKER_CONTEXT
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_CONTEXT = context


def _solve_in_worker(run_id: int, sample: dict[str, float]) -> dict:
    assert _WORKER_CONTEXT is not None, "worker started without its context"
    return solve_sample(_WORKER_CONTEXT, run_id, sample)


def read_runs(path: Path) -> list[dict]:
    """Runs already stored in a work folder's runs.jsonl (for --resume)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def run_all(context: Context, samples: list[dict[str, float]], store: Path, workers: int = 2,
            scheduler: str | None = None, done: Iterable[int] = (),
            progress: Callable[[dict], None] | None = None) -> list[dict]:
    """Solve every sample not in ``done``; append each record to ``store`` as it arrives.

    ``scheduler`` (``tcp://host:port``) runs them on that Dask cluster instead of a local
    pool. Returns the new records (KeyboardInterrupt propagates after the finished ones are
    stored)."""
    todo = [(k, s) for k, s in enumerate(samples) if k not in set(done)]
    records: list[dict] = []

    def keep(record: dict) -> None:
        with store.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, default=float) + "\n")
        records.append(record)
        if progress is not None:
            progress(record)

    if scheduler is not None:
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler) as client:
            shared = client.scatter(context, broadcast=True)
            futures = [client.submit(solve_sample, shared, k, s, pure=False) for k, s in todo]
            try:
                for future in dask_completed(futures):
                    keep(future.result())
            finally:
                client.cancel(futures)
        return records
    if workers <= 1:
        for k, s in todo:
            keep(solve_sample(context, k, s))
        return records
    # Spawned, not forked: the parent has run HiGHS (the base plan), and a forked child
    # inherits its thread pool in a state that deadlocks the child's first solve.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_install, initargs=(context,))
    futures = [pool.submit(_solve_in_worker, k, s) for k, s in todo]
    try:
        for future in as_completed(futures):
            keep(future.result())
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return records
