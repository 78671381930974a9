import json

from adapters.teams.people import named
from adapters.teams.render import (
    ADAPTIVE_CARD,
    MAX_ACTIONS,
    MAX_CARD_BYTES,
    MAX_QUOTE,
    adaptive_card,
    card_activity,
    escape_markdown,
)
from adapters.teams.translate import translate
from bot.model import Action, Button, Card, Section, person
from bot.service import DoorTexts
from tests.adapters.teams.payloads import load

NUDGE = Card(
    title="Una forma más amable de decirlo",
    quote="usted debería haber leído el *correo*",
    sections=(
        Section("Suena a reproche; el cliente se pone a la defensiva.", heading="Por qué"),
        Section("Le reenvío el correo ahora mismo.\nAsí lo tiene a mano.", heading="Prueba"),
    ),
    buttons=(
        Button("nudge_feedback", "useful:42", "Útil", style="primary"),
        Button("nudge_feedback", "not_applicable:42", "No aplica"),
        Button("mute", "1h", "Silenciar 1 h", style="danger"),
        Button("tips", "", "Consejos"),
    ),
    link="https://example.org/calma/consejos",
    link_label="Los 7 consejos",
)


def texts(element):
    """Every string a card shows, in order."""
    if isinstance(element, dict):
        if element.get("type") in ("TextBlock", "TextRun"):
            yield element["text"]
        for value in element.values():
            yield from texts(value)
    elif isinstance(element, list):
        for item in element:
            yield from texts(item)


def test_card_shape():
    content = adaptive_card(NUDGE)
    assert content["type"] == "AdaptiveCard"
    assert content["version"] == "1.5"
    assert content["$schema"].startswith("http://adaptivecards.io/")
    title = content["body"][0]
    assert title["type"] == "TextBlock" and title["weight"] == "Bolder" and title["wrap"]
    assert content["fallbackText"] == NUDGE.plain_text()


def test_every_text_block_wraps():
    blocks = [e for e in _walk(adaptive_card(NUDGE)) if e.get("type") == "TextBlock"]
    assert blocks and all(b["wrap"] is True for b in blocks)


def test_quote_is_an_emphasised_container_of_plain_italic_runs():
    quote = adaptive_card(NUDGE)["body"][1]
    assert quote["type"] == "Container" and quote["style"] == "emphasis"
    run = quote["items"][0]["inlines"][0]
    assert run == {"type": "TextRun", "text": NUDGE.quote, "italic": True}


def test_user_text_is_never_markdown():
    shown = list(texts(adaptive_card(NUDGE)))
    assert "usted debería haber leído el *correo*" in shown  # a TextRun: shown literally
    assert "Le reenvío el correo ahora mismo." in shown
    assert "Así lo tiene a mano." in shown  # one run per line


def test_sections_have_bold_headings():
    body = adaptive_card(NUDGE)["body"]
    headings = [b["text"] for b in body if b.get("weight") == "Bolder"][1:]
    assert headings == ["Por qué", "Prueba"]


def test_buttons_are_submits_carrying_action_and_value():
    actions = adaptive_card(NUDGE)["actions"]
    submits = [a for a in actions if a["type"] == "Action.Submit"]
    assert [a["data"] for a in submits] == [
        {"action": b.action, "value": b.value} for b in NUDGE.buttons
    ]
    assert [a.get("style") for a in submits] == ["positive", None, "destructive", None]
    assert actions[-1] == {
        "type": "Action.OpenUrl",
        "title": "Los 7 consejos",
        "url": "https://example.org/calma/consejos",
    }


def test_a_pressed_button_comes_back_as_the_same_action():
    button = adaptive_card(NUDGE)["actions"][1]
    event = translate(load("card_submit", value=button["data"]))
    assert isinstance(event, Action)
    assert (event.action, event.value) == ("nudge_feedback", "not_applicable:42")


def test_title_markdown_is_escaped():
    content = adaptive_card(Card(title="**Hola** [x](http://evil) <b>_y_</b> 1. #"))
    assert content["body"][0]["text"] == (
        r"\*\*Hola\*\* \[x\]\(http://evil\) \<b\>\_y\_\</b\> 1\. \#"
    )


def test_escape_markdown_leaves_plain_words_alone():
    assert escape_markdown("Atención al cliente, día 3") == "Atención al cliente, día 3"


def test_long_quote_is_clipped():
    content = adaptive_card(Card(title="t", quote="a" * 5000))
    run = content["body"][1]["items"][0]["inlines"][0]["text"]
    assert len(run) == MAX_QUOTE and run.endswith("…")


def test_too_many_buttons_are_cut_to_the_teams_limit():
    card = Card(title="t", buttons=tuple(Button("a", str(i), f"b{i}") for i in range(9)))
    assert len(adaptive_card(card)["actions"]) == MAX_ACTIONS


def test_huge_card_stays_under_the_size_limit():
    card = Card(title="t", sections=tuple(Section("ñ" * 1999, heading=str(i)) for i in range(40)))
    content = adaptive_card(card)
    assert len(json.dumps(content).encode()) <= MAX_CARD_BYTES
    assert any(b.get("type") == "RichTextBlock" for b in content["body"])


def test_card_without_buttons_has_no_actions():
    assert "actions" not in adaptive_card(Card(title="Hecho"))


def test_card_activity_carries_an_adaptive_card_attachment():
    activity = card_activity(NUDGE)
    assert activity["type"] == "message"
    assert activity["summary"] == NUDGE.title
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == ADAPTIVE_CARD == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"] == adaptive_card(NUDGE)
    json.dumps(activity)  # plain JSON, ready for the connector


def _walk(element):
    if isinstance(element, dict):
        yield element
        for value in element.values():
            yield from _walk(value)
    elif isinstance(element, list):
        for item in element:
            yield from _walk(item)


def test_note_is_a_quiet_plain_footnote_after_the_sections():
    card = adaptive_card(
        Card(title="Una idea", sections=(Section("Texto"),), note="¡Gracias! *Anotado*")
    )
    *_, last = card["body"]
    assert last["type"] == "RichTextBlock"
    [run] = last["inlines"]
    assert run == {
        "type": "TextRun",
        "text": "¡Gracias! *Anotado*",
        "isSubtle": True,
        "size": "Small",
    }


def test_people_are_named_and_the_markers_never_reach_teams():
    ana, nadie = "a1a2a3a4-b5b6-4c7c-8d8d-e9e0f1f2f3f4", "29:1Nadie-xYz9"
    card = Card(
        title=f"{person(ana)} ahora es líder.",
        quote=person(nadie),
        sections=(Section(f"{person(ana)}\n{person(nadie)}", heading=person(ana)),),
        note=person(nadie),
        buttons=(Button("a", "v", person(ana)),),
    )
    shown = adaptive_card(named(card, {ana: "Ana López"}, DoorTexts("es").someone))
    raw = json.dumps(shown, ensure_ascii=False)
    assert "\ue000" not in raw and "\ue001" not in raw
    assert "Ana López ahora es líder" in raw
    assert "alguien (id …xYz9)" in raw and ana not in raw and nadie not in raw
    # a card no one named: the render itself falls back, with no markers
    bare = json.dumps(card_activity(card), ensure_ascii=False)
    assert "\ue000" not in bare and "\ue001" not in bare
    assert "alguien (id …f3f4)" in bare and ana not in bare
    en = json.dumps(adaptive_card(named(card, {}, DoorTexts("en").someone)), ensure_ascii=False)
    assert "someone (id …f3f4)" in en
