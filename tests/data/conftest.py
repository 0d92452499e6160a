"""Fixtures of the data tests: the plan's text, read beside the clone."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLAN_NAME = "turpan-ecological-restoration-plan-2021-2035.zh.txt"


@pytest.fixture(scope="session")
def plan_lines() -> list[str]:
    """The plan's lines (``plan_lines[n - 1]`` is line n, as the tables cite it), from
    shared/plan beside this clone; the test is skipped where the plan is not there."""
    for shared in (REPO.parent / "shared", Path("/work/shared")):
        path = shared / "plan" / PLAN_NAME
        if path.is_file():
            return path.read_text(encoding="utf-8").splitlines()
    pytest.skip(f"the plan ({PLAN_NAME}) is not in shared/plan beside this clone")
