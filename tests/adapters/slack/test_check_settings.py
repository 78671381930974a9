"""The Slack door refuses settings it cannot work with when it starts, naming the variable and
where in the app's configuration page the right value is, never echoing a token."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.slack.door import check_settings
from bot.config import ConfigError, Settings
from tests.adapters.procs import calma_env, run_calma

BOT = "xoxb-1-secret-bot"
APP = "xapp-1-A0-secret-app"
USER = "xoxp-1-secret-user"
SIGNING = "signing-secret"


@pytest.mark.parametrize(
    ("slack", "http"),
    [
        ({"slack_bot_token": BOT, "slack_signing_secret": SIGNING}, True),
        ({"slack_bot_token": "xoxe.xoxb-1-rotated", "slack_signing_secret": SIGNING}, True),
        ({"slack_bot_token": BOT, "slack_app_token": APP}, False),
        ({"slack_client_id": "1.2", "slack_client_secret": "c", "slack_signing_secret": "s"}, True),
    ],
)
def test_settings_a_mode_can_use_pass(slack: dict[str, str], http: bool) -> None:
    assert check_settings(Settings(**slack), http=http)  # type: ignore[arg-type].startswith("https://slack.com/api/")


@pytest.mark.parametrize(
    ("slack", "http", "said"),
    [
        ({"slack_signing_secret": SIGNING}, True, "SLACK_BOT_TOKEN (xoxb-…) is not set"),
        ({"slack_bot_token": BOT}, True, "HTTP mode needs SLACK_SIGNING_SECRET"),
        ({"slack_bot_token": BOT}, False, "Socket Mode needs SLACK_APP_TOKEN"),
        (
            {"slack_bot_token": APP, "slack_app_token": APP},
            False,
            "SLACK_BOT_TOKEN must be the app's bot token (xoxb-…, OAuth & Permissions), not an"
            " app-level token",
        ),
        (
            {"slack_bot_token": USER, "slack_signing_secret": SIGNING},
            True,
            "SLACK_BOT_TOKEN must be the app's bot token (xoxb-…, OAuth & Permissions), not a"
            " user token",
        ),
        (
            {"slack_bot_token": BOT, "slack_app_token": BOT},
            False,
            "SLACK_APP_TOKEN must be an app-level token (xapp-…, Basic Information), not that",
        ),
    ],
)
def test_settings_that_cannot_work_are_refused_by_name(
    slack: dict[str, str], http: bool, said: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        check_settings(Settings(**slack), http=http)  # type: ignore[arg-type]
    assert said in str(refused.value)
    for secret in (BOT, APP, USER, SIGNING):
        assert secret not in str(refused.value)


def test_calma_slack_with_the_app_token_as_bot_token_exits_2(tmp_path: Path) -> None:
    env = calma_env(CALMA_DB=str(tmp_path / "calma.db"), SLACK_BOT_TOKEN=APP, SLACK_APP_TOKEN=APP)
    run = run_calma(["slack"], env, tmp_path)
    assert run.returncode == 2, run.stderr
    assert "calma: SLACK_BOT_TOKEN must be the app's bot token" in run.stderr
    assert "Traceback" not in run.stderr
    assert APP not in run.stdout + run.stderr
