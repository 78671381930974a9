"""Issue 10 through the real Slack door: a question opens a modal to type the answer; an invalid
time is an error on the modal's field; the answer replaces the question's card (response_url or
chat.update), so no button on it answers a second time."""

from __future__ import annotations

import json
from typing import Any

from tests.adapters.slack.fake_slack import TEAM_ID
from tests.adapters.slack.harness import AGENT, SlackApp, message_event
from tests.adapters.slack.test_app import settle


def submission(opened: dict[str, Any], typed: str) -> dict[str, Any]:
    """The view_submission Slack sends when the agent types `typed` into the opened modal."""
    view = opened["view"]
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "calma-test"},
        "user": {"id": AGENT, "username": "ana", "name": "ana", "team_id": TEAM_ID},
        "api_app_id": "A0CALMA",
        "token": "x",
        "trigger_id": "13345224609.738474920.99",
        "view": {
            "id": "V0ANSWER",
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": view["blocks"],
            "private_metadata": view["private_metadata"],
            "callback_id": view["callback_id"],
            "state": {
                "values": {"answer": {"answer_text": {"type": "plain_text_input", "value": typed}}}
            },
            "hash": "1763801010.Ab12",
            "title": view["title"],
        },
        "response_urls": [],
    }


def press(
    slack_app: SlackApp, button: dict[str, Any], *, container: dict[str, Any], name: str
) -> dict[str, Any]:
    """A block_actions payload pressing `button` on the card in `container`."""
    return {
        "type": "block_actions",
        "user": {"id": AGENT, "username": "ana", "name": "ana", "team_id": TEAM_ID},
        "api_app_id": "A0CALMA",
        "token": "x",
        "container": container,
        "trigger_id": f"13345224609.738474920.{name}",
        "team": {"id": TEAM_ID, "domain": "calma-test"},
        "channel": {"id": container["channel_id"], "name": "x"},
        "response_url": slack_app.fake.response_url(name),
        "actions": [
            {
                "action_id": button["action_id"],
                "block_id": "calma_actions",
                "value": button["value"],
                "type": "button",
                "action_ts": "1763837000.654321",
            }
        ],
    }


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in params.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


async def test_coach_recordar_opens_a_modal_and_a_bad_time_is_a_field_error(
    slack_app: SlackApp,
) -> None:
    await slack_app.command("recordar enviar la factura a Pedro")
    (opened,) = await slack_app.fake.calls_eventually("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "coach_answer_modal"
    assert opened.params["trigger_id"].startswith("trigger.")
    assert view["blocks"][0]["label"]["text"] == "¿Cuándo te lo recuerdo?"
    (asked,) = await slack_app.fake.calls_eventually("response_url")
    assert [b["action_id"] for b in buttons(asked.params)] == ["calma_ask_open"]

    wrong = await slack_app.interaction(submission(opened.params, "cuando puedas"))
    assert wrong.json() == {
        "response_action": "errors",
        "errors": {
            "answer": "No encontré una hora ahí. Prueba con «mañana a las 11» o «en 2 horas»."
        },
    }
    assert slack_app.runtime.store.pending_reminders() == []

    right = await slack_app.interaction(submission(opened.params, "mañana a las 11"))
    assert right.status == 200 and right.json() is None  # the modal closes
    _, replaced = await slack_app.fake.calls_eventually("response_url", 2)
    assert replaced.params["replace_original"] is True  # the question's card is the answer now
    assert (
        "Te lo recuerdo mañana a las 11:00: «enviar la factura a Pedro»" in replaced.params["text"]
    )
    assert "calma_ask_open" not in json.dumps(replaced.params)
    (row,) = slack_app.runtime.store.pending_reminders()
    assert (row.user, row.text) == (AGENT, "enviar la factura a Pedro")


async def test_cambiar_hora_replaces_the_card_and_opens_the_modal(slack_app: SlackApp) -> None:
    await slack_app.command("recordar llamar a Ana en 1 hora")
    (ack,) = await slack_app.fake.calls_eventually("response_url")
    change = next(b for b in buttons(ack.params) if b["action_id"] == "followup.change_time")
    container = {
        "type": "message",
        "message_ts": "1763836800.000100",
        "channel_id": "C0SOPORTE",
        "is_ephemeral": True,
    }
    await slack_app.interaction(press(slack_app, change, container=container, name="change"))
    (opened,) = await slack_app.fake.calls_eventually("views.open")
    assert opened.params["trigger_id"].endswith(".change")
    _, swapped = await slack_app.fake.calls_eventually("response_url", 2)
    assert swapped.params["replace_original"] is True  # no Cancel / Cambiar hora left
    assert "followup.change_time" not in json.dumps(swapped.params)

    await slack_app.interaction(submission(opened.params, "mañana a las 11"))
    *_, moved = await slack_app.fake.calls_eventually("response_url", 3)
    assert moved.path.endswith("/response/change")  # the pressed card, replaced
    assert "Te lo recuerdo mañana a las 11:00: «llamar a Ana»" in moved.params["text"]
    (row,) = slack_app.runtime.store.pending_reminders()
    assert row.text == "llamar a Ana"


async def test_a_question_in_the_dm_is_answered_in_a_modal_and_the_dm_card_updated(
    slack_app: SlackApp,
) -> None:
    dm = message_event("recordar mañana", channel="D0AGENTE", channel_type="im")
    await slack_app.event(dm)
    (asked,) = await slack_app.fake.calls_eventually("chat.postMessage")
    assert "¿Qué te recuerdo mañana" in asked.params["text"]
    (open_button,) = buttons(asked.params)
    container = {"type": "message", "message_ts": "1763836900.000200", "channel_id": "D0AGENTE"}
    await slack_app.interaction(press(slack_app, open_button, container=container, name="dm"))
    (opened,) = await slack_app.fake.calls_eventually("views.open")
    assert opened.params["view"]["blocks"][0]["label"]["text"] == "¿Qué te recuerdo?"
    await slack_app.interaction(submission(opened.params, "llamar a Ana"))
    (updated,) = await slack_app.fake.calls_eventually("chat.update")
    assert (updated.params["channel"], updated.params["ts"]) == ("D0AGENTE", "1763836900.000200")
    assert "«llamar a Ana»" in updated.params["text"]
    (row,) = slack_app.runtime.store.pending_reminders()
    assert row.text == "llamar a Ana"


async def test_the_modal_button_of_an_answered_question_closes_the_card(
    slack_app: SlackApp,
) -> None:
    await slack_app.command("recordar enviar la factura a Pedro")
    (asked,) = await slack_app.fake.calls_eventually("response_url")
    (open_button,) = buttons(asked.params)
    dm = message_event("mañana a las 11", channel="D0AGENTE", channel_type="im")
    await slack_app.event(dm)  # answered in the DM instead
    await slack_app.fake.calls_eventually("chat.postMessage")
    container = {
        "type": "message",
        "message_ts": "1763836800.000300",
        "channel_id": "C0SOPORTE",
        "is_ephemeral": True,
    }
    await slack_app.interaction(press(slack_app, open_button, container=container, name="late"))
    await settle()
    *_, closed = await slack_app.fake.calls_eventually("response_url", 2)
    assert closed.path.endswith("/response/late") and closed.params["replace_original"] is True
    assert "Esa pregunta ya no está abierta" in closed.params["text"]
    assert buttons(closed.params) == []
    assert len(slack_app.fake.calls_to("views.open")) == 1  # only the command's own
    assert len(slack_app.runtime.store.pending_reminders()) == 1


async def test_an_answer_whose_card_cannot_be_found_goes_to_the_dm(slack_app: SlackApp) -> None:
    await slack_app.command("recordar enviar la factura a Pedro")
    (opened,) = await slack_app.fake.calls_eventually("views.open")
    lost = submission(opened.params, "mañana a las 11")
    lost["view"]["private_metadata"] = ""  # where the question's card was: unknown
    assert (await slack_app.interaction(lost)).status == 200
    (dm,) = await slack_app.fake.calls_eventually("chat.postMessage")
    assert "Te lo recuerdo mañana a las 11:00: «enviar la factura a Pedro»" in dm.params["text"]
