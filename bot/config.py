"""Settings from the environment plus an optional `.env` file; real environment variables win."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coaching.model import Lang

_LANGS: tuple[Lang, ...] = ("es", "en")
# Field name -> environment variable. Names follow each platform's own conventions.
_ENV: dict[str, str] = {
    "db": "CALMA_DB",
    "tz": "CALMA_TZ",
    "lang": "CALMA_LANG",
    "rules_dir": "CALMA_RULES_DIR",
    "inbox_lease_seconds": "CALMA_INBOX_LEASE_SECONDS",
    "outbox_lease_seconds": "CALMA_OUTBOX_LEASE_SECONDS",
    "reminder_lease_seconds": "CALMA_REMINDER_LEASE_SECONDS",
    "claim_poll_seconds": "CALMA_CLAIM_POLL_SECONDS",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_client_id": "SLACK_CLIENT_ID",
    "slack_client_secret": "SLACK_CLIENT_SECRET",
    "slack_api_url": "SLACK_API_URL",
    "ms_app_id": "MicrosoftAppId",
    "ms_app_password": "MicrosoftAppPassword",
    "ms_app_tenant_id": "MicrosoftAppTenantId",
    "ms_app_type": "MicrosoftAppType",
}
# How long an instance's claim holds before any instance may take the work over (it died, or
# failed): an event in the inbox, a reply in the outbox, a due reminder. Shorter takes over a dead
# instance's work sooner; it must stay longer than handling one event or one send takes.
INBOX_LEASE_SECONDS = 15.0
OUTBOX_LEASE_SECONDS = 20.0
REMINDER_LEASE_SECONDS = 20.0
# On a shared database, how often an instance that hears LISTEN/NOTIFY still claims due reminders
# nobody holds (a fallback; while it cannot listen it claims every second).
CLAIM_POLL_SECONDS = 10.0
# The longest lease or poll taken: a day. Longer would leave a dead instance's work waiting
# longer than anyone would, and past about 10^9 s the lease no longer fits in a timedelta.
MAX_SECONDS = 86_400.0
_SECONDS: frozenset[str] = frozenset(
    {"inbox_lease_seconds", "outbox_lease_seconds", "reminder_lease_seconds", "claim_poll_seconds"}
)
SECRETS: frozenset[str] = frozenset(
    {
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "slack_client_secret",
        "ms_app_password",
    }
)


class ConfigError(ValueError):
    """A setting is present but unusable (unknown time zone, unsupported language)."""


def valid_zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; raises ConfigError for anything else."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"unknown time zone {name!r} (expected an IANA name such as "
            "'America/Mexico_City' or 'UTC')"
        ) from exc


@dataclass(frozen=True)
class Settings:
    """Everything Calma reads from its environment; secrets are masked in repr."""

    db: str = "./calma.db"
    tz: str = "UTC"
    lang: Lang = "es"
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_api_url: str | None = None
    ms_app_id: str | None = None
    ms_app_password: str | None = None
    ms_app_tenant_id: str | None = None
    ms_app_type: str | None = None
    rules_dir: str | None = None  # a folder of <workspace>.yml team rules files
    inbox_lease_seconds: float = INBOX_LEASE_SECONDS
    outbox_lease_seconds: float = OUTBOX_LEASE_SECONDS
    reminder_lease_seconds: float = REMINDER_LEASE_SECONDS
    claim_poll_seconds: float = CLAIM_POLL_SECONDS

    def __post_init__(self) -> None:
        valid_zone(self.tz)
        if self.lang not in _LANGS:
            raise ConfigError(f"CALMA_LANG must be one of {', '.join(_LANGS)}, not {self.lang!r}")
        for name in sorted(_SECONDS):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0 < value <= MAX_SECONDS):
                raise _not_seconds(_ENV[name], value)

    @property
    def inbox_lease(self) -> timedelta:
        """How long an instance holds an inbox event before any instance may replay it."""
        return timedelta(seconds=self.inbox_lease_seconds)

    @property
    def outbox_lease(self) -> timedelta:
        """How long an instance holds a queued reply before any instance may send it again."""
        return timedelta(seconds=self.outbox_lease_seconds)

    @property
    def reminder_lease(self) -> timedelta:
        """How long an instance's claim on a due reminder holds before another may send it."""
        return timedelta(seconds=self.reminder_lease_seconds)

    @property
    def zone(self) -> ZoneInfo:
        """The default time zone as a ZoneInfo."""
        return ZoneInfo(self.tz)

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in SECRETS and value is not None:
                parts.append(f"{f.name}='***'")
            else:
                parts.append(f"{f.name}={value!r}")
        return f"Settings({', '.join(parts)})"

    __str__ = __repr__

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        env_file: str | Path | None = ".env",
    ) -> Settings:
        """Read settings from `environ` (default os.environ), filling gaps from `env_file`."""
        env = dict(os.environ if environ is None else environ)
        if env_file is not None and Path(env_file).is_file():
            # Imported only when there is a file to read: python-dotenv brings `logging` and
            # `tempfile` along, about 6 ms of every `calma analyze` start-up without one.
            from dotenv import dotenv_values

            for key, value in dotenv_values(env_file).items():
                if key not in env and value is not None:
                    env[key] = value
        values: dict[str, str | float] = {}
        for name, var in _ENV.items():
            raw = env.get(var, "").strip()
            if raw:
                values[name] = _seconds(var, raw) if name in _SECONDS else raw
        if "lang" in values:
            values["lang"] = str(values["lang"]).lower()
        return cls(**values)  # type: ignore[arg-type]  # lang is checked in __post_init__


def _seconds(var: str, raw: str) -> float:
    """A number of seconds from the environment variable `var` (ConfigError if it is not one)."""
    try:
        return float(raw)
    except ValueError:
        raise _not_seconds(var, raw) from None


def _not_seconds(var: str, value: object) -> ConfigError:
    """The error for a lease or poll setting that is not a number of seconds Calma takes."""
    return ConfigError(
        f"{var} must be a number of seconds above 0 and at most {MAX_SECONDS:.0f} (a day),"
        f" not {value}"
    )
