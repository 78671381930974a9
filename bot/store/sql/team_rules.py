"""`TeamPhrases` in the SQL SQLite and PostgreSQL share; adding one (insert, then read back) is
run per store, in its own transaction style."""

from __future__ import annotations

from typing import Any

from bot.store.sql import SqlTables, guarded
from bot.store.team_rules import TeamPhraseRow

_COLUMNS = "id, platform, workspace, phrase, lang, category, suggestion, created_by, created_at"
PHRASE_INSERT = (
    "INSERT INTO team_phrases (platform, workspace, phrase, lang, category, kind, suggestion,"
    " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
)
PHRASE_SELECT = (
    f"SELECT {_COLUMNS} FROM team_phrases WHERE platform = ? AND workspace = ? AND phrase = ?"
    " AND kind = ?"
)


class SqlTeamPhrases(SqlTables):
    """Listing and removing team phrases, and their row."""

    def _phrase(self, row: dict[str, Any] | None) -> TeamPhraseRow:
        assert row is not None
        return TeamPhraseRow(
            id=row["id"],
            platform=row["platform"],
            workspace=row["workspace"],
            phrase=row["phrase"],
            lang=row["lang"],
            category=row["category"],
            suggestion=row["suggestion"],
            created_by=row["created_by"],
            created_at=self._instant_required(row["created_at"]),
        )

    @guarded
    def team_phrases(self, platform: str, workspace: str) -> list[TeamPhraseRow]:
        return [
            self._phrase(row)
            for row in self._all(
                f"SELECT {_COLUMNS} FROM team_phrases WHERE platform = ? AND workspace = ?"
                " ORDER BY id",
                (platform, workspace),
            )
        ]

    @guarded
    def remove_team_phrase(self, platform: str, workspace: str, phrase_id: int) -> bool:
        return self._changed(
            "DELETE FROM team_phrases WHERE platform = ? AND workspace = ? AND id = ?",
            (platform, workspace, phrase_id),
        )
