"""users.info cached per person: one Web API call per person, a bounded memory."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.users import SlackUser, UserDirectory
from adapters.slack.webapi import WebApi
from tests.adapters.slack.fake_slack import FakeSlack


class Client:
    """Just enough of AsyncWebClient: counts users.info calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def users_info(self, *, user: str, include_locale: bool) -> dict[str, Any]:
        self.calls.append(user)
        return {"user": {"tz": "America/Lima", "locale": "es-PE", "is_admin": False}}


async def test_a_known_person_costs_no_call_until_the_entry_expires() -> None:
    now = [0.0]
    users = UserDirectory(clock=lambda: now[0])
    client = Client()
    first = await users.get(client, "T1", "U1")  # type: ignore[arg-type]
    again = await users.get(client, "T1", "U1")  # type: ignore[arg-type]
    assert first == again and first is not None and first.tz == "America/Lima"
    assert client.calls == ["U1"]
    now[0] = 3601.0
    await users.get(client, "T1", "U1")  # type: ignore[arg-type]
    assert client.calls == ["U1", "U1"]


async def test_memory_is_bounded_and_the_least_recently_seen_go_first() -> None:
    users = UserDirectory(clock=lambda: 0.0, max_users=3)
    client = Client()
    for user in ("U1", "U2", "U3"):
        await users.get(client, "T1", user)  # type: ignore[arg-type]
    await users.get(client, "T1", "U1")  # U1 seen again: U2 is now the oldest
    await users.get(client, "T1", "U4")  # type: ignore[arg-type]
    assert len(users) == 3
    await users.get(client, "T1", "U1")  # type: ignore[arg-type]
    await users.get(client, "T1", "U2")  # type: ignore[arg-type]  # forgotten: asked again
    assert client.calls == ["U1", "U2", "U3", "U4", "U2"]
    for n in range(1000):
        await users.get(client, "T1", f"X{n}")  # type: ignore[arg-type]
    assert len(users) == 3


async def test_with_the_lean_web_api_the_lookup_is_one_get_with_the_clients_token(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.add_user("U1", tz="America/Bogota", locale="es-CO", is_admin=True)
    webapi = WebApi(fake_slack.base_url)
    users = UserDirectory(webapi=webapi)
    client = AsyncWebClient(token="xoxb-lean", base_url=fake_slack.base_url)
    found = await users.get(client, "T1", "U1")
    fake_slack.fail("users.info", "user_not_found")
    missing = await users.get(client, "T1", "U404")
    webapi.close()
    assert found == SlackUser(tz="America/Bogota", locale="es-CO", is_admin=True)
    assert missing is None  # user_not_found: the caller goes on without
    calls = fake_slack.calls_to("users.info")
    assert [c.params["user"] for c in calls] == ["U1", "U404"]
    assert {c.token for c in calls} == {"xoxb-lean"}
