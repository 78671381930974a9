"""OpenQuestions on every store: one open question per person, replaced, closed, pruned."""

from __future__ import annotations

from datetime import timedelta

from bot.store import Store
from tests.bot.store.rows import P
from tests.fakes import FakeClock


def test_a_question_is_kept_per_person_and_replaced_by_the_next(
    any_store: Store, clock: FakeClock
) -> None:
    asked = clock.now()
    any_store.ask_question(P, "T1", "U1", "when", '{"what": "llamar"}', asked)
    any_store.ask_question(P, "T1", "U2", "what", '{"due": "x"}', asked)
    row = any_store.open_question(P, "T1", "U1")
    assert row is not None and (row.kind, row.body) == ("when", '{"what": "llamar"}')
    assert row.asked_at == asked
    assert any_store.open_question(P, "T2", "U1") is None  # per workspace
    later = asked + timedelta(minutes=5)
    any_store.ask_question(P, "T1", "U1", "new_time", '{"id": 7}', later)
    row = any_store.open_question(P, "T1", "U1")
    assert row is not None and (row.kind, row.asked_at) == ("new_time", later)
    assert any_store.close_question(P, "T1", "U1")
    assert not any_store.close_question(P, "T1", "U1")
    assert any_store.open_question(P, "T1", "U1") is None
    assert any_store.open_question(P, "T1", "U2") is not None  # someone else's stays


def test_prune_forgets_only_questions_asked_before(any_store: Store, clock: FakeClock) -> None:
    any_store.ask_question(P, "T1", "U1", "when", "{}", clock.now())
    clock.advance(timedelta(minutes=31))
    any_store.ask_question(P, "T1", "U2", "when", "{}", clock.now())
    assert any_store.prune_questions(clock.now() - timedelta(minutes=30)) == 1
    assert any_store.open_question(P, "T1", "U1") is None
    assert any_store.open_question(P, "T1", "U2") is not None
