"""A local Bot Connector stand-in: the REST calls botbuilder's ConnectorClient makes, recorded.

Point an activity's serviceUrl at `connector.url` and the real CloudAdapter sends there.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, web
from aiohttp.typedefs import Handler

from adapters.teams.html_text import html_to_text
from tests.adapters.teams.adaptive_schema import attachment_errors
from tests.adapters.teams.payloads import TENANT

# Every activity posted to a bot, by the serviceUrl it named (so by stand-in): the privacy audit.
INBOUND: dict[str, list[dict[str, Any]]] = {}
_AT = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


@dataclass
class Call:
    """One request the bot made."""

    method: str
    path: str
    body: Any
    authorization: str | None
    status: int = 200
    answer: Any = None  # the JSON the stand-in answered (e.g. {"id": "act-2"})


@dataclass
class _Failure:
    status: int
    retry_after: str | None
    code: str | None = None


@dataclass
class BotConnector:
    """The stand-in server; `calls` lists every request in order, failed ones included.

    `delay` slows every answer; `gone` makes a conversation answer like one Teams forgot.
    `members` is the roster that GET …/members and …/members/{id} answer from (`add_member`).
    """

    members: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    conversations: dict[str, dict[str, Any]] = field(default_factory=dict)
    delay: float = 0.0
    tenant: str = TENANT
    member_failure: int | None = None  # when set, GET …/members/{id} answers this status
    _gone: dict[str, _Failure] = field(default_factory=dict)
    _failures: list[_Failure] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _kept: list[dict[str, Any]] | None = None  # the inbound activities, once stopped
    url: str = ""

    def add_member(self, member_id: str, aad_object_id: str, name: str) -> dict[str, Any]:
        """Let the roster know a person (what GET …/members/{id} answers for either id)."""
        member = {
            "id": member_id,
            "aadObjectId": aad_object_id,
            "name": name,
            "userRole": "user",
            "tenantId": self.tenant,
        }
        self.members.append(member)
        return member

    def member_lookups(self) -> list[Call]:
        """Every GET …/members/{id} the bot made, failed ones included."""
        return [c for c in self.calls if c.method == "GET" and "/members/" in c.path]

    def fail_next(self, count: int, status: int = 429, retry_after: float | None = None) -> None:
        """Answer the next `count` requests with `status` (and Retry-After, when given)."""
        after = None if retry_after is None else str(retry_after)
        self._failures.extend(_Failure(status, after) for _ in range(count))

    def forget(self, conversation_id: str, status: int = 404, code: str = "ConversationNotFound"):
        """From now on, answer `status` with error `code` for anything sent to the conversation."""
        self._gone[conversation_id] = _Failure(status, None, code)

    async def wait_sent(
        self, count: int, conversation_id: str | None = None, timeout: float = 15.0
    ) -> list[dict[str, Any]]:
        """The sent activities once there are at least `count` (polling; fails after `timeout`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.sent(conversation_id)) < count:
            assert loop.time() < deadline, f"fewer than {count} activities sent: {self.calls}"
            await asyncio.sleep(0.02)
        return self.sent(conversation_id)

    async def wait_for_calls(self, count: int, timeout: float = 15.0) -> None:
        """Return once the stand-in has received at least `count` requests."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.calls) < count:
            assert loop.time() < deadline, f"fewer than {count} calls: {self.calls}"
            await asyncio.sleep(0.02)

    def sent(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Activities the bot posted or replied with successfully, maybe in one conversation."""
        return [
            c.body
            for c in self.calls
            if c.status < 300
            and c.method == "POST"
            and c.path.count("/") >= 4
            and "/activities" in c.path
            and (conversation_id is None or _conversation_of(c.path) == conversation_id)
        ]

    def sent_id(self, activity: Any) -> str:
        """The id the stand-in gave a sent activity (what a later replyToId names)."""
        call = next(c for c in self.calls if c.body is activity)
        return str(call.answer["id"])

    def inbound(self) -> list[dict[str, Any]]:
        """The activities tests posted with this stand-in as their serviceUrl."""
        return INBOUND.get(self.url, []) if self._kept is None else self._kept

    def leaks(self, conversation_prefix: str = "19:") -> list[str]:
        """Four-word runs of people's messages found in what was sent (or updated) in channels
        and group chats (their ids start with "19:"); [] when nothing leaked."""
        grams: set[str] = set()
        for activity in self.inbound():
            words = html_to_text(_AT.sub(" ", str(activity.get("text") or ""))).lower().split()
            grams.update(" ".join(words[i : i + 4]) for i in range(len(words) - 3))
        grams -= {g for g in grams if g in _catalogue()}  # the bot's own words ("mañana a las 10")
        found: list[str] = []
        for call in self.calls:
            target = _conversation_of(call.path) if call.path.count("/") >= 4 else ""
            if call.method in ("POST", "PUT") and target.startswith(conversation_prefix):
                said = " ".join(_strings(call.body)).replace("\\", "").lower()
                said = " ".join(said.split())
                found.extend(f"{target}: {g!r}" for g in sorted(grams) if g in said)
        return found

    def card_errors(self) -> list[str]:
        """How each Adaptive Card the bot sent (posted, replied, updated, or opening a
        conversation) breaks the official Adaptive Cards 1.5 schema; [] when all validate."""
        found: list[str] = []
        for call in self.calls:
            if call.method not in ("POST", "PUT") or not isinstance(call.body, dict):
                continue
            opening = call.path.rstrip("/") == "/v3/conversations"
            activity = call.body.get("activity") if opening else call.body
            found += [f"{call.method} {call.path} {e}" for e in attachment_errors(activity)]
        return found

    def updates(self) -> list[Call]:
        """Successful PUTs of activities (card updates)."""
        return [c for c in self.calls if c.method == "PUT" and c.status < 300]

    async def start(self) -> str:
        """Listen on 127.0.0.1, a free port; returns the base URL (with a trailing slash)."""
        app = web.Application(middlewares=[self._record])
        app.add_routes(
            [
                web.post("/v3/conversations", self._create),
                web.get("/v3/conversations", self._list),
                web.post("/v3/conversations/{cid}/activities", self._send),
                web.post("/v3/conversations/{cid}/activities/{aid}", self._send),
                web.put("/v3/conversations/{cid}/activities/{aid}", self._update),
                web.delete("/v3/conversations/{cid}/activities/{aid}", self._delete),
                web.get("/v3/conversations/{cid}/members", self._members),
                web.get("/v3/conversations/{cid}/pagedmembers", self._paged_members),
                web.get("/v3/conversations/{cid}/members/{mid}", self._member),
            ]
        )
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/"
        INBOUND.pop(self.url, None)  # a port used by an earlier test's stand-in
        return self.url

    async def stop(self) -> None:
        """Close the server."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._kept = INBOUND.pop(self.url, [])

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        raw = await request.text()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        call = Call(request.method, request.path, body, request.headers.get("Authorization"))
        self.calls.append(call)
        if self.delay:
            await asyncio.sleep(self.delay)
        failure = (
            self._gone.get(_conversation_of(request.path))
            if "/activities" in request.path
            else None
        )
        if failure is None and self._failures:
            failure = self._failures.pop(0)
        if failure is not None:
            call.status = failure.status
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            code = failure.code or ("Throttled" if failure.status == 429 else "ServiceError")
            error = {"error": {"code": code, "message": f"stand-in answered {failure.status}"}}
            return web.json_response(error, status=failure.status, headers=headers)
        response = await handler(request)
        call.status = response.status
        if isinstance(response, web.Response) and response.content_type == "application/json":
            call.answer = json.loads(response.text or "null")
        return response

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    async def _create(self, request: web.Request) -> web.Response:
        params = self.calls[-1].body or {}
        conversation_id = self._next_id("a:conv-")
        self.conversations[conversation_id] = params
        answer = {"id": conversation_id, "serviceUrl": self.url}
        if params.get("activity"):
            answer["activityId"] = self._next_id("act-")
        return web.json_response(answer, status=201)

    async def _list(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "conversations": [{"id": cid} for cid in self.conversations],
                "continuationToken": None,
            }
        )

    async def _send(self, request: web.Request) -> web.Response:
        return web.json_response({"id": self._next_id("act-")}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        return web.json_response({"id": request.match_info["aid"]})

    async def _delete(self, request: web.Request) -> web.Response:
        return web.Response(status=200)

    async def _members(self, request: web.Request) -> web.Response:
        return web.json_response(self.members)

    async def _paged_members(self, request: web.Request) -> web.Response:
        return web.json_response({"members": self.members})

    async def _member(self, request: web.Request) -> web.Response:
        if self.member_failure is not None:
            error = {"error": {"code": "ServiceError", "message": "stand-in roster failed"}}
            return web.json_response(error, status=self.member_failure)
        wanted = request.match_info["mid"]
        for member in self.members:
            if wanted in (member.get("id"), member.get("aadObjectId")):
                return web.json_response(member)
        return web.json_response({"error": {"code": "MemberNotFound"}}, status=404)


def _conversation_of(path: str) -> str:
    return path.split("/")[3]


@functools.cache
def _catalogue() -> str:
    """Everything the bot itself may say, lower-cased, one string."""
    root = Path(__file__).resolve().parents[3] / "bot" / "catalogue"
    texts = (p.read_text(encoding="utf-8") for p in sorted(root.glob("*.yml")))
    return " ".join(" ".join(texts).lower().split())


def _strings(node: Any) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


async def post_activity(
    bot_url: str, activity: dict[str, Any], *, token: str | None = None
) -> tuple[int, Any]:
    """POST an activity to a running bot's /api/messages over HTTP; (status, JSON body or text)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    INBOUND.setdefault(str(activity.get("serviceUrl")), []).append(activity)
    async with (
        ClientSession() as session,
        session.post(bot_url, json=activity, headers=headers) as response,
    ):
        text = await response.text()
        try:
            return response.status, json.loads(text) if text else None
        except ValueError:
            return response.status, text


def pointed_at(activity: dict[str, Any], connector: BotConnector) -> dict[str, Any]:
    """The activity with its serviceUrl set to the stand-in."""
    return {**activity, "serviceUrl": connector.url}
