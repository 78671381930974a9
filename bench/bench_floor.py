"""How close `calma analyze --jsonl` is to the floor: a bare 3-regex scan over the same lines.

Usage: .venv/bin/python bench/bench_floor.py [--lines N] [--runs R] [--bytecode | --installed]
    [--check]

Both are whole processes reading and writing the same JSON lines (start-up included), on N mixed
lines (default 30,000, built by bench_analyze.make_lines). The floor parses each line, runs three
regexes (a judgement, a defensive and a time phrase) and writes a JSON line per input. Prints the
median wall and CPU time of R runs (default 5) of each and the median of the R ratios; `--check`
exits 1 when that wall ratio is above 5x (issue 12). The runs alternate (floor, calma, floor,
calma, ...) and each ratio is taken within one pair, so a machine that slows down or speeds up
during the bench (a shared VM does) moves both sides of a ratio alike.

Both run with PYTHONDONTWRITEBYTECODE=1, so by default `calma` compiles its own modules from
source at every start (about 250 M instructions; the floor's `re` and `json` come compiled with
Python). `--bytecode` first compiles the tree's packages into a temporary PYTHONPYCACHEPREFIX
that both processes read, as an installed package (a wheel, the Docker image) has them.
`--installed` times Calma as `pip install .` and the Docker image install it: a wheel of the
tree is built (its coaching core compiled by Cython, setup.py; a few minutes) and installed into
a temporary folder, and `calma` runs from there, outside the tree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_analyze import make_lines

RATIO_MAX = 5.0
ROOT = Path(__file__).resolve().parent.parent

FLOOR = r"""
import json, re, sys
J = re.compile(r"\b(?:deberia|debio|should have)\b")
D = re.compile(r"\b(?:pero|but)\b")
T = re.compile(r"\b(?:manana|tomorrow|a las \d{1,2})\b")
out = sys.stdout
for line in sys.stdin:
    row = json.loads(line)
    text = row["text"].lower()
    hits = [m.group() for p in (J, D, T) for m in p.finditer(text)]
    out.write(json.dumps({"id": row["id"], "findings": hits}) + "\n")
"""


PACKAGES = ("app", "bot", "coaching", "adapters")


def _run(
    cmd: list[str], src: Path, prefix: Path | None = None, site: Path = ROOT
) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one whole process (`prefix`: where compiled
    modules are read from; `site`: where Calma's packages are, the tree or an install)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(site)}
    if prefix is not None:
        env["PYTHONPYCACHEPREFIX"] = str(prefix)
    with src.open("rb") as stdin, open(os.devnull, "wb") as stdout:
        t0 = time.perf_counter()
        # From `site`: `-m app.cli` finds the current directory's `app` before PYTHONPATH's,
        # so a run from another tree would time that tree's code.
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=stdout, env=env, cwd=site)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"{cmd} failed with status {status}")
    return wall, usage.ru_utime + usage.ru_stime


def _compile_imports(cmd: list[str], prefix: Path) -> None:
    """Run `cmd` once on no input with bytecode written to `prefix`: every module it imports
    (the standard library's and site-packages' too, not only ours) is compiled there. Without
    it, a prefix holding only our packages makes both processes compile the standard library
    from source at every start (PYTHONDONTWRITEBYTECODE=1 reads the prefix, writes nothing)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPYCACHEPREFIX=str(prefix), PYTHONPATH=str(ROOT))
    subprocess.run(cmd, input=b"", cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _install(into: Path) -> Path:
    """Build a wheel of the tree and install it (without its dependencies, which this Python
    has) into `into`: Calma as `pip install .` leaves it. Returns the folder to run from."""
    wheels, site = into / "wheel", into / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    (wheel,) = wheels.glob("calma-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    compiled = sorted(p.name for p in (site / "coaching").glob("*.so"))
    # What `calma` will import there, as `_run` starts it: the installed, compiled engine.
    where = [sys.executable, "-c", "import coaching.engine as e; print(e.__file__)"]
    env = {**os.environ, "PYTHONPATH": str(site)}
    engine = subprocess.run(where, cwd=site, env=env, capture_output=True, text=True, check=True)
    if not engine.stdout.strip().startswith(str(site)):
        raise SystemExit(f"calma would not run from {site}: {engine.stdout.strip()}")
    print(f"installed {wheel.name}: {len(compiled)} compiled coaching modules")
    print(f"  coaching.engine from {engine.stdout.strip()}")
    return site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--bytecode", action="store_true", help="modules compiled beforehand, as installed"
    )
    parser.add_argument(
        "--installed", action="store_true", help="Calma as a wheel installs it (compiled core)"
    )
    parser.add_argument("--check", action="store_true", help=f"exit 1 above {RATIO_MAX}x")
    args = parser.parse_args()
    if args.bytecode and args.installed:
        parser.error("--installed already has its modules compiled")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        lines = make_lines(args.lines)
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")
        site = _install(Path(tmp)) if args.installed else ROOT
        prefix = Path(tmp) / "pycache" if args.bytecode else None
        if prefix is not None:
            env = {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix)}
            cmd = [sys.executable, "-m", "compileall", "-q", *PACKAGES]
            subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        floor_cmd = [sys.executable, "-c", FLOOR]
        calma_cmd = [sys.executable, "-m", "app.cli", "analyze", "--jsonl"]
        if prefix is not None:
            for cmd in (floor_cmd, calma_cmd):
                _compile_imports(cmd, prefix)
        floor: list[tuple[float, float]] = []
        calma: list[tuple[float, float]] = []
        for _ in range(args.runs):
            floor.append(_run(floor_cmd, src, prefix, site))
            calma.append(_run(calma_cmd, src, prefix, site))
    fw, cw = (statistics.median(w for w, _ in runs) for runs in (floor, calma))
    fc, cc = (statistics.median(c for _, c in runs) for runs in (floor, calma))
    # The ratio of each pair of runs, one after the other: the median of those.
    rw = statistics.median(c[0] / f[0] for f, c in zip(floor, calma, strict=True))
    rc = statistics.median(c[1] / f[1] for f, c in zip(floor, calma, strict=True))
    compiled = (
        "installed from a wheel, coaching core compiled"
        if args.installed
        else "modules compiled beforehand"
        if args.bytecode
        else "modules compiled at start"
    )
    print(
        f"{args.lines:,} lines, median of {args.runs} alternating runs (whole process, start-up"
        f" included; {compiled})"
    )
    print("                           wall       CPU     lines/s (wall)")
    print(f"  bare 3-regex scan      {fw:6.2f} s  {fc:6.2f} s  {args.lines / fw:9,.0f}")
    print(f"  calma analyze --jsonl  {cw:6.2f} s  {cc:6.2f} s  {args.lines / cw:9,.0f}")
    print(f"  ratio (median of pairs){rw:6.2f}x  {rc:6.2f}x  (target ≤ {RATIO_MAX:.0f}x)")
    return 1 if args.check and rw > RATIO_MAX else 0


if __name__ == "__main__":
    raise SystemExit(main())
