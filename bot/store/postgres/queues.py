"""How PostgreSQL claims the inbox's and the outbox's rows: one statement, `FOR UPDATE SKIP
LOCKED`, so instances claiming at once never take the same row."""

from __future__ import annotations

from typing import Any

from bot.store.postgres.connection import PgDatabase
from bot.store.sql.queues import Claim, SqlQueues


class PgQueues(SqlQueues, PgDatabase):
    """`_claim_leased` and `_insert_id` on the shared pool."""

    def _insert_id(self, sql: str, params: tuple[Any, ...]) -> int | None:
        row = self._one(f"{sql} RETURNING id", params)
        return None if row is None else int(row["id"])

    def _claim_leased(self, claim: Claim) -> list[dict[str, Any]]:
        rows = self._all(
            f"UPDATE {claim.table} SET claimed_by = %(owner)s, lease_until = %(until)s,"
            f" attempts = attempts + 1 WHERE id IN (SELECT id FROM {claim.table}"
            f" WHERE {claim.unhandled} AND lease_until < %(now)s"
            " AND platform = ANY(%(platforms)s) ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED)"
            f" RETURNING {claim.columns}",
            {
                "owner": claim.owner,
                "until": claim.now + claim.lease,
                "now": claim.now,
                "platforms": list(claim.platforms),
                "limit": claim.limit,
            },
        )
        return sorted(rows, key=lambda row: int(row["id"]))
