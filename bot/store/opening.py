"""Open the store CALMA_DB names: a file path is SQLite (the embedded default), a
`postgresql://` URL is PostgreSQL (for several instances on one truth)."""

from __future__ import annotations

from collections.abc import Callable

from bot.ports import Clock
from bot.store.postgres import PgStore, is_postgres_url
from bot.store.protocol import Store
from bot.store.sqlite import SqliteStore


def open_store(target: str, *, clock: Clock | None = None, busy_timeout: float = 5.0) -> Store:
    """The store at `target`, migrated and ready (raises `StoreError` saying what is wrong)."""
    if is_postgres_url(target):
        return PgStore(target, clock=clock, timeout=max(busy_timeout, 2.0))
    return SqliteStore(target, clock=clock, busy_timeout=busy_timeout)


def is_shared(store: Store) -> bool:
    """True when other instances may share the store (claims and polling matter)."""
    return isinstance(store, PgStore)


def offload_checkpoints(store: Store) -> Callable[[], object] | None:
    """For an SQLite store served from an event loop: what takes its WAL checkpoints off the
    loop (call it from a worker thread, about once a second); None for PostgreSQL."""
    if isinstance(store, SqliteStore):
        return store.offload_checkpoints().take
    return None
