"""Generate a SYNTHETIC land-survey patch layer (三调图斑-style) for a part of Turpan.

    .venv/bin/python data/build_survey_fixture.py            # → data/survey/fixture/

Not survey data: the patches are a Voronoi tessellation of seeded random points, denser where
the shipped region's modelled land cover is farmland or settlement (fields are small there),
with edges densified and wiggled like digitised boundaries;
each patch's land-use code is drawn from a per-cover distribution of GB/T 21010-2017 codes
(``CODE_MIX``) given the shipped parcels' cover under it; the township is the nearest
township seat of the shipped ``townships`` layer in the patch's county. Its fields carry the
standard names of the Third National Land Survey database (BSM, YSDM, TBBH, DLBM, DLMC, QSXZ,
ZLDWDM, ZLDWMC, TBMJ), the .dbf is GBK without a .cpg (as many Chinese exports are) and the
CRS is CGCS2000 3-degree Gauss-Krüger zone 30 (EPSG:4518), as a Turpan bureau would hold it.
Deterministic: the same arguments give the same layer. The import benchmark calls
:func:`generate` for 100,000 patches over the whole city.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from region.io import TURPAN_DIR
from region.schema import EQUAL_AREA_CRS, STORAGE_CRS
from region.survey.dlbm import load_code_table

SEED = 20191231  # the survey's reference date, 2019-12-31
OUT = Path(__file__).resolve().parent / "survey" / "fixture"
NAME = "turpan_sandiao_synthetic"
#: The part of Turpan: the Gaochang oasis, the Flaming Mountains, down to Aydingkol.
BBOX = (88.95, 42.62, 89.45, 43.05)
PATCHES = 3000
CRS = "EPSG:4518"  # CGCS2000 / 3-degree Gauss-Krüger zone 30 (central meridian 90 E)
#: Patch edges get a vertex every VERTEX_SPACING_M and wiggle by up to WIGGLE_M, so the
#: geometry costs what digitised survey patches cost (tens to hundreds of vertices each).
VERTEX_SPACING_M = 40.0
WIGGLE_M = 8.0

#: Relative density of patches per shipped land cover (oasis fields are small).
DENSITY = {"oasis_farmland": 40.0, "settlement": 40.0, "wetland": 4.0, "mine": 8.0,
           "desert_shrubland": 2.0, "forest": 3.0, "alpine_grassland": 2.0, "sand_dune": 1.0,
           "gobi": 1.0, "bare_mountain": 1.0}
#: Land-use codes drawn for a patch, by the shipped cover under it: code → probability.
CODE_MIX: dict[str, dict[str, float]] = {
    "oasis_farmland": {"0201": 0.42, "0102": 0.28, "0702": 0.08, "1006": 0.05, "1107": 0.04,
                       "0204": 0.03, "1202": 0.03, "0301": 0.03, "1203": 0.02, "1104": 0.02},
    "settlement": {"0701": 0.30, "0702": 0.10, "05H1": 0.14, "08H2": 0.08, "1004": 0.12,
                   "0601": 0.10, "0810": 0.05, "1003": 0.05, "09": 0.03, "1201": 0.03},
    "wetland": {"1106": 0.40, "1102": 0.15, "1108": 0.10, "1204": 0.25, "0402": 0.05,
                "0306": 0.05},
    "desert_shrubland": {"0305": 0.55, "0404": 0.25, "0307": 0.10, "1206": 0.10},
    "sand_dune": {"1205": 0.85, "0305": 0.10, "1206": 0.05},
    "gobi": {"1207": 0.78, "1206": 0.10, "0404": 0.05, "1101": 0.02, "1003": 0.02,
             "1001": 0.01, "0602": 0.02},
    "bare_mountain": {"1207": 0.90, "1206": 0.05, "0404": 0.05},
    "forest": {"0301": 0.70, "0305": 0.10, "0401": 0.20},
    "alpine_grassland": {"0401": 0.60, "0404": 0.30, "0305": 0.05, "1207": 0.05},
    "mine": {"0602": 0.90, "1206": 0.10},
}
#: Ownership (权属性质): state-owned 10 for unused and water land, collective 30 for farmland
#: and villages (a simplification; the survey records it per patch).
COLLECTIVE = ("01", "02", "0702", "1006", "1107", "1104", "1202", "1203")


def area_of_interest(bbox: tuple[float, float, float, float] | None) -> shapely.Geometry:
    """The box (lon/lat) inside the city, in the equal-area CRS; the whole city if None."""
    city = gpd.read_file(TURPAN_DIR / "boundaries.gpkg", layer="city").geometry.union_all()
    part = city if bbox is None else shapely.intersection(city, shapely.box(*bbox))
    return gpd.GeoSeries([part], crs=STORAGE_CRS).to_crs(EQUAL_AREA_CRS).iloc[0]


def seed_points(aoi: shapely.Geometry, parcels: gpd.GeoDataFrame, n: int,
                rng: np.random.Generator) -> np.ndarray:
    """n points in the area, accepted with a probability set by the cover under them."""
    minx, miny, maxx, maxy = aoi.bounds
    shapely.prepare(aoi)
    tree = shapely.STRtree(parcels.geometry.to_numpy())
    weight = parcels["land_cover"].map(DENSITY).to_numpy(float) / max(DENSITY.values())
    chosen: list[np.ndarray] = []
    total = 0
    while total < n:
        xy = np.column_stack([rng.uniform(minx, maxx, 8 * n), rng.uniform(miny, maxy, 8 * n)])
        points = shapely.points(xy)
        inside = shapely.contains_xy(aoi, xy[:, 0], xy[:, 1])
        p, cell = tree.query(points[inside], predicate="within")
        accept = rng.random(len(p)) < weight[cell]
        picked = xy[inside][p[accept]]
        chosen.append(picked)
        total += len(picked)
    return np.concatenate(chosen)[:n]


def tessellate(aoi: shapely.Geometry, points: np.ndarray) -> np.ndarray:
    """Voronoi cells of the points, clipped to the area (cells inside are kept whole)."""
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points),
                                                       extend_to=aoi))
    inside = shapely.contains_properly(aoi, cells)
    cells[~inside] = shapely.intersection(cells[~inside], aoi)
    cells = cells[~shapely.is_empty(cells)]
    polygonal = np.isin(shapely.get_type_id(cells), [3, 6])
    return cells[polygonal]


def roughen(cells: np.ndarray, spacing_m: float = VERTEX_SPACING_M,
            amplitude_m: float = WIGGLE_M) -> np.ndarray:
    """Boundaries with a vertex every ``spacing_m`` and a smooth wiggle, as digitised patch
    edges have; the wiggle is a function of position, so neighbours keep sharing edges."""
    dense = shapely.segmentize(cells, spacing_m)

    def wiggle(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        return xy + amplitude_m * np.column_stack([np.sin(y / 97.0) * np.cos(x / 131.0),
                                                   np.sin(x / 89.0) * np.cos(y / 113.0)])

    return shapely.make_valid(shapely.transform(dense, wiggle), method="structure",
                              keep_collapsed=False)


def generate(bbox: tuple[float, float, float, float] | None = BBOX, patches: int = PATCHES,
             seed: int = SEED, boundaries: Path = TURPAN_DIR / "boundaries.gpkg",
             crs: str = CRS) -> gpd.GeoDataFrame:
    """The synthetic patch layer in ``crs`` with the survey's standard fields."""
    rng = np.random.default_rng(seed)
    aoi = area_of_interest(bbox)
    parcels = gpd.read_file(TURPAN_DIR / "parcels.gpkg").to_crs(EQUAL_AREA_CRS)
    cells = roughen(tessellate(aoi, seed_points(aoi, parcels, patches, rng)))
    centre = shapely.point_on_surface(cells)
    tree = shapely.STRtree(parcels.geometry.to_numpy())
    nearest = tree.query_nearest(centre, all_matches=False)[1]
    cover = parcels["land_cover"].to_numpy()[nearest]
    county = parcels["county"].astype(str).to_numpy()[nearest]

    codes = np.empty(len(cells), dtype=object)
    for land_cover, mix in CODE_MIX.items():
        rows = np.flatnonzero(cover == land_cover)
        codes[rows] = rng.choice(list(mix), size=len(rows), p=np.array(list(mix.values())))
    names = load_code_table().table["dlmc"]

    towns = gpd.read_file(boundaries, layer="townships").to_crs(EQUAL_AREA_CRS)
    township = np.empty(len(cells), dtype=object)
    zldwdm = np.empty(len(cells), dtype=object)
    for code in np.unique(county):
        rows = np.flatnonzero(county == code)
        seats = towns.loc[towns["county"].astype(str) == code].sort_values("name_zh")
        if seats.empty:
            seats = towns.sort_values("name_zh")
        pick = shapely.STRtree(seats.geometry.to_numpy()).query_nearest(
            centre[rows], all_matches=False)[1]
        township[rows] = seats["name_zh"].to_numpy()[pick]
        zldwdm[rows] = [f"{code}{100 + k:03d}0000000000" for k in pick]

    area = shapely.area(cells)
    order = np.lexsort((shapely.get_coordinates(centre)[:, 0], zldwdm))
    frame = gpd.GeoDataFrame({
        "BSM": np.arange(1, len(cells) + 1) + 10**9,
        "YSDM": "2001010100",
        "TBBH": "",
        "DLBM": codes[order],
        "DLMC": names.reindex(codes[order]).to_numpy(),
        "QSXZ": np.where(pd.Series(codes[order]).str.startswith(COLLECTIVE), "30", "10"),
        "ZLDWDM": zldwdm[order],
        "ZLDWMC": township[order],
        "TBMJ": np.round(area[order], 2),
        "BZ": "合成数据 synthetic",
    }, geometry=cells[order], crs=EQUAL_AREA_CRS)
    frame["TBBH"] = (frame.groupby("ZLDWDM").cumcount() + 1).astype(str)
    return frame.to_crs(crs)


def write(frame: gpd.GeoDataFrame, out: Path, name: str = NAME) -> Path:
    """A Shapefile with a GBK .dbf and no .cpg (the reader must detect the encoding)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob(f"{name}.*"):
        old.unlink()
    path = out / f"{name}.shp"
    frame.to_file(path, encoding="GBK")
    (out / f"{name}.cpg").unlink(missing_ok=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--patches", type=int, default=PATCHES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--boundaries", type=Path, default=TURPAN_DIR / "boundaries.gpkg")
    args = parser.parse_args()
    frame = generate(BBOX, args.patches, args.seed, args.boundaries)
    path = write(frame, args.out)
    counts = frame["DLBM"].value_counts()
    print(f"{path}: {len(frame):,} patches, {frame['TBMJ'].sum() / 1e6:,.1f} km², "
          f"{counts.size} land-use codes, {frame['ZLDWMC'].nunique()} townships")


if __name__ == "__main__":
    main()
