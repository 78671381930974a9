"""The catalogue: es and en in step, `t`, language resolution and human dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import get_args
from zoneinfo import ZoneInfo

import pytest

from bot.commands import COMMANDS, CommandName, SettingKey, UnknownReason, reference
from bot.i18n import LANGS, Lang, as_lang, catalogue, format_when, placeholders, resolve_lang, t
from coaching.model import CATEGORIES

MADRID = ZoneInfo("Europe/Madrid")
MEXICO = ZoneInfo("America/Mexico_City")
BUENOS_AIRES = ZoneInfo("America/Argentina/Buenos_Aires")
NEW_YORK = ZoneInfo("America/New_York")


# ---- the catalogue itself ----


def test_es_and_en_have_the_same_keys() -> None:
    es, en = catalogue("es"), catalogue("en")
    assert sorted(set(es) - set(en)) == []
    assert sorted(set(en) - set(es)) == []


@pytest.mark.parametrize("key", sorted(catalogue("es")))
def test_es_and_en_have_the_same_placeholders(key: str) -> None:
    assert placeholders(catalogue("es")[key]) == placeholders(catalogue("en")[key])


@pytest.mark.parametrize("lang", LANGS)
def test_every_text_is_non_empty_trimmed_and_formats(lang: Lang) -> None:
    for key, text in catalogue(lang).items():
        assert text and text == text.strip(), key
        names = placeholders(text)
        assert all(re.fullmatch(r"[a-z_]+", n) for n in names), key
        filled = t(key, lang, **{n: f"<{n}>" for n in names})
        assert "{" not in filled and "}" not in filled, key


def test_keys_are_dotted_lower_case() -> None:
    for key in catalogue("es"):
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", key), key


REQUIRED = """
nudge.title nudge.why nudge.suggestion nudge.tip nudge.buttons.useful nudge.buttons.not_applicable
nudge.buttons.mute_1h nudge.buttons.tips feedback.thanks feedback.noted_not_applicable mute.set_1h
mute.set_today mute.off abuse.title abuse.body abuse.boundary.usted abuse.boundary.tu
abuse.boundary.vos abuse.buttons.escalate abuse.escalated followup.ack followup.buttons.cancel
followup.buttons.change_time followup.ask_time reminder.title reminder.late reminder.buttons.done
reminder.buttons.snooze_1h reminder.buttons.tomorrow_9 reminder.done reminder.snoozed
reminder.cancelled followups.list_title followups.none help.short help.notes help.leads
errors.unknown_command errors.lead_only errors.bad_argument errors.storage_unavailable
team.title team.too_small channel.paused channel.resumed rules.title rules.disabled rules.enabled
leads.added leads.removed settings.title settings.updated customers.added customers.removed
language.set check.clean check.finding tips.title steps.title console.welcome console.prompt
""".split()  # noqa: SIM905 - a word list reads better as text


@pytest.mark.parametrize("key", REQUIRED)
def test_required_key_exists(key: str) -> None:
    assert key in catalogue("es")


def test_the_grammar_has_texts() -> None:
    """Every command has a usage line, every parse error a message, every setting a label."""
    es = catalogue("es")
    for name in get_args(CommandName):
        for part in ("words", "about"):  # `args` only when it takes any
            assert f"commands.{name}.{part}" in es
    for reason in get_args(UnknownReason):
        assert f"errors.{reason}" in es
    for key in get_args(SettingKey):
        assert f"settings.keys.{key}" in es
        assert f"errors.settings.{key}" in es
    for category in CATEGORIES:
        assert f"team.categories.{category}" in es


def test_help_lists_every_command_in_its_language() -> None:
    """`/coach ayuda` is the table: every command's usage line, in the section it belongs to."""
    for lang in LANGS:
        everyone, leads = reference(lang, "everyone"), reference(lang, "leads")
        for spec in COMMANDS:
            line = f"{spec.usage(lang)}: {spec.about(lang)}"
            assert line in (leads if spec.section == "leads" else everyone), line
    assert "/coach consejos [1-7] [publicar]" in reference("es", "everyone")
    assert "/coach customers [add | remove @someone]" in reference("en", "leads")
    assert "(help, tips, check…)" in reference("es", "everyone")  # the other language's words
    assert "(ayuda, consejos, revisar…)" in reference("en", "everyone")


def test_spanish_voice_is_neutral() -> None:
    """No vosotros and no words that read as regional in the bot's own voice (the boundary line
    for a vosotros customer is in the customer's form of address, not the bot's voice)."""
    regional = re.compile(
        r"\b(vosotros|vosotras|vuestr[oa]s?|os\b|podéis|tenéis|queréis|coger|ordenador|"
        r"enfadad[oa]|enojad[oa]|vale|ahorita|che|boludo)\b",
        re.IGNORECASE,
    )
    for key, text in catalogue("es").items():
        if key != "abuse.boundary.vosotros":
            assert not regional.search(text), key


def test_bot_talks_to_the_agent_in_tu() -> None:
    usted_forms = re.compile(r"\b(usted|ustedes|su caso|le parece)\b", re.IGNORECASE)
    for key, text in catalogue("es").items():
        if key != "abuse.boundary.usted":
            assert not usted_forms.search(text), key


# ---- t ----


def test_t_fills_placeholders() -> None:
    assert (
        t("followup.ack", "es", when="mañana a las 9:00", what="le llamo mañana")
        == "Te lo recuerdo mañana a las 9:00: «le llamo mañana»"
    )
    assert (
        t("followup.ack", "en", when="tomorrow at 9:00 AM", what="I'll call you")
        == "I'll remind you tomorrow at 9:00 AM: “I'll call you”"
    )
    assert t("team.title", "es", days=30) == "Equipo: últimos 30 días"


def test_t_does_not_reinterpret_braces_in_values() -> None:
    assert t("reminder.body", "es", what="{what} {0}") == "Quedaste en: «{what} {0}»"


def test_t_ignores_extra_arguments() -> None:
    assert t("nudge.buttons.useful", "en", extra=1) == "Useful"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("es", "Útil"),
        ("en", "Useful"),
        ("en-US", "Useful"),
        ("EN", "Useful"),
        ("es-AR", "Útil"),
        ("fr", "Útil"),
        ("", "Útil"),
        (None, "Útil"),
    ],
)
def test_t_falls_back_to_spanish(lang: str | None, expected: str) -> None:
    assert t("nudge.buttons.useful", lang) == expected


def test_missing_key_raises() -> None:
    with pytest.raises(KeyError):
        t("nudge.nope", "es")
    with pytest.raises(KeyError):
        t("nudge.nope", "fr")


def test_missing_placeholder_value_raises() -> None:
    with pytest.raises(KeyError):
        t("followup.ack", "es", when="hoy")


def test_spec_texts() -> None:
    assert t("nudge.buttons.not_applicable", "es") == "No aplica"
    assert t("nudge.buttons.mute_1h", "es") == "Silenciar 1 h"
    assert t("nudge.buttons.tips", "es") == "Ver consejos"
    assert t("check.clean", "es") == "Nada que corregir: suena bien."
    assert "respeto" in t("abuse.boundary.usted", "es")
    assert "3" in t("team.too_small", "es") and "3" in t("team.too_small", "en")


# ---- resolve_lang ----


@pytest.mark.parametrize(
    ("user_lang", "locale", "default", "expected"),
    [
        (None, None, "es", "es"),
        (None, None, "en", "en"),
        (None, None, "fr", "es"),
        (None, None, "", "es"),
        ("en", None, "es", "en"),
        ("es", "en-US", "en", "es"),
        ("en", "es-MX", "es", "en"),
        (None, "en-US", "es", "en"),
        (None, "en_GB", "es", "en"),
        (None, "es-AR", "en", "es"),
        (None, "es-419", "en", "es"),
        (None, "ES", "en", "es"),
        (None, "pt-BR", "es", "es"),
        (None, "pt-BR", "en", "en"),
        ("fr", "en-US", "es", "en"),
        ("", "", "es", "es"),
        (" en ", None, "es", "en"),
    ],
)
def test_resolve_lang(
    user_lang: str | None, locale: str | None, default: str, expected: str
) -> None:
    assert resolve_lang(user_lang, locale, default) == expected


def test_resolve_lang_defaults_to_spanish() -> None:
    assert resolve_lang(None, None) == "es"


def test_as_lang() -> None:
    assert as_lang("es-MX") == "es"
    assert as_lang("english") is None
    assert as_lang(None) is None


# ---- format_when ----

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=MEXICO)  # a Friday


@pytest.mark.parametrize(
    ("dt", "es", "en"),
    [
        (datetime(2026, 11, 27, 15, 0, tzinfo=MEXICO), "hoy a las 15:00", "today at 3:00 PM"),
        (datetime(2026, 11, 27, 12, 0, tzinfo=MEXICO), "hoy a las 12:00", "today at 12:00 PM"),
        (datetime(2026, 11, 27, 13, 5, tzinfo=MEXICO), "hoy a las 13:05", "today at 1:05 PM"),
        (datetime(2026, 11, 28, 9, 0, tzinfo=MEXICO), "mañana a las 9:00", "tomorrow at 9:00 AM"),
        (datetime(2026, 11, 28, 0, 0, tzinfo=MEXICO), "mañana a las 0:00", "tomorrow at 12:00 AM"),
        (datetime(2026, 11, 28, 1, 30, tzinfo=MEXICO), "mañana a la 1:30", "tomorrow at 1:30 AM"),
        (datetime(2026, 11, 26, 17, 0, tzinfo=MEXICO), "ayer a las 17:00", "yesterday at 5:00 PM"),
        (
            datetime(2026, 11, 30, 10, 0, tzinfo=MEXICO),
            "el lunes 30 de noviembre a las 10:00",
            "on Monday, November 30 at 10:00 AM",
        ),
        (
            datetime(2026, 12, 2, 9, 0, tzinfo=MEXICO),
            "el miércoles 2 de diciembre a las 9:00",
            "on Wednesday, December 2 at 9:00 AM",
        ),
        (
            datetime(2026, 11, 20, 18, 45, tzinfo=MEXICO),
            "el viernes 20 de noviembre a las 18:45",
            "on Friday, November 20 at 6:45 PM",
        ),
        (
            datetime(2027, 1, 4, 9, 0, tzinfo=MEXICO),
            "el lunes 4 de enero a las 9:00",
            "on Monday, January 4 at 9:00 AM",
        ),
        (
            datetime(2027, 8, 1, 11, 0, tzinfo=MEXICO),
            "el domingo 1 de agosto de 2027 a las 11:00",
            "on Sunday, August 1, 2027 at 11:00 AM",
        ),
        (
            datetime(2025, 11, 27, 14, 0, tzinfo=MEXICO),
            "el jueves 27 de noviembre de 2025 a las 14:00",
            "on Thursday, November 27, 2025 at 2:00 PM",
        ),
    ],
)
def test_format_when(dt: datetime, es: str, en: str) -> None:
    assert format_when(dt, "es", NOW) == es
    assert format_when(dt, "en", NOW) == en


def test_format_when_unknown_language_is_spanish() -> None:
    assert format_when(datetime(2026, 11, 28, 9, tzinfo=MEXICO), "de", NOW) == "mañana a las 9:00"


def test_format_when_across_year_end() -> None:
    now = datetime(2026, 12, 31, 22, 0, tzinfo=BUENOS_AIRES)
    tomorrow = datetime(2027, 1, 1, 9, 0, tzinfo=BUENOS_AIRES)
    assert format_when(tomorrow, "es", now) == "mañana a las 9:00"
    assert format_when(tomorrow, "en", now) == "tomorrow at 9:00 AM"
    assert format_when(now.replace(hour=23, minute=59), "es", now) == "hoy a las 23:59"
    new_years_day = datetime(2027, 1, 1, 8, 0, tzinfo=BUENOS_AIRES)
    assert format_when(now, "es", new_years_day) == "ayer a las 22:00"
    late = datetime(2026, 12, 30, 10, 0, tzinfo=BUENOS_AIRES)
    assert (
        format_when(late, "es", new_years_day) == "el miércoles 30 de diciembre de 2026 a las 10:00"
    )
    assert format_when(late, "en", new_years_day) == "on Wednesday, December 30, 2026 at 10:00 AM"


def test_format_when_across_spring_forward() -> None:
    """Madrid skips 02:00–03:00 on 29 March 2026; days and wall-clock times stay right."""
    now = datetime(2026, 3, 28, 22, 0, tzinfo=MADRID)
    due = datetime(2026, 3, 29, 1, 30, tzinfo=UTC).astimezone(MADRID)  # 03:30 CEST
    assert format_when(due, "es", now) == "mañana a las 3:30"
    assert format_when(due, "en", now.astimezone(UTC)) == "tomorrow at 3:30 AM"
    before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC).astimezone(MADRID)  # 01:30 CET
    assert format_when(before, "es", now) == "mañana a la 1:30"


def test_format_when_across_fall_back() -> None:
    """New York repeats 01:00–02:00 on 1 November 2026; both 01:30s read the same."""
    now = datetime(2026, 10, 31, 23, 30, tzinfo=NEW_YORK)
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC).astimezone(NEW_YORK)  # 01:30 EDT
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC).astimezone(NEW_YORK)  # 01:30 EST
    assert first.fold == 0 and second.fold == 1
    assert format_when(first, "en", now) == "tomorrow at 1:30 AM"
    assert format_when(second, "en", now) == "tomorrow at 1:30 AM"
    assert format_when(second, "es", now) == "mañana a la 1:30"


def test_format_when_reads_days_on_the_dues_own_clock() -> None:
    """`now` in another zone is moved to the due time's zone before comparing days."""
    now_utc = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)  # 20:00 on the 27th in Mexico City
    due = datetime(2026, 11, 27, 21, 0, tzinfo=MEXICO)
    assert format_when(due, "es", now_utc) == "hoy a las 21:00"
    assert format_when(due.astimezone(UTC), "es", now_utc) == "hoy a las 3:00"


def test_format_when_fits_the_acknowledgement() -> None:
    due = datetime(2026, 11, 30, 10, 0, tzinfo=MEXICO)
    when_es = format_when(due, "es", NOW)
    when_en = format_when(due, "en", NOW)
    assert t("followup.ack", "es", when=when_es, what="x") == (
        "Te lo recuerdo el lunes 30 de noviembre a las 10:00: «x»"
    )
    assert t("followup.ack", "en", when=when_en, what="x") == (
        "I'll remind you on Monday, November 30 at 10:00 AM: “x”"
    )


def test_readme_coach_reference_matches_the_command_table() -> None:
    """The README's /coach reference is the command table and its catalogue words, verbatim."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## `/coach` reference", 1)[1].split("\n## ", 1)[0]
    block = section.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert block == reference("es", "everyone") + "\n\n" + reference("es", "leads")
    rows = ["| Spanish | English | Other words |", "|---------|---------|-------------|"]
    for spec in COMMANDS:
        es, en = (spec.usage(lang).replace("|", "\\|") for lang in ("es", "en"))
        other = ", ".join(f"`{w}`" for w in spec.words("es")[1:] + spec.words("en")[1:])
        rows.append(f"| `{es}` | `{en}` | {other} |")
    table = "| Spanish |" + section.split("| Spanish |", 1)[1]
    assert table.strip() == "\n".join(rows)
