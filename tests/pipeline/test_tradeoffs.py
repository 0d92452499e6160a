"""``run --objective min_cost`` and ``pareto`` from the command line on 182 parcels: the
cheapest plan equals plain HiGHS on the minimum-cost model; the front's ends are the
best-benefit plan and the cheapest one; its points are non-dominated, each with its gap."""

import itertools
import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from criteria.weights import resolve_weights
from optimizer.objectives import min_cost_model
from optimizer.problem import build_problem
from optimizer.solvers import solve
from solve import app

runner = CliRunner()


@pytest.fixture(scope="module")
def cheapest_spend(cycle_region) -> float:
    """The minimum-cost model solved by HiGHS alone (independent of the solve stage)."""
    from criteria.options import build_options

    region, scenario, _ = cycle_region
    weights = resolve_weights(scenario.weights)
    options = build_options(region.parcels, region.actions, weights)
    model, _ = min_cost_model(build_problem(options, region.actions, scenario, weights))
    return solve(model, "highs", gap=0.0).objective


def test_min_cost_run_is_the_cheapest_plan_meeting_every_rule(cycle_region, cheapest_spend,
                                                              tmp_path) -> None:
    _, _, folder = cycle_region
    out = tmp_path / "cheapest"
    result = runner.invoke(app, ["run", "--objective", "min_cost", "--parcels",
                                 str(folder / "parcels.gpkg"), "--scenario",
                                 str(folder / "cycle.toml"), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    plan = pd.read_csv(out / "plan.csv")
    spend = sum(plan[f"cost_{y}"].sum() for y in range(2027, 2031))
    assert summary["objective"] == pytest.approx(-spend)
    assert summary["status"] == "optimal"
    assert spend == pytest.approx(cheapest_spend, rel=1e-6)
    karez = plan[(plan["action"] == "karez_protection") & (plan["start_year"] <= 2030)]
    assert len(karez) >= 8  # the target holds; water and money as in every run
    carried = 0.0
    for year in range(2027, 2031):
        carried += 1500.0 - plan[f"cost_{year}"].sum()
        assert carried >= -1e-6 and plan[f"water_{year}"].sum() <= 100.0 + 1e-6
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["objective_kind"].startswith("min_cost")
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"最低支出 Cheapest spend (objective = −spend)</td><td class='text'>{spend:,.0f} 万元" \
        in report
    assert "贪心方案支出 Greedy plan&#x27;s spend" in report  # money, not a negative objective
    assert "贪心基线 Greedy baseline" not in report


def test_pareto_between_benefit_and_cost(cycle_region, plan_2027, cheapest_spend,
                                         tmp_path) -> None:
    _, _, folder = cycle_region
    out = tmp_path / "front"
    result = runner.invoke(app, ["pareto", "--between", "benefit,cost", "--points", "3",
                                 "--gap", "0.001", "--parcels", str(folder / "parcels.gpkg"),
                                 "--scenario", str(folder / "cycle.toml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "against cost (spend ≤ ε)" in " ".join(result.output.split())  # as it is held
    front = pd.read_csv(out / "front.csv")
    # each progress line names the point of the table its solve gave (the ends first)
    said = re.findall(r"point (\d+) \(solve (\d+)/3\): \w+(?: gap)?, gap ([\d.]+)%", result.output)
    assert [(int(p), int(k)) for p, k, _ in said] == [(1, 1), (3, 2), (2, 3)]
    for point, _, gap in said:
        assert float(gap) == pytest.approx(
            100 * front.set_index("point").at[int(point), "gap"], abs=0.006)
    assert {"front.csv", "front.png", "front.svg", "front.json"} <= {p.name for p in
                                                                    out.iterdir()}
    assert front["gap"].notna().all() and (front["bound"] >= front["objective"] - 1e-9).all()
    for row in front.itertuples():
        plan = pd.read_csv(out / row.plan / "plan.csv")
        spend = sum(plan[f"cost_{y}"].sum() for y in range(2027, 2031))
        assert spend == pytest.approx(row.cost, rel=1e-9)
        assert spend <= row.epsilon + 1e-6  # held within its ε
    for a, b in itertools.permutations(front.itertuples(), 2):  # non-dominated
        assert not (a.benefit >= b.benefit - 1e-9 and a.cost <= b.cost + 1e-9)
    # the ends, each within its gap: the best plan of 'run', the cheapest plan meeting
    # every rule
    best = front.loc[front["benefit"].idxmax()]
    run = plan_2027.plan.result
    assert best["benefit"] == pytest.approx(run.objective, rel=best["gap"] + run.gap + 1e-6)
    cheapest = front.loc[front["cost"].idxmin()]
    assert cheapest["cost"] == pytest.approx(cheapest_spend, rel=cheapest["gap"] + 1e-6)


def test_pareto_json_is_the_front_alone_on_stdout(cycle_region, tmp_path) -> None:
    """--json: stdout is one JSON document (no progress lines), its points those of
    front.csv, non-dominated, each within its ε and with the gap of its objective and
    bound."""
    from optimizer.solvers.common import relative_gap

    _, _, folder = cycle_region
    out = tmp_path / "front"
    result = runner.invoke(app, ["pareto", "--between", "benefit,cost", "--points", "3",
                                 "--gap", "0.001", "--parcels", str(folder / "parcels.gpkg"),
                                 "--scenario", str(folder / "cycle.toml"), "--out", str(out),
                                 "--json"])
    assert result.exit_code == 0, result.output
    front = json.loads(result.stdout)
    assert front["out"] == str(out) and front["between"] == ["benefit", "cost"]
    points = front["points"]
    written = pd.read_csv(out / "front.csv")
    assert [(p["point"], p["plan"]) for p in points] == list(zip(written["point"],
                                                                 written["plan"], strict=True))
    for point in points:
        assert point["bound"] >= point["objective"] - 1e-9  # a bound on a maximum
        # printed to 12 significant digits (storage.CSV_FLOATS): the gap recomputed from the
        # printed objective and bound carries their rounding, ~1e-12 of the objective
        assert point["gap"] == pytest.approx(relative_gap(point["objective"], point["bound"]),
                                             rel=1e-9, abs=1e-10)
        if point["status"] == "optimal":
            assert point["gap"] <= 0.001 + 1e-9
        assert point["cost"] <= point["epsilon"] + 1e-6  # held within its ε
    for a, b in itertools.permutations(points, 2):  # non-dominated
        assert not (a["benefit"] >= b["benefit"] - 1e-9 and a["cost"] <= b["cost"] + 1e-9)


def test_pareto_rejects_unknown_objectives(tmp_path) -> None:
    result = runner.invoke(app, ["pareto", "--between", "sand,happiness", "--out",
                                 str(tmp_path / "f")])
    assert result.exit_code == 2 and "--between" in result.output
    assert not (tmp_path / "f").exists()


def test_front_csv_says_within_gap_beside_the_solvers_optimal(cycle_region, tmp_path,
                                                               monkeypatch) -> None:
    """front.csv keeps the solver's word in ``status`` and says "within gap" in ``solved``
    for a point stopped at its asked gap (the console's table says so already)."""
    from dataclasses import replace

    import analysis.pareto

    solve_point = analysis.pareto.run_scenario

    def stopped_at_the_gap(*args, **kwargs):
        outcome = solve_point(*args, **kwargs)
        result = replace(outcome.plan.result, status="optimal", gap=0.004)
        return replace(outcome, plan=replace(outcome.plan, result=result))

    monkeypatch.setattr(analysis.pareto, "run_scenario", stopped_at_the_gap)
    _, _, folder = cycle_region
    out = tmp_path / "front"
    result = runner.invoke(app, ["pareto", "--between", "benefit,cost", "--points", "2",
                                 "--parcels", str(folder / "parcels.gpkg"),
                                 "--scenario", str(folder / "cycle.toml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out / "front.csv")
    assert len(written) and (written["status"] == "optimal").all()
    assert (written["solved"] == "within gap").all()
