"""The inbox on SQLite: events kept before the door answers, until handled."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from bot.store.base import InboxItem
from bot.store.convert import from_iso_required, to_iso
from bot.store.sqlite.connection import SqliteFile, guarded

_COLUMNS = "id, platform, key, body, received_at, attempts"


class SqliteInbox(SqliteFile):
    """`Inbox` on the shared SQLite connection."""

    @guarded
    def inbox_put(
        self, platform: str, key: str, body: str, owner: str, now: datetime, lease: timedelta
    ) -> InboxItem | None:
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO inbox (platform, key, body, received_at, claimed_by,"
            " lease_until) VALUES (?, ?, ?, ?, ?, ?)",
            (platform, key, body, to_iso(now), owner, to_iso(now + lease)),
        )
        if cursor.rowcount != 1 or cursor.lastrowid is None:
            return None
        return InboxItem(cursor.lastrowid, platform, key, body, now, 1)

    @guarded
    def inbox_claim(
        self,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
    ) -> list[InboxItem]:
        if not platforms:
            return []
        marks = ", ".join("?" for _ in platforms)
        with self.db.atomic():
            rows = list(
                self.db.query(
                    f"SELECT {_COLUMNS} FROM inbox WHERE done_at IS NULL AND lease_until < ?"
                    f" AND platform IN ({marks}) ORDER BY id LIMIT ?",
                    (to_iso(now), *platforms, limit),
                )
            )
            self.db.conn.executemany(
                "UPDATE inbox SET claimed_by = ?, lease_until = ?, attempts = attempts + 1"
                " WHERE id = ?",
                [(owner, to_iso(now + lease), row["id"]) for row in rows],
            )
        return [_item({**row, "attempts": row["attempts"] + 1}) for row in rows]

    @guarded
    def inbox_done(self, item_id: int, now: datetime, error: str | None = None) -> None:
        self.db.execute(
            "UPDATE inbox SET done_at = ?, body = NULL, error = ?, lease_until = NULL WHERE id = ?",
            (to_iso(now), None if error is None else error[:500], item_id),
        )

    @guarded
    def inbox_prune(self, older_than: datetime) -> int:
        return self._rowcount(
            "DELETE FROM inbox WHERE done_at IS NOT NULL AND received_at < ?",
            (to_iso(older_than),),
        )


def _item(row: dict[str, Any]) -> InboxItem:
    return InboxItem(
        id=row["id"],
        platform=row["platform"],
        key=row["key"],
        body=row["body"] or "",
        received_at=from_iso_required(row["received_at"]),
        attempts=row["attempts"],
    )
