"""Bad input over real signed HTTP: a clear answer, no traceback, nothing lost afterwards."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from typing import Any

import pytest

from adapters.slack.render import SECTION_TEXT_MAX
from tests.adapters.slack.block_kit import block_errors
from tests.adapters.slack.harness import AGENT, CHANNEL, SECRET, SlackApp, message_event
from tests.adapters.slack.signing import FORM, forged_headers, signed_headers
from tests.adapters.slack.test_app import JUDGEMENTAL, settle


async def still_nudges(app: SlackApp, user: str = "U0DESPUES") -> None:
    """The door is alive and loses nothing: a fresh judgemental line is nudged."""
    before = len(app.fake.calls_to("chat.postEphemeral"))
    assert (await app.event(message_event(JUDGEMENTAL, user=user))).status == 200
    calls = await app.fake.calls_eventually("chat.postEphemeral", before + 1)
    assert calls[-1].params["user"] == user


def nudges_to(app: SlackApp, user: str) -> list[dict[str, Any]]:
    return [c.params for c in app.fake.calls_to("chat.postEphemeral") if c.params["user"] == user]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"type": "event_callback", "event": {', "application/json"),
        ("payload=%7Bnot+json", FORM),
        ("\xff\xfe not utf-8", "application/json"),
    ],
    ids=["json", "form-payload", "not-utf8"],
)
async def test_a_malformed_body_is_a_clear_400(
    slack_app: SlackApp, body: str, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    raw = body.encode("latin-1")
    with caplog.at_level(logging.WARNING):
        reply = await slack_app.post(
            raw.decode("latin-1"), signed_headers(body, SECRET, content_type=content_type)
        )
    assert reply.status == 400
    assert reply.json() == {"error": "malformed request body"}
    assert "Traceback" not in reply.text and "Traceback" not in caplog.text
    await still_nudges(slack_app)


async def test_a_malformed_body_without_a_valid_signature_is_401(slack_app: SlackApp) -> None:
    body = '{"type": "event_callback", "event": {'
    reply = await slack_app.post(body, forged_headers(body))
    assert reply.status == 401
    await settle()
    assert slack_app.fake.calls == []


async def test_an_unknown_request_type_gets_a_400_that_names_it(slack_app: SlackApp) -> None:
    for body, content_type in (
        (json.dumps({"type": "future_thing", "team_id": "T0CALMA"}), "application/json"),
        ("a=b&c=d", FORM),
    ):
        reply = await slack_app.post(body, signed_headers(body, SECRET, content_type=content_type))
        assert reply.status == 400
        assert reply.json()["error"].startswith("unsupported Slack request type")
    assert "future_thing" in slack_app.sent[0].text
    await still_nudges(slack_app)


async def test_an_event_calma_does_not_listen_to_is_acked_so_slack_does_not_retry(
    slack_app: SlackApp,
) -> None:
    envelope = message_event("x")
    envelope["event"] = {"type": "reaction_added", "user": AGENT, "reaction": "eyes"}
    reply = await slack_app.event(envelope)
    assert reply.status == 200
    await settle()
    assert not any(c.method.startswith("chat.") for c in slack_app.fake.calls)


@pytest.mark.parametrize("missing", ["channel", "ts", "user", "text", "event", "event_id"])
async def test_an_event_missing_a_field_is_acked_and_ignored(
    slack_app: SlackApp, missing: str
) -> None:
    envelope = message_event(JUDGEMENTAL)
    if missing in ("event", "event_id"):
        envelope.pop(missing)
    else:
        envelope["event"].pop(missing)
    reply = await slack_app.event(envelope)
    assert reply.status == 200 and "Traceback" not in reply.text
    await settle()
    assert slack_app.fake.calls_to("chat.postEphemeral") == []
    await still_nudges(slack_app)


async def test_a_40000_character_message_is_nudged_within_block_kit_limits(
    slack_app: SlackApp,
) -> None:
    filler = "Buenas tardes, reviso el caso <de> inmediato. " * 900
    text = (filler + JUDGEMENTAL)[-40_000:]
    assert len(text) == 40_000
    assert (await slack_app.event(message_event(text))).status == 200
    (nudge,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    params = nudge.params  # the stand-in refuses what Slack would (invalid_blocks, msg_too_long)
    assert block_errors(params["blocks"]) == []
    assert len(params["text"]) <= SECTION_TEXT_MAX
    sections = [b["text"]["text"] for b in params["blocks"] if b["type"] == "section"]
    assert all(len(s) <= SECTION_TEXT_MAX for s in sections)
    assert "Usted debería haber leído" in sections[0]
    assert "<de>" not in json.dumps(params)  # echoed text stays escaped
    await settle()
    assert len(slack_app.fake.calls_to("chat.postEphemeral")) == 1


async def test_a_shortcut_on_a_40000_character_message_opens_a_valid_modal(
    slack_app: SlackApp, payload
) -> None:
    body = payload("message_action")
    body["message"]["text"] = ("Comprendo, pero usted debería leer. " * 1200)[:40_000]
    assert (await slack_app.interaction(body)).status == 200
    (opened,) = await slack_app.fake.calls_eventually("views.open")
    view = opened.params["view"]
    draft = view["blocks"][0]["element"]
    assert 0 < len(draft["initial_value"]) <= draft["max_length"] <= 3000
    assert json.dumps(view).count("Comprendo, pero") >= 2  # the draft and the finding


@pytest.mark.parametrize(
    "text",
    [
        "Usted \u200fdebería haber leído el correo \u202bمرحبا\u202c",
        "Usted debería haber leído el correo 👩\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈",
        "Usted debería\u0000 haber leído el correo",
        "Le llamo\ud800 mañana a las 10 \udfff.",
    ],
    ids=["rtl-marks", "zwj-emoji", "nul", "lone-surrogates"],
)
async def test_odd_unicode_is_coached_and_sent_back_as_valid_text(
    slack_app: SlackApp, text: str
) -> None:
    body = json.dumps(message_event(text))  # ensure_ascii: surrogates travel as \\ud800 escapes
    assert (await slack_app.post(body, signed_headers(body, SECRET))).status == 200
    (nudge,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    sent = json.dumps(nudge.params, ensure_ascii=False)
    sent.encode("utf-8")  # no lone surrogate made it out
    assert "\x00" not in sent
    assert nudge.params["user"] == AGENT
    if "llamo" in text:  # the promise was stored (as valid UTF-8) and acknowledged
        (row,) = slack_app.runtime.store.pending_reminders()
        assert row.text.startswith("Le llamo\ufffd mañana")
    else:
        assert "debería" in sent


async def test_an_unknown_coach_subcommand_gets_the_short_help(slack_app: SlackApp) -> None:
    reply = await slack_app.command("foo bar")
    assert reply.status == 200 and reply.text == ""
    (answer,) = await slack_app.fake.calls_eventually("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert "No conozco ese comando." in answer.params["text"]
    assert "/coach ayuda" in answer.params["text"]
    assert len(answer.params["text"]) < 200


@pytest.fixture
def locked(slack_app: SlackApp):
    """Another connection holds the database's write lock; the door's store waits 0.3 s."""
    slack_app.runtime.store.db.execute("PRAGMA busy_timeout = 300")
    other = sqlite3.connect(slack_app.runtime.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.rollback()
        other.close()


async def test_a_locked_database_gets_a_clear_private_message(
    slack_app: SlackApp, locked: sqlite3.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        reply = await slack_app.event(message_event(JUDGEMENTAL))
        assert reply.status == 200 and reply.text == ""
        (note,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
        await slack_app.command("silenciar 1h")
        (answer,) = await slack_app.fake.calls_eventually("response_url")
    expected = "No puedo guardar nada en este momento"
    assert (note.params["channel"], note.params["user"]) == (CHANNEL, AGENT)
    assert expected in note.params["text"]
    assert answer.params["response_type"] == "ephemeral" and expected in answer.params["text"]
    for sent in (note.params, answer.params):
        assert "Traceback" not in json.dumps(sent) and "sqlite" not in json.dumps(sent).lower()
    assert "storage unavailable" in caplog.text
    locked.rollback()  # the lock is released: the same process carries on
    await still_nudges(slack_app)


@pytest.mark.parametrize("name", ["app_mention", "app_mention_in_thread"])
async def test_a_mention_while_the_database_is_locked_gets_the_same_private_message(
    slack_app: SlackApp,
    locked: sqlite3.Connection,
    payload,
    name: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mention = payload(name)
    event = mention["event"]
    with caplog.at_level(logging.ERROR):
        reply = await slack_app.event(mention)
        assert reply.status == 200 and reply.text == ""
        (note,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    params = note.params
    assert (params["channel"], params["user"]) == (event["channel"], event["user"])
    assert params["thread_ts"] == event.get("thread_ts", event["ts"])
    assert "No puedo guardar nada en este momento" in params["text"]
    assert "Traceback" not in json.dumps(params) and "sqlite" not in json.dumps(params).lower()
    assert "storage unavailable" in caplog.text
    await settle()
    assert chat_answers(slack_app) == [note]  # nothing public in the thread, no second note
    locked.rollback()  # the lock is released: the same mention (Slack's retry) is answered once
    for retry in ("1", "2"):  # Slack's retries carry X-Slack-Retry-Num (else: a replay, dropped)
        assert (await slack_app.event(mention, **{"X-Slack-Retry-Num": retry})).status == 200
    answers = await answers_eventually(slack_app, 2)  # the note, then one answer
    assert all(a.params["thread_ts"] == event.get("thread_ts", event["ts"]) for a in answers)
    await settle()
    assert len(chat_answers(slack_app)) == 2


def chat_answers(app: SlackApp) -> list[Any]:
    return [c for c in app.fake.calls if c.method in ("chat.postEphemeral", "chat.postMessage")]


async def answers_eventually(app: SlackApp, count: int) -> list[Any]:
    for _ in range(250):
        if len(chat_answers(app)) >= count:
            break
        await asyncio.sleep(0.02)
    answers = chat_answers(app)
    assert len(answers) >= count, [a.method for a in answers]
    return answers
