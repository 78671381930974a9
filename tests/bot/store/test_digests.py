"""`Digests` on every store: episodes counted per conversation, digest slots kept and found due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store

T = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)


def test_episodes_count_conversations_with_abuse_and_each_escalation(any_store: Store) -> None:
    for thread in ("t1", "t1", "t2"):
        any_store.record_episode(
            "slack", "W", kind="abuse", channel="C", thread=thread, user=None, at=T
        )
    any_store.record_episode(
        "slack", "W", kind="escalation", channel="C", thread=None, user="U1", at=T
    )
    counts = any_store.count_episodes("slack", "W", since=T, until=T + timedelta(seconds=1))
    assert (counts.abuse, counts.escalations) == (2, 1)
    later = any_store.count_episodes(
        "slack", "W", since=T + timedelta(seconds=1), until=T + timedelta(days=1)
    )
    assert (later.abuse, later.escalations) == (0, 0)


def test_digest_slots_for_current_leads_only(any_store: Store) -> None:
    any_store.ensure_workspace("slack", "W")
    any_store.set_role("slack", "W", "L1", "lead")
    any_store.set_role("slack", "W", "U1", "agent")
    assert any_store.leads_without_digest_slot() == [("slack", "W", "L1")]
    any_store.set_digest_slot("slack", "W", "L1", weekday=0, next_at=T)
    assert any_store.leads_without_digest_slot() == []
    assert any_store.due_digest_slots(T - timedelta(seconds=1)) == []
    (due,) = any_store.due_digest_slots(T)
    assert (due.user, due.weekday, due.next_at) == ("L1", 0, T)
    any_store.set_digest_slot("slack", "W", "L1", weekday=None, next_at=None)
    assert any_store.due_digest_slots(T + timedelta(days=30)) == []
    slot = any_store.digest_slot("slack", "W", "L1")
    assert slot is not None and slot.weekday is None
    any_store.set_digest_slot("slack", "W", "L1", weekday=2, next_at=T)
    any_store.set_role("slack", "W", "L2", "lead")
    any_store.set_role("slack", "W", "L1", "agent")  # no longer a lead: no digest
    assert any_store.due_digest_slots(T) == []


def test_team_phrases_are_kept_per_workspace(any_store: Store) -> None:
    row = any_store.add_team_phrase(
        "slack", "W", phrase="eso lo ve otra área", lang="es", category="defensive",
        suggestion=None, by="L1", at=T,
    )  # fmt: skip
    again = any_store.add_team_phrase(
        "slack", "W", phrase="eso lo ve otra área", lang="es", category="defensive",
        suggestion="otra", by="L2", at=T,
    )  # fmt: skip
    assert again.id == row.id
    allowed = any_store.add_team_phrase(
        "slack", "W", phrase="eso lo ve otra área", lang="es", category=None,
        suggestion=None, by="L1", at=T,
    )  # fmt: skip
    assert [r.category for r in any_store.team_phrases("slack", "W")] == ["defensive", None]
    assert any_store.team_phrases("slack", "X") == []
    assert not any_store.remove_team_phrase("slack", "X", row.id)
    assert any_store.remove_team_phrase("slack", "W", row.id)
    assert [r.id for r in any_store.team_phrases("slack", "W")] == [allowed.id]
