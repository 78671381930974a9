"""A team's own rules: phrases folded like the text, files validated with file and line, and
patterns that could backtrack catastrophically refused before they run."""

from __future__ import annotations

import time

import pytest

from coaching import analyze
from coaching.regex_guard import problem
from coaching.team_rules import TeamPhrase, TeamRules, TeamRulesError, parse_file, phrase_rule

GOOD_FILE = """\
- id: defensive.es.no-es-mi-area
  type: tokens
  tokens: ["no es mi área", "eso lo lleva otro turno"]
  explanation: "Suena a que el caso no es asunto tuyo."
  suggestion: "Lo reviso con el área que corresponde y le escribo hoy mismo."
  tip: 5
  flag: ["Eso [[no es mi área]], lo siento"]
  pass: ["Revisé su área de envío"]
- allow: ["le confirmo que debería llegar mañana"]
"""


def flagged(team: TeamRules, text: str, role="agent") -> list[str]:
    analysis = analyze(text, role=role)
    return [f.rule for f in team.apply(text, analysis, role)]


def test_a_team_phrase_matches_with_the_same_folding():
    rule = phrase_rule(
        TeamPhrase("team-1", "eso lo ve facturación", "es", "defensive"), "Por qué.", "Mejor así."
    )
    team = TeamRules.of([rule], ())
    for text in (
        "ESO LO VE FACTURACION",
        "pues eso lo ve facturacióóón",
        "Éso  lo ve Facturación.",
    ):
        assert flagged(team, text) == ["defensive.es.team-1"], text
    assert flagged(team, "eso lo ve facturaciones") == []


def test_an_allowed_phrase_excuses_a_built_in_finding():
    text = "Usted debería haber leído el correo"
    assert flagged(TeamRules(), text)
    team = TeamRules.of([], ["usted deberia haber leido el correo"])
    assert flagged(team, text) == []


def test_a_good_file_loads_and_runs_its_examples():
    team = parse_file(GOOD_FILE, "T1.yml")
    assert [r.id for r in team.rules] == ["defensive.es.no-es-mi-area"]
    assert flagged(team, "Perdone, eso lo lleva otro turno") == ["defensive.es.no-es-mi-area"]
    assert team.allowed == ("le confirmo que debería llegar mañana",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: x\n  tip: 1\n", "T1.yml:1: id 'x' must start with <category>.<es|en>."),
        (
            GOOD_FILE + "- id: judgement.es.b\n  tip: 9\n",
            "T1.yml:10: judgement.es.b: tip must be 1..7",
        ),
        ("- allow: [\n", "T1.yml:2: not valid YAML"),
        (
            GOOD_FILE.replace('["Revisé su área de envío"]', '["eso lo lleva otro turno"]'),
            "T1.yml:1: the pass example 'eso lo lleva otro turno' is flagged",
        ),
        (
            "- allow: []\n- id: judgement.es.trap\n  patterns: ['(a+)+b']\n"
            "  explanation: x\n  suggestion: y\n  tip: 1\n",
            "T1.yml:2: patterns '(a+)+b' refused: a repetition inside a repetition",
        ),
        (GOOD_FILE + GOOD_FILE, "T1.yml:10: the id 'defensive.es.no-es-mi-area' is used twice"),
    ],
)
def test_a_bad_file_is_reported_by_file_and_line(text, message):
    with pytest.raises(TeamRulesError) as raised:
        parse_file(text, "T1.yml")
    assert str(raised.value).startswith(message), str(raised.value)


@pytest.mark.parametrize(
    "pattern", [r"(a+)+b", r"(\w+\s*)*x", r"(a|aa)*b", r"(x)\1", r"(?:\w+ ?)+$"]
)
def test_catastrophic_patterns_are_refused(pattern):
    assert problem(pattern) is not None


def test_team_phrases_stay_linear_on_hostile_input():
    rules = [
        phrase_rule(TeamPhrase(f"team-{i}", f"no es mi problema {i}", "es", "defensive"), "x", "y")
        for i in range(50)
    ]
    team = TeamRules.of(rules, ["no es mi"])
    text = "no es mi problema " * 5000
    head = analyze(text[:100])

    def cpu(size: int) -> float:  # best of three, CPU time: a busy machine does not decide it
        times = []
        for _ in range(3):
            started = time.process_time()
            team.apply(text[:size], head, "agent")
            times.append(time.process_time() - started)
        return max(min(times), 1e-4)

    assert cpu(len(text)) / cpu(len(text) // 10) < 25  # linear: ~10; quadratic: ~100
