"""Nudges and feedback on SQLite, and the figures leads see."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from bot.store.base import ON_TIME_GRACE, NewNudge, NudgeRow, Outcome, TeamStats
from bot.store.convert import excerpt, from_iso, from_iso_required, to_iso
from bot.store.sqlite.connection import SqliteFile, guarded
from bot.store.stats import team_stats


class SqliteNudges(SqliteFile):
    """`Nudges` on the shared SQLite connection."""

    @contextmanager
    def nudge_turn(self, platform: str, workspace: str, user: str) -> Iterator[None]:
        """One process owns a SQLite file and its service is synchronous: nothing interleaves."""
        yield

    @guarded
    def record_nudge(self, nudge: NewNudge) -> NudgeRow:
        kept = excerpt(nudge.excerpt)
        cursor = self.db.execute(
            "INSERT INTO nudges (platform, workspace, user, channel, rule, category, created_at,"
            " excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                nudge.platform,
                nudge.workspace,
                nudge.user,
                nudge.channel,
                nudge.rule,
                nudge.category,
                to_iso(nudge.created_at),
                kept,
            ),
        )
        assert cursor.lastrowid is not None
        row = self.get_nudge(cursor.lastrowid)
        assert row is not None
        return row

    @guarded
    def get_nudge(self, nudge_id: int) -> NudgeRow | None:
        row = self._one("SELECT * FROM nudges WHERE id = ?", (nudge_id,))
        if row is None:
            return None
        row["created_at"] = from_iso_required(row["created_at"])
        return NudgeRow(**row)

    @guarded
    def set_nudge_outcome(
        self, nudge_id: int, outcome: Outcome, *, user: str, at: datetime
    ) -> bool:
        with self.db.atomic():
            changed = self._rowcount(
                "UPDATE nudges SET outcome = ? WHERE id = ?", (outcome, nudge_id)
            )
            if changed:
                self._insert_feedback(nudge_id, user, outcome, at)
        return changed == 1

    @guarded
    def record_feedback(self, nudge_id: int, *, user: str, kind: str, at: datetime) -> None:
        self._insert_feedback(nudge_id, user, kind, at)

    def _insert_feedback(self, nudge_id: int, user: str, kind: str, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO feedback (nudge_id, user, kind, at) VALUES (?, ?, ?, ?)",
            (nudge_id, user, kind, to_iso(at)),
        )

    @guarded
    def count_nudges(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        since: datetime,
        rule: str | None = None,
    ) -> int:
        sql = (
            "SELECT COUNT(*) AS n FROM nudges"
            " WHERE platform = ? AND workspace = ? AND user = ? AND created_at >= ?"
        )
        params: tuple[Any, ...] = (platform, workspace, user, to_iso(since))
        if rule is not None:
            sql += " AND rule = ?"
            params += (rule,)
        row = self._one(sql, params)
        return int(row["n"]) if row else 0

    @guarded
    def nudges_by_category(
        self, platform: str, workspace: str, user: str, *, since: datetime
    ) -> tuple[tuple[str, int], ...]:
        return tuple(
            (row["category"], row["n"])
            for row in self.db.query(
                "SELECT category, COUNT(*) AS n FROM nudges"
                " WHERE platform = ? AND workspace = ? AND user = ? AND created_at >= ?"
                " GROUP BY category ORDER BY n DESC, category",
                (platform, workspace, user, to_iso(since)),
            )
        )

    @guarded
    def team_stats(
        self,
        platform: str,
        workspace: str,
        *,
        since: datetime,
        until: datetime,
        on_time_grace: timedelta = ON_TIME_GRACE,
    ) -> TeamStats:
        return team_stats(
            self.db.query,
            platform,
            workspace,
            since,
            until,
            on_time_grace,
            to_db=to_iso,
            from_db=from_iso,
        )
