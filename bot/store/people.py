"""Settings and people: workspaces, users (zone, language, role, mute), channels, customers."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.store.base import Role, UserRow, WorkspaceRow


class People(Protocol):
    """What is kept about a workspace and its people. Methods raise `StoreError`."""

    # ---- workspaces ----
    def ensure_workspace(
        self,
        platform: str,
        workspace: str,
        *,
        installer: str | None = None,
        default_lang: str = "es",
        default_tz: str = "UTC",
    ) -> WorkspaceRow:
        """Create the workspace with these defaults if new; return it as stored."""
        ...

    def get_workspace(self, platform: str, workspace: str) -> WorkspaceRow | None:
        """The workspace, or None if never seen."""
        ...

    def update_workspace(
        self,
        platform: str,
        workspace: str,
        *,
        default_lang: str | None = None,
        default_tz: str | None = None,
        daily_cap: int | None = None,
        reminder_lead_minutes: int | None = None,
    ) -> WorkspaceRow:
        """Change the given settings (None leaves one as is), creating the workspace if needed."""
        ...

    # ---- users ----
    def get_user(self, platform: str, workspace: str, user: str) -> UserRow | None:
        """The user's settings, or None if never stored."""
        ...

    def set_user_settings(
        self,
        platform: str,
        workspace: str,
        user: str,
        *,
        tz: str | None = None,
        lang: str | None = None,
    ) -> UserRow:
        """Set time zone and/or language (None leaves one as is)."""
        ...

    def mute(self, platform: str, workspace: str, user: str, until: datetime | None) -> UserRow:
        """Silence nudges for the user until `until`; None unmutes."""
        ...

    def set_role(self, platform: str, workspace: str, user: str, role: Role) -> UserRow:
        """Make the user a lead or an agent."""
        ...

    def leads(self, platform: str, workspace: str) -> list[str]:
        """User ids with the lead role, sorted."""
        ...

    def rekey_user(self, platform: str, workspace: str, old: str, new: str) -> bool:
        """Move the role and customer listing kept under `old` to the same person's `new` id
        (a lead never loses the role; settings already under `new` win); True when any moved."""
        ...

    # ---- channels, customers, rules ----
    def set_channel_paused(self, platform: str, workspace: str, channel: str, paused: bool) -> None:
        """Pause or resume coaching in a channel."""
        ...

    def is_channel_paused(self, platform: str, workspace: str, channel: str) -> bool:
        """True when a lead paused the channel."""
        ...

    def add_customer(self, platform: str, workspace: str, user: str) -> bool:
        """List a user as a customer; True when newly added."""
        ...

    def remove_customer(self, platform: str, workspace: str, user: str) -> bool:
        """Unlist a customer; True when one was removed."""
        ...

    def customers(self, platform: str, workspace: str) -> frozenset[str]:
        """User ids a lead listed as customers."""
        ...

    def disable_rule(self, platform: str, workspace: str, rule: str, by: str | None = None) -> bool:
        """Turn a rule off for the workspace; True when it was on."""
        ...

    def enable_rule(self, platform: str, workspace: str, rule: str) -> bool:
        """Turn a rule back on; True when it was off."""
        ...

    def disabled_rules(self, platform: str, workspace: str) -> frozenset[str]:
        """Rule ids turned off for the workspace."""
        ...
