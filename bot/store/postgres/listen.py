"""LISTEN on PostgreSQL: every instance hears at once of reminders added, moved or ended on any
instance (the trigger of migration m007_notify), so it arms them without waiting for a poll.

One connection of its own, outside the pool, read on the loop (psycopg's async connection); if
it drops, the listener reconnects with a growing pause, and `listening` is False meanwhile (the
runtime then polls more often).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from bot.store.postgres.connection import redacted
from bot.store.postgres.schema import NOTIFY_REMINDERS

log = logging.getLogger(__name__)

Heard = Callable[[int, datetime | None], None]  # (reminder id, due while pending else None)

RECONNECT_MAX = 30.0  # seconds between tries, at most


def parse_reminder(payload: str) -> tuple[int, datetime | None] | None:
    """`"<id> <due epoch ms>"` (pending) or `"<id>"` (no longer pending); None when unreadable."""
    parts = payload.split()
    try:
        if len(parts) == 2:
            return int(parts[0]), datetime.fromtimestamp(int(parts[1]) / 1000, UTC)
        if len(parts) == 1:
            return int(parts[0]), None
    except (ValueError, OverflowError, OSError):
        pass
    return None


class PgListener:
    """Hears reminder changes on `url` and hands each to `heard` (on the loop)."""

    def __init__(self, url: str, heard: Heard, *, timeout: float = 5.0) -> None:
        self.url = url
        self.heard = heard
        self.timeout = timeout
        self.listening = False

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after any failure."""
        pause = 1.0
        while True:
            try:
                await self._listen()
            except (psycopg.Error, OSError) as exc:
                log.warning(
                    "not hearing reminder changes from %s (%s); polling until back in %.0f s",
                    redacted(self.url),
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                    pause,
                )
            finally:
                self.listening = False
            await asyncio.sleep(pause)
            pause = min(pause * 2, RECONNECT_MAX)

    async def _listen(self) -> None:
        conn = await psycopg.AsyncConnection.connect(
            self.url, autocommit=True, connect_timeout=max(1, int(self.timeout))
        )
        async with conn:
            await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(NOTIFY_REMINDERS)))
            self.listening = True
            log.info("hearing reminder changes from other instances (LISTEN)")
            async for notice in conn.notifies():
                parsed = parse_reminder(notice.payload)
                if parsed is None:
                    log.warning("an unreadable reminder notice: %.40r", notice.payload)
                    continue
                self.heard(*parsed)
