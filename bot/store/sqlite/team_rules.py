"""Team phrases on SQLite."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.convert import from_iso_required, to_iso
from bot.store.sqlite.connection import SqliteFile, guarded
from bot.store.team_rules import TeamPhraseRow


def _row(row: dict[str, Any]) -> TeamPhraseRow:
    return TeamPhraseRow(
        id=row["id"],
        platform=row["platform"],
        workspace=row["workspace"],
        phrase=row["phrase"],
        lang=row["lang"],
        category=row["category"],
        suggestion=row["suggestion"],
        created_by=row["created_by"],
        created_at=from_iso_required(row["created_at"]),
    )


class SqliteTeamPhrases(SqliteFile):
    """`TeamPhrases` on the shared SQLite connection."""

    @guarded
    def add_team_phrase(
        self,
        platform: str,
        workspace: str,
        *,
        phrase: str,
        lang: str,
        category: str | None,
        suggestion: str | None,
        by: str,
        at: datetime,
    ) -> TeamPhraseRow:
        self.db.execute(
            "INSERT OR IGNORE INTO team_phrases (platform, workspace, phrase, lang, category,"
            " kind, suggestion, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                platform,
                workspace,
                phrase,
                lang,
                category,
                category or "allow",
                suggestion,
                by,
                to_iso(at),
            ),
        )
        row = self._one(
            "SELECT * FROM team_phrases WHERE platform = ? AND workspace = ? AND phrase = ?"
            " AND kind = ?",
            (platform, workspace, phrase, category or "allow"),
        )
        assert row is not None
        return _row(row)

    @guarded
    def team_phrases(self, platform: str, workspace: str) -> list[TeamPhraseRow]:
        return [
            _row(row)
            for row in self.db.query(
                "SELECT * FROM team_phrases WHERE platform = ? AND workspace = ? ORDER BY id",
                (platform, workspace),
            )
        ]

    @guarded
    def remove_team_phrase(self, platform: str, workspace: str, phrase_id: int) -> bool:
        return self._changed(
            "DELETE FROM team_phrases WHERE platform = ? AND workspace = ? AND id = ?",
            (platform, workspace, phrase_id),
        )
