"""Team phrases on PostgreSQL: adding one in one transaction (the rest is
`bot.store.sql.team_rules`)."""

from __future__ import annotations

from typing import Any

from bot.store.postgres.connection import PgDatabase, marks
from bot.store.sql.team_rules import PHRASE_INSERT, PHRASE_SELECT, SqlTeamPhrases


class PgTeamPhrases(SqlTeamPhrases, PgDatabase):
    """`TeamPhrases` on the shared pool."""

    def _insert_phrase(self, values: tuple[Any, ...], key: tuple[Any, ...]) -> dict[str, Any]:
        with self.tx() as conn:
            conn.execute(marks(PHRASE_INSERT), values)
            row = conn.execute(marks(PHRASE_SELECT), key).fetchone()
        assert row is not None
        return row
