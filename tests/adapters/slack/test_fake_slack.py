"""The stand-in answers real slack_sdk clients over real HTTP and websockets."""

from __future__ import annotations

import asyncio
import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookClient

from adapters.slack.render import nudge_payload
from bot.model import Card, PrivateNudge
from tests.adapters.slack import recorded
from tests.adapters.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack
from tests.adapters.slack.fake_socket_mode import events_envelope
from tests.adapters.slack.signing import forged_headers, signed_headers

BOT_TOKEN, APP_TOKEN = "xoxb-test-calma", "xapp-1-A0CALMA-test"


def client(fake: FakeSlack, **kw) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake.base_url, **kw)


def test_auth_test_and_the_recorded_call(fake_slack):
    answer = client(fake_slack).auth_test()
    assert (answer["team_id"], answer["user_id"]) == (TEAM_ID, BOT_USER_ID)
    (call,) = fake_slack.calls
    assert call.method == "auth.test" and call.token == BOT_TOKEN
    assert call.headers["Authorization"] == f"Bearer {BOT_TOKEN}"


def test_ephemeral_nudge_is_recorded_with_its_blocks(fake_slack):
    nudge = PrivateNudge("slack", TEAM_ID, "U0AGENTE", "C0SOPORTE", None, Card(title="Hola"), 1)
    answer = client(fake_slack).chat_postEphemeral(**nudge_payload(nudge))
    assert answer["message_ts"]
    (call,) = fake_slack.calls_to("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == ("C0SOPORTE", "U0AGENTE")
    assert call.params["blocks"][0]["type"] == "header"  # JSON decoded, whatever the encoding


def test_reminder_dm_flow(fake_slack):
    web = client(fake_slack)
    fake_slack.add_user("U0AGENTE", tz="America/Bogota", is_admin=True)
    user = web.users_info(user="U0AGENTE", include_locale=True)["user"]
    assert (user["tz"], user["locale"], user["is_admin"]) == ("America/Bogota", "es-MX", True)
    link = web.chat_getPermalink(channel="C0SOPORTE", message_ts="1763800123.000200")
    assert link["permalink"].endswith("/archives/C0SOPORTE/p1763800123000200")
    dm = web.conversations_open(users="U0AGENTE")["channel"]["id"]
    posted = web.chat_postMessage(channel=dm, text="Recordatorio")
    updated = web.chat_update(channel=dm, ts=posted["ts"], text="Hecho")
    assert updated["ts"] == posted["ts"] and updated["message"]["text"] == "Hecho"
    assert [c.method for c in fake_slack.calls] == [
        "users.info",
        "chat.getPermalink",
        "conversations.open",
        "chat.postMessage",
        "chat.update",
    ]
    assert fake_slack.calls[0].params["user"] == "U0AGENTE"  # sent as a GET query


def test_views(fake_slack):
    web = client(fake_slack)
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Calma"}, "blocks": []}
    opened = web.views_open(trigger_id="123.456", view=modal)["view"]
    web.views_update(view_id=opened["id"], view=modal)
    web.views_publish(user_id="U0AGENTE", view={"type": "home", "blocks": []})
    assert fake_slack.calls_to("views.update")[0].params["view_id"] == opened["id"]
    assert fake_slack.calls_to("views.publish")[0].params["view"]["type"] == "home"


def test_slack_errors_are_realistic(fake_slack):
    web = client(fake_slack)
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        web.api_call("chat.postEphemeral", json={"channel": "C1", "text": "sin usuario"})
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        web.apps_connections_open(app_token=BOT_TOKEN)
    with pytest.raises(SlackApiError, match="not_authed"):
        WebClient(base_url=fake_slack.base_url).auth_test()
    fake_slack.fail("chat.postMessage", "channel_not_found")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        web.chat_postMessage(channel="C404", text="x")
    assert web.chat_postMessage(channel="C1", text="x")["ok"]  # only the next call failed


def test_block_kit_limits_are_refused_like_slack_does(fake_slack):
    web = client(fake_slack)
    long_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        web.chat_postEphemeral(channel="C1", user="U1", text="x", blocks=long_section)
    empty_header = [{"type": "header", "text": {"type": "plain_text", "text": ""}}]
    with pytest.raises(SlackApiError, match="invalid_blocks"):
        web.chat_postMessage(channel="C1", text="x", blocks=empty_header)
    with pytest.raises(SlackApiError, match="msg_too_long"):
        web.chat_postMessage(channel="C1", text="x" * 40_001)
    title = {"type": "plain_text", "text": "un título de más de veinticuatro"}
    with pytest.raises(SlackApiError, match="invalid_arguments"):
        web.views_open(trigger_id="t", view={"type": "modal", "title": title, "blocks": []})
    ok = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3000}}]
    assert web.chat_postEphemeral(channel="C1", user="U1", text="x", blocks=ok)["ok"]
    reply = WebhookClient(fake_slack.response_url()).send_dict(
        {"text": "x", "blocks": long_section}
    )
    assert reply.status_code == 400 and "invalid_blocks" in reply.body


def test_429_without_a_retry_handler_surfaces(fake_slack):
    fake_slack.rate_limit("chat.postEphemeral", retry_after=3)
    with pytest.raises(SlackApiError) as err:
        client(fake_slack).chat_postEphemeral(channel="C1", user="U1", text="x")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "3"


def test_sync_client_waits_retry_after_then_succeeds(fake_slack):
    # 2 s, not 1: without the header slack_sdk waits 1 s + jitter, so ≥ 2 s proves it was read.
    fake_slack.rate_limit("chat.postMessage", retry_after=2, times=1)
    web = client(fake_slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    start = time.monotonic()
    assert web.chat_postMessage(channel="C1", text="hola")["ok"]
    assert time.monotonic() - start >= 2.0
    first, second = fake_slack.calls_to("chat.postMessage")
    assert second.at - first.at >= 2.0


async def test_async_client_waits_retry_after_then_succeeds(fake_slack):
    fake_slack.rate_limit("chat.postEphemeral", retry_after=1, times=1)
    web = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=fake_slack.base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )
    start = time.monotonic()
    answer = await web.chat_postEphemeral(channel="C1", user="U1", text="hola")
    assert answer["ok"] and time.monotonic() - start >= 1.0
    assert len(fake_slack.calls_to("chat.postEphemeral")) == 2


def test_response_url_posts_are_recorded(fake_slack):
    url = fake_slack.response_url("nudge-42")
    WebhookClient(url).send(text="Gracias", replace_original=True)
    (call,) = fake_slack.calls_to("response_url")
    assert call.path.endswith("/nudge-42") and call.params["replace_original"] is True


async def test_socket_mode_hello_envelope_and_ack(fake_slack):
    web = AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.base_url)
    sm = SocketModeClient(app_token=APP_TOKEN, web_client=web, auto_reconnect_enabled=False)
    received: list[SocketModeRequest] = []

    async def on_request(c: AsyncBaseSocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        await c.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))

    sm.socket_mode_request_listeners.append(on_request)
    sm_open = fake_slack.socket.connects
    await sm.connect()
    try:
        env = events_envelope(recorded.load("message_channels"), retry_attempt=0)
        fake_slack.socket.push(env)
        ack = await fake_slack.socket.ack_of(env["envelope_id"])
        assert ack == {"envelope_id": env["envelope_id"]}
        assert received[0].type == "events_api" and received[0].retry_attempt == 0
        assert received[0].payload["event_id"] == "Ev0CALMA0001"
        assert fake_slack.socket.connects == sm_open + 1
        assert fake_slack.calls_to("apps.connections.open")[0].token == APP_TOKEN
    finally:
        await sm.close()
        await asyncio.sleep(0)


def test_signing_matches_slack_sdk_verifier():
    from slack_sdk.signature import SignatureVerifier

    body, now = '{"type":"event_callback"}', int(time.time())
    good = signed_headers(body, "s3cret", timestamp=now)
    verifier = SignatureVerifier("s3cret")
    assert verifier.is_valid_request(body, good)
    assert not verifier.is_valid_request(body, forged_headers(body, timestamp=now))
    stale = signed_headers(body, "s3cret", timestamp=now - 301)
    assert not verifier.is_valid_request(body, stale)
