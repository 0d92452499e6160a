"""Writing the files of data/turpan/: the GeoPackages, the DEM crop and the label tables."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
from turpan_land import ZONES
from turpan_places import TOWNSHIPS
from turpan_sources import COUNTIES


def write_outputs(out: Path, parcels: gpd.GeoDataFrame, layers: dict[str, gpd.GeoDataFrame],
                  dem: pd.DataFrame) -> None:
    """Write every layer; GeoPackages are replaced whole so reruns give the same files."""
    for name in ("parcels.gpkg", "boundaries.gpkg"):
        (out / name).unlink(missing_ok=True)
    parcels.to_file(out / "parcels.gpkg", layer="parcels", driver="GPKG")
    for layer, frame in layers.items():
        frame.to_file(out / "boundaries.gpkg", layer=layer, driver="GPKG")
    dem.to_csv(out / "dem_0p2deg.csv", index=False)
    pd.DataFrame([(k, *v) for k, v in COUNTIES.items()],
                 columns=["county", "name_zh", "name_en"]).to_csv(out / "counties.csv",
                                                                  index=False)
    pd.DataFrame([(k, *v) for k, v in ZONES.items()],
                 columns=["zone", "name_zh", "name_en"]).to_csv(out / "zones.csv", index=False)
    pd.DataFrame(TOWNSHIPS, columns=["name_zh", "name_en", "county", "lon", "lat"]).to_csv(
        out / "townships.csv", index=False)
