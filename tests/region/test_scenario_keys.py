"""docs/scenario.md is what the scenario models say (``solve.py scenario keys``), and every
key there has a description and every number a unit, so neither can go stale."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from region.scenario_keys import UNITS, keys_markdown, scenario_keys
from solve import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario.md"


def test_the_committed_doc_is_what_the_models_say() -> None:
    result = CliRunner().invoke(app, ["scenario", "keys"])
    assert result.exit_code == 0, result.output
    assert result.stdout == keys_markdown()
    assert DOC.read_text(encoding="utf-8") == keys_markdown(), (
        "docs/scenario.md is stale: run `.venv/bin/python solve.py scenario keys > "
        "docs/scenario.md`")


def test_every_key_has_a_description_and_every_number_a_unit() -> None:
    keys = scenario_keys()
    assert not [k.path for k in keys if not k.description]
    assert not [k.path for k in keys if k.numeric and not k.unit]
    assert set(UNITS) <= {k.path for k in keys}  # no unit of a key that is gone


def test_the_doc_names_what_a_planner_sets() -> None:
    """A few keys with their type, default, unit and allowed values, read by hand from
    region/scenario.py."""
    rows = {line.split(" | ")[0].strip("| `"): line for line in keys_markdown().splitlines()
            if line.startswith("| `")}
    assert rows["budget.per_county.<county>.default"] == (
        "| `budget.per_county.<county>.default` | number | not set | 万元/yr | ≥ 0 | the limit "
        "of every year not in per_year |")
    assert "| true or false | not set |" in rows["budget.per_county.<county>.carry_over"]
    assert '"county", "city"' in rows["water.saving_scope"]
    assert "| 0.001 | share | ≥ 0; < 1 |" in rows["solver.gap"]
    assert "| required |" in rows["targets[].by_year"] and "a year of the horizon" in \
        rows["targets[].by_year"]
