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


def test_only_the_holder_renews_a_lease_and_no_one_claims_the_send_meanwhile(
    any_store: Store,
) -> None:
    item = any_store.outbox_put("slack", "T1", "chat.postEphemeral", "{}", "a", T0, LEASE)
    assert any_store.outbox_renew([item.id], "b", T0 + LEASE * 2) == 0  # not b's to renew
    assert any_store.outbox_renew([], "a", T0 + LEASE * 2) == 0
    assert any_store.outbox_renew([item.id], "a", T0 + LEASE * 2) == 1
    assert any_store.outbox_claim(["slack"], "b", T0 + LEASE * 3 / 2, LEASE) == []
    (taken,) = any_store.outbox_claim(["slack"], "b", T0 + LEASE * 2 + timedelta(seconds=1), LEASE)
    assert taken.id == item.id
    assert any_store.outbox_renew([item.id], "a", T0 + LEASE * 4) == 0  # b holds it now
