"""What every command of the CLI shares: the consoles, the command list of ``--help``, and
JSON printed the same way.

Commands live in solve.py and in this package (one module per command family). Beside this
module: the shared input options (cli/options.py), the input paths (cli/region_paths.py), how
a command fails (cli/failures.py) and the run table of a solve (cli/run_table.py).
"""

from __future__ import annotations

import inspect
import json
import math
import sys

import typer
from rich.console import Console

from storage import CSV_FLOATS

console = Console()
errors = Console(stderr=True, soft_wrap=True)  # messages hold paths: never broken


def whole_summaries(app: typer.Typer) -> None:
    """Give every command of ``app`` (and of its sub-apps) its docstring's first paragraph as
    one line for the command list of ``--help``: in rich markup mode Typer keeps the
    docstring's line breaks there, so the list broke mid-sentence ("with the same
    overrides,⏎ weights")."""
    for info in app.registered_commands:
        doc = inspect.getdoc(info.callback) if info.callback is not None else None
        if info.short_help is None and info.help is None and doc:
            info.short_help = " ".join(doc.split("\n\n")[0].split())
    for group in app.registered_groups:
        if group.typer_instance is not None:
            whole_summaries(group.typer_instance)


def print_json(payload: dict) -> None:
    """``payload`` as indented JSON on stdout (Chinese as is; paths and dates as text;
    floats to the CSVs' 12 significant digits, :func:`readable_floats`)."""
    sys.stdout.write(json.dumps(readable_floats(payload), ensure_ascii=False, indent=2,
                                default=str) + "\n")


def readable_floats(value: object) -> object:
    """``value`` with every finite float, in dicts, lists and tuples too, rounded as the
    CSVs write them (storage.CSV_FLOATS, 12 significant digits): 0.30000000000000004
    prints as 0.3. Only what is printed: the manifest keeps the full values."""
    if isinstance(value, float) and math.isfinite(value):
        return float(CSV_FLOATS % value)
    if isinstance(value, dict):
        return {key: readable_floats(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [readable_floats(item) for item in value]
    return value
