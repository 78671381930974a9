"""The inbox on every store: one row per event key, a lease that ends frees it for a replay, and
the body is erased once handled."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from tests.bot.conftest import T0

LEASE = timedelta(seconds=30)


def test_an_event_is_kept_once_per_key(any_store: Store) -> None:
    item = any_store.inbox_put("slack", "Ev1", '{"a": 1}', "a", T0, LEASE)
    assert item is not None and item.key == "Ev1" and item.body == '{"a": 1}'
    assert item.attempts == 1 and item.received_at == T0
    assert any_store.inbox_put("slack", "Ev1", '{"a": 1}', "b", T0, LEASE) is None  # a retry
    assert any_store.inbox_put("teams", "Ev1", "{}", "b", T0, LEASE) is not None  # other door


def test_an_unhandled_event_is_replayed_once_its_lease_ends(any_store: Store) -> None:
    item = any_store.inbox_put("slack", "Ev1", "{}", "a", T0, LEASE)
    assert item is not None
    assert any_store.inbox_claim(["slack"], "b", T0 + LEASE / 2, LEASE) == []  # a still holds it
    later = T0 + LEASE + timedelta(seconds=1)
    assert any_store.inbox_claim(["teams"], "b", later, LEASE) == []  # not b's door
    (again,) = any_store.inbox_claim(["slack"], "b", later, LEASE)
    assert (again.id, again.body, again.attempts) == (item.id, "{}", 2)
    assert any_store.inbox_claim(["slack"], "c", later, LEASE) == []  # b holds it now


def test_a_handled_event_is_not_replayed_and_its_body_is_erased(any_store: Store) -> None:
    item = any_store.inbox_put("slack", "Ev1", '{"text": "private"}', "a", T0, LEASE)
    assert item is not None
    any_store.inbox_done(item.id, T0)
    assert any_store.inbox_claim(["slack"], "b", T0 + 2 * LEASE, LEASE) == []
    assert any_store.inbox_put("slack", "Ev1", "{}", "b", T0, LEASE) is None  # still deduped
    assert any_store.inbox_prune(T0) == 0
    assert any_store.inbox_prune(T0 + timedelta(seconds=1)) == 1


def test_only_the_holder_renews_the_lease_of_an_event_it_is_still_handling(
    any_store: Store,
) -> None:
    item = any_store.inbox_put("slack", "Ev1", "{}", "a", T0, LEASE)
    other = any_store.inbox_put("slack", "Ev2", "{}", "a", T0, LEASE)
    assert item is not None and other is not None
    any_store.inbox_done(other.id, T0)
    assert any_store.inbox_renew([item.id], "b", T0 + LEASE * 2) == 0  # not b's
    assert any_store.inbox_renew([item.id, other.id], "a", T0 + LEASE * 2) == 1  # Ev2 is done
    assert any_store.inbox_claim(["slack"], "b", T0 + LEASE * 3 / 2, LEASE) == []
    (again,) = any_store.inbox_claim(["slack"], "b", T0 + LEASE * 2 + timedelta(seconds=1), LEASE)
    assert again.id == item.id
