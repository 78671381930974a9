"""`OpenQuestions` and `LeadZones` in the SQL SQLite and PostgreSQL share."""

from __future__ import annotations

from datetime import datetime

from bot.store.questions import QuestionRow
from bot.store.sql import SqlTables, guarded
from bot.store.zones import LeadZone

_WHO = 'platform = ? AND workspace = ? AND "user" = ?'


class SqlOpenQuestions(SqlTables):
    """One open question per person, replaced by the next one, so any instance takes the answer."""

    @guarded
    def ask_question(
        self, platform: str, workspace: str, user: str, kind: str, body: str, at: datetime
    ) -> None:
        self._rowcount(
            'INSERT INTO open_questions (platform, workspace, "user", kind, body, asked_at)'
            ' VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, workspace, "user")'
            " DO UPDATE SET kind = excluded.kind, body = excluded.body,"
            " asked_at = excluded.asked_at",
            (platform, workspace, user, kind, body, self._at(at)),
        )

    @guarded
    def open_question(self, platform: str, workspace: str, user: str) -> QuestionRow | None:
        row = self._one(
            f"SELECT kind, body, asked_at FROM open_questions WHERE {_WHO}",
            (platform, workspace, user),
        )
        if row is None:
            return None
        return QuestionRow(row["kind"], row["body"], self._instant_required(row["asked_at"]))

    @guarded
    def close_question(self, platform: str, workspace: str, user: str) -> bool:
        return self._changed(
            f"DELETE FROM open_questions WHERE {_WHO}", (platform, workspace, user)
        )

    @guarded
    def prune_questions(self, asked_before: datetime) -> int:
        return self._rowcount(
            "DELETE FROM open_questions WHERE asked_at < ?", (self._at(asked_before),)
        )


class SqlLeadZones(SqlTables):
    """The workspaces whose lead chose a zone (an empty `default_tz` means none was chosen)."""

    @guarded
    def lead_zones(self) -> list[LeadZone]:
        return [
            LeadZone(row["platform"], row["id"], row["default_tz"])
            for row in self._all(
                "SELECT platform, id, default_tz FROM workspaces WHERE default_tz <> ''"
                " ORDER BY platform, id"
            )
        ]
