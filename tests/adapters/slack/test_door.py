"""The door's edges: 429 and 5xx from the Web API, manifest ↔ listeners, settings, OAuth pages."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import urlencode

import pytest

from adapters.slack.door import SlackDoor, _json_text, _without_nulls, slack_door
from adapters.slack.oauth import BOT_SCOPES
from app.runtime import Runtime
from bot.config import ConfigError
from bot.errors import StoreError
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import (
    AGENT,
    SECRET,
    SlackApp,
    command_fields,
    message_event,
    settings_for,
    start_app,
)
from tests.adapters.slack.manifest_check import load_manifest, manifest_listeners
from tests.adapters.slack.signing import FORM, signed_headers
from tests.adapters.slack.test_app import JUDGEMENTAL, settle


async def test_429_waits_for_retry_after_then_succeeds(slack_app: SlackApp) -> None:
    slack_app.fake.rate_limit("chat.postEphemeral", retry_after=1)
    await slack_app.event(message_event(JUDGEMENTAL))
    first, second = await slack_app.fake.calls_eventually("chat.postEphemeral", 2, timeout=5)
    assert second.at - first.at >= 0.95
    assert second.params["user"] == AGENT
    await settle()
    assert len(slack_app.fake.calls_to("chat.postEphemeral")) == 2


async def test_web_api_500_is_logged_and_the_reminder_retried(
    slack_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    await slack_app.event(message_event("Le llamo mañana a las 10."))
    await slack_app.fake.calls_eventually("chat.postEphemeral")
    store, reminders = slack_app.runtime.store, slack_app.runtime.service.reminders
    (row,) = store.pending_reminders()
    store.snooze(row.id, row.created_at)
    slack_app.fake.fail("chat.postMessage", "internal_error", status=500, times=2)
    with caplog.at_level(logging.WARNING):
        assert await reminders.deliver(row.id) is False
    assert len(slack_app.fake.calls_to("chat.postMessage")) == 2  # sdk retried the 5xx once
    again = store.get_reminder(row.id)
    assert again is not None and again.status == "pending" and again.attempts == 1
    assert "internal_error" in caplog.text and "xoxb-" not in caplog.text
    # The process is fine: it still answers, and the retry delivers the reminder once.
    assert (await slack_app.event(message_event("Gracias por su paciencia."))).status == 200
    assert await reminders.deliver(row.id) is True
    assert len(slack_app.fake.calls_to("chat.postMessage")) == 3
    assert store.get_reminder(row.id).status == "sent"


async def test_a_web_api_error_on_a_nudge_is_logged_not_raised(
    slack_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    slack_app.fake.fail("chat.postEphemeral", "channel_not_found")
    with caplog.at_level(logging.WARNING):
        await slack_app.event(message_event(JUDGEMENTAL))
        await slack_app.fake.calls_eventually("chat.postEphemeral")
        await settle()
    assert "channel_not_found" in caplog.text
    assert (await slack_app.command("consejos")).status == 200


async def test_every_manifest_listener_is_handled(slack_app: SlackApp, payload) -> None:
    """Manifest → app: each event, command and shortcut it declares is acked, not 404."""
    samples = {
        "event:message": payload("message_channels"),
        "event:app_mention": payload("app_mention"),
        "event:app_home_opened": payload("app_home_opened"),
        "event:app_uninstalled": payload("app_uninstalled"),
        "event:tokens_revoked": payload("tokens_revoked"),
        "shortcut:coach_check_message": payload("message_action"),
        "shortcut:coach_check_draft": payload("shortcut_global"),
    }
    assert set(samples) | {"command:/coach"} == manifest_listeners()
    for key, body in samples.items():
        reply = await (
            slack_app.event(body) if key.startswith("event:") else slack_app.interaction(body)
        )
        assert reply.status == 200, key
    assert (await slack_app.command("ayuda")).status == 200


async def test_every_app_listener_is_in_the_manifest(slack_app: SlackApp) -> None:
    """App → manifest: nothing is registered that Slack was not told to send."""
    keys = slack_app.door.listeners.keys
    declared = {k for k in keys if k.split(":")[0] in ("event", "command", "shortcut")}
    assert declared == manifest_listeners()
    assert load_manifest()["settings"]["interactivity"]["is_enabled"]  # views and actions


def test_oauth_scopes_are_the_manifests() -> None:
    assert set(BOT_SCOPES) == set(load_manifest()["oauth_config"]["scopes"]["bot"])


@pytest.mark.parametrize(
    ("missing", "http", "message"),
    [
        ("slack_bot_token", True, "SLACK_BOT_TOKEN"),
        ("slack_signing_secret", True, "SLACK_SIGNING_SECRET"),
        ("slack_app_token", False, "SLACK_APP_TOKEN"),
    ],
)
async def test_missing_settings_get_a_clear_message(
    fake_slack: FakeSlack, tmp_path: Path, missing: str, http: bool, message: str
) -> None:
    runtime = Runtime(settings_for(fake_slack, tmp_path / "c.db", **{missing: None}))
    with pytest.raises(ConfigError, match=message):
        runtime.open(slack_door(http=http))
    runtime.store.close()


async def test_oauth_install_page_and_bad_state(fake_slack: FakeSlack, tmp_path: Path) -> None:
    app = await start_app(
        fake_slack,
        tmp_path / "calma.db",
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="shh",
    )
    try:
        assert isinstance(app.door, SlackDoor) and app.door.installations is not None
        async with app.session.get(f"{app.url}/slack/install", allow_redirects=False) as r:
            page = await r.text()
            assert r.status in (200, 302)
        assert "client_id=111.222" in page or "client_id=111.222" in r.headers.get("Location", "")
        assert "chat%3Awrite" in page or "chat:write" in page
        bad = f"{app.url}/slack/oauth_redirect?code=x&state=forged"
        async with app.session.get(bad) as r:
            assert r.status == 400
        assert fake_slack.calls_to("oauth.v2.access") == []
        assert (tmp_path / "calma-slack-oauth.sqlite").exists()
    finally:
        await app.close()


async def test_message_events_skip_bolts_chain_but_not_its_rules(slack_app: SlackApp) -> None:
    """Plain message events go straight to their listener: auth.test is asked once for all of
    them, the bot's own lines (by user or by bot id) are still dropped, agents still nudged."""
    from tests.adapters.slack.fake_slack import BOT_ID, BOT_USER_ID

    for k in range(3):
        answer = await slack_app.event(message_event(JUDGEMENTAL, user=f"U0AG{k}"))
        assert answer.status == 200
    await slack_app.event(message_event(JUDGEMENTAL, user=BOT_USER_ID))
    await slack_app.event(message_event(JUDGEMENTAL, user="U0OTHERBOT", bot_id=BOT_ID))
    nudges = await slack_app.fake.calls_eventually("chat.postEphemeral", 3, timeout=5)
    await settle()
    assert len(slack_app.fake.calls_to("auth.test")) <= 1 + 1  # Bolt's warm-up and ours
    nudged = sorted(c.params["user"] for c in slack_app.fake.calls_to("chat.postEphemeral"))
    assert nudged == ["U0AG0", "U0AG1", "U0AG2"] and len(nudges) == 3


def test_a_queued_ephemeral_goes_out_without_its_null_arguments() -> None:
    """As slack_sdk's calls left them out: `thread_ts: null` is no thread, not an error."""
    queued = '{"channel": "C1", "user": "U1", "thread_ts": null, "text": "null"}'
    assert json.loads(_without_nulls(queued)) == {"channel": "C1", "user": "U1", "text": "null"}
    plain = '{"channel": "C1", "user": "U1"}'
    assert _without_nulls(plain) is plain


def test_a_queued_send_reads_back_as_it_was_built() -> None:
    payload = {"channel": "C1", "text": "Está bien 😀", "blocks": [{"type": "x"}], "ts": None}
    assert json.loads(_json_text(payload)) == payload
    odd = {"text": "a\ud800b", "n": 2**70}  # orjson refuses both: the standard library's
    assert json.loads(_json_text(odd)) == odd


async def test_a_message_from_the_inbox_leaves_no_seen_mark_and_its_retry_no_second_nudge(
    slack_app: SlackApp,
) -> None:
    """The inbox's row dedupes a message event by its id: the service writes no seen mark of its
    own for it (one write less an event), and Slack's retry still gives nothing."""
    envelope = message_event(JUDGEMENTAL, user="U0INBOX")
    assert (await slack_app.event(envelope)).status == 200
    assert (await slack_app.event(envelope, **{"X-Slack-Retry-Num": "1"})).status == 200
    await slack_app.fake.calls_eventually("chat.postEphemeral", 1, timeout=5)
    await settle()
    assert len(slack_app.fake.calls_to("chat.postEphemeral")) == 1
    store = slack_app.runtime.service.deps.store
    assert store.mark_seen("slack", str(envelope["event_id"]))  # it was not marked


async def test_an_event_handled_from_memory_and_a_stored_delivery_of_it_nudge_once(
    slack_app: SlackApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the inbox refuses an event the door handles it from memory; its id is then recorded
    in the inbox, so another delivery of it, stored before or after, does not nudge again."""
    inbox = slack_app.runtime.service.inbox
    accept = inbox.accept
    refuse = {"on": False}

    async def flaky(platform: str, key: str, body: str, parsed: object = None) -> bool:
        if refuse["on"]:
            raise StoreError("database is locked")
        return await accept(platform, key, body, parsed)

    monkeypatch.setattr(inbox, "accept", flaky)
    first, second = (message_event(JUDGEMENTAL, user=u) for u in ("U0MEMA", "U0MEMB"))
    refuse["on"] = True  # first: from memory, then Slack's retry stored in the inbox
    assert (await slack_app.event(first)).status == 200
    await slack_app.fake.calls_eventually("chat.postEphemeral", 1, timeout=5)
    refuse["on"] = False
    assert (await slack_app.event(first, **{"X-Slack-Retry-Num": "1"})).status == 200
    assert (await slack_app.event(second)).status == 200  # second: stored, then from memory
    await slack_app.fake.calls_eventually("chat.postEphemeral", 2, timeout=5)
    refuse["on"] = True
    assert (await slack_app.event(second, **{"X-Slack-Retry-Num": "1"})).status == 200
    await settle()
    await inbox.idle()
    nudged = sorted(c.params["user"] for c in slack_app.fake.calls_to("chat.postEphemeral"))
    assert nudged == ["U0MEMA", "U0MEMB"]


async def test_events_are_answered_on_the_lean_lane_and_the_rest_by_aiohttp(
    slack_app: SlackApp,
) -> None:
    """Issue 12: a signed event is kept and acknowledged on the lean HTTP lane, without aiohttp's
    request machinery (its answers carry a Server header; the lane's do not); a slash command, a
    form body, goes on to aiohttp's route and Bolt on the same path."""
    body = json.dumps(message_event(JUDGEMENTAL))
    url = f"{slack_app.url}/slack/events"
    async with slack_app.session.post(url, data=body, headers=signed_headers(body, SECRET)) as r:
        assert r.status == 200
        assert "Server" not in r.headers
    await slack_app.fake.calls_eventually("chat.postEphemeral", 1, timeout=5)
    form = urlencode(command_fields("ayuda", response_url=slack_app.fake.response_url("cmd")))
    headers = signed_headers(form, SECRET, content_type=FORM)
    async with slack_app.session.post(url, data=form, headers=headers) as r:
        assert r.status == 200
        assert "aiohttp" in r.headers["Server"]
    forged = await slack_app.forged_event(message_event(JUDGEMENTAL))
    assert forged.status == 401 and json.loads(forged.text) == {"error": "invalid request"}
