"""Block Kit rendering: user text stays inert, limits hold, buttons carry their actions."""

from __future__ import annotations

import json

import pytest

from adapters.slack import ids
from adapters.slack.render import (
    BUTTON_TEXT_MAX,
    BUTTON_VALUE_MAX,
    BUTTONS_MAX,
    SECTION_TEXT_MAX,
    card_blocks,
    dm_payload,
    escape,
    notice_payload,
    nudge_payload,
    post_payload,
    replace_payload,
    update_payload,
)
from adapters.slack.text import clip_escaped
from adapters.slack.translate import block_action_to_action
from bot.model import (
    Button,
    Card,
    DirectMessage,
    Post,
    PrivateNotice,
    PrivateNudge,
    Section,
    UpdateOriginal,
)

HOSTILE = "<!channel> hola <@U123> & <https://evil.example|pulse aquí> &lt;!here&gt;"

NUDGE_CARD = Card(
    title="Un consejo sobre su mensaje",
    quote=HOSTILE,
    sections=(
        Section("Suena a reproche: «usted debería».", heading="Por qué"),
        Section("Veamos juntos cómo resolverlo & <@U999>", heading="Pruebe así"),
    ),
    link="https://calma-test.slack.com/archives/C1/p1763800123000200",
    link_label="ver mensaje",
    buttons=(
        Button("nudge_useful", "42", "Útil", "primary"),
        Button("nudge_not_applicable", "42", "No aplica"),
        Button("nudge_mute", "1h", "Silenciar 1 h", "danger"),
        Button("tips_show", "", "Ver consejos"),
    ),
)


def all_text(blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("a & b", "a &amp; b"),
        ("&lt;!here&gt;", "&lt;!here&gt;"),  # Slack-escaped text is not escaped twice
        ("&amp;", "&amp;"),
        ("5 > 3", "5 &gt; 3"),
    ],
)
def test_escape(raw, safe):
    assert escape(raw) == safe


def test_user_text_in_a_card_cannot_mention_or_link():
    text = all_text(card_blocks(NUDGE_CARD))
    for live in ("<!channel>", "<@U123>", "<@U999>", "<https://evil", "<!here>"):
        assert live not in text
    assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text and "&amp;" in text


def test_card_layout():
    blocks = card_blocks(NUDGE_CARD)
    assert [b["type"] for b in blocks] == [
        "header",
        "section",
        "section",
        "section",
        "context",
        "actions",
    ]
    assert blocks[0]["text"] == {"type": "plain_text", "text": NUDGE_CARD.title, "emoji": True}
    assert blocks[1]["text"]["text"].startswith(">&lt;!channel&gt;")
    assert blocks[2]["text"]["text"].startswith("*Por qué*\n")
    assert all(b["text"]["verbatim"] for b in blocks[1:4])
    link = blocks[4]["elements"][0]["text"]
    assert link == "<https://calma-test.slack.com/archives/C1/p1763800123000200|ver mensaje>"


def test_multiline_quote_marks_every_line():
    blocks = card_blocks(Card(title="t", quote="uno\ndos"))
    assert blocks[1]["text"]["text"] == ">uno\n>dos"


def test_buttons_carry_action_id_value_and_style():
    actions = card_blocks(NUDGE_CARD)[-1]
    assert actions["block_id"] == ids.BLOCK_ACTIONS
    first, _, mute, tips = actions["elements"]
    assert (first["action_id"], first["value"], first["style"]) == ("nudge_useful", "42", "primary")
    assert mute["style"] == "danger" and "style" not in tips
    assert first["text"]["text"] == "Útil"


def test_repeated_actions_get_unique_ids_that_translate_back():
    card = Card(title="t", buttons=(Button("snooze", "1h", "1 h"), Button("snooze", "9am", "9:00")))
    elements = card_blocks(card)[-1]["elements"]
    assert [e["action_id"] for e in elements] == ["snooze", "snooze~1"]
    body = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1"},
        "actions": [{"action_id": elements[1]["action_id"], "value": elements[1]["value"]}],
    }
    action = block_action_to_action(body)
    assert action is not None and (action.action, action.value) == ("snooze", "9am")


def test_limits_are_enforced_with_an_ellipsis():
    long = "x" * 5000
    card = Card(
        title="T" * 400,
        sections=(Section("&" * 2000),),  # escapes to 10,000 characters
        buttons=tuple(Button(f"a{i}", long, long) for i in range(30)),
    )
    blocks = card_blocks(card)
    assert len(blocks[0]["text"]["text"]) == 150 and blocks[0]["text"]["text"].endswith("…")
    section = blocks[1]["text"]["text"]
    assert len(section) <= SECTION_TEXT_MAX and section.endswith("&amp;…")
    buttons = blocks[-1]["elements"]
    assert len(buttons) == BUTTONS_MAX
    assert all(len(b["text"]["text"]) == BUTTON_TEXT_MAX for b in buttons)
    assert all(len(b["value"]) == BUTTON_VALUE_MAX for b in buttons)


def test_clipping_never_splits_an_entity():
    assert clip_escaped("ab&amp;cd", 5) == "ab…"
    assert clip_escaped("short", 5) == "short"


def test_nudge_is_ephemeral_to_the_author_in_their_thread():
    nudge = PrivateNudge(
        "slack", "T1", "U0AGENTE", "C0SOPORTE", "1763800100.000100", NUDGE_CARD, 42
    )
    payload = nudge_payload(nudge)
    assert (payload["channel"], payload["user"], payload["thread_ts"]) == (
        "C0SOPORTE",
        "U0AGENTE",
        "1763800100.000100",
    )
    assert "<!channel>" not in payload["text"] and payload["blocks"]
    assert "link_names" not in payload and "parse" not in payload


def test_notice_without_channel_needs_one():
    notice = PrivateNotice("slack", "T1", "U1", None, None, Card(title="hola"))
    with pytest.raises(ValueError):
        notice_payload(notice)
    assert notice_payload(notice, channel="D1")["channel"] == "D1"
    assert "thread_ts" not in notice_payload(notice, channel="D1")


def test_post_dm_and_updates():
    card = Card(title="Los siete consejos")
    post = post_payload(Post("slack", "T1", "C1", "1.2", card))
    assert post["unfurl_links"] is False and post["thread_ts"] == "1.2"
    dm = dm_payload(DirectMessage("slack", "T1", "U1", card, reminder_id=7), "D1")
    assert dm["channel"] == "D1" and "thread_ts" not in dm
    assert replace_payload(UpdateOriginal(card))["replace_original"] is True
    assert update_payload(UpdateOriginal(card), channel="D1", ts="9.9")["ts"] == "9.9"


def test_empty_title_and_blank_sections_are_left_out():
    blocks = card_blocks(Card(title=" ", sections=(Section(""), Section("hola"))))
    assert [b["type"] for b in blocks] == ["section"]


def test_people_become_mentions_after_the_text_around_them_is_escaped() -> None:
    from adapters.slack.render import fallback_text, message, people
    from bot.model import Button, Card, Section, person

    assert people(f"<b>&{person('U0123ABC')}</b>") == "&lt;b&gt;&amp;<@U0123ABC>&lt;/b&gt;"
    assert people(person("ana")) == "@ana"  # a typed @name is no Slack id: plain text
    assert people(person("U1|x><!channel")) == "@U1|x&gt;&lt;!channel"  # never a token
    card = Card(
        title=f"{person('U0123ABC')} ahora es líder.",
        sections=(Section(person("W0456DEF"), heading=person("U0123ABC")),),
        note=person("U0123ABC"),
        quote=person("U0123ABC"),
        buttons=(Button("a", "v", person("U0123ABC")),),
    )
    payload = message(card)
    raw = json.dumps(payload, ensure_ascii=False)
    assert "\ue000" not in raw and "\ue001" not in raw
    assert payload["blocks"][0] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "*<@U0123ABC> ahora es líder.*", "verbatim": True},
    }
    assert all(b["type"] != "header" for b in payload["blocks"])  # a header cannot mention
    texts = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    assert texts[1:] == ["><@U0123ABC>", "*<@U0123ABC>*\n<@W0456DEF>"]  # quote, section
    assert payload["blocks"][-1]["elements"][0]["text"]["text"] == "@U0123ABC"  # plain_text
    # the notification text never ends in half a mention
    long = Card(title="x" * (3000 - 5) + person("U0123ABC"))
    assert fallback_text(long).endswith("x…")
    assert fallback_text(Card(title="ok")) == "ok"
