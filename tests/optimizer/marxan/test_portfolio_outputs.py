"""Portfolio, importance, run_marxan outputs, and the 653-unit public problem."""

import json

import numpy as np
import pandas as pd
import pytest

from optimizer.marxan import (
    penalty_objective,
    portfolio,
    read_marxan,
    replacement_importance,
    run_marxan,
    selection_frequency,
    solve_minset,
)


def test_portfolio_distinct_and_ordered(tiny, brute):
    p = read_marxan(tiny)
    sols = portfolio(p, 3, time_limit_s=15)
    assert len(sols) == 3
    keys = {tuple(s.x.astype(int)) for s in sols}
    assert len(keys) == 3
    values = [s.objective for s in sols]
    assert values == sorted(values)
    best, _ = brute(p, lambda x: penalty_objective(p, x))
    assert values[0] == pytest.approx(best)
    freq = selection_frequency(sols)
    assert freq.shape == (6,) and ((freq >= 0) & (freq <= 1)).all()


def test_portfolio_of_a_problem_too_large_to_solve_exactly(tiny, brute):
    """Past ``exact_max_units``: independent seeded searches, duplicates dropped, each
    selection meeting every target, best first, the best at the optimum here."""
    p = read_marxan(tiny).with_overrides(blm=3.0)
    sols = portfolio(p, 3, time_limit_s=6, exact_max_units=0)
    keys = [tuple(s.x.astype(int)) for s in sols]
    assert 1 <= len(sols) <= 3 and len(set(keys)) == len(keys)
    assert all((p.amounts.T @ s.x >= p.targets - 1e-9).all() for s in sols)
    values = [s.objective for s in sols]
    assert values == sorted(values)
    best, _ = brute(p, lambda x: penalty_objective(p, x))
    assert values[0] == pytest.approx(best)
    assert all(s.bound <= best + 1e-9 for s in sols)


def test_irreplaceable_unit_more_important(tmp_path, marxan_writer):
    # ibex only in unit 6 (irreplaceable); wolf in units 1 and 2 equally (replaceable).
    pu = "id,cost,status\n1,2,0\n2,2,0\n3,1,0\n4,1,0\n5,1,0\n6,2,0\n"
    spec = "id,target,spf,name\n1,3,10,wolf\n2,1,10,ibex\n"
    puvsp = "species,pu,amount\n1,1,3\n1,2,3\n2,6,1\n"
    p = read_marxan(marxan_writer(tmp_path, pu=pu, spec=spec, puvsp=puvsp))
    p = p.with_overrides(blm=0.0)
    sol = solve_minset(p, time_limit_s=5)
    chosen = np.flatnonzero(sol.x)
    imp = replacement_importance(p, sol, chosen, time_limit_s=5)
    wolf_unit = int(chosen[chosen < 2][0])
    assert imp[5] == float("inf")
    assert imp[wolf_unit] == pytest.approx(0.0)
    assert imp[5] > imp[wolf_unit]


def test_run_marxan_writes_outputs(tiny, tmp_path):
    out = tmp_path / "out"
    res = run_marxan(tiny, out, solutions=2, time_limit_s=10)
    best = pd.read_csv(out / "best.csv")
    assert list(best.columns) == ["PUID", "SOLUTION"]
    assert (best["SOLUTION"].to_numpy() == res.best.x).all()
    mv = pd.read_csv(out / "mvbest.csv")
    assert mv.columns[0] == "Conservation Feature" and mv.columns[-1] == "MPM"
    assert (mv["Target Met"] == "yes").all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objective"] == pytest.approx(res.best.objective)
    assert summary["marxan_score"]["shortfall_penalty"] == 0
    ssoln = pd.read_csv(out / "ssoln.csv")
    assert ssoln["NUMBER"].max() <= 2
    # no temporary folder left beside the output
    assert [d.name for d in tmp_path.iterdir() if d.name.startswith(".")] == []


def test_public_653_unit_problem_feasible(marxan_benchmarks):
    p = read_marxan(marxan_benchmarks / "marxanconnect-cf-demographic" / "input_no_connect.dat")
    sol = solve_minset(p, time_limit_s=5)
    assert (p.amounts.T @ sol.x >= p.targets * (1 - 1e-9)).all()
    assert sol.bound is not None and sol.bound <= sol.objective + 1e-6
