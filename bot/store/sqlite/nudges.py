"""Nudges on SQLite: recording one and its outcome (the rest is `bot.store.sql.nudges`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from bot.store.base import NewNudge, NudgeRow, Outcome
from bot.store.sql.nudges import FEEDBACK_INSERT, NUDGE_INSERT, OUTCOME_UPDATE, SqlNudges
from bot.store.sqlite.connection import SqliteFile, guarded


class SqliteNudges(SqlNudges, SqliteFile):
    """`Nudges` on the shared SQLite connection."""

    @contextmanager
    def nudge_turn(self, platform: str, workspace: str, user: str) -> Iterator[None]:
        """One process owns a SQLite file and its service is synchronous: nothing interleaves."""
        yield

    @guarded
    def record_nudge(self, nudge: NewNudge) -> NudgeRow:
        """The row as written, without reading it back (PostgreSQL's RETURNING, by hand)."""
        values = self._nudge_values(nudge)
        cursor = self.db.conn.execute(NUDGE_INSERT, values)
        assert cursor.lastrowid is not None
        return NudgeRow(
            id=cursor.lastrowid,
            platform=nudge.platform,
            workspace=nudge.workspace,
            user=nudge.user,
            channel=nudge.channel,
            rule=nudge.rule,
            category=nudge.category,
            excerpt=values.excerpt,
            created_at=self._instant_required(values.created_at),  # as stored: UTC, to the µs
        )

    @guarded
    def set_nudge_outcome(
        self, nudge_id: int, outcome: Outcome, *, user: str, at: datetime
    ) -> bool:
        with self.db.atomic():
            changed = self._rowcount(OUTCOME_UPDATE, (outcome, nudge_id))
            if changed:
                self._rowcount(FEEDBACK_INSERT, (nudge_id, user, outcome, self._at(at)))
        return changed == 1
