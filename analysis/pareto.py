"""Trade-offs between two criteria (or benefit and cost): an ε-constraint Pareto front.

Each point maximises the first objective with the second held at or above ε
(optimizer/objectives.py: augmented, so no point is only weakly non-dominated), solved by
the run's own solve stage (greedy, warm start, bound, MIP: pipeline/run.py), so each
point carries its gap. A point another point beats in both objectives (possible within
the gap) is left out: ``front.csv`` holds the non-dominated points, each with its plan.

The front folder (``front.csv``, ``front.png``/``.svg``, ``front.json`` with the settings
and the ε values whose plan was dominated, one sub-folder per point with its plan.csv,
plan.gpkg and manifest.json) is written atomically.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from criteria.weights import resolve_weights  # noqa: E402
from optimizer.compiled import CompiledModel, SolveResult  # noqa: E402
from optimizer.formulation import compile_problem  # noqa: E402
from optimizer.objectives import (  # noqa: E402
    OBJECTIVES,
    objective_vector,
    pareto_front,
    solve_order,
)
from optimizer.problem import build_problem  # noqa: E402
from outputs.figures import save_png_svg  # noqa: E402
from outputs.fonts import use_cjk_font  # noqa: E402
from outputs.labels import code_names, status_cell  # noqa: E402
from pipeline.run import Formulation, RunOutcome, prepare, run_scenario  # noqa: E402
from region.criterion_names import CRITERION_ALIASES, criterion_key, did_you_mean  # noqa: E402
from region.io import Region  # noqa: E402
from region.scenario import Scenario  # noqa: E402
from region.schema import CRITERION_LABELS  # noqa: E402
from storage import CSV_FLOATS, write_atomically  # noqa: E402

LABELS = {"benefit": ("综合效益", "weighted benefit (objective)"),
          "cost": ("投资", "cost in the horizon (万元)"),
          **{c: (zh, f"{en} (normalised benefit-years)")
             for c, (zh, en) in CRITERION_LABELS.items()}}


#: The objectives' other names: the criteria's, and benefit's and cost's Chinese labels.
ALIASES = {**CRITERION_ALIASES, **{LABELS[key][0]: key for key in ("benefit", "cost")}}


@dataclass(frozen=True)
class FrontPoint:
    """What the progress callback hears after each solve: its number in solving order
    (1: the first's payoff, 2: the second's, then the points between from the highest ε
    down) and the number of the point it gives in front.csv (``point``)."""

    solve: int
    point: int
    status: str
    gap: float | None
    time_s: float


def parse_between(text: str) -> tuple[str, str]:
    """``sand,bio`` or ``benefit,cost``: two different objectives of
    optimizer.objectives.OBJECTIVES, named as region/criterion_names.py reads a criterion
    (生物多样性, SAND, biodiversity …; 综合效益 and 投资 for benefit and cost, as
    :data:`LABELS` print them), separated by a comma (or ，、)."""
    parts = [part.strip() for part in re.split(r"[,，、]", text)]
    names = [criterion_key(part, OBJECTIVES, ALIASES) for part in parts]
    if len(names) != 2 or None in names or names[0] == names[1]:
        hint = "".join(did_you_mean(part, OBJECTIVES, ALIASES)
                       for part, name in zip(parts, names, strict=True) if name is None)
        raise ValueError(f"--between: expected two different names of {list(OBJECTIVES)} "
                         f"separated by a comma, e.g. sand,bio or benefit,cost; got "
                         f"{text!r}{hint}")
    first, second = names
    if first == "cost":  # the first is maximised: a front of the most money spent
        raise ValueError(f"--between: cost must come second (the first objective is "
                         f"maximised, the second held at each ε; for cost, a spend of at most "
                         f"ε): give {second},cost; got {text!r}")
    return first, second


def shown(name: str, value: float | None) -> float | None:
    """An objective's value as a planner reads it (cost positive, in 万元)."""
    return None if value is None else (-value if name == "cost" else value)


def run_front(region: Region, scenario: Scenario, between: tuple[str, str], points: int,
              out_dir: Path | None = None, progress: Callable[[FrontPoint], None] | None = None,
              manifest_extra: dict | None = None) -> pd.DataFrame:
    """The front between ``between`` (first maximised, second held ≥ ε) with ``points``
    values of ε; one row per non-dominated point. With ``out_dir``, also write the front
    folder (see the module docstring)."""
    first, second = between
    prepared = prepare(region, scenario)
    corridors = prepared.corridors.corridors if prepared.corridors is not None else ()
    problem = build_problem(prepared.options, region.actions, scenario,
                            resolve_weights(scenario.weights), corridors)
    model, layout = compile_problem(problem)
    outcomes: dict[int, RunOutcome] = {}
    order = solve_order(points)

    def solve_point(point: CompiledModel, start: np.ndarray | None) -> SolveResult:
        outcome = run_scenario(region, scenario, None, prepared=prepared, warm_start=start,
                               formulate=lambda p: Formulation(p, point, layout))
        result = outcome.plan.result
        outcomes[id(result)] = outcome
        if progress is not None:
            solved = len(outcomes)
            progress(FrontPoint(solved, order[solved - 1] + 1, result.status, result.gap,
                                result.time_s))
        return result

    front = pareto_front(model, objective_vector(problem, model, first),
                         objective_vector(problem, model, second), points, solve_point)
    rows, plans, dropped = [], [], []
    for k, point in enumerate(front):
        if point.dominated_by is not None:
            dropped.append({"epsilon": shown(second, point.epsilon), "dominated_by_point":
                            point.dominated_by + 1})
            continue
        outcome = outcomes[id(point.result)]
        result, plan = point.result, outcome.plan
        folder = f"point-{k + 1:02d}"
        rows.append({
            "point": k + 1, "epsilon": shown(second, point.epsilon),
            first: shown(first, point.primary), second: shown(second, point.secondary),
            "objective": result.objective, "bound": result.bound, "gap": result.gap,
            "status": result.status, "solved": status_cell(result.status, result.gap),
            "time_s": round(result.time_s, 2), "plan": folder,
            "options": len(plan.chosen), "area_km2": float(plan.chosen["area_km2"].sum()),
            "spend_wan": float(plan.years["spend"].sum()),
            **{f"benefit_{c}": v for c, v in plan.criterion_totals.items()}})
        plans.append((folder, outcome))
    table = pd.DataFrame(rows)
    if out_dir is not None:
        settings = {"between": [first, second], "points": points,
                    "maximised": first, "held_at_least_epsilon": second,
                    "dominated_points_left_out": dropped,
                    "scenario": scenario.model_dump(mode="json"), **(manifest_extra or {})}

        def write(folder: Path) -> None:
            table.to_csv(folder / "front.csv", index=False, encoding="utf-8",
                         float_format=CSV_FLOATS)
            (folder / "front.json").write_text(json.dumps(settings, ensure_ascii=False,
                                                          indent=2, default=str) + "\n",
                                               encoding="utf-8")
            plot_front(table, first, second, folder / "front")
            for name, outcome in plans:
                outcome.plan.write(folder / name, region.parcels,
                                   {"pareto": {"between": [first, second],
                                               "point": name}, **(manifest_extra or {})},
                                   names=code_names(region))

        write_atomically(out_dir, write)
    return table


def plot_front(table: pd.DataFrame, first: str, second: str, stem: Path) -> list[Path]:
    """The front: the second objective across, the first up, each point numbered."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(7, 5), dpi=120)
    ordered = table.sort_values(second)
    ax.plot(ordered[second], ordered[first], "o-", color="#1f6f43")
    for row in table.itertuples():
        gap = "" if row.gap is None or np.isnan(row.gap) else f" ({row.gap:.2%})"
        ax.annotate(f"{row.point}{gap}", (getattr(row, second), getattr(row, first)),
                    textcoords="offset points", xytext=(4, 5), fontsize=8)
    ax.margins(x=0.1, y=0.08)  # room for the labels at the ends
    ax.set_xlabel(" ".join(LABELS[second]))
    ax.set_ylabel(" ".join(LABELS[first]))
    ax.set_title(f"帕累托前沿 Pareto front: {LABELS[first][0]} — {LABELS[second][0]}"
                 "  (point (gap))")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return save_png_svg(fig, stem)

