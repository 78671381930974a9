"""Issue 10, wording: answers that say exactly what happened, in plain words."""

from __future__ import annotations

from bot.model import person
from tests.bot.service_kit import Kit, text_of


def test_a_changed_setting_is_named_with_its_article(kit: Kit) -> None:
    kit.lead("LEAD")
    said = text_of(kit.coach("ajustes zona Europe/Madrid", author="LEAD"))
    assert said == "Listo: la zona horaria ahora es Europe/Madrid."
    said = text_of(kit.coach("ajustes idioma en", author="LEAD"))
    assert said == "Listo: el idioma ahora es inglés."


def test_settings_name_their_keys(kit: Kit) -> None:
    kit.lead("LEAD")
    shown = text_of(kit.coach("ajustes", author="LEAD"))
    for word in ("idioma · ", "zona · ", "limite · ", "anticipacion · ", "resumen · "):
        assert word in shown
    assert "con clave idioma, zona, limite, anticipacion o resumen" in shown


def test_removing_someone_never_marked_as_customer_says_so(kit: Kit) -> None:
    kit.lead("LEAD")
    said = text_of(kit.coach(f"clientes quitar {person('U777')}", author="LEAD", people=("U777",)))
    assert "no estaba marcado como cliente" in said


def test_publishing_tips_without_a_number_asks_which(kit: Kit) -> None:
    kit.lead("LEAD")
    (reply,) = kit.coach("consejos publicar", author="LEAD")
    assert "¿Qué consejo publico?" in text_of([reply])


def test_help_on_remind_shows_an_example(kit: Kit) -> None:
    said = text_of(kit.coach("ayuda recordar"))
    assert "/coach recordar llamar a Ana mañana a las 10" in said
