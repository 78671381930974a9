"""Odd input through the whole service: broken Unicode, huge texts, unknown words, no traceback."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot import actions
from bot.model import Button, IncomingMessage, PrivateNotice, PrivateNudge, person
from bot.service.scrub import clean, scrubbed
from tests.bot.service_kit import Kit, only, text_of

JUDGEMENT = "Usted debería haber leído las instrucciones."


def test_clean_replaces_only_lone_surrogates() -> None:
    assert clean("hola \ud800 y \udfff") == "hola \ufffd y \ufffd"
    assert clean("nul\x00 rtl\u202e zwj 👩\u200d💻") == "nul\x00 rtl\u202e zwj 👩\u200d💻"
    assert clean("\ud83d\ude00") == "😀"  # a valid pair that arrived as two halves is joined


def test_scrubbed_keeps_a_clean_event_and_cleans_every_text_field() -> None:
    at = datetime(2026, 11, 9, tzinfo=UTC)
    plain = IncomingMessage("slack", "T1", "C1", None, "U1", False, "Está bien, señor 😀", at, "E1")
    assert scrubbed(plain) is plain  # nothing to change: the same object
    odd = replace(plain, author="U\ud8001", text="ho\ue000la \ud83d\ude00", locale="es\udfff")
    fixed = scrubbed(odd)
    assert (fixed.author, fixed.text, fixed.locale) == ("U\ufffd1", "hola 😀", "es\ufffd")
    assert fixed.channel == "C1" and fixed.ts == at


def test_a_lone_surrogate_in_a_line_still_gets_its_nudge_and_reminder(kit: Kit) -> None:
    replies = kit.say(JUDGEMENT + " \ud800 Le llamo mañana a las 10.")
    assert [type(r) for r in replies] == [PrivateNudge, PrivateNotice]
    (row,) = kit.store.pending_reminders()
    assert "\ud800" not in row.text


@pytest.mark.parametrize(
    "command",
    [
        "recordar llamar a \ud800 Ana mañana a las 10",
        "revisar \udfff" + JUDGEMENT,
        "leads agregar " + person("an\ud800a"),
        "reglas desactivar \ud800",
        "ajustes zona \ud800",
    ],
)
def test_a_lone_surrogate_in_a_command_gets_a_real_answer(kit: Kit, command: str) -> None:
    kit.lead("U1")
    text = text_of([only(kit.coach(command))])
    assert "Algo falló" not in text and "base de datos" not in text


@pytest.mark.parametrize(
    "line",
    [
        "Le llamo\x00 mañana a las 10.",
        "\u200fLe llamo mañana a las 10.",
        "Le llamo 👩\u200d💻 mañana a las 10.",
    ],
)
def test_nul_bidi_marks_and_zwj_emoji_do_not_break_a_promise(kit: Kit, line: str) -> None:
    assert "Te lo recuerdo mañana a las 10:00" in text_of(kit.say(line))


def test_a_40000_character_draft_is_checked_and_the_answer_stays_short(kit: Kit) -> None:
    answer = text_of(kit.coach("revisar " + JUDGEMENT * 900))
    assert answer.startswith("Una idea antes de enviarlo")
    assert len(answer) < 4000


def test_a_huge_reminder_keeps_only_an_excerpt(kit: Kit) -> None:
    ack = text_of(kit.coach("recordar llamar a Ana mañana a las 10 " + "x" * 40_000))
    assert "Te lo recuerdo mañana a las 10:00" in ack and len(ack) < 400
    (row,) = kit.store.pending_reminders()
    assert len(row.text) <= 300


@pytest.mark.parametrize(
    "value", ["9" * 5000, "99999999999999999999", "²", "١", "", ",,,", "1," * 100_000, "-1", "x"]
)
@pytest.mark.parametrize("name", [actions.REMINDER_DONE, actions.NUDGE_USEFUL, actions.SHOW_TIPS])
def test_a_malformed_button_value_never_breaks(kit: Kit, name: str, value: str) -> None:
    replies = kit.press(Button(name, value, "x"))
    assert "Algo falló" not in text_of([r for r in replies if hasattr(r, "card")])
