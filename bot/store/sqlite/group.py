"""Group commit: the writes made on the event loop within one turn of it share one SQLite
transaction, committed at the start of the next turn.

A commit costs far more than the statements before it (the WAL frames, the index, the header):
under load a door writes an event into the inbox, the service its marks and nudges, the outbox a
send, the inbox the event's completion, each once per event. Gathered, the events that arrived
together pay one commit between them. Whoever must not go on before its writes are durable (the
door's 200 after an inbox write, a send after its outbox row) awaits `settled()`, which returns
once the commit that holds them is done, or raises the `StoreError` that undid them.

The transaction starts with BEGIN IMMEDIATE (the write lock first, with the busy wait, as a
`batch` does), from the first write that asks for the group, on the loop's thread only: with no
running loop (the command line, scripts) each write commits itself as before. A block that must
stay whole (`SqliteFile.batch`) runs under a savepoint inside the group.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable

from bot.errors import StoreError

log = logging.getLogger(__name__)


class CommitGroup:
    """The open group transaction of one connection, if any, and who waits for its commit."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        explain: Callable[[BaseException], StoreError],
        *,
        undone: Callable[[], None] = lambda: None,
    ) -> None:
        self._conn = conn
        self._explain = explain
        self._undone = undone  # called when the group's writes are rolled back
        self._open = False
        self._waiters: list[asyncio.Future[None]] = []

    @property
    def open(self) -> bool:
        """A group transaction is open (this connection holds the write lock)."""
        return self._open

    def join(self) -> bool:
        """Open the group's transaction unless one is open; True when the caller's writes are in a
        group (False: no running loop, or another transaction is open, so they commit as before).
        Raises `StoreError` when the write lock cannot be had."""
        if self._open:
            return True
        if self._conn.in_transaction:
            return False
        loop = asyncio._get_running_loop()
        if loop is None:
            return False
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._explain(exc) from exc
        self._open = True
        loop.call_soon(self.commit)
        return True

    async def settled(self) -> None:
        """Return once the writes made so far are committed; raise the `StoreError` that undid
        them."""
        if not self._open:
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def commit(self) -> None:
        """Commit the group (the loop calls it one turn after the group opened; `close` too)."""
        if not self._open:
            return
        self._open = False
        waiters, self._waiters = self._waiters, []
        error: StoreError | None = None
        try:
            if not self._conn.in_transaction:  # an error inside undid the whole transaction
                raise sqlite3.OperationalError("the group's transaction was rolled back")
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            error = self._explain(exc)
            self._undone()
            log.error("store: the writes of one loop turn were not committed: %s", error)
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
        for waiter in waiters:
            if waiter.done():  # its caller was cancelled
                continue
            if error is None:
                waiter.set_result(None)
            else:
                waiter.set_exception(error)
