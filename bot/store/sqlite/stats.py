"""Team figures for `/coach equipo`, computed from nudges and reminders in a window."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.store.base import AgentStats, FollowupStats, RuleStats, TeamStats
from bot.store.convert import from_iso, from_iso_required, to_iso

_USEFUL = "COUNT(CASE WHEN outcome = 'useful' THEN 1 END)"
_NOT_APPLICABLE = "COUNT(CASE WHEN outcome = 'not_applicable' THEN 1 END)"


def team_stats(
    db: Database,
    platform: str,
    workspace: str,
    since: datetime,
    until: datetime,
    on_time_grace: timedelta,
) -> TeamStats:
    """Aggregate nudges created and reminders due in [since, until)."""
    window = (platform, workspace, to_iso(since), to_iso(until))
    in_window = "platform = ? AND workspace = ? AND {col} >= ? AND {col} < ?"
    by_category = tuple(
        (row["category"], row["n"])
        for row in db.query(
            "SELECT category, COUNT(*) AS n FROM nudges WHERE "
            + in_window.format(col="created_at")
            + " GROUP BY category ORDER BY n DESC, category",
            window,
        )
    )
    by_rule = tuple(
        RuleStats(row["rule"], row["category"], row["n"], row["useful"], row["na"])
        for row in db.query(
            "SELECT rule, category, COUNT(*) AS n,"
            f" {_USEFUL} AS useful, {_NOT_APPLICABLE} AS na"
            " FROM nudges WHERE "
            + in_window.format(col="created_at")
            + " GROUP BY rule, category ORDER BY n DESC, rule",
            window,
        )
    )
    per_user_nudges: dict[str, tuple[int, int]] = {
        row["user"]: (row["n"], row["na"])
        for row in db.query(
            f"SELECT user, COUNT(*) AS n, {_NOT_APPLICABLE} AS na FROM nudges WHERE "
            + in_window.format(col="created_at")
            + " GROUP BY user",
            window,
        )
    }
    team_followups: Counter[str] = Counter()
    user_followups: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for row in db.query(
        "SELECT user, status, due_at, done_at FROM reminders WHERE "
        + in_window.format(col="due_at"),
        window,
    ):
        kind = _followup_kind(row["status"], row["due_at"], row["done_at"], on_time_grace)
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


def _followup_kind(status: str, due_at: str, done_at: str | None, grace: timedelta) -> str:
    """Classify one reminder: on_time, late, open or cancelled."""
    if status == "cancelled":
        return "cancelled"
    done = from_iso(done_at)
    if status != "done" or done is None:
        return "open"
    return "on_time" if done <= from_iso_required(due_at) + grace else "late"


def _followups(counts: Counter[str]) -> FollowupStats:
    return FollowupStats(
        on_time=counts["on_time"],
        late=counts["late"],
        open=counts["open"],
        cancelled=counts["cancelled"],
    )
