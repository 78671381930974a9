"""`calma console`: scripted sessions in-process through the runtime, and a SIGKILL crash of the
real process over a pipe."""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from adapters.console.session import AGENT, CHANNEL, WORKSPACE
from app.cli_console import run
from bot.config import Settings
from bot.store import NewReminder, SqliteStore
from tests.fakes import FakeClock, FakeTimers
from tests.forkserver import popen_calma

CALMA = ["console"]
LIVE_DUE_SECONDS = 2  # the pre-written reminder falls due this long after the test begins
ROOT = Path(__file__).resolve().parents[2]


class Chat:
    """`calma console` in-process: the same runtime and door; lines from a queue, output a list.

    With a fake clock and timers, reminders fire when the test says so."""

    def __init__(
        self, db: Path, clock: FakeClock | None = None, timers: FakeTimers | None = None
    ) -> None:
        settings = Settings(db=str(db), tz="America/Mexico_City")
        self.lines: list[str] = []
        self._read = 0
        self._input: asyncio.Queue[str | None] = asyncio.Queue()
        self.task = asyncio.create_task(
            run(settings, self._lines(), self.lines.append, clock=clock, timers=timers)
        )

    async def _lines(self) -> AsyncIterator[str]:
        while (line := await self._input.get()) is not None:
            yield line

    def send(self, line: str) -> None:
        self._input.put_nowait(line)

    @property
    def seen(self) -> list[str]:
        """The lines read so far by `wait_for`."""
        return self.lines[: self._read]

    async def wait_for(self, needle: str, timeout: float = 15.0) -> str:
        """Read output until a line contains `needle`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._read < len(self.lines):
                line = self.lines[self._read]
                self._read += 1
                if needle in line:
                    return line
                continue
            assert not self.task.done() or self.task.exception() is None, self.task.exception()
            await asyncio.sleep(0.01)
        raise AssertionError(f"{needle!r} not printed; got:\n" + "\n".join(self.lines))

    async def close(self) -> int:
        """End input and return the exit code once everything is printed."""
        self._input.put_nowait(None)
        code = await asyncio.wait_for(self.task, timeout=20)
        self._read = len(self.lines)
        return code


class Console:
    """A running `calma console` process whose output lines are read by a thread as they come."""

    def __init__(self, db: Path, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CALMA_")}
        env.update(CALMA_DB=str(db), CALMA_TZ="America/Mexico_City", PYTHONUTF8="1")
        env["PYTHONPATH"] = str(ROOT)
        self.proc = popen_calma(  # forked (tests/forkserver.py): a process, without the imports
            CALMA,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
            text=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def wait_for(self, needle: str, timeout: float = 15.0) -> str:
        """Read output until a line contains `needle`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            self.lines.append(line)
            if needle in line:
                return line
        raise AssertionError(f"{needle!r} not printed; got:\n" + "\n".join(self.lines))

    def drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            with contextlib.suppress(queue.Empty):
                self.lines.append(self._queue.get(timeout=0.05))

    def close(self) -> int:
        """End input (EOF) and return the exit code once everything is printed."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        code = self.proc.wait(timeout=20)
        self.drain(0.3)
        return code


def reminder_rows(db: Path) -> list[tuple[int, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, status, text FROM reminders ORDER BY id").fetchall()


async def test_scripted_session_nudge_tips_abuse_and_a_live_reminder(tmp_path: Path) -> None:
    """A reminder due seconds after start fires live, on time, while the chat waits for input.

    Its row is written beforehand through the store, as an earlier session would have left it
    (the shortest time `recordar` understands is one minute); the console re-arms it at start.
    """
    db = tmp_path / "calma.db"
    due = datetime.now(UTC) + timedelta(seconds=LIVE_DUE_SECONDS)
    store = SqliteStore(db)
    store.add_reminder(
        NewReminder("console", WORKSPACE, AGENT, CHANNEL, "llamar a Ana", due, lang="es")
    )
    store.close()

    console = Chat(db)
    await console.wait_for("consola local")
    assert datetime.now(UTC) < due - timedelta(seconds=1), "started too slowly to test live"
    console.send("Usted debería haber leído las instrucciones.")
    await console.wait_for("[solo para ti] Una idea para tu mensaje")
    await console.wait_for("Botones: [1] Útil  [2] No aplica")
    console.send("!boton 2")
    await console.wait_for("no aplicaba")
    console.send("/coach consejos")
    await console.wait_for("[solo para ti] Siete consejos para mantener la calma")
    console.send("cliente: eres un idiota, no sirves para nada")
    await console.wait_for("[solo para ti] Este mensaje del cliente cruza un límite")
    console.send("/coach recordar enviar la factura en 1 minuto")
    ack = await console.wait_for("Te lo recuerdo ")  # the wall clock's hour decides the words:
    assert re.search(r"Te lo recuerdo (hoy|mañana) a las? \d{1,2}:\d\d", ack), ack  # "a la 1:34"
    assert not any("Recordatorio" in line for line in console.seen)  # not fired at start
    await console.wait_for("[mensaje directo] Recordatorio", timeout=LIVE_DUE_SECONDS + 10)
    assert datetime.now(UTC) >= due  # on time, not early
    await console.wait_for("> llamar a Ana")
    await console.wait_for("Botones: [1] Hecho")
    console.send("!boton 1")
    await console.wait_for("Marcado como hecho")
    assert await console.close() == 0
    assert console.lines[-1] == "Hasta luego."
    assert not any("[en el canal]" in line or "retraso" in line for line in console.lines)
    rows = reminder_rows(db)
    assert [(status, text) for _, status, text in rows] == [
        ("done", "llamar a Ana"),
        ("pending", "enviar la factura"),  # stored by the chat without its time, due later
    ]


def test_sigkill_then_restart_delivers_the_reminder_once_marked_late(tmp_path: Path) -> None:
    db = tmp_path / "calma.db"
    first = Console(db, tmp_path)
    first.wait_for("consola local")
    first.send("Le llamo mañana a las 10.")
    first.wait_for("Te lo recuerdo mañana a las 10:00")
    deadline = time.monotonic() + 10
    while not reminder_rows(db) and time.monotonic() < deadline:
        time.sleep(0.05)
    (row_id, status, text), *_ = reminder_rows(db)
    assert status == "pending" and text == "Le llamo mañana a las 10"
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(timeout=10)
    # Time passes while Calma is down: the promise is now two hours overdue.
    past = (datetime.now(UTC) - timedelta(hours=2)).isoformat(timespec="microseconds")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE reminders SET due_at = ? WHERE id = ?", (past, row_id))

    second = Console(db, tmp_path)
    second.wait_for("[mensaje directo] Recordatorio")
    second.wait_for("Llega con retraso")
    second.drain(1.0)
    assert second.close() == 0
    assert sum("Recordatorio" in line for line in second.lines) == 1
    assert reminder_rows(db)[0][1] == "sent"

    third = Console(db, tmp_path)
    third.wait_for("consola local")
    third.drain(1.5)
    assert third.close() == 0
    assert not any("Recordatorio" in line for line in third.lines)


async def test_lead_commands_name_people_as_typed_and_never_print_markers(tmp_path: Path) -> None:
    console = Chat(tmp_path / "calma.db")
    await console.wait_for("consola local")
    console.send("/coach leads agregar @ana")
    await console.wait_for("[solo para ti] ana ahora es líder.")
    console.send("/coach leads")
    await console.wait_for("Líderes del equipo")
    await console.wait_for("  ana")
    console.send("/coach clientes agregar @\ue000carlos\ue001")  # markers typed: dropped
    await console.wait_for("[solo para ti] carlos queda marcado como cliente.")
    console.send("/coach reglas desactivar \ue000U999\ue001")
    await console.wait_for("No conozco la regla «U999»")
    assert await console.close() == 0
    assert not any("\ue000" in line or "\ue001" in line for line in console.lines)


async def test_rewrites_use_the_lines_words_in_its_register(tmp_path: Path) -> None:
    """Issue 10, items 1 and 2: the rewrite copies what the agent wrote, in the line's tú, usted,
    vos or vosotros; nothing it did not say."""
    clock = FakeClock(datetime(2026, 11, 9, 16, 0, tzinfo=UTC))
    console = Chat(tmp_path / "calma.db", clock, FakeTimers(clock))
    await console.wait_for("consola local")
    said = {
        "Usted debió revisar el correo que le enviamos.": "Revisemos juntos el correo.",
        "Tranquilo, cálmate.": "Entiendo que estés molesto, tienes motivos.",
        "Calmate, che.": "Entiendo que estés molesto, tenés motivos.",
        "Calmaos, por favor.": "Entiendo que estéis molestos, tenéis motivos.",
        "Tranquilo, cálmese.": "Entiendo que esté molesto, tiene motivos.",
        "Se lo garantizo al 100%.": "Lo normal es que …; si cambia algo, le aviso yo antes.",
    }
    for line, rewrite in said.items():
        console.send(line)
        await console.wait_for(f"Prueba así: {rewrite}")
        clock.advance(timedelta(minutes=11))  # past the same-rule pause
    assert await console.close() == 0
    assert not any("jueves" in line or "banco" in line for line in console.lines)


async def test_the_console_answers_the_coachs_questions(tmp_path: Path) -> None:
    """Issue 10: a question takes the next line as its answer, then lines are coached again."""
    clock = FakeClock(datetime(2026, 11, 9, 16, 0, tzinfo=UTC))  # 10:00 in Mexico City
    db = tmp_path / "calma.db"
    console = Chat(db, clock, FakeTimers(clock))
    await console.wait_for("consola local")
    console.send("/coach recordar enviar la factura a Pedro")
    await console.wait_for("¿Cuándo te lo recuerdo?")
    console.send("mañana a las 11")
    await console.wait_for("Te lo recuerdo mañana a las 11:00: «enviar la factura a Pedro»")
    console.send("/coach recordar mañana")
    await console.wait_for("¿Qué te recuerdo mañana")
    console.send("llamar a Ana")
    await console.wait_for("«llamar a Ana»")
    console.send("!boton 2")  # Cambiar hora
    await console.wait_for("Escríbeme la nueva hora")
    console.send("pasado mañana a las 9")
    await console.wait_for("a las 9:00: «llamar a Ana»")
    console.send("Usted debería haber leído las instrucciones.")
    await console.wait_for("[solo para ti] Una idea para tu mensaje")
    assert await console.close() == 0
    assert [(s, t) for _, s, t in reminder_rows(db)] == [
        ("pending", "enviar la factura a Pedro"),
        ("pending", "llamar a Ana"),
    ]


async def in_english(tmp_path: Path) -> Chat:
    """A console started on a fresh database, its user switched to English."""
    console = Chat(tmp_path / "calma.db")
    await console.wait_for("consola local")
    console.send("/coach idioma en")
    await console.wait_for("[only you]")
    return console


async def test_a_customers_insult_as_the_first_line_reaches_the_console_user(
    tmp_path: Path,
) -> None:
    console = await in_english(tmp_path)
    console.send("cliente: eres un idiota, no sirves para nada")
    await console.wait_for("[only you] This customer message crosses a line")
    await console.wait_for("Buttons: [1] Alert a lead")
    console.send("!boton 1")
    await console.wait_for("[direct message] This customer message crosses a line")
    await console.wait_for("from a customer in the console")
    await console.wait_for("«eres un idiota, no sirves para nada»")
    console.send("!boton 1")  # the card was answered: no live button is left to press again
    await console.wait_for("No buttons to press.")
    console.send("cliente: sé dónde vives, te voy a buscar")
    await console.wait_for("This customer message is a threat")
    assert await console.close() == 0
    assert sum("in the console" in line for line in console.lines) == 1


async def test_start_up_says_when_a_leads_zone_differs_from_the_flag(tmp_path: Path) -> None:
    db = tmp_path / "calma.db"
    first = Chat(db)  # --tz America/Mexico_City
    await first.wait_for("consola local")
    first.send("/coach ajustes zona Europe/Madrid")
    await first.wait_for("Europe/Madrid")
    assert await first.close() == 0
    assert not any("fijó un líder" in line for line in first.lines)
    second = Chat(db)
    await second.wait_for("consola local")
    note = await second.wait_for("fijó un líder")
    assert "Europe/Madrid" in note and "America/Mexico_City" in note
    assert await second.close() == 0


async def test_terminal_escapes_in_text_are_shown_never_obeyed(tmp_path: Path) -> None:
    console = Chat(tmp_path / "calma.db")
    await console.wait_for("consola local")
    console.send("/ayuda")
    await console.wait_for("¿Buscas la ayuda? Escribe /coach ayuda.")
    console.send("Usted debería haber leído \x1b]0;pwned\x07 el \x1b[2Jcorreo.")
    console.send("/coach recordar llamar a \x1b[31mAna\x1b[0m mañana a las 10")
    await console.wait_for("Te lo recuerdo")
    assert await console.close() == 0
    assert not any("\x1b" in line or "\x07" in line for line in console.lines)
    assert any("\\x1b[31mAna" in line for line in console.lines)
    assert console.lines[1].startswith("¿Buscas la ayuda?")  # /ayuda was not coached


async def test_language_setting_changes_the_consoles_own_labels(tmp_path: Path) -> None:
    console = await in_english(tmp_path)
    console.send("Usted debería haber leído las instrucciones.")
    await console.wait_for("[only you] A thought on your message")
    await console.wait_for("Buttons: [1] Useful")
    console.send("!boton 9")
    await console.wait_for("No buttons to press.")
    assert await console.close() == 0
    assert console.lines[-1] == "Bye."


async def test_a_promise_is_acknowledged_and_reminded_with_its_whole_clause(tmp_path: Path) -> None:
    """Issue 8: the acknowledgement and the reminder quote the promise's object, not only the
    verb and the time."""
    clock = FakeClock(datetime(2026, 11, 9, 16, 0, tzinfo=UTC))  # 10:00 in Mexico City
    timers = FakeTimers(clock)
    console = Chat(tmp_path / "calma.db", clock, timers)
    await console.wait_for("consola local")
    console.send("Le confirmo en 1 minuto si hay stock.")
    ack = await console.wait_for("Te lo recuerdo hoy a las 10:01")
    assert "«Le confirmo en 1 minuto si hay stock»" in ack
    clock.advance(timedelta(seconds=61))
    assert len(await timers.run_due()) == 1
    await console.wait_for("[mensaje directo] Recordatorio")
    quote = await console.wait_for("> ")
    assert "si hay stock" in quote
    assert await console.close() == 0


async def test_one_scripted_session_covers_issue_10(tmp_path: Path) -> None:
    """Issue 10's Done-when: items 1, 2, 4, 6 and 8 in one console session, restarted midway
    (the open question is in the database), on a database old versions left with 'UTC' pinned."""
    db = tmp_path / "calma.db"
    old = SqliteStore(db)  # item 8: the first start without CALMA_TZ pinned UTC back then
    old.ensure_workspace("console", WORKSPACE, default_tz="UTC")
    old.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_unpinned_zones'")
    old.db.conn.commit()
    old.close()
    clock = FakeClock(datetime(2026, 11, 9, 16, 0, tzinfo=UTC))  # 10:00 in Mexico City
    console = Chat(db, clock, FakeTimers(clock))
    await console.wait_for("consola local")
    # items 1 and 2: the rewrite uses the line's own words, in its register
    console.send("Usted debió revisar el correo que le enviamos.")
    await console.wait_for("Prueba así: Revisemos juntos el correo.")
    clock.advance(timedelta(minutes=11))
    console.send("Tranquilo, cálmate.")
    await console.wait_for("Prueba así: Entiendo que estés molesto, tienes motivos.")
    # item 4: Coach asks when; the console restarts before the answer
    console.send("/coach recordar enviar la factura a Pedro")
    await console.wait_for("¿Cuándo te lo recuerdo?")
    assert await console.close() == 0
    console = Chat(db, clock, FakeTimers(clock))
    await console.wait_for("consola local")
    console.send("mañana a las 11")
    await console.wait_for("Te lo recuerdo mañana a las 11:00: «enviar la factura a Pedro»")
    # item 6: a threat gets its own card; the lead is alerted once, with the line quoted
    console.send("cliente: sé dónde vives, te voy a buscar")
    await console.wait_for("Este mensaje del cliente es una amenaza")
    await console.wait_for("Tu seguridad va primero")
    console.send("!boton 1")
    await console.wait_for("[mensaje directo]")
    await console.wait_for("«sé dónde vives, te voy a buscar»")
    console.send("!boton 1")  # answered: no live button is left
    await console.wait_for("No hay botones que pulsar.")
    # item 8: the lead's choice holds, and the next start says so in one line
    console.send("/coach ajustes zona Europe/Madrid")
    await console.wait_for("Europe/Madrid")
    assert await console.close() == 0
    with sqlite3.connect(db) as conn:
        (due,) = conn.execute("SELECT due_at FROM reminders").fetchone()
    local = datetime.fromisoformat(due).astimezone(ZoneInfo("America/Mexico_City"))
    assert local.hour == 11  # CALMA_TZ's 11:00, not the 11:00 UTC the old pin gave
    assert not any("fijó un líder" in line for line in console.lines)
    again = Chat(db, clock, FakeTimers(clock))
    await again.wait_for("consola local")
    note = await again.wait_for("fijó un líder")
    assert "Europe/Madrid" in note and "America/Mexico_City" in note
    assert await again.close() == 0
    assert sum("la consola" in line for line in console.lines) == 1  # the lead's alert, once
