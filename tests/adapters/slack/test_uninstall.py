"""Uninstalls over real signed HTTP: the workspace's installation is deleted, its revoked token is
never used again, and its pending reminders stay pending until Calma is installed again."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

from bot.store.base import ReminderRow
from tests.adapters.procs import until
from tests.adapters.slack.fake_slack import TEAM_ID
from tests.adapters.slack.harness import CLIENT_ID, SlackApp, message_event
from tests.adapters.slack.test_app import JUDGEMENTAL, settle
from tests.adapters.slack.test_oauth_flow import (
    BOT_TOKEN,
    INSTALLER,
    TEAM,
    from_team,
    install,
)

AGENT2 = "U0AGENTE2"
PROMISE = "Le llamo mañana a las 10."


def for_team(envelope: dict[str, Any], team: str = TEAM) -> dict[str, Any]:
    """A recorded app_uninstalled / tokens_revoked envelope, as sent for `team`."""
    envelope["team_id"] = envelope["context_team_id"] = team
    envelope["authorizations"][0].update(team_id=team, user_id="U0COACH2")
    if "tokens" in envelope["event"]:
        envelope["event"]["tokens"]["bot"] = ["U0COACH2"]
    return envelope


def installed_bot(tmp_path: Path) -> Any:
    store = SQLite3InstallationStore(
        database=str(tmp_path / "calma-slack-oauth.sqlite"), client_id=CLIENT_ID
    )
    return store.find_bot(enterprise_id=None, team_id=TEAM)


async def gone(tmp_path: Path) -> None:
    """The listener runs after the ack: wait until it has deleted the installation."""
    for _ in range(250):
        if installed_bot(tmp_path) is None:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the installation was not deleted")


async def installed_with_a_promise(app: SlackApp, code: str, token: str) -> ReminderRow:
    """Install for TEAM with `token`; an agent there promises a call: its reminder, due now."""
    app.fake.oauth_code(
        code, team_id=TEAM, installer=INSTALLER, bot_token=token, bot_user_id="U0COACH2"
    )
    assert await install(app, code) == 200
    await app.event(from_team(message_event(PROMISE, user=AGENT2)))
    await app.fake.calls_eventually("chat.postEphemeral")
    (row,) = app.runtime.store.pending_reminders()
    return row


async def test_after_app_uninstalled_the_old_token_is_never_used(
    oauth_app: SlackApp, tmp_path: Path, payload, caplog: pytest.LogCaptureFixture
) -> None:
    fake = oauth_app.fake
    row = await installed_with_a_promise(oauth_app, "C0DE", BOT_TOKEN)
    with caplog.at_level(logging.INFO):
        reply = await oauth_app.event(for_team(payload("app_uninstalled")))
        assert reply.status == 200
        await gone(tmp_path)
    fake.revoke(BOT_TOKEN)  # what Slack does to it
    assert "uninstalled from workspace T0OTRO" in caplog.text
    assert "1 pending reminders in workspace T0OTRO stay pending" in caplog.text
    after = len(fake.calls)

    # A later event for that team (a late retry, say) is acked and makes no Web API call.
    assert (await oauth_app.event(from_team(message_event(JUDGEMENTAL, user=AGENT2)))).status == 200
    # Its due reminder is not sent with the revoked token: pending, logged as undeliverable.
    oauth_app.runtime.store.snooze(row.id, row.created_at)  # due now
    with caplog.at_level(logging.WARNING):
        assert await oauth_app.runtime.service.reminders.deliver(row.id) is False
    await settle()
    assert fake.calls[after:] == []
    kept = oauth_app.runtime.store.get_reminder(row.id)
    assert kept is not None and kept.status == "pending" and kept.attempts >= 1
    assert "not installed in Slack workspace T0OTRO" in (kept.last_error or "")
    assert "not installed in Slack workspace T0OTRO" in caplog.text

    # Installed again (a new token): the kept reminder goes out at once, with the new token.
    new_token = "xoxb-otro-equipo-nuevo"
    fake.oauth_code(
        "C0DE2", team_id=TEAM, installer=INSTALLER, bot_token=new_token, bot_user_id="U0COACH2"
    )
    assert await install(oauth_app, "C0DE2") == 200
    (dm,) = await fake.calls_eventually("chat.postMessage")
    assert dm.token == new_token and dm.params["channel"].startswith("D")
    assert [c.method for c in fake.calls[after:] if c.token == BOT_TOKEN] == []
    await until(
        lambda: oauth_app.runtime.store.pending_reminders() == []
    )  # recorded after the send


async def test_after_the_bot_token_is_revoked_it_is_never_used(
    oauth_app: SlackApp, tmp_path: Path, payload
) -> None:
    fake = oauth_app.fake
    await installed_with_a_promise(oauth_app, "C0DE", BOT_TOKEN)
    assert (await oauth_app.event(for_team(payload("tokens_revoked")))).status == 200
    await gone(tmp_path)
    fake.revoke(BOT_TOKEN)
    after = len(fake.calls)
    assert (await oauth_app.event(from_team(message_event(JUDGEMENTAL, user=AGENT2)))).status == 200
    await settle()
    assert fake.calls[after:] == []


async def test_an_uninstall_of_another_team_leaves_this_one_installed(
    oauth_app: SlackApp, tmp_path: Path, payload
) -> None:
    await installed_with_a_promise(oauth_app, "C0DE", BOT_TOKEN)
    assert (await oauth_app.event(for_team(payload("app_uninstalled"), "T0TERCERO"))).status == 200
    await settle()
    assert installed_bot(tmp_path) is not None
    assert (await oauth_app.event(from_team(message_event(JUDGEMENTAL, user=AGENT2)))).status == 200
    nudges = await oauth_app.fake.calls_eventually("chat.postEphemeral", 2)
    assert nudges[-1].token == BOT_TOKEN


async def test_single_workspace_mode_logs_the_uninstall(
    slack_app: SlackApp, payload, caplog: pytest.LogCaptureFixture
) -> None:
    await slack_app.event(message_event(PROMISE))
    await slack_app.fake.calls_eventually("chat.postEphemeral")
    with caplog.at_level(logging.INFO):
        assert (await slack_app.event(payload("app_uninstalled"))).status == 200
        await settle()
    assert f"uninstalled from workspace {TEAM_ID}" in caplog.text
    assert "SLACK_BOT_TOKEN no longer works" in caplog.text
    assert f"1 pending reminders in workspace {TEAM_ID} stay pending" in caplog.text
    (row,) = slack_app.runtime.store.pending_reminders()
    assert row.status == "pending"
