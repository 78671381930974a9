"""Multi-workspace install: slack_sdk's installation and state stores behind Bolt's flow.

Beside an SQLite CALMA_DB, slack_sdk's SQLite stores in a file next to it; on a PostgreSQL
CALMA_DB, slack_sdk's SQLAlchemy stores in the same database (tables `slack_installations`,
`slack_bots`, `slack_oauth_states`), so every instance sees every installation.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings

# The bot scopes manifest.yml asks for (a test keeps the two equal).
BOT_SCOPES = (
    "app_mentions:read",
    "channels:history",
    "groups:history",
    "chat:write",
    "commands",
    "files:write",  # a lead's digest chart, uploaded into their DM with Coach
    "im:history",
    "im:write",
    "users:read",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600

OnInstall = Callable[[str, str], None]  # (workspace, installer)
Setup = Callable[[], Awaitable[None]]
log = logging.getLogger(__name__)


class _Noted:
    """What both installation stores add to slack_sdk's: who installed Calma (they become its
    lead), and which Enterprise Grid a workspace belongs to."""

    def __init__(self, on_install: OnInstall) -> None:
        self._on_install = on_install
        self._enterprises: dict[str, str] = {}

    def remember_enterprise(self, team_id: str, enterprise_id: str) -> None:
        """Note the Grid organisation a workspace belongs to (from a request Slack signed)."""
        self._enterprises[team_id] = enterprise_id

    def _installed(self, installation: Installation) -> None:
        if installation.team_id and installation.user_id:
            self._on_install(installation.team_id, installation.user_id)


FindBot = Callable[..., Awaitable[Bot | None]]


async def _find_bot(find: FindBot, enterprise: str | None, team_id: str) -> Bot | None:
    """The bot of a workspace, in or out of an Enterprise Grid (an org-wide install too)."""
    bot = await find(enterprise_id=enterprise, team_id=team_id)
    if bot is None and enterprise is not None:  # installed org-wide (org_deploy_enabled)
        bot = await find(enterprise_id=enterprise, team_id=None, is_enterprise_install=True)
    return bot


class SqliteInstallations(SQLite3InstallationStore, _Noted):
    """The SQLite installation store, telling Calma who installed it (they become its lead)."""

    def __init__(self, *, database: str, client_id: str, on_install: OnInstall) -> None:
        SQLite3InstallationStore.__init__(self, database=database, client_id=client_id)
        _Noted.__init__(self, on_install)

    def enterprise_of(self, team_id: str) -> str | None:
        """The Enterprise Grid id a workspace was installed under (None outside a Grid)."""
        if team_id in self._enterprises:
            return self._enterprises[team_id]
        with self.connect() as conn:
            row = conn.execute(
                "SELECT enterprise_id FROM slack_bots WHERE client_id = ? AND team_id = ?"
                " ORDER BY installed_at DESC LIMIT 1",
                (self.client_id, team_id),
            ).fetchone()
        return row[0] or None if row else None

    async def async_find_bot_of(self, team_id: str) -> Bot | None:
        return await _find_bot(self.async_find_bot, self.enterprise_of(team_id), team_id)

    async def async_save(self, installation: Installation) -> None:
        await super().async_save(installation)
        self._installed(installation)


class PgInstallations(AsyncSQLAlchemyInstallationStore, _Noted):
    """The installation store in Calma's PostgreSQL database, telling Calma who installed it."""

    def __init__(self, *, engine: Any, client_id: str, on_install: OnInstall) -> None:
        AsyncSQLAlchemyInstallationStore.__init__(self, client_id=client_id, engine=engine)
        _Noted.__init__(self, on_install)

    async def _enterprise_of(self, team_id: str) -> str | None:
        if team_id in self._enterprises:
            return self._enterprises[team_id]
        from sqlalchemy import select

        bots = self.bots
        query = (
            select(bots.c.enterprise_id)
            .where(bots.c.client_id == self.client_id, bots.c.team_id == team_id)
            .order_by(bots.c.installed_at.desc())
            .limit(1)
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return (row[0] or None) if row else None

    async def async_find_bot_of(self, team_id: str) -> Bot | None:
        return await _find_bot(self.async_find_bot, await self._enterprise_of(team_id), team_id)

    async def async_save(self, installation: Installation) -> None:
        await super().async_save(installation)
        self._installed(installation)


Installations = SqliteInstallations | PgInstallations


def on_postgres(settings: Settings) -> bool:
    """CALMA_DB is a PostgreSQL URL."""
    return settings.db.startswith(("postgresql://", "postgres://"))


def async_engine_url(url: str) -> str:
    """SQLAlchemy's name for the same database over psycopg 3."""
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def oauth_database(settings: Settings) -> str:
    """The SQLite file for installations and OAuth states, beside CALMA_DB."""
    db = Path(settings.db)
    return str(db.with_name(f"{db.stem}-slack-oauth.sqlite"))


def oauth_enabled(settings: Settings) -> bool:
    """Both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set."""
    return bool(settings.slack_client_id and settings.slack_client_secret)


def oauth_flow(
    settings: Settings, client: AsyncWebClient, on_install: OnInstall
) -> tuple[AsyncOAuthFlow, Installations, Setup]:
    """Bolt's OAuth flow at /slack/install and /slack/oauth_redirect, its installation store, and
    what to await before serving (creating the tables on PostgreSQL)."""
    assert settings.slack_client_id and settings.slack_client_secret
    installations: Installations
    states: AsyncOAuthStateStore
    setup: Setup = _nothing
    if on_postgres(settings):
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(async_engine_url(settings.db), pool_pre_ping=True)
        pg = PgInstallations(
            engine=engine, client_id=settings.slack_client_id, on_install=on_install
        )
        pg_states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine)
        installations, states = pg, pg_states

        async def setup() -> None:
            for attempt in range(3):  # instances starting together may race on CREATE TABLE
                try:
                    await pg.create_tables()  # type: ignore[no-untyped-call]
                    await pg_states.create_tables()  # type: ignore[no-untyped-call]
                    return
                except Exception as exc:
                    if attempt == 2:
                        raise
                    log.warning("slack: OAuth tables not created yet (%s); again", exc)

    else:
        database = oauth_database(settings)
        installations = SqliteInstallations(
            database=database, client_id=settings.slack_client_id, on_install=on_install
        )
        states = SQLite3OAuthStateStore(database=database, expiration_seconds=STATE_SECONDS)
    flow_settings = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
    )
    return AsyncOAuthFlow(client=client, settings=flow_settings), installations, setup


async def _nothing() -> None:
    """SQLite stores make their tables themselves."""
