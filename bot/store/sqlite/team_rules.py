"""Team phrases on SQLite: adding one (the rest is `bot.store.sql.team_rules`)."""

from __future__ import annotations

from typing import Any

from bot.store.sql.team_rules import PHRASE_INSERT, PHRASE_SELECT, SqlTeamPhrases
from bot.store.sqlite.connection import SqliteFile


class SqliteTeamPhrases(SqlTeamPhrases, SqliteFile):
    """`TeamPhrases` on the shared SQLite connection."""

    def _insert_phrase(self, values: tuple[Any, ...], key: tuple[Any, ...]) -> dict[str, Any]:
        self.db.execute(PHRASE_INSERT, values)
        row = self._one(PHRASE_SELECT, key)
        assert row is not None
        return row
