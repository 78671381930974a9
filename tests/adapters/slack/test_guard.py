"""Issue 11: /slack/events refuses bad, forged and replayed requests cleanly, over real HTTP.

The signature is checked on the raw bytes before anything is parsed (401); a signed body of the
wrong shape gets 400 with a one-line reason (200 for an event, which Slack would retry); a replay
of a signed request within Slack's 300 s window acts once.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest

from adapters.slack.guard import MAX_DEPTH, Refused, Replays, parse, signature_problem
from tests.adapters.slack.harness import SECRET, SlackApp, message_event
from tests.adapters.slack.signing import FORM, interaction_body, signed_headers
from tests.adapters.slack.test_app import settle

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize(
    "body",
    ["[]", "null", "5", '"x"', DEEP, "payload=[]", "{}", "\udcff\udcfe"],
    ids=["list", "null", "number", "string", "deep", "payload-list", "empty-object", "not-utf8"],
)
@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "1234.5", "1000000000", None])
async def test_unsigned_requests_get_401_whatever_the_body_and_timestamp(
    slack_app: SlackApp, body: str, timestamp: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    raw = body.encode("utf-8", "surrogateescape")
    headers = {"Content-Type": "application/json", "X-Slack-Signature": "v0=" + "0" * 64}
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    with caplog.at_level(logging.WARNING):
        async with slack_app.session.post(
            f"{slack_app.url}/slack/events", data=raw, headers=headers
        ) as r:
            assert r.status == 401
            assert await r.json() == {"error": "invalid request"}
    assert "Traceback" not in caplog.text
    assert "refused an unsigned request" in caplog.text


def mistyped_block_actions(payload: Any) -> list[dict[str, Any]]:
    base = payload("block_actions_nudge")
    cases: list[dict[str, Any]] = []
    for actions in ([], [1], "abc", [{"action_id": 5}], [{"value": "x"}]):
        cases.append({**base, "actions": actions})
    for key in ("user", "team", "channel"):
        cases.append({**base, key: 7})
    cases.append({**base, "authorizations": ["x"]})
    return cases


async def test_signed_but_mistyped_interactions_get_400_at_once_without_traceback(
    slack_app: SlackApp, payload: Any, caplog: pytest.LogCaptureFixture
) -> None:
    cases = mistyped_block_actions(payload)
    cases.append({**payload("view_submission"), "view": None})
    cases.append({**payload("message_action"), "team": "x"})
    with caplog.at_level(logging.INFO):
        for case in cases:
            reply = await slack_app.interaction(case)
            assert reply.status == 400, case
            assert reply.elapsed < 1.0
            assert reply.json()["error"]  # says what was wrong
    assert "team is not a object" in slack_app.sent[-1].text
    assert "Traceback" not in caplog.text
    await settle()
    assert slack_app.fake.calls == []


@pytest.mark.parametrize(
    "change",
    [
        {"event": "x"},
        {"authorizations": ["x"]},
        {"event_id": 5},
        {"event": {"type": "message", "user": 5, "channel": "C1", "ts": "1.1", "text": "x"}},
        {"event": {"type": "message", "user": "U1", "channel": 5, "ts": "1.1", "text": "x"}},
        {"event": {"type": "message", "user": "U1", "channel": "C1", "ts": "abc", "text": "x"}},
        # 12 digits of seconds: the year 33658, past datetime's calendar
        {"event": {"type": "message", "user": "U1", "channel": "C1", "ts": "999999999999.1"}},
    ],
    ids=[
        "event-string",
        "authorizations",
        "event-id",
        "user-number",
        "channel-number",
        "ts-abc",
        "ts-past-calendar",
    ],
)
async def test_signed_but_mistyped_events_are_acked_and_dropped(
    slack_app: SlackApp, change: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    envelope = {**message_event("Usted debería haber leído el correo"), **change}
    body = json.dumps(envelope)
    with caplog.at_level(logging.INFO):
        reply = await slack_app.post(body, signed_headers(body, SECRET))
    assert reply.status == 200 and reply.text == ""  # 2xx: Slack does not retry it
    assert "refused a signed request" in caplog.text and "Traceback" not in caplog.text
    await settle()
    assert slack_app.fake.calls == []


async def test_a_replayed_command_makes_one_reminder(slack_app: SlackApp) -> None:
    from urllib.parse import urlencode

    from tests.adapters.slack.harness import command_fields

    url = slack_app.fake.response_url("cmd")
    body = urlencode(command_fields("recordar llamar a Ana en 2 horas", response_url=url))
    headers = signed_headers(body, SECRET, content_type=FORM)
    for _ in range(21):
        assert (await slack_app.post(body, headers)).status == 200
    await slack_app.fake.calls_eventually("response_url")
    await settle()
    assert len(slack_app.runtime.store.pending_reminders()) == 1
    assert len(slack_app.fake.calls_to("response_url")) == 1
    # Slack's own retry is signed anew (a new timestamp): it is not a replay
    later = signed_headers(body, SECRET, content_type=FORM, timestamp=int(time.time()) + 1)
    assert (await slack_app.post(body, later)).status == 200


def test_signature_problem_reads_only_the_raw_bytes() -> None:
    now = 1_700_000_000
    body = interaction_body({"type": "block_actions"}).encode()
    good = signed_headers(body.decode(), SECRET, timestamp=now)
    sig, ts = good["X-Slack-Signature"], good["X-Slack-Request-Timestamp"]
    assert signature_problem(SECRET, body, ts, sig, now) is None
    assert signature_problem(SECRET, body, ts, sig, now + 301) == "stale X-Slack-Request-Timestamp"
    assert signature_problem(SECRET, body + b" ", ts, sig, now) == "signature mismatch"
    assert signature_problem(SECRET, body, "1e9", sig, now) is not None
    assert signature_problem(SECRET, body, ts, "v0=zz", now) is not None


def test_the_signature_is_checked_with_the_secret_given() -> None:
    now = 1_700_000_000
    body = b'{"type": "event_callback"}'
    good = signed_headers(body.decode(), SECRET, timestamp=now)
    sig, ts = good["X-Slack-Signature"], good["X-Slack-Request-Timestamp"]
    assert signature_problem(SECRET, body, ts, sig, now) is None
    assert signature_problem(SECRET + "x", body, ts, sig, now) == "signature mismatch"
    assert signature_problem(SECRET, body, ts, sig, now) is None  # the keyed state is not reused


def test_a_body_nesting_too_deep_is_refused_however_few_its_brackets_look() -> None:
    refused = []
    for n in range(MAX_DEPTH - 4, MAX_DEPTH + 4):  # around the limit: the brackets alone
        try:
            parse(f'{{"a": {"[" * n}1{"]" * n}}}'.encode(), "application/json")
        except Refused as refusal:
            assert refusal.reason == "body nests too deep"
            refused.append(n)
    assert refused == list(range(MAX_DEPTH, MAX_DEPTH + 4))  # as when every body was walked
    brackets_in_text = json.dumps({"text": "{[" * MAX_DEPTH, "event": {"type": "message"}})
    assert parse(brackets_in_text.encode(), "application/json")["event"] == {"type": "message"}


async def test_a_byte_identical_retry_of_an_event_is_not_a_replay(slack_app: SlackApp) -> None:
    body = json.dumps(message_event("Usted debería haber leído el correo"))
    headers = signed_headers(body, SECRET)
    assert (await slack_app.post(body, headers)).status == 200
    retry = {**headers, "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert (await slack_app.post(body, retry)).status == 200
    assert (await slack_app.post(body, retry)).status == 200  # the same retry again: a replay
    await slack_app.fake.calls_eventually("chat.postEphemeral")
    await settle()
    assert len(slack_app.fake.calls_to("chat.postEphemeral")) == 1  # the event id dedupes


def test_replays_are_remembered_for_the_window_only() -> None:
    now = [1000.0]
    replays = Replays(window=300, clock=lambda: now[0])
    assert replays.first_time("a") and not replays.first_time("a")
    now[0] += 301
    assert replays.first_time("b") and len(replays) == 1  # "a" is forgotten


def test_a_replay_is_known_by_its_signed_timestamp_for_the_whole_window() -> None:
    now = [1000.0]
    replays = Replays(window=300, clock=lambda: now[0])
    assert replays.first_time("v0=aa", 990)
    now[0] += 250  # a later second: the replay still carries its own timestamp
    assert not replays.first_time("v0=aa", 990)
    assert replays.first_time("v0=bb", 1249) and replays.first_time("v0=aa", 1249)
    assert len(replays) == 3
    now[0] += 61  # 990 is now older than the window: its second is dropped whole
    assert replays.first_time("v0=cc", 1300) and len(replays) == 3
    assert not replays.first_time("v0=bb", 1249)


async def test_a_replayed_event_is_dropped_by_its_id_and_its_signature_is_not_kept(
    slack_app: SlackApp,
) -> None:
    body = json.dumps(message_event("Usted debería haber leído el correo"))
    headers = signed_headers(body, SECRET)
    for _ in range(3):  # the event, then the same signed bytes twice more
        assert (await slack_app.post(body, headers)).status == 200
    await slack_app.fake.calls_eventually("chat.postEphemeral")
    await settle()
    assert len(slack_app.fake.calls_to("chat.postEphemeral")) == 1
    assert len(slack_app.door.replays) == 0  # memory: events are kept by id, in the inbox
