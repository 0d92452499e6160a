"""Every parcel field of a survey patch: the bureau's where its layer has it, ours otherwise.

How each field is derived when the patch layer does not carry it (``region.schema`` names):

- ``land_cover``: DLBM through the code table (``region.survey.dlbm``).
- ``county``: the first six digits of ZLDWDM when they are a county of the region, else the
  county layer's county covering at least half the patch.
- ``township``: ZLDWMC; else as any other field of the region's parcels.
- ``protected_area``, ``red_line``: the bureau's layer (``--protected``, ``--red-lines``) or
  the region's; the most specific area covering at least half the patch (as any other
  field when there is no such layer).
- ``dist_river_km``: distance to the region's ``rivers`` layer (as any other field when
  there is none).
- ``mine_id``, ``mine_status``, ``mine_area_km2``: the bureau's mine inventory (``--mines``);
  without one, every mining patch (DLBM 0602) is a pending site.
- ``dist_oasis_km``, ``oasis_shield``: distance to the oasis, made of the oasis patches (the
  code table's ``oasis`` column) and, where the survey does not reach, the region's oasis
  parcels.
- ``degradation``, ``veg_cover``, ``erodibility``, ``habitat_quality``, ``mine_hazard``: the
  land-cover rules of ``region.modelled_inputs`` (the shipped build's rules, expected values).
- ``water_source``, ``sand_priority``: as any other field, then the land-cover rule (wetland
  0.9; settlements are never priority).
- any other field of the region's parcels: area-weighted overlay, the mean for numbers, the
  value covering the largest share for codes, text and flags, and an amount shared out by
  area for counts (``SHARED_AMOUNTS``).

So a field the region's build adds later (groundwater depth, karez …) comes through the
overlay with no code here, and the provenance table says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from region import modelled_inputs
from region.schema import PARCEL_COLUMNS, Column
from region.survey.dlbm import CodeTable, choose_land_cover
from region.survey.layers import AreaLayer, MineLayer
from region.survey.overlay import Overlay, nearest_distance, overlay

#: Integer fields that are amounts (spread over a parcel's area), not codes.
SHARED_AMOUNTS = frozenset({"karez_count"})
#: Fields derived by a rule of this module rather than by the generic overlay.
RULE_FIELDS = frozenset({
    "parcel_id", "area_km2", "land_cover", "county", "mine_id", "mine_status",
    "mine_area_km2", "mine_hazard", "dist_oasis_km", "oasis_shield", "degradation",
    "veg_cover", "erodibility", "habitat_quality",
})
#: A region parcel the survey covers less than this share of stays in the landscape around
#: the patches (oasis, habitat threats) as it is.
CONTEXT_MAX_COVERED = 0.5
#: Distances (to the oasis, rivers, protected areas) are measured on boundaries simplified
#: to this tolerance, m: they err by tens of metres on kilometre scales, at a tenth the cost.
DISTANCE_TOLERANCE_M = 20.0
COLUMN_SPECS: dict[str, Column] = {c.name: c for c in PARCEL_COLUMNS}
PROVENANCE_COLUMNS = ("field", "source", "method", "file")


@dataclass
class Provenance:
    """Where every output field came from: the user's layer, or ours (and how)."""

    records: list[dict] = field(default_factory=list)

    def add(self, name: str, source: str, method: str, file: str = "") -> None:
        self.records = [r for r in self.records if r["field"] != name]
        self.records.append({"field": name, "source": source, "method": method, "file": file})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.records, columns=list(PROVENANCE_COLUMNS))


@dataclass(frozen=True)
class RegionContext:
    """The region the patches are placed in: its parcels and layers (equal-area CRS)."""

    parcels: pd.DataFrame  # attributes of the region's parcels
    geoms: NDArray[np.object_]
    parcels_file: str
    counties: AreaLayer | None
    county_codes: frozenset[str]
    protected: AreaLayer | None
    red_lines: AreaLayer | None
    rivers: NDArray[np.object_] | None
    rivers_file: str
    townships_en: dict[str, str]


@dataclass(frozen=True)
class PatchInputs:
    """Checked patches: geometry (equal-area), area, codes and the bureau's own fields."""

    geoms: NDArray[np.object_]
    area_km2: NDArray[np.float64]
    dlbm: pd.Series
    parcel_id: NDArray[np.int64]
    user: pd.DataFrame  # our names → the bureau's values (parcel fields, zldwdm, zldwmc)
    user_columns: dict[str, str]  # our name → the bureau's field name
    file: str


@dataclass
class Derived:
    """The derived columns, their provenance, and notes for the import report."""

    columns: dict[str, NDArray] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance)
    notes: list[str] = field(default_factory=list)


def derive(patches: PatchInputs, region: RegionContext, table: CodeTable,
           mines: MineLayer | None, base: Overlay) -> Derived:
    """Every parcel field of the patches (see the module docstring for the rules); ``base``
    is the overlay of the patches on the region's parcels."""
    out = Derived()
    out.columns["region_share"] = base.covered_share()
    context = base.feature_covered_share() < CONTEXT_MAX_COVERED

    _land_cover(patches, region, table, base, out)
    _overlay_fields(patches, region, base, out)
    _county(patches, region, out)
    _township(patches, region, out)
    _areas(patches, region, out)
    _mines(patches, mines, out)
    _oasis(patches, region, table, context, out)
    _cover_rules(patches, region, table, context, out)
    return out


def _user(patches: PatchInputs, name: str, out: Derived) -> bool:
    """Take field ``name`` from the bureau's layer if it has it; True when taken."""
    if name not in patches.user.columns:
        return False
    out.columns[name] = patches.user[name].to_numpy()
    out.provenance.add(name, "user", f"field {patches.user_columns[name]}", patches.file)
    return True


def _land_cover(patches: PatchInputs, region: RegionContext, table: CodeTable,
                base: Overlay, out: Derived) -> None:
    shares = base.shares(region.parcels["land_cover"]) if "land_cover" in region.parcels \
        else pd.DataFrame(index=range(len(patches.geoms)))
    out.columns["land_cover"] = choose_land_cover(table.alternatives(patches.dlbm), shares)
    out.provenance.add("land_cover", "user",
                       f"field {patches.user_columns['dlbm']} through {table.path.name} (where "
                       "it lists alternatives, the region's modelled cover chooses)",
                       patches.file)


def _overlay_fields(patches: PatchInputs, region: RegionContext, base: Overlay,
                    out: Derived) -> None:
    """Every region parcel field not derived by a rule, by area-weighted overlay."""
    for spec in PARCEL_COLUMNS:
        name = spec.name
        if name in RULE_FIELDS:
            continue
        if _user(patches, name, out) or name not in region.parcels.columns:
            continue
        values = region.parcels[name]
        if spec.kind == "float":
            result, how = base.mean(values.to_numpy(float)), "area-weighted mean"
        elif spec.kind == "int" and name in SHARED_AMOUNTS:
            result = np.rint(base.share_sum(values.to_numpy(float))).astype(np.int64)
            how = "sum over the region's parcels, each shared by area"
        else:
            result, _ = base.largest(values.to_numpy(dtype=object), missing=None)
            how = "the value covering the largest share of the patch"
        out.columns[name] = result
        out.provenance.add(name, "ours", f"{how}, over the region's parcels",
                           region.parcels_file)


def _county(patches: PatchInputs, region: RegionContext, out: Derived) -> None:
    if _user(patches, "county", out):
        return
    n = len(patches.geoms)
    county = np.full(n, "", dtype=object)
    by_code = np.zeros(n, bool)
    if "zldwdm" in patches.user.columns:
        prefix = patches.user["zldwdm"].fillna("").astype(str).str.strip().str[:6]
        by_code = prefix.isin(region.county_codes).to_numpy()
        county[by_code] = prefix[by_code].to_numpy()
        unknown = sorted(set(prefix[~by_code]) - {""})
        if unknown:
            out.notes.append(f"{(~by_code).sum():,} patches have a ZLDWDM whose county code "
                             f"({', '.join(unknown[:5])}) is not a county of the region "
                             f"({', '.join(sorted(region.county_codes))}); their county is "
                             "taken from the county layer")
    if region.counties is not None and (~by_code).any():
        county[~by_code] = region.counties.assign(patches.geoms[~by_code])
    if by_code.all():
        method, source = f"first six digits of {patches.user_columns['zldwdm']}", "user"
    elif by_code.any():
        method, source = (f"first six digits of {patches.user_columns['zldwdm']}, else the "
                          "county covering at least half the patch"), "user and ours"
    else:
        method, source = "the county covering at least half the patch", "ours"
    out.columns["county"] = county
    out.provenance.add("county", source, method,
                       patches.file if by_code.any() else (region.counties.source
                                                           if region.counties else ""))


def _township(patches: PatchInputs, region: RegionContext, out: Derived) -> None:
    """ZLDWMC names the township (or village) in the priority lists."""
    if "zldwmc" not in patches.user.columns:
        return
    names = patches.user["zldwmc"].fillna("").astype(str).str.strip().to_numpy(dtype=object)
    blank = names == ""
    if blank.any() and "township" in out.columns:
        names[blank] = out.columns["township"][blank]
        out.notes.append(f"{blank.sum():,} patches have no {patches.user_columns['zldwmc']}: "
                         "their township is the region's modelled one")
    out.columns["township"] = names
    out.provenance.add("township", "user", f"field {patches.user_columns['zldwmc']}",
                       patches.file)
    if region.townships_en:
        out.columns["township_en"] = np.array([region.townships_en.get(n, "") for n in names],
                                              dtype=object)
        out.provenance.add("township_en", "ours", "English name of the township from the "
                           "region's township table ('' where the name is not in it)")
    else:
        out.columns.pop("township_en", None)
        out.provenance.records = [r for r in out.provenance.records
                                  if r["field"] != "township_en"]


def _areas(patches: PatchInputs, region: RegionContext, out: Derived) -> None:
    """Named areas and river distance from layers, where the region (or bureau) has them."""
    for name, layer in (("protected_area", region.protected), ("red_line", region.red_lines)):
        if layer is None or _given(patches, name):
            continue
        out.columns[name] = layer.assign(patches.geoms)
        out.provenance.add(name, "user" if layer.user else "ours",
                           "the most specific area covering at least half the patch",
                           layer.source)
    if region.rivers is not None and not _given(patches, "dist_river_km"):
        distance, _ = nearest_distance(patches.geoms, region.rivers, DISTANCE_TOLERANCE_M)
        out.columns["dist_river_km"] = distance / 1000.0
        out.provenance.add("dist_river_km", "ours", "distance from the patch to the nearest "
                           "river line", region.rivers_file)


def _mines(patches: PatchInputs, mines: MineLayer | None, out: Derived) -> None:
    cover = out.columns["land_cover"]
    n = len(cover)
    mine_id = np.full(n, "", dtype=object)
    status = np.full(n, "", dtype=object)
    area = np.zeros(n)
    if mines is None:
        site = cover == "mine"
        mine_id[site] = [f"P{i}" for i in patches.parcel_id[site]]
        status[site] = "pending"
        area[site] = patches.area_km2[site]
        method = ("every patch of mining land (land cover mine) is a pending historical-mine "
                  "site over its whole area; give --mines to restrict it to the inventory")
        source, file = "ours", ""
    else:
        shared = overlay(patches.geoms, mines.geoms)
        site_index, share = shared.largest(np.arange(len(mines.geoms)), missing=-1)
        site_index = site_index.astype(np.int64)
        inside = (share >= 0.5) | ((cover == "mine") & (share > 0))
        mine_id[inside] = mines.ids[site_index[inside]]
        status[inside] = mines.status[site_index[inside]]
        area[inside] = np.bincount(shared.patch, shared.area_m2, minlength=n)[inside] / 1e6
        cover[inside] = "mine"
        out.provenance.add("land_cover", "user", out.provenance.frame().set_index("field").at[
            "land_cover", "method"] + "; patches inside a site of the mine inventory: mine",
            patches.file)
        outside = (cover == "mine") & ~inside
        if outside.any():
            out.notes.append(f"{outside.sum():,} patches of mining land lie outside the mine "
                             "inventory: active mines, not historical sites (no remediation "
                             "option)")
        method = ("the inventory's site covering the patch (at least half of it, or any part "
                  "of a mining patch); area = the part inside the site; such patches become "
                  "land cover mine")
        source, file = "user", mines.source
    for name, values in (("mine_id", mine_id), ("mine_status", status),
                         ("mine_area_km2", area)):
        if not _user(patches, name, out):
            out.columns[name] = values
            out.provenance.add(name, source, method, file)


def _oasis(patches: PatchInputs, region: RegionContext, table: CodeTable,
           context: NDArray[np.bool_], out: Derived) -> None:
    """Distance to the oasis and its shield: the survey's oasis patches, and the region's
    oasis parcels the survey does not cover."""
    in_oasis = table.column(patches.dlbm, "oasis").astype(bool) & (
        out.columns["land_cover"] != "mine")
    oasis_cover = region.parcels["land_cover"].isin(modelled_inputs.OASIS_COVERS).to_numpy()
    outside = context & oasis_cover
    sources = np.r_[patches.geoms[in_oasis], region.geoms[outside]]
    distance = np.zeros(len(patches.geoms))
    nearest = np.full(len(patches.geoms), -1, dtype=np.int64)
    away = ~in_oasis
    distance[away], nearest[away] = nearest_distance(patches.geoms[away], sources,
                                                     DISTANCE_TOLERANCE_M)
    centre = shapely.point_on_surface(patches.geoms)
    d_oasis = distance / 1000.0
    if not _user(patches, "dist_oasis_km", out):
        out.columns["dist_oasis_km"] = np.where(np.isfinite(d_oasis), d_oasis, np.nan)
        out.provenance.add("dist_oasis_km", "ours", "distance from the patch to the nearest "
                           "oasis patch (code table column oasis) or, beyond the survey, "
                           "the region's oasis parcels", patches.file)
    d_oasis = np.asarray(out.columns["dist_oasis_km"], float)
    if not _user(patches, "oasis_shield", out):
        vector = np.zeros((len(centre), 2))
        has = nearest >= 0  # (oasis patches shield nothing: 0 whatever their vector)
        line = shapely.shortest_line(sources[nearest[has]], centre[has])
        coords = shapely.get_coordinates(line).reshape(-1, 2, 2)
        vector[has] = coords[:, 1, :] - coords[:, 0, :]
        out.columns["oasis_shield"] = modelled_inputs.oasis_shield(
            np.nan_to_num(d_oasis, nan=1e9), vector, in_oasis)
        out.provenance.add("oasis_shield", "ours", "region.modelled_inputs.oasis_shield on the "
                           "distance and direction from the nearest oasis")


def _cover_rules(patches: PatchInputs, region: RegionContext, table: CodeTable,
                 context: NDArray[np.bool_], out: Derived) -> None:
    """Degradation and the fields that follow from the land cover, by the shipped rules."""
    cover = out.columns["land_cover"]
    rule = "region.modelled_inputs.{} (the shipped build's rule, expected value: no noise)"
    zone = np.asarray(out.columns.get("zone", np.zeros(len(cover))))
    if not _user(patches, "degradation", out):
        overdraft = modelled_inputs.oasis_overdraft(zone, out.columns["dist_oasis_km"])
        level = modelled_inputs.degradation(cover, 0.0, overdraft)
        level = modelled_inputs.mine_degradation(level, cover, out.columns["mine_status"])
        fixed = table.column(patches.dlbm, "degradation").astype(float)
        level = np.where(np.isnan(fixed), level, np.nan_to_num(fixed)).astype(np.int64)
        out.columns["degradation"] = level
        out.provenance.add("degradation", "ours", rule.format("degradation") +
                           "; the code table fixes it for water (0, not rated)")
    degradation = np.asarray(out.columns["degradation"], float)
    if not _user(patches, "veg_cover", out):
        out.columns["veg_cover"] = modelled_inputs.veg_cover(cover, degradation, 1.0)
        out.provenance.add("veg_cover", "ours", rule.format("veg_cover"))
    if not _user(patches, "erodibility", out):
        out.columns["erodibility"] = modelled_inputs.erodibility(cover)
        out.provenance.add("erodibility", "ours", rule.format("erodibility"))
    if not _user(patches, "habitat_quality", out):
        xy = np.r_[_xy_km(patches.geoms), _xy_km(region.geoms[context])]
        all_cover = np.r_[cover, region.parcels["land_cover"].to_numpy(dtype=object)[context]]
        all_degradation = np.r_[degradation,
                                region.parcels["degradation"].to_numpy(float)[context]]
        quality = modelled_inputs.invest_habitat_quality(xy, all_cover, all_degradation)
        out.columns["habitat_quality"] = quality[: len(cover)]
        out.provenance.add("habitat_quality", "ours", rule.format("invest_habitat_quality") +
                           " with the patches and, beyond the survey, the region's parcels "
                           "as threats")
    if "water_source" in out.columns and not _given(patches, "water_source"):
        out.columns["water_source"] = np.where(cover == "wetland",
                                               modelled_inputs.WETLAND_WATER_SOURCE,
                                               out.columns["water_source"])
        out.provenance.add("water_source", "ours", "area-weighted mean of the region's "
                           "parcels; wetland patches region.modelled_inputs.WETLAND_WATER_SOURCE",
                           region.parcels_file)
    if "sand_priority" in out.columns and not _given(patches, "sand_priority"):
        flag = pd.Series(out.columns["sand_priority"]).fillna(False).astype(bool).to_numpy()
        out.columns["sand_priority"] = flag & (cover != "settlement")
        out.provenance.add("sand_priority", "ours", "value covering the largest share of the "
                           "region's parcels; never on settlements (the build's rule)",
                           region.parcels_file)
    if not _user(patches, "mine_hazard", out):
        near = np.zeros(len(cover), bool)
        mine = cover == "mine"
        if region.protected is not None and mine.any():
            distance, _ = nearest_distance(patches.geoms[mine], region.protected.geoms,
                                           DISTANCE_TOLERANCE_M)
            near[mine] = distance / 1000.0 <= modelled_inputs.MINE_NEAR_PROTECTED_KM
        water = np.asarray(out.columns.get("water_source", np.zeros(len(cover))), float)
        elevation = np.asarray(out.columns.get("elevation_m", np.zeros(len(cover))), float)
        out.columns["mine_hazard"] = modelled_inputs.mine_hazard(cover, water, near, elevation)
        out.provenance.add("mine_hazard", "ours", rule.format("mine_hazard"))


def _given(patches: PatchInputs, name: str) -> bool:
    return name in patches.user.columns


def _xy_km(geoms: NDArray[np.object_]) -> NDArray[np.float64]:
    return shapely.get_coordinates(shapely.point_on_surface(geoms)) / 1000.0

