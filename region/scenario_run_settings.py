"""How a scenario's runs are computed: the solver and when it may stop, and how sensitivity
runs sample the uncertain inputs; the ``solver`` and ``sensitivity`` tables of
:class:`region.scenario.Scenario`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from region.strict_model import StrictModel


class SolverSettings(StrictModel):
    """Which solver, and when it may stop."""

    name: str = "highs"
    """highs, cbc, cpsat (those installed)"""
    time_limit_s: float = Field(60.0, gt=0)
    """wall time the solve may take"""
    gap: float = Field(0.001, ge=0.0, lt=1.0, description="relative MIP gap to stop at, a "
                       "fraction (0.005 = 0.5 %)")
    threads: int = Field(2, ge=1)
    """threads the solver may use"""
    effort: float = Field(1.0, gt=0.0, le=100.0,
                          description="multiplies the solve's work budgets (nodes, rounds, "
                                      "iterations; optimizer/work.py): the plan depends on "
                                      "it, not on the machine's speed")


class SensitivitySettings(StrictModel):
    """How sensitivity runs sample the uncertain inputs and how hard each solve tries.

    Ranges are relative half-widths: 0.2 samples a multiplier in [0.8, 1.2]; a range of 0
    leaves that input out of the analysis."""

    method: Literal["morris", "sobol", "oat", "montecarlo"] = "morris"
    """how the uncertain inputs are sampled"""
    samples: int = Field(10, ge=1, description="Morris trajectories, Sobol base samples (N) "
                                               "or Monte Carlo draws")
    morris_levels: int = Field(4, ge=2, description="grid levels of a Morris design")
    weight_range: float = Field(0.25, ge=0.0, lt=1.0)
    """criterion weights ±"""
    budget_range: float = Field(0.2, ge=0.0, lt=1.0)
    """the budget ±"""
    water_range: float = Field(0.2, ge=0.0, lt=1.0)
    """the water allocations ±"""
    cost_range: float = Field(0.2, ge=0.0, lt=1.0, description="unit costs ±")
    benefit_range: float = Field(0.2, ge=0.0, lt=1.0, description="benefit estimates ±")
    survival_range: float = Field(0.1, ge=0.0, lt=1.0)
    """survival rates ±"""
    water_demand_range: float = Field(0.15, ge=0.0, lt=1.0)
    """the works' water demand ±"""
    per: Literal["region", "action", "parcel"] = Field(
        "region", description="costs and benefits: one multiplier for the region, one per "
                              "action, or the region's times a seeded draw per parcel")
    dirichlet_concentration: float = Field(50.0, gt=0.0, description="Monte Carlo weights: "
                                           "Dirichlet around the scenario's weights")
    # Per sample solve: on Turpan the heuristics reach ~1 % in 7-8 s and the LP bound
    # certifies 2 %, so 12 s and 2 % give 100+ samples in ~8 min on 2 cores (benchmarks/).
    time_limit_s: float = Field(12.0, gt=0.0, description="per sample solve")
    gap: float = Field(0.02, ge=0.0, lt=1.0, description="per sample solve, a fraction")
    robust_share: float = Field(0.9, gt=0.0, le=1.0, description="robust core: chosen in at "
                                                                 "least this share of runs")
