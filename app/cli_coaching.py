"""Coaching subcommands of `calma`: `analyze --jsonl`, `check` and `tips`."""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
from datetime import UTC, datetime
from typing import NoReturn, cast
from zoneinfo import ZoneInfo

from app import jsonl
from bot.config import ConfigError, Settings, valid_zone
from coaching import analyze
from coaching.model import Analysis, Lang

# The rendering modules (bot texts, tips, the console's escaping, textwrap) are imported by the
# functions that print: `analyze --jsonl` needs none of them, nor the YAML parser they load.

# CLI-only texts. Everything shared with the bot (why, suggestion, tip, titles, dates) comes from
# bot/i18n; these few have no catalogue key yet and can move there when one exists.
_TEXT: dict[Lang, dict[str, str]] = {
    "es": {
        "quoted": "«{text}»",
        "found": "{n} cosas para revisar:",
        "followups": "Seguimientos prometidos ({zone}):",
        "example": "Por ejemplo",
        "empty": "No hay texto que revisar: escríbelo entre comillas o pásalo por la entrada.",
        "reading": "Leyendo el mensaje de la entrada estándar; termina con Ctrl+D.",
        "category.judgement": "Juicio sobre el cliente",
        "category.defensive": "A la defensiva",
        "category.condescending": "Condescendencia",
        "category.overpromise": "Promesa de más",
        "category.abuse": "Mensaje abusivo",
        "category.generic_empathy": "Empatía de fórmula",
    },
    "en": {
        "quoted": "“{text}”",
        "found": "{n} things to look at:",
        "followups": "Promised follow-ups ({zone}):",
        "example": "For example",
        "empty": "No text to check: pass it in quotes or on standard input.",
        "reading": "Reading the message from standard input; end it with Ctrl+D.",
        "category.judgement": "Judging the customer",
        "category.defensive": "Defensive",
        "category.condescending": "Condescending",
        "category.overpromise": "Overpromise",
        "category.abuse": "Abusive message",
        "category.generic_empathy": "Formula empathy",
    },
}
_WIDTH = 78
_INDENT = "   "


def _cli(key: str, lang: Lang, **kw: object) -> str:
    return _TEXT[lang][key].format(**kw)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `analyze`, `check` and `tips` to the `calma` parser."""
    p = subparsers.add_parser(
        "analyze",
        help="analyse JSON lines from stdin, one JSON answer per line",
        description="Read one JSON request per line on stdin "
        '({"id", "text", "role", "ts", "tz"}) and write one JSON answer per line, in order.',
    )
    p.add_argument("--jsonl", action="store_true", required=True, help="JSON lines in and out")
    p.add_argument("--tz", help="default time zone for lines without one (default: CALMA_TZ)")
    p.set_defaults(handler=_run_analyze)

    p = subparsers.add_parser("check", help="check one message and explain what could hurt")
    p.add_argument("text", nargs="?", help="the message (default: read stdin)")
    p.add_argument(
        "--lang",
        choices=("es", "en"),
        help="language of the answer (default: the line's); the line is read in both",
    )
    p.add_argument("--role", choices=("agent", "customer"), default="agent")
    p.add_argument("--tz", help="time zone for promised times (default: CALMA_TZ or UTC)")
    p.set_defaults(handler=_run_check)

    p = subparsers.add_parser("tips", help="the seven tips, or the steps for an angry customer")
    p.add_argument("number", nargs="?", type=_one_to_seven, help="show only tip (or step) N")
    p.add_argument("--steps", action="store_true", help="the seven steps for an angry customer")
    p.add_argument("--lang", choices=("es", "en"), help="language (default: CALMA_LANG or es)")
    p.set_defaults(handler=_run_tips)


def _one_to_seven(value: str) -> int:
    if value.isdigit() and 1 <= int(value) <= 7:
        return int(value)
    raise argparse.ArgumentTypeError(f"expected a number from 1 to 7, got {value!r}")


def _usage_error(message: str) -> NoReturn:
    print(f"calma: {message}", file=sys.stderr)
    raise SystemExit(2)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        _usage_error(str(exc))


def _zone(name: str | None) -> ZoneInfo:
    if name is None:
        return _settings().zone
    try:
        return valid_zone(name)
    except ConfigError as exc:
        _usage_error(f"--tz: {exc}")


def _run_analyze(args: argparse.Namespace) -> int:
    # What start-up built (the rules, their automata, the tables) lives as long as the process:
    # frozen, the collections of a long run, and the last one at exit, no longer walk it.
    gc.freeze()
    jsonl.run(cast(io.BufferedIOBase, sys.stdin.buffer), sys.stdout.buffer, _zone(args.tz))
    return 0


def _run_check(args: argparse.Namespace) -> int:
    zone = _zone(args.tz)
    if args.text is None and sys.stdin.isatty():  # not stuck: it waits for the message
        print(_cli("reading", args.lang or _settings().lang), file=sys.stderr)
    text: str = args.text if args.text is not None else sys.stdin.read()
    text = text.rstrip("\n")
    if not text.strip():
        print(_cli("empty", args.lang or _settings().lang), file=sys.stderr)
        return 2
    now = datetime.now(UTC).astimezone(zone)
    result = analyze(text, role=args.role, now=now, tz=zone)
    lang: Lang = args.lang or result.lang
    print(render_check(text, result, lang, now, zone, styled=_styled(), role=args.role))
    return 0


def _styled() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def render_check(
    text: str,
    result: Analysis,
    lang: Lang,
    now: datetime,
    zone: ZoneInfo,
    styled: bool,
    role: str = "agent",
) -> str:
    """The human-readable report for `calma check`; a customer's line is spoken of as the
    customer's (it crosses a line, here is what to do), not as a draft to rephrase."""
    from adapters.console.visible import visible
    from bot.explain import explain
    from bot.i18n import format_when, t
    from coaching.tips import tip

    customer = role == "customer"
    spans = [(f.start, f.end) for f in result.findings]
    out = [highlight(text, spans, styled), ""]
    n = len(result.findings)
    if n == 0:
        out.append(t("check.customer_clean" if customer else "check.clean", lang))
    elif customer:
        out.append(t("check.customer_finding", lang) + ":")
    else:
        out.append(t("check.finding", lang) + ":" if n == 1 else _cli("found", lang, n=n))
    for i, f in enumerate(result.findings, start=1):
        out += [
            "",
            f"{i}. {_cli('category.' + f.category, lang)} · {_cli('quoted', lang, text=f.excerpt)}",
        ]
        out += _wrapped(f"{t('nudge.why', lang)}: {explain(f, lang)}")
        todo = t("check.customer_todo" if customer else "nudge.suggestion", lang)
        out += _wrapped(f"{todo}: {f.suggestion}")
        if 1 <= f.tip <= 7:
            label = t("nudge.tip", lang, n=f.tip)
            out += _wrapped(f"{label}: {tip(f.tip, lang).title} (calma tips {f.tip})")
    if result.followups:
        out += ["", _cli("followups", lang, zone=zone.key)]
        for u in result.followups:
            due = u.due.astimezone(zone) if u.due.tzinfo else u.due.replace(tzinfo=zone)
            out.append(
                f"{_INDENT}{_cli('quoted', lang, text=u.excerpt)} → {format_when(due, lang, now)}"
            )
    # What the line said is printed, never obeyed: control characters are written out.
    return "\n".join([out[0], *(visible(line) for line in out[1:])])


def highlight(text: str, spans: list[tuple[int, int]], styled: bool) -> str:
    """`text` with each span marked: bold+underline on a terminal, «…» otherwise."""
    from adapters.console.visible import visible

    opening, closing = ("\x1b[1;4m", "\x1b[0m") if styled else ("«", "»")
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, pos = [], 0
    for start, end in merged:
        parts += [visible(text[pos:start]), opening, visible(text[start:end]), closing]
        pos = end
    parts.append(visible(text[pos:]))
    return "".join(parts)


def _wrapped(paragraph: str) -> list[str]:
    import textwrap

    return textwrap.wrap(
        paragraph, _WIDTH, initial_indent=_INDENT, subsequent_indent=_INDENT + "  "
    )


def _run_tips(args: argparse.Namespace) -> int:
    lang: Lang = args.lang or _settings().lang
    print(render_tips(lang, args.number, args.steps))
    return 0


def render_tips(lang: Lang, number: int | None, show_steps: bool) -> str:
    """The tips card (or the steps card), whole or one item."""
    from bot.i18n import t
    from coaching.tips import steps, tip, tips

    out: list[str] = []
    if show_steps:
        items = steps(lang) if number is None else (steps(lang)[number - 1],)
        heading = t("steps.title", lang) if number is None else ""
        for s in items:
            out += ["", f"{s.number}. {s.title}", *_body(s.text)]
    else:
        chosen = tips(lang) if number is None else (tip(number, lang),)
        heading = t("tips.title", lang) if number is None else t("tips.one_title", lang, n=number)
        for one in chosen:
            out += ["", f"{one.number}. {one.title}", *_body(one.text)]
            out += _body(f"{_cli('example', lang)}: {_cli('quoted', lang, text=one.example)}")
    lines = [heading, *out] if heading else out[1:]  # one step: no "seven steps" heading
    return "\n".join(lines)


def _body(paragraph: str) -> list[str]:
    import textwrap

    return textwrap.wrap(paragraph, _WIDTH, initial_indent=_INDENT, subsequent_indent=_INDENT)
