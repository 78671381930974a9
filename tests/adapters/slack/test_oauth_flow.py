"""The whole multi-workspace install over real HTTP: install page, state, redirect, oauth.v2.access
at the stand-in, the installation in slack_sdk's SQLite store, and that team's token used after."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore

from adapters.slack.oauth import REDIRECT_PATH
from tests.adapters.slack.harness import (
    CLIENT_ID,
    CLIENT_SECRET,
    SlackApp,
    message_event,
    start_app,
)
from tests.adapters.slack.test_app import JUDGEMENTAL

TEAM, INSTALLER, BOT_TOKEN = "T0OTRO", "U0INSTALA", "xoxb-otro-equipo-token"


def from_team(envelope: dict[str, Any]) -> dict[str, Any]:
    """An Events API envelope as Slack sends it for the other workspace."""
    envelope["team_id"] = envelope["event"]["team"] = TEAM
    envelope["authorizations"][0].update(team_id=TEAM, user_id="U0COACH2")
    return envelope


async def install(app: SlackApp, code: str) -> int:
    """A browser's way through /slack/install and back to /slack/oauth_redirect; the status."""
    async with app.session.get(f"{app.url}/slack/install", allow_redirects=False) as page:
        html = await page.text()
        cookies = {name: morsel.value for name, morsel in page.cookies.items()}
    state = re.search(r"state=([^&\"']+)", html)
    assert state is not None and cookies, "install page gave no state or state cookie"
    url = f"{app.url}{REDIRECT_PATH}?code={code}&state={unquote(state.group(1))}"
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    async with app.session.get(url, headers={"Cookie": cookie}, allow_redirects=False) as done:
        return done.status


async def test_install_then_answer_that_team_with_its_own_token(
    oauth_app: SlackApp, tmp_path: Path
) -> None:
    fake = oauth_app.fake
    fake.oauth_code(
        "C0DE", team_id=TEAM, installer=INSTALLER, bot_token=BOT_TOKEN, bot_user_id="U0COACH2"
    )
    assert await install(oauth_app, "C0DE") == 200
    (access,) = fake.calls_to("oauth.v2.access")
    assert access.params["code"] == "C0DE"
    # The installation is in slack_sdk's SQLite store beside CALMA_DB.
    store = SQLite3InstallationStore(
        database=str(tmp_path / "calma-slack-oauth.sqlite"), client_id=CLIENT_ID
    )
    bot = store.find_bot(enterprise_id=None, team_id=TEAM)
    assert bot is not None and bot.bot_token == BOT_TOKEN and bot.bot_user_id == "U0COACH2"
    # The installer is the workspace's first lead.
    row = oauth_app.runtime.store.get_user("slack", TEAM, INSTALLER)
    assert row is not None and row.role == "lead"
    # A later signed event from that team is answered with that team's bot token.
    event = from_team(message_event(JUDGEMENTAL, user="U0AGENTE2"))
    assert (await oauth_app.event(event)).status == 200
    (nudge,) = await fake.calls_eventually("chat.postEphemeral")
    assert nudge.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert nudge.params["user"] == "U0AGENTE2"
    # A reminder for that team goes out with the same token.
    await oauth_app.event(from_team(message_event("Le llamo mañana a las 10.", user="U0AGENTE2")))
    await fake.calls_eventually("chat.postEphemeral", 2)
    (row,) = oauth_app.runtime.store.pending_reminders()
    oauth_app.runtime.store.snooze(row.id, row.created_at)  # due now
    assert await oauth_app.runtime.service.reminders.deliver(row.id) is True
    (dm,) = fake.calls_to("chat.postMessage")
    assert dm.token == BOT_TOKEN and dm.params["channel"].startswith("D")
    web_calls = [c for c in fake.calls if c.method not in ("oauth.v2.access", "response_url")]
    assert web_calls and all(c.token == BOT_TOKEN for c in web_calls)


async def test_a_used_or_unknown_code_installs_nothing(oauth_app: SlackApp, tmp_path: Path):
    assert await install(oauth_app, "NOPE") != 200
    (access,) = oauth_app.fake.calls_to("oauth.v2.access")
    assert access.params["code"] == "NOPE"
    store = SQLite3InstallationStore(
        database=str(tmp_path / "calma-slack-oauth.sqlite"), client_id=CLIENT_ID
    )
    assert store.find_bot(enterprise_id=None, team_id=TEAM) is None
    assert oauth_app.runtime.store.get_user("slack", TEAM, INSTALLER) is None


async def test_a_grid_workspace_gets_its_reminders_with_its_own_token(oauth_app: SlackApp) -> None:
    """Issue 11: under OAuth the bot of a workspace in an Enterprise Grid is found by its
    enterprise id too (it was looked up with enterprise_id=None: always "not installed")."""
    fake = oauth_app.fake
    fake.oauth_code(
        "GR1D",
        team_id=TEAM,
        installer=INSTALLER,
        bot_token=BOT_TOKEN,
        bot_user_id="U0COACH2",
        enterprise_id="E0GRID",
    )
    assert await install(oauth_app, "GR1D") == 200
    promise = from_team(message_event("Le llamo mañana a las 10.", user="U0AGENTE2"))
    promise["enterprise_id"] = "E0GRID"
    promise["authorizations"][0]["enterprise_id"] = "E0GRID"
    assert (await oauth_app.event(promise)).status == 200
    (ack,) = await fake.calls_eventually("chat.postEphemeral")
    assert ack.token == BOT_TOKEN
    (row,) = oauth_app.runtime.store.pending_reminders()
    oauth_app.runtime.store.snooze(row.id, row.created_at)  # due now
    assert await oauth_app.runtime.service.reminders.deliver(row.id) is True
    (dm,) = fake.calls_to("chat.postMessage")
    assert dm.token == BOT_TOKEN


async def test_an_org_wide_grid_install_delivers_to_a_workspace_it_has_heard_from(
    oauth_app: SlackApp,
) -> None:
    """An org-wide install (org_deploy_enabled) is stored under the enterprise id alone: the
    door learns a workspace's enterprise from Slack's signed requests, then finds its bot."""
    from slack_sdk.oauth.installation_store import Installation

    installations = oauth_app.door.installations
    assert installations is not None
    await installations.async_save(
        Installation(
            app_id="A0CALMA",
            enterprise_id="E0GRID",
            team_id=None,
            bot_token=BOT_TOKEN,
            bot_id="B0GRID",
            bot_user_id="U0COACH2",
            bot_scopes=["chat:write"],
            user_id=INSTALLER,
            is_enterprise_install=True,
        )
    )
    promise = from_team(message_event("Le llamo mañana a las 10.", user="U0AGENTE2"))
    promise["enterprise_id"] = "E0GRID"
    promise["is_enterprise_install"] = True
    promise["authorizations"][0].update(enterprise_id="E0GRID", is_enterprise_install=True)
    assert (await oauth_app.event(promise)).status == 200
    await oauth_app.fake.calls_eventually("chat.postEphemeral")
    (row,) = oauth_app.runtime.store.pending_reminders()
    oauth_app.runtime.store.snooze(row.id, row.created_at)  # due now
    assert await oauth_app.runtime.service.reminders.deliver(row.id) is True
    (dm,) = oauth_app.fake.calls_to("chat.postMessage")
    assert dm.token == BOT_TOKEN


async def test_on_postgres_installations_are_kept_in_the_shared_database(
    fake_slack, pg_url: str
) -> None:
    """Two instances on one PostgreSQL database: one takes the install, the other answers that
    team with its token (slack_sdk's SQLAlchemy stores, in Calma's own database)."""
    fake_slack.oauth_apps[CLIENT_ID] = CLIENT_SECRET
    options = {
        "slack_bot_token": None,
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": CLIENT_SECRET,
    }
    first = await start_app(fake_slack, pg_url, **options)  # type: ignore[arg-type]
    second = await start_app(fake_slack, pg_url, **options)  # type: ignore[arg-type]
    try:
        fake_slack.oauth_code(
            "C0DE", team_id=TEAM, installer=INSTALLER, bot_token=BOT_TOKEN, bot_user_id="U0COACH2"
        )
        assert await install(first, "C0DE") == 200
        row = second.runtime.store.get_user("slack", TEAM, INSTALLER)
        assert row is not None and row.role == "lead"
        event = from_team(message_event(JUDGEMENTAL, user="U0AGENTE2"))
        assert (await second.event(event)).status == 200
        (nudge,) = await fake_slack.calls_eventually("chat.postEphemeral")
        assert nudge.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
    finally:
        await first.close()
        await second.close()
