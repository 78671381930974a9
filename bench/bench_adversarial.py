"""Worst case per pattern: 40,000-character lines built from the rules' own literals.

Usage: .venv/bin/python bench/bench_adversarial.py [--check] [--top N]

For every pattern of every rule, the literals its matches must contain (the prefilter's own
sets) are repeated, with a space and then with a flag example of the rule, up to 40,000
characters; `coaching.analyze` runs once on each line (best of 3, so a stray pause does not
count) in the rule's role and language. Prints the slowest lines (wall and CPU time); `--check`
exits 1 when any takes 50 ms or more of wall time (issue 12).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coaching import analyze
from coaching.prefilter import required_literals
from coaching.rules import RULES

SIZE = 40_000
LIMIT_MS = 50.0


def lines() -> list[tuple[str, str, str, str]]:
    """(label, role, lang, text) for every adversarial line."""
    out: list[tuple[str, str, str, str]] = []
    for rule in RULES:
        role = "customer" if rule.category == "abuse" else "agent"
        seeds: list[str] = list(rule.flag[:1])
        for p in rule.patterns:
            lits = required_literals(p.pattern)
            if lits:
                seeds.append(" ".join(sorted(lits)[:8]))
        for n, seed in enumerate(seeds):
            text = ((seed + " ") * (SIZE // (len(seed) + 1) + 1))[:SIZE]
            out.append((f"{rule.id}#{n}", role, rule.lang, text))
    return out


def timed(role: str, lang: str, text: str) -> tuple[float, float]:
    """Best wall and best CPU time of three runs, in ms (on a shared machine the CPU time shows
    the line's own cost when the wall time also counts waiting for a core)."""
    best = cpu = float("inf")
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        analyze(text, role=role, lang=lang)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return best * 1000, cpu * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help=f"exit 1 at {LIMIT_MS:.0f} ms")
    parser.add_argument("--top", type=int, default=10, help="how many of the slowest to print")
    args = parser.parse_args()
    results = sorted(
        ((*timed(role, lang, text), label) for label, role, lang, text in lines()), reverse=True
    )
    for ms, cpu, label in results[: args.top]:
        print(f"{ms:8.1f} ms  {cpu:8.1f} ms CPU  {label}")
    worst = results[0][0]
    worst_cpu = max(cpu for _, cpu, _ in results)
    print(f"{len(results)} lines of {SIZE:,} characters; worst {worst:.1f} ms", end="")
    print(f" (limit {LIMIT_MS:.0f}; worst CPU {worst_cpu:.1f} ms)")
    return 1 if args.check and worst >= LIMIT_MS else 0


if __name__ == "__main__":
    raise SystemExit(main())
