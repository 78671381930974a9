"""Read what no code path reads back (the feedback table, write counts), straight from a store."""

from __future__ import annotations

from datetime import datetime

from bot.store import SqliteStore
from bot.store.convert import from_iso_required
from bot.store.postgres import PgStore


def feedback_of(store: object, nudge_id: int) -> list[tuple[str, str, datetime]]:
    """(user, kind, at) of every feedback row of the nudge, in the order given."""
    if isinstance(store, PgStore):
        with store.tx() as conn:
            return [
                (row["user"], row["kind"], row["at"])
                for row in conn.execute(
                    'SELECT "user", kind, at FROM feedback WHERE nudge_id = %s ORDER BY id',
                    (nudge_id,),
                )
            ]
    assert isinstance(store, SqliteStore), f"no peek for {type(store).__name__} yet"
    return [
        (row["user"], row["kind"], from_iso_required(row["at"]))
        for row in store.db.query(
            "SELECT user, kind, at FROM feedback WHERE nudge_id = ? ORDER BY id", (nudge_id,)
        )
    ]


def writes(store: object) -> int:
    """A number that moves when people rows are written: SQLite's change count; on PostgreSQL
    the newest writing transaction id among users and customers, plus their row counts."""
    if isinstance(store, PgStore):
        with store.tx() as conn:
            row = conn.execute(
                "SELECT (SELECT coalesce(max(xmin::text::bigint), 0) + count(*) FROM users)"
                " + (SELECT coalesce(max(xmin::text::bigint), 0) + count(*) FROM customers) AS n"
            ).fetchone()
            assert row is not None
            return int(row["n"])
    assert isinstance(store, SqliteStore), f"no peek for {type(store).__name__} yet"
    return int(store.db.conn.total_changes)
