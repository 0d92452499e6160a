"""What may go inside a layer (red lines, nature reserves, a bureau's own layer): the
``spatial_rules`` of a scenario, and the plan's default rules with the plan lines they
follow (docs/plan-rules.md)."""

from __future__ import annotations

from pydantic import Field

from region.references import ActionName
from region.strict_model import StrictModel

#: Actions that protect and let nature recover, allowed inside red lines and reserves by the
#: default rules (docs/plan-rules.md; the plan lists no works for red lines, the list is our
#: reading of its principles): enclosure / natural recovery of land and wetland and grazing
#: withdrawal (lines 37, 63, 73, 92), forest tending and stand repair (line 63: the zone
#: holding the Tianshan red line is to be tended), mine remediation (line 22: mines lie inside
#: reserves and red lines) and ecological water to wetlands, rivers and lakesides (lines 68,
#: 110).
PROTECTION_LED_ACTIONS = ("enclosure", "wetland_enclosure", "grassland_recovery",
                          "forest_repair", "mine_remediation", "wetland_replenishment",
                          "riparian_restoration")

#: Inside red lines also small-watershed control: the zone holding the Tianshan red line is to
#: have it (line 63: 加强小流域综合治理，控制人为因素对土壤的侵蚀; line 98: P1-5, a key
#: project of that zone), on the same reading that lets forest tending in.
RED_LINE_ACTIONS = (*PROTECTION_LED_ACTIONS, "watershed_control")


class SpatialRule(StrictModel):
    """Inside a layer, only the ``allow`` actions may go.

    ``layer`` is a parcel attribute naming the area a parcel lies in (``red_line``,
    ``protected_area``, or a bureau's layer loaded with ``--layer``); a parcel is inside when
    it is not empty and, when ``match`` is given, contains one of its texts (e.g.
    "自然保护区" for every nature reserve).
    """

    name: str
    """names the rule in messages and lists"""
    layer: str
    """the parcel attribute naming the area (red_line, protected_area or a --layer)"""
    match: list[str] = Field(default_factory=list)
    """texts the attribute must contain (any of them); empty: any non-empty value"""
    allow: list[ActionName]
    """action codes allowed inside (or their Chinese names, 封育)"""
    source: str = ""
    """where the rule comes from (plan lines)"""


#: The default spatial rules (our reading of the plan, docs/plan-rules.md); a scenario's
#: ``[[spatial_rules]]`` replace them.
PLAN_SPATIAL_RULES = (
    SpatialRule(name="生态保护红线 ecological protection red lines", layer="red_line",
                allow=list(RED_LINE_ACTIONS),
                source="plan lines 60, 70, 75 (red lines in zones 1, 3, 4); 37, 63 "
                       "(protection first, natural recovery; small-watershed control in the "
                       "Tianshan zone); 98 (P1-5); 22 (mines inside red lines)"),
    SpatialRule(name="自然保护区与地质公园 nature reserves and the geopark",
                layer="protected_area", match=["自然保护区", "地质公园"],
                allow=list(PROTECTION_LED_ACTIONS),
                source="plan lines 81, 83 (Lop Nur reserve: less human disturbance); 66 "
                       "(the geopark's place; the plan sets no rule for it, ours: keep its "
                       "landforms); 22 (mines inside reserves)"),
)
