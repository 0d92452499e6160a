"""Time limits that hold: a time box for a whole stage, and a HiGHS child process killed when
a call runs past its limit.

- :func:`time_box` sets a deadline for everything inside it; :func:`time_left` cuts each
  solver call's own limit to what is left, so every inner call gets the time that is left
  (nested boxes: the earlier end holds); :func:`allowance` lets the few solves without
  which there is no answer at all run a bounded time past it.
- :class:`HighsProcess` runs HiGHS in a child process (optimizer/solvers/highs_child.py,
  one per thread, started on first use or by :func:`prestart`) and waits for each reply
  until the call's deadline plus :func:`grace`; a call still running then is stopped by
  killing the child (a new one starts on the next call), and the caller gets "no solution
  within the time limit". HiGHS cannot be stopped from inside the process: its interrupt
  is polled where its clock is, and both are silent for seconds to minutes in some phases
  (see highs_child.py).
"""

from __future__ import annotations

import atexit
import contextlib
import math
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from contextvars import ContextVar
from multiprocessing.connection import Connection
from pathlib import Path

_CHILD = Path(__file__).with_name("highs_child.py")
_deadline: ContextVar[float | None] = ContextVar("solver_deadline", default=None)


@contextlib.contextmanager
def time_box(seconds: float) -> Iterator[None]:
    """Every solver call inside ends within ``seconds`` from now (plus its grace)."""
    end = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(end if outer is None else min(outer, end))
    try:
        yield
    finally:
        _deadline.reset(token)


@contextlib.contextmanager
def allowance(seconds: float) -> Iterator[None]:
    """Calls inside may take ``seconds`` from now even when the time box has run out: for
    the few short solves without which there is no answer at all (the greedy plan's
    completing LP), so that a tight limit gives a late plan rather than none."""
    outer = _deadline.get()
    token = _deadline.set(None if outer is None else max(outer, time.monotonic() + seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def time_left(requested: float) -> float:
    """``requested`` seconds cut to what is left of the enclosing time box (may be ≤ 0)."""
    end = _deadline.get()
    return requested if end is None else min(requested, end - time.monotonic())


def grace(limit_s: float) -> float:
    """How long past its limit a HiGHS call may take before it is stopped: HiGHS's own
    stop, postsolve and the reply take well under this when it honours its limit."""
    return min(2.0, 0.5 + 0.05 * limit_s)


class HiGHSProcessError(RuntimeError):
    """HiGHS raised an error or its process ended unexpectedly."""


class HighsProcess:
    """One HiGHS child process, serving one solve at a time."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._ready = False
        self._matrix: weakref.ref | None = None  # the constraint matrix the child holds

    def holds(self, matrix: object) -> bool:
        """Whether the child holds this very matrix object from an earlier request (a
        model's variants share their matrix: polish, fix-and-resolve; it is sent once)."""
        return self._matrix is not None and self._matrix() is matrix

    def start(self) -> None:
        """Start the child unless it runs (it imports numpy and highspy: about a second)."""
        if self._proc is not None and self._proc.poll() is None:
            return
        ours, theirs = socket.socketpair()
        with theirs:
            self._proc = subprocess.Popen(
                [sys.executable, "-P", str(_CHILD), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        self._conn = Connection(ours.detach())
        self._ready = False

    def stop(self) -> None:
        """Kill the child (a call in progress is abandoned)."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
        if self._conn is not None:
            self._conn.close()
        self._proc, self._conn, self._ready, self._matrix = None, None, False, None

    def call(self, request: dict, deadline: float, limit_s: float,
             matrix: object | None = None) -> dict | None:
        """HiGHS's reply to ``request``, or None when it did not come by ``deadline`` plus
        the grace (the child is then killed). ``matrix``: the matrix object whose arrays the
        request carries, which the child keeps for later requests without them."""
        self.start()
        assert self._conn is not None and self._proc is not None
        end = deadline + grace(limit_s)

        def wait() -> float | None:  # None: no limit at all
            return max(end - time.monotonic(), 0.0) if math.isfinite(end) else None

        try:
            if not self._ready:
                if not self._conn.poll(wait()):
                    self.stop()
                    return None
                self._conn.recv()
                self._ready = True
            self._matrix = None
            self._conn.send(request)
            if matrix is not None:
                self._matrix = weakref.ref(matrix)
            if not self._conn.poll(wait()):
                self.stop()
                return None
            reply = self._conn.recv()
        except (EOFError, OSError) as exc:
            code = self._proc.poll()
            self.stop()
            raise HiGHSProcessError(f"the HiGHS process ended unexpectedly (exit status "
                                    f"{code})") from exc
        if "error" in reply:
            raise HiGHSProcessError(f"HiGHS failed:\n{reply['error']}")
        return reply


_local = threading.local()
_all: list[HighsProcess] = []
_lock = threading.Lock()


def highs_process() -> HighsProcess:
    """This thread's HiGHS process."""
    process = getattr(_local, "process", None)
    if process is None:
        process = _local.process = HighsProcess()
        with _lock:
            _all.append(process)
    return process


def prestart() -> None:
    """Start this thread's HiGHS process now, so that its start-up overlaps other work."""
    highs_process().start()


@atexit.register
def _stop_all() -> None:
    for process in _all:
        process.stop()
