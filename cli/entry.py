"""The ``turpan-restore`` console script (pyproject.toml): the quiet Ctrl-C first
(cli/interrupt.py), then the command line's heavy imports (solve.py) and the command."""

from __future__ import annotations

from cli.interrupt import install_quiet_interrupt


def main() -> None:
    """Run the command line as ``python solve.py`` does."""
    install_quiet_interrupt()
    from solve import app

    app()
