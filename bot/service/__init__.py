"""The bot's use cases behind one facade, `CoachService`, plus the reminder card renderer."""

from bot.service.core import CoachService
from bot.service.door_texts import UNADDRESSED, AppTexts, DoorTexts, ModalTexts, console_words
from bot.service.home import HomeData, HomeItem
from bot.service.reminder_card import make_render
from bot.service.wiring import build

__all__ = [
    "UNADDRESSED",
    "AppTexts",
    "CoachService",
    "DoorTexts",
    "HomeData",
    "HomeItem",
    "ModalTexts",
    "build",
    "console_words",
    "make_render",
]
