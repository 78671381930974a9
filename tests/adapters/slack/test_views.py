"""The Home tab and the draft modal: ids the translator reads back, escaping, block limits."""

from __future__ import annotations

import json

from adapters.slack import ids
from adapters.slack.views import FollowUp, HomeTexts, home_view, modal_view
from bot.model import Button, Card, Section

TEXTS = HomeTexts(
    title="Calma",
    pending="Seguimientos pendientes",
    no_pending="No tiene seguimientos pendientes.",
    nudges="Sus avisos esta semana",
    no_nudges="Ningún aviso esta semana.",
    tips="Los siete consejos",
)
DONE = (Button("reminder_done", "17", "Hecho", "primary"),)


def test_home_lists_follow_ups_counts_and_tips():
    view = home_view(
        TEXTS,
        [FollowUp("hoy 10:00", "Le llamo <!here> mañana", "https://x.slack.com/p1", DONE)],
        [("reproche", 2), ("defensiva", 1), ("otros", 0)],
        ["Escuche sin interrumpir", "Reconozca la emoción"],
    )
    assert view["type"] == "home"
    text = json.dumps(view, ensure_ascii=False)
    assert "<!here>" not in text and "&lt;!here&gt;" in text
    assert "• reproche: *2*\\n• defensiva: *1*" in text and "otros" not in text
    actions = [b for b in view["blocks"] if b["type"] == "actions"]
    assert actions[0]["block_id"] == "followup_0"
    assert actions[0]["elements"][0]["action_id"] == "reminder_done"
    assert "Reconozca la emoción" in text


def test_home_empty_states():
    text = json.dumps(home_view(TEXTS, [], [], []), ensure_ascii=False)
    assert TEXTS.no_pending in text and TEXTS.no_nudges in text


def test_home_never_exceeds_100_blocks():
    many = [FollowUp(f"día {i}", f"promesa {i}", None, DONE) for i in range(200)]
    view = home_view(TEXTS, many, [("reproche", 1)], ["t"] * 7)
    assert len(view["blocks"]) <= 100
    assert view["blocks"][-1]["text"]["text"] == "t"  # the tips survive the cut
    assert any(b["type"] == "context" and b["elements"][0]["text"] == "…" for b in view["blocks"])


def test_modal_has_the_ids_the_submission_is_read_with():
    view = modal_view(
        title="Revisar un borrador largo", label="Borrador", submit="Revisar", close="Cerrar"
    )
    assert view["callback_id"] == ids.VIEW_DRAFT
    block = view["blocks"][0]
    assert block["block_id"] == ids.BLOCK_DRAFT
    assert block["element"]["action_id"] == ids.ACTION_DRAFT_TEXT
    assert len(view["title"]["text"]) <= 24 and view["title"]["text"].endswith("…")
    assert "initial_value" not in block["element"]


def test_modal_with_result_keeps_the_draft_and_shows_the_card():
    result = Card(title="Sugerencia", sections=(Section("Pruebe: «Veamos juntos…»"),))
    view = modal_view(
        title="Revisar",
        label="Borrador",
        submit="Revisar",
        close="Cerrar",
        draft="usted debería <@U1>",
        result=result,
    )
    assert view["blocks"][0]["element"]["initial_value"] == "usted debería <@U1>"
    assert [b["type"] for b in view["blocks"]] == ["input", "divider", "header", "section"]
