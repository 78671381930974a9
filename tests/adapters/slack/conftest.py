"""Fixtures for the Slack door: the Web API / Socket Mode stand-in and recorded payloads."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.adapters.slack import recorded
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import SlackApp, start_app, start_oauth_app
from tests.adapters.slack.privacy import public_leaks


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A running stand-in for Slack's Web API and Socket Mode, fresh for each test.

    Every test that uses it also checks the privacy rule on all it received (privacy.py).
    """
    with FakeSlack() as slack:
        yield slack
        assert public_leaks(slack) == []


@pytest.fixture
def payload() -> Callable[[str], dict[str, Any]]:
    """Load a recorded payload by name: `payload("message_changed")`."""
    return recorded.load


@pytest.fixture
async def slack_app(fake_slack: FakeSlack, tmp_path: Path) -> AsyncIterator[SlackApp]:
    """The Slack door serving HTTP on a free port, its Web API calls going to `fake_slack`."""
    app = await start_app(fake_slack, tmp_path / "calma.db")
    try:
        yield app
    finally:
        await app.close()


@pytest.fixture
async def oauth_app(fake_slack: FakeSlack, tmp_path: Path) -> AsyncIterator[SlackApp]:
    """The door in multi-workspace mode, closed after the test."""
    app = await start_oauth_app(fake_slack, tmp_path / "calma.db")
    try:
        yield app
    finally:
        await app.close()
