"""Team rules through the service: a lead adds, allows, lists and removes phrases; a workspace
file in CALMA_RULES_DIR is applied; a bad file stops the start with its file and line."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.runtime import Runtime
from bot.config import ConfigError, Settings
from bot.model import PrivateNudge
from tests.bot.service_kit import WS, Kit, text_of
from tests.fakes import FakeClock

JUDGEMENT = "Usted debería haber leído el correo"
TEAM_FILE = """\
- id: overpromise.es.garantia-total
  type: tokens
  tokens: ["le garantizo al cien por ciento"]
  explanation: "No podemos garantizarlo así."
  suggestion: "Haré todo lo que esté en mi mano y le confirmo hoy."
  tip: 5
  flag: ["[[Le garantizo al cien por ciento]] que llega"]
  pass: ["Le garantizo una respuesta hoy"]
"""


@pytest.fixture
def kit(tmp_path):
    k = Kit(tmp_path / "calma.db", FakeClock())
    k.lead()
    yield k
    k.service.reminders.shutdown()
    k.store.close()


def nudged_rules(replies) -> list[str]:
    return [r.card.quote for r in replies if isinstance(r, PrivateNudge)]


def test_a_lead_adds_a_phrase_and_agents_are_nudged_on_it(kit: Kit):
    answer = text_of(
        kit.coach('reglas agregar defensiva "eso lo ve facturación" Lo reviso yo', "LEAD")
    )
    assert "#1" in answer and "A la defensiva" in answer
    replies = kit.say("Perdone, ESO LO VE FACTURACION.", author="U1")
    assert nudged_rules(replies) == ["ESO LO VE FACTURACION"]
    (nudge,) = [r for r in replies if isinstance(r, PrivateNudge)]
    assert "Lo reviso yo" in nudge.card.plain_text()
    assert "eso lo ve facturación" in text_of(kit.coach("reglas", "U1"))
    assert "Lo reviso yo" in text_of(kit.coach("revisar eso lo ve facturación"))


def test_an_allowed_phrase_is_not_flagged_and_removing_it_brings_the_nudge_back(kit: Kit):
    assert nudged_rules(kit.say(JUDGEMENT, author="U1"))
    kit.advance(hours=2)
    text_of(kit.coach('reglas permitir "usted debería haber leído el correo"', "LEAD"))
    assert nudged_rules(kit.say(JUDGEMENT, author="U2")) == []
    assert "permitida" in text_of(kit.coach("reglas", "LEAD"))
    assert "quité la frase #1" in text_of(kit.coach("reglas quitar 1", "LEAD"))
    assert nudged_rules(kit.say(JUDGEMENT, author="U3"))
    assert "No hay una frase #1" in text_of(kit.coach("reglas quitar 1", "LEAD"))


def test_agents_cannot_change_team_rules(kit: Kit):
    assert "para líderes" in text_of(kit.coach('reglas permitir "usted debería"', "U1"))
    assert kit.store.team_phrases("slack", WS) == []


def test_a_workspace_file_is_applied(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / f"{WS}.yml").write_text(TEAM_FILE, encoding="utf-8")
    kit = Kit(tmp_path / "calma.db", FakeClock())
    kit.settings = replace(kit.settings, rules_dir=str(rules))
    kit.restart()
    try:
        replies = kit.say("Le garantizo al cien por ciento que llega mañana", author="U1")
        assert nudged_rules(replies) == ["Le garantizo al cien por ciento"]
        kit.lead()
        assert f"{WS}.yml" in text_of(kit.coach("reglas", "LEAD"))
    finally:
        kit.service.reminders.shutdown()
        kit.store.close()


def test_a_bad_file_stops_the_start_naming_file_and_line(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    bad = TEAM_FILE + "- id: judgement.es.trampa\n  patterns: ['(\\w+\\s?)+$']\n"
    (rules / "T9.yml").write_text(bad, encoding="utf-8")
    settings = Settings(db=str(tmp_path / "calma.db"), rules_dir=str(rules))
    with pytest.raises(ConfigError) as raised:
        Runtime(settings)
    message = str(raised.value)
    assert f"{rules / 'T9.yml'}:9:" in message
    assert "refused" in message and "repetition" in message
