"""Put the service together: one store, one clock, timers and a notifier from the door."""

from __future__ import annotations

from bot.config import Settings
from bot.inbox import EventInbox
from bot.journal import Journal
from bot.loop_timers import LoopTimers
from bot.outbox import DurableOutbox
from bot.ports import Clock, Notifier
from bot.reminders import ReminderScheduler
from bot.service.core import CoachService
from bot.service.deps import Analyzer
from bot.service.reminder_card import make_render
from bot.store.opening import is_shared
from bot.store.protocol import Store
from bot.timers import Timers
from coaching import analyze


def build(
    store: Store,
    clock: Clock,
    notifier: Notifier,
    timers: Timers,
    settings: Settings,
    *,
    analyzer: Analyzer = analyze,
    journal: Journal | None = None,
) -> CoachService:
    """A CoachService whose reminders render with the bot's card; call `.reminders.start()`.

    `journal` keeps what the database refuses about reminders across a stop (bot/journal.py)."""
    shared = is_shared(store)
    reminders = ReminderScheduler(
        store,
        notifier,
        LoopTimers(timers) if shared else timers,  # armed from the service's worker thread
        clock,
        make_render(store, settings, clock),
        journal,
        shared=shared,
        lease=settings.reminder_lease,
    )
    owner = reminders.owner
    inbox = EventInbox(store, clock, owner, offload=shared, lease=settings.inbox_lease)
    outbox = DurableOutbox(store, clock, owner, offload=shared, lease=settings.outbox_lease)
    return CoachService(
        store,
        clock,
        reminders,
        settings,
        analyzer=analyzer,
        inbox=inbox,
        outbox=outbox,
        offload=shared,
    )
