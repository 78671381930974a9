from collections.abc import AsyncIterator

import pytest

from tests.adapters.teams.connector import BotConnector


@pytest.fixture
async def connector() -> AsyncIterator[BotConnector]:
    """A running Bot Connector stand-in on 127.0.0.1."""
    server = BotConnector()
    await server.start()
    yield server
    await server.stop()
