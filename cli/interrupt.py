"""A quiet Ctrl-C while the command line starts up.

The entry points (``python solve.py``, and the ``turpan-restore`` script: cli/entry.py)
call :func:`install_quiet_interrupt` before their seconds of importing pandas, geopandas and
the solvers, so that a Ctrl-C then, before any command can catch it, ends as a command's
Ctrl-C does ("interrupted, nothing written"), not as a traceback through an import.
Importing this module changes nothing of the process.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

INTERRUPTED = "interrupted, nothing written"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def quiet_interrupt(previous: ExceptHook) -> ExceptHook:
    """A ``sys.excepthook`` under which an uncaught Ctrl-C says one line; anything else goes
    to ``previous``."""

    def hook(kind: type[BaseException], value: BaseException,
             traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.stderr.write(f"{INTERRUPTED}\n")
            return
        previous(kind, value, traceback)

    return hook


def install_quiet_interrupt() -> None:
    """Make an uncaught Ctrl-C one line for the rest of the process (entry points only)."""
    sys.excepthook = quiet_interrupt(sys.excepthook)
