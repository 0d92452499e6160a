"""``--dask-scheduler``: the cluster is reached before anything is solved, so that a wrong
address or a scheduler that is down fails in seconds, not after minutes of solving."""

from __future__ import annotations

import asyncio
from contextlib import nullcontext

from cli.common import console

#: How long the check waits for the scheduler, s: a reachable scheduler answers a TCP
#: connection in well under a second even across a network, so an unreachable host fails in
#: 5 s instead of distributed's connect timeout (``distributed.comm.timeouts.connect``, 30 s
#: by default; a shorter one configured there is kept).
SCHEDULER_CONNECT_S = 5.0


def connect_timeout_s() -> float:
    """The check's connect timeout: :data:`SCHEDULER_CONNECT_S`, or distributed's
    configured connect timeout when that is shorter."""
    import dask
    from dask.utils import parse_timedelta

    configured = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"),
                                 default="seconds")
    return min(SCHEDULER_CONNECT_S, configured)


def check_scheduler(address: str | None, quiet: bool = False) -> None:
    """Open a connection to the Dask scheduler at ``address`` (None: no cluster) and close
    it; ValueError naming the address, the wait and what to check when it cannot be reached
    within :func:`connect_timeout_s`. ``quiet``: no "connecting" line (--json)."""
    if address is None:
        return
    from distributed.comm import connect

    timeout = connect_timeout_s()

    async def reach() -> None:
        comm = await connect(address, timeout=timeout)
        await comm.close()

    waiting = nullcontext() if quiet else console.status(
        f"connecting to the Dask scheduler at {address} (at most {timeout:g} s)…",
        spinner="dots")
    try:
        with waiting:
            asyncio.run(reach())
    except (OSError, ValueError, TypeError) as err:
        raise ValueError(f"--dask-scheduler {address}: cannot reach the Dask scheduler "
                         f"within {timeout:g} s ({err}). Check the address "
                         "(tcp://host:port), that the scheduler is running and that this "
                         "machine may connect to it (firewall, VPN); nothing was "
                         "solved") from None
