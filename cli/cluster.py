"""``--dask-scheduler``: the cluster is reached before anything is solved, so that a wrong
address or a scheduler that is down fails in seconds, not after minutes of solving."""

from __future__ import annotations

import asyncio
from contextlib import nullcontext

from cli.common import console


def check_scheduler(address: str | None, quiet: bool = False) -> None:
    """Open a connection to the Dask scheduler at ``address`` (None: no cluster) and close
    it; ValueError naming the address and what to check when it cannot be reached (within
    distributed's connect timeout, ``distributed.comm.timeouts.connect``, 30 s by default).
    ``quiet``: no "connecting" line (--json)."""
    if address is None:
        return
    from distributed.comm import connect

    async def reach() -> None:
        comm = await connect(address)
        await comm.close()

    waiting = nullcontext() if quiet else console.status(
        f"connecting to the Dask scheduler at {address}…", spinner="dots")
    try:
        with waiting:
            asyncio.run(reach())
    except (OSError, ValueError, TypeError) as err:
        raise ValueError(f"--dask-scheduler {address}: cannot reach the Dask scheduler "
                         f"({err}). Check the address (tcp://host:port) and that the "
                         "scheduler is running; nothing was solved") from None
