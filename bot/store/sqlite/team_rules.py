"""Team phrases on SQLite: adding one (the rest is `bot.store.sql.team_rules`)."""

from __future__ import annotations

from datetime import datetime

from bot.store.sql.team_rules import PHRASE_INSERT, PHRASE_SELECT, SqlTeamPhrases
from bot.store.sqlite.connection import SqliteFile, guarded
from bot.store.team_rules import TeamPhraseRow


class SqliteTeamPhrases(SqlTeamPhrases, SqliteFile):
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
        kind = category or "allow"
        self.db.execute(
            PHRASE_INSERT,
            (platform, workspace, phrase, lang, category, kind, suggestion, by, self._at(at)),
        )
        return self._phrase(self._one(PHRASE_SELECT, (platform, workspace, phrase, kind)))
