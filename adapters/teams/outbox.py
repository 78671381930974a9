"""Outbound work that runs after the HTTP answer: tracked tasks on the loop, drained on stop.

Teams redelivers an activity whose answer takes longer than about 15 s, and a Bot Connector that
answers 429 with a long Retry-After can take that long. So a turn only decides and stores; its
sends run here, one task per turn (in order), kept in a set so none is garbage-collected, errors
logged, and on stop awaited for a grace period and then cancelled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class Outbox:
    """Background sends on the running loop."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    def __len__(self) -> int:
        return len(self._tasks)

    def post(self, job: Job, what: str) -> None:
        """Run `job` after the current turn; a failure is logged, never raised."""
        if self._closed:
            log.error("%s dropped: the Teams door is stopping", what)
            return
        task = asyncio.get_running_loop().create_task(self._run(job, what))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, job: Job, what: str) -> None:
        try:
            await job()
        except asyncio.CancelledError:
            log.error("%s cancelled: the Teams door stopped before it was sent", what)
            raise
        except Exception:
            log.exception("%s failed", what)

    async def idle(self) -> None:
        """Wait until every posted job (and any job they posted) has finished."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self, grace: float) -> None:
        """Refuse new jobs, let running ones finish for `grace` seconds, then cancel the rest."""
        self._closed = True
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
