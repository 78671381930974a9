"""Team phrases on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from bot.store.convert import aware
from bot.store.postgres.connection import PgDatabase, guarded
from bot.store.team_rules import TeamPhraseRow

_COLUMNS = "id, platform, workspace, phrase, lang, category, suggestion, created_by, created_at"


class PgTeamPhrases(PgDatabase):
    """`TeamPhrases` on the shared pool."""

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
        with self.tx() as conn:
            conn.execute(
                "INSERT INTO team_phrases (platform, workspace, phrase, lang, category, kind,"
                " suggestion, created_by, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                (platform, workspace, phrase, lang, category, kind, suggestion, by, aware(at)),
            )
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM team_phrases WHERE platform = %s AND workspace = %s"
                " AND phrase = %s AND kind = %s",
                (platform, workspace, phrase, kind),
            ).fetchone()
        assert row is not None
        return TeamPhraseRow(**row)

    @guarded
    def team_phrases(self, platform: str, workspace: str) -> list[TeamPhraseRow]:
        return [
            TeamPhraseRow(**row)
            for row in self._all(
                f"SELECT {_COLUMNS} FROM team_phrases WHERE platform = %s AND workspace = %s"
                " ORDER BY id",
                (platform, workspace),
            )
        ]

    @guarded
    def remove_team_phrase(self, platform: str, workspace: str, phrase_id: int) -> bool:
        return self._changed(
            "DELETE FROM team_phrases WHERE platform = %s AND workspace = %s AND id = %s",
            (platform, workspace, phrase_id),
        )
