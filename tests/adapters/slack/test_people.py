"""People named in answers over real signed HTTP: `<@U…>` mentions, never ids or markers.

A lead's `/coach leads|clientes` answers name people with `bot.model.person`; the Slack door
renders each as `<@U123>` (Slack shows the name) after escaping the text around it. A user who
types the private-use markers themselves gets no mention made of them.
"""

from __future__ import annotations

import json
from typing import Any

from tests.adapters.slack.fake_slack import BOT_USER_ID, TEAM_ID
from tests.adapters.slack.harness import AGENT, CHANNEL, LEAD, SlackApp, message_event

ANA = "U0123ABC"
MARKED = "\ue000U999\ue001"


def body(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False)


def sections(params: dict[str, Any]) -> list[str]:
    blocks = params["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


async def answers(app: SlackApp, n: int) -> list[dict[str, Any]]:
    return [c.params for c in await app.fake.calls_eventually("response_url", n)]


async def test_a_lead_adds_a_lead_and_the_answer_mentions_her(slack_app: SlackApp) -> None:
    slack_app.fake.add_user(LEAD, is_admin=True)
    await slack_app.command(f"leads agregar <@{ANA}|ana>", user=LEAD)
    (added,) = await answers(slack_app, 1)
    assert added["response_type"] == "ephemeral"
    assert f"<@{ANA}> ahora es líder." in added["text"]  # the notification names her too
    assert sections(added) == [f"*<@{ANA}> ahora es líder.*"]
    assert "\ue000" not in body(added) and "\ue001" not in body(added)

    await slack_app.command("leads", user=LEAD)
    _, listed = await answers(slack_app, 2)
    assert f"<@{ANA}>" in sections(listed)[0] and f"<@{LEAD}>" in sections(listed)[0]
    assert "\ue000" not in body(listed)

    await slack_app.command(f"clientes agregar <@{AGENT}>", user=LEAD)
    await slack_app.command("clientes", user=LEAD)
    *_, marked, customers = await answers(slack_app, 4)
    assert f"<@{AGENT}> queda marcado como cliente." in marked["text"]
    assert sections(customers) == [f"<@{AGENT}>"]
    assert slack_app.fake.calls_to("chat.postMessage") == []  # all of it private


async def test_typed_markers_inject_no_mention(slack_app: SlackApp) -> None:
    slack_app.fake.add_user(LEAD, is_admin=True)
    await slack_app.command(f"reglas desactivar {MARKED}", user=LEAD)
    (answer,) = await answers(slack_app, 1)
    assert "No conozco la regla «U999»" in answer["text"]
    assert "<@U999>" not in body(answer) and "\ue000" not in body(answer)

    line = f"Usted debería haber leído el correo {MARKED} &lt;@U998&gt;"
    await slack_app.event(message_event(line, channel=CHANNEL))
    (nudge,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    shown = body(nudge.params)
    assert "<@U999>" not in shown and "<@U998>" not in shown
    assert "\ue000" not in shown and "\ue001" not in shown


async def test_mentions_reach_the_service_as_plain_ids(slack_app: SlackApp, payload) -> None:
    """`<@U…|name>` in a signed slash command and in an `@Coach` mention: the person stored is
    the id (the grammar never sees Slack's syntax); a typed `@name` names no one."""
    slack_app.fake.add_user(LEAD, is_admin=True)
    await slack_app.command(f"leads agregar <@{ANA}|ana>", user=LEAD)
    await answers(slack_app, 1)
    mention = payload("app_mention")
    mention["event"]["user"] = LEAD
    mention["event"]["text"] = f"<@{BOT_USER_ID}> clientes agregar <@{AGENT}|agente>"
    assert (await slack_app.event(mention)).status == 200
    (marked,) = await slack_app.fake.calls_eventually("chat.postEphemeral")
    assert f"<@{AGENT}> queda marcado como cliente." in marked.params["text"]
    await slack_app.command("leads agregar @bruno", user=LEAD)
    *_, typed = await answers(slack_app, 2)
    assert "Menciona a la persona con @" in typed["text"]
    store = slack_app.runtime.store
    assert sorted(store.leads("slack", TEAM_ID)) == sorted([LEAD, ANA])
    assert store.customers("slack", TEAM_ID) == {AGENT}
