"""Typing at a terminal: line editing and history (readline), and a prompt that stays put.

A reminder may print while the person is typing: the half-typed line is cleared, the reminder
printed above it, and the prompt redrawn with what they had typed.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import AsyncIterator

try:  # line editing and history where the platform has GNU readline or libedit
    import readline
except ImportError:  # pragma: no cover - Windows without pyreadline
    readline = None  # type: ignore[assignment]


class Terminal:
    """Reads one line each time `ask` is called; prints above the line being typed."""

    def __init__(self) -> None:
        self._go = threading.Event()
        self._lock = threading.Lock()
        self.prompt = ""
        self.reading = False

    def ask(self, prompt: str) -> None:
        """Show `prompt` and read the next line (the chat calls it when it is ready)."""
        self.prompt = prompt
        self._go.set()

    def out(self, line: str) -> None:
        """Print a line; while a line is being typed, above it, and redraw the prompt."""
        with self._lock:
            if not self.reading:
                print(line, flush=True)
                return
            typed = readline.get_line_buffer() if readline is not None else ""
            sys.stdout.write(f"\r\x1b[K{line}\n{self.prompt}{typed}")
            sys.stdout.flush()

    def _read(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
        while True:
            self._go.wait()
            self._go.clear()
            with self._lock:
                self.reading = True
            try:
                line: str | None = input(self.prompt)
            except EOFError:
                line = None
            finally:
                with self._lock:
                    self.reading = False
            loop.call_soon_threadsafe(queue.put_nowait, line)
            if line is None:
                return

    async def lines(self) -> AsyncIterator[str]:
        """The typed lines, read in a thread so timers keep firing while the person types."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        threading.Thread(target=self._read, args=(loop, queue), daemon=True).start()
        while (line := await queue.get()) is not None:
            yield line
