"""How SQLite claims the inbox's and the outbox's rows: one writer at a time, so a select and
an update in one transaction claim each row once."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from bot.store.sql.queues import SqlQueues
from bot.store.sqlite.connection import SqliteFile


class SqliteQueues(SqlQueues, SqliteFile):
    """`_claim_leased` on the shared SQLite connection."""

    def _claim_leased(
        self,
        table: str,
        columns: str,
        unhandled: str,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int,
    ) -> list[dict[str, Any]]:
        marks = ", ".join("?" for _ in platforms)
        with self.db.atomic():
            rows = self._all(
                f"SELECT {columns} FROM {table} WHERE {unhandled} AND lease_until < ?"
                f" AND platform IN ({marks}) ORDER BY id LIMIT ?",
                (self._at(now), *platforms, limit),
            )
            self.db.conn.executemany(
                f"UPDATE {table} SET claimed_by = ?, lease_until = ?, attempts = attempts + 1"
                " WHERE id = ?",
                [(owner, self._at(now + lease), row["id"]) for row in rows],
            )
        return [{**row, "attempts": row["attempts"] + 1} for row in rows]
