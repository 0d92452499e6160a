"""Drawing the static maps of a plan from plain frames (outputs/maps.py says what they show).

This module imports geopandas and matplotlib only, not the region, criteria or optimizer
packages (about a second and a half more of start-up), so that a child process can draw
the maps while its parent writes the lists and the report (outputs/map_process.py): what
it needs of the plan and the region comes in a :class:`MapData`, built by outputs/maps.py.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib
import pandas as pd
import pyogrio

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.legend import Legend  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib_scalebar.scalebar import ScaleBar  # noqa: E402

from outputs.dissolve import dissolve, union_method  # noqa: E402
from outputs.figures import save_png_svg  # noqa: E402
from outputs.fonts import use_cjk_font  # noqa: E402

#: The map's lowest edge (figure fraction): room for the legend and the data note below it.
MAP_BOTTOM = 0.17


@dataclass(frozen=True)
class MapData:
    """What the maps of a plan are drawn from."""

    parcels: gpd.GeoDataFrame  # the region's, in its own CRS
    zone_labels: pd.DataFrame  # zone → name_zh
    county_labels: pd.DataFrame  # county → name_zh
    chosen: pd.DataFrame  # parcel_id, start_year, action, action_zh, action_en
    corridors: gpd.GeoDataFrame | None  # one shape a corridor, in ``crs``
    note: str  # the data note at each map's foot
    crs: str  # the equal-area projection the maps are drawn in
    boundaries: Path  # the GeoPackage with Aydingkol lake


def action_colours(actions: list[str]) -> dict[str, str]:
    """One tab10 colour per action (sorted), shared by the static and interactive maps."""
    palette = plt.get_cmap("tab10")
    return {a: to_hex(palette(k % 10)) for k, a in enumerate(sorted(actions))}


def lake_in(parcels: gpd.GeoDataFrame, boundaries: Path) -> gpd.GeoDataFrame | None:
    """Aydingkol lake (its 7.46 km² water surface, layer ``aydingkol_lake`` of
    ``boundaries``; the wetland park's footprint ``aydingkol`` in data built before the lake
    had a layer) clipped to the parcels' extent (same CRS), or None where it lies outside:
    a user's own region elsewhere gets no Turpan lake drawn on it."""
    if not boundaries.exists():
        return None
    layers = {name for name, _ in pyogrio.list_layers(boundaries)}
    layer = "aydingkol_lake" if "aydingkol_lake" in layers else "aydingkol"
    lake = gpd.read_file(boundaries, layer=layer).to_crs(parcels.crs)
    lake = lake.clip(tuple(parcels.total_bounds))
    return None if lake.empty else lake


def layers_of(parcels: gpd.GeoDataFrame, zone_labels: pd.DataFrame,
              county_labels: pd.DataFrame, crs: str,
              boundaries: Path) -> dict[str, gpd.GeoDataFrame]:
    """Parcels, zones, counties, red lines and protected areas (from the parcels'
    attributes, so a bureau's own layers show) and the lake (when within the region),
    projected to ``crs``."""
    parcels = parcels.to_crs(crs)
    method = union_method(parcels)  # once: the subsets below are coverages if it is one
    layers = {"parcels": parcels,
              "zones": _labelled(dissolve(parcels, "zone", method).reset_index(), "zone",
                                 zone_labels),
              "counties": _labelled(dissolve(parcels, "county", method).reset_index(),
                                    "county", county_labels)}
    for key, column in (("red_lines", "red_line"), ("protected", "protected_area")):
        if column in parcels.columns:
            inside = parcels[parcels[column].fillna("").astype(str) != ""]
            if len(inside):
                layers[key] = dissolve(inside, column, method).reset_index()
    lake = lake_in(parcels, boundaries)
    if lake is not None:
        layers["lake"] = lake
    return layers


def _labelled(shapes: gpd.GeoDataFrame, key: str, labels) -> gpd.GeoDataFrame:
    """``shapes`` with a ``label`` column: the Chinese name from the label table."""
    names = labels.assign(**{key: labels[key].astype(shapes[key].dtype)}).set_index(key)
    return shapes.assign(label=shapes[key].map(names["name_zh"]).fillna(shapes[key].astype(str)))


#: Most characters on a line of a zone's name on the map.
ZONE_LABEL_WIDTH = 8
#: Punctuation that Chinese typesetting keeps off the start of a line.
NO_LINE_START = set("、，。；：）」』！？")


def _zone_label(zone: int, name: str) -> str:
    """'3区 绿洲外围防风固沙' from zone 3's name, wrapped for the map into lines of equal
    length (at most :data:`ZONE_LABEL_WIDTH` characters), so that no line holds a lone
    character ("…水源保\n护")."""
    short = name.replace("生态修复分区", "").replace("生态修复区", "")
    width = -(-len(short) // max(-(-len(short) // ZONE_LABEL_WIDTH), 1))
    lines = [short[k:k + width] for k in range(0, len(short), width)]
    for k in range(1, len(lines)):  # no line starts with a pause mark (避头点)
        while lines[k][:1] in NO_LINE_START:
            lines[k - 1], lines[k] = lines[k - 1] + lines[k][0], lines[k][1:]
    return f"{zone}区 " + "\n".join(line for line in lines if line)


def _place_names(ax, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """County names, and zone names in small grey type, at a point inside each one's
    largest part, with a white halo so that they read over the parcels."""
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for row in layers["zones"].itertuples():
        point = _largest_part(row.geometry).representative_point()
        ax.annotate(_zone_label(row.zone, row.label), (point.x, point.y), ha="center",
                    va="center", fontsize=7, color="#444444", path_effects=halo)
    for row in layers["counties"].itertuples():
        point = _largest_part(row.geometry).representative_point()
        ax.annotate(row.label, (point.x, point.y), xytext=(0, 12),
                    textcoords="offset points", ha="center", fontsize=11, path_effects=halo)


def _largest_part(geometry):
    parts = getattr(geometry, "geoms", [geometry])
    return max(parts, key=lambda part: part.area)


def map_frame(layers: dict[str, gpd.GeoDataFrame], corridors: gpd.GeoDataFrame | None
              ) -> tuple[Figure, Axes, list[Patch]]:
    """Figure with the region in grey, the lake and the corridors (one shape each, in the
    layers' CRS); legend handles so far."""
    # A fixed layout (map above, legend below) so that every map has the same size. A bare
    # Figure, not pyplot's: its canvas draws nothing until saved, whereas each geopandas
    # ``plot`` asks the canvas to draw, which an Agg canvas does at once (the map was
    # rendered ~9 times before it was saved).
    fig = Figure(figsize=(11, 10), dpi=110)
    ax = fig.add_axes((0.02, MAP_BOTTOM, 0.96, 0.94 - MAP_BOTTOM))
    layers["counties"].plot(ax=ax, color="#eeeeee", edgecolor="none")
    handles = []
    if "lake" in layers:  # drawn over the works by finish_map: its parcels are works too
        handles.append(Patch(facecolor="#7fb8e6", label="艾丁湖 Aydingkol lake"))
    if corridors is not None and len(corridors):
        corridors.boundary.plot(ax=ax, color="#2e8b57", linewidth=0.8, linestyle=":")
        handles.append(Patch(facecolor="none", edgecolor="#2e8b57", linestyle=":",
                             label="生态廊道 Ecological corridor"))
    return fig, ax, handles


def finish_map(fig: Figure, ax: Axes, layers: dict[str, gpd.GeoDataFrame],
               handles: list[Patch], title: str, note: str = "") -> None:
    """The lake over the works, boundaries, legend, scale bar, north arrow, title and the
    data note (what on the map is modelled) at the foot."""
    if "lake" in layers:
        layers["lake"].plot(ax=ax, color="#7fb8e6", edgecolor="#3b7fb8", linewidth=0.6)
    layers["zones"].boundary.plot(ax=ax, color="#555555", linewidth=0.7)
    layers["counties"].boundary.plot(ax=ax, color="#000000", linewidth=1.2, linestyle="--")
    if "protected" in layers:
        layers["protected"].boundary.plot(ax=ax, color="#1b7837", linewidth=0.9,
                                          linestyle="-.")
        handles.append(Patch(facecolor="none", edgecolor="#1b7837", linestyle="-.",
                             label="自然保护地 Protected areas"))
    if "red_lines" in layers:
        layers["red_lines"].plot(ax=ax, facecolor="none", edgecolor="#d7301f", hatch="\\\\",
                                 linewidth=0.6)
        handles.append(Patch(facecolor="none", edgecolor="#d7301f", hatch="\\\\",
                             label="生态保护红线 Ecological protection red line"))
    handles += [Patch(facecolor="none", edgecolor="#555555", label="修复分区界 Zone boundary"),
                Patch(facecolor="none", edgecolor="#000000", linestyle="--",
                      label="区县界 County boundary")]
    _place_names(ax, layers)
    fit_legend(fig, ax, handles)
    if note:
        zh, _, en = note.partition("。 ")  # one line per language
        fig.text(0.5, 0.005, f"{zh}。\n{en}" if en else note, ha="center", va="bottom",
                 fontsize=7, color="#7f4f00")
    ax.add_artist(ScaleBar(1.0, units="m", location="lower right", box_alpha=0.8,
                           font_properties={"size": 8}))
    ax.annotate("N\n北", xy=(0.95, 0.95), xytext=(0.95, 0.84), xycoords="axes fraction",
                ha="center", va="center", fontsize=11,
                arrowprops={"facecolor": "black", "width": 4, "headwidth": 12})
    ax.set_title(title, fontsize=13)
    ax.set_axis_off()


#: The legend's layouts to choose from: columns, and most characters on a label's line
#: (0: unwrapped). The lowest that fits between the figure's edges is kept.
LEGEND_LAYOUTS = tuple((columns, width) for width in (0, 40, 30, 24) for columns in (3, 4, 2))


def fit_legend(fig: Figure, ax: Axes, handles: list[Patch]) -> Legend:
    """The legend under the map in the lowest of :data:`LEGEND_LAYOUTS` that fits between
    the figure's edges (measured, not guessed: the shipped actions' names are long, a
    region's own catalogue may be longer), the map raised above it where it is taller than
    the room under :data:`MAP_BOTTOM`. The figure's size stays, so maps line up. Three
    columns of the baseline's actions ran off both edges of the figure and under the map (a
    reviewer's finding)."""
    renderer = FigureCanvasAgg(fig).get_renderer()  # measures text; draws nothing yet
    room = fig.bbox.padded(-4)
    best = None
    for layout in LEGEND_LAYOUTS:
        legend = _legend(fig, handles, *layout)
        box = legend.get_window_extent(renderer)
        legend.remove()
        fits = room.x0 <= box.x0 and box.x1 <= room.x1
        if best is None or (fits, -box.y1) > (best[0], -best[1]):
            best = fits, box.y1, layout
    _, top, layout = best
    legend = _legend(fig, handles, *layout)
    x0, y0, w, h = ax.get_position().bounds
    bottom = max(MAP_BOTTOM, top / fig.bbox.height + 0.01)
    ax.set_position((x0, bottom, w, y0 + h - bottom))
    return legend


def _legend(fig: Figure, handles: list[Patch], columns: int, width: int) -> Legend:
    labels = [_wrapped(handle.get_label(), width) for handle in handles]
    return fig.legend(handles=handles, labels=labels, loc="lower center",
                      bbox_to_anchor=(0.5, 0.03), ncols=columns, fontsize=8, frameon=False)


def _wrapped(label: str, width: int) -> str:
    """``label`` broken into lines of at most ``width`` characters at spaces (a Chinese
    name and its English one part first), unchanged for ``width`` 0."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) if width else label


def _draw(ax, chosen: gpd.GeoDataFrame, mask, colour: str) -> None:
    """Fill the first works on a parcel; hatch a follow-up (e.g. planting after a sand
    barrier) in its colour so that both stay visible."""
    first = chosen[mask & ~chosen["follow_up"]]
    if len(first):
        first.plot(ax=ax, color=colour, edgecolor="none")
    later = chosen[mask & chosen["follow_up"]]
    if len(later):
        later.plot(ax=ax, facecolor="none", edgecolor=colour, hatch="////", linewidth=0)


def _follow_up_handle(chosen: gpd.GeoDataFrame) -> list[Patch]:
    if not chosen["follow_up"].any():
        return []
    return [Patch(facecolor="white", edgecolor="0.3", hatch="////",
                  label="斜线：同一地块的后续措施 hatched: follow-up works on a parcel")]


def draw_maps(folder: Path, data: MapData) -> list[Path]:
    """``maps/plan_by_year`` and ``maps/plan_by_action`` (PNG and SVG) in ``folder``."""
    use_cjk_font()
    out = folder / "maps"
    out.mkdir(exist_ok=True)
    layers = layers_of(data.parcels, data.zone_labels, data.county_labels, data.crs,
                       data.boundaries)
    chosen = layers["parcels"][["parcel_id", "geometry"]].merge(
        data.chosen, on="parcel_id").sort_values(["parcel_id", "start_year"], kind="stable")
    chosen["follow_up"] = chosen.duplicated("parcel_id", keep="first")
    paths = []
    years = sorted(chosen["start_year"].unique())
    fig, ax, handles = map_frame(layers, data.corridors)
    colours = plt.get_cmap("viridis", max(len(years), 2))
    for k, year in enumerate(years):
        _draw(ax, chosen, chosen["start_year"] == year, colours(k))
        handles.append(Patch(facecolor=colours(k), label=f"{year}年开工 start {year}"))
    handles += _follow_up_handle(chosen)
    finish_map(fig, ax, layers, handles, "规划方案：按开工年份 Plan by start year",
               data.note)
    paths += save_png_svg(fig, out / "plan_by_year")
    actions = chosen.drop_duplicates("action").sort_values("action")
    colours = action_colours(list(actions["action"]))
    fig, ax, handles = map_frame(layers, data.corridors)
    for row in actions.itertuples():
        _draw(ax, chosen, chosen["action"] == row.action, colours[row.action])
        handles.append(Patch(facecolor=colours[row.action],
                             label=f"{row.action_zh} {row.action_en}"))
    handles += _follow_up_handle(chosen)
    finish_map(fig, ax, layers, handles, "规划方案：按修复措施 Plan by action", data.note)
    paths += save_png_svg(fig, out / "plan_by_action")
    return paths
