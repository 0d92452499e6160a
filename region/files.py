"""Where the shipped inputs lie, and an input's files: a Shapefile with its side files, one
hash over them (recorded in every run's manifest)."""

from __future__ import annotations

import hashlib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TURPAN_DIR = REPO_ROOT / "data" / "turpan"

#: The files beside a Shapefile that change what is read: attributes, index, CRS, encoding.
SHAPEFILE_SIDE_FILES = (".dbf", ".shx", ".prj", ".cpg")


def with_side_files(path: Path) -> list[Path]:
    """``path``, and for a Shapefile the side files of it that exist (either case)."""
    if path.suffix.lower() != ".shp":
        return [path]
    sides = {path.with_suffix(s) for ext in SHAPEFILE_SIDE_FILES for s in (ext, ext.upper())}
    return [path, *sorted(side for side in sides if side.exists())]


def sha256_of_inputs(paths: list[Path]) -> str:
    """One SHA-256 over the input files' names and bytes, in a stable (sorted) order."""
    digest = hashlib.sha256()
    for path in sorted(Path(p).resolve() for p in paths):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
