"""``compare`` pairs works by (parcel, action), as the re-plan's changes.csv does, with one
function (pipeline/work_pairs.py): every class of change on hand-built plan pairs, through
the command line; the counts add up; compare and the re-plan's changes agree; water per year
as gross use, saving credited and net use."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.changes import replan_changes
from pipeline.replan_previous import FACT_COLUMNS
from pipeline.work_pairs import pair_works, reconcile
from solve import app

runner = CliRunner()
COLUMNS = ["parcel_id", "action", "start_year", "area_km2"]
LABELS = {"x": ("封育", "Enclosure"), "y": ("草地恢复", "Grassland recovery"),
          "sand_barrier": ("固沙沙障", "Sand barrier"),
          "afforestation": ("人工造林", "Afforestation"),
          "irrigation": ("节水灌溉", "Water-saving irrigation")}
# The reference: parcel 6 has two works (a sand barrier, then afforestation on it).
REFERENCE = [(1, "x", 2027, 5.0), (2, "x", 2027, 5.0), (3, "y", 2028, 5.0),
             (6, "sand_barrier", 2030, 3.0), (6, "afforestation", 2035, 3.0),
             (7, "irrigation", 2029, 4.0), (8, "x", 2027, 5.0)]
# The other plan: 1 kept; 2 moved to 2028; 3 dropped; 6 keeps its sand barrier (2030) and
# drops the afforestation; 7 afforestation instead of irrigation (replaced); 8 partly done
# (5 → 2.5 km², resized); 4 and 5 added.
OTHER = [(1, "x", 2027, 5.0), (2, "x", 2028, 5.0), (6, "sand_barrier", 2030, 3.0),
         (7, "afforestation", 2029, 4.0), (8, "x", 2027, 2.5), (4, "x", 2027, 5.0),
         (5, "y", 2028, 2.0)]
EXPECTED = {(2, "x"): "moved", (3, "y"): "dropped", (6, "afforestation"): "dropped",
            (7, "irrigation"): "replaced", (7, "afforestation"): "replaced",
            (8, "x"): "resized", (4, "x"): "added", (5, "y"): "added"}


def plan_frame(rows) -> pd.DataFrame:
    plan = pd.DataFrame(rows, columns=COLUMNS)
    return plan.assign(action_zh=plan["action"].map(lambda a: LABELS[a][0]),
                       action_en=plan["action"].map(lambda a: LABELS[a][1]))


def result_folder(folder, rows, water: dict[int, tuple[float, float]] | None = None):
    """A result folder: plan.csv and a manifest; ``water``: per year (gross use, saving
    credited), split over two water accounts as a run records them."""
    folder.mkdir(parents=True)
    plan_frame(rows).to_csv(folder / "plan.csv", index=False)
    water = water or {2027: (10.0, 0.0)}
    years = {str(y): {"spend": 100.0, "water_use": use,
                      "counties": {"650402": {"saving_credited": credited / 2},
                                   "650421": {"saving_credited": credited / 2}}}
             for y, (use, credited) in water.items()}
    manifest = {"status": "optimal", "objective": 1.0, "gap": 0.0,
                "criterion_totals": {"sand": 1.0}, "years": years}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def run_compare(tmp_path, reference, other, *extra):
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(reference), str(other), "--out", str(out),
                                 *extra])
    assert result.exit_code == 0, result.output
    return result, out


def test_compare_labels_every_class_by_parcel_and_action(tmp_path) -> None:
    """The reviewer's cases: parcel 6's dropped second work was "moved" (afforestation 2035 →
    sand_barrier 2030), 7's change of action "moved", 8's partial work not reported."""
    a = result_folder(tmp_path / "A", REFERENCE)
    b = result_folder(tmp_path / "B", OTHER)
    result, out = run_compare(tmp_path, a, b)
    changes = pd.read_csv(out / "changes.csv", encoding="utf-8-sig")
    got = dict(zip(zip(changes["parcel_id"], changes["action"], strict=True),
                   changes["change"], strict=True))
    assert got == EXPECTED
    row = changes.set_index(["parcel_id", "action"])
    assert row.loc[(7, "irrigation"), "replaced_with"] == "afforestation"
    assert row.loc[(7, "afforestation"), "replaced_with"] == "irrigation"
    assert row.loc[(7, "irrigation"), "change_zh"] == "替换"
    assert row.loc[(7, "irrigation"), "action_zh"] == "节水灌溉"  # the plans name it
    assert (row.loc[(8, "x"), ["area_km2_ref", "area_km2_other"]].tolist()
            == pytest.approx([5.0, 2.5]))
    assert (row.loc[(6, "afforestation"), ["start_year_ref"]].tolist() == [2035]
            and pd.isna(row.loc[(6, "afforestation"), "start_year_other"]))
    assert (6, "sand_barrier") not in row.index  # unchanged: not a change
    years = pd.read_csv(out / "compare_years.csv").set_index(["plan", "year"])
    assert years.loc[("B", 2027), ["added", "dropped", "moved", "resized", "replaced"]
                     ].tolist() == [1, 0, 0, 1, 0]
    text = " ".join(result.output.split())
    assert "替换" in text and "resized" in text
    # the legend uses the one label table (changes.csv's 不再安排), not 取消, a work's status
    assert "dropped 不再安排" in text and "取消" not in text


def test_the_counts_add_up_to_the_works_of_each_plan(tmp_path) -> None:
    """works_before − dropped − replaced_out + added + replaced_in = works_after: before,
    410 − 38 + 4 ≠ 372 (a parcel's dropped second work was not counted)."""
    a = result_folder(tmp_path / "A", REFERENCE)
    b = result_folder(tmp_path / "B", OTHER)
    result, out = run_compare(tmp_path, a, b, "--json")
    summary = pd.read_csv(out / "compare.csv").set_index("plan")
    row = summary.loc["B"]
    assert row[["works_before", "kept", "moved", "resized", "dropped", "added",
                "replaced_out", "replaced_in", "works_after"]].tolist() == [
        7, 2, 1, 1, 2, 2, 1, 1, 7]
    assert (row["works_before"] - row["dropped"] - row["replaced_out"] + row["added"]
            + row["replaced_in"]) == row["works_after"] == row["options"]
    assert summary.loc["A", ["kept", "dropped", "added"]].tolist() == [7, 0, 0]
    assert json.loads(result.stdout)["changes"] == {
        "dropped": 2, "added": 2, "replaced": 2, "moved": 1, "resized": 1}


def test_counts_that_do_not_add_up_fail_naming_them() -> None:
    pairs = pair_works(plan_frame(REFERENCE), plan_frame(OTHER))
    assert reconcile(pairs, 7, 7)["replaced_out"] == 1
    with pytest.raises(AssertionError, match=r"works_before 7 − dropped 2 − replaced_out 1 "
                                             r"\+ added 2 \+ replaced_in 1 = 7, but "
                                             r"works_after is 6"):
        reconcile(pairs, 7, 6)


def test_a_parcel_losing_two_works_for_one_other_action_is_one_replacement() -> None:
    """Two works out, one in on the same parcel: all three replaced, and still the counts
    add up (2 out, 1 in)."""
    before = plan_frame([(6, "sand_barrier", 2030, 3.0), (6, "afforestation", 2035, 3.0)])
    after = plan_frame([(6, "y", 2030, 3.0)])
    pairs = pair_works(before, after).set_index("action")
    assert set(pairs["change"]) == {"replaced"}
    assert pairs.loc["y", "replaced_with"] == "afforestation;sand_barrier"
    assert reconcile(pairs.reset_index(), 2, 1)["replaced_out"] == 2


def test_compare_and_the_replan_changes_agree_on_the_same_plans(tmp_path) -> None:
    """Before: compare said moved 5, dropped 1, added 16 where the re-plan's changes.csv
    said moved 3, dropped 3, added 17. Both now pair with one function."""
    a = result_folder(tmp_path / "A", REFERENCE)
    b = result_folder(tmp_path / "B", OTHER)
    _, out = run_compare(tmp_path, a, b)
    compared = pd.read_csv(out / "changes.csv", encoding="utf-8-sig")
    replanned = replan_changes(plan_frame(REFERENCE), plan_frame(OTHER),
                               pd.DataFrame(columns=FACT_COLUMNS), 2027, {},
                               ("新增", "added"))
    changed = replanned[replanned["change"] != "kept"]

    def said(table):
        return sorted(zip(table["parcel_id"], table["action"], table["change"],
                          table["replaced_with"].fillna(""), strict=True))

    assert said(compared) == said(changed)
    assert len(replanned) == len(changed) + 2  # kept: parcel 1, 6's sand barrier
    assert replanned.set_index(["parcel_id", "action"]).loc[(7, "afforestation"),
                                                            "change_zh"] == "替换"


def test_water_is_shown_as_gross_use_saving_credited_and_net_use(tmp_path) -> None:
    """The reviewer's b08 case: dropping the irrigation cut the gross use by 1,095 万m³ in
    2035, read as a saving; it also lost the 1,147 credited, so the net use rose by 52."""
    a = result_folder(tmp_path / "A", REFERENCE, {2035: (1100.0, 1147.0)})
    b = result_folder(tmp_path / "B", OTHER, {2035: (5.0, 0.0)})
    result, out = run_compare(tmp_path, a, b)
    years = pd.read_csv(out / "compare_years.csv").set_index(["plan", "year"])
    row = years.loc[("B", 2035)]
    assert row["delta_water_use"] == pytest.approx(-1095.0)
    assert row["delta_saving_credited"] == pytest.approx(-1147.0)
    assert row["net_water_use"] == pytest.approx(5.0)
    assert years.loc[("A", 2035), "net_water_use"] == pytest.approx(-47.0)
    assert row["delta_net_water_use"] == pytest.approx(52.0)
    text = result.output
    for label in ("用水", "计入节水", "净用水", "-1,095", "-1,147", "+52"):
        assert label in text, label


def test_a_plan_holding_a_pair_twice_is_rejected_naming_the_row(tmp_path) -> None:
    a = result_folder(tmp_path / "A", REFERENCE)
    b = result_folder(tmp_path / "B", [*OTHER, (4, "x", 2029, 1.0)])
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(a), str(b), "--out", str(out)])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "plan.csv, row 9 (the header is row 1)" in text
    assert "parcel 4 holds action x more than once" in text
    assert "Traceback" not in result.output and not out.exists()


def test_a_change_is_never_named_as_a_work_status_is() -> None:
    """A failed work not re-scheduled read "取消 dropped" beside its status 失败, and 取消 is
    the status *cancelled*: the change words and the status names share no Chinese word."""
    from pipeline.work_pairs import CHANGE_WORDS
    from region.progress import STATUSES

    changes = {zh for zh, _ in CHANGE_WORDS.values()}
    assert not changes & {zh for zh, _ in STATUSES.values()}
