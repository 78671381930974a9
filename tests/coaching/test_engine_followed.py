"""A rule's `followed_by`: a match is excused by what comes after it, in the rest of its sentence
or in the next one, never before it and never further on."""

from __future__ import annotations

import pytest

from coaching import analyze
from coaching.rules import RULES

LIMIT = "defensive.es.not-my-job"


def _rules(line: str) -> set[str]:
    return {f.rule for f in analyze(line, role="agent", lang="es").findings}


def test_the_honest_limit_rules_carry_followers() -> None:
    carrying = {r.id for r in RULES if r.followed_by}
    assert "defensive.es.not-my-job" in carrying


@pytest.mark.parametrize(
    "line",
    [
        "Eso no depende de mí. Ya le envié el reclamo al banco.",
        "Eso no depende de mí, lo decide el banco; lo que sí hice fue mandarle su caso completo.",
    ],
)
def test_an_action_in_the_next_sentence_excuses_the_limit(line: str) -> None:
    assert LIMIT not in _rules(line)


@pytest.mark.parametrize(
    "line",
    [
        "Eso no depende de mí.",
        "Ya le envié el reclamo. Eso no depende de mí.",  # before it: not an answer to it
        "Eso no depende de mí. Hable con el banco. Ya le envié el reclamo.",  # two sentences on
    ],
)
def test_without_an_action_right_after_the_limit_is_flagged(line: str) -> None:
    assert LIMIT in _rules(line)
