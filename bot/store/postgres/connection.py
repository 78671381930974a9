"""One PostgreSQL database opened for Calma: a connection pool, migrations, errors an admin can
act on. Every method is one transaction on a pooled connection."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from bot.errors import StoreError, StoreLocked, StoreReadOnly
from bot.ports import Clock, SystemClock
from bot.store.convert import aware
from bot.store.postgres.schema import migrate
from bot.store.reads import READ_TTL_SECONDS, ReadCache
from bot.store.sql import SqlTables, guarded

__all__ = ["Conn", "PgDatabase", "guarded", "is_postgres_url", "marks", "redacted"]

Conn = psycopg.Connection[dict[str, Any]]
Params = Sequence[Any] | Mapping[str, Any]


def is_postgres_url(target: str) -> bool:
    """CALMA_DB names PostgreSQL when it is a postgresql:// (or postgres://) URL."""
    return target.startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    auth, _, host = rest.rpartition("@")
    user = auth.split(":", 1)[0]
    return f"{scheme}{sep}{user}@{host}"


def _as_instant(value: Any) -> datetime | None:
    return cast(datetime | None, value)  # timestamptz comes back aware, in UTC


def marks(sql: str) -> str:
    """psycopg's `%s` for the `?` marks of the SQL shared with SQLite."""
    return sql.replace("?", "%s")


class PgDatabase(SqlTables):
    """The pool and its error handling, shared by the store's tables."""

    DRIVER_ERRORS = (psycopg.Error, TimeoutError)
    _at = staticmethod(aware)
    _instant = staticmethod(_as_instant)

    def __init__(
        self,
        url: str,
        *,
        clock: Clock | None = None,
        timeout: float = 5.0,
        min_size: int = 1,
        max_size: int = 16,  # the service's workers, each maybe holding a lock, and the inbox
        read_ttl: float = READ_TTL_SECONDS,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self._clock: Clock = clock or SystemClock()
        self.reads = ReadCache(read_ttl)  # other instances' settings writes: seen within read_ttl
        self.pool: ConnectionPool[Conn] = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            open=False,
            kwargs={
                "autocommit": True,  # one statement, one round trip; tx() opens a block
                "row_factory": dict_row,
                "options": f"-c TimeZone=UTC -c lock_timeout={int(timeout * 1000)}",
                "connect_timeout": max(1, int(timeout)),
            },
            name="calma",
        )
        try:
            self.pool.open(wait=True, timeout=timeout)
            with self.tx() as conn:
                migrate(conn)
        except (psycopg.Error, TimeoutError) as exc:  # PoolTimeout is an OperationalError
            self.pool.close()
            raise self.explain(exc) from exc

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every call is already one transaction on a pooled connection: nothing to gather."""
        yield

    @contextmanager
    def tx(self) -> Iterator[Conn]:
        """A pooled connection in one transaction (committed on leaving, rolled back on error)."""
        with self.pool.connection(timeout=self.timeout) as conn, conn.transaction():
            yield conn

    def explain(self, exc: BaseException) -> StoreError:
        """A StoreError for a psycopg error, in words an admin can act on."""
        where = redacted(self.url)
        text = str(exc).strip()
        if isinstance(exc, psycopg.errors.LockNotAvailable | psycopg.errors.DeadlockDetected):
            return StoreLocked(
                f"PostgreSQL ({where}) kept a row locked for more than {self.timeout:g} s."
                " Nothing was written; try again."
            )
        if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
            return StoreReadOnly(
                f"PostgreSQL ({where}) is read-only (a standby?): point CALMA_DB at the primary."
                " Nothing was written."
            )
        if isinstance(exc, psycopg.OperationalError | TimeoutError):
            return StoreError(
                f"Cannot reach PostgreSQL at {where}: {text or type(exc).__name__}. Is the server"
                " running and CALMA_DB right?"
            )
        return StoreError(f"Database error on {where}: {text}")

    def health(self, wait: float = 0.2) -> dict[str, bool | str]:
        """Readable when the server answers; writable unless it is a standby in recovery."""
        result: dict[str, bool | str] = {"read": False, "write": False}
        try:
            with self.pool.connection(timeout=max(wait, 1.0)) as conn:
                row = conn.execute("SELECT pg_is_in_recovery() AS standby").fetchone()
            result["read"] = True
            result["write"] = not (row and row["standby"])
        except (psycopg.Error, TimeoutError) as exc:
            result["error"] = str(self.explain(exc)).split(":")[0]
        return result

    def ping(self) -> None:
        """Raise `StoreError` unless the server answers."""
        try:
            self._one("SELECT 1 AS ok")
        except (psycopg.Error, TimeoutError) as exc:
            raise self.explain(exc) from exc

    def close(self) -> None:
        """Release the pool."""
        self.pool.close()

    @contextmanager
    def statement(self) -> Iterator[Conn]:
        """A pooled connection for one statement (atomic on its own, no BEGIN/COMMIT trips)."""
        with self.pool.connection(timeout=self.timeout) as conn:
            yield conn

    def _one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        with self.statement() as conn:
            return conn.execute(marks(sql), params).fetchone()

    def _all(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        with self.statement() as conn:
            return conn.execute(marks(sql), params).fetchall()

    def _rowcount(self, sql: str, params: Params = ()) -> int:
        with self.statement() as conn:
            return conn.execute(marks(sql), params).rowcount
