"""Fixtures for bot tests: a fake clock, a SQLite store in tmp_path, a recording notifier."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest

from bot.model import Card, DirectMessage, Platform
from bot.store.base import ReminderRow
from bot.store.sqlite import SqliteStore
from tests.fakes import FakeClock

T0 = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)


class RecordingNotifier:
    """A Notifier that keeps what it was asked to send; can be told to fail the next N sends."""

    def __init__(self) -> None:
        self.sent: list[DirectMessage] = []
        self.fail_next = 0
        self.attempts = 0
        self.gate: asyncio.Event | None = None  # when set: each send waits for it (a slow one)

    async def deliver(self, message: DirectMessage) -> None:
        self.attempts += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_next > 0:
            self.fail_next -= 1
            raise ConnectionError("platform unreachable")
        self.sent.append(message)

    def ids(self) -> list[int | None]:
        return [m.reminder_id for m in self.sent]


def render_reminder(row: ReminderRow, late: bool) -> DirectMessage:
    """A minimal reminder card: the promise, flagged when late."""
    title = ("(late) " if late else "") + f"Follow-up: {row.text}"
    return DirectMessage(
        platform=cast(Platform, row.platform),
        workspace=row.workspace,
        user=row.user,
        card=Card(title=title, quote=row.text, link=row.permalink),
        reminder_id=row.id,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "calma.db"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[SqliteStore]:
    opened = SqliteStore(db_path, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def kit(db_path: Path, clock: FakeClock) -> Iterator[object]:
    """A whole service (see tests/bot/service_kit.py)."""
    from tests.bot.service_kit import Kit

    made = Kit(db_path, clock)
    yield made
    made.service.reminders.shutdown()
    made.store.close()
