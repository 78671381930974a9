"""The rewriters' sentence ends."""

from __future__ import annotations

import random
import re

from coaching.rewrite import SENTENCE_END


def test_sentence_end_finds_what_its_plain_form_finds() -> None:
    plain = re.compile(r"[.!?;]{1,3}(?=\s|$)|\n")
    rng = random.Random(3)
    pieces = [".", "!", "?", ";", "\n", " ", "\t", "a", "1", "...", ". ", "?!"]
    for _ in range(20_000):
        text = "".join(rng.choices(pieces, k=rng.randint(0, 12)))
        lo, hi = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
        want = [m.span() for m in plain.finditer(text, lo, hi)]
        assert [m.span() for m in SENTENCE_END.finditer(text, lo, hi)] == want, (text, lo, hi)
