"""The real botbuilder CloudAdapter (auth off) talking to the local Bot Connector stand-in."""

import json
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
    ErrorResponseException,
)

from adapters.teams.activity import sender
from adapters.teams.render import ADAPTIVE_CARD, adaptive_card, card_activity
from adapters.teams.translate import translate
from bot.model import Button, Card, Command, IncomingMessage
from tests.adapters.teams.connector import BotConnector, pointed_at, post_activity
from tests.adapters.teams.payloads import TENANT, load

CARD = Card(
    title="Una forma más amable", quote="usted debería…", buttons=(Button("tips", "", "Consejos"),)
)
USER = "29:1qXv8mTgLp3rJ0bKsYdWcZ4eN7uA5iH2fO9yR6tM-kQ"


def adapter_without_auth() -> CloudAdapter:
    config = SimpleNamespace(APP_ID="", APP_PASSWORD="")
    return CloudAdapter(ConfigurationBotFrameworkAuthentication(config))


def one_to_one(user_id: str) -> ConversationParameters:
    return ConversationParameters(
        is_group=False,
        members=[ChannelAccount(id=user_id)],
        tenant_id=TENANT,
        channel_data={"tenant": {"id": TENANT}},
    )


async def open_chat(adapter, connector, user_id=USER):
    """Create a 1:1 chat through the adapter, send the card there; the stored reference."""
    references = []

    async def first_turn(context: TurnContext):
        references.append(TurnContext.get_conversation_reference(context.activity))
        await context.send_activity(Activity().deserialize(card_activity(CARD)))

    await adapter.create_conversation("", first_turn, one_to_one(user_id), "msteams", connector.url)
    return references[0]


async def test_create_conversation_and_send_are_recorded(connector):
    await open_chat(adapter_without_auth(), connector)
    create, send = connector.calls
    assert (create.method, create.path) == ("POST", "/v3/conversations")
    assert create.body["isGroup"] is False
    assert create.body["members"] == [{"id": USER}]
    assert create.body["channelData"] == {"tenant": {"id": TENANT}}
    assert create.authorization is None  # auth off: no token to the connector
    [activity] = connector.sent("a:conv-1")
    assert send.path.startswith("/v3/conversations/a:conv-1/activities")
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == ADAPTIVE_CARD
    assert attachment["content"] == adaptive_card(CARD)  # the card survives botbuilder's models


async def test_stored_reference_continues_the_chat_after_a_json_round_trip(connector):
    adapter = adapter_without_auth()
    reference = await open_chat(adapter, connector)
    stored = json.dumps(reference.serialize())
    restored = ConversationReference().deserialize(json.loads(stored))

    async def remind(context: TurnContext):
        await context.send_activity("Recordatorio: llamar al cliente")

    await adapter_without_auth().continue_conversation(restored, remind, "")
    texts = [a.get("text") for a in connector.sent("a:conv-1")]
    assert texts[-1] == "Recordatorio: llamar al cliente"


async def test_update_activity_is_a_put(connector):
    adapter = adapter_without_auth()
    reference = await open_chat(adapter, connector)

    async def update(context: TurnContext):
        replacement = Activity().deserialize(card_activity(Card(title="¡Gracias!")))
        replacement.id = "act-2"
        replacement.conversation = context.activity.conversation
        await context.update_activity(replacement)

    await adapter.continue_conversation(reference, update, "")
    [put] = connector.updates()
    assert put.path == "/v3/conversations/a:conv-1/activities/act-2"
    assert put.body["attachments"][0]["content"]["body"][0]["text"] == "¡Gracias\\!"


async def test_connector_429_is_not_retried_by_botbuilder(connector):
    """Why the door needs its own backoff: botbuilder raises on the first 429."""
    adapter = adapter_without_auth()
    reference = await open_chat(adapter, connector)
    connector.fail_next(1, status=429, retry_after=0.1)

    async def send(context: TurnContext):
        await context.send_activity("hola")

    with pytest.raises(ErrorResponseException):
        await adapter.continue_conversation(reference, send, "")
    assert connector.calls[-1].status == 429
    await adapter.continue_conversation(reference, send, "")  # the next call goes through
    assert connector.calls[-1].status == 201


async def test_fail_next_counts_down_across_calls(connector):
    adapter = adapter_without_auth()
    connector.fail_next(2, status=502)
    for _ in range(2):
        with pytest.raises(ErrorResponseException):
            await open_chat(adapter, connector)
    await open_chat(adapter, connector)
    assert [c.status for c in connector.calls] == [502, 502, 201, 201]


def test_botbuilder_models_drop_entity_details():
    """Why translate() takes the raw JSON: Activity.serialize() loses mention and clientInfo."""
    raw = load("channel_mention_command")
    round_tripped = Activity().deserialize(raw).serialize()
    assert round_tripped["entities"] == [{"type": "mention"}, {"type": "clientInfo"}]
    assert isinstance(translate(raw), Command)
    assert not isinstance(translate(round_tripped), Command)


class DoorBot:
    """A minimal door over real HTTP: commands answered in the thread, nudges in a new 1:1."""

    def __init__(self, adapter: CloudAdapter, raw: dict[str, Any]):
        self.adapter, self.raw = adapter, raw

    async def on_turn(self, context: TurnContext):
        event = translate(self.raw)
        if isinstance(event, Command):
            await context.send_activity(Activity().deserialize(card_activity(CARD)))
        elif isinstance(event, IncomingMessage):
            user = sender(self.raw)

            async def nudge(chat: TurnContext):
                await chat.send_activity(Activity().deserialize(card_activity(CARD)))

            await self.adapter.create_conversation(
                "", nudge, one_to_one(user.id), "msteams", user.service_url
            )


@pytest.fixture
async def door(connector):
    adapter = adapter_without_auth()

    async def messages(request: web.Request):
        raw = await request.json()  # aiohttp caches the body: the adapter reads it again
        return await adapter.process(request, DoorBot(adapter, raw))

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/api/messages"
    await runner.cleanup()


async def test_command_over_http_is_answered_in_its_channel_thread(door, connector: BotConnector):
    activity = pointed_at(load("channel_mention_command"), connector)
    status, _ = await post_activity(door, activity)
    assert status in (200, 201)
    [call] = connector.calls
    conversation = activity["conversation"]["id"]
    assert call.path == f"/v3/conversations/{conversation}/activities/{activity['id']}"
    assert call.body["replyToId"] == activity["id"]
    assert call.body["attachments"][0]["contentType"] == ADAPTIVE_CARD


async def test_channel_line_over_http_nudges_in_a_new_1to1_and_not_in_the_channel(
    door, connector: BotConnector
):
    activity = pointed_at(load("channel_message_rsc"), connector)
    status, _ = await post_activity(door, activity)
    assert status in (200, 201)
    create = connector.calls[0]
    assert create.path == "/v3/conversations"
    assert create.body["members"] == [{"id": activity["from"]["id"]}]
    assert create.body["tenantID"] == TENANT  # botbuilder-python spells it so
    assert len(connector.sent("a:conv-1")) == 1
    channel = activity["conversation"]["id"]
    assert connector.sent(channel) == []
    assert not any(channel in c.path for c in connector.calls)
