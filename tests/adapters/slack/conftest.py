"""Fixtures for the Slack door: the Web API / Socket Mode stand-in and recorded payloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.adapters.slack import recorded
from tests.adapters.slack.fake_slack import FakeSlack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A running stand-in for Slack's Web API and Socket Mode, fresh for each test."""
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def payload() -> Callable[[str], dict[str, Any]]:
    """Load a recorded payload by name: `payload("message_changed")`."""
    return recorded.load
