"""The Teams app manifest (schema v1.19) for Calma's bot: scopes, command menu, RSC permission."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.commands import CommandName, keyword
from bot.service import AppTexts, DoorTexts

MANIFEST_VERSION = "1.19"
SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.Localization.schema.json"
RSC_CHANNEL_MESSAGES = {"name": "ChannelMessage.Read.Group", "type": "Application"}
BOT_SCOPES = ("personal", "team")
ENGLISH_FILE = "en.json"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class BotCommand:
    """One entry of the Teams command menu: the /coach command and where it is offered. Its
    title is the command's keyword and its description the service's words, in each language."""

    name: CommandName
    scopes: tuple[str, ...] = BOT_SCOPES

    @property
    def title(self) -> str:
        return keyword(self.name)


COMMANDS: tuple[BotCommand, ...] = (
    BotCommand("tips"),
    BotCommand("steps"),
    BotCommand("check"),
    BotCommand("mute"),
    BotCommand("followups", ("personal",)),
    BotCommand("remind", ("personal",)),
    BotCommand("language", ("personal",)),
    BotCommand("team"),
    BotCommand("channel", ("team",)),
    BotCommand("rules"),
    BotCommand("help"),
)
SPANISH = DoorTexts("es")
ENGLISH = DoorTexts("en")


@dataclass(frozen=True)
class Developer:
    """Who publishes the app; Teams requires https URLs for all three pages."""

    name: str = "Calma"
    website_url: str = "https://calma.example.org"
    privacy_url: str = "https://calma.example.org/privacidad"
    terms_url: str = "https://calma.example.org/condiciones"


DEFAULT_DEVELOPER = Developer()


def is_guid(value: str) -> bool:
    """A GUID such as Teams app and bot ids."""
    return bool(_GUID.match(value))


def command_lists(commands: tuple[BotCommand, ...] = COMMANDS) -> list[dict[str, Any]]:
    """One command list per bot scope (Teams requires it), in Spanish."""
    return [
        {
            "scopes": [scope],
            "commands": [
                {"title": c.title, "description": SPANISH.menu(c.name)}
                for c in commands
                if scope in c.scopes
            ],
        }
        for scope in BOT_SCOPES
    ]


# The manifest schema's rule for the app's version: three numbers without leading zeros, at most
# 256 characters in all.
_VERSION = re.compile(r"(?=.{5,256}\Z)(?:0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*)){2}", re.ASCII)


def manifest(
    *,
    app_id: str,
    bot_id: str,
    version: str = "1.0.0",
    developer: Developer = DEFAULT_DEVELOPER,
    texts: AppTexts | None = None,
    accent_color: str = "#2E7D6B",
    valid_domains: tuple[str, ...] = (),
    english: bool = True,
) -> dict[str, Any]:
    """The manifest.json of the app `app_id` whose bot (and Entra app) is `bot_id`; the app's
    names and descriptions are the service's Spanish words unless `texts` says otherwise."""
    texts = texts or SPANISH.app()
    for label, value in (("app_id", app_id), ("bot_id", bot_id)):
        if not is_guid(value):
            raise ValueError(f"{label} must be a GUID, got {value!r}")
    if not _VERSION.fullmatch(version):  # Teams refuses the package at upload otherwise
        raise ValueError(f"version must be MAJOR.MINOR.PATCH, e.g. 1.0.0, got {version!r}")
    data: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "localizationInfo": {"defaultLanguageTag": "es"},
        "developer": {
            "name": developer.name,
            "websiteUrl": developer.website_url,
            "privacyUrl": developer.privacy_url,
            "termsOfUseUrl": developer.terms_url,
        },
        "name": {"short": texts.short_name, "full": texts.full_name},
        "description": {"short": texts.short_description, "full": texts.full_description},
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": accent_color,
        "bots": [
            {
                "botId": bot_id,
                "scopes": list(BOT_SCOPES),
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": command_lists(),
            }
        ],
        "validDomains": list(valid_domains),
        "webApplicationInfo": {"id": bot_id, "resource": f"api://botid-{bot_id}"},
        "authorization": {"permissions": {"resourceSpecific": [dict(RSC_CHANNEL_MESSAGES)]}},
    }
    if english:
        data["localizationInfo"]["additionalLanguages"] = [
            {"languageTag": "en", "file": ENGLISH_FILE}
        ]
    return data


def english_strings(texts: AppTexts | None = None) -> dict[str, str]:
    """The English localization file: names, descriptions and command descriptions."""
    texts = texts or ENGLISH.app()
    strings = {
        "$schema": LOCALIZATION_SCHEMA_URL,
        "name.short": texts.short_name,
        "name.full": texts.full_name,
        "description.short": texts.short_description,
        "description.full": texts.full_description,
    }
    for i, scope in enumerate(BOT_SCOPES):
        # Titles stay Spanish: they are the words the /coach grammar understands.
        for j, command in enumerate(c for c in COMMANDS if scope in c.scopes):
            strings[f"bots[0].commandLists[{i}].commands[{j}].description"] = ENGLISH.menu(
                command.name
            )
    return strings
