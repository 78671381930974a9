"""Open questions on SQLite: one row per person, replaced by the next question."""

from __future__ import annotations

from datetime import datetime

from bot.store.convert import from_iso_required, to_iso
from bot.store.questions import QuestionRow
from bot.store.sqlite.connection import SqliteFile, guarded

_WHO = "platform = ? AND workspace = ? AND user = ?"


class SqliteOpenQuestions(SqliteFile):
    """`OpenQuestions` on the shared SQLite connection."""

    @guarded
    def ask_question(
        self, platform: str, workspace: str, user: str, kind: str, body: str, at: datetime
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO open_questions"
            " (platform, workspace, user, kind, body, asked_at) VALUES (?, ?, ?, ?, ?, ?)",
            (platform, workspace, user, kind, body, to_iso(at)),
        )

    @guarded
    def open_question(self, platform: str, workspace: str, user: str) -> QuestionRow | None:
        row = self._one(
            f"SELECT kind, body, asked_at FROM open_questions WHERE {_WHO}",
            (platform, workspace, user),
        )
        if row is None:
            return None
        return QuestionRow(row["kind"], row["body"], from_iso_required(row["asked_at"]))

    @guarded
    def close_question(self, platform: str, workspace: str, user: str) -> bool:
        return self._changed(
            f"DELETE FROM open_questions WHERE {_WHO}", (platform, workspace, user)
        )

    @guarded
    def prune_questions(self, asked_before: datetime) -> int:
        return self._rowcount(
            "DELETE FROM open_questions WHERE asked_at < ?", (to_iso(asked_before),)
        )
