"""`Conversations` on every store: hard conversations found once quiet, offered once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import Store

T = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)


def test_hard_quiet_conversations_are_offered_once(any_store: Store) -> None:
    s = any_store
    s.touch_conversation("slack", "W", "C1", None, "U1", at=T, nudges=1)
    s.touch_conversation("slack", "W", "C1", None, "U1", at=T + timedelta(minutes=5), nudges=1)
    s.touch_conversation("slack", "W", "C2", "t", "U2", at=T, lang="es", register="tu")
    s.touch_conversation("slack", "W", "C3", None, "U3", at=T, abuse=True, lang="en")
    s.touch_conversation("slack", "W", "C3", None, "U3", at=T, lang=None)  # keeps what it knew
    later = T + timedelta(hours=1)
    assert [r.agent for r in s.quiet_hard_conversations(later, 2)] == ["U3", "U1"]
    assert s.quiet_hard_conversations(T + timedelta(minutes=1), 2)[0].agent == "U3"
    assert s.mark_escalated("slack", "W", "C2", "U2") == 1
    rows = {r.agent: r for r in s.quiet_hard_conversations(later, 2)}
    assert rows["U3"].abuse and rows["U3"].lang == "en" and rows["U1"].nudges == 2
    assert rows["U2"].escalated and rows["U2"].register == "tu" and rows["U2"].thread == "t"
    assert s.mark_offered(rows["U1"].id, later)
    assert not s.mark_offered(rows["U1"].id, later)
    assert "U1" not in {r.agent for r in s.quiet_hard_conversations(later, 2)}
    got = s.get_conversation(rows["U1"].id)
    assert got is not None and got.offered_at == later
