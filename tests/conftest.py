"""Fixtures shared by the whole suite."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def marxan_benchmarks() -> Path:
    """The public Marxan problems of shared/benchmarks/ (shared/ sits beside the clone)."""
    for shared in (REPO.parent / "shared", Path("/work/shared")):
        folder = shared / "benchmarks" / "marxan"
        if folder.is_dir():
            return folder
    pytest.skip("shared/benchmarks/marxan is not beside this clone")
