"""``scenario keys``: every key a scenario file may hold, as docs/scenario.md."""

from __future__ import annotations

import sys

import typer

from region.scenario_keys import keys_markdown

scenario_app = typer.Typer(add_completion=False, no_args_is_help=True,
                           help="Scenario files: what they may hold.")


@scenario_app.command("keys")
def keys() -> None:
    """Print every key a scenario TOML may hold (type, default, unit, allowed values,
    description), read from the models, as Markdown: the text of docs/scenario.md
    (``solve.py scenario keys > docs/scenario.md`` brings that file up to date)."""
    sys.stdout.write(keys_markdown())
