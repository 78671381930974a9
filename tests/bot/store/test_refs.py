"""ConversationRefs on every store: the last reference kept per person wins."""

from __future__ import annotations

from bot.store import Store


def test_conversation_refs(any_store: Store) -> None:
    assert any_store.conversation_ref("teams", "tenant", "29:1") is None
    any_store.save_conversation_ref("teams", "tenant", "29:1", '{"a": 1}')
    any_store.save_conversation_ref("teams", "tenant", "29:1", '{"a": 2}')
    assert any_store.conversation_ref("teams", "tenant", "29:1") == '{"a": 2}'
