"""How PostgreSQL claims the inbox's and the outbox's rows: one statement, `FOR UPDATE SKIP
LOCKED`, so instances claiming at once never take the same row."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from bot.store.postgres.connection import PgDatabase
from bot.store.sql.queues import SqlQueues


class PgQueues(SqlQueues, PgDatabase):
    """`_claim_leased` on the shared pool."""

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
        rows = self._all(
            f"UPDATE {table} SET claimed_by = %(owner)s, lease_until = %(until)s,"
            f" attempts = attempts + 1 WHERE id IN (SELECT id FROM {table}"
            f" WHERE {unhandled} AND lease_until < %(now)s AND platform = ANY(%(platforms)s)"
            " ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED)"
            f" RETURNING {columns}",
            {
                "owner": owner,
                "until": now + lease,
                "now": now,
                "platforms": list(platforms),
                "limit": limit,
            },
        )
        return sorted(rows, key=lambda row: int(row["id"]))
