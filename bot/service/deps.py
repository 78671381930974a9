"""What every handler of the service works with: storage, time, reminders, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.i18n import format_when
from bot.model import Platform
from bot.ports import Clock
from bot.reminders import ReminderScheduler
from bot.service.activity import ActiveAgents
from bot.service.context import Who, who
from bot.service.questions import Questions
from bot.store.protocol import Store
from coaching.model import Analysis, Lang, Role

if TYPE_CHECKING:
    from bot.service.team_rules import TeamRulesCache


def _team_rules_cache() -> TeamRulesCache:
    from bot.service.team_rules import TeamRulesCache  # it needs Deps: import when first built

    return TeamRulesCache()


class Analyzer(Protocol):
    """`coaching.analyze`'s shape: the seam between the bot and the language core."""

    def __call__(
        self,
        text: str,
        role: Role = "agent",
        lang: Lang | None = None,
        now: datetime | None = None,
        tz: str | ZoneInfo | None = None,
    ) -> Analysis: ...


@dataclass(frozen=True)
class Deps:
    """The service's collaborators, shared by every handler."""

    store: Store
    clock: Clock
    reminders: ReminderScheduler
    settings: Settings
    activity: ActiveAgents
    analyze: Analyzer
    team_rules: TeamRulesCache = field(default_factory=lambda: _team_rules_cache())

    @property
    def questions(self) -> Questions:
        """What Coach asked each person, kept in the store (a restart still takes the answer)."""
        return Questions(self.store)

    def who(
        self,
        platform: Platform,
        workspace: str,
        user: str,
        *,
        locale: str | None = None,
        author_tz: str | None = None,
        is_admin: bool = False,
    ) -> Who:
        """Resolve one user's language, zone and role."""
        return who(
            self.store,
            self.settings,
            platform,
            workspace,
            user,
            locale=locale,
            author_tz=author_tz,
            is_admin=is_admin,
        )

    def when(self, moment: datetime, person: Who) -> str:
        """A moment in words, on the user's wall clock."""
        now = self.clock.now()
        return format_when(person.local(moment), person.lang, person.local(now))
