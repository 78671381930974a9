"""Every store is a `Store`: all the concern protocols at once."""

from __future__ import annotations

from bot.store import Store


def test_is_a_store(any_store: Store) -> None:
    typed: Store = any_store  # mypy checks the protocol is met
    assert typed is any_store
