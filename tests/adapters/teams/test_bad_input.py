"""Odd and hostile input over real HTTP: a clear answer, nothing lost, the bot keeps serving."""

from __future__ import annotations

import json
import logging
import sqlite3
import time

import pytest

from adapters.teams.render import MAX_CARD_BYTES, MAX_QUOTE
from bot.i18n import t
from tests.adapters.teams.connector import BotConnector
from tests.adapters.teams.door_kit import card_of, channel_line, fresh, start_bot, texts_of
from tests.adapters.teams.payloads import TENANT

AUTHOR = "29:1qXv8mTgLp3rJ0bKsYdWcZ4eN7uA5iH2fO9yR6tM-kQ"
JUDGEMENT = "Usted debería haber leído el correo que le enviamos."
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # one emoji made of three, joined by ZWJ


@pytest.fixture
async def bot(tmp_path, connector):
    running = await start_bot(tmp_path / "calma.db", connector)
    yield running
    await running.stop()


def quotes_of(card: dict) -> list[str]:
    """The texts of the card's quoted excerpt (the emphasis container)."""
    [quote] = [c for c in card["body"] if c.get("type") == "Container"]
    return [run["text"] for block in quote["items"] for run in block["inlines"]]


async def test_a_40000_character_message_is_coached_and_the_card_stays_small(bot, connector):
    filler = " Le explico de nuevo el procedimiento de devolución paso a paso." * 700
    text = (JUDGEMENT + filler)[:40_000]
    started = time.monotonic()
    status, _ = await bot.post(channel_line(connector, text), settle=False)
    assert status == 201
    assert time.monotonic() - started < 5.0
    await bot.settle()
    [nudge] = connector.sent("a:conv-1")
    card = card_of(nudge)
    assert "debería" in texts_of(card)
    assert len(json.dumps(nudge).encode()) <= MAX_CARD_BYTES + 2_000  # card plus the envelope
    assert all(len(q) <= MAX_QUOTE for q in quotes_of(card))


async def test_rtl_marks_emoji_joiners_and_nul_do_not_break_anything(bot, connector):
    text = f"\u200fUsted debería\x00 haber leído el correo {FAMILY} que le enviamos.\u202e"
    status, _ = await bot.post(channel_line(connector, text))
    assert status == 201
    [nudge] = connector.sent("a:conv-1")
    raw = json.dumps(nudge, ensure_ascii=False)
    assert "\x00" not in raw and "\\u0000" not in raw
    assert "debería" in texts_of(card_of(nudge))
    # a clean line in Arabic, with its marks, is read and left alone
    assert (await bot.post(channel_line(connector, "\u200fشكرا لصبرك، سأراجع طلبك\u200f")))[
        0
    ] == 201
    assert len(connector.sent()) == 1


async def test_html_text_with_mentions_is_quoted_as_plain_text(bot, connector):
    html = (
        '<div><p><at id="0">Ana García</at> usted debería haber leído el correo&nbsp;que le'
        " enviamos.</p><p><b>Gracias</b> &amp; saludos</p></div>"
    )
    status, _ = await bot.post(channel_line(connector, html))
    assert status == 201
    [nudge] = connector.sent("a:conv-1")
    text = texts_of(card_of(nudge))
    assert "usted debería haber leído" in text
    assert "<at" not in text and "&nbsp;" not in text and "<p>" not in text


@pytest.mark.parametrize("value", ["hola", [1, 2], 42, None, True])
async def test_a_value_that_is_not_an_object_is_read_as_plain_text(bot, connector, value, caplog):
    activity = fresh("personal_message", connector, text="consejos", value=value)
    status, _ = await bot.post(activity)
    assert status == 201
    [answer] = connector.sent(activity["conversation"]["id"])
    assert "Siete consejos" in texts_of(card_of(answer))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "kind", ["typing", "messageReaction", "event", "endOfConversation", "somethingNew"]
)
async def test_unknown_activity_types_are_ignored_with_a_2xx(bot, connector, kind, caplog):
    activity = fresh("personal_message", connector, type=kind)
    status, _ = await bot.post(activity)
    assert 200 <= status < 300
    assert connector.calls == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "url", ["ftp://evil.example/", "file:///etc/passwd", "javascript:alert(1)", "http://", 42]
)
async def test_a_service_url_that_is_not_http_is_refused_without_any_outbound_call(
    bot, connector, url
):
    activity = channel_line(connector, JUDGEMENT)
    activity["serviceUrl"] = url
    status, body = await bot.post(activity)
    assert status == 400
    assert body["error"] == "bad_request" and "serviceUrl" in body["message"]
    assert connector.calls == []
    assert bot.store.conversation_ref("teams", TENANT, activity["from"]["aadObjectId"]) is None


async def test_a_locked_database_gets_a_private_note_and_the_redelivery_is_coached(
    bot, connector, caplog
):
    await bot.post(channel_line(connector, "Le confirmo el cambio de dirección."))  # seed kept
    bot.store.db.execute("PRAGMA busy_timeout = 200")  # fail fast instead of after 5 s
    activity = channel_line(connector, JUDGEMENT)
    locker = sqlite3.connect(bot.runtime.settings.db, isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        status, body = await bot.post(activity)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert status == 201
    assert "Traceback" not in json.dumps(body)
    [note] = connector.sent()
    expected = t("errors.storage_unavailable", "es")
    assert texts_of(card_of(note)) == expected
    assert "Traceback" not in caplog.text
    # the lock is gone; Teams redelivers the same activity: nothing was lost
    assert (await bot.post(activity))[0] == 201
    assert "debería" in texts_of(card_of(connector.sent()[-1]))
    assert (await bot.post(channel_line(connector, JUDGEMENT)))[0] == 201  # still serving


async def test_a_command_under_a_locked_database_still_gets_an_answer(bot, connector: BotConnector):
    activity = fresh("personal_message", connector, text="consejos")
    bot.store.db.execute("PRAGMA busy_timeout = 200")
    locker = sqlite3.connect(bot.runtime.settings.db, isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")
        status, _ = await bot.post(activity)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert status == 201
    [answer] = connector.sent(activity["conversation"]["id"])
    assert texts_of(card_of(answer))  # tips, or the clear storage note: never silence
