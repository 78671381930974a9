"""The neutral markup that names a person in a reply (bot.model.person) and its helpers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.model import (
    Button,
    Card,
    Person,
    Section,
    name_people,
    people_in,
    person,
    split_people,
    without_markers,
)
from bot.service.scrub import clean


def test_person_wraps_an_id_and_split_finds_it() -> None:
    text = f"{person('U1')} y {person('U2')} son líderes."
    assert split_people(text) == [Person("U1"), " y ", Person("U2"), " son líderes."]
    assert people_in(text) == ["U1", "U2"]
    assert name_people(text, lambda u: f"<{u}>") == "<U1> y <U2> son líderes."


def test_stray_markers_are_dropped_and_ids_cannot_nest() -> None:
    assert person("U\ue0001\ue001") == person("U1")
    assert split_people("a\ue000b") == ["ab"] and split_people("a\ue001b") == ["ab"]
    assert name_people(person("U1"), lambda u: f"\ue000{u}\ue001!") == "U1!"  # a name, too


def test_plain_text_shows_ids_or_names_and_never_markers() -> None:
    card = Card(
        title=f"{person('U1')} ahora es líder.",
        sections=(Section(person("U2"), heading=person("U3")),),
        quote=person("U4"),
        note=person("U5"),
        buttons=(Button("a", "v", person("U6")),),
    )
    assert card.plain_text() == "U1 ahora es líder.\n> U4\nU3: U2\nU5"
    assert card.plain_text(lambda u: u.lower()).startswith("u1 ahora")
    assert people_in(card.marked_text()) == ["U1", "U4", "U3", "U2", "U5"]
    shown = card.with_people(lambda u: f"@{u}")
    assert shown.title == "@U1 ahora es líder." and shown.buttons[0].label == "@U6"
    assert "\ue000" not in repr(shown) and "\ue001" not in repr(shown)


def test_incoming_text_loses_the_markers_and_keeps_identity_when_clean() -> None:
    text = "hola"
    assert clean(text) is text
    assert clean("\ue000U999\ue001 hola") == "U999 hola"
    assert clean("\ud800\ue000x") == "\ufffdx"


@given(st.text())
def test_clean_text_never_carries_a_person(text: str) -> None:
    cleaned = clean(text)
    assert people_in(cleaned) == [] and without_markers(cleaned) == cleaned
