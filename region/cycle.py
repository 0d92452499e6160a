"""The yearly cycle's scenario sections: what the past years actually had, and how much a
re-plan may change the works the previous plan announced.

    [actuals.2027]            # optional, per past year; blank keys: as planned
    budget_wan = 18000        # money granted that year, 万元
    spend_wan = 17200         # money spent on restoration works that year, 万元
    water_wan_m3 = 2850       # water used that year, 万m³, as the run table counts it
                              #   (the works' water and Aydingkol's delivery)

    [replan]
    move_penalty = 0.002      # per announced work moved to another year, as a share of the
    drop_penalty = 0.005      #   previous plan's objective; none given: change only what
                              #   the new facts require (see pipeline/replan.py)

The plan itself is silent on re-planning; these are our rules, not the plan's.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from region.strict_model import StrictModel


class YearActuals(StrictModel):
    """What one past year actually had; a key left out is taken as planned."""

    budget_wan: float | None = Field(None, ge=0.0, description="money granted, 万元")
    spend_wan: float | None = Field(None, ge=0.0, description="money spent on the works, 万元")
    water_wan_m3: float | None = Field(None, description="water used, 万m³: the works' and "
                                                         "the lake's delivery")


class Stability(StrictModel):
    """The price of changing a work the previous plan announced for the years ahead.

    Each penalty is a share of the previous plan's objective (its weighted benefit) per
    work: 0.002 means a move must gain more than 0.2 % of that benefit. With neither given
    (the default) a re-plan changes only what the new facts require: first as few announced
    works as any plan that meets every rule must change, then the best benefit."""

    move_penalty: float | None = Field(None, ge=0.0, description="per work moved in time")
    drop_penalty: float | None = Field(None, ge=0.0, description="per work dropped")

    @model_validator(mode="after")
    def _both_or_neither(self) -> Stability:
        if (self.move_penalty is None) != (self.drop_penalty is None):
            raise ValueError("give both move_penalty and drop_penalty, or neither (change "
                             "only what the new facts require)")
        return self

    @property
    def strict(self) -> bool:
        """True: change only what the facts require (no penalties given)."""
        return self.move_penalty is None
