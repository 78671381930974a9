"""Nudges and feedback on PostgreSQL, and the figures leads see."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, cast

import psycopg

from bot.store.base import ON_TIME_GRACE, NewNudge, NudgeRow, Outcome, TeamStats
from bot.store.convert import aware, excerpt
from bot.store.postgres.connection import Conn, PgDatabase, guarded
from bot.store.stats import team_stats

_NUDGE_COLUMNS = (
    'id, platform, workspace, "user", channel, rule, category, excerpt, created_at, outcome'
)


class PgNudges(PgDatabase):
    """`Nudges` on the shared pool."""

    @contextmanager
    def nudge_turn(self, platform: str, workspace: str, user: str) -> Iterator[None]:
        """A session advisory lock on the person, held on its own pooled connection for the
        block: another instance deciding a nudge for the same person waits (a crash ends the
        session and frees the lock)."""
        key = f"nudge:{platform}:{workspace}:{user}"
        try:
            with self.statement() as conn:
                conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
                try:
                    yield
                finally:
                    conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
        except psycopg.Error as exc:
            raise self.explain(exc) from exc

    @guarded
    def record_nudge(self, nudge: NewNudge) -> NudgeRow:
        row = self._one(
            'INSERT INTO nudges (platform, workspace, "user", channel, rule, category, created_at,'
            f" excerpt) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING {_NUDGE_COLUMNS}",
            (
                nudge.platform,
                nudge.workspace,
                nudge.user,
                nudge.channel,
                nudge.rule,
                nudge.category,
                aware(nudge.created_at),
                excerpt(nudge.excerpt),
            ),
        )
        assert row is not None
        return NudgeRow(**row)

    @guarded
    def get_nudge(self, nudge_id: int) -> NudgeRow | None:
        row = self._one(f"SELECT {_NUDGE_COLUMNS} FROM nudges WHERE id = %s", (nudge_id,))
        return None if row is None else NudgeRow(**row)

    @guarded
    def set_nudge_outcome(
        self, nudge_id: int, outcome: Outcome, *, user: str, at: datetime
    ) -> bool:
        with self.tx() as conn:
            changed = conn.execute(
                "UPDATE nudges SET outcome = %s WHERE id = %s", (outcome, nudge_id)
            ).rowcount
            if changed:
                _insert_feedback(conn, nudge_id, user, outcome, at)
        return changed == 1

    @guarded
    def record_feedback(self, nudge_id: int, *, user: str, kind: str, at: datetime) -> None:
        with self.statement() as conn:
            _insert_feedback(conn, nudge_id, user, kind, at)

    @guarded
    def count_nudges(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        since: datetime,
        rule: str | None = None,
    ) -> int:
        sql = (
            "SELECT COUNT(*) AS n FROM nudges"
            ' WHERE platform = %s AND workspace = %s AND "user" = %s AND created_at >= %s'
        )
        params: tuple[Any, ...] = (platform, workspace, user, since)
        if rule is not None:
            sql += " AND rule = %s"
            params += (rule,)
        row = self._one(sql, params)
        return int(row["n"]) if row else 0

    @guarded
    def nudges_by_category(
        self, platform: str, workspace: str, user: str, *, since: datetime
    ) -> tuple[tuple[str, int], ...]:
        return tuple(
            (row["category"], int(row["n"]))
            for row in self._all(
                "SELECT category, COUNT(*) AS n FROM nudges"
                ' WHERE platform = %s AND workspace = %s AND "user" = %s AND created_at >= %s'
                " GROUP BY category ORDER BY n DESC, category",
                (platform, workspace, user, since),
            )
        )

    @guarded
    def team_stats(
        self,
        platform: str,
        workspace: str,
        *,
        since: datetime,
        until: datetime,
        on_time_grace: timedelta = ON_TIME_GRACE,
    ) -> TeamStats:
        def query(sql: str, params: tuple[Any, ...]) -> list[Mapping[str, Any]]:
            return cast(list[Mapping[str, Any]], self._all(sql.replace("?", "%s"), params))

        return team_stats(
            query,
            platform,
            workspace,
            since,
            until,
            on_time_grace,
            to_db=lambda moment: moment,
            from_db=lambda value: cast(datetime | None, value),
        )


def _insert_feedback(conn: Conn, nudge_id: int, user: str, kind: str, at: datetime) -> None:
    conn.execute(
        'INSERT INTO feedback (nudge_id, "user", kind, at) VALUES (%s, %s, %s, %s)',
        (nudge_id, user, kind, at),
    )
