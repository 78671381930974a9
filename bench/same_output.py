"""Is `calma analyze --jsonl` still byte-identical? Dump its answers once, compare after a change.

Usage:
    .venv/bin/python bench/same_output.py dump DIR      # before a change: inputs and answers
    .venv/bin/python bench/same_output.py compare DIR   # after it: exit 1 on any difference

The inputs: every hand-labelled set (tests/coaching/data/*.jsonl) as it is, then again with its
language given and with the other role, the 30,000 mixed lines of bench_analyze.make_lines, and
the adversarial 40,000-character lines of bench_adversarial (each rule's literals and first flag
example, in its role and language, also without a language). The inputs are written beside the
answers, so a change to what builds them (the prefilter's literals) cannot move the comparison.
Every answer is whole: findings with
their explanations and suggestions, and follow-ups. Each input runs through one real
`python -m app.cli analyze --jsonl` process with a fixed default zone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "coaching" / "data"
_KEEP = ("id", "text", "role", "ts", "tz", "lang")


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [
            {k: v for k, v in json.loads(line).items() if k in _KEEP} for line in f if line.strip()
        ]


def inputs() -> dict[str, list[dict[str, Any]]]:
    """Name -> request rows."""
    from bench_adversarial import lines as adversarial
    from bench_analyze import make_lines

    out: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(DATA.glob("*.jsonl")):
        rows = _rows(path)
        out[path.stem] = rows
        out[path.stem + ".other_role"] = [
            {**r, "role": "customer" if r.get("role", "agent") == "agent" else "agent"}
            for r in rows
        ]
        out[path.stem + ".lang"] = [
            {**r, "lang": lang} for r in rows for lang in ("es", "en") if "lang" not in r
        ]
    out["make_lines_30000"] = make_lines(30_000)
    adv = [
        {"id": label, "text": text, "role": role, "lang": lang, "ts": "2025-03-04T09:15:00-06:00"}
        for label, role, lang, text in adversarial()
    ]
    out["adversarial"] = adv + [{k: v for k, v in r.items() if k != "lang"} for r in adv]
    return out


def run(src: bytes) -> bytes:
    """The answers of one `calma analyze --jsonl` process to the request lines `src`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CALMA_TZ": "America/Mexico_City"}
    cmd = [sys.executable, "-m", "app.cli", "analyze", "--jsonl"]
    return subprocess.run(cmd, input=src, capture_output=True, check=True, env=env).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("dump", "compare"))
    parser.add_argument("dir", type=Path)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    bad = 0
    if args.mode == "dump":
        for name, rows in inputs().items():
            src = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
            (args.dir / f"{name}.in.jsonl").write_bytes(src)
            (args.dir / f"{name}.out.jsonl").write_bytes(run(src))
            print(f"{name}: {len(rows)} lines dumped")
        return 0
    for src_path in sorted(args.dir.glob("*.in.jsonl")):
        name = src_path.name.removesuffix(".in.jsonl")
        got = run(src_path.read_bytes())
        want = (args.dir / f"{name}.out.jsonl").read_bytes()
        if got == want:
            print(f"{name}: {len(want.splitlines())} lines identical")
            continue
        bad += 1
        before, after = want.splitlines(), got.splitlines()
        for n, (a, b) in enumerate(zip(before, after, strict=False)):
            if a != b:
                print(f"{name}: DIFFERENT at line {n + 1}")
                print(f"  before {a[:400]!r}\n  after  {b[:400]!r}")
                break
        else:
            print(f"{name}: DIFFERENT line counts {len(before)} vs {len(after)}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
