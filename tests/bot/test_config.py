"""Settings: defaults, validation, .env never overriding the real environment, masked secrets."""

from __future__ import annotations

import logging
from dataclasses import FrozenInstanceError
from datetime import timedelta

import pytest

from bot import inbox, outbox, reminders
from bot.config import ConfigError, Settings
from bot.service import build
from bot.store.opening import open_store
from tests.bot.conftest import RecordingNotifier
from tests.fakes import FakeClock, FakeTimers

SECRET_ENV = {
    "SLACK_BOT_TOKEN": "xoxb-very-secret-bot",
    "SLACK_APP_TOKEN": "xapp-very-secret-app",
    "SLACK_SIGNING_SECRET": "sign-very-secret",
    "SLACK_CLIENT_SECRET": "client-very-secret",
    "MicrosoftAppPassword": "ms-very-secret-password",
}


def test_defaults_with_an_empty_environment(tmp_path):
    s = Settings.from_env({}, env_file=tmp_path / "missing.env")
    assert s.db == "./calma.db"
    assert s.tz == "UTC"
    assert s.lang == "es"
    assert s.slack_bot_token is None
    assert s.ms_app_id is None
    assert str(s.zone) == "UTC"


def test_reads_every_variable(tmp_path):
    env = {
        "CALMA_DB": "/data/calma.db",
        "CALMA_TZ": "America/Mexico_City",
        "CALMA_LANG": "EN",
        "SLACK_CLIENT_ID": "123.456",
        "SLACK_API_URL": "http://127.0.0.1:8888/api/",
        "MicrosoftAppId": "app-id",
        "MicrosoftAppTenantId": "tenant",
        "MicrosoftAppType": "SingleTenant",
        **SECRET_ENV,
    }
    s = Settings.from_env(env, env_file=None)
    assert (s.db, s.tz, s.lang) == ("/data/calma.db", "America/Mexico_City", "en")
    assert s.slack_bot_token == "xoxb-very-secret-bot"
    assert s.slack_app_token == "xapp-very-secret-app"
    assert s.slack_signing_secret == "sign-very-secret"
    assert s.slack_client_id == "123.456"
    assert s.slack_client_secret == "client-very-secret"
    assert s.slack_api_url == "http://127.0.0.1:8888/api/"
    assert (s.ms_app_id, s.ms_app_password) == ("app-id", "ms-very-secret-password")
    assert (s.ms_app_tenant_id, s.ms_app_type) == ("tenant", "SingleTenant")


def test_env_file_fills_gaps_but_never_overrides(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "CALMA_TZ=Europe/Madrid\nCALMA_DB=from-file.db\nSLACK_BOT_TOKEN=xoxb-file\n",
        encoding="utf-8",
    )
    s = Settings.from_env({"CALMA_DB": "from-env.db"}, env_file=env_file)
    assert s.db == "from-env.db"
    assert s.tz == "Europe/Madrid"
    assert s.slack_bot_token == "xoxb-file"


def test_blank_values_mean_unset(tmp_path):
    s = Settings.from_env({"CALMA_TZ": "  ", "SLACK_BOT_TOKEN": ""}, env_file=None)
    assert s.tz == "UTC"
    assert s.slack_bot_token is None


@pytest.mark.parametrize("tz", ["Mars/Olympus", "EST5EDT6", "../etc/passwd", "America/"])
def test_unknown_time_zone_is_refused(tz):
    with pytest.raises(ConfigError, match="time zone"):
        Settings.from_env({"CALMA_TZ": tz}, env_file=None)


def test_unsupported_language_is_refused():
    with pytest.raises(ConfigError, match="CALMA_LANG"):
        Settings.from_env({"CALMA_LANG": "fr"}, env_file=None)


def test_secrets_never_reach_repr_str_or_logs(caplog):
    s = Settings.from_env({**SECRET_ENV, "MicrosoftAppId": "visible-app-id"}, env_file=None)
    with caplog.at_level(logging.INFO):
        logging.getLogger("calma.test").info("settings: %s / %r", s, s)
    for shown in (repr(s), str(s), f"{s}", caplog.text):
        for secret in SECRET_ENV.values():
            assert secret not in shown
        assert "***" in shown
    assert "visible-app-id" in repr(s)


def test_settings_are_frozen():
    s = Settings()
    with pytest.raises(FrozenInstanceError):
        s.tz = "Europe/Madrid"  # type: ignore[misc]


def test_leases_and_claim_poll_default_and_come_from_the_environment(tmp_path):
    s = Settings.from_env({}, env_file=tmp_path / "missing.env")
    assert (s.inbox_lease, s.outbox_lease, s.reminder_lease) == (
        inbox.LEASE,
        outbox.LEASE,
        reminders.LEASE,
    )
    seconds = (s.inbox_lease_seconds, s.outbox_lease_seconds, s.reminder_lease_seconds)
    assert seconds == (15, 20, 20) and s.claim_poll_seconds == 10  # as before they were settings
    env = {
        "CALMA_INBOX_LEASE_SECONDS": "2",
        "CALMA_OUTBOX_LEASE_SECONDS": "2.5",
        "CALMA_REMINDER_LEASE_SECONDS": " 3 ",
        "CALMA_CLAIM_POLL_SECONDS": "0.5",
    }
    s = Settings.from_env(env, env_file=None)
    assert s.inbox_lease == timedelta(seconds=2)
    assert s.outbox_lease == timedelta(seconds=2.5)
    assert s.reminder_lease == timedelta(seconds=3)
    assert s.claim_poll_seconds == 0.5


@pytest.mark.parametrize("raw", ["0", "-1", "soon", "nan", "inf", "86400.5", "1e308"])
@pytest.mark.parametrize(
    "var",
    [
        "CALMA_INBOX_LEASE_SECONDS",
        "CALMA_OUTBOX_LEASE_SECONDS",
        "CALMA_REMINDER_LEASE_SECONDS",
        "CALMA_CLAIM_POLL_SECONDS",
    ],
)
def test_a_lease_or_poll_that_is_not_a_positive_number_is_refused(var, raw):
    with pytest.raises(ConfigError, match=f"{var} must be a number of seconds above 0 and at most"):
        Settings.from_env({var: raw}, env_file=None)


def test_a_lease_of_a_day_is_taken_and_fits_a_timedelta():
    s = Settings.from_env({"CALMA_REMINDER_LEASE_SECONDS": "86400"}, env_file=None)
    assert s.reminder_lease == timedelta(days=1)


def test_the_service_holds_its_claims_for_the_configured_leases(tmp_path):
    settings = Settings(
        db=str(tmp_path / "calma.db"),
        inbox_lease_seconds=2,
        outbox_lease_seconds=3,
        reminder_lease_seconds=4,
    )
    clock = FakeClock()
    store = open_store(settings.db, clock=clock)
    try:
        service = build(store, clock, RecordingNotifier(), FakeTimers(clock), settings)
        assert service.inbox.lease == timedelta(seconds=2)
        assert service.outbox.lease == timedelta(seconds=3)
        assert service.reminders.lease == timedelta(seconds=4)
        renewed = (service.inbox._held, service.outbox._held, service.reminders._held)
        assert [held.lease.total_seconds() for held in renewed] == [2, 3, 4]  # and so renewed
        service.close()
    finally:
        store.close()
