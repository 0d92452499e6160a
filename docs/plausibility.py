"""Print the plausibility tables of docs/criteria.md: city figures, per-land-cover means, and
(given result folders) where each action of a plan lands.

    python docs/plausibility.py [results/baseline ...]
"""

import sys
from pathlib import Path

import pandas as pd

from criteria.plausibility import per_land_cover, plan_landing, region_figures, sand_cover_share
from region.io import load_region


def markdown(frame: pd.DataFrame) -> str:
    """A markdown table (no extra dependency)."""
    header = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(f"{v:,.1f}" if isinstance(v, float) else str(v)
                                        for v in row) + " |")
    return "\n".join(lines)


def main(folders: list[str]) -> None:
    parcels = load_region().parcels
    figures = region_figures(parcels)
    print("| figure | value |\n|---|---|")
    for key, value in figures.items():
        print(f"| {key} | {value:,.1f} |" if isinstance(value, float) else f"| {key} | {value} |")
    print()
    print(markdown(per_land_cover(parcels)))
    for folder in folders:
        plan = pd.read_csv(Path(folder) / "plan.csv")
        print(f"\n{folder}: sand barriers on sand land covers "
              f"{sand_cover_share(plan):.0%} of their area")
        print(markdown(plan_landing(plan).reset_index()))


if __name__ == "__main__":
    main(sys.argv[1:])
