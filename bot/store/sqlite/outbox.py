"""The outbox on SQLite: replies that leave after the HTTP answer, until sent."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from bot.store.base import OutboxItem
from bot.store.convert import from_iso_required, to_iso
from bot.store.sqlite.connection import SqliteFile, guarded

_COLUMNS = "id, platform, workspace, kind, payload, created_at, attempts"


class SqliteOutbox(SqliteFile):
    """`Outbox` on the shared SQLite connection."""

    @guarded
    def outbox_put(
        self,
        platform: str,
        workspace: str,
        kind: str,
        payload: str,
        owner: str,
        now: datetime,
        lease: timedelta,
    ) -> OutboxItem:
        cursor = self.db.execute(
            "INSERT INTO outbox (platform, workspace, kind, payload, created_at, claimed_by,"
            " lease_until) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (platform, workspace, kind, payload, to_iso(now), owner, to_iso(now + lease)),
        )
        assert cursor.lastrowid is not None
        return OutboxItem(cursor.lastrowid, platform, workspace, kind, payload, now, 1)

    @guarded
    def outbox_claim(
        self,
        platforms: Collection[str],
        owner: str,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
    ) -> list[OutboxItem]:
        if not platforms:
            return []
        marks = ", ".join("?" for _ in platforms)
        with self.db.atomic():
            rows = list(
                self.db.query(
                    f"SELECT {_COLUMNS} FROM outbox WHERE lease_until < ?"
                    f" AND platform IN ({marks}) ORDER BY id LIMIT ?",
                    (to_iso(now), *platforms, limit),
                )
            )
            self.db.conn.executemany(
                "UPDATE outbox SET claimed_by = ?, lease_until = ?, attempts = attempts + 1"
                " WHERE id = ?",
                [(owner, to_iso(now + lease), row["id"]) for row in rows],
            )
        return [
            OutboxItem(
                id=row["id"],
                platform=row["platform"],
                workspace=row["workspace"],
                kind=row["kind"],
                payload=row["payload"],
                created_at=from_iso_required(row["created_at"]),
                attempts=row["attempts"] + 1,
            )
            for row in rows
        ]

    @guarded
    def outbox_sent(self, item_id: int) -> None:
        self.db.execute("DELETE FROM outbox WHERE id = ?", (item_id,))

    @guarded
    def outbox_depth(self) -> int:
        row = self._one("SELECT count(*) AS n FROM outbox", ())
        return int(row["n"]) if row else 0
