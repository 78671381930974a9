"""`app_uninstalled` and `tokens_revoked`: forget the workspace's tokens, keep its reminders.

Multi-workspace (OAuth) mode deletes the installation from slack_sdk's store with Bolt's own
revocation handlers, so no later request or reminder uses the revoked token: Bolt finds no
installation for that team and makes no call, and `SlackDoor.client_for` raises `NotInstalled`.
Single-workspace mode (SLACK_BOT_TOKEN) has no store: the uninstall is logged.

Pending reminders of the workspace are not cancelled: they stay pending, each retry is logged as
undeliverable (with the scheduler's backoff, at most every 30 minutes), and they go out as soon as
Calma is installed again (the install re-arms them at once).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.errors import StoreError
from bot.service import CoachService

log = logging.getLogger(__name__)

Body = dict[str, Any]


class NotInstalled(LookupError):
    """The workspace has no installation (never installed, or uninstalled): no token to use."""

    def __init__(self, workspace: str) -> None:
        super().__init__(
            f"Calma is not installed in Slack workspace {workspace}; the reminder stays pending"
            " until it is installed again"
        )


class Uninstalls:
    """The two listeners; `installations` is None in single-workspace mode."""

    def __init__(self, service: CoachService, installations: AsyncInstallationStore | None) -> None:
        self.service = service
        self._revoke = (
            AsyncTokenRevocationListeners(installations) if installations is not None else None
        )

    async def on_app_uninstalled(self, body: Body, context: AsyncBoltContext) -> None:
        """The app was removed from a workspace: its tokens are revoked."""
        team = _team(body, context)
        if self._revoke is None:
            log.warning(
                "slack: Calma was uninstalled from workspace %s; SLACK_BOT_TOKEN no longer works"
                " there (reinstall the app and set the new token)",
                team,
            )
        else:
            await self._revoke.handle_app_uninstalled_events(context)
            log.warning(
                "slack: Calma was uninstalled from workspace %s; its installation is deleted", team
            )
        self._log_pending(team)

    async def on_tokens_revoked(self, body: Body, context: AsyncBoltContext) -> None:
        """Some of the workspace's tokens were revoked (the bot's, or users')."""
        team = _team(body, context)
        event = _dict(body.get("event"))
        tokens = _dict(event.get("tokens"))
        bots, users = tokens.get("bot") or [], tokens.get("oauth") or []
        if self._revoke is not None:
            await self._revoke.handle_tokens_revoked_events(event, context)
        log.warning(
            "slack: tokens revoked in workspace %s (%d bot, %d user)%s",
            team,
            len(bots),
            len(users),
            "" if self._revoke is None else "; deleted from the installation store",
        )
        if bots:
            self._log_pending(team)

    def _log_pending(self, team: str) -> None:
        try:
            pending = self.service.pending_reminders("slack", team)
        except StoreError as exc:
            log.error("slack: cannot count workspace %s's pending reminders: %s", team, exc)
            return
        if pending:
            log.warning(
                "slack: %d pending reminders in workspace %s stay pending, undeliverable until"
                " Calma is installed there again",
                pending,
                team,
            )


def _dict(value: object) -> Body:
    return value if isinstance(value, dict) else {}


def _team(body: Body, context: AsyncBoltContext) -> str:
    return str(context.team_id or body.get("team_id") or "?")
