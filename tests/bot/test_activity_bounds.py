"""ActiveAgents stays bounded however many people write (issue 12: RSS flat under load)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.model import IncomingMessage
from bot.service.activity import MAX_PER_CHANNEL, ActiveAgents

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)


def line(author: str, thread: str | None = None) -> IncomingMessage:
    return IncomingMessage(
        platform="slack",
        workspace="T1",
        channel="C1",
        thread=thread,
        author=author,
        is_customer=False,
        text="hola",
        ts=T0,
        event_id=f"e-{author}",
    )


def test_many_writers_keep_only_the_most_recent_per_channel() -> None:
    agents = ActiveAgents()
    for i in range(20_000):
        agents.saw(
            line(f"U{i:05d}", thread=f"{i}.1" if i % 2 else None), T0 + timedelta(milliseconds=i)
        )
    assert len(agents) <= 2 * MAX_PER_CHANNEL
    now = T0 + timedelta(seconds=30)
    active = agents.active("slack", "T1", "C1", None, now)
    assert len(active) == MAX_PER_CHANNEL
    assert "U19999" in active and "U00000" not in active


def test_writers_out_of_the_window_are_forgotten_as_new_lines_come() -> None:
    agents = ActiveAgents()
    agents.saw(line("U_OLD"), T0)
    later = T0 + timedelta(minutes=31)
    agents.saw(line("U_NEW"), later)
    assert agents.active("slack", "T1", "C1", None, later) == ["U_NEW"]
    assert agents.known("slack", "T1", "C1", later) == ["U_NEW", "U_OLD"]  # 7 days for known
    assert agents.known("slack", "T1", "C1", T0 + timedelta(days=8)) == []


def test_a_writer_again_moves_to_the_newest() -> None:
    agents = ActiveAgents()
    agents.saw(line("U_A"), T0)
    agents.saw(line("U_B"), T0 + timedelta(minutes=10))
    agents.saw(line("U_A"), T0 + timedelta(minutes=20))
    at = T0 + timedelta(minutes=35)  # U_B's line is 25 min old, U_A's latest 15
    agents.saw(line("U_C"), at)
    assert agents.active("slack", "T1", "C1", None, at) == ["U_A", "U_B", "U_C"]
    assert agents.active("slack", "T1", "C1", None, at + timedelta(minutes=6)) == ["U_A", "U_C"]
