"""Static maps of a plan: files, Chinese labels, the lake only where it lies, colours."""

import dataclasses
import warnings

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from shapely.geometry import box  # noqa: E402

import outputs.map_drawing as maps_module  # noqa: E402
from outputs.map_drawing import action_colours  # noqa: E402
from outputs.maps import lake_within, write_maps  # noqa: E402
from region.schema import EQUAL_AREA_CRS  # noqa: E402


def missing_glyphs(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


@pytest.fixture(scope="module")
def maps(small_run, small_region, tmp_path_factory):
    folder = tmp_path_factory.mktemp("maps")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = write_maps(folder, small_run.plan, small_region[0], small_run.corridors)
    return paths, caught


def test_maps_by_year_and_by_action_as_png_and_svg(maps) -> None:
    paths, _ = maps
    assert sorted(p.name for p in paths) == ["plan_by_action.png", "plan_by_action.svg",
                                             "plan_by_year.png", "plan_by_year.svg"]
    images = [plt.imread(p) for p in paths if p.suffix == ".png"]
    assert images[0].shape == images[1].shape  # a fixed layout: maps line up in the report
    for image in images:
        colours = np.unique((image[..., :3] * 255).astype(int).reshape(-1, 3), axis=0)
        assert len(colours) > 20  # parcels, boundaries and legend were drawn, not a blank
    for svg in (p for p in paths if p.suffix == ".svg"):
        text = svg.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml") and text.count("<path") > 50


def test_chinese_labels_draw_without_missing_glyphs(maps) -> None:
    _, caught = maps
    assert missing_glyphs(caught) == []


def test_the_missing_glyph_check_fires_without_a_cjk_font() -> None:
    """The check above would catch tofu: DejaVu Sans alone cannot draw 防风固沙."""
    with matplotlib.rc_context({"font.family": "DejaVu Sans"}), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plt.figure()
        fig.text(0.1, 0.5, "防风固沙")
        fig.canvas.draw()
        plt.close(fig)
    assert missing_glyphs(caught)


def frame_around(west: float, south: float, east: float, north: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[box(west, south, east, north)],
                            crs="EPSG:4326").to_crs(EQUAL_AREA_CRS)


def test_aydingkol_is_drawn_only_where_the_region_reaches_it(small_region) -> None:
    parcels = small_region[0].parcels.to_crs(EQUAL_AREA_CRS)  # around Shanshan, east of it
    assert lake_within(parcels) is None
    whole = lake_within(frame_around(89.0, 42.4, 89.6, 42.9))
    assert whole is not None and whole.crs == parcels.crs
    assert whole.area.sum() / 1e6 == pytest.approx(7.46, rel=0.01)  # the lake's surface
    west = frame_around(89.0, 42.4, 89.28, 42.9)  # cuts the lake in two
    part = lake_within(west)
    assert part is not None and part.union_all().within(box(*west.total_bounds).buffer(1.0))
    assert 0 < part.area.sum() < whole.area.sum()


def test_action_colours_are_distinct_and_independent_of_order() -> None:
    actions = ["sand_barrier", "enclosure", "mine_remediation", "afforestation"]
    colours = action_colours(actions)
    assert colours == action_colours(actions[::-1])
    assert len(set(colours.values())) == len(actions)


def test_an_empty_plan_still_maps_the_region(small_run, small_region, tmp_path) -> None:
    empty = dataclasses.replace(small_run.plan, chosen=small_run.plan.chosen.iloc[:0])
    paths = write_maps(tmp_path, empty, small_region[0], None)
    assert len(paths) == 4 and all(p.stat().st_size > 0 for p in paths)


def test_a_follow_up_action_stays_visible_over_the_first(small_run, small_region, tmp_path,
                                                         monkeypatch) -> None:
    """Planting after a sand barrier on one parcel: the later action is hatched over the
    first instead of hiding it, so both are drawn on the by-action map."""
    chosen = small_run.plan.chosen
    first = chosen.iloc[[0]]
    follow = first.assign(action="zz_follow_up", action_zh="后续", action_en="follow-up",
                          start_year=first["start_year"] + 1)
    plan = dataclasses.replace(small_run.plan, chosen=pd.concat([first, follow]))
    drawn = {}
    save = maps_module.save_png_svg

    def record(fig, stem):
        ax = fig.axes[0]
        drawn[stem.name] = [(c.get_hatch(), {to_hex(f) for f in c.get_facecolor()},
                             {to_hex(e) for e in c.get_edgecolor()}) for c in ax.collections]
        return save(fig, stem)

    monkeypatch.setattr(maps_module, "save_png_svg", record)
    write_maps(tmp_path, plan, small_region[0], None)
    colours = action_colours([first["action"].iloc[0], "zz_follow_up"])
    by_action = drawn["plan_by_action"]
    base, later = colours[first["action"].iloc[0]], colours["zz_follow_up"]
    assert any(hatch is None and faces == {base} for hatch, faces, _ in by_action)
    assert any(hatch == "////" and edges == {later} for hatch, _, edges in by_action)


def test_red_lines_protected_areas_and_place_names_are_drawn(small_run, small_region,
                                                             tmp_path, monkeypatch) -> None:
    region = small_region[0]
    parcels = region.parcels.assign(
        red_line=np.where(region.parcels["parcel_id"] % 2 == 0, "吐哈盆地防风固沙红线", ""))
    region = dataclasses.replace(region, parcels=parcels)
    drawn = {}
    finish = maps_module.finish_map

    def record(fig, ax, layers, handles, title, note=""):
        finish(fig, ax, layers, handles, title, note)
        drawn[title] = ({t.get_text() for t in ax.texts},
                        [(c.get_hatch(), {to_hex(e) for e in c.get_edgecolor()})
                         for c in ax.collections],
                        [h.get_label() for h in handles], [t.get_text() for t in fig.texts])

    monkeypatch.setattr(maps_module, "finish_map", record)
    write_maps(tmp_path, small_run.plan, region, None)
    texts, collections, legend, _ = drawn["规划方案：按修复措施 Plan by action"]
    counties = set(region.county_labels.set_index("county").loc[
        region.parcels["county"].unique(), "name_zh"])
    assert counties <= texts
    assert any(t.startswith("3区 ") for t in texts)
    assert any(hatch == "\\\\" and edges == {"#d7301f"} for hatch, edges in collections)
    assert "生态保护红线 Ecological protection red line" in legend
    assert ("自然保护地 Protected areas" in legend) == (parcels["protected_area"] != "").any()


def test_the_lake_is_drawn_over_the_works_on_its_shore() -> None:
    """Wetland enclosure parcels cover Aydingkol's footprint: the lake is drawn after the
    works, or the legend's lake is nowhere to be seen (a reviewer's finding)."""
    square = gpd.GeoDataFrame({"zone": [2], "county": ["650402"], "label": ["高昌区"]},
                              geometry=[box(0, 0, 10_000, 10_000)], crs=EQUAL_AREA_CRS)
    layers = {"parcels": square, "zones": square, "counties": square,
              "lake": square.assign(geometry=[box(4_000, 4_000, 6_000, 6_000)])}
    fig, ax, handles = maps_module.map_frame(layers, None)
    square.plot(ax=ax, color="#bcbd22")  # a work on the lake's parcel
    maps_module.finish_map(fig, ax, layers, handles, "t")
    faces = [{to_hex(f) for f in c.get_facecolor()} for c in ax.collections]
    assert faces.index({"#7fb8e6"}) > faces.index({"#bcbd22"})
    assert "艾丁湖 Aydingkol lake" in [h.get_label() for h in handles]


@pytest.mark.parametrize("name", ["天山南坡东段土壤侵蚀敏感与水源保护生态修复区",
                                  "绿洲特色农业、旅游与艾丁湖湿地保护生态修复区",
                                  "绿洲外围防风固沙生态修复区"])
def test_zone_names_wrap_into_even_lines_none_starting_with_a_pause_mark(name) -> None:
    label = maps_module._zone_label(2, name)
    head, *rest = label.split("\n")
    lines = [head.removeprefix("2区 "), *rest]
    assert "".join(lines) == name.replace("生态修复区", "")
    assert max(len(line) for line in lines) <= maps_module.ZONE_LABEL_WIDTH + 1
    assert min(len(line) for line in lines) >= 3  # no lone character ("…水源保\n护")
    assert not any(line[0] in maps_module.NO_LINE_START for line in lines)


def test_every_map_says_what_on_it_is_modelled(small_run, small_region, tmp_path,
                                               monkeypatch) -> None:
    """Review finding 1: the maps showed modelled red lines, protected areas and mines with
    no note. Each map carries the data note at its foot: on the shipped parcels, that the
    parcels, zones, red lines, protected areas and mine sites are modelled."""
    from outputs.data_note import TURPAN_MAP_NOTE
    from region.io import TURPAN_DIR

    region = small_region[0]
    shipped = dataclasses.replace(region, paths=dataclasses.replace(
        region.paths, parcels=TURPAN_DIR / "parcels.gpkg"))  # the shipped data's note
    notes = {}
    finish = maps_module.finish_map

    def record(fig, ax, layers, handles, title, note=""):
        finish(fig, ax, layers, handles, title, note)
        notes[title] = [t.get_text() for t in fig.texts]

    monkeypatch.setattr(maps_module, "finish_map", record)
    write_maps(tmp_path, small_run.plan, shipped, None)
    assert len(notes) == 2
    for texts in notes.values():
        assert texts == [TURPAN_MAP_NOTE.replace("。 ", "。\n", 1)]
        assert "生态保护红线、自然保护地范围与矿山位置均为按规则模拟" in texts[0]
        assert "red lines, protected-area footprints and mine sites are MODELLED" in texts[0]
    write_maps(tmp_path, small_run.plan, region, None)  # a region of the user's own
    assert all(texts[0].startswith("数据说明：输入由用户提供") for texts in notes.values())


def test_the_legend_of_every_shipped_action_lies_inside_the_figure(small_run, small_region,
                                                                   tmp_path, monkeypatch
                                                                   ) -> None:
    """Review finding 4: with the baseline's actions the by-action legend ran off both edges
    of the figure ("态廊道", "hatched: follow-up works on"; x = -8.9 pt in the SVG). A plan
    with every shipped action, a follow-up and a protected area: each map's legend box lies
    inside the figure and below the map, and its labels are the handles' names."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from region.io import TURPAN_DIR, load_actions

    catalogue = load_actions(TURPAN_DIR / "actions.csv")
    chosen = small_run.plan.chosen
    rows = chosen.iloc[[k % len(chosen) for k in range(len(catalogue))]].assign(
        action=catalogue["code"].to_numpy(), action_zh=catalogue["name_zh"].to_numpy(),
        action_en=catalogue["name_en"].to_numpy())
    plan = dataclasses.replace(small_run.plan, chosen=rows)
    region = small_region[0]
    region = dataclasses.replace(region, parcels=region.parcels.assign(
        protected_area=np.where(region.parcels["parcel_id"] % 2 == 0, "保护地", ""),
        red_line=np.where(region.parcels["parcel_id"] % 3 == 0, "红线", "")))
    boxes = {}
    save = maps_module.save_png_svg

    def record(fig, stem):
        renderer = FigureCanvasAgg(fig).get_renderer()
        legend = fig.legends[0]
        boxes[stem.name] = (legend.get_window_extent(renderer), fig.bbox,
                            fig.axes[0].get_position().y0 * fig.bbox.height,
                            [t.get_text().replace("\n", " ") for t in legend.get_texts()])
        return save(fig, stem)

    monkeypatch.setattr(maps_module, "save_png_svg", record)
    write_maps(tmp_path, plan, region, small_run.corridors)
    assert set(boxes) == {"plan_by_year", "plan_by_action"}
    for legend, figure, map_bottom, labels in boxes.values():
        assert figure.x0 <= legend.x0 and legend.x1 <= figure.x1
        assert figure.y0 <= legend.y0 and legend.y1 <= map_bottom
        assert "生态保护红线 Ecological protection red line" in labels
    labels = boxes["plan_by_action"][3]
    names = catalogue["name_zh"] + " " + catalogue["name_en"]
    assert set(names) <= set(labels)
