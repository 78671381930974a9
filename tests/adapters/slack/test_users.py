"""users.info cached per person: one Web API call per person, a bounded memory."""

from __future__ import annotations

from typing import Any

from adapters.slack.users import UserDirectory


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
