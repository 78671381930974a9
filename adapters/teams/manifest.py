"""The Teams app manifest (schema v1.19) for Calma's bot: scopes, command menu, RSC permission."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MANIFEST_VERSION = "1.19"
SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.Localization.schema.json"
RSC_CHANNEL_MESSAGES = {"name": "ChannelMessage.Read.Group", "type": "Application"}
BOT_SCOPES = ("personal", "team")
ENGLISH_FILE = "en.json"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class BotCommand:
    """One entry of the Teams command menu: the /coach word, what it does, where it is offered."""

    title: str
    es: str
    en: str
    scopes: tuple[str, ...] = BOT_SCOPES


COMMANDS: tuple[BotCommand, ...] = (
    BotCommand("consejos", "Los 7 consejos para calmar una conversación", "The 7 calm-down tips"),
    BotCommand(
        "pasos", "Los pasos para responder a un cliente enfadado", "Steps for an angry customer"
    ),
    BotCommand(
        "revisar",
        "revisar <texto>: revisa un borrador antes de enviarlo",
        "revisar <text>: check a draft before sending it",
    ),
    BotCommand(
        "silenciar", "silenciar 1h: pausa los avisos privados", "silenciar 1h: pause private nudges"
    ),
    BotCommand(
        "seguimientos", "Tus seguimientos pendientes", "Your pending follow-ups", ("personal",)
    ),
    BotCommand(
        "recordar",
        "recordar <cuándo> <qué>: crea un recordatorio",
        "recordar <when> <what>: set a reminder",
        ("personal",),
    ),
    BotCommand(
        "idioma",
        "idioma es|en: el idioma de Coach",
        "idioma es|en: Coach's language",
        ("personal",),
    ),
    BotCommand("equipo", "Cifras del equipo (responsables)", "Team figures (leads)"),
    BotCommand(
        "canal",
        "canal pausar|activar: este canal (responsables)",
        "canal pausar|activar: this channel (leads)",
        ("team",),
    ),
    BotCommand(
        "reglas",
        "reglas: activar o desactivar reglas (responsables)",
        "reglas: turn rules on or off (leads)",
    ),
    BotCommand("ayuda", "Qué sabe hacer Coach", "What Coach can do"),
)


@dataclass(frozen=True)
class Developer:
    """Who publishes the app; Teams requires https URLs for all three pages."""

    name: str = "Calma"
    website_url: str = "https://calma.example.org"
    privacy_url: str = "https://calma.example.org/privacidad"
    terms_url: str = "https://calma.example.org/condiciones"


DEFAULT_DEVELOPER = Developer()


@dataclass(frozen=True)
class Texts:
    """The app's name and descriptions in one language."""

    short_name: str
    full_name: str
    short_description: str
    full_description: str


SPANISH = Texts(
    short_name="Coach",
    full_name="Calma: coach de atención al cliente",
    short_description="Consejos privados para responder con calma a los clientes.",
    full_description=(
        "Coach lee los canales de atención al cliente donde se le añade y avisa en privado al "
        "agente cuyo mensaje suena a reproche o a excusa, con una alternativa concreta. Da los "
        "siete consejos para calmar una conversación, revisa borradores y convierte las promesas "
        "(«le llamo mañana a las 10») en recordatorios. Los avisos nunca se publican en el canal."
    ),
)
ENGLISH = Texts(
    short_name="Coach",
    full_name="Calma: customer-service coach",
    short_description="Private tips to answer customers calmly.",
    full_description=(
        "Coach reads the customer-facing channels it is added to and privately nudges the agent "
        "whose reply sounds judgemental or defensive, with a concrete rewrite. It gives the seven "
        'calm-down tips, checks drafts, and turns promises ("I\'ll call you tomorrow at 10") '
        "into reminders. Nudges are never posted in the channel."
    ),
)


def is_guid(value: str) -> bool:
    """A GUID such as Teams app and bot ids."""
    return bool(_GUID.match(value))


def command_lists(commands: tuple[BotCommand, ...] = COMMANDS) -> list[dict[str, Any]]:
    """One command list per bot scope (Teams requires it), in Spanish."""
    return [
        {
            "scopes": [scope],
            "commands": [
                {"title": c.title, "description": c.es} for c in commands if scope in c.scopes
            ],
        }
        for scope in BOT_SCOPES
    ]


def manifest(
    *,
    app_id: str,
    bot_id: str,
    version: str = "1.0.0",
    developer: Developer = DEFAULT_DEVELOPER,
    texts: Texts = SPANISH,
    accent_color: str = "#2E7D6B",
    valid_domains: tuple[str, ...] = (),
    english: bool = True,
) -> dict[str, Any]:
    """The manifest.json of the app `app_id` whose bot (and Entra app) is `bot_id`."""
    for label, value in (("app_id", app_id), ("bot_id", bot_id)):
        if not is_guid(value):
            raise ValueError(f"{label} must be a GUID, got {value!r}")
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


def english_strings(texts: Texts = ENGLISH) -> dict[str, str]:
    """The English localization file: names, descriptions and command descriptions."""
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
            strings[f"bots[0].commandLists[{i}].commands[{j}].description"] = command.en
    return strings
