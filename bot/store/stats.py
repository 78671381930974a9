"""Team figures for `/coach equipo`, computed from nudges and reminders in a window.

The SQL is plain enough for SQLite and PostgreSQL alike (`?` marks; `"user"` quoted, as
PostgreSQL reserves the word); each store passes how it runs a query and how it keeps instants.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.store.base import AgentStats, FollowupStats, RuleStats, TeamStats

Query = Callable[[str, tuple[Any, ...]], Iterable[Mapping[str, Any]]]

_USEFUL = "COUNT(CASE WHEN outcome = 'useful' THEN 1 END)"
_NOT_APPLICABLE = "COUNT(CASE WHEN outcome = 'not_applicable' THEN 1 END)"


def team_stats(
    query: Query,
    platform: str,
    workspace: str,
    since: datetime,
    until: datetime,
    on_time_grace: timedelta,
    *,
    to_db: Callable[[datetime], Any],
    from_db: Callable[[Any], datetime | None],
) -> TeamStats:
    """Aggregate nudges created and reminders due in [since, until)."""
    window = (platform, workspace, to_db(since), to_db(until))
    in_window = "platform = ? AND workspace = ? AND {col} >= ? AND {col} < ?"
    by_category = tuple(
        (row["category"], int(row["n"]))
        for row in query(
            "SELECT category, COUNT(*) AS n FROM nudges WHERE "
            + in_window.format(col="created_at")
            + " GROUP BY category ORDER BY n DESC, category",
            window,
        )
    )
    by_rule = tuple(
        RuleStats(row["rule"], row["category"], int(row["n"]), int(row["useful"]), int(row["na"]))
        for row in query(
            "SELECT rule, category, COUNT(*) AS n,"
            f" {_USEFUL} AS useful, {_NOT_APPLICABLE} AS na"
            " FROM nudges WHERE "
            + in_window.format(col="created_at")
            + " GROUP BY rule, category ORDER BY n DESC, rule",
            window,
        )
    )
    per_user_nudges: dict[str, tuple[int, int]] = {
        row["user"]: (int(row["n"]), int(row["na"]))
        for row in query(
            f'SELECT "user", COUNT(*) AS n, {_NOT_APPLICABLE} AS na FROM nudges WHERE '
            + in_window.format(col="created_at")
            + ' GROUP BY "user"',
            window,
        )
    }
    team_followups: Counter[str] = Counter()
    user_followups: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for row in query(
        'SELECT "user", status, due_at, done_at FROM reminders WHERE '
        + in_window.format(col="due_at"),
        window,
    ):
        due = from_db(row["due_at"])
        assert due is not None
        kind = _followup_kind(row["status"], due, from_db(row["done_at"]), on_time_grace)
        team_followups[kind] += 1
        user_followups[row["user"]][kind] += 1
    agents = tuple(
        AgentStats(
            user=user,
            nudges=per_user_nudges.get(user, (0, 0))[0],
            not_applicable=per_user_nudges.get(user, (0, 0))[1],
            followups=_followups(user_followups.get(user, Counter())),
        )
        for user in sorted(set(per_user_nudges) | set(user_followups))
    )
    return TeamStats(
        since=since,
        until=until,
        nudges=sum(n for _, n in by_category),
        by_category=by_category,
        by_rule=by_rule,
        followups=_followups(team_followups),
        agents=agents,
    )


def _followup_kind(status: str, due: datetime, done: datetime | None, grace: timedelta) -> str:
    """Classify one reminder: on_time, late, open or cancelled."""
    if status == "cancelled":
        return "cancelled"
    if status != "done" or done is None:
        return "open"
    return "on_time" if done <= due + grace else "late"


def _followups(counts: Counter[str]) -> FollowupStats:
    return FollowupStats(
        on_time=counts["on_time"],
        late=counts["late"],
        open=counts["open"],
        cancelled=counts["cancelled"],
    )
