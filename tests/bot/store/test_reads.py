"""A workspace's settings kept in memory (bot/store/reads.py): read once a second, forgotten at
once on this store's own writes, another instance's writes seen within READ_TTL_SECONDS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.store import SqliteStore, Store
from bot.store.postgres import PgStore
from bot.store.reads import MAX_ENTRIES, READ_TTL_SECONDS, ReadCache
from tests.bot.conftest import T0
from tests.fakes import FakeClock

P, W = "slack", "T1"


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# ---- the cache itself ----


def test_a_value_is_read_once_within_its_time_then_again() -> None:
    ticks = Ticks()
    cache = ReadCache(ttl=1.0, clock=ticks)
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    assert cache.get((P, W), "k", load) == 1
    ticks.now += 0.99
    assert cache.get((P, W), "k", load) == 1
    ticks.now += 0.01
    assert cache.get((P, W), "k", load) == 2
    assert len(loads) == 2


def test_forget_drops_one_workspace_and_clear_all() -> None:
    cache = ReadCache(ttl=1.0, clock=Ticks())
    cache.get((P, W), "k", lambda: "a")
    cache.get((P, "T2"), "k", lambda: "b")
    cache.forget(P, W)
    assert cache.get((P, W), "k", lambda: "new") == "new"
    assert cache.get((P, "T2"), "k", lambda: "new") == "b"
    cache.clear()
    assert cache.get((P, "T2"), "k", lambda: "new") == "new"


def test_a_read_overtaken_by_a_write_is_not_kept() -> None:
    cache = ReadCache(ttl=1.0, clock=Ticks())

    def load_while_written() -> str:
        cache.forget(P, W)  # a write lands while the read is under way
        return "before the write"

    assert cache.get((P, W), "k", load_while_written) == "before the write"
    assert cache.get((P, W), "k", lambda: "after") == "after"


def test_none_is_not_kept_and_ttl_zero_keeps_nothing() -> None:
    cache = ReadCache(ttl=1.0, clock=Ticks())
    assert cache.get((P, W), "k", lambda: None) is None
    assert cache.get((P, W), "k", lambda: "created") == "created"
    off = ReadCache(ttl=0.0, clock=Ticks())
    off.get((P, W), "k", lambda: "a")
    assert off.get((P, W), "k", lambda: "b") == "b"
    assert len(off) == 0


def test_memory_stays_bounded() -> None:
    ticks = Ticks()
    cache = ReadCache(ttl=1.0, clock=ticks)
    for n in range(MAX_ENTRIES * 3):
        if n % 1000 == 0:
            ticks.now += 2.0  # what came before has expired
        cache.get((P, f"T{n}"), "k", str)
    assert len(cache) <= MAX_ENTRIES
    for n in range(MAX_ENTRIES * 2):  # none expires: dropped all the same
        cache.get((P, f"U{n}"), "k", str)
    assert len(cache) <= MAX_ENTRIES


def test_expired_entries_are_dropped_once_per_ttl_not_only_when_full() -> None:
    """A person's row is kept per person: with many people each seen once in a while, memory
    holds about one TTL's worth of them, not MAX_ENTRIES."""
    ticks = Ticks()
    cache = ReadCache(ttl=1.0, clock=ticks)
    for n in range(1000):
        cache.get((P, W), ("user", n), str)
    ticks.now += 1.5
    cache.get((P, W), "k", str)
    assert len(cache) == 1


# ---- on every store ----

SETTINGS: dict[str, tuple[Callable[[Store], object], Callable[[Store], object]]] = {
    # name: (write, read)
    "pause": (
        lambda s: s.set_channel_paused(P, W, "C1", True),
        lambda s: s.is_channel_paused(P, W, "C1"),
    ),
    "customer": (lambda s: s.add_customer(P, W, "U9"), lambda s: s.customers(P, W)),
    "rule": (lambda s: s.disable_rule(P, W, "judgement.es.x"), lambda s: s.disabled_rules(P, W)),
    "phrase": (
        lambda s: s.add_team_phrase(
            P, W, phrase="ni modo", lang="es", category="judgement", suggestion=None, by="L", at=T0
        ),
        lambda s: [r.phrase for r in s.team_phrases(P, W)],
    ),
    "cap": (
        lambda s: s.update_workspace(P, W, daily_cap=3),
        lambda s: s.get_workspace(P, W).daily_cap,  # type: ignore[union-attr]
    ),
    # a person's row, read on every line they write (a person with no row is kept too)
    "zone": (
        lambda s: s.set_user_settings(P, W, "U5", tz="Europe/Madrid"),
        lambda s: getattr(s.get_user(P, W, "U5"), "tz", None) == "Europe/Madrid",
    ),
    "mute": (
        lambda s: s.mute(P, W, "U5", T0 + timedelta(hours=1)),
        lambda s: getattr(s.get_user(P, W, "U5"), "muted_until", None) is not None,
    ),
    "role": (
        lambda s: s.set_role(P, W, "U5", "lead"),
        lambda s: getattr(s.get_user(P, W, "U5"), "role", None) == "lead",
    ),
}


def _undo(store: Store, name: str) -> None:
    """The setting's write undone, through `store`."""
    if name == "pause":
        store.set_channel_paused(P, W, "C1", False)
    elif name == "customer":
        store.remove_customer(P, W, "U9")
    elif name == "rule":
        store.enable_rule(P, W, "judgement.es.x")
    elif name == "phrase":
        store.remove_team_phrase(P, W, store.team_phrases(P, W)[0].id)
    elif name == "zone":
        store.set_user_settings(P, W, "U5", tz="UTC")
    elif name == "mute":
        store.mute(P, W, "U5", None)
    elif name == "role":
        store.set_role(P, W, "U5", "agent")
    else:
        store.update_workspace(P, W, daily_cap=20)


@pytest.fixture
def frozen(any_store: Store) -> Ticks:
    """`any_store` whose kept reads never expire unless the test moves the ticks."""
    ticks = Ticks()
    any_store.reads.clock = ticks
    any_store.ensure_workspace(P, W)
    return ticks


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_the_stores_own_writes_are_read_at_once(any_store: Store, frozen: Ticks, name: str) -> None:
    write, read = SETTINGS[name]
    before = read(any_store)  # kept
    write(any_store)
    after = read(any_store)
    assert after != before
    _undo(any_store, name)
    assert read(any_store) == before


@pytest.fixture
def two_instances(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> Iterator[tuple[Store, Store, Ticks]]:
    """Two stores on one database (two instances, or two processes on one SQLite file); the
    first one's kept reads expire only when the test moves its ticks."""
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        first: Store = PgStore(url, clock=clock)
        second: Store = PgStore(url, clock=clock)
    else:
        first = SqliteStore(tmp_path / "calma.db", clock=clock)
        second = SqliteStore(tmp_path / "calma.db", clock=clock)
    ticks = Ticks()
    first.reads.clock = ticks
    first.ensure_workspace(P, W)
    yield first, second, ticks
    first.close()
    second.close()


@pytest.mark.parametrize("two_instances", ["sqlite-file", "postgres"], indirect=True)
@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_another_instances_write_is_seen_within_the_ttl(
    two_instances: tuple[Store, Store, Ticks], name: str
) -> None:
    here, there, ticks = two_instances
    write, read = SETTINGS[name]
    before = read(here)
    write(there)
    assert read(here) == before  # the documented staleness: at most READ_TTL_SECONDS
    ticks.now += READ_TTL_SECONDS
    assert read(here) == read(there) != before


def test_a_rolled_back_batch_leaves_nothing_kept(tmp_path: Path, clock: FakeClock) -> None:
    store = SqliteStore(tmp_path / "calma.db", clock=clock)
    store.reads.clock = Ticks()
    store.ensure_workspace(P, W)
    with pytest.raises(RuntimeError), store.batch():
        store.add_customer(P, W, "U9")
        assert store.customers(P, W) == {"U9"}  # read inside the batch: kept
        raise RuntimeError("the line failed")
    assert store.customers(P, W) == frozenset()
    store.close()
