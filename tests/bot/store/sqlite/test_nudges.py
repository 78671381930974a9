"""Recording a nudge on SQLite (bot/store/sqlite/nudges.py): one statement, the row as stored."""

from __future__ import annotations

from datetime import timedelta, timezone

from bot.store.base import NewNudge
from bot.store.sqlite import SqliteStore
from tests.bot.conftest import T0
from tests.bot.store.rows import P, W


def test_a_nudge_is_recorded_in_one_statement_and_answered_as_read_back(
    store: SqliteStore,
) -> None:
    """Issue 12: the door records a nudge for most judgemental lines; the row is no longer read
    back after its INSERT, and what comes back is what a read gives (UTC, the excerpt)."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    at = T0.astimezone(timezone(timedelta(hours=-6)))
    row = store.record_nudge(NewNudge(P, W, "U1", "C1", "r", "judgement", "  usted " * 50, at))
    store.db.conn.set_trace_callback(None)
    assert [s.split()[0] for s in statements] == ["INSERT"]
    assert store.get_nudge(row.id) == row
    assert row.created_at == T0 and row.created_at.utcoffset() == timedelta(0)
