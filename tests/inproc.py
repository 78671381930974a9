"""Run the `calma` command line in this process, as a child process would see it: its own
environment, working directory, standard input and output (UTF-8, not terminals), and an exit
code (argparse's usage errors included). Milliseconds instead of a Python start-up of seconds,
for tests of what a command prints; start-up itself, signals and terminals keep real processes.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.cli import main


@dataclass(frozen=True)
class Ran:
    """What `subprocess.run(..., capture_output=True)` would have returned."""

    returncode: int
    stdout: bytes
    stderr: bytes


def _stream(data: bytes = b"", errors: str = "surrogateescape") -> io.TextIOWrapper:
    # PYTHONUTF8=1, as the tests' children ran: UTF-8 everywhere, like a pipe (not a terminal).
    return io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)), encoding="utf-8", errors=errors)


def _sink(errors: str) -> tuple[io.TextIOWrapper, io.BytesIO]:
    raw = io.BytesIO()
    return io.TextIOWrapper(raw, encoding="utf-8", errors=errors, write_through=True), raw


def run_calma(
    args: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
    stdin: str | bytes = b"",
) -> Ran:
    """`calma ARGS` with exactly `env` as its environment, in `cwd`, reading `stdin`."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    out, out_bytes = _sink("surrogateescape")
    err, err_bytes = _sink("backslashreplace")
    try:
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = _stream(data), out, err
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: 2 for unusable arguments, 0 for --help
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if isinstance(exc.code, str):
                print(exc.code, file=sys.stderr)
        out.flush()
        err.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return Ran(code, out_bytes.getvalue(), err_bytes.getvalue())
