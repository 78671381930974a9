"""The bot's use cases behind one facade, `CoachService`, plus the reminder card renderer."""

from bot.service.core import CoachService
from bot.service.home import HomeData, HomeItem
from bot.service.reminder_card import make_render
from bot.service.wiring import build

__all__ = ["CoachService", "HomeData", "HomeItem", "build", "make_render"]
