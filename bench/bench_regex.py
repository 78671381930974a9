"""Timing of the wording rules: typical lines (p50/p99, lines per second) and 40,000-char lines.

Usage: .venv/bin/python bench/bench_regex.py [--rules-only]
Targets (issue 2): p99 < 2 ms per typical line, >= 5,000 lines/s, a 40,000-char line < 50 ms.
`--rules-only` skips follow-up resolution to time this engine alone.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from coaching import analyze
from coaching.engine import run_rules
from coaching.lang import detect_lang, detect_register
from coaching.normalize import fold

TYPICAL = [
    "Hola, ¿me confirma su número de pedido, por favor?",
    "Usted debería haber leído las condiciones antes de comprar.",
    "Comprendo el inconveniente, pero son las políticas de la empresa.",
    "El paquete debería llegar el jueves; le escribo mañana a las 10 para confirmarlo.",
    "ok q ud deberia haber revisado el correo",
    "Entiendo que le cobraron dos veces; ya pedí el reembolso.",
    "You should have contacted us within 30 days.",
    "Thanks for waiting, I'll call you tomorrow at 9.",
    "Eres un inútil, llevo tres días esperando",
    "Le prometo que hoy queda resuelto.",
    "No se preocupe, ya quedó activo el plan.",
    "Vos tenías que haber hecho el reclamo con el número de factura.",
]
ADVERSARIAL = {
    "usted debería haber x2000": "usted debería haber " * 2000,
    "letters": "a" * 40_000,
    "spaces": " " * 40_000,
    "accents": "é" * 40_000,
    "comprendo x4000": "comprendo " * 4000,
    "eres un x5000": "eres un " * 5000,
    "you should have x2500": "you should have " * 2500,
}


def rules_only(text: str, role: str) -> None:
    """analyze() without follow-ups: fold, detect, run the rules."""
    from coaching.analyze import _SETS

    folded = fold(text)
    lang = detect_lang(folded.text)
    run_rules(folded, _SETS[(role, lang)], lang, lambda: detect_register(folded.text, lang, text))  # type: ignore[index]


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules-only", action="store_true")
    parser.add_argument("-n", type=int, default=20_000)
    args = parser.parse_args()
    run: Callable[[str, str], object] = (
        rules_only if args.rules_only else (lambda t, r: analyze(t, role=r))  # type: ignore[arg-type]
    )
    rng = random.Random(7)
    lines = [rng.choice(TYPICAL) for _ in range(args.n)]
    for line in TYPICAL:
        run(line, "agent")
    times = []
    t0 = time.perf_counter()
    for i, line in enumerate(lines):
        s = time.perf_counter()
        run(line, "customer" if i % 5 == 0 else "agent")
        times.append(time.perf_counter() - s)
    total = time.perf_counter() - t0
    times.sort()
    p99 = times[int(len(times) * 0.99)]
    print(
        f"{len(lines)} lines: {len(lines) / total:,.0f} lines/s, "
        f"p50 {statistics.median(times) * 1000:.3f} ms, p99 {p99 * 1000:.3f} ms"
    )
    for name, text in ADVERSARIAL.items():
        for role in ("agent", "customer"):
            s = time.perf_counter()
            run(text, role)
            print(f"{name:28} {role:8} {(time.perf_counter() - s) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
