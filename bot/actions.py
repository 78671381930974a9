"""Names of the buttons Calma puts on its cards; a pressed button comes back as an `Action`
with one of these names and, as its value, the id of the nudge or reminder it acts on."""

from __future__ import annotations

from typing import Final

NUDGE_USEFUL: Final = "nudge.useful"
NUDGE_NOT_APPLICABLE: Final = "nudge.not_applicable"
NUDGE_MUTE_1H: Final = "nudge.mute_1h"
SHOW_TIPS: Final = "tips.show"
ABUSE_ESCALATE: Final = "abuse.escalate"
FOLLOWUP_CANCEL: Final = "followup.cancel"
FOLLOWUP_CHANGE_TIME: Final = "followup.change_time"
REMINDER_DONE: Final = "reminder.done"
REMINDER_SNOOZE_1H: Final = "reminder.snooze_1h"
REMINDER_TOMORROW_9: Final = "reminder.tomorrow_9"
REMINDER_CANCEL: Final = "reminder.cancel"
OFFER_COPY: Final = "offer.copy"  # the follow-up message after a hard conversation
OFFER_REMIND: Final = "offer.remind_tomorrow"
OFFER_DISMISS: Final = "offer.dismiss"
OFFERS: Final = frozenset({OFFER_COPY, OFFER_REMIND, OFFER_DISMISS})
ANSWER: Final = "question.answer"  # a typed answer to Coach's open question (value: the text)

ALL: Final = frozenset(
    {
        NUDGE_USEFUL,
        NUDGE_NOT_APPLICABLE,
        NUDGE_MUTE_1H,
        SHOW_TIPS,
        ABUSE_ESCALATE,
        FOLLOWUP_CANCEL,
        FOLLOWUP_CHANGE_TIME,
        REMINDER_DONE,
        REMINDER_SNOOZE_1H,
        REMINDER_TOMORROW_9,
        REMINDER_CANCEL,
        OFFER_COPY,
        OFFER_REMIND,
        OFFER_DISMISS,
    }
)
