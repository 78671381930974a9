"""The outbox on every store: a queued send is held by its instance, claimed by another once the
lease ends, and forgotten once sent."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from tests.bot.conftest import T0

LEASE = timedelta(seconds=30)


def test_a_send_is_queued_claimed_after_its_lease_and_forgotten_once_sent(
    any_store: Store,
) -> None:
    item = any_store.outbox_put("slack", "T1", "chat.postEphemeral", '{"x": 1}', "a", T0, LEASE)
    assert (item.kind, item.payload, item.attempts, item.created_at) == (
        "chat.postEphemeral",
        '{"x": 1}',
        1,
        T0,
    )
    assert any_store.outbox_depth() == 1
    assert any_store.outbox_claim(["slack"], "b", T0 + LEASE / 2, LEASE) == []
    later = T0 + LEASE + timedelta(seconds=1)
    assert any_store.outbox_claim(["teams"], "b", later, LEASE) == []
    (again,) = any_store.outbox_claim(["slack"], "b", later, LEASE)
    assert (again.id, again.workspace, again.attempts) == (item.id, "T1", 2)
    assert any_store.outbox_claim(["slack"], "c", later, LEASE) == []
    any_store.outbox_sent(item.id)
    assert any_store.outbox_depth() == 0
