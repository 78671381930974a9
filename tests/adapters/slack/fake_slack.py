"""A local stand-in for Slack's Web API (and Socket Mode), the way bolt-python's tests fake Slack.

Real HTTP on 127.0.0.1 (random port) served by aiohttp on its own thread and loop, so sync and async
clients both reach it. Every call is recorded; answers follow Slack's documented JSON shapes.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.adapters.slack.block_kit import MESSAGE_TEXT_MAX, block_errors, view_errors
from tests.adapters.slack.fake_socket_mode import FakeSocketMode

TEAM_ID = "T0CALMA"
TEAM_DOMAIN = "calma-test"
BOT_USER_ID = "U0COACH"
BOT_ID = "B0COACH"
APP_ID = "A0CALMA"
BOT_SCOPES_GRANTED = ("channels:history", "chat:write", "commands", "users:read")


# Arguments Slack rejects a call without (its docs' "Required arguments").
_REQUIRED: dict[str, tuple[str, ...]] = {
    "chat.postEphemeral": ("channel", "user"),
    "chat.postMessage": ("channel",),
    "chat.update": ("channel", "ts"),
    "chat.getPermalink": ("channel", "message_ts"),
    "conversations.open": ("users",),
    "users.info": ("user",),
    "views.open": ("trigger_id", "view"),
    "views.update": ("view",),
    "views.publish": ("user_id", "view"),
    "files.getUploadURLExternal": ("filename", "length"),
    "files.completeUploadExternal": ("files",),
}


@dataclass(frozen=True)
class Call:
    """One request the stand-in received."""

    method: str  # Web API method ("chat.postEphemeral") or "response_url"
    params: dict[str, Any]  # query + form or JSON body, JSON-in-form fields decoded
    headers: dict[str, str]
    path: str
    at: float = field(default_factory=time.monotonic)

    @property
    def token(self) -> str | None:
        """The bearer token of the call (header first, then a `token` param)."""
        auth = self.headers.get("Authorization", "")
        return (
            auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else self.params.get("token")
        )


@dataclass
class _Fault:
    times: int
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


def _decoded(value: Any) -> Any:
    """Form fields such as `blocks` or `view` carry JSON text; decode it when it is JSON."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _refusal(method: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to a message or view that breaks a Block Kit limit; None when it is fine."""
    if method.startswith("views."):
        problems = view_errors(params.get("view"))
        if problems:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": problems},
            }
        return None
    if not method.startswith("chat."):
        return None
    if len(str(params.get("text", ""))) > MESSAGE_TEXT_MAX:
        return {"ok": False, "error": "msg_too_long"}
    problems = block_errors(params.get("blocks"))
    if problems:
        return {"ok": False, "error": "invalid_blocks", "errors": problems}
    return None


class FakeSlack:
    """Start with `with FakeSlack() as slack:`; point `WebClient(base_url=slack.base_url)` at it."""

    def __init__(self, *, team_id: str = TEAM_ID, bot_user_id: str = BOT_USER_ID) -> None:
        self.team_id, self.bot_user_id = team_id, bot_user_id
        self.users: dict[str, dict[str, Any]] = {}
        self.agent_texts: list[str] = []  # lines sent in as messages, for the privacy check
        self.oauth_apps: dict[str, str] = {}  # client_id → client_secret
        self._codes: dict[str, dict[str, Any]] = {}  # OAuth code → oauth.v2.access answer
        self._bots: dict[str, dict[str, str]] = {}  # bot token → its team and bot user
        self._revoked: set[str] = set()  # tokens of an uninstalled app: every call fails
        self.socket = FakeSocketMode()
        self._calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}  # file id → the bytes POSTed to its upload URL
        self._tickets: dict[str, int] = {}  # file id → the length announced for it
        self._faults: dict[str, list[_Fault]] = {}
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # ---- lifecycle ----

    def start(self) -> FakeSlack:
        """Serve on a random local port until `stop`."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        await self.socket.start()

    def stop(self) -> None:
        """Close the servers and the loop thread."""
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _stop(self) -> None:
        await self.socket.stop()
        if self._runner is not None:
            await self._runner.cleanup()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """What `WebClient(base_url=…)` and SLACK_API_URL take."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A `response_url` for an interaction payload; posts to it are recorded as calls."""
        return f"{self.url}/response/{name}"

    # ---- scripting ----

    def add_user(self, user_id: str, *, tz: str = "America/Mexico_City", **extra: Any) -> None:
        """A user `users.info` knows, with a time zone (and anything else, e.g. is_admin)."""
        self.users[user_id] = {"id": user_id, "team_id": self.team_id, "tz": tz, **extra}

    def oauth_code(
        self,
        code: str,
        *,
        team_id: str,
        installer: str,
        bot_token: str,
        bot_user_id: str,
        enterprise_id: str | None = None,
    ) -> None:
        """A code Slack would hand the redirect after `installer` approves the install."""
        self._codes[code] = {
            "access_token": bot_token,
            "token_type": "bot",
            "scope": ",".join(BOT_SCOPES_GRANTED),
            "bot_user_id": bot_user_id,
            "app_id": APP_ID,
            "team": {"id": team_id, "name": f"Equipo {team_id}"},
            "enterprise": {"id": enterprise_id, "name": "Grid"} if enterprise_id else None,
            "is_enterprise_install": False,
            "authed_user": {"id": installer},
        }
        self._bots[bot_token] = {"team_id": team_id, "user_id": bot_user_id}

    def revoke(self, token: str) -> None:
        """What uninstalling does to a token: every later call with it gets `token_revoked`."""
        with self._cond:
            self._revoked.add(token)

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 and `Retry-After: retry_after`."""
        body = {"ok": False, "error": "ratelimited"}
        self._add_fault(method, _Fault(times, 429, body, {"Retry-After": str(retry_after)}))

    def fail(self, method: str, error: str, *, times: int = 1, status: int = 200) -> None:
        """Answer the next `times` calls of `method` with `{"ok": false, "error": error}`."""
        self._add_fault(method, _Fault(times, status, {"ok": False, "error": error}, {}))

    def _add_fault(self, method: str, fault: _Fault) -> None:
        with self._cond:
            self._faults.setdefault(method, []).append(fault)

    # ---- what happened ----

    @property
    def calls(self) -> list[Call]:
        """Every call received, in order."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls of one method, in order."""
        return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[Call]:
        """Block until `method` was called `count` times (for sync tests). The timeout only
        ends a failed test: on a loaded machine with tests side by side, a digest's chart alone
        took over 5 s."""
        with self._cond:
            ok = self._cond.wait_for(
                lambda: sum(c.method == method for c in self._calls) >= count, timeout
            )
        assert ok, f"{method} not called {count}x in {timeout}s: {[c.method for c in self.calls]}"
        return self.calls_to(method)

    async def calls_eventually(
        self, method: str, count: int = 1, timeout: float = 30.0
    ) -> list[Call]:
        """Async `wait_for`, for tests whose app runs on the test's own loop."""
        deadline = time.monotonic() + timeout
        while len(self.calls_to(method)) < count:
            assert time.monotonic() < deadline, f"{method} not called {count}x in {timeout}s"
            await asyncio.sleep(0.01)
        return self.calls_to(method)

    # ---- HTTP ----

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if request.content_type == "application/json" and raw:
            params.update(json.loads(raw))
        elif raw:
            params.update(parse_qsl(raw.decode(), keep_blank_values=True))
        return {k: _decoded(v) for k, v in params.items()}

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()

    def _take_fault(self, method: str) -> _Fault | None:
        with self._cond:
            queue = self._faults.get(method) or []
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = Call(method, await self._params(request), dict(request.headers), request.path)
        self._record(call)
        fault = self._take_fault(method)
        if fault is not None:
            return web.json_response(fault.body, status=fault.status, headers=fault.headers)
        return web.json_response(self._answer(method, call))

    async def _response_url(self, request: web.Request) -> web.Response:
        params = await self._params(request)
        self._record(Call("response_url", params, dict(request.headers), request.path))
        refused = _refusal("chat.update", params)
        if refused is not None:
            return web.json_response(refused, status=400)
        return web.json_response({"ok": True})

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL of files.getUploadURLExternal: keeps the bytes, recorded as a call."""
        file_id = request.match_info["file_id"]
        data = await request.read()
        self._record(Call("upload", {"file_id": file_id, "length": len(data)}, {}, request.path))
        with self._cond:
            if file_id not in self._tickets:
                return web.Response(status=404, text="unknown upload")
            self.uploads[file_id] = data
        return web.Response(text=f"OK - {len(data)}")

    def _answer(self, method: str, call: Call) -> dict[str, Any]:
        if method == "oauth.v2.access":
            return self._oauth_v2_access(call)
        token = call.token
        if not token:
            return {"ok": False, "error": "not_authed"}
        with self._cond:
            if token in self._revoked:
                return {"ok": False, "error": "token_revoked"}
        wanted = "xapp-" if method == "apps.connections.open" else "xox"
        if not token.startswith(wanted):
            return {"ok": False, "error": "not_allowed_token_type"}
        handler = self._methods().get(method)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        missing = [name for name in _REQUIRED.get(method, ()) if not call.params.get(name)]
        if missing:
            return {"ok": False, "error": "invalid_arguments", "missing": missing}
        if method.startswith("chat.post") and not (
            call.params.get("text") or call.params.get("blocks")
        ):
            return {"ok": False, "error": "no_text"}
        refused = _refusal(method, call.params)
        if refused is not None:
            return refused
        if method == "auth.test":
            return {"ok": True, **self._auth_test(call.params, token)}
        return {"ok": True, **handler(call.params)}

    def next_ts(self) -> str:
        """A fresh message ts, increasing like Slack's."""
        return f"{1_763_800_000 + next(self._ts)}.000100"

    def permalink(self, channel: str, ts: str) -> str:
        """The permalink Slack would give for `ts` in `channel`."""
        return f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"

    # ---- methods (each returns the fields beside "ok") ----

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "apps.connections.open": self._apps_connections_open,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.open": self._conversations_open,
            "users.info": self._users_info,
            "views.open": self._view,
            "views.update": self._view,
            "views.publish": self._view,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "reactions.add": lambda p: {},  # never called by Calma; here so a test can see it
        }

    def _oauth_v2_access(self, call: Call) -> dict[str, Any]:
        """Client credentials (Basic auth or form) and a one-time code → the bot's installation."""
        client_id, client_secret = call.params.get("client_id"), call.params.get("client_secret")
        auth = call.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        if not client_id or self.oauth_apps.get(client_id) != client_secret:
            return {"ok": False, "error": "invalid_client_id"}
        answer = self._codes.pop(str(call.params.get("code")), None)
        if answer is None:
            return {"ok": False, "error": "invalid_code"}
        return {"ok": True, **answer}

    def _auth_test(self, p: dict[str, Any], token: str = "") -> dict[str, Any]:
        bot = self._bots.get(token, {"team_id": self.team_id, "user_id": self.bot_user_id})
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Calma Test",
            "user": "coach",
            "team_id": bot["team_id"],
            "user_id": bot["user_id"],
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.socket.url}

    def _message(self, p: dict[str, Any], ts: str) -> dict[str, Any]:
        return {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "text": p.get("text", ""),
            "blocks": p.get("blocks", []),
            "team": self.team_id,
            "ts": ts,
        }

    def _chat_post_ephemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self.next_ts()}

    def _chat_post_message(self, p: dict[str, Any]) -> dict[str, Any]:
        ts = self.next_ts()
        return {"channel": p.get("channel"), "ts": ts, "message": self._message(p, ts)}

    def _chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        ts = str(p.get("ts"))
        out = {"channel": p.get("channel"), "ts": ts, "text": p.get("text", "")}
        return {**out, "message": self._message(p, ts)}

    def _chat_get_permalink(self, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(p.get("channel")), str(p.get("message_ts"))
        return {"channel": channel, "permalink": self.permalink(channel, ts)}

    def _conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        user = str(p.get("users", "")).split(",")[0]
        return {"channel": {"id": f"D{user[1:]}", "is_im": True, "user": user}}

    def _users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        uid = str(p.get("user"))
        user = {"name": uid.lower(), "is_admin": False, "is_owner": False, "is_bot": False}
        user.update(self.users.get(uid, {"id": uid, "team_id": self.team_id, "tz": "UTC"}))
        user.setdefault("tz_label", user["tz"])
        if p.get("include_locale") in (True, "true", "1"):
            user.setdefault("locale", "es-MX")
        return {"user": user}

    def _files_get_upload_url(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ts):08d}"
        with self._cond:
            self._tickets[file_id] = int(p.get("length") or 0)
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, p: dict[str, Any]) -> dict[str, Any]:
        files = p.get("files") if isinstance(p.get("files"), list) else []
        with self._cond:
            for f in files:
                fid = str(f.get("id"))
                if fid not in self.uploads or len(self.uploads[fid]) != self._tickets.get(fid):
                    return {"ok": False, "error": "upload_not_found"}
        return {"files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}

    def _view(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view") or {}
        return {"view": {**view, "id": p.get("view_id") or f"V{next(self._ts):08d}", "hash": "h1"}}
