"""Every recorded Slack payload through the pure translation functions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.slack import translate as t
from adapters.slack.origin import interaction_origin
from adapters.slack.text import readable
from bot.model import person
from tests.adapters.slack import recorded

WS, BOT = "T0CALMA", "U0COACH"
NOW = datetime(2025, 11, 22, 9, 0, tzinfo=UTC)


def incoming(name: str, customers: frozenset[str] = frozenset()):
    return t.message_event_to_incoming(
        recorded.load(name), customers=set(customers), bot_user_id=BOT, workspace_team=WS
    )


def test_channel_message_becomes_incoming_message():
    msg = incoming("message_channels")
    assert msg is not None
    assert (msg.platform, msg.workspace, msg.channel, msg.author) == (
        "slack",
        WS,
        "C0SOPORTE",
        "U0AGENTE",
    )
    assert msg.text == "Usted debería haber leído el correo que le enviamos & revisado la factura"
    assert msg.event_id == "Ev0CALMA0001"
    assert msg.message_ref == "1763800123.000200"
    assert msg.ts == datetime(2025, 11, 22, 8, 28, 43, 200, tzinfo=UTC)
    assert msg.thread is None and msg.permalink is None
    assert not msg.is_customer and not msg.edited


def test_thread_reply_in_private_channel_keeps_its_thread():
    msg = incoming("message_groups_thread_reply")
    assert msg is not None
    assert (msg.channel, msg.thread) == ("G0VIP", "1763800100.000100")
    assert msg.text == "Comprendo, pero eso no es culpa nuestra"


def test_slack_connect_member_of_another_team_is_a_customer():
    msg = incoming("message_connect_external")
    assert msg is not None and msg.is_customer
    assert msg.author == "U0CLIENTE" and msg.workspace == WS
    assert msg.text.endswith(">:(")


def test_user_listed_by_a_lead_is_a_customer():
    listed = incoming("message_channels", customers=frozenset({"U0AGENTE"}))
    assert listed is not None and listed.is_customer


def test_tokens_become_readable_and_entities_unescaped():
    msg = incoming("message_with_tokens")
    assert msg is not None
    assert msg.text == "@channel @marta revise el portal <@U0FAKE> 5 < 7"


def test_edit_is_rechecked_with_a_derived_event_id():
    msg = incoming("message_changed")
    assert msg is not None and msg.edited
    assert msg.text.startswith("Quizás el correo no llegó; se lo reenvío & revisamos")
    assert msg.message_ref == "1763800123.000200"  # the original message, not the event
    assert msg.event_id == "edit:C0SOPORTE:1763800123.000200:1763800150.000000"
    assert msg.event_id != recorded.load("message_changed")["event_id"]
    again = incoming("message_changed")  # Slack's retry of the same edit
    assert again is not None and again.event_id == msg.event_id


def test_second_edit_gets_its_own_event_id():
    body = recorded.load("message_changed")
    body["event"]["message"]["edited"]["ts"] = "1763800170.000000"
    body["event"]["message"]["text"] = "Otra versión"
    msg = t.message_event_to_incoming(body, customers=set(), bot_user_id=BOT, workspace_team=WS)
    assert msg is not None and msg.event_id.endswith(":1763800170.000000")


@pytest.mark.parametrize(
    "name",
    [
        "message_changed_unfurl",  # same text, only a link preview added
        "message_deleted",
        "message_bot_message",
        "message_from_coach",
        "message_channel_join",
        "app_mention",  # not a message event
        "url_verification",
    ],
)
def test_ignored_events(name):
    assert incoming(name) is None


def test_tombstone_edit_of_a_deleted_parent_is_ignored():
    body = recorded.load("message_changed")
    body["event"]["message"]["subtype"] = "tombstone"
    assert (
        t.message_event_to_incoming(body, customers=set(), bot_user_id=BOT, workspace_team=WS)
        is None
    )


def test_slash_command_mentions_arrive_as_plain_person_ids():
    cmd = t.slash_command_to_command(recorded.load("slash_command_mention"), now=NOW)
    assert cmd.text == f"leads agregar {person('U0LIDER')}" and cmd.people == ("U0LIDER",)
    assert (cmd.workspace, cmd.channel, cmd.author, cmd.ts) == (WS, "C0SOPORTE", "U0ADMIN", NOW)


def test_command_text_names_people_and_drops_typed_markers_and_coach():
    text, people = t.command_text(
        f"<@{BOT}> leads agregar <@U1|ana> \ue000U9\ue001 <@U1> &lt;@U2&gt; <!here>", BOT
    )
    assert text == f"leads agregar {person('U1')} U9 {person('U1')} <@U2> @here"
    assert people == ("U1",)


def test_slash_command_text_is_unescaped():
    cmd = t.slash_command_to_command(recorded.load("slash_command"), now=NOW)
    assert cmd.text == "revisar Comprendo, pero usted debería <leer> las condiciones & plazos"
    assert cmd.platform == "slack" and cmd.thread is None


def test_app_mention_strips_the_bot_and_answers_in_a_new_thread():
    cmd = t.app_mention_to_command(recorded.load("app_mention"), bot_user_id=BOT)
    assert cmd is not None
    assert (cmd.text, cmd.author, cmd.channel) == ("consejos", "U0LIDER", "C0SOPORTE")
    assert cmd.thread == "1763801200.000100"  # its own ts: the answer starts a thread


def test_app_mention_in_a_thread_answers_in_that_thread():
    cmd = t.app_mention_to_command(recorded.load("app_mention_in_thread"), bot_user_id=BOT)
    assert cmd is not None
    assert cmd.text == "consejos 3 & pasos" and cmd.thread == "1763801250.000150"


def test_app_mention_from_a_bot_is_ignored():
    body = recorded.load("app_mention")
    body["event"]["bot_id"] = "B0OTRO"
    assert t.app_mention_to_command(body, bot_user_id=BOT) is None


def test_button_on_an_ephemeral_nudge():
    body = recorded.load("block_actions_nudge")
    action = t.block_action_to_action(body)
    assert action is not None
    assert (action.action, action.value, action.author) == ("nudge_useful", "42", "U0AGENTE")
    assert (action.workspace, action.channel) == (WS, "C0SOPORTE")
    assert action.ts == datetime.fromtimestamp(1763800130.123456, UTC)
    origin = interaction_origin(body)
    assert origin.container == "ephemeral"
    assert origin.response_url == body["response_url"]


def test_repeated_action_suffix_is_removed():
    body = recorded.load("block_actions_reminder_dm")
    action = t.block_action_to_action(body)
    assert action is not None
    assert (action.action, action.value, action.channel) == (
        "reminder_snooze",
        "17:tomorrow",
        "D0AGENTE",
    )
    origin = interaction_origin(body)
    assert (origin.container, origin.channel, origin.message_ts) == (
        "message",
        "D0AGENTE",
        "1763836800.000100",
    )


def test_button_on_the_home_tab_has_no_channel():
    body = recorded.load("block_actions_home")
    action = t.block_action_to_action(body)
    assert action is not None and action.channel is None and action.action == "reminder_done"
    origin = interaction_origin(body)
    assert (origin.container, origin.view_id, origin.view_hash) == (
        "view",
        "V0HOME01",
        "1763800900.Ab12Cd34",
    )


def test_message_shortcut_becomes_a_check_command():
    body = recorded.load("message_action")
    cmd = t.shortcut_to_check(body)
    assert cmd is not None
    assert (
        cmd.text
        == "revisar Usted debería haber leído el correo que le enviamos & revisado la factura"
    )
    assert (cmd.author, cmd.channel, cmd.workspace) == ("U0AGENTE", "C0SOPORTE", WS)
    assert t.is_own_message(body)
    assert interaction_origin(body).trigger_id == body["trigger_id"]


def test_message_shortcut_on_someone_elses_message_is_flagged():
    body = recorded.load("message_action_other_author")
    assert not t.is_own_message(body)
    assert t.shortcut_to_check(body) is not None  # bot/ decides what to answer


def test_global_shortcut_opens_the_modal_first():
    body = recorded.load("shortcut_global")
    assert t.shortcut_to_check(body) is None
    origin = interaction_origin(body)
    assert origin.kind == "shortcut" and origin.trigger_id and origin.response_url is None


def test_modal_submission_becomes_a_check_without_channel():
    cmd = t.view_submission_to_check(recorded.load("view_submission"))
    assert cmd is not None and cmd.channel is None
    assert cmd.text == "revisar Como ya le dije, usted debería haber reiniciado el router"


def test_empty_modal_submission_is_none():
    body = recorded.load("view_submission")
    body["view"]["state"]["values"]["draft"]["draft_text"]["value"] = "   "
    assert t.view_submission_to_check(body) is None


def test_home_opened_only_for_the_home_tab():
    assert t.home_opened_user(recorded.load("app_home_opened")) == (WS, "U0AGENTE")
    assert t.home_opened_user(recorded.load("app_home_opened_messages")) is None


@pytest.mark.parametrize("name", ["app_uninstalled", "tokens_revoked"])
def test_lifecycle_events_are_neither_lines_nor_mentions(name):
    body = recorded.load(name)
    assert body["team_id"] == WS and body["event"]["type"] == name
    assert (
        t.message_event_to_incoming(body, customers=set(), bot_user_id=BOT, workspace_team=WS)
        is None
    )
    assert t.app_mention_to_command(body, bot_user_id=BOT) is None


def test_url_verification_challenge():
    body = recorded.load("url_verification")
    assert t.url_verification_challenge(body) == body["challenge"]
    assert t.url_verification_challenge(recorded.load("message_channels")) is None


@pytest.mark.parametrize(
    ("raw", "seen"),
    [
        ("&amp;lt;", "&lt;"),  # the user typed "&lt;" literally
        ("<#C0SOPORTE|soporte>", "#soporte"),
        ("<!subteam^S0LIDERES|@lideres>", "@lideres"),
        ("<!here>", "@here"),
        ("<mailto:ana@example.com|ana@example.com>", "ana@example.com"),
        ("<https://example.com>", "https://example.com"),
    ],
)
def test_readable(raw, seen):
    assert readable(raw) == seen


def test_every_payload_is_exercised_here():
    source = Path(__file__).read_text(encoding="utf-8")
    unused = [n for n in recorded.names() if f'"{n}"' not in source]
    assert not unused, f"payload fixtures without a test: {unused}"
