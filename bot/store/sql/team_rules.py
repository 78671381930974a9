"""`TeamPhrases` in the SQL SQLite and PostgreSQL share; adding one (insert, then read back) is
run per store, in its own transaction style (`_insert_phrase`)."""

from __future__ import annotations

from datetime import datetime
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
    """`TeamPhrases` on either store's connection; each store runs `_insert_phrase`."""

    def _insert_phrase(self, values: tuple[Any, ...], key: tuple[Any, ...]) -> dict[str, Any]:
        """Run PHRASE_INSERT with `values`, then PHRASE_SELECT with `key`; the row."""
        raise NotImplementedError

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
        kind = category or "allow"
        values = (platform, workspace, phrase, lang, category, kind, suggestion, by, self._at(at))
        with self._writing(platform, workspace):
            return self._phrase(self._insert_phrase(values, (platform, workspace, phrase, kind)))

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
        kept = self.reads.get(
            (platform, workspace), "phrases", lambda: self._phrases(platform, workspace)
        )
        return list(kept)  # the caller's own list; the rows are frozen

    def _phrases(self, platform: str, workspace: str) -> tuple[TeamPhraseRow, ...]:
        return tuple(
            self._phrase(row)
            for row in self._all(
                f"SELECT {_COLUMNS} FROM team_phrases WHERE platform = ? AND workspace = ?"
                " ORDER BY id",
                (platform, workspace),
            )
        )

    @guarded
    def remove_team_phrase(self, platform: str, workspace: str, phrase_id: int) -> bool:
        with self._writing(platform, workspace):
            return self._changed(
                "DELETE FROM team_phrases WHERE platform = ? AND workspace = ? AND id = ?",
                (platform, workspace, phrase_id),
            )
