"""Cards the service sends: nudges, abuse notes, promise acknowledgements, tips and plain notes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from bot import actions
from bot.explain import explain
from bot.i18n import Lang, t
from bot.model import Ask, Button, Card, Section
from coaching.model import Finding, Register
from coaching.tips import steps, tip, tips

MAX_FINDINGS = 2  # at most this many findings in one nudge card


def text_card(title: str, *paragraphs: str, note: str | None = None) -> Card:
    """A card of plain paragraphs."""
    return Card(title=title, sections=tuple(Section(p) for p in paragraphs if p), note=note)


def tip_note(n: int, lang: Lang) -> str | None:
    """ "Consejo 3: <title>", the footnote that ties a finding to one of the seven tips."""
    if not 1 <= n <= len(tips(lang)):
        return None
    return f"{t('nudge.tip', lang, n=n)}: {tip(n, lang).title}"


def finding_sections(findings: Sequence[Finding], lang: Lang) -> tuple[Section, ...]:
    """Why and how to rephrase, per finding; later findings name their own excerpt.

    The rephrasing stays in the language of the line: it is what the agent could send."""
    out: list[Section] = []
    for i, f in enumerate(findings):
        why = explain(f, lang) if i == 0 else f"«{f.excerpt}»: {explain(f, lang)}"
        out.append(Section(why, heading=t("nudge.why", lang)))
        out.append(Section(f.suggestion, heading=t("nudge.suggestion", lang)))
    return tuple(out)


def nudge_card(findings: Sequence[Finding], lang: Lang, value: str) -> Card:
    """The private nudge: the excerpt, why, a rephrasing, the related tip and four buttons."""
    first = findings[0]
    return Card(
        title=t("nudge.title", lang),
        quote=first.excerpt,
        sections=finding_sections(findings, lang),
        note=tip_note(first.tip, lang),
        buttons=(
            Button(actions.NUDGE_USEFUL, value, t("nudge.buttons.useful", lang), "primary"),
            Button(actions.NUDGE_NOT_APPLICABLE, value, t("nudge.buttons.not_applicable", lang)),
            Button(actions.NUDGE_MUTE_1H, value, t("nudge.buttons.mute_1h", lang)),
            Button(actions.SHOW_TIPS, value, t("nudge.buttons.tips", lang)),
        ),
    )


def boundary_key(register: Register) -> str:
    """The catalogue key of the boundary line in the customer's form of address."""
    return f"abuse.boundary.{'tu' if register == 'you' else register}"


QUOTE_MAX = 300  # the lead's alert quotes at most this much of the customer's line


def escalation_value(channel: str, event_id: str, line: str) -> str:
    """What the "Avisar a un líder" button carries: where, which line, and the line itself."""
    quote = line if len(line) <= QUOTE_MAX else line[: QUOTE_MAX - 1] + "…"
    return json.dumps({"c": channel, "e": event_id, "q": quote}, ensure_ascii=False)


def abuse_card(
    lang: Lang, line_lang: Lang, register: Register, value: str, *, threat: bool = False
) -> Card:
    """The private note to an agent whose customer crossed a line; offers to alert a lead.

    A threat gets its own card: safety first, escalate now, keep the record; no boundary line."""
    if threat:
        return Card(
            title=t("abuse.threat.title", lang),
            sections=tuple(
                Section(t(f"abuse.threat.{k}", lang)) for k in ("body", "escalate", "record")
            ),
            buttons=(
                Button(actions.ABUSE_ESCALATE, value, t("abuse.threat.button", lang), "danger"),
            ),
        )
    return Card(
        title=t("abuse.title", lang),
        sections=(
            Section(t("abuse.body", lang)),
            Section(f"«{t(boundary_key(register), line_lang)}»"),
        ),
        note=t("abuse.offer", lang),
        buttons=(
            Button(actions.ABUSE_ESCALATE, value, t("abuse.buttons.escalate", lang), "danger"),
        ),
    )


def ack_card(reminder_id: int, what: str, when: str, lang: Lang) -> Card:
    """ "Te lo recuerdo mañana a las 10: «…»" with Cancel and Change time."""
    value = str(reminder_id)
    return Card(
        title=t("followup.ack", lang, when=when, what=what),
        buttons=(
            Button(actions.FOLLOWUP_CANCEL, value, t("followup.buttons.cancel", lang)),
            Button(actions.FOLLOWUP_CHANGE_TIME, value, t("followup.buttons.change_time", lang)),
        ),
    )


def time_form(lang: Lang) -> Ask:
    """The field to type when to remind (a Slack modal, a Teams input)."""
    return _form(lang, "time")


def what_form(lang: Lang) -> Ask:
    """The field to type what to remind."""
    return _form(lang, "what")


def _form(lang: Lang, kind: str) -> Ask:
    return Ask(
        action=actions.ANSWER,
        title=t("followup.form.title", lang),
        label=t(f"followup.form.{kind}_label", lang),
        placeholder=t(f"followup.form.{kind}_placeholder", lang),
        submit=t("followup.form.submit", lang),
        open=t(f"followup.form.open_{kind}", lang),
    )


def asking_card(title: str, form: Ask) -> Card:
    """A question of Coach's, with the field to type its answer."""
    return Card(title=title, ask=form)


def versioned(reminder_id: int, due_at: datetime) -> str:
    """A button value that stops working once the reminder has moved: "12@1733000000"."""
    return f"{reminder_id}@{int(due_at.timestamp())}"


def change_time_card(reminder_id: int, due_at: datetime, lang: Lang) -> Card:
    """Quick choices for a new time (in one hour, tomorrow at 9), or a typed one. The buttons carry
    the due time they were shown for: once the reminder moves, they change nothing."""
    value = versioned(reminder_id, due_at)
    return Card(
        title=t("followup.ask_time", lang),
        sections=(Section(t("followup.change_hint", lang)),),
        buttons=(
            Button(actions.REMINDER_SNOOZE_1H, value, t("reminder.buttons.snooze_1h", lang)),
            Button(actions.REMINDER_TOMORROW_9, value, t("reminder.buttons.tomorrow_9", lang)),
            Button(actions.FOLLOWUP_CANCEL, value, t("followup.buttons.cancel", lang)),
        ),
        ask=time_form(lang),
    )


def tips_card(lang: Lang, n: int | None = None) -> Card:
    """The seven tips, or tip `n`, each with its example line."""
    if n is not None:
        one = tip(n, lang)
        return Card(
            title=t("tips.one_title", lang, n=n),
            sections=(Section(one.text, heading=one.title),),
            quote=one.example,
        )
    return Card(
        title=t("tips.title", lang),
        sections=tuple(
            Section(f"{one.text} «{one.example}»", heading=f"{one.number}. {one.title}")
            for one in tips(lang)
        ),
    )


def steps_card(lang: Lang) -> Card:
    """The seven steps for an angry customer."""
    return Card(
        title=t("steps.title", lang),
        sections=tuple(Section(s.text, heading=f"{s.number}. {s.title}") for s in steps(lang)),
    )
