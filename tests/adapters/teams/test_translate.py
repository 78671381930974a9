from datetime import UTC, datetime, timedelta

import pytest

from adapters.teams import activity as act
from adapters.teams.html_text import html_to_text
from adapters.teams.translate import (
    ConversationEvent,
    Mention,
    mentioned_people,
    message_text,
    translate,
)
from bot.model import Action, Command, IncomingMessage, person
from tests.adapters.teams.payloads import BOT, CHANNEL, TENANT, load, names

LUCIA = "6c2a0e4b-7d1f-4e3a-9b8c-5f2d1a0e9c7b"
JAVIER = "0a9b8c7d-6e5f-4a3b-8c1d-2e3f4a5b6c7d"
ANA_29 = "29:1Ana7pQwErTyUiOpAsDfGhJkLzXcVbNm-ZxCvBnM"


def test_channel_message_with_rsc_is_a_watched_line():
    event = translate(load("channel_message_rsc"))
    assert isinstance(event, IncomingMessage)
    assert event.platform == "teams"
    assert event.workspace == TENANT
    assert event.channel == CHANNEL
    assert event.thread == "1762186900123"  # the thread root, not the reply's own id
    assert event.author == LUCIA
    assert event.is_customer is False
    assert event.text == (
        "Ana García comprendo, pero usted debería haber leído el correo que le enviamos.\n"
        "Le llamo mañana a las 10 & lo vemos. Precio <100> *urgente*"
    )
    assert event.ts == datetime(2026, 11, 3, 16, 25, 1, 456789, tzinfo=UTC)
    assert event.author_tz == "America/Mexico_City"
    assert event.locale == "es-MX"
    assert event.event_id == event.message_ref == "1762187101456"
    assert event.edited is False


def test_bot_mention_in_a_channel_is_a_command_answered_in_its_thread():
    event = translate(load("channel_mention_command"))
    assert isinstance(event, Command)
    assert event.text == "consejos"
    assert event.channel == CHANNEL
    assert event.thread == "1762187412003"
    assert event.workspace == TENANT
    assert event.author == LUCIA
    assert event.author_tz == "America/Mexico_City"
    assert event.locale == "es-MX"
    assert event.ts.utcoffset() == timedelta(0)


def test_any_text_in_the_personal_chat_is_a_command():
    event = translate(load("personal_message"))
    assert isinstance(event, Command)
    assert event.text == "revisar Usted debería haber reiniciado el router antes de llamar"
    assert event.channel is None
    assert event.thread is None
    assert event.author == JAVIER
    assert event.author_tz == "Europe/Madrid"
    assert event.locale == "es-ES"


def test_card_submit_is_an_action():
    event = translate(load("card_submit"))
    assert isinstance(event, Action)
    assert (event.action, event.value) == ("nudge_feedback", "useful:42")
    assert event.author == JAVIER
    assert event.workspace == TENANT
    assert event.channel is None
    assert event.locale == "es-ES"


def test_bot_added_to_a_team_is_recognised():
    event = translate(load("conversation_update_members_added"))
    assert event == ConversationEvent(
        kind="members_added",
        workspace=TENANT,
        conversation="19:9f8e7d6c5b4a4392a1b0c9d8e7f6a5b4@thread.tacv2",
        conversation_type="channel",
        team="19:9f8e7d6c5b4a4392a1b0c9d8e7f6a5b4@thread.tacv2",
        members=(),
        bot_involved=True,
    )


def test_people_added_are_listed_by_entra_id():
    people = [{"id": "29:new", "aadObjectId": "aad-new"}, {"id": BOT}, {"id": "29:other"}]
    event = translate(load("conversation_update_members_added", membersAdded=people))
    assert isinstance(event, ConversationEvent)
    assert event.members == ("aad-new", "29:other")
    assert event.bot_involved


def test_installation_update_add_and_remove():
    added = translate(load("installation_update"))
    removed = translate(load("installation_update", action="remove-upgrade"))
    assert isinstance(added, ConversationEvent) and added.kind == "installed"
    assert isinstance(removed, ConversationEvent) and removed.kind == "uninstalled"
    assert translate(load("installation_update", action="somethingElse")) is None


@pytest.mark.parametrize("name", names())
def test_every_recorded_payload_translates_to_something(name):
    assert translate(load(name)) is not None


@pytest.mark.parametrize("name", names())
def test_every_recorded_payload_carries_what_the_door_needs(name):
    activity = load(name)
    assert act.tenant(activity) == TENANT
    assert activity["serviceUrl"].startswith("https://")
    assert act.bot_id(activity) == BOT


def test_listed_customer_is_a_customer():
    event = translate(load("channel_message_rsc"), customers={LUCIA})
    assert isinstance(event, IncomingMessage) and event.is_customer


def test_listed_customer_by_channel_id():
    activity = load("channel_message_rsc")
    event = translate(activity, customers={activity["from"]["id"]})
    assert isinstance(event, IncomingMessage) and event.is_customer


@pytest.mark.parametrize(
    "extra", [{"userRole": "guest"}, {"userRole": "Anonymous"}, {"tenantId": "other-tenant"}]
)
def test_guests_and_other_tenants_are_customers(extra):
    activity = load("channel_message_rsc")
    activity["from"].update(extra)
    event = translate(activity)
    assert isinstance(event, IncomingMessage) and event.is_customer


def test_same_tenant_user_is_not_a_customer():
    activity = load("channel_message_rsc")
    activity["from"].update({"userRole": "user", "tenantId": TENANT})
    event = translate(activity)
    assert isinstance(event, IncomingMessage) and not event.is_customer


def test_slash_coach_typed_in_a_channel_is_a_command():
    event = translate(load("channel_message_rsc", text="<p>/coach pasos</p>", entities=[]))
    assert isinstance(event, Command) and event.text == "pasos"


def test_html_formatted_mention_with_attributes_is_stripped():
    text = '<p><at id="0">Coach</at>&nbsp;revisar usted <b>debería</b> esperar</p>'
    event = translate(load("channel_mention_command", text=text))
    assert isinstance(event, Command)
    assert event.text == "revisar usted debería esperar"


def test_other_peoples_mentions_keep_their_names_in_a_watched_line():
    activity = load("channel_mention_command", text="<at>Coach</at> equipo <at>Ana</at>")
    assert message_text(activity) == "equipo Ana"


def test_a_command_naming_a_person_carries_their_id_but_not_the_bot():
    """Recorded "@Coach leads agregar @Ana López": two mention entities, Ana's with a 29: id."""
    event = translate(load("channel_mention_lead_command"))
    assert isinstance(event, Command)
    assert event.text == f"leads agregar {person(ANA_29)}"  # a plain id, no <at>, no name
    assert event.people == (ANA_29,)
    assert event.author == LUCIA
    assert mentioned_people(load("channel_mention_lead_command")) == (
        Mention("Ana López", ANA_29, "<at>Ana López</at>"),
    )


def test_typed_markers_in_a_teams_command_name_no_one():
    activity = load(
        "channel_mention_lead_command",
        text="<at>Coach</at> leads agregar \ue000U9\ue001 <at>Ana López</at>",
    )
    event = translate(activity)
    assert isinstance(event, Command)
    assert event.text == f"leads agregar U9 {person(ANA_29)}" and event.people == (ANA_29,)


def test_a_mentions_entra_id_is_preferred_and_the_text_spelling_kept():
    activity = load(
        "channel_mention_lead_command", text="<at>Coach</at> clientes agregar <at>Ana</at>"
    )
    entity = activity["entities"][1]
    entity["text"] = "<at>Ana</at>"  # shortened in the compose box; the entity keeps the full name
    entity["mentioned"]["aadObjectId"] = "aad-ana"
    assert mentioned_people(activity) == (Mention("Ana", "aad-ana", "<at>Ana</at>"),)
    event = translate(activity)
    assert isinstance(event, Command) and event.text == f"clientes agregar {person('aad-ana')}"


def test_mentions_without_text_use_the_name_and_repeats_count_once():
    activity = load("channel_mention_lead_command")
    ana = activity["entities"][1]
    activity["entities"] = [*activity["entities"], ana, {**ana, "text": None}, {"type": "mention"}]
    assert [(m.name, m.user) for m in mentioned_people(activity)] == [("Ana López", ANA_29)]


def test_the_bots_own_messages_are_ignored():
    activity = load("channel_message_rsc")
    activity["from"] = {"id": BOT, "name": "Coach"}
    assert translate(activity) is None


def test_a_channel_message_without_text_is_ignored():
    assert translate(load("channel_message_rsc", text="<p>&nbsp;</p>")) is None


def test_edit_is_a_watched_line_with_its_own_event_id():
    activity = load("channel_message_rsc", type="messageUpdate")
    activity["channelData"]["eventType"] = "editMessage"
    event = translate(activity)
    assert isinstance(event, IncomingMessage) and event.edited
    assert event.message_ref == "1762187101456"
    assert event.event_id != "1762187101456"


def test_soft_delete_and_typing_are_ignored():
    deleted = load("channel_message_rsc", type="messageDelete")
    undeleted = load("channel_message_rsc", type="messageUpdate")
    undeleted["channelData"]["eventType"] = "undeleteMessage"
    assert translate(deleted) is None
    assert translate(undeleted) is None
    assert translate(load("personal_message", type="typing")) is None


def test_submit_without_an_action_is_ignored():
    assert translate(load("card_submit", value={"foo": "bar"})) is None


def test_time_zone_falls_back_to_client_info():
    activity = load("channel_message_rsc")
    del activity["localTimezone"], activity["locale"]
    event = translate(activity)
    assert isinstance(event, IncomingMessage)
    assert (event.author_tz, event.locale) == ("America/Mexico_City", "es-MX")


def test_missing_timestamp_is_malformed():
    activity = load("personal_message")
    del activity["timestamp"], activity["localTimestamp"]
    with pytest.raises(act.MalformedActivity):
        translate(activity)


def test_emulator_activity_without_tenant_uses_the_channel_id():
    activity = load("personal_message", channelId="emulator", channelData={})
    del activity["conversation"]["tenantId"]
    event = translate(activity)
    assert isinstance(event, Command) and event.workspace == "emulator"


def test_sender_keeps_what_a_proactive_chat_needs():
    user = act.sender(load("channel_message_rsc"))
    assert user.id.startswith("29:")
    assert user.key == LUCIA
    assert user.tenant == TENANT
    assert user.service_url == "https://smba.trafficmanager.net/amer/"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("plain a < b", "plain a < b"),
        ("<div>uno<br>dos</div>", "uno\ndos"),
        ("&quot;hola&quot; &#39;tú&#39;", "\"hola\" 'tú'"),
        ("<p>a</p>\n\n<p>b</p>", "a\nb"),
        ("<style>p{}</style>hola", "hola"),
    ],
)
def test_html_to_text(raw, text):
    assert html_to_text(raw) == text
