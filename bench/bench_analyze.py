"""Speed and memory of the coaching core, against the targets of issue 2.

Usage: .venv/bin/python bench/bench_analyze.py [--lines N] [--check]

Measures, over N (default 12,000) mixed realistic lines:
  (a) lines per second through the real `calma analyze --jsonl` subprocess (wall time, stdin piped),
  (b) per-line latency p50/p99 of `coaching.analyze` in-process,
  (c) the time for one 40,000-character line,
  (d) the peak RSS of the subprocess.
Prints a table and writes the figures as JSON to bench/results/ (gitignored). `--check` exits 1
when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
REALISTIC = ROOT / "tests" / "coaching" / "data" / "realistic.jsonl"
RESULTS = ROOT / "bench" / "results"

TARGETS = {
    "lines_per_second": (5000.0, "≥"),
    "p99_ms": (2.0, "<"),
    "long_line_ms": (50.0, "<"),
    "peak_rss_mb": (150.0, "<"),
}

_SYNTHETIC_AGENT = [
    "Usted debería haber leído las condiciones antes de contratar.",
    "Comprendo su molestia, pero son las políticas de la empresa.",
    "Le llamo mañana a las {h} para confirmarle el cambio.",
    "Le escribo el {day} por la mañana con la respuesta de facturación.",
    "Gracias por su paciencia, ya estoy revisando el pedido {n}.",
    "Su pedido {n} debería llegar el jueves; le aviso si cambia algo.",
    "Como ya le dije, eso no depende de mí.",
    "Obviamente, es muy sencillo: cualquiera puede hacerlo desde la app.",
    "Le prometo que hoy queda resuelto.",
    "¿Me confirma el número de cliente, por favor?",
    "Debe ingresar con su número de cliente y la contraseña de 8 caracteres.",
    "Deberíamos haberle avisado antes, disculpe la molestia.",
    "You should have read the email we sent last week.",
    "I'll call you back in {h} hours with an update.",
    "Thanks for flagging this, I'm checking your order {n} now.",
    "hola!! q tal, ya vi su caso, en media hora le confirmo",
]
_SYNTHETIC_CUSTOMER = [
    "Esto es inaceptable, llevo una semana esperando.",
    "Eres un inútil, no sabes hacer nada.",
    "Voy a cancelar si no lo resuelven hoy.",
    "Son unos ladrones, me cobraron dos veces.",
    "Voy a poner una queja ante Profeco.",
    "This is the third time I write, nobody answers.",
]
_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes"]
_ZONES = [
    "America/Mexico_City",
    "Europe/Madrid",
    "America/Bogota",
    "America/Argentina/Buenos_Aires",
]
_GREETINGS = ["", "", "Hola Ana, ", "Buenas tardes. ", "Hola! ", "Estimado cliente: "]
_CLOSINGS = ["", "", " Saludos.", " Quedo atenta.", " 🙂", " Gracias."]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _vary(text: str, rng: random.Random) -> str:
    """A chat-like variation: greeting, closing, missing accents, shouting, stretched letters."""
    text = rng.choice(_GREETINGS) + text + rng.choice(_CLOSINGS)
    roll = rng.random()
    if roll < 0.2:
        text = _strip_accents(text)
    elif roll < 0.3:
        text = text.lower()
    elif roll < 0.35:
        text = text.upper()
    if rng.random() < 0.1:
        text = text.replace("o", "ooo", 1)
    return text


def _realistic() -> list[dict[str, Any]]:
    if not REALISTIC.exists():
        return []
    rows = []
    with REALISTIC.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                rows.append({k: row[k] for k in ("text", "role", "ts", "tz") if k in row})
    return rows


def _synthetic(rng: random.Random, start: datetime) -> Iterator[dict[str, Any]]:
    while True:
        customer = rng.random() < 0.2
        template = rng.choice(_SYNTHETIC_CUSTOMER if customer else _SYNTHETIC_AGENT)
        text = template.format(
            h=rng.randint(1, 11), n=rng.randint(10000, 99999), day=rng.choice(_DAYS)
        )
        ts = start + timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        zone = ZoneInfo(rng.choice(_ZONES))
        yield {
            "text": text,
            "role": "customer" if customer else "agent",
            "ts": ts.astimezone(zone).isoformat(),
            "tz": zone.key,
        }


def make_lines(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` requests: the realistic set cycled with variations, interleaved with synthetic."""
    rng = random.Random(seed)
    base = _realistic()
    synthetic = _synthetic(rng, datetime(2025, 3, 3, 8, 0, tzinfo=UTC))
    lines: list[dict[str, Any]] = []
    i = 0
    while len(lines) < count:
        if base and rng.random() < 0.6:
            row = dict(base[i % len(base)])
            i += 1
            row["text"] = _vary(row["text"], rng)
        else:
            row = next(synthetic)
            row["text"] = _vary(row["text"], rng)
        row["id"] = len(lines)
        lines.append(row)
    return lines


def long_line(lines: list[dict[str, Any]], size: int = 40_000) -> str:
    """One message of exactly `size` characters, made of agent lines."""
    parts: list[str] = []
    total = 0
    for row in lines:
        if row.get("role", "agent") == "agent":
            parts.append(row["text"])
            total += len(row["text"]) + 1
            if total >= size:
                break
    return " ".join(parts)[:size].ljust(size, ".")


def bench_subprocess(lines: list[dict[str, Any]]) -> dict[str, float]:
    """Lines per second and peak RSS of `calma analyze --jsonl` over the lines, stdin piped."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        dst = Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
        cmd = [sys.executable, "-m", "app.cli", "analyze", "--jsonl"]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        with src.open("rb") as stdin, dst.open("wb") as stdout:
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, cwd=tmp, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"calma analyze exited {proc.returncode}")
        answers = dst.read_text("utf-8").splitlines()
        errors = sum(1 for a in answers if "error" in json.loads(a))
        if len(answers) != len(lines):
            raise SystemExit(f"expected {len(lines)} answers, got {len(answers)}")
        t0 = time.perf_counter()
        subprocess.run(cmd, input=b"", check=True, cwd=tmp, env=env, capture_output=True)
        startup = time.perf_counter() - t0
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {
        "lines": len(lines),
        "wall_s": wall,
        "startup_s": startup,
        "lines_per_second": len(lines) / wall,
        "lines_per_second_after_startup": len(lines) / max(wall - startup, 1e-9),
        "error_lines": errors,
        "peak_rss_mb": rss_mb,
    }


def bench_in_process(lines: list[dict[str, Any]], text_40k: str) -> dict[str, float]:
    """Per-line latency of `analyze`, and the time for one 40,000-character line."""
    from coaching import analyze

    prepared = []
    now = datetime.now(UTC)
    for r in lines:
        zone = ZoneInfo(r.get("tz") or "UTC")
        ts = datetime.fromisoformat(r["ts"]) if r.get("ts") else now
        prepared.append((r["text"], r.get("role", "agent"), ts.astimezone(zone), zone))
    for text, role, ts, zone in prepared[:200]:  # warm caches and compiled patterns
        analyze(text, role=role, now=ts, tz=zone)
    timings = []
    for text, role, ts, zone in prepared:
        t0 = time.perf_counter_ns()
        analyze(text, role=role, now=ts, tz=zone)
        timings.append(time.perf_counter_ns() - t0)
    timings.sort()
    long_runs = []
    zone = ZoneInfo("America/Mexico_City")
    for _ in range(5):
        t0 = time.perf_counter_ns()
        analyze(text_40k, role="agent", now=now.astimezone(zone), tz=zone)
        long_runs.append(time.perf_counter_ns() - t0)
    return {
        "p50_ms": timings[len(timings) // 2] / 1e6,
        "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))] / 1e6,
        "max_ms": timings[-1] / 1e6,
        "mean_ms": statistics.fmean(timings) / 1e6,
        "long_line_chars": len(text_40k),
        "long_line_ms": max(long_runs) / 1e6,
        "long_line_median_ms": statistics.median(long_runs) / 1e6,
    }


def _verdict(name: str, value: float) -> str:
    target, op = TARGETS[name]
    ok = value >= target if op == "≥" else value < target
    return "ok" if ok else "MISSED"


def report(figures: dict[str, float]) -> tuple[str, bool]:
    """The printed table, and whether every target was met."""
    rows = [
        ("(a) lines/s via `calma analyze --jsonl`", "lines_per_second", "{:,.0f}"),
        ("(b) p99 per line in-process (ms)", "p99_ms", "{:.3f}"),
        ("(c) one 40,000-char line (ms, worst of 5)", "long_line_ms", "{:.1f}"),
        ("(d) peak RSS of the subprocess (MB)", "peak_rss_mb", "{:.1f}"),
    ]
    lines = [f"{'measure':<44} {'value':>10}  {'target':>9}  result"]
    all_ok = True
    for label, key, fmt in rows:
        target, op = TARGETS[key]
        verdict = _verdict(key, figures[key])
        all_ok &= verdict == "ok"
        lines.append(f"{label:<44} {fmt.format(figures[key]):>10}  {op} {target:>7g}  {verdict}")
    lines.append("")
    lines.append(
        f"{figures['lines']:,} lines in {figures['wall_s']:.2f} s wall "
        f"(start-up {figures['startup_s']:.2f} s; "
        f"{figures['lines_per_second_after_startup']:,.0f} lines/s after it); "
        f"{figures['error_lines']} error lines"
    )
    lines.append(
        f"in-process p50 {figures['p50_ms']:.3f} ms, mean {figures['mean_ms']:.3f} ms, "
        f"max {figures['max_ms']:.2f} ms; 40k line median {figures['long_line_median_ms']:.1f} ms"
    )
    return "\n".join(lines), all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=12_000, help="how many lines (≥ 10,000)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    lines = make_lines(args.lines)
    figures = {**bench_subprocess(lines), **bench_in_process(lines, long_line(lines))}
    table, all_ok = report(figures)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"bench_analyze-{stamp}.json"
    meta = {
        "when": stamp,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
        "cpus": os.cpu_count(),
        "targets": {k: {"op": op, "value": v} for k, (v, op) in TARGETS.items()},
    }
    out.write_text(json.dumps({**meta, "figures": figures}, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0 if all_ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
