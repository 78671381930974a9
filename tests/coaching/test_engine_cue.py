"""The literal scan's cue words: the promise stems an agent's rule set also looks for."""

from __future__ import annotations

import pytest

from coaching.engine import literal_mask, rule_set, run_rules
from coaching.followup_verbs import STEMS, find_verbs
from coaching.model import Lang
from coaching.normalize import fold
from coaching.rules import RULES
from tests.coaching.labelled import TEXTS

ES_AGENT = [r for r in RULES if r.lang == "es" and r.category != "abuse"]


def test_the_cue_bit_is_set_only_when_a_cue_word_is_in_the_text() -> None:
    rules = rule_set(ES_AGENT, cue=("llam", "avis"))
    assert rules.cue_bit == 1 << len(rules.pairs)
    assert literal_mask(rules, fold("le llamo mañana").text) & rules.cue_bit
    assert not literal_mask(rules, fold("buenos días").text) & rules.cue_bit
    assert rule_set(ES_AGENT).cue_bit == 0


def test_the_cue_changes_no_finding() -> None:
    plain, cued = rule_set(ES_AGENT), rule_set(ES_AGENT, cue=STEMS["es"])
    for text in TEXTS[:400]:
        folded = fold(text)
        with_cue = run_rules(folded, cued, "es", lambda: "usted")
        assert with_cue == run_rules(folded, plain, "es", lambda: "usted"), text
        mask = literal_mask(cued, folded.text)
        assert run_rules(folded, cued, "es", lambda: "usted", mask) == with_cue


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_text_without_a_stem_has_no_promise_verb(lang: Lang) -> None:
    """What lets `analyze` skip the follow-up search when the cue bit is not set."""
    rules = rule_set([], cue=STEMS[lang])
    seen = 0
    for text in TEXTS:
        folded = fold(text)
        if literal_mask(rules, folded.text) & rules.cue_bit:
            continue
        seen += 1
        assert find_verbs(folded, lang) == [], text
    assert seen > 100
