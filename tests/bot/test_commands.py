"""The /coach grammar: one table of inputs and what they mean, plus properties over any text."""

from __future__ import annotations

import time
from dataclasses import fields
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands import (
    COMMANDS,
    ChannelPause,
    Check,
    CommandName,
    Customers,
    Followups,
    Help,
    Language,
    Leads,
    Mute,
    ParsedCommand,
    Remind,
    Rules,
    Settings,
    Steps,
    Team,
    Tips,
    Unknown,
    fold,
    parse,
    requires_lead,
    usage,
)
from bot.i18n import LANGS, t
from bot.model import person

CASES: list[tuple[str, ParsedCommand]] = [
    # empty input and prefixes
    ("", Help()),
    ("   \n\t ", Help()),
    ("/coach", Help()),
    ("/COACH   ", Help()),
    ("@Coach", Help()),
    # help
    ("ayuda", Help()),
    ("AYUDA", Help()),
    ("Ayuda?", Help()),
    ("/coach help", Help()),
    ("@coach help", Help()),
    ("@Calma ayuda", Help()),
    ("@coach /coach ayuda", Help()),
    ("ayuda consejos", Help("tips")),
    ("help ajustes", Help("settings")),
    ("ayuda algo", Help()),
    # tips
    ("consejos", Tips()),
    ("tips", Tips()),
    ("consejos 3", Tips(3)),
    ("tips #7", Tips(7)),
    ("consejo 1", Tips(1)),
    ("consejos 3 publicar", Tips(3, publish=True)),
    ("tips publish 2", Tips(2, publish=True)),
    ("consejos publicar", Tips(None, publish=True)),
    ("CONSEJOS 2 PUBLICAR", Tips(2, publish=True)),
    # steps, followups
    ("pasos", Steps()),
    ("Steps", Steps()),
    ("seguimientos", Followups()),
    ("followups", Followups()),
    ("follow-ups", Followups()),
    ("recordatorios", Followups()),  # the word a new user tries first
    ("reminders", Followups()),
    # check and remind keep the original text
    ("revisar Usted DEBERÍA haber leído", Check("Usted DEBERÍA haber leído")),
    ("check  You should have read it  ", Check("You should have read it")),
    ("/coach revisar\nLínea 1\n  Línea 2", Check("Línea 1\n  Línea 2")),
    ("REVISAR ¿Ya leyó el correo?", Check("¿Ya leyó el correo?")),
    ("recordar llamar a Ana mañana a las 10", Remind("llamar a Ana mañana a las 10")),
    ("remind call Bob tomorrow at 9", Remind("call Bob tomorrow at 9")),
    ("recuérdame enviar la factura el lunes", Remind("enviar la factura el lunes")),
    # mute
    ("silenciar 1h", Mute("1h")),
    ("silenciar 1 h", Mute("1h")),
    ("silenciar 1 hora", Mute("1h")),
    ("mute 1h", Mute("1h")),
    ("silenciar hoy", Mute("today")),
    ("mute today", Mute("today")),
    ("silenciar off", Mute("off")),
    ("Silenciar NO", Mute("off")),
    ("silencio hoy", Mute("today")),
    # language
    ("idioma es", Language("es")),
    ("idioma en", Language("en")),
    ("idioma español", Language("es")),
    ("idioma Espanol", Language("es")),
    ("language English", Language("en")),
    ("idioma inglés", Language("en")),
    # team
    ("equipo", Team(7)),
    ("team 30d", Team(30)),
    ("equipo 7d", Team(7)),
    ("equipo 30", Team(30)),
    ("equipo 30 días", Team(30)),
    # channel
    ("canal pausar", ChannelPause(True)),
    ("channel pause", ChannelPause(True)),
    ("canal activar", ChannelPause(False)),
    ("channel resume", ChannelPause(False)),
    # rules
    ("reglas", Rules()),
    ("rules list", Rules()),
    ("reglas desactivar es.defensive.pero", Rules("disable", "es.defensive.pero")),
    ("rules disable `es.judgement.deberia`", Rules("disable", "es.judgement.deberia")),
    ("reglas activar ES.Defensive.Pero", Rules("enable", "ES.Defensive.Pero")),
    ("rules enable en.judgement.should", Rules("enable", "en.judgement.should")),
    # leads and customers: a person is a plain id the door marked (bot.model.person)
    ("leads", Leads()),
    ("leads list", Leads()),
    (f"leads add {person('U123')}", Leads("add", "U123")),
    (f"leads agregar {person('W0ABC')}", Leads("add", "W0ABC")),
    (f"leads añadir {person('ana.lopez')}", Leads("add", "ana.lopez")),
    (f"leads quitar {person('bruno')},", Leads("remove", "bruno")),
    (f"leads remove {person('29:1Ana-x')}", Leads("remove", "29:1Ana-x")),
    ("clientes", Customers()),
    (f"customers add {person('U999')}", Customers("add", "U999")),
    (f"clientes quitar {person('cliente1')}", Customers("remove", "cliente1")),
    ("clientes listar", Customers()),
    # settings
    ("ajustes", Settings()),
    ("settings", Settings()),
    ("ajustes idioma", Settings("language")),
    ("ajustes idioma en", Settings("language", "en")),
    ("settings language español", Settings("language", "es")),
    ("ajustes zona America/Mexico_City", Settings("tz", "America/Mexico_City")),
    ("ajustes zona_horaria europe/madrid", Settings("tz", "Europe/Madrid")),
    (
        "ajustes zona horaria America/Argentina/Buenos_Aires",
        Settings("tz", "America/Argentina/Buenos_Aires"),
    ),
    ("settings tz UTC", Settings("tz", "UTC")),
    ("ajustes limite 20", Settings("cap", "20")),
    ("ajustes límite 200", Settings("cap", "200")),
    ("settings cap 1", Settings("cap", "1")),
    ("ajustes anticipacion 15", Settings("lead", "15")),
    ("ajustes anticipación 0", Settings("lead", "0")),
    ("settings lead 120min", Settings("lead", "120")),
    # odd Unicode around keywords
    ("ayuda\u200b", Help()),
    ("\u00a0consejos\u00a02", Tips(2)),
    ("ＡＹＵＤＡ", Help()),
    ("/coach\u3000pasos", Steps()),
]

MALFORMED: list[tuple[str, str, str | None]] = [
    ("hola", "unknown_command", None),
    ("ayúdame", "unknown_command", "help"),  # close to a command word: offered
    ("recordatorio", "unknown_command", "followups"),
    ("recordr llamar a Ana", "unknown_command", "remind"),
    ("folowups", "unknown_command", "followups"),
    ("x" * 5000, "unknown_command", None),
    ("/coachayuda", "unknown_command", None),
    (f"{person('U1')} {person('U2')}", "unknown_command", None),
    ("ayuda consejos pasos", "unexpected_argument", "help"),
    ("consejos 0", "bad_argument", "tips"),
    ("consejos 8", "bad_argument", "tips"),
    ("tips -1", "bad_argument", "tips"),
    ("consejos muchos", "bad_argument", "tips"),
    ("consejos 2 3", "unexpected_argument", "tips"),
    ("consejos publicar publicar", "unexpected_argument", "tips"),
    ("pasos ya", "unexpected_argument", "steps"),
    ("seguimientos todos", "unexpected_argument", "followups"),
    ("revisar", "missing_argument", "check"),
    ("check   \n ", "missing_argument", "check"),
    ("recordar", "missing_argument", "remind"),
    ("silenciar", "missing_argument", "mute"),
    ("silenciar 2h", "bad_argument", "mute"),
    ("mute forever", "bad_argument", "mute"),
    ("silenciar 1 h ya", "unexpected_argument", "mute"),
    ("idioma", "missing_argument", "language"),
    ("idioma fr", "bad_argument", "language"),
    ("idioma es en", "unexpected_argument", "language"),
    ("equipo 14d", "bad_argument", "team"),
    ("equipo 7 30 90", "unexpected_argument", "team"),
    ("canal", "missing_argument", "channel"),
    ("canal cerrar", "bad_argument", "channel"),
    ("canal pausar ya", "unexpected_argument", "channel"),
    ("reglas borrar x", "bad_argument", "rules"),
    ("reglas desactivar", "missing_argument", "rules"),
    ("reglas desactivar a b", "unexpected_argument", "rules"),
    ("reglas listar todo", "unexpected_argument", "rules"),
    ("reglas desactivar ``", "bad_argument", "rules"),
    ("reglas desactivar " + "r" * 101, "bad_argument", "rules"),
    ("leads add", "missing_argument", "leads"),
    ("leads add ana", "bad_mention", "leads"),
    ("leads add @ana", "bad_mention", "leads"),  # typed, not a mention: no door named anyone
    ("leads add <@U123|ana>", "bad_mention", "leads"),  # Slack's syntax is the Slack door's
    ("leads add <at>Ana</at>", "bad_mention", "leads"),  # Teams' is the Teams door's
    (f"leads add {person('ana')} {person('bruno')}", "bad_mention", "leads"),
    (f"leads promote {person('ana')}", "bad_argument", "leads"),
    (f"leads list {person('ana')}", "unexpected_argument", "leads"),
    ("clientes quitar", "missing_argument", "customers"),
    ("clientes add <!subteam^S1|@soporte>", "bad_mention", "customers"),
    (f"clientes add {person('a' * 257)}", "bad_mention", "customers"),
    ("ajustes color azul", "bad_argument", "settings"),
    ("ajustes idioma es en", "unexpected_argument", "settings"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse(text: str, expected: ParsedCommand) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "reason", "command"), MALFORMED)
def test_malformed_is_unknown_with_a_reason(text: str, reason: str, command: str | None) -> None:
    assert parse(text) == Unknown(text, reason, command)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "setting", "value"),
    [
        ("ajustes zona Marte/Olympus", "tz", "Marte/Olympus"),
        ("ajustes zona horaria Mexico", "tz", "Mexico"),
        ("ajustes limite 0", "cap", "0"),
        ("ajustes limite 201", "cap", "201"),
        ("ajustes limite veinte", "cap", "veinte"),
        ("ajustes anticipacion 121", "lead", "121"),
        ("ajustes anticipacion -5", "lead", "-5"),
        ("ajustes idioma fr", "language", "fr"),
    ],
)
def test_a_bad_setting_value_says_which_setting_and_value(
    text: str, setting: str, value: str
) -> None:
    assert parse(text) == Unknown(text, "bad_setting", "settings", setting, value)  # type: ignore[arg-type]


def test_the_table_is_large_enough() -> None:
    assert len(CASES) + len(MALFORMED) >= 60


def test_every_command_and_alias_is_in_the_table() -> None:
    kinds = {type(expected) for _, expected in CASES}
    assert kinds == {
        Help,
        Tips,
        Steps,
        Check,
        Mute,
        Followups,
        Remind,
        Language,
        Team,
        ChannelPause,
        Rules,
        Leads,
        Settings,
        Customers,
    }


LEAD_CASES: list[tuple[str, bool]] = [
    ("ayuda", False),
    ("consejos 3", False),
    ("consejos 3 publicar", True),
    ("pasos", False),
    ("revisar hola", False),
    ("silenciar hoy", False),
    ("seguimientos", False),
    ("recordar llamar mañana", False),
    ("idioma en", False),
    ("equipo", True),
    ("equipo 30d", True),
    ("canal pausar", True),
    ("canal activar", True),
    ("reglas", False),
    ("reglas desactivar x", True),
    ("reglas activar x", True),
    ("leads", False),
    (f"leads add {person('ana')}", True),
    (f"leads quitar {person('ana')}", True),
    ("clientes", False),
    (f"clientes add {person('c')}", True),
    (f"clientes quitar {person('c')}", True),
    ("ajustes", False),
    ("ajustes limite", False),
    ("ajustes limite 30", True),
    ("xyz", False),
]


@pytest.mark.parametrize(("text", "lead_only"), LEAD_CASES)
def test_requires_lead(text: str, lead_only: bool) -> None:
    assert requires_lead(parse(text)) is lead_only


def test_payload_keeps_original_casing_accents_and_inner_whitespace() -> None:
    text = "  /coach  ReViSaR   Comprendo, PERO…\n\n> cita\n`código`  "
    assert parse(text) == Check("Comprendo, PERO…\n\n> cita\n`código`")


def test_huge_input_is_fine_and_fast() -> None:
    big = "x" * 100_000
    payloads = [
        ("revisar " + big, Check(big)),
        ("recordar " + big, Remind(big)),
    ]
    for text, expected in payloads:
        assert parse(text) == expected
    hostile = [
        " " * 100_000,
        big,
        "leads add <@" + "U" * 100_000,
        "leads add \ue000" + "a" * 100_000,
        "leads add " + "\ue000a\ue001" * 30_000,
        "ajustes " + "zona " * 20_000,
        "consejos " + "1 " * 50_000,
        "reglas desactivar " + big,
        "/coach " * 20_000,
        "\ue000" * 100_000,
        "\u0301" * 100_000,
    ]
    start = time.perf_counter()
    for text in hostile:
        assert isinstance(parse(text), Help | Unknown)
    assert time.perf_counter() - start < 1.0


def test_unknown_keeps_the_whole_text() -> None:
    cmd = parse("@Coach  frobnicate  ")
    assert cmd == Unknown("@Coach  frobnicate  ", "unknown_command")


def test_every_type_is_a_frozen_dataclass() -> None:
    cmd = parse("consejos 2")
    with pytest.raises(AttributeError):
        cmd.n = 3  # type: ignore[misc, union-attr]
    assert [f.name for f in fields(Tips)] == ["n", "publish"]


@given(st.text())
def test_parse_never_raises(text: str) -> None:
    cmd = parse(text)
    assert isinstance(cmd, ParsedCommand)
    assert isinstance(requires_lead(cmd), bool)


@given(st.text(), st.sampled_from(["/coach ", "@Coach ", "@coach /coach ", ""]))
def test_parse_never_raises_after_a_prefix(text: str, prefix: str) -> None:
    assert isinstance(parse(prefix + text), ParsedCommand)


@given(st.text().filter(lambda s: s.strip()), st.sampled_from(["revisar", "check", "REVISAR"]))
def test_check_payload_is_the_rest_verbatim(payload: str, word: str) -> None:
    assert parse(f"{word} {payload}") == Check(payload.strip())


@given(st.text().filter(lambda s: s.strip()))
def test_remind_payload_is_the_rest_verbatim(payload: str) -> None:
    assert parse(f"/coach recordar\n{payload}") == Remind(payload.strip())


def test_the_command_table_has_one_row_per_command_and_kind() -> None:
    """A new command is one row (name, kind, parser, lead rule, audience, help section) and its
    words in each catalogue."""
    assert [spec.name for spec in COMMANDS] == list(get_args(CommandName))
    kinds = {spec.kind for spec in COMMANDS}
    assert kinds == set(get_args(ParsedCommand)) - {Unknown}


def test_command_words_come_from_both_catalogues() -> None:
    """Every word of `commands.<name>.words` in es and en runs its command; no word runs two."""
    seen: dict[str, str] = {}
    for spec in COMMANDS:
        for lang in LANGS:
            words = spec.words(lang)
            assert words, (spec.name, lang)
            assert words[0] == t(f"commands.{spec.name}.words", lang).split(",")[0].strip()
            for word in words:
                assert seen.setdefault(fold(word), spec.name) == spec.name, word
                parsed = parse(f"{word.upper()} {'x' if spec.name in ('check', 'remind') else ''}")
                assert type(parsed) is spec.kind or (
                    isinstance(parsed, Unknown) and parsed.command == spec.name
                ), word
    assert parse("recuérdame llamar a Ana") == Remind("llamar a Ana")
    assert parse("config") == Settings() and parse("líderes") == Leads()


def test_usage_lines_are_built_from_the_catalogue() -> None:
    assert usage("tips", "es") == "/coach consejos [1-7] [publicar]"
    assert usage("steps", "en") == "/coach steps"
    assert usage("my_figures", "en") == "/coach my-figures [7d | 30d]"


def _catalogue_words(key: str) -> list[str]:
    """Every word the catalogues (both languages) give an argument value."""
    return [w.strip() for lang in LANGS for w in t(key, lang).split(",") if w.strip()]


ARG_CASES: list[tuple[str, str, ParsedCommand]] = [
    *((f"arg_words.mute.{k}", "silenciar", Mute(k)) for k in ("1h", "today", "off")),
    *((f"arg_words.language.{k}", "idioma", Language(k)) for k in ("es", "en")),
    ("arg_words.pause.pause", "canal", ChannelPause(True)),
    ("arg_words.pause.resume", "canal", ChannelPause(False)),
    ("arg_words.settings.cap", "ajustes", Settings("cap")),
    ("arg_words.settings.tz", "ajustes", Settings("tz")),
]


@pytest.mark.parametrize(("key", "command", "expected"), ARG_CASES)
def test_every_argument_word_of_either_catalogue_is_understood(
    key: str, command: str, expected: ParsedCommand
) -> None:
    words = _catalogue_words(key)
    assert len(words) >= 2  # words of both languages, or a word and its aliases
    for word in words:
        assert parse(f"/coach {command} {word}") == expected, word
