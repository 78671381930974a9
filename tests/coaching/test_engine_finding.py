"""`engine._finding` makes the `Finding` its constructor would: equal, with the same hash and
repr, and written the same by orjson and by `dataclasses.asdict`."""

from __future__ import annotations

from dataclasses import asdict

import orjson

from coaching.engine import _finding
from coaching.model import Finding
from coaching.rules import RULES


def test_finding_is_the_constructor_s() -> None:
    naming = [r for r in RULES if r.names is not None]  # explanations that name a word
    for rule in [*naming, *RULES[:3]]:
        excerpt = "Comprendo su molestia, pero"
        made = _finding(rule, 3, 3 + len(excerpt), excerpt, "una sugerencia")
        want = Finding(
            category=rule.category,
            rule=rule.id,
            start=3,
            end=3 + len(excerpt),
            excerpt=excerpt,
            explanation=rule.explain(excerpt),
            suggestion="una sugerencia",
            tip=rule.tip,
        )
        assert made == want
        assert hash(made) == hash(want)
        assert repr(made) == repr(want)
        assert orjson.dumps(made) == orjson.dumps(want)
        assert asdict(made) == asdict(want)
        assert list(vars(made)) == list(vars(want))
