"""Promise verbs: the Spanish scan led by the character before a match finds what `_ES` finds."""

from __future__ import annotations

import random

from coaching import followup_verbs as fv
from tests.coaching.test_time_lexicon import _texts_and_shuffles


def _plain(text: str, limit: int) -> list[tuple[int, int, dict[str, str | None]]]:
    return [
        (m.start(), m.end(), m.groupdict())
        for m in fv._matches(fv._ES, text, fv._STEMS["es"], limit)
    ]


def test_the_spanish_scan_finds_the_matches_of_its_windows() -> None:
    texts = _texts_and_shuffles()
    rng = random.Random(5)
    long = ["".join(rng.choices(texts, k=30)) for _ in range(20)]  # several windows each
    found = 0
    for text in [*texts, *long, "", "le", "le llamo", " le llamo", "¿le llamo?", "x\nle aviso"]:
        for limit in (1 << 30, 2):
            got = [
                (s, e, {k: v for k, v in m.groupdict().items() if k != "verb"})
                for m, s, e in fv._es_matches(text, limit)
            ]
            assert got == _plain(text, limit), text
            found += len(got)
    assert found > 500
