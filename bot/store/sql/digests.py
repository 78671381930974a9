"""`Digests` in the SQL SQLite and PostgreSQL share: episodes and each lead's digest schedule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.digests import DigestSlot, EpisodeCounts, EpisodeKind
from bot.store.sql import SqlTables, guarded


class SqlDigests(SqlTables):
    """`Digests` on either store's connection."""

    def _slot(self, row: dict[str, Any]) -> DigestSlot:
        return DigestSlot(
            row["platform"],
            row["workspace"],
            row["user"],
            row["weekday"],
            self._instant(row["next_at"]),
        )

    @guarded
    def record_episode(
        self,
        platform: str,
        workspace: str,
        *,
        kind: EpisodeKind,
        channel: str,
        thread: str | None,
        user: str | None,
        at: datetime,
    ) -> None:
        self._rowcount(
            'INSERT INTO episodes (platform, workspace, kind, channel, thread, "user", at)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (platform, workspace, kind, channel, thread or "", user, self._at(at)),
        )

    @guarded
    def count_episodes(
        self, platform: str, workspace: str, *, since: datetime, until: datetime
    ) -> EpisodeCounts:
        row = self._one(
            "SELECT COUNT(DISTINCT CASE WHEN kind = 'abuse' THEN channel || ' ' || thread END)"
            " AS abuse, COUNT(CASE WHEN kind = 'escalation' THEN 1 END) AS escalations"
            " FROM episodes WHERE platform = ? AND workspace = ? AND at >= ? AND at < ?",
            (platform, workspace, self._at(since), self._at(until)),
        )
        if row is None:
            return EpisodeCounts()
        return EpisodeCounts(abuse=row["abuse"] or 0, escalations=row["escalations"] or 0)

    @guarded
    def digest_slot(self, platform: str, workspace: str, user: str) -> DigestSlot | None:
        row = self._one(
            'SELECT * FROM digest_slots WHERE platform = ? AND workspace = ? AND "user" = ?',
            (platform, workspace, user),
        )
        return None if row is None else self._slot(row)

    @guarded
    def set_digest_slot(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        weekday: int | None,
        next_at: datetime | None,
    ) -> None:
        self._rowcount(
            'INSERT INTO digest_slots (platform, workspace, "user", weekday, next_at)'
            ' VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, "user")'
            " DO UPDATE SET weekday = excluded.weekday, next_at = excluded.next_at",
            (platform, workspace, user, weekday, None if next_at is None else self._at(next_at)),
        )

    @guarded
    def claim_digest_slot(
        self, platform: str, workspace: str, user: str, *, due: datetime, next_at: datetime
    ) -> bool:
        return self._changed(
            "UPDATE digest_slots SET next_at = ?"
            ' WHERE platform = ? AND workspace = ? AND "user" = ? AND next_at = ?',
            (self._at(next_at), platform, workspace, user, self._at(due)),
        )

    @guarded
    def workspaces(self) -> list[tuple[str, str]]:
        return [
            (row["platform"], row["id"])
            for row in self._all("SELECT platform, id FROM workspaces ORDER BY platform, id")
        ]

    @guarded
    def leads_without_digest_slot(self) -> list[tuple[str, str, str]]:
        return [
            (row["platform"], row["workspace"], row["user_id"])
            for row in self._all(
                "SELECT u.platform, u.workspace, u.user_id FROM users u"
                " LEFT JOIN digest_slots d ON d.platform = u.platform"
                ' AND d.workspace = u.workspace AND d."user" = u.user_id'
                " WHERE u.role = 'lead' AND d.\"user\" IS NULL"
                " ORDER BY u.platform, u.workspace, u.user_id"
            )
        ]

    @guarded
    def due_digest_slots(self, now: datetime) -> list[DigestSlot]:
        return [
            self._slot(row)
            for row in self._all(
                "SELECT d.* FROM digest_slots d JOIN users u ON u.platform = d.platform"
                ' AND u.workspace = d.workspace AND u.user_id = d."user"'
                " WHERE u.role = 'lead' AND d.weekday IS NOT NULL AND d.next_at <= ?"
                " ORDER BY d.next_at",
                (self._at(now),),
            )
        ]
