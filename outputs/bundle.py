"""Everything a planner hands in, written into a run's result folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from criteria.corridors import CorridorAnalysis
from optimizer.plan import Plan
from outputs.data_note import write_readme
from outputs.map_process import maps_drawn
from outputs.maps import map_data
from outputs.priorities import write_priorities
from outputs.priority_lists import priority_lists
from outputs.project_causes import projects_without_works
from outputs.report import write_report
from region.io import Region


def write_planner_outputs(folder: Path, plan: Plan, region: Region,
                          corridors: CorridorAnalysis | None,
                          first: Sequence[str] = ()) -> None:
    """Priority lists (xlsx, csv, gpkg), the CSVs' data note (数据说明_README.txt), maps and
    report.html into ``folder``, beside plan.csv and manifest.json; ``first``: HTML sections
    the report opens with. The maps are drawn in a child process meanwhile, where that pays
    (outputs/map_process.py): the report waits for them only to embed them."""
    with maps_drawn(folder, map_data(plan, region, corridors)) as maps:
        write_readme(folder, region)
        lists = priority_lists(plan, region, corridors)
        unfunded = projects_without_works(plan, region)
        write_priorities(folder, plan, region, corridors, lists, unfunded)
        write_report(folder, plan, region, corridors, first, lists, unfunded, maps)
