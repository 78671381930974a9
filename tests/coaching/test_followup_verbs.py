"""coaching/followup_verbs.py: the helpers behind `find_verbs`."""

from __future__ import annotations

import random
import re

import pytest

from coaching.followup_verbs import _AFTER, _EN, _ES, _STEMS, _matches, _windows
from coaching.model import Lang


def _windowed(rx: re.Pattern[str], text: str, stems: object, limit: int) -> list[tuple[int, int]]:
    """What `_matches` finds, the plain way: every window scanned on its own."""
    out: list[tuple[int, int]] = []
    for lo, hi in _windows(text, stems):
        for m in rx.finditer(text, lo, hi):
            out.append(m.span())
            if len(out) >= limit:
                return out
    return out


@pytest.mark.parametrize("lang", ["es", "en"])
def test_matches_finds_what_a_scan_of_each_window_finds(lang: Lang) -> None:
    """Short texts are scanned whole before their stems are looked for: the same matches, also
    where a run of spaces puts a promise's start far before its stem."""
    rx = _ES if lang == "es" else _EN
    pieces = {
        "es": ["le", "llamo", "te", "lo", "envio", "voy a", "llamarle", "no", "x", "ya", "manana"],
        "en": ["i'll", "call", "you", "let me", "know", "we", "will", "send", "x", "not", "it"],
    }[lang]
    spaces = [" ", " ", " ", "  ", " " * 40, " " * 70, "\n", ". "]
    rng = random.Random(11)
    for _ in range(4_000):
        words = rng.choices(pieces, k=rng.randint(0, 14))
        text = "".join(w + rng.choice(spaces) for w in words)[: rng.choice([_AFTER, 300])]
        for limit in (1, 2, 20):
            got = [m.span() for m in _matches(rx, text, _STEMS[lang], limit)]
            assert got == _windowed(rx, text, _STEMS[lang], limit), (text, limit)
