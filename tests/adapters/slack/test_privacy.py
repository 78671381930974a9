"""Privacy audit of the Slack door. The rule itself is checked after every test that uses the
stand-in (conftest.py → privacy.py); here: that check can fail, and secrets never reach the logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from slack_sdk import WebClient

from adapters.slack.redact import redact
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import (
    APP_TOKEN,
    BOT_TOKEN,
    CLIENT_SECRET,
    SECRET,
    SlackApp,
    message_event,
    start_oauth_app,
)
from tests.adapters.slack.privacy import public_leaks
from tests.adapters.slack.test_app import JUDGEMENTAL, settle
from tests.adapters.slack.test_oauth_flow import install


def test_the_privacy_check_catches_public_echoes_reactions_and_nudge_cards() -> None:
    with FakeSlack() as fake:
        web = WebClient(token=BOT_TOKEN, base_url=fake.base_url)
        fake.agent_texts.append("Usted debería haber leído el correo")
        web.chat_postEphemeral(channel="C1", user="U1", text="Usted debería haber leído el correo")
        web.chat_postMessage(channel="D1", text="Usted debería haber leído el correo")
        assert public_leaks(fake) == []  # ephemeral and DM are private
        web.chat_postMessage(channel="C1", thread_ts="1.2", text="«Usted debería haber leído»")
        web.api_call("reactions.add", json={"channel": "C1", "name": "eyes", "timestamp": "1.2"})
        nudge = [{"type": "actions", "elements": [_button("nudge.useful")]}]
        web.chat_update(channel="C1", ts="1.2", text="x", blocks=nudge)
        assert public_leaks(fake) == [
            "chat.postMessage in C1 repeats an agent's wording",
            "reactions.add was called",
            "chat.update in C1 carries a nudge's buttons",
        ]


def _button(action_id: str) -> dict[str, object]:
    text = {"type": "plain_text", "text": "Útil"}
    return {"type": "button", "action_id": action_id, "text": text, "value": "1"}


SECRETS = (BOT_TOKEN, SECRET, APP_TOKEN, CLIENT_SECRET)


async def test_no_token_or_secret_in_the_logs_when_web_api_calls_fail(
    slack_app: SlackApp, caplog: pytest.LogCaptureFixture
) -> None:
    fake = slack_app.fake
    fake.fail("users.info", "invalid_auth")
    fake.fail("chat.postEphemeral", "token_revoked", times=5)
    fake.fail("chat.postMessage", "internal_error", status=500, times=2)
    with caplog.at_level(logging.DEBUG):
        await slack_app.event(message_event(JUDGEMENTAL))
        await slack_app.event(message_event("Le llamo mañana a las 10.", user="U0OTRA"))
        await fake.calls_eventually("chat.postEphemeral", 2)
        (row,) = slack_app.runtime.store.pending_reminders()
        slack_app.runtime.store.snooze(row.id, row.created_at)
        assert await slack_app.runtime.service.reminders.deliver(row.id) is False
        await slack_app.command("consejos")
        await settle()
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "token_revoked" in logged and "internal_error" in logged  # the failures are logged
    for secret in SECRETS:
        assert secret not in logged


async def test_no_client_secret_or_bot_token_in_the_logs_of_an_install(
    fake_slack: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.oauth_code(
        "C0DE", team_id="T0OTRO", installer="U0I", bot_token="xoxb-otro-1", bot_user_id="U0C2"
    )
    with caplog.at_level(logging.DEBUG):
        app = await start_oauth_app(fake_slack, tmp_path / "calma.db")
        try:
            assert await install(app, "C0DE") == 200
        finally:
            await app.close()
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert "oauth.v2.access" in logged  # slack_sdk did log the call at DEBUG
    for secret in (*SECRETS, "xoxb-otro-1"):
        assert secret not in logged


def test_redact_hides_tokens_credentials_and_named_secrets() -> None:
    line = (
        "data: {'client_id': '1.2', 'client_secret': 'oauth-s3cret', 'code': 'c'} "
        "headers: {'Authorization': 'Basic MToy'} body: {'access_token': 'xoxb-9-abc', "
        "'token': 'xapp-1-A-2'} signing=the-signing-secret"
    )
    clean = redact(line, ["the-signing-secret"])
    for secret in ("oauth-s3cret", "MToy", "xoxb-9-abc", "xapp-1-A-2", "the-signing-secret"):
        assert secret not in clean
    assert "'client_id': '1.2'" in clean and "'code': 'c'" in clean
