"""One process, one asyncio loop: the service, its reminders, and the doors that serve it.

Every door (Slack, Teams, the console) is a `Door`: it adds its routes to one aiohttp application,
delivers the direct messages of its platform (reminders), and may run beside the server (Socket
Mode, the console's chat). `calma slack`, `calma teams`, `calma serve` and `calma console` differ
only in which doors they open.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
from collections.abc import Callable, Coroutine, Sequence
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adapters.door import Door, DoorFactory
from adapters.http_lane import Lane, LaneSite
from bot.config import ConfigError, Settings
from bot.errors import StoreError
from bot.journal import Journal
from bot.metrics import OUTBOX_DEPTH
from bot.model import DirectMessage
from bot.ports import Clock, SystemClock
from bot.service import CoachService, build
from bot.store.opening import is_shared, offload_checkpoints, open_store
from bot.store.postgres import is_postgres_url
from bot.store.postgres.listen import PgListener
from bot.store.sqlite.checkpoint import CHECKPOINT_SECONDS
from bot.timers import ApsTimers, Timers
from coaching.team_rules import TeamRulesError, load_dir

log = logging.getLogger(__name__)

# The store is synchronous on the one loop: a write waiting on a lock holds every door, so wait
# less than Slack's 3 s ack deadline; a write that still fails is a clear private note, and a
# reminder stays pending and is retried.
BUSY_TIMEOUT = 1.0
SEEN_DAYS = 7  # Slack retries within an hour, Teams within minutes: a week of event ids is plenty
PRUNE_EVERY_SECONDS = 24 * 3600.0
SWEEP_EVERY_SECONDS = 1.0  # replay events and resend replies whose lease ended
# On a shared database, claim due reminders armed on no live instance: every second while deaf,
# every `Settings.claim_poll_seconds` (CALMA_CLAIM_POLL_SECONDS, 10 s) while LISTEN hears of every
# new or moved reminder at once (the poll is a fallback).
CLAIM_EVERY_SECONDS = 1.0
STOP_SECONDS = 5.0  # at SIGTERM, requests still being answered get this long
# Connections waiting to be accepted: a burst (or a loop busy for a moment) past aiohttp's 128
# had the kernel drop the connections over the bound and reset some (bench_slack saw resets).
BACKLOG = 1024
MAX_BODY = 2 * 1024 * 1024  # bytes of a request body the server reads (aiohttp's client_max_size)
DIGEST_EVERY_SECONDS = 60.0  # how often the weekly digests' schedule (rows) is looked at

D = TypeVar("D", bound=Door)


class DoorNotifier:
    """The service's Notifier: hands each direct message to the door of its platform."""

    def __init__(self) -> None:
        self.doors: dict[str, Door] = {}

    def add(self, door: Door) -> None:
        self.doors[door.platform] = door

    async def deliver(self, message: DirectMessage) -> None:
        door = self.doors.get(message.platform)
        if door is None:
            raise LookupError(f"no door open for platform {message.platform!r}")
        await door.deliver(message)


def check_rules_dir(settings: Settings) -> None:
    """Refuse to start with a team rules file that cannot be used (ConfigError: file and line)."""
    if not settings.rules_dir:
        return
    folder = Path(settings.rules_dir)
    if not folder.is_dir():
        raise ConfigError(f"CALMA_RULES_DIR {folder} is not a folder")
    try:
        loaded = load_dir(folder)
    except TeamRulesError as exc:
        raise ConfigError(f"team rules refused: {exc}") from exc
    log.info("team rules: %d workspace files in %s", len(loaded), folder)


class Runtime:
    """The service with its store, timers and doors, ready to serve on one loop."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        *,
        timers: Timers | None = None,
        busy_timeout: float = BUSY_TIMEOUT,
        prune_every: float = PRUNE_EVERY_SECONDS,
        digest_every: float = DIGEST_EVERY_SECONDS,
    ) -> None:
        self.settings = settings
        check_rules_dir(settings)
        clock = clock or SystemClock()
        self.store = open_store(settings.db, clock=clock, busy_timeout=busy_timeout)
        self.notifier = DoorNotifier()
        chosen = timers if timers is not None else ApsTimers()  # an empty queue is falsy
        # A journal is a file beside an SQLite file; PostgreSQL instances share the database only.
        self.journal = None if is_postgres_url(settings.db) else Journal.beside(settings.db)
        self.service = build(
            self.store, clock, self.notifier, chosen, settings, journal=self.journal
        )
        self.doors: list[Door] = []
        self.prune_every = prune_every
        self._pruner: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._checkpointer: asyncio.Task[None] | None = None
        self.listener = (
            PgListener(settings.db, self.service.reminders.heard) if is_shared(self.store) else None
        )
        self._listening: asyncio.Task[None] | None = None
        self.digest_every = digest_every
        self._digests: asyncio.Task[None] | None = None

    def open(self, factory: Callable[[CoachService, Settings], D]) -> D:
        """Build a door on the service; it delivers the direct messages of its platform."""
        door = factory(self.service, self.settings)
        self.doors.append(door)
        self.notifier.add(door)
        self.service.send_offers_by(door.platform, self.notifier)
        return door

    def web_app(self, *, doors: bool = True) -> web.Application:
        """The doors' routes and /healthz (with `doors=False`, /healthz alone: --health-port)."""
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        for door in self.doors if doors else ():
            door.add_routes(app)
        return app

    def lanes(self) -> dict[str, Lane]:
        """The doors' routes on the lean HTTP lane (`adapters/http_lane.py`), by path."""
        lanes: dict[str, Lane] = {}
        for door in self.doors:
            lanes.update(door.lanes())
        return lanes

    def site(self, runner: web.BaseRunner, host: str, port: int) -> LaneSite:
        """Where `runner`'s application listens: the doors' lanes in front of it."""
        return LaneSite(
            runner,
            host,
            port,
            lanes=self.lanes(),
            max_body=MAX_BODY,
            backlog=BACKLOG,
            drain=STOP_SECONDS,
        )

    async def health(self) -> tuple[bool, dict[str, Any]]:
        """Ready or not, and why: the database (read, write) and each door that can say."""
        if is_shared(self.store):  # a network database: off the loop
            database = await asyncio.to_thread(self.store.health)
        else:
            database = self.store.health()
        report: dict[str, Any] = {"database": database}
        ready = bool(database["read"] and database["write"])
        for door in self.doors:
            check = getattr(door, "health", None)
            if check is not None:
                state = await check()
                report[door.platform] = state
                ready = ready and all(state.values())
        report["ok"] = ready
        return ready, report

    async def _healthz(self, _request: web.Request) -> web.Response:
        """200 when ready; 503 (with what is wrong) when the database or a connection is not."""
        ready, report = await self.health()
        if not ready:
            log.warning("not ready: %s", report)
        return web.json_response(report, status=200 if ready else 503)

    async def start(self) -> None:
        """Start the doors, forget old event ids (daily from now on), re-arm reminders."""
        for door in self.doors:
            await door.start()
        if self.listener is not None:  # before re-arming: nothing added meanwhile is missed
            self._listening = asyncio.create_task(self.listener.run())
        note = self.service.zone_notes({door.platform for door in self.doors})
        if note is not None:  # where a lead's zone wins over CALMA_TZ / --tz, in one line
            log.info("%s", note)
            print(f"calma: {note}", flush=True)
        self.forget_old_events()
        self._pruner = asyncio.create_task(self._forget_periodically())
        armed = self.service.reminders.start()
        log.info("re-armed %d pending reminders", armed)
        self._sweeper = asyncio.create_task(self._sweep_periodically())
        self._digests = asyncio.create_task(self._send_digests_periodically())
        take = offload_checkpoints(self.store)
        if take is not None:
            self._checkpointer = asyncio.create_task(self._checkpoint_periodically(take))

    async def _sweep_periodically(self) -> None:
        """Every second: replay events and resend replies an instance kept but did not finish;
        and where other instances share the rows, claim and send reminders that fell due unsent."""
        shared = is_shared(self.store)
        loop = asyncio.get_running_loop()
        claimed_at = loop.time()
        while True:
            await asyncio.sleep(SWEEP_EVERY_SECONDS)
            try:  # first keep the claims of work under way, then take what lapsed
                await self.service.inbox.renew()
                await self.service.outbox.renew()
                if shared:
                    await self.service.reminders.renew()
                await self.service.inbox.sweep()
                await self.service.outbox.sweep()
                listening = self.listener is not None and self.listener.listening
                every = self.settings.claim_poll_seconds if listening else CLAIM_EVERY_SECONDS
                if shared and loop.time() - claimed_at >= every - 0.05:
                    claimed_at = loop.time()
                    await self.service.reminders.sweep()
            except Exception:  # a sweep that crashed must not end the sweeping
                log.exception("sweep failed")

    async def send_due_digests(self) -> int:
        """Send the weekly digests that are due now (their schedule is rows: a restart keeps it)."""
        return await self.service.run_due_digests(self.notifier)

    async def send_due_offers(self) -> int:
        """Offer the follow-up message for hard conversations gone quiet (rows too)."""
        return await self.service.run_due_offers(self.notifier)

    async def _send_digests_periodically(self) -> None:
        while True:
            await self.send_due_digests()
            await self.send_due_offers()
            await asyncio.sleep(self.digest_every)

    def forget_old_events(self) -> int:
        """Prune the dedupe table (`seen_events`) of ids older than SEEN_DAYS; how many went."""
        try:
            forgotten = self.store.prune_seen(SEEN_DAYS)
        except StoreError as exc:
            log.error("cannot forget old event ids: %s", exc)
            return 0
        log.info("forgot %d event ids older than %d days", forgotten, SEEN_DAYS)
        try:
            self.store.inbox_prune(self.service.now() - timedelta(days=SEEN_DAYS))
        except StoreError as exc:
            log.error("cannot prune the inbox: %s", exc)
        try:
            self.service.forget_old_questions()
        except StoreError as exc:
            log.error("cannot forget unanswered questions: %s", exc)
        return forgotten

    async def _checkpoint_periodically(self, take: Callable[[], object]) -> None:
        """SQLite's WAL checkpoints, off the loop: a commit on the loop never waits on one."""
        while True:
            await asyncio.sleep(CHECKPOINT_SECONDS)
            await asyncio.to_thread(take)

    async def _forget_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.prune_every)
            self.forget_old_events()

    async def stop(self) -> None:
        await self.service.inbox.drain()
        await self.service.outbox.drain(STOP_SECONDS, cancel=True)
        for task in (
            self._digests,
            self._pruner,
            self._sweeper,
            self._listening,
            self._checkpointer,
        ):
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        self._digests = self._pruner = self._sweeper = self._listening = self._checkpointer = None
        self.service.reminders.shutdown()
        self.service.close()
        for door in reversed(self.doors):
            with suppress(Exception):
                await door.stop()
        self.store.close()

    async def _metrics(self, _request: web.Request) -> web.Response:
        """Prometheus text format: events, nudges by category, reminder lateness, outbox depth,
        claim conflicts (bot/metrics.py)."""
        if is_shared(self.store):
            depth = await asyncio.to_thread(self.service.outbox.depth)
        else:
            depth = self.service.outbox.depth()
        OUTBOX_DEPTH.set(depth)
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def settle_heap() -> None:
    """Put what start-up built out of the cyclic collector's reach, once it is built.

    The rules, their compiled patterns and automata, the libraries' modules: some 110,000
    objects that live as long as the process. Every full collection walked them all, and under
    load one came every few seconds and held the loop 35-80 ms (every request waiting behind
    it: the door's ack p99). Frozen (after one last collection of start-up's garbage), they are
    skipped; a full collection walks what the running process made since. Objects are still
    freed by their reference counts as always."""
    gc.collect()
    gc.freeze()


def _reason(exc: OSError) -> str:
    """What the system said when it refused an address, without the address again."""
    if exc.errno is not None and exc.errno > 0:
        return os.strerror(exc.errno).lower()
    return (exc.strerror or str(exc)).lower()  # a name that does not resolve (negative errno)


async def _unless_stopped(work: Coroutine[Any, Any, None], stop: asyncio.Event) -> bool:
    """Run `work` unless `stop` is set first, then cancel it; whether it finished. Starting can
    wait a long time (Socket Mode retries a Slack it cannot reach every 10 s): a SIGTERM then
    still ends the process, where it was only heard once start-up was over."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if task.done():
        task.result()  # raises what start-up raised
        return True
    task.cancel()
    with suppress(asyncio.CancelledError):
        await task
    return False


async def serve(
    settings: Settings,
    factories: Sequence[DoorFactory],
    *,
    host: str,
    port: int,
    http: bool = True,
    health_port: int | None = None,
) -> int:
    """Run the doors until SIGINT/SIGTERM; returns the exit code."""
    runtime = Runtime(settings)
    runner: web.AppRunner | None = None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        for factory in factories:  # a door refusing its settings still closes the store
            runtime.open(factory)
        if http or health_port is not None:  # Socket Mode: /healthz alone, on --health-port
            runner = web.AppRunner(  # requests still in flight at SIGTERM get 5 s, not 60
                runtime.web_app(doors=http), access_log=None, shutdown_timeout=STOP_SECONDS
            )
            await runner.setup()
            port = port if http else int(health_port or 0)
            site = (
                runtime.site(runner, host, port)
                if http
                else web.TCPSite(runner, host, port, backlog=BACKLOG)
            )
            try:
                await site.start()
            except OSError as exc:  # in use, not ours to take, no such address
                raise ConfigError(f"cannot listen on {host}:{port}: {_reason(exc)}") from None
            port = runner.addresses[0][1]  # the one the system gave for port 0
            log.info("listening on http://%s:%d", host, port)
            print(f"calma: listening on http://{host}:{port}", flush=True)
        if not await _unless_stopped(runtime.start(), stop):
            return 0  # SIGTERM before it was ready (Socket Mode still trying to connect)
        settle_heap()
        print("calma: ready", flush=True)
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await runtime.stop()
    return 0
