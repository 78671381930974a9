"""`CoachService`: the platform-neutral use cases every door calls (sync, replies as data)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import ParamSpec, TypeVar

from bot.commands import audience, parse, requires_lead
from bot.config import Settings
from bot.errors import StoreError
from bot.i18n import t
from bot.inbox import EventInbox
from bot.model import (
    Action,
    Ask,
    Audience,
    Command,
    IncomingMessage,
    Platform,
    PrivateNotice,
    Reply,
)
from bot.outbox import DurableOutbox
from bot.ports import Clock, ConversationRefs, Notifier
from bot.reminders import ReminderScheduler
from bot.service import directory
from bot.service.activity import ActiveAgents
from bot.service.buttons import on_action
from bot.service.cards import text_card
from bot.service.commands import Answered, personal, private
from bot.service.commands import answer as answer_question
from bot.service.context import UNSET, Voice, voice
from bot.service.deps import Analyzer, Deps
from bot.service.digest import digest_commands
from bot.service.digest_schedule import run_due
from bot.service.door_texts import DoorTexts
from bot.service.followup_offer import OFFER, offer_sender, run_due_offers
from bot.service.forms import form_for, typed_answer
from bot.service.home import HomeData, home
from bot.service.lead_commands import for_leads
from bot.service.messages import on_message, rescue_promises
from bot.service.scrub import scrubbed, scrubbed_command
from bot.store.protocol import Store
from coaching import analyze

log = logging.getLogger(__name__)

ZONES_SHOWN = 5  # workspaces named in the start-up line; the rest are counted
WORKERS = 4  # service calls at once on a network database (each mostly waits on round trips)

P = ParamSpec("P")
R = TypeVar("R")
R1 = TypeVar("R1")


def addressed(replies: list[Reply], author: str, to: Audience) -> list[Reply]:
    """The replies with the author's private notices marked for the audience `to`."""
    return [
        replace(r, audience=to) if isinstance(r, PrivateNotice) and r.user == author else r
        for r in replies
    ]


class CoachService:
    """Nudges, abuse support, reminders and `/coach`, for any door."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        reminders: ReminderScheduler,
        settings: Settings,
        *,
        analyzer: Analyzer = analyze,
        inbox: EventInbox | None = None,
        outbox: DurableOutbox | None = None,
        offload: bool = False,
    ) -> None:
        self.reminders = reminders
        # On a network database the service's calls run on worker threads, so the loop keeps
        # answering while they wait on the network; what several threads share in memory is
        # locked (ActiveAgents, Questions), what several instances share is in the database.
        self._worker = ThreadPoolExecutor(WORKERS, "calma-service") if offload else None
        self.inbox = inbox or EventInbox(store, clock, reminders.owner, offload=False)
        self.outbox = outbox or DurableOutbox(store, clock, reminders.owner, offload=False)
        self.deps = Deps(store, clock, reminders, settings, ActiveAgents(), analyzer)

    async def call(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """`fn(*args)` — a service call a door awaits: on the service's worker thread when the
        store is a network database, in place on a SQLite file (its connection is the loop's)."""
        if self._worker is None:
            return fn(*args, **kwargs)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        """Let the worker threads go: calls running finish, calls still queued are dropped
        (their events stay in the inbox, replayed by any instance once the lease ends)."""
        if self._worker is not None:
            self._worker.shutdown(wait=True, cancel_futures=True)

    def forget_events(self, platform: Platform, event_ids: list[str]) -> None:
        """An event replayed from the inbox after a crash is handled again: forget its ids."""
        try:
            self.deps.store.unmark_seen(platform, event_ids)
        except StoreError as exc:
            log.error("cannot forget replayed event ids: %s", exc)

    def now(self) -> datetime:
        """The service's clock: a door with no platform timestamp (the console) stamps with it."""
        return self.deps.clock.now()

    def on_message(self, msg: IncomingMessage) -> list[Reply]:
        """A line in a watched conversation: private nudges, notes and acknowledgements."""
        msg = scrubbed(msg)
        return self._guard(
            lambda: self._batched(on_message, self.deps, msg),
            msg.platform,
            msg.workspace,
            msg.author,
            msg.channel,
            msg.thread,
            msg.locale,
            quiet_on_bug=True,
            rescue=lambda: rescue_promises(self.deps, msg),
        )

    def on_command(self, cmd: Command) -> list[Reply]:
        """A `/coach …` command: private answers (a lead's published tip is the one Post)."""
        cmd = scrubbed_command(cmd)
        return self._guard(
            lambda: self._command(cmd) if self._first(cmd.platform, cmd.event_id) else [],
            cmd.platform,
            cmd.workspace,
            cmd.author,
            cmd.channel,
            cmd.thread,
            cmd.locale,
        )

    def on_action(self, action: Action) -> list[Reply]:
        """A button press on one of Calma's cards."""
        action = scrubbed(action)
        return self._guard_action(
            lambda: (
                on_action(self.deps, action)
                if self._first(action.platform, action.event_id)
                else []
            ),
            action,
        )

    def on_answer(self, action: Action) -> Answered:
        """An answer typed into a question's own field (a Slack modal): the replies, and why it
        was not taken (for the field's error) when it was not."""
        action = scrubbed(action)
        why: list[str] = []

        def run() -> list[Reply]:
            who = self.deps.who(
                action.platform, action.workspace, action.author, locale=action.locale
            )
            answered = typed_answer(self.deps, action, who)
            if answered.again is not None:
                why.append(answered.again)
            return answered.replies

        replies = self._guard_action(run, action)
        return Answered(replies, why[0] if why else None)

    def form_for(
        self, platform: Platform, workspace: str, user: str, *, locale: str | None = None
    ) -> Ask | None:
        """The field to answer the person's open question in; None when none is open (or the
        store cannot say)."""
        try:
            return form_for(self.deps, self.deps.who(platform, workspace, user, locale=locale))
        except StoreError as exc:
            log.error("storage unavailable: %s", exc)
            return None

    def home(self, platform: Platform, workspace: str, user: str) -> HomeData:
        """What the user's App Home shows (raises StoreError if the database is unavailable)."""
        return home(self.deps, self.deps.who(platform, workspace, user))

    def voice_of(
        self, platform: Platform, workspace: str, user: str, *, locale: str | None = None
    ) -> Voice:
        """How to speak to a person, read without writing; the defaults if storage fails."""
        store = self.deps.store
        try:
            ws = store.get_workspace(platform, workspace)
            row = store.get_user(platform, workspace, user)
        except StoreError as exc:
            log.error("storage unavailable: %s", exc)
            ws = row = None
        return voice(self.deps.settings, ws, row, locale=locale)

    def texts(
        self, platform: Platform, workspace: str, user: str, *, locale: str | None = None
    ) -> DoorTexts:
        """The words a door shows this person beside the replies, in their language."""
        return DoorTexts(self.voice_of(platform, workspace, user, locale=locale).lang)

    def zone_note(self, platform: Platform, workspace: str) -> str | None:
        """One start-up line when a lead's zone differs from CALMA_TZ / --tz (the lead's wins)."""
        try:
            ws = self.deps.store.get_workspace(platform, workspace)
        except StoreError as exc:
            log.error("storage unavailable: %s", exc)
            return None
        s = self.deps.settings
        if ws is None or ws.default_tz in (UNSET, s.tz):
            return None
        return t("settings.zone_differs", ws.default_lang, lead=ws.default_tz, env=s.tz)

    def zone_notes(self, platforms: Collection[Platform]) -> str | None:
        """One start-up line for a server: the workspaces of `platforms` whose lead chose a zone
        other than CALMA_TZ / --tz (theirs wins); None when there are none."""
        try:
            chosen = self.deps.store.lead_zones()
        except StoreError as exc:
            log.error("storage unavailable: %s", exc)
            return None
        s = self.deps.settings
        differ = [z for z in chosen if z.platform in platforms and z.zone != s.tz]
        if not differ:
            return None
        shown = ", ".join(f"{z.workspace}: {z.zone}" for z in differ[:ZONES_SHOWN])
        if len(differ) > ZONES_SHOWN:
            shown += " " + t("settings.zones_more", s.lang, n=len(differ) - ZONES_SHOWN)
        return t("settings.zones_differ", s.lang, zones=shown, env=s.tz)

    def awaits_answer(self, platform: Platform, workspace: str, user: str) -> bool:
        """Whether Coach asked the person something their next private line answers."""
        key = (platform, workspace, user)
        try:
            return self.deps.questions.pending(key, self.deps.clock.now()) is not None
        except StoreError as exc:
            log.error("storage unavailable: %s", exc)
            return False

    def forget_old_questions(self) -> int:
        """Forget questions nobody answered within their half hour; how many (raises StoreError)."""
        return self.deps.questions.prune(self.deps.clock.now())

    def is_lead(self, platform: Platform, workspace: str, user: str) -> bool:
        """Whether the person leads the workspace (False when storage cannot say)."""
        try:
            row = self.deps.store.get_user(platform, workspace, user)
        except StoreError as exc:
            log.error("storage unavailable: %s", exc)
            return False
        return row is not None and row.role == "lead"

    def customers(self, platform: Platform, workspace: str) -> frozenset[str]:
        """The people a lead listed as customers (none when storage cannot say)."""
        return directory.customers(self.deps, platform, workspace)

    def rekey_person(self, platform: Platform, workspace: str, old: str, new: str) -> bool:
        """Move what is kept under a person's old id to their new one; never raises."""
        return directory.rekey(self.deps, platform, workspace, old, new)

    def keep_zone(self, platform: Platform, workspace: str, user: str, zone: str) -> None:
        """Remember the zone the platform reports for a person who has none (raises StoreError)."""
        directory.keep_zone(self.deps, platform, workspace, user, zone)

    def rearm_reminders(self, platform: Platform, workspace: str) -> int:
        """Send a workspace's pending reminders now, not at their backoff (after a reinstall)."""
        return directory.rearm(self.deps, platform, workspace)

    def pending_reminders(self, platform: Platform, workspace: str) -> int:
        """How many reminders of the workspace wait to be sent (raises StoreError)."""
        return directory.pending(self.deps, platform, workspace)

    @property
    def conversation_refs(self) -> ConversationRefs:
        """Where a door keeps how to reach each person privately (Teams)."""
        return self.deps.store

    def on_install(self, platform: Platform, workspace: str, installer: str) -> None:
        """Record the workspace; the installer becomes its first lead."""
        s = self.deps.settings
        self.deps.store.ensure_workspace(
            platform, workspace, installer=installer, default_lang=s.lang, default_tz=UNSET
        )
        self.deps.store.set_role(platform, workspace, installer, "lead")

    def welcome(
        self,
        platform: Platform,
        workspace: str,
        user: str,
        *,
        locale: str | None = None,
        event_id: str | None = None,
    ) -> list[Reply]:
        """The greeting of a new private chat with Coach, once per event."""
        if not self.first_time(platform, event_id):
            return []
        lang = self.voice_of(platform, workspace, user, locale=locale).lang
        return [
            PrivateNotice(
                platform, workspace, user, None, None, text_card(t("teams.welcome", lang))
            )
        ]

    def first_time(self, platform: Platform, event_id: str | None) -> bool:
        """Record an event id: True the first time, False for a redelivery. When storage cannot
        say, True: the event is handled, and its answer says what failed."""
        try:
            return self._first(platform, event_id)
        except StoreError as exc:
            log.error("cannot record an event id: %s", exc)
            return True

    def _first(self, platform: Platform, event_id: str | None) -> bool:
        """Record an event id (raises StoreError): True the first time or when there is none."""
        return event_id is None or self.deps.store.mark_seen(platform, event_id)

    def _command(self, cmd: Command) -> list[Reply]:
        who = self.deps.who(
            cmd.platform,
            cmd.workspace,
            cmd.author,
            locale=cmd.locale,
            author_tz=cmd.author_tz,
            is_admin=cmd.is_admin,
        )
        if cmd.direct:
            answered = answer_question(self.deps, cmd, who)
            if answered is not None:
                return answered
        parsed = parse(cmd.text)
        if requires_lead(parsed) and not who.is_lead:
            refusal = private(cmd, text_card(t("errors.lead_only", who.lang)))
            return addressed([refusal], cmd.author, audience(parsed))
        answer = personal(self.deps, cmd, who, parsed)
        if answer is None:
            answer = for_leads(self.deps, cmd, who, parsed)
        if answer is None:
            answer = digest_commands(self.deps, cmd, who, parsed)
        return addressed(answer or [], cmd.author, audience(parsed))

    async def run_due_digests(self, notifier: Notifier) -> int:
        """Send the weekly digests that are due (each lead's own day, 09:00 their time)."""
        return await run_due(self.deps, notifier)

    def send_offers_by(self, platform: Platform, notifier: Notifier) -> None:
        """Follow-up offers of `platform` leave the outbox through `notifier` (a door opened)."""
        self.outbox.register(platform, offer_sender(self.deps, notifier), kind=OFFER)

    async def run_due_offers(self, notifier: Notifier) -> int:
        """Offer a follow-up message for each hard conversation that has gone quiet (once,
        through the durable outbox, so a failed send is retried)."""
        return await run_due_offers(self.deps, self.outbox, notifier)

    def _rescue(self, rescue: Callable[[], list[Reply]] | None) -> list[Reply]:
        if rescue is None:
            return []
        try:
            return rescue()
        except Exception:
            log.exception("could not keep the line's follow-ups")
            return []

    def _batched(self, fn: Callable[[Deps, R1], R], deps: Deps, arg: R1) -> R:
        """`fn(deps, arg)` with its writes committed together (one SQLite commit per line, not one
        per write); on a worker thread (a network database) each write stays its own."""
        if self._worker is not None:
            return fn(deps, arg)
        with self.deps.store.batch():
            return fn(deps, arg)

    def _guard_action(self, run: Callable[[], list[Reply]], action: Action) -> list[Reply]:
        """`_guard` for a button, form or typed answer: its author, in its channel."""
        return self._guard(
            run,
            action.platform,
            action.workspace,
            action.author,
            action.channel,
            None,
            action.locale,
        )

    def _guard(
        self,
        run: Callable[[], list[Reply]],
        platform: Platform,
        workspace: str,
        user: str,
        channel: str | None,
        thread: str | None,
        locale: str | None,
        *,
        quiet_on_bug: bool = False,
        rescue: Callable[[], list[Reply]] | None = None,
    ) -> list[Reply]:
        """Run a use case; a storage failure or a bug becomes a clear private note, not a crash.

        On a storage failure `rescue` saves what must not be lost (a line's promised follow-ups)
        and its replies replace the generic note.
        """
        try:
            return run()
        except StoreError as exc:
            log.error("storage unavailable: %s", exc)
            rescued = self._rescue(rescue)
            if rescued:
                return rescued
            key = "errors.storage_unavailable"
        except Exception:
            log.exception("unexpected error")
            if quiet_on_bug:
                return []
            key = "errors.unexpected"
        lang = voice(self.deps.settings, None, None, locale=locale).lang
        card = text_card(t(key, lang))
        return [PrivateNotice(platform, workspace, user, channel, thread, card)]
