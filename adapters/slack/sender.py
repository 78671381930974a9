"""Neutral replies sent through the Web API: nudges and notices as ephemerals, DMs, updates.

A failed call is logged and dropped, except a reminder's DM (`direct`), which raises so the
reminder stays pending and is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack import render
from adapters.slack.errors import reason
from adapters.slack.origin import Origin
from adapters.slack.upload import upload_chart
from bot.model import DirectMessage, Post, PrivateNotice, PrivateNudge, Reply, UpdateOriginal

log = logging.getLogger(__name__)

HomePublisher = Callable[[AsyncWebClient, str, str], Awaitable[None]]
Ephemeral = Callable[[AsyncWebClient, str, dict[str, Any]], Awaitable[None]]


async def post_ephemeral(client: AsyncWebClient, _workspace: str, payload: dict[str, Any]) -> None:
    """chat.postEphemeral now (the door may queue it in the durable outbox instead)."""
    await client.chat_postEphemeral(**payload)


@dataclass(frozen=True)
class Where:
    """What an incoming event offers for answering it: the workspace and user, and handles."""

    workspace: str
    user: str
    response_url: str | None = None  # slash commands and interactions
    origin: Origin | None = None  # interactions: the card whose button was pressed


class Sender:
    """Turns replies into Web API calls; keeps each user's DM channel."""

    def __init__(
        self,
        publish_home: HomePublisher,
        ephemeral: Ephemeral = post_ephemeral,
    ) -> None:
        self._publish_home = publish_home
        self._ephemeral = ephemeral
        self._dm_channels: dict[tuple[str, str], str] = {}

    async def send(self, client: AsyncWebClient, replies: Iterable[Reply], where: Where) -> None:
        """Send every reply in order; one failing does not stop the others."""
        for reply in replies:
            try:
                await self._one(client, reply, where)
            except Exception as exc:
                log.warning("slack: %s not sent: %s", type(reply).__name__, reason(exc))

    async def _one(self, client: AsyncWebClient, reply: Reply, where: Where) -> None:
        match reply:
            case PrivateNudge():
                await self._ephemeral(client, where.workspace, render.nudge_payload(reply))
            case PrivateNotice():
                await self._notice(client, reply, where)
            case Post():
                await client.chat_postMessage(**render.post_payload(reply))
            case DirectMessage():
                await self.direct(client, reply)
            case UpdateOriginal():
                await self._update(client, reply, where)

    async def _notice(self, client: AsyncWebClient, notice: PrivateNotice, where: Where) -> None:
        """Over the response_url when there is one (works in any channel), else as an ephemeral."""
        if where.response_url and notice.user == where.user:
            body = {"response_type": "ephemeral", "replace_original": False}
            await self._respond(where.response_url, {**body, **render.message(notice.card)})
        elif notice.channel:
            await self._ephemeral(client, where.workspace, render.notice_payload(notice))
        else:
            dm = DirectMessage(notice.platform, notice.workspace, notice.user, notice.card)
            await self.direct(client, dm)

    async def _update(self, client: AsyncWebClient, update: UpdateOriginal, where: Where) -> None:
        """Replace the pressed card: chat.update for a real message (a DM), else response_url."""
        origin = where.origin
        if origin is None:
            return
        if origin.container == "view":
            await self._publish_home(client, where.workspace, where.user)
        elif origin.container == "message" and origin.channel and origin.message_ts:
            payload = render.update_payload(update, channel=origin.channel, ts=origin.message_ts)
            await client.chat_update(**payload)
        elif origin.response_url:
            await self._respond(origin.response_url, render.replace_payload(update))

    async def _respond(self, url: str, body: dict[str, Any]) -> None:
        answer = await AsyncWebhookClient(url).send_dict(body)
        if answer.status_code != 200:
            log.warning("slack: response_url answered HTTP %d", answer.status_code)

    async def direct(self, client: AsyncWebClient, dm: DirectMessage) -> None:
        """conversations.open + chat.postMessage, linking to the promise; raises on error."""
        channel = await self._dm_channel(client, dm.workspace, dm.user)
        card = dm.card
        if card.link is None and dm.reminder_id is not None and dm.channel and dm.message_ref:
            link = await self._permalink(client, dm.channel, dm.message_ref)
            if link:
                card = replace(card, link=link)  # the service worded its label
        await client.chat_postMessage(**render.dm_payload(replace(dm, card=card), channel))
        if card.chart is not None:  # a digest: its chart as a PNG beside the text, in the DM
            try:
                await upload_chart(client, channel, card.chart)
            except Exception as exc:  # the figures went out as text; the picture is a bonus
                log.warning("slack: the digest's chart was not uploaded: %s", reason(exc))

    async def _dm_channel(self, client: AsyncWebClient, workspace: str, user: str) -> str:
        key = (workspace, user)
        if key not in self._dm_channels:
            answer = await client.conversations_open(users=user)
            self._dm_channels[key] = str(answer["channel"]["id"])
        return self._dm_channels[key]

    async def _permalink(self, client: AsyncWebClient, channel: str, ts: str) -> str | None:
        """The original message's link; a reminder still goes out without it."""
        try:
            answer = await client.chat_getPermalink(channel=channel, message_ts=ts)
        except Exception as exc:
            log.warning("slack: chat.getPermalink failed: %s", reason(exc))
            return None
        link = answer.get("permalink")
        return link if isinstance(link, str) else None
