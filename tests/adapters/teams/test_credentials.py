"""The Teams door refuses credentials that cannot work when it starts, naming the variable to
set, where botbuilder raised a bare Exception (a SingleTenant bot without its secret) or took
them and failed every activity or reply later."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.teams.credentials import check_credentials
from bot.config import ConfigError, Settings
from tests.adapters.procs import calma_env, run_calma

APP_ID = "8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6"
TENANT = "4b1e2c3d-5f60-4a7b-8c9d-0e1f2a3b4c5d"
SECRET = "s3cr3t~never-echoed"


@pytest.mark.parametrize(
    "teams",
    [
        {},  # authentication off: the Bot Framework Emulator
        {"ms_app_id": APP_ID, "ms_app_password": SECRET},  # MultiTenant by default
        {"ms_app_id": APP_ID, "ms_app_password": SECRET, "ms_app_type": "multitenant"},
        {
            "ms_app_id": APP_ID,
            "ms_app_password": SECRET,
            "ms_app_type": "SingleTenant",
            "ms_app_tenant_id": TENANT,
        },
        {"ms_app_id": APP_ID, "ms_app_type": "UserAssignedMSI", "ms_app_tenant_id": TENANT},
    ],
)
def test_credentials_botbuilder_can_use_pass(teams: dict[str, str]) -> None:
    check_credentials(Settings(**teams))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("teams", "said"),
    [
        ({"ms_app_id": "calma-bot", "ms_app_password": SECRET}, "MicrosoftAppId must be"),
        (
            {"ms_app_id": APP_ID, "ms_app_password": SECRET, "ms_app_type": "Weird"},
            "MicrosoftAppType must be one of MultiTenant, SingleTenant, UserAssignedMSI",
        ),
        ({"ms_app_id": APP_ID}, "MicrosoftAppPassword is not set: a MultiTenant bot"),
        (
            {"ms_app_id": APP_ID, "ms_app_type": "SingleTenant", "ms_app_tenant_id": TENANT},
            "MicrosoftAppPassword is not set: a SingleTenant bot",
        ),
        (
            {"ms_app_id": APP_ID, "ms_app_password": SECRET, "ms_app_type": "SingleTenant"},
            "MicrosoftAppTenantId is not set: a SingleTenant bot",
        ),
        (
            {"ms_app_id": APP_ID, "ms_app_type": "UserAssignedMSI"},
            "MicrosoftAppTenantId is not set: a UserAssignedMSI bot",
        ),
    ],
)
def test_credentials_that_cannot_work_are_refused_by_name(teams: dict[str, str], said: str) -> None:
    with pytest.raises(ConfigError, match=said) as refused:
        check_credentials(Settings(**teams))  # type: ignore[arg-type]
    assert SECRET not in str(refused.value)


def test_calma_teams_says_which_setting_is_missing_and_exits_2(tmp_path: Path) -> None:
    env = calma_env(
        CALMA_DB=str(tmp_path / "calma.db"),
        MicrosoftAppId=APP_ID,
        MicrosoftAppPassword=SECRET,
        MicrosoftAppType="SingleTenant",
    )
    run = run_calma(["teams", "--port", "0"], env, tmp_path)
    assert run.returncode == 2, run.stderr
    assert "calma: MicrosoftAppTenantId is not set: a SingleTenant bot" in run.stderr
    assert "Traceback" not in run.stderr
    assert SECRET not in run.stdout + run.stderr
    assert "calma: ready" not in run.stdout
