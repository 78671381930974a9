"""One SQLite file opened for Calma: WAL, pragmas, migrations, errors an admin can act on."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bot.errors import StoreError, StoreLocked, StoreReadOnly
from bot.ports import Clock, SystemClock
from bot.store.convert import from_iso, to_iso
from bot.store.reads import READ_TTL_SECONDS, ReadCache
from bot.store.sql import SqlTables, guarded
from bot.store.sqlite.checkpoint import Checkpoints
from bot.store.sqlite.group import CommitGroup
from bot.store.sqlite.schema import migrations

__all__ = ["SqliteFile", "guarded"]

_BUSY, _LOCKED, _READONLY, _CORRUPT, _CANTOPEN, _NOTADB = 5, 6, 8, 11, 14, 26
OPEN_RETRY_SECONDS = 0.05
CACHED_STATEMENTS = 512  # prepared statements kept: every statement the service runs, and more


class SqliteFile(SqlTables):
    """The connection and its error handling, shared by the store's tables."""

    DRIVER_ERRORS = (sqlite3.Error,)
    _at = staticmethod(to_iso)

    @staticmethod
    def _instant(value: Any) -> datetime | None:
        return from_iso(value)

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Clock | None = None,
        busy_timeout: float = 5.0,
        read_ttl: float = READ_TTL_SECONDS,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._clock: Clock = clock or SystemClock()
        self.reads = ReadCache(read_ttl)
        # before connecting: SQLite may replace a stale -shm, yet the connection stays read-only
        self.stuck_companions = self.read_only_companions()
        try:
            # Autocommit: a lone write commits itself (no BEGIN/COMMIT round trip of the
            # driver's); several that must go together use `self.db.atomic()`.
            conn = sqlite3.connect(
                self.path,
                timeout=busy_timeout,
                isolation_level=None,
                cached_statements=CACHED_STATEMENTS,
            )
        except sqlite3.Error as exc:
            raise self.explain(exc) from exc
        self.db = Database(conn, execute_plugins=False)
        self.group = CommitGroup(conn, self.explain, undone=self.reads.clear)
        self._checkpoints: Checkpoints | None = None
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                self._prepare()
                return
            except sqlite3.Error as exc:
                error = self.explain(exc)
                if isinstance(error, StoreLocked) and time.monotonic() < deadline:
                    # A read that turns into a write (as migrations do) gets "locked" at once,
                    # without SQLite's busy wait: wait here instead, up to busy_timeout.
                    time.sleep(OPEN_RETRY_SECONDS)
                    continue
                conn.close()
                raise error from exc

    def _prepare(self) -> None:
        """WAL, pragmas and migrations: what opening the file needs (safe to repeat)."""
        if self.db.conn.in_transaction:
            self.db.conn.rollback()
        self.db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA foreign_keys = ON")
        migrations.apply(self.db)

    def explain(self, exc: BaseException) -> StoreError:
        """A StoreError for a sqlite3 error, in words an admin can act on."""
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc)
        if primary in (_BUSY, _LOCKED) or "database is locked" in text:
            return StoreLocked(
                f"The database {self.path} is locked: another process kept it busy for more than"
                f" {self.busy_timeout:g} s. Is a second Calma (or a sqlite3 shell) writing to the"
                " same file? Nothing was written; try again."
            )
        if primary == _READONLY or "readonly database" in text:
            if stuck := self.stuck_companions or self.read_only_companions():
                return StoreReadOnly(
                    f"The database {self.path} is read-only because {stuck[0]} cannot be written"
                    " (left read-only by a start while the database was read-only?). With Calma"
                    f" stopped, delete it or give it the database's permissions (chmod 644"
                    f" {stuck[0]}). Nothing was written."
                )
            return StoreReadOnly(
                f"The database {self.path} is read-only: Calma must be able to write the file and"
                " its folder (for the -wal and -shm files). Fix the permissions or point CALMA_DB"
                " at a writable place. Nothing was written."
            )
        if primary == _CANTOPEN:
            return StoreError(
                f"Cannot open the database {self.path}: check that its folder exists and is"
                " writable (CALMA_DB)."
            )
        if primary in (_CORRUPT, _NOTADB):
            return StoreError(f"{self.path} is not a Calma database or is damaged: {text}")
        return StoreError(f"Database error on {self.path}: {text}")

    def ping(self) -> None:
        """Raise `StoreError` unless the file answers a read."""
        try:
            self.db.execute("SELECT 1 FROM seen_events LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise self.explain(exc) from exc

    def health(self, wait: float = 0.2) -> dict[str, bool | str]:
        """Whether the file can be read now, and written (the write lock taken within `wait`
        seconds, a header write tried, then rolled back: nothing changes)."""
        result: dict[str, bool | str] = {"read": False, "write": False}
        conn = self.db.conn
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            result["read"] = True
            if self.group.open:  # this connection holds the write lock until the turn ends
                result["write"] = True
                return result
            conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            if conn.in_transaction:
                return result
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(f"PRAGMA user_version = {int(version)}")
                result["write"] = True
            finally:
                conn.rollback()
        except sqlite3.Error as exc:
            result["error"] = str(self.explain(exc)).split(":")[0]
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
        return result

    def read_only_companions(self) -> list[Path]:
        """The database's -shm and -wal files that exist but this process cannot write."""
        found = []
        for suffix in ("-shm", "-wal"):
            companion = self.path.with_name(self.path.name + suffix)
            if companion.exists() and not os.access(companion, os.W_OK):
                found.append(companion)
        return found

    def offload_checkpoints(self) -> Checkpoints:
        """Stop this connection's automatic WAL checkpoints, so no commit waits on copying the
        log; the caller takes them with the returned `Checkpoints`, off this thread (see
        bot/store/sqlite/checkpoint.py). Until then the log grows, and nothing is lost."""
        if self._checkpoints is None:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("PRAGMA wal_autocheckpoint = 0")
            self._checkpoints = Checkpoints(self.path)
        return self._checkpoints

    def close(self) -> None:
        """Commit the open group, if any, and release the connection (the checkpoints' one
        first: the last to close checkpoints the file)."""
        self.group.commit()
        if self._checkpoints is not None:
            self._checkpoints.close()
        self.db.close()

    async def settled(self) -> None:
        """Return once the writes made so far are committed (see `CommitGroup`)."""
        await self.group.settled()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction for the block's writes, whole or not at all. On the event loop the
        block joins the turn's group commit (see `CommitGroup`) under a savepoint; elsewhere it is
        its own transaction, IMMEDIATE: the write lock is taken first, with the busy wait, so a
        read that turns into a write is never refused at once by another process's write in
        between. Nested, the outer one holds (under a savepoint)."""
        conn = self.db.conn
        if self.group.join() or conn.in_transaction:
            with self._savepoint():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self.explain(exc) from exc
        try:
            yield
        except BaseException:
            self.reads.clear()  # what the block wrote may have been read into it
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        try:
            if conn.in_transaction:
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.reads.clear()
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise self.explain(exc) from exc

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        """The block's writes undone, and only them, when it raises."""
        conn = self.db.conn
        try:
            conn.execute("SAVEPOINT calma_batch")
        except sqlite3.Error as exc:
            raise self.explain(exc) from exc
        try:
            yield
        except BaseException:
            self.reads.clear()  # what the block wrote may have been read into it
            if conn.in_transaction:  # an error may have undone the whole transaction already
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK TO calma_batch")
                    conn.execute("RELEASE calma_batch")
            raise
        try:
            conn.execute("RELEASE calma_batch")
        except sqlite3.Error as exc:
            raise self.explain(exc) from exc

    def _grouped(self) -> None:
        """A queue's write joins the turn's group commit (on the loop; else it commits itself)."""
        self.group.join()

    # The statements go straight to the driver (its prepared-statement cache), not through
    # sqlite-utils' `query`, which wraps each read in a SAVEPOINT and a RELEASE.

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> dict[str, Any] | None:
        cursor = self.db.conn.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([column[0] for column in cursor.description], row, strict=True))

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, params)
        rows = cursor.fetchall()
        if not rows:
            return []
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _rowcount(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        return self.db.conn.execute(sql, params).rowcount
