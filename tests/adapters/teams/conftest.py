from collections.abc import AsyncIterator, Iterator

import pytest

from tests.adapters.teams.connector import BotConnector

# Every stand-in of the session, for the privacy audit at its end.
_STAND_INS: list[BotConnector] = []


@pytest.fixture
async def connector() -> AsyncIterator[BotConnector]:
    """A running Bot Connector stand-in on 127.0.0.1; nothing people wrote may reach a channel,
    and every Adaptive Card sent to it validates against the official schema."""
    server = BotConnector()
    await server.start()
    _STAND_INS.append(server)
    yield server
    await server.stop()
    assert server.leaks() == [], "an agent's wording was sent to a channel or group chat"
    assert server.card_errors() == [], "a card breaks the Adaptive Cards 1.5 schema"


@pytest.fixture(autouse=True, scope="session")
def no_wording_in_any_channel() -> Iterator[None]:
    """Session-wide: over every request every stand-in received, no wording in a channel."""
    yield
    leaks = [leak for server in _STAND_INS for leak in server.leaks()]
    assert leaks == [], leaks
