"""The maps of a result drawn in a child process while the parent writes the lists and the
report: the write stage on both cores.

The child is started as the HiGHS child is (optimizer/solvers/highs_child.py): a fresh
interpreter running this file as a script (``python -P map_process.py FD``), not a fork of
a parent that has run HiGHS and GDAL, nor multiprocessing's spawn, which would re-import
the parent's whole command line. It imports outputs/map_drawing.py only (geopandas and
matplotlib: about a second), reads one request from the socket ``FD`` — the result folder
and a :class:`~outputs.map_drawing.MapData` — draws the maps and replies with their paths,
or with the exception that stopped it, which the parent raises as its own: a failure reads
as it would have in one process; so do the warnings drawing raised, issued again in the
parent, where the command line shows them as notes (cli/failures.py). Ctrl-C is the
parent's: the child ignores it and the parent kills the child whenever it leaves
:func:`maps_drawn` early, so no child outlives its result folder. The drawing is the same
code in either process, so the files are too.
"""

from __future__ import annotations

import os
import pickle
import signal
import socket
import subprocess
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from outputs.map_drawing import MapData

_REPO = Path(__file__).resolve().parents[1]
#: Fewer parcels than this, the maps are drawn in the parent: the child's start-up (about a
#: second of CPU, importing geopandas and matplotlib) would cost more than the maps it takes
#: over. An estimate in proportion: the shipped Turpan region's 14,165 parcels take about
#: 1.5 s to draw, so 5,000 take about half a second.
PARALLEL_MIN_PARCELS = 5_000


class MapProcessError(RuntimeError):
    """The map process ended without a reply (killed, or crashed)."""


def usable_cores() -> int:
    """The processors this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def in_child(data: MapData) -> bool:
    """Whether the maps of ``data`` are worth a child: two cores or more, and enough
    parcels."""
    return usable_cores() >= 2 and len(data.parcels) >= PARALLEL_MIN_PARCELS


class MapProcess:
    """One child drawing one result's maps."""

    def __init__(self, folder: Path, data: MapData) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self._proc = subprocess.Popen(
                [sys.executable, "-P", str(Path(__file__).resolve()), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        self._conn = Connection(ours.detach())
        self._paths: list[Path] | None = None
        try:  # the child reads the request before its imports: the parent is not held up
            self._conn.send_bytes(pickle.dumps((folder, data), pickle.HIGHEST_PROTOCOL))
        except BaseException:
            self.stop()
            raise

    def result(self) -> list[Path]:
        """The maps' paths, once the child has written them; its exception, if it failed."""
        if self._paths is None:
            try:
                reply = self._conn.recv()
            except (EOFError, OSError) as exc:
                code = self._proc.wait()
                raise MapProcessError(f"the map process ended unexpectedly (exit status "
                                      f"{code})") from exc
            for message, category, filename, lineno in reply["warnings"]:
                warnings.warn_explicit(message, category, filename, lineno)
            if "error" in reply:
                error = reply["error"]
                error.add_note(f"raised in the map process:\n{reply['traceback']}")
                raise error
            self._paths = reply["paths"]
        return self._paths

    def stop(self) -> None:
        """Kill the child unless it has ended (a drawing in progress is abandoned)."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._conn.close()


@contextmanager
def maps_drawn(folder: Path, data: MapData) -> Iterator[Callable[[], list[Path]]]:
    """Start drawing the maps of ``data`` into ``folder`` and yield a function that returns
    their paths once they are written; in a child process when it pays (:func:`in_child`),
    else here, when the function is first called. Leaving the block normally, the maps are
    written; by an exception (Ctrl-C too), the child is killed."""
    if not in_child(data):
        from outputs.map_drawing import draw_maps

        drawn: list[list[Path]] = []

        def draw_here() -> list[Path]:
            if not drawn:
                drawn.append(draw_maps(folder, data))
            return drawn[0]

        yield draw_here
        draw_here()
        return
    child = MapProcess(folder, data)
    try:
        yield child.result
        child.result()
    finally:
        child.stop()


def _serve(fd: int) -> None:
    """The child: one request, one reply."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    conn = Connection(fd)
    request = conn.recv_bytes()
    sys.path.insert(0, str(_REPO))  # run as a script: the package's folder is not on the path
    from outputs.map_drawing import draw_maps

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # the parent's filters choose what is shown
        try:
            folder, data = pickle.loads(request)
            reply = {"paths": draw_maps(folder, data)}
        except Exception as exc:  # noqa: BLE001 - every failure goes to the parent
            reply = {"error": _travelling(exc), "traceback": traceback.format_exc()}
    reply["warnings"] = list(dict.fromkeys(  # each once, as the default filter shows them
        (str(w.message), _travelling(w.category), w.filename, w.lineno) for w in caught))
    conn.send(reply)
    conn.close()


def _travelling(thing):
    """``thing`` (an exception, a warning's category) if it survives pickling to the
    parent, else its words: a RuntimeError, or UserWarning for a category."""
    try:
        pickle.loads(pickle.dumps(thing))
        return thing
    except Exception:  # noqa: BLE001 - whatever stops it travelling
        if isinstance(thing, type):
            return UserWarning
        return RuntimeError(f"{type(thing).__name__}: {thing}")


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
