"""How SQLite claims the inbox's and the outbox's rows: one writer at a time, so a select and
an update in one transaction claim each row once."""

from __future__ import annotations

from typing import Any

from bot.store.sql.queues import Claim, SqlQueues
from bot.store.sqlite.connection import SqliteFile


class SqliteQueues(SqlQueues, SqliteFile):
    """`_claim_leased` and `_insert_id` on the shared SQLite connection."""

    def _insert_id(self, sql: str, params: tuple[Any, ...]) -> int | None:
        cursor = self.db.conn.execute(sql, params)
        return cursor.lastrowid if cursor.rowcount == 1 else None

    def _claim_leased(self, claim: Claim) -> list[dict[str, Any]]:
        marks = ", ".join("?" for _ in claim.platforms)
        with self.db.atomic():
            rows = self._all(
                f"SELECT {claim.columns} FROM {claim.table} WHERE {claim.unhandled}"
                f" AND lease_until < ? AND platform IN ({marks}) ORDER BY id LIMIT ?",
                (self._at(claim.now), *claim.platforms, claim.limit),
            )
            until = self._at(claim.now + claim.lease)
            self.db.conn.executemany(
                f"UPDATE {claim.table} SET claimed_by = ?, lease_until = ?,"
                " attempts = attempts + 1 WHERE id = ?",
                [(claim.owner, until, row["id"]) for row in rows],
            )
        return [{**row, "attempts": row["attempts"] + 1} for row in rows]
