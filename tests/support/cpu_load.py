"""A machine made busy on purpose: busy-loop processes beside a block of code.

A seeded solve is bounded by work, not seconds, so its plan must not depend on how busy the
machine is (optimizer/work.py). The reproducibility test (tests/test_reproducible.py) and the
optimizer benchmark (benchmarks/bench_optimizer.py) check that claim under this load.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cpu_load(processes: int) -> Iterator[None]:
    """``processes`` busy loops beside the block: a machine as loaded as a shared one."""
    hogs: list[subprocess.Popen[bytes]] = []
    try:  # started inside the try: if one fails to start, those already running stop
        for _ in range(processes):
            hogs.append(subprocess.Popen([sys.executable, "-c", "while True: pass"]))
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
