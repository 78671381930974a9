"""Nudges on every store: excerpts only, outcomes and feedback, counts and team figures."""

from __future__ import annotations

from datetime import timedelta

from bot.store import FollowupStats, NewNudge, Store
from bot.store.base import EXCERPT_MAX
from tests.bot.conftest import T0
from tests.bot.store.peek import feedback_of
from tests.bot.store.rows import P, W, nudge, promise


def test_record_nudge_keeps_only_an_excerpt(any_store: Store) -> None:
    long_line = "usted debería " + "x" * 1000
    row = any_store.record_nudge(NewNudge(P, W, "U1", "C1", "deberia", "judgement", long_line, T0))
    assert len(row.excerpt) == EXCERPT_MAX
    assert row.excerpt.endswith("…")
    assert any_store.get_nudge(row.id) == row
    assert row.outcome is None and row.created_at == T0


def test_nudge_outcome_and_feedback(any_store: Store) -> None:
    row = any_store.record_nudge(nudge())
    assert any_store.set_nudge_outcome(row.id, "not_applicable", user="U1", at=T0)
    assert any_store.get_nudge(row.id).outcome == "not_applicable"  # type: ignore[union-attr]
    any_store.record_feedback(row.id, user="U1", kind="muted", at=T0 + timedelta(seconds=5))
    assert feedback_of(any_store, row.id) == [
        ("U1", "not_applicable", T0),
        ("U1", "muted", T0 + timedelta(seconds=5)),
    ]
    assert not any_store.set_nudge_outcome(9999, "useful", user="U1", at=T0)


def test_count_nudges_per_day_and_per_rule_window(any_store: Store) -> None:
    for minutes, rule in [(0, "deberia"), (3, "deberia"), (12, "pero"), (30, "deberia")]:
        any_store.record_nudge(nudge(rule=rule, at=T0 + timedelta(minutes=minutes)))
    any_store.record_nudge(nudge(user="U2", at=T0))
    any_store.record_nudge(nudge(at=T0 - timedelta(days=1)))
    assert any_store.count_nudges(P, W, "U1", since=T0) == 4
    assert any_store.count_nudges(P, W, "U1", since=T0 - timedelta(days=2)) == 5
    window = T0 + timedelta(minutes=30) - timedelta(minutes=10)
    assert any_store.count_nudges(P, W, "U1", since=window, rule="deberia") == 1
    assert any_store.count_nudges(P, W, "U1", since=window, rule="pero") == 0
    assert any_store.count_nudges(P, W, "U2", since=T0) == 1


def test_nudge_times_is_what_the_counts_count(any_store: Store) -> None:
    for minutes, rule in [(0, "deberia"), (3, "deberia"), (12, "pero"), (30, "deberia")]:
        any_store.record_nudge(nudge(rule=rule, at=T0 + timedelta(minutes=minutes)))
    any_store.record_nudge(nudge(user="U2", at=T0))
    any_store.record_nudge(nudge(at=T0 - timedelta(days=1)))
    assert any_store.nudge_times(P, W, "U1", since=T0 + timedelta(minutes=3)) == [
        ("deberia", T0 + timedelta(minutes=3)),  # `since` itself counts, as in count_nudges
        ("pero", T0 + timedelta(minutes=12)),
        ("deberia", T0 + timedelta(minutes=30)),
    ]
    for since in (T0, T0 - timedelta(days=2), T0 + timedelta(minutes=3, microseconds=1)):
        times = any_store.nudge_times(P, W, "U1", since=since)
        assert len(times) == any_store.count_nudges(P, W, "U1", since=since)
        assert sum(rule == "deberia" for rule, _ in times) == any_store.count_nudges(
            P, W, "U1", since=since, rule="deberia"
        )
    assert any_store.nudge_times(P, W, "U3", since=T0) == []


def test_team_stats(any_store: Store) -> None:
    since, until = T0, T0 + timedelta(days=7)
    a = any_store.record_nudge(nudge("U1", "deberia", "judgement", T0 + timedelta(hours=1)))
    b = any_store.record_nudge(nudge("U1", "deberia", "judgement", T0 + timedelta(hours=2)))
    any_store.record_nudge(nudge("U2", "pero", "defensive", T0 + timedelta(hours=3)))
    any_store.record_nudge(nudge("U3", "deberia", "judgement", T0 - timedelta(hours=1)))  # before
    any_store.set_nudge_outcome(a.id, "not_applicable", user="U1", at=T0)
    any_store.set_nudge_outcome(b.id, "useful", user="U1", at=T0)
    due = T0 + timedelta(days=1)
    on_time = any_store.add_reminder(promise("U1", due))
    late = any_store.add_reminder(promise("U1", due))
    any_store.add_reminder(promise("U2", due))  # still open
    cancelled = any_store.add_reminder(promise("U2", due))
    any_store.add_reminder(promise("U2", until + timedelta(hours=1)))  # due after the window
    any_store.mark_done(on_time.id, due + timedelta(minutes=20))
    any_store.mark_done(late.id, due + timedelta(hours=3))
    any_store.cancel_reminder(cancelled.id)

    stats = any_store.team_stats(P, W, since=since, until=until)

    assert stats.nudges == 3
    assert stats.by_category == (("judgement", 2), ("defensive", 1))
    deberia = next(r for r in stats.by_rule if r.rule == "deberia")
    assert (deberia.nudges, deberia.useful, deberia.not_applicable) == (2, 1, 1)
    assert deberia.not_applicable_rate == 0.5
    assert stats.followups == FollowupStats(on_time=1, late=1, open=1, cancelled=1)
    assert [(s.user, s.nudges, s.not_applicable) for s in stats.agents] == [
        ("U1", 2, 1),
        ("U2", 1, 0),
    ]
    assert stats.agents[0].followups == FollowupStats(on_time=1, late=1)
    assert stats.agents[1].followups == FollowupStats(open=1, cancelled=1)
    strict = any_store.team_stats(
        P, W, since=since, until=until, on_time_grace=timedelta(minutes=10)
    )
    assert strict.followups.on_time == 0 and strict.followups.late == 2
