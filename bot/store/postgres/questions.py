"""Open questions on PostgreSQL: one row per person, so any instance takes the answer."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.connection import PgDatabase, guarded
from bot.store.questions import QuestionRow

_WHO = 'platform = %s AND workspace = %s AND "user" = %s'


class PgOpenQuestions(PgDatabase):
    """`OpenQuestions` on the shared pool."""

    @guarded
    def ask_question(
        self, platform: str, workspace: str, user: str, kind: str, body: str, at: datetime
    ) -> None:
        self._rowcount(
            'INSERT INTO open_questions (platform, workspace, "user", kind, body, asked_at)'
            ' VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (platform, workspace, "user")'
            " DO UPDATE SET kind = EXCLUDED.kind, body = EXCLUDED.body,"
            " asked_at = EXCLUDED.asked_at",
            (platform, workspace, user, kind, body, at),
        )

    @guarded
    def open_question(self, platform: str, workspace: str, user: str) -> QuestionRow | None:
        row = self._one(
            f"SELECT kind, body, asked_at FROM open_questions WHERE {_WHO}",
            (platform, workspace, user),
        )
        if row is None:
            return None
        return QuestionRow(row["kind"], row["body"], row["asked_at"])

    @guarded
    def close_question(self, platform: str, workspace: str, user: str) -> bool:
        return self._changed(
            f"DELETE FROM open_questions WHERE {_WHO}", (platform, workspace, user)
        )

    @guarded
    def prune_questions(self, asked_before: datetime) -> int:
        return self._rowcount("DELETE FROM open_questions WHERE asked_at < %s", (asked_before,))
