"""What the database and the logs keep of a conversation: never a whole message.

A conversation runs through the service (clean lines, a nudged line, a promise, an abusive
customer, a draft check, a locked-database episode); then the raw bytes of the SQLite file and its
WAL are searched for distinctive parts of every line. Only a nudge's excerpt and the words of a
promise may be there.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from tests.bot.service_kit import Kit
from tests.fakes import FakeClock

CLEAN = "El router morado con número de serie QX-4471 ya quedó configurado en su casa."
NUDGED = "Usted debería haber leído el manual del tostador azul marino antes de llamar."
PROMISE = "Le llamo mañana a las 10, mientras reviso la factura del piano Steinway."
CUSTOMER = "Eres un idiota, el pedido 88123 de la señora Ramírez sigue perdido."
DRAFT = "Comprendo el inconveniente, pero las políticas del almacén Zeta-9 son así."
LOCKED_LINE = "Le escribo en 2 horas, ya anoté lo del paraguas fucsia del señor Okonkwo."

SECRETS = [  # parts of each line that must be nowhere at rest
    "QX-4471",
    "router morado",
    "tostador azul marino",
    "piano Steinway",
    "88123",
    "Ramírez",
    "Zeta-9",
    "paraguas fucsia",
    "Okonkwo",
]


def stored_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_only_excerpts_are_kept_in_the_database_and_logs(
    db_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    kit = Kit(db_path, clock, busy_timeout=0.05)
    kit.lead("LEAD")
    assert kit.say(CLEAN) == []
    assert len(kit.say(NUDGED)) == 1
    assert len(kit.say(PROMISE)) == 1
    kit.say(CUSTOMER, author="CUST", customer=True)
    kit.coach(f"revisar {DRAFT}")
    kit.coach("equipo 7d", author="LEAD")
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert len(kit.say(LOCKED_LINE)) == 1  # kept in memory, not lost
        kit.say(NUDGED)
    finally:
        other.rollback()
        other.close()
    kit.advance(minutes=1)
    asyncio.run(kit.timers.run_due())  # the kept promise is written now

    raw = stored_bytes(db_path)
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
        assert secret not in caplog.text, secret
    # what is kept: the nudge's excerpt and the promise itself
    assert "Usted debería haber leído".encode() in raw
    texts = {r.text for r in kit.store.pending_reminders()}
    assert texts == {"Le llamo mañana a las 10", "Le escribo en 2 horas"}
    kit.store.close()
    raw = stored_bytes(db_path)  # after the WAL is folded into the file
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
