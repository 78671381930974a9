"""Start `calma` processes in milliseconds: a fork server that imported Calma once forks each one.

A `python -m app.cli ...` start spends seconds of CPU importing Calma, its doors and their
libraries; the tests start dozens of them. Each test worker runs one server (`python -m
tests.forkserver SOCKET`, started on first use) that imports all of that, then forks a child per
request: a real process of its own (its pid, signals, SIGKILL, exit code, its own standard
streams, environment and working directory) that runs `app.cli.main(argv)` and exits like
`python -m app.cli` does. `popen_calma` returns a `subprocess.Popen`-like handle.

What a fork does not repeat is the interpreter's start and Calma's imports, so a test of those
(the installed script, what a start imports, the rules cache under CALMA_CACHE_DIR) starts a
real interpreter: `fresh_process=True`, or CALMA_TEST_FRESH_PROCESSES=1 for every start.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import random
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
# What a fork inherits from the server's imports instead of reading it at its own start.
IMPORT_TIME = ("CALMA_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "PYTHONPATH")
PRELOAD = (
    "app.cli",
    "app.cli_doors",
    "app.cli_console",
    "app.runtime",
    "adapters.slack.door",
    "adapters.teams.door",
    "adapters.console.door",
)


# ---- the server ----


def _serve(path: str) -> tuple[dict[str, Any], list[int]]:
    """Fork a child per request; return (in the child only) its request and stream fds."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    assert threading.active_count() == 1, "a thread at fork time could hold a lock"
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(64)
    children: dict[int, socket.socket] = {}

    def end(*_: object) -> None:  # SIGTERM (the worker ends): no child outlives the server
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([listener], [], [], 0.05)
        if readable:
            conn, _ = listener.accept()
            message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
            pid = os.fork()
            if pid == 0:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                listener.close()
                for other in children.values():
                    other.close()
                conn.close()
                return json.loads(message), fds
            for fd in fds:
                os.close(fd)
            conn.send(json.dumps({"pid": pid}).encode())
            children[pid] = conn
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            ended = children.pop(pid, None)
            if ended is not None:
                with contextlib.suppress(OSError):
                    ended.send(json.dumps({"code": os.waitstatus_to_exitcode(status)}).encode())
                ended.close()
        if os.getppid() != parent:  # the test worker is gone
            end()


def _become(request: dict[str, Any], fds: list[int]) -> int:
    """In the child: take the request's streams, environment and directory, then run calma."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    random.seed()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    sys.argv = ["calma", *request["argv"]]
    from app.cli import main

    return main(request["argv"])


# ---- the client ----


class _Server:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.folder = tempfile.mkdtemp(prefix="calma-fork-")
        self.path = os.path.join(self.folder, "socket")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.forkserver", self.path],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            text=True,
        )
        assert self.proc.stdout is not None
        said = self.proc.stdout.readline()
        assert said.strip() == "ready", f"the fork server did not start: {said!r}"
        atexit.register(self.close)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # it kills any child still running, then itself
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
            os.rmdir(self.folder)


_server: _Server | None = None
_lock = threading.Lock()


def _server_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "SLACK_", "Microsoft"))
    }
    env.update(PYTHONPATH=str(ROOT), PYTHONUTF8="1")
    return env


def _the_server() -> _Server:
    global _server
    with _lock:
        if _server is None or _server.proc.poll() is not None:
            _server = _Server(_server_env())
        return _server


class Forked:
    """A forked `calma`: the parts of `subprocess.Popen` the tests use."""

    def __init__(
        self,
        args: list[str],
        conn: socket.socket,
        pid: int,
        stdin: IO[Any] | None,
        stdout: IO[Any] | None,
        stderr: IO[Any] | None,
    ) -> None:
        self.args = args
        self.pid = pid
        self.returncode: int | None = None
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self._conn = conn

    def _ended(self, timeout: float | None) -> bool:
        if self.returncode is not None:
            return True
        readable, _, _ = select.select([self._conn], [], [], timeout)
        if not readable:
            return False
        message = self._conn.recv(1024)
        self._conn.close()
        # The server itself died (the worker is ending): nothing is known but that it ended.
        self.returncode = int(json.loads(message)["code"]) if message else -signal.SIGKILL
        return True

    def poll(self) -> int | None:
        self._ended(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended(timeout):
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, timeout: float | None = None) -> tuple[Any, Any]:
        if self.stdin is not None:
            self.stdin.close()
        out = self.stdout.read() if self.stdout is not None else None
        err = self.stderr.read() if self.stderr is not None else None
        self.wait(timeout)
        return out, err


def _fresh_wanted(env: Mapping[str, str]) -> bool:
    if os.environ.get("CALMA_TEST_FRESH_PROCESSES") == "1":
        return True
    base = _server_env()
    return any(env.get(name) != base.get(name) for name in IMPORT_TIME)


def popen_calma(
    args: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path | str,
    stdin: Any = None,
    stdout: Any = None,
    stderr: Any = None,
    text: bool = False,
    fresh_process: bool = False,
) -> Forked | subprocess.Popen[Any]:
    """`python -m app.cli ARGS` as `subprocess.Popen(..., stdin, stdout, stderr, env, cwd, text)`
    would start it (PIPE, STDOUT, DEVNULL, a file or None each), forked from the test worker's
    fork server, or a fresh interpreter when asked or when `env` differs from the server's in
    what is read at import."""
    argv = [str(a) for a in args]
    if fresh_process or _fresh_wanted(env):
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", *argv],
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env=dict(env),
            cwd=cwd,
            text=text,
            encoding="utf-8" if text else None,
        )
    theirs: list[int] = []  # the child's ends, closed here once it has them
    ours: list[IO[Any] | None] = [None, None, None]
    for n, spec in enumerate((stdin, stdout, stderr)):
        if spec == subprocess.PIPE:
            read, write = os.pipe()
            child, mine = (read, write) if n == 0 else (write, read)
            theirs.append(child)
            mode = ("w" if n == 0 else "r") + ("" if text else "b")
            ours[n] = os.fdopen(mine, mode, encoding="utf-8" if text else None)
        elif spec == subprocess.STDOUT and n == 2:
            theirs.append(os.dup(theirs[1]))
        elif spec == subprocess.DEVNULL or (spec is None and n == 0):
            theirs.append(os.open(os.devnull, os.O_RDWR))
        elif spec is None:
            theirs.append(os.dup(n))
        elif isinstance(spec, int):
            theirs.append(os.dup(spec))
        else:
            theirs.append(os.dup(spec.fileno()))
    request = {"argv": argv, "env": dict(env), "cwd": str(cwd)}
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        conn.connect(_the_server().path)
        socket.send_fds(conn, [json.dumps(request).encode()], theirs)
        pid = int(json.loads(conn.recv(1024))["pid"])
    finally:
        for fd in theirs:
            os.close(fd)
    return Forked([sys.executable, "-m", "app.cli", *argv], conn, pid, *ours)


def _exit(code: object) -> None:
    """End the child as the interpreter would (threads joined, atexit run, streams flushed), but
    without freeing every module Calma imported: that alone takes over a second of CPU."""
    if isinstance(code, str):
        print(code, file=sys.stderr)
    status = code if isinstance(code, int) else (0 if code is None else 1)
    threading._shutdown()  # type: ignore[attr-defined]
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    _request, _fds = _serve(sys.argv[1])
    try:
        _code: object = _become(_request, _fds)
    except SystemExit as exc:
        _code = exc.code
    except BaseException:
        traceback.print_exc()
        _code = 1
    _exit(_code)
