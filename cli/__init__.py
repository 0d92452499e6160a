"""The command line's shared parts and its larger commands (solve.py wires them).

Importing the package makes a Ctrl-C while the command line is still starting up (seconds of
importing pandas, geopandas and the solvers, before any command can catch it) end as a
command's Ctrl-C does, "interrupted, nothing written", not as a traceback through an import.
"""

from __future__ import annotations

import sys
from types import TracebackType

INTERRUPTED = "interrupted, nothing written"

_previous_hook = sys.excepthook


def quiet_interrupt(kind: type[BaseException], value: BaseException,
                    traceback: TracebackType | None) -> None:
    """``sys.excepthook``: an uncaught Ctrl-C says one line; anything else as before."""
    if issubclass(kind, KeyboardInterrupt):
        sys.stderr.write(f"{INTERRUPTED}\n")
        return
    _previous_hook(kind, value, traceback)


sys.excepthook = quiet_interrupt
