"""Identifiers shared by manifest.yml, the Block Kit we render and the listeners reading it."""

from __future__ import annotations

from typing import Final

from bot.commands import keyword

COMMAND: Final = "/coach"
SHORTCUT_CHECK_MESSAGE: Final = "coach_check_message"  # message shortcut "Revisar con Coach"
SHORTCUT_CHECK_DRAFT: Final = "coach_check_draft"  # global shortcut "Revisar borrador"
VIEW_DRAFT: Final = "coach_draft_modal"  # callback_id of the draft-check modal
BLOCK_DRAFT: Final = "draft"  # input block of the modal
ACTION_DRAFT_TEXT: Final = "draft_text"  # its plain_text_input
BLOCK_ACTIONS: Final = "calma_actions"  # the buttons of a card
CHECK_KEYWORD: Final = keyword("check")  # the /coach word a draft check is translated into
ACTION_ASK_OPEN: Final = "calma_ask_open"  # the button that opens a question's answer modal
VIEW_ANSWER: Final = "coach_answer_modal"  # callback_id of the modal a question is answered in
BLOCK_ANSWER: Final = "answer"  # its input block
ACTION_ANSWER_TEXT: Final = "answer_text"  # its plain_text_input
