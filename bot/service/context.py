"""Who is acting and how to speak to them: language, time zone and lead role, from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import Settings
from bot.i18n import Lang, resolve_lang
from bot.model import Platform
from bot.store.base import UserRow, WorkspaceRow
from bot.store.people import People

UNSET = ""  # a workspace zone no lead has set: the process default applies


@dataclass(frozen=True)
class Who:
    """One user in one workspace, with what the service needs to answer them."""

    platform: Platform
    workspace: str
    user: str
    lang: Lang
    zone: ZoneInfo
    is_lead: bool
    ws: WorkspaceRow
    row: UserRow | None

    def local(self, moment: datetime) -> datetime:
        """`moment` on this user's wall clock."""
        return moment.astimezone(self.zone)

    def day_start(self, now: datetime) -> datetime:
        """Midnight that began the user's current day."""
        local = self.local(now)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    def next_day_at(self, now: datetime, hour: int) -> datetime:
        """`hour`:00 on the user's next calendar day."""
        tomorrow = self.local(now).date() + timedelta(days=1)
        naive = datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour)
        return naive.replace(tzinfo=self.zone)


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The IANA zone called `name`, or None when it is empty or unknown."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass(frozen=True)
class Voice:
    """How to speak to one person: the language of the texts and the zone of the times."""

    lang: Lang
    zone: ZoneInfo


def voice(
    settings: Settings,
    ws: WorkspaceRow | None,
    row: UserRow | None,
    *,
    locale: str | None = None,
    author_tz: str | None = None,
) -> Voice:
    """The one fallback for language and zone: the person's own choice, else what their platform
    says (locale, zone), else the workspace's default, else the process default (CALMA_*)."""
    zone = (
        zone_or_none(row.tz if row else None)
        or zone_or_none(author_tz)
        or zone_or_none(ws.default_tz if ws else None)
        or settings.zone
    )
    lang = resolve_lang(row.lang if row else None, locale, ws.default_lang if ws else settings.lang)
    return Voice(lang, zone)


def workspace(store: People, settings: Settings, platform: str, ws_id: str) -> WorkspaceRow:
    """The workspace row, created with the process language (CALMA_LANG) if new. Its zone stays
    empty until a lead sets one: until then CALMA_TZ / --tz of each start is the default."""
    return store.ensure_workspace(platform, ws_id, default_lang=settings.lang, default_tz=UNSET)


def who(
    store: People,
    settings: Settings,
    platform: Platform,
    ws_id: str,
    user: str,
    *,
    locale: str | None = None,
    author_tz: str | None = None,
    is_admin: bool = False,
) -> Who:
    """Resolve a user's language, zone and role; an admin becomes lead of a lead-less workspace."""
    ws = workspace(store, settings, platform, ws_id)
    row = store.get_user(platform, ws_id, user)
    is_lead = row is not None and row.role == "lead"
    if is_admin and not is_lead and not store.leads(platform, ws_id):
        row = store.set_role(platform, ws_id, user, "lead")
        is_lead = True
    spoken = voice(settings, ws, row, locale=locale, author_tz=author_tz)
    return Who(platform, ws_id, user, spoken.lang, spoken.zone, is_lead or is_admin, ws, row)
