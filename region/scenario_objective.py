"""What a scenario's plan maximises: the criterion weights (direct or derived by AHP from
pairwise judgements) and the corridor completion bonus; the ``weights`` and ``corridors``
tables of :class:`region.scenario.Scenario`."""

from __future__ import annotations

from pydantic import Field, model_validator

from region.schema import CRITERIA
from region.strict_model import StrictModel


class AHPJudgements(StrictModel):
    """Saaty pairwise comparisons: matrix[i][j] = how much more important criteria[i] is."""

    criteria: list[str]
    """the criteria compared (sand, water, bio, mine, carbon)"""
    matrix: list[list[float]]
    """pairwise judgements, one row per criterion, reciprocal"""


class Weights(StrictModel):
    """Criterion weights: direct values, or derived by AHP from pairwise judgements."""

    sand: float | None = Field(None, ge=0.0)
    """weight of sand control (防风固沙); left out: 0"""
    water: float | None = Field(None, ge=0.0)
    """weight of water conservation (水源涵养); left out: 0"""
    bio: float | None = Field(None, ge=0.0)
    """weight of biodiversity (生物多样性); left out: 0"""
    mine: float | None = Field(None, ge=0.0)
    """weight of mine remediation (矿山修复); left out: 0"""
    carbon: float | None = Field(None, ge=0.0)
    """weight of carbon sink (碳汇); left out: 0"""
    ahp: AHPJudgements | None = None
    """derive the weights by AHP instead of giving them"""

    @model_validator(mode="after")
    def _one_way(self) -> Weights:
        direct = self.direct()
        if self.ahp is not None and any(v > 0 for v in direct.values()):
            raise ValueError("give either direct weights or [weights.ahp], not both")
        if self.ahp is None and sum(direct.values()) <= 0:
            raise ValueError(f"at least one weight of {list(CRITERIA)} must be positive")
        return self

    def direct(self) -> dict[str, float]:
        """Direct weights as given (0 for a criterion left out); not normalised."""
        return {c: float(getattr(self, c) or 0.0) for c in CRITERIA}


class Corridors(StrictModel):
    """Corridor completion bonus: a corridor's bonus counts once all its degraded parcels are
    restored."""

    enabled: bool = True
    """add the corridor completion bonus to the objective"""
    bonus_weight: float = Field(0.1, ge=0.0, description="share of the objective scale")
    max_corridors: int = Field(20, ge=0)
    """at most this many corridors are modelled"""
