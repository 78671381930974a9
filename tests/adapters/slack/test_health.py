"""Issue 11: /healthz says whether Calma is ready: the database (read, write) and Slack's
connection (Socket Mode too, on `--health-port`); 503 with what is wrong when it is not."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from pathlib import Path

from aiohttp import ClientSession

from tests.adapters.procs import calma_env, free_port, ready, spawn_calma
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import APP_TOKEN, BOT_TOKEN, SlackApp
from tests.adapters.slack.test_fault_windows import write_lock


async def health(url: str) -> tuple[int, dict[str, object]]:
    async with ClientSession() as session, session.get(f"{url}/healthz") as answer:
        return answer.status, json.loads(await answer.text())


async def test_healthz_is_200_when_ready_and_503_when_the_database_cannot_be_written(
    slack_app: SlackApp,
) -> None:
    status, report = await health(slack_app.url)
    assert status == 200
    assert report == {
        "ok": True,
        "database": {"read": True, "write": True},
        "slack": {"connected": True},
    }
    other = sqlite3.connect(slack_app.runtime.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another connection holds the write lock
    try:
        status, report = await health(slack_app.url)
    finally:
        other.rollback()
        other.close()
    assert status == 503
    assert report["ok"] is False
    database = report["database"]
    assert isinstance(database, dict)
    assert database["read"] is True and database["write"] is False
    assert database["error"].endswith("calma.db is locked")  # says why, in a few words
    assert (await health(slack_app.url))[0] == 200  # and ready again


async def test_socket_mode_serves_healthz_on_the_health_port(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    db = tmp_path / "calma.db"
    env = calma_env(
        CALMA_DB=str(db),
        SLACK_API_URL=fake_slack.base_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_APP_TOKEN=APP_TOKEN,
    )
    out = tmp_path / "calma.out"
    proc = spawn_calma(["slack", "--health-port", str(port)], env, out, tmp_path)
    try:
        await ready(proc, out)
        await asyncio.to_thread(fake_slack.socket.wait_for_connection)
        url = f"http://127.0.0.1:{port}"
        status, report = await health(url)
        assert status == 200 and report["slack"] == {"connected": True}, report
        with write_lock(db):
            status, report = await health(url)
        assert status == 503 and report["database"]["write"] is False  # type: ignore[index]
        async with ClientSession() as session, session.post(f"{url}/slack/events") as answer:
            assert answer.status in (404, 405)  # only /healthz on this port
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
