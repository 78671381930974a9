"""Team phrases on PostgreSQL: adding one in one transaction (the rest is
`bot.store.sql.team_rules`)."""

from __future__ import annotations

from datetime import datetime

from bot.store.postgres.connection import PgDatabase, guarded, marks
from bot.store.sql.team_rules import PHRASE_INSERT, PHRASE_SELECT, SqlTeamPhrases
from bot.store.team_rules import TeamPhraseRow


class PgTeamPhrases(SqlTeamPhrases, PgDatabase):
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
                marks(PHRASE_INSERT),
                (platform, workspace, phrase, lang, category, kind, suggestion, by, self._at(at)),
            )
            row = conn.execute(marks(PHRASE_SELECT), (platform, workspace, phrase, kind)).fetchone()
        return self._phrase(row)
