"""`Nudges` in the SQL SQLite and PostgreSQL share: the nudge row, feedback, counts and the
figures leads see. Recording a nudge and its outcome are run per store."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple, cast

from bot.store.base import ON_TIME_GRACE, NewNudge, NudgeRow, Outcome, TeamStats
from bot.store.convert import excerpt
from bot.store.sql import SqlTables, guarded
from bot.store.stats import team_stats

NUDGE_COLUMNS = (
    'id, platform, workspace, "user", channel, rule, category, excerpt, created_at, outcome'
)
NUDGE_INSERT = (
    'INSERT INTO nudges (platform, workspace, "user", channel, rule, category, created_at,'
    " excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
FEEDBACK_INSERT = 'INSERT INTO feedback (nudge_id, "user", kind, at) VALUES (?, ?, ?, ?)'
OUTCOME_UPDATE = "UPDATE nudges SET outcome = ? WHERE id = ?"


class NudgeValues(NamedTuple):
    """NUDGE_INSERT's values, in its column order."""

    platform: str
    workspace: str
    user: str
    channel: str
    rule: str
    category: str
    created_at: Any  # as the dialect stores an instant (`SqlTables._at`)
    excerpt: str


class SqlNudges(SqlTables):
    """The `Nudges` methods that are one statement in both dialects."""

    def _nudge_values(self, nudge: NewNudge) -> NudgeValues:
        """NUDGE_INSERT's values: the excerpt only, never the whole line."""
        return NudgeValues(
            nudge.platform,
            nudge.workspace,
            nudge.user,
            nudge.channel,
            nudge.rule,
            nudge.category,
            self._at(nudge.created_at),
            excerpt(nudge.excerpt),
        )

    def _nudge(self, row: dict[str, Any] | None) -> NudgeRow:
        assert row is not None
        return NudgeRow(
            id=row["id"],
            platform=row["platform"],
            workspace=row["workspace"],
            user=row["user"],
            channel=row["channel"],
            rule=row["rule"],
            category=row["category"],
            excerpt=row["excerpt"],
            created_at=self._instant_required(row["created_at"]),
            outcome=cast(Outcome | None, row["outcome"]),
        )

    @guarded
    def get_nudge(self, nudge_id: int) -> NudgeRow | None:
        row = self._one(f"SELECT {NUDGE_COLUMNS} FROM nudges WHERE id = ?", (nudge_id,))
        return None if row is None else self._nudge(row)

    @guarded
    def record_feedback(self, nudge_id: int, *, user: str, kind: str, at: datetime) -> None:
        self._rowcount(FEEDBACK_INSERT, (nudge_id, user, kind, self._at(at)))

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
            ' WHERE platform = ? AND workspace = ? AND "user" = ? AND created_at >= ?'
        )
        params: tuple[Any, ...] = (platform, workspace, user, self._at(since))
        if rule is not None:
            sql += " AND rule = ?"
            params += (rule,)
        row = self._one(sql, params)
        return int(row["n"]) if row else 0

    @guarded
    def nudge_times(
        self, platform: str, workspace: str, user: str, *, since: datetime
    ) -> list[tuple[str, datetime]]:
        return [
            (row["rule"], self._instant_required(row["created_at"]))
            for row in self._all(
                "SELECT rule, created_at FROM nudges"
                ' WHERE platform = ? AND workspace = ? AND "user" = ? AND created_at >= ?'
                " ORDER BY created_at, id",
                (platform, workspace, user, self._at(since)),
            )
        ]

    @guarded
    def nudges_by_category(
        self, platform: str, workspace: str, user: str, *, since: datetime
    ) -> tuple[tuple[str, int], ...]:
        return tuple(
            (row["category"], int(row["n"]))
            for row in self._all(
                "SELECT category, COUNT(*) AS n FROM nudges"
                ' WHERE platform = ? AND workspace = ? AND "user" = ? AND created_at >= ?'
                " GROUP BY category ORDER BY n DESC, category",
                (platform, workspace, user, self._at(since)),
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
        return team_stats(
            self._all,
            platform,
            workspace,
            since,
            until,
            on_time_grace,
            to_db=self._at,
            from_db=self._instant,
        )
