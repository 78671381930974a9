"""The Teams door's Bot Framework credentials, checked when it starts.

botbuilder takes whatever it is given: a SingleTenant bot without its secret or tenant raises a
bare `Exception` while the door is built, and an app id that is not one, an unknown app type or
a missing secret are only found when every activity is refused or every reply fails. Each of
them is refused here first, naming the variable to set (never echoing the secret).
"""

from __future__ import annotations

from adapters.teams.manifest import is_guid
from bot.config import ConfigError, Settings

# MicrosoftAppType's values as botbuilder reads them (any case): its name as the docs write it.
APP_TYPES = {name.lower(): name for name in ("MultiTenant", "SingleTenant", "UserAssignedMSI")}


def check_credentials(settings: Settings) -> None:
    """Raise ConfigError when the credentials cannot work. No MicrosoftAppId: authentication is
    off (the Bot Framework Emulator), and nothing else is needed."""
    app_id = settings.ms_app_id
    if not app_id:
        return
    if not is_guid(app_id):
        raise ConfigError(
            "MicrosoftAppId must be the bot's app id, a GUID such as"
            f" 8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6, not {app_id!r}"
        )
    given = settings.ms_app_type or "MultiTenant"
    kind = APP_TYPES.get(given.lower())
    if kind is None:
        raise ConfigError(
            f"MicrosoftAppType must be one of {', '.join(APP_TYPES.values())}, not {given!r}"
        )
    if kind != "UserAssignedMSI" and not settings.ms_app_password:
        raise ConfigError(f"MicrosoftAppPassword is not set: a {kind} bot needs its client secret")
    if kind != "MultiTenant" and not settings.ms_app_tenant_id:
        raise ConfigError(f"MicrosoftAppTenantId is not set: a {kind} bot needs its tenant's id")
