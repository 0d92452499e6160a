"""What a scenario's plan maximises: the criterion weights (direct or derived by AHP from
pairwise judgements) and the corridor completion bonus; the ``weights`` and ``corridors``
tables of :class:`region.scenario.Scenario`."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from region.criterion_names import criterion_key
from region.schema import CRITERIA
from region.strict_model import StrictModel


class AHPJudgements(StrictModel):
    """Saaty pairwise comparisons: matrix[i][j] = how much more important criteria[i] is."""

    criteria: list[str]
    """the criteria compared (sand, water, bio, mine, carbon, or their Chinese names)"""
    matrix: list[list[float]]
    """pairwise judgements, one row per criterion, reciprocal"""

    @field_validator("criteria", mode="before")
    @classmethod
    def _keys(cls, names: object) -> object:
        """Each criterion as its key (region/criterion_names.py: 防风固沙 → sand); a name
        of none kept as typed, for criteria/weights.py to name."""
        if not isinstance(names, list):
            return names
        return [criterion_key(n) or n if isinstance(n, str) else n for n in names]


class Weights(StrictModel):
    """Criterion weights: direct values, or derived by AHP from pairwise judgements. A
    criterion may be keyed by its Chinese name too (``"防风固沙" = 0.4``: TOML quotes a key
    that is not ASCII), as --weights reads it."""

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

    @model_validator(mode="before")
    @classmethod
    def _named(cls, table: object) -> object:
        """The criteria as region/criterion_names.py reads them (防风固沙, SAND,
        biodiversity) under their keys; one criterion given under two names is refused (a
        typo would otherwise keep either value silently), as ``--weights`` refuses it."""
        if not isinstance(table, dict):
            return table
        keyed: dict[object, object] = {}
        named_as: dict[object, object] = {}
        for name, value in table.items():
            key = (criterion_key(name) if isinstance(name, str) and name != "ahp"
                   else None) or name
            if key in keyed:
                raise ValueError(f"'{named_as[key]}' and '{name}' both name the criterion "
                                 f"'{key}': give it once")
            keyed[key], named_as[key] = value, name
        return keyed

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
