"""SeenEvents on every store: an event id counts once per platform until it is pruned."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from tests.bot.store.rows import P
from tests.fakes import FakeClock


def test_mark_seen_dedupes_and_prunes(any_store: Store, clock: FakeClock) -> None:
    assert any_store.mark_seen(P, "Ev1")
    assert not any_store.mark_seen(P, "Ev1")
    assert any_store.mark_seen("teams", "Ev1")  # per platform
    clock.advance(timedelta(days=8))
    assert any_store.mark_seen(P, "Ev2")
    assert any_store.prune_seen(older_than_days=7) == 2
    assert any_store.mark_seen(P, "Ev1")  # forgotten after the prune
    assert not any_store.mark_seen(P, "Ev2")


def test_unmark_seen_forgets_only_the_given_ids(any_store: Store) -> None:
    assert any_store.mark_seen("slack", "Ev1") and any_store.mark_seen("slack", "Ev2")
    assert any_store.unmark_seen("slack", ["Ev1", "mention:Ev1"]) == 1
    assert any_store.mark_seen("slack", "Ev1")
    assert not any_store.mark_seen("slack", "Ev2")
