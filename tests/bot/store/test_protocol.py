"""Every store is a `Store`: all the concern protocols at once."""

from __future__ import annotations

import pytest

from bot.store import Store, StoreError


def test_is_a_store(any_store: Store) -> None:
    typed: Store = any_store  # mypy checks the protocol is met
    assert typed is any_store


def test_a_store_that_answers_pings(any_store: Store) -> None:
    any_store.ping()


def test_a_closed_store_fails_its_ping_with_a_store_error(any_store: Store) -> None:
    any_store.close()
    with pytest.raises(StoreError):
        any_store.ping()


def test_a_store_reports_it_can_be_read_and_written(any_store: Store) -> None:
    health = any_store.health()
    assert health["read"] is True and health["write"] is True
