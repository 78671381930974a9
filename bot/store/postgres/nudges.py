"""Nudges on PostgreSQL: the per-person turn across instances, recording a nudge and its outcome
(the rest is `bot.store.sql.nudges`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import psycopg

from bot.store.base import NewNudge, NudgeRow, Outcome
from bot.store.postgres.connection import PgDatabase, guarded, marks
from bot.store.sql.nudges import (
    FEEDBACK_INSERT,
    NUDGE_COLUMNS,
    NUDGE_INSERT,
    OUTCOME_UPDATE,
    SqlNudges,
)


class PgNudges(SqlNudges, PgDatabase):
    """`Nudges` on the shared pool."""

    @contextmanager
    def nudge_turn(self, platform: str, workspace: str, user: str) -> Iterator[None]:
        """A session advisory lock on the person, held on its own pooled connection for the
        block: another instance deciding a nudge for the same person waits (a crash ends the
        session and frees the lock)."""
        key = f"nudge:{platform}:{workspace}:{user}"
        try:
            with self.statement() as conn:
                conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
                try:
                    yield
                finally:
                    conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
        except psycopg.Error as exc:
            raise self.explain(exc) from exc

    @guarded
    def record_nudge(self, nudge: NewNudge) -> NudgeRow:
        return self._nudge(
            self._one(f"{NUDGE_INSERT} RETURNING {NUDGE_COLUMNS}", self._nudge_values(nudge))
        )

    @guarded
    def set_nudge_outcome(
        self, nudge_id: int, outcome: Outcome, *, user: str, at: datetime
    ) -> bool:
        with self.tx() as conn:
            changed = conn.execute(marks(OUTCOME_UPDATE), (outcome, nudge_id)).rowcount
            if changed:
                conn.execute(marks(FEEDBACK_INSERT), (nudge_id, user, outcome, self._at(at)))
        return changed == 1
