"""An answer typed into a question's own field (a Slack modal, a Teams card input).

The same answer as a private line (`commands.take_answer`), but it replaces the card that asked:
the question's card keeps no field or button that would answer a second time.
"""

from __future__ import annotations

from bot.i18n import t
from bot.model import Action, Ask, Command, PrivateNotice, Reply, UpdateOriginal
from bot.service.cards import text_card, time_form, what_form
from bot.service.commands import Answered, take_answer
from bot.service.context import Who
from bot.service.deps import Deps
from bot.service.questions import AskWhat


def typed_answer(deps: Deps, action: Action, who: Who) -> Answered:
    """`action.value` as the answer to the author's open question."""
    cmd = Command(
        action.platform,
        action.workspace,
        action.channel,
        action.author,
        action.value,
        action.ts,
        locale=action.locale,
        direct=True,
    )
    answered = take_answer(deps, cmd, who, typed=True)
    if answered is None:  # answered elsewhere already, or forgotten after half an hour
        why = t("followup.form.closed", who.lang)
        return Answered([UpdateOriginal(text_card(why))], again=why)
    replies = [_in_place(r, action.author) for r in answered.replies]
    return Answered(replies, answered.again)


def _in_place(reply: Reply, author: str) -> Reply:
    """The author's own answer card goes where the question's card was."""
    if isinstance(reply, PrivateNotice) and reply.user == author:
        return UpdateOriginal(reply.card)
    return reply


def form_for(deps: Deps, who: Who) -> Ask | None:
    """The field for the person's open question (what, or when); None when none is open."""
    key = (who.platform, who.workspace, who.user)
    asked = deps.questions.pending(key, deps.clock.now())
    if asked is None:
        return None
    return what_form(who.lang) if isinstance(asked, AskWhat) else time_form(who.lang)
