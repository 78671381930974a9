"""Slash commands, @mentions, shortcuts, the draft modal, buttons and the Home tab over HTTP."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from adapters.slack.app import _tips_in_thread
from bot.i18n import t
from bot.model import Card, Command, PrivateNotice
from tests.adapters.slack.fake_slack import BOT_USER_ID, TEAM_ID
from tests.adapters.slack.harness import AGENT, CHANNEL, LEAD, SlackApp, message_event
from tests.adapters.slack.test_app import JUDGEMENTAL, settle


def blocks_text(params: dict[str, Any]) -> str:
    return str(params.get("blocks") or params.get("view") or "")


async def test_coach_tips_is_acked_fast_and_answered_privately(slack_app: SlackApp) -> None:
    reply = await slack_app.command("consejos")
    assert reply.status == 200 and reply.elapsed < 3
    (answer,) = await slack_app.fake.calls_eventually("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert "Siete consejos para mantener la calma" in answer.params["text"]
    assert slack_app.fake.calls_to("chat.postMessage") == []


async def test_coach_revisar_answers_with_findings_and_escapes_the_draft(slack_app: SlackApp):
    draft = "revisar Comprendo, pero usted debería &lt;leer&gt; las condiciones &amp; plazos"
    await slack_app.command(draft)
    (answer,) = await slack_app.fake.calls_eventually("response_url")
    text = blocks_text(answer.params)
    assert "Una idea antes de enviarlo" in text
    assert "<leer>" not in text
    assert slack_app.fake.calls_to("chat.postEphemeral") == []  # nothing stored or nudged


async def test_an_echoed_promise_is_escaped(slack_app: SlackApp) -> None:
    await slack_app.command(
        "recordar revisar &lt;b&gt;factura&lt;/b&gt; &amp; pago mañana a las 10"
    )
    (answer,) = await slack_app.fake.calls_eventually("response_url")
    header = answer.params["blocks"][0]["text"]
    assert header["type"] == "plain_text"  # Slack never parses plain_text
    assert "«revisar <b>factura</b> & pago»" in header["text"]
    assert "revisar &lt;b&gt;factura&lt;/b&gt; &amp; pago" in answer.params["text"]
    mrkdwn = [str(b) for b in answer.params["blocks"] if b["type"] != "header"]
    assert "<b>" not in "".join(mrkdwn)


async def test_lead_commands_are_gated_by_slack_admin_flag(slack_app: SlackApp) -> None:
    await slack_app.command("canal pausar")
    (refused,) = await slack_app.fake.calls_eventually("response_url")
    assert "Ese comando es para líderes del equipo." in blocks_text(refused.params)
    slack_app.fake.add_user(LEAD, is_admin=True)
    await slack_app.command("canal pausar", user=LEAD)
    _, paused = await slack_app.fake.calls_eventually("response_url", 2)
    assert "pausé las sugerencias" in blocks_text(paused.params)
    await slack_app.event(message_event(JUDGEMENTAL))
    await settle()
    assert slack_app.fake.calls_to("chat.postEphemeral") == []  # the channel is paused


async def test_a_lead_publishes_the_tips_in_the_channel(slack_app: SlackApp) -> None:
    slack_app.fake.add_user(LEAD, is_owner=True)
    await slack_app.command("consejos publicar", user=LEAD)  # issue 10: which one? asked first
    (asked,) = await slack_app.fake.calls_eventually("response_url")
    assert "¿Qué consejo publico?" in asked.params["text"]
    await slack_app.command("consejos 3 publicar", user=LEAD)
    (post,) = await slack_app.fake.calls_eventually("chat.postMessage")
    assert post.params["channel"] == CHANNEL
    assert post.params["unfurl_links"] in (False, "0", "false")
    assert "Consejo 3 de 7" in post.params["text"]


async def test_mention_for_tips_answers_in_the_thread_once(slack_app: SlackApp, payload) -> None:
    mention = payload("app_mention")
    for _ in range(2):  # the second is Slack's retry
        assert (await slack_app.event(mention)).status == 200
    (post,) = await slack_app.fake.calls_eventually("chat.postMessage")
    assert post.params["thread_ts"] == mention["event"]["ts"]
    assert "Siete consejos" in post.params["text"]
    await settle()
    assert len(slack_app.fake.calls_to("chat.postMessage")) == 1


async def test_message_shortcut_on_own_message_opens_a_modal_with_findings(
    slack_app: SlackApp, payload
) -> None:
    body = payload("message_action")
    body["message"]["text"] = "Como ya le dije, usted debería haber reiniciado el router"
    assert (await slack_app.interaction(body)).status == 200
    (opened,) = await slack_app.fake.calls_eventually("views.open")
    view = opened.params["view"]
    assert opened.params["trigger_id"] == body["trigger_id"]
    assert view["callback_id"] == "coach_draft_modal"
    assert "Una idea antes de enviarlo" in str(view["blocks"])


async def test_message_shortcut_on_someone_elses_message_explains(slack_app: SlackApp, payload):
    body = payload("message_action_other_author")
    await slack_app.interaction(body)
    (opened,) = await slack_app.fake.calls_eventually("views.open")
    assert "Solo puedes revisar tus propios mensajes" in str(opened.params["view"])


async def test_global_shortcut_then_submission_shows_results_in_the_modal(
    slack_app: SlackApp, payload
) -> None:
    await slack_app.interaction(payload("shortcut_global"))
    (opened,) = await slack_app.fake.calls_eventually("views.open")
    assert opened.params["view"]["title"]["text"] == "Revisar borrador"
    reply = await slack_app.interaction(payload("view_submission"))
    answer = reply.json()
    assert answer["response_action"] == "update"
    assert "Una idea antes de enviarlo" in str(answer["view"]["blocks"])
    assert answer["view"]["blocks"][0]["element"]["initial_value"].startswith("Como ya le dije")


async def test_an_empty_draft_gets_a_clear_error_in_the_modal(slack_app: SlackApp, payload):
    body = payload("view_submission")
    body["view"]["state"]["values"]["draft"]["draft_text"]["value"] = "   "
    answer = (await slack_app.interaction(body)).json()
    assert answer == {
        "response_action": "errors",
        "errors": {"draft": "Escribe el texto que quieres revisar."},
    }


async def test_app_home_opened_publishes_the_home_tab(slack_app: SlackApp, payload) -> None:
    await slack_app.event(payload("app_home_opened"))
    (published,) = await slack_app.fake.calls_eventually("views.publish")
    assert published.params["user_id"] == AGENT
    assert published.params["view"]["type"] == "home"
    assert "Tus seguimientos pendientes" in str(published.params["view"])


async def test_useful_on_a_nudge_replaces_the_ephemeral_and_records_it(
    slack_app: SlackApp, payload
) -> None:
    await slack_app.event(message_event(JUDGEMENTAL))
    (nudge,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    useful = nudge.params["blocks"][-1]["elements"][0]
    body = payload("block_actions_nudge")
    body["response_url"] = slack_app.fake.response_url("nudge")
    body["actions"] = [{**useful, "type": "button", "action_ts": "1763800200.000100"}]
    assert (await slack_app.interaction(body)).status == 200
    (replaced,) = await slack_app.fake.calls_eventually("response_url")
    assert replaced.params["replace_original"] is True
    row = slack_app.runtime.store.get_nudge(int(useful["value"].split(",")[0]))
    assert row is not None and row.outcome == "useful"


async def test_reminder_dm_has_permalink_and_done_updates_it(slack_app: SlackApp, payload):
    promise = message_event("Le llamo mañana a las 10.")
    ts = promise["event"]["ts"]
    await slack_app.event(promise)
    await slack_app.fake.calls_eventually("chat.postEphemeral")
    (row,) = slack_app.runtime.store.pending_reminders()
    store = slack_app.runtime.store
    store.snooze(row.id, row.created_at)  # due now
    assert await slack_app.runtime.service.reminders.deliver(row.id)
    (opened,) = slack_app.fake.calls_to("conversations.open")
    (link,) = slack_app.fake.calls_to("chat.getPermalink")
    (dm,) = slack_app.fake.calls_to("chat.postMessage")
    assert opened.params["users"] == AGENT and link.params["message_ts"] == ts
    assert dm.params["channel"] == "D0AGENTE"
    assert f"p{ts.replace('.', '')}|Ver la conversación>" in blocks_text(dm.params)
    done = next(b for b in dm.params["blocks"][-1]["elements"] if b["action_id"] == "reminder.done")
    body = payload("block_actions_reminder_dm")
    body["actions"] = [{**done, "type": "button", "action_ts": "1763837000.654321"}]
    await slack_app.interaction(body)
    (update,) = await slack_app.fake.calls_eventually("chat.update")
    assert (update.params["channel"], update.params["ts"]) == ("D0AGENTE", "1763836800.000100")
    assert "Marcado como hecho" in blocks_text(update.params)
    assert store.get_reminder(row.id).status == "done"


async def test_ack_comes_before_slow_work(slack_app: SlackApp) -> None:
    slack_app.fake.rate_limit("users.info", retry_after=2)  # the lookup after the ack is slow
    reply = await slack_app.command("consejos", user="U0NUEVO")
    assert reply.status == 200 and reply.elapsed < 1
    await slack_app.fake.calls_eventually("response_url", timeout=6)


async def test_bot_user_is_known_from_auth_test(slack_app: SlackApp) -> None:
    own = message_event(JUDGEMENTAL, user=BOT_USER_ID)
    await slack_app.event(own)
    await asyncio.sleep(0.3)
    assert slack_app.fake.calls_to("auth.test")[0].token.startswith("xoxb-")
    assert slack_app.fake.calls_to("chat.postEphemeral") == []
    assert TEAM_ID


def test_mention_for_tips_never_posts_a_failure_note_in_the_thread() -> None:
    cmd = Command("slack", "T0CALMA", CHANNEL, AGENT, "consejos", datetime.now(UTC), "1.2")
    for key in ("errors.storage_unavailable", "errors.unexpected"):
        note = PrivateNotice("slack", "T0CALMA", AGENT, CHANNEL, "1.2", Card(t(key, "es")))
        assert _tips_in_thread(cmd, [note]) == [note]


async def test_an_insult_opening_a_conversation_is_escalated_once_quoting_it(
    slack_app: SlackApp, payload
) -> None:
    """Issue 10 through the door: nobody wrote yet, so the lead (the installer) gets the note;
    pressing "Avisar a un líder" twice sends one alert, which quotes the customer's line."""
    slack_app.runtime.service.on_install("slack", TEAM_ID, LEAD)
    insult = "eres un idiota, no sirves para nada"
    await slack_app.event(message_event(insult, user="U0CLIENTE", user_team="T0ACME"))
    (note,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    assert note.params["user"] == LEAD
    escalate = next(
        e
        for block in note.params["blocks"]
        for e in block.get("elements", [])
        if e.get("action_id", "").startswith("abuse.escalate")
    )
    for n in range(2):
        body = payload("block_actions_nudge")
        body["user"] = {**body["user"], "id": LEAD}
        body["response_url"] = slack_app.fake.response_url(f"abuse{n}")
        body["actions"] = [{**escalate, "type": "button", "action_ts": f"176380020{n}.000100"}]
        assert (await slack_app.interaction(body)).status == 200
    await slack_app.fake.calls_eventually("response_url", 2)
    alerts = slack_app.fake.calls_to("chat.postMessage")
    assert len(alerts) == 1
    assert f"«{insult}»" in blocks_text(alerts[0].params)
