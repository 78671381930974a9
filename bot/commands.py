"""The /coach grammar: one parser for every door (slash command, `@Coach …` mention, console line).

Command words are the catalogue's (`commands.<name>.words`, es and en alike), matched case- and
accent-insensitively; free text
(`revisar`, `recordar`) keeps its original spelling. `parse` never raises: anything it cannot
read is an `Unknown` with a reason, so the service can answer with short help. A person arrives
as a door wrote it, `bot.model.person(id)`: no platform's mention syntax reaches the grammar.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal, TypeVar
from zoneinfo import available_timezones

from bot.i18n import LANGS, Lang, catalogue, t
from bot.model import MARKERS, PERSON_CLOSE, PERSON_OPEN, Audience

CommandName = Literal[
    "help",
    "tips",
    "steps",
    "check",
    "mute",
    "followups",
    "remind",
    "language",
    "team",
    "channel",
    "rules",
    "leads",
    "settings",
    "customers",
    "digest",
    "my_figures",
]
UnknownReason = Literal[
    "unknown_command",  # the first word is not a command
    "missing_argument",  # the command needs an argument it did not get
    "bad_argument",  # an argument is not one the command accepts
    "unexpected_argument",  # the command takes no (more) arguments
    "bad_mention",  # a person was expected (one the door named: `bot.model.person`)
    "bad_setting",  # a setting's value is out of range or unknown (`setting`, `value` say which)
]
SettingKey = Literal["language", "tz", "cap", "lead", "digest"]
T = TypeVar("T")


@dataclass(frozen=True)
class Help:
    """`ayuda [tema]`: the reference, or one command's usage when `topic` names a command."""

    topic: CommandName | None = None


@dataclass(frozen=True)
class Tips:
    """`consejos [n] [publicar]`: the seven tips, or tip `n`; `publish` posts it in the channel."""

    n: int | None = None
    publish: bool = False


@dataclass(frozen=True)
class Steps:
    """`pasos`: the seven steps for an angry customer."""


@dataclass(frozen=True)
class Check:
    """`revisar <texto>`: coach a draft before sending it."""

    text: str


@dataclass(frozen=True)
class Mute:
    """`silenciar 1h|hoy|off`: pause one's own nudges."""

    duration: Literal["1h", "today", "off"]


@dataclass(frozen=True)
class Followups:
    """`seguimientos`: one's pending reminders."""


@dataclass(frozen=True)
class Remind:
    """`recordar <qué y cuándo>`: a reminder; the service resolves the time with coaching."""

    text: str


@dataclass(frozen=True)
class Language:
    """`idioma es|en`: the language Calma speaks to this user."""

    lang: Literal["es", "en"]


@dataclass(frozen=True)
class Team:
    """`equipo [7d|30d]`: team figures over the last 7 or 30 days (leads)."""

    window_days: Literal[7, 30] = 7


@dataclass(frozen=True)
class ChannelPause:
    """`canal pausar|activar`: stop or resume coaching in this channel (leads)."""

    paused: bool


RuleOp = Literal["list", "disable", "enable", "add", "allow", "remove"]


@dataclass(frozen=True)
class Rules:
    """`reglas [desactivar|activar <regla>]`: list rules, or switch one for the workspace;
    `reglas agregar <categoría> "<frase>" [sugerencia]`, `reglas permitir "<frase>"` and
    `reglas quitar <n>`: the team's own phrases."""

    op: RuleOp = "list"
    rule: str | None = None
    category: str | None = None  # add: the category the phrase belongs to
    phrase: str | None = None  # add, allow
    suggestion: str | None = None  # add: the rephrasing to offer (else a generic one)
    phrase_id: int | None = None  # remove: the number the list shows


@dataclass(frozen=True)
class Leads:
    """`leads [agregar|quitar @alguien]`: who leads the team."""

    op: Literal["add", "remove", "list"] = "list"
    user: str | None = None


@dataclass(frozen=True)
class Settings:
    """`ajustes [clave [valor]]`: show the settings, one setting, or change one (leads)."""

    key: SettingKey | None = None
    value: str | None = None


@dataclass(frozen=True)
class Customers:
    """`clientes [agregar|quitar @alguien]`: which users are customers (never coached)."""

    op: Literal["add", "remove", "list"] = "list"
    user: str | None = None


@dataclass(frozen=True)
class Digest:
    """`resumen [7d|30d]`: the lead's digest (figures and a chart) in their chat with Coach."""

    window_days: Literal[7, 30] = 7


@dataclass(frozen=True)
class MyFigures:
    """`mis-cifras [7d|30d]`: one's own figures, this period and the one before."""

    window_days: Literal[7, 30] = 7


@dataclass(frozen=True)
class Unknown:
    """Input the grammar cannot read; `command` names the command it was meant for, if known."""

    text: str
    reason: UnknownReason
    command: CommandName | None = None
    setting: SettingKey | None = None
    value: str | None = None


ParsedCommand = (
    Help
    | Tips
    | Steps
    | Check
    | Mute
    | Followups
    | Remind
    | Language
    | Team
    | ChannelPause
    | Rules
    | Leads
    | Settings
    | Customers
    | Digest
    | MyFigures
    | Unknown
)

TIPS_COUNT = 7
MAX_RULE_ID = 100
CAP_RANGE = (1, 200)
LEAD_MINUTES_RANGE = (0, 120)


# ---- words ----

_FORMAT_CHARS = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_EDGE_PUNCT = "¿?¡!.,;:…\"'«»“”‘’()[]"


def fold(word: str) -> str:
    """Lower case, no accents, no invisible characters, no surrounding punctuation."""
    word = _FORMAT_CHARS.sub("", word)
    decomposed = unicodedata.normalize("NFKD", word)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold().strip(_EDGE_PUNCT)


def _table(groups: Mapping[T, tuple[str, ...]]) -> dict[str, T]:
    """Map every folded alias to its canonical value."""
    return {fold(alias): canon for canon, aliases in groups.items() for alias in aliases}


def _arg_words(group: str, values: Mapping[str, T]) -> dict[str, T]:
    """Every folded word, in both languages, for each value an argument can take: the words of
    `values`' key `k` are the catalogue's `arg_words.<group>.<k>`."""
    return {
        fold(word.strip()): value
        for key, value in values.items()
        for lang in LANGS
        for word in t(".".join(filter(None, ("arg_words", group, key))), lang).split(",")
        if word.strip()
    }


def _same(*values: T) -> dict[str, T]:
    """Arguments whose catalogue keys are their values."""
    return {str(value): value for value in values}


_PUBLISH = frozenset(_arg_words("", {"publish": True}))
_MUTE: dict[str, Literal["1h", "today", "off"]] = _arg_words("mute", _same("1h", "today", "off"))
_LANGS: dict[str, Literal["es", "en"]] = _arg_words("language", _same("es", "en"))
_WINDOWS: dict[str, Literal[7, 30]] = _arg_words("window", {"d7": 7, "d30": 30})
_PAUSE: dict[str, bool] = _arg_words("pause", {"pause": True, "resume": False})
_RULE_OPS: dict[str, Literal["list", "disable", "enable"]] = _arg_words(
    "rule_ops", _same("list", "disable", "enable")
)
_TEAM_RULE_OPS: dict[str, Literal["add", "allow", "remove"]] = _arg_words(
    "team_rule_ops", _same("add", "allow", "remove")
)
_CATEGORY_WORDS: dict[str, str] = _arg_words(
    "categories",
    _same("judgement", "defensive", "condescending", "overpromise", "generic_empathy", "abuse"),
)
_QUOTED = re.compile(r"""\s*(?:"([^"]+)"|“([^”]+)”|«([^»]+)»|'([^']+)')\s*""")
MAX_PHRASE_CHARS = 200
_MEMBER_OPS: dict[str, Literal["add", "remove", "list"]] = _arg_words(
    "member_ops", _same("list", "add", "remove")
)
DIGEST_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # weekday() order
_DIGEST_DAYS: dict[str, str] = _arg_words("days", _same(*DIGEST_DAYS, "off"))
_SETTING_KEYS: dict[str, SettingKey] = _arg_words(
    "settings", _same("language", "tz", "cap", "lead", "digest")
)

# ---- text shape ----

_BOT_MENTION = re.compile(r"\A\s*@(?:coach|calma)(?![\w-])", re.IGNORECASE)  # typed, not a mention
_SLASH = re.compile(r"\A\s*/coach(?![\w-])", re.IGNORECASE)
_FIRST = re.compile(r"\s*(\S+)")
_PERSON = re.compile(f"{PERSON_OPEN}([^{MARKERS}]{{1,256}}){PERSON_CLOSE}")
_INT = re.compile(r"#?(\d{1,4})")
_MINUTES = re.compile(r"(\d{1,4})(?:m|min|mins|minutos|minutes)?")


def _strip_prefix(text: str) -> str:
    """Drop a leading mention of the bot, then a leading `/coach`, each at most once."""
    for prefix in (_BOT_MENTION, _SLASH):
        m = prefix.match(text)
        if m:
            text = text[m.end() :]
    return text


def _mention(raw: str) -> str | None:
    """The person's id when `raw` is exactly one person (a door's mention, `bot.model.person`)
    and maybe a trailing punctuation mark."""
    m = _PERSON.fullmatch(raw.strip().rstrip(".,;:!?"))
    return (m.group(1).strip() or None) if m else None


@cache
def _zones() -> dict[str, str]:
    """IANA time zone names by their case-folded spelling."""
    return {z.casefold(): z for z in available_timezones()}


# ---- commands ----

_Parser = Callable[[str, str], ParsedCommand]  # (the whole line, the arguments as typed)


def parse(text: str) -> ParsedCommand:
    """Read one `/coach` line; empty input is help, unreadable input is `Unknown`."""
    body = _strip_prefix(text)
    m = _FIRST.match(body)
    if not m:
        return Help()
    word = fold(m.group(1))
    spec = _BY_WORD.get(word)
    if spec is None:
        return Unknown(text, "unknown_command", _closest(word))
    return spec.parse(text, body[m.end() :].strip())


# How alike a mistyped word and a command word must be (difflib's ratio) for the command to be
# offered: "recordatorio" → seguimientos ("recordatorios"), "ayudame" → ayuda; "hola" → none.
_CLOSE = 0.75
_LONGEST_WORD = 40  # past any command word: a longer first word is no typo of one


def _closest(word: str) -> CommandName | None:
    """The command a word that is none was most likely meant for, if one is close enough."""
    if len(word) > _LONGEST_WORD:
        return None
    close = difflib.get_close_matches(word, _BY_WORD, n=1, cutoff=_CLOSE)
    return _BY_WORD[close[0]].name if close else None


def _words(parse_args: Callable[[str, list[str]], ParsedCommand]) -> _Parser:
    """A parser of the arguments as words."""
    return lambda text, rest: parse_args(text, rest.split())


def _free_text(name: Literal["check", "remind"], cls: type[Check | Remind]) -> _Parser:
    """A parser of one free-text argument (a draft, a promise)."""

    def parse_it(text: str, rest: str) -> ParsedCommand:
        return cls(rest) if rest else Unknown(text, "missing_argument", name)

    return parse_it


def _help(text: str, args: list[str]) -> ParsedCommand:
    if len(args) > 1:
        return Unknown(text, "unexpected_argument", "help")
    topic = _BY_WORD.get(fold(args[0])) if args else None
    return Help(topic.name if topic else None)


def _tips(text: str, args: list[str]) -> ParsedCommand:
    n: int | None = None
    publish = False
    for arg in args:
        word = fold(arg)
        number = _INT.fullmatch(word)
        if word in _PUBLISH:
            if publish:
                return Unknown(text, "unexpected_argument", "tips")
            publish = True
        elif number:
            if n is not None:
                return Unknown(text, "unexpected_argument", "tips")
            n = int(number.group(1))
            if not 1 <= n <= TIPS_COUNT:
                return Unknown(text, "bad_argument", "tips")
        else:
            return Unknown(text, "bad_argument", "tips")
    return Tips(n, publish)


def _no_args(cmd: Steps | Followups, name: CommandName) -> _Parser:
    def parse_it(text: str, rest: str) -> ParsedCommand:
        return Unknown(text, "unexpected_argument", name) if rest else cmd

    return parse_it


def _mute(text: str, args: list[str]) -> ParsedCommand:
    if not args:
        return Unknown(text, "missing_argument", "mute")
    if len(args) > 2:
        return Unknown(text, "unexpected_argument", "mute")
    duration = _MUTE.get(fold("".join(args)))  # "1 h" and "1h" alike
    return Mute(duration) if duration else Unknown(text, "bad_argument", "mute")


def _language(text: str, args: list[str]) -> ParsedCommand:
    if not args:
        return Unknown(text, "missing_argument", "language")
    if len(args) > 1:
        return Unknown(text, "unexpected_argument", "language")
    lang = _LANGS.get(fold(args[0]))
    return Language(lang) if lang else Unknown(text, "bad_argument", "language")


def _team(text: str, args: list[str]) -> ParsedCommand:
    if not args:
        return Team()
    if len(args) > 2:
        return Unknown(text, "unexpected_argument", "team")
    window = _WINDOWS.get(fold("".join(args)))  # "30 días" and "30d" alike
    return Team(window) if window else Unknown(text, "bad_argument", "team")


def _window(
    name: Literal["digest", "my_figures"], cls: type[Digest | MyFigures]
) -> Callable[[str, list[str]], ParsedCommand]:
    """`[7d|30d]` after a command word."""

    def parse_it(text: str, args: list[str]) -> ParsedCommand:
        if not args:
            return cls()
        if len(args) > 2:
            return Unknown(text, "unexpected_argument", name)
        window = _WINDOWS.get(fold("".join(args)))
        return cls(window) if window else Unknown(text, "bad_argument", name)

    return parse_it


def _channel(text: str, args: list[str]) -> ParsedCommand:
    if not args:
        return Unknown(text, "missing_argument", "channel")
    if len(args) > 1:
        return Unknown(text, "unexpected_argument", "channel")
    paused = _PAUSE.get(fold(args[0]))
    return Unknown(text, "bad_argument", "channel") if paused is None else ChannelPause(paused)


def _rules_line(text: str, rest: str) -> ParsedCommand:
    """The team's own phrases need the raw text (quotes); the rest reads as words."""
    m = _FIRST.match(rest)
    op = _TEAM_RULE_OPS.get(fold(m.group(1))) if m else None
    if m is None or op is None:
        return _rules(text, rest.split())
    tail = rest[m.end() :].strip()
    if op == "remove":
        number = _INT.fullmatch(tail)
        if not tail:
            return Unknown(text, "missing_argument", "rules")
        if number is None:
            return Unknown(text, "bad_argument", "rules")
        return Rules("remove", phrase_id=int(number.group(1)))
    category = None
    if op == "add":
        first = _FIRST.match(tail)
        if first is None:
            return Unknown(text, "missing_argument", "rules")
        category = _CATEGORY_WORDS.get(fold(first.group(1)))
        if category is None:
            return Unknown(text, "bad_argument", "rules")
        tail = tail[first.end() :].strip()
    quoted = _QUOTED.match(tail)
    if quoted:
        phrase = next(g for g in quoted.groups() if g)
        suggestion = tail[quoted.end() :].strip().strip("\"“”«»'") or None
    else:
        phrase, suggestion = tail, None
    phrase = " ".join(phrase.split())
    if not phrase:
        return Unknown(text, "missing_argument", "rules")
    if len(phrase) > MAX_PHRASE_CHARS or (suggestion and len(suggestion) > 2 * MAX_PHRASE_CHARS):
        return Unknown(text, "bad_argument", "rules")
    if op == "allow":
        return (
            Rules("allow", phrase=phrase)
            if suggestion is None
            else Unknown(text, "unexpected_argument", "rules")
        )
    return Rules("add", category=category, phrase=phrase, suggestion=suggestion)


def _rules(text: str, args: list[str]) -> ParsedCommand:
    if not args:
        return Rules()
    op = _RULE_OPS.get(fold(args[0]))
    if op is None:
        return Unknown(text, "bad_argument", "rules")
    if op == "list":
        return Rules() if len(args) == 1 else Unknown(text, "unexpected_argument", "rules")
    if len(args) == 1:
        return Unknown(text, "missing_argument", "rules")
    if len(args) > 2:
        return Unknown(text, "unexpected_argument", "rules")
    rule = args[1].strip("`'\"«»“”")
    if not 0 < len(rule) <= MAX_RULE_ID:
        return Unknown(text, "bad_argument", "rules")
    return Rules(op, rule)


def _members(name: Literal["leads", "customers"], cls: type[Leads | Customers]) -> _Parser:
    """`leads|clientes [agregar|quitar <persona>]`."""
    return lambda text, rest: _member_op(text, name, cls, rest)


def _member_op(
    text: str, name: Literal["leads", "customers"], cls: type[Leads | Customers], rest: str
) -> ParsedCommand:
    m = _FIRST.match(rest)
    if not m:
        return cls()
    op = _MEMBER_OPS.get(fold(m.group(1)))
    if op is None:
        return Unknown(text, "bad_argument", name)
    target = rest[m.end() :].strip()
    if op == "list":
        return cls() if not target else Unknown(text, "unexpected_argument", name)
    if not target:
        return Unknown(text, "missing_argument", name)
    user = _mention(target)
    return cls(op, user) if user else Unknown(text, "bad_mention", name)


def _settings(text: str, args: list[str]) -> ParsedCommand:
    if len(args) > 1 and fold(args[0]) == "zona" and fold(args[1]) == "horaria":
        args = [args[0], *args[2:]]  # "zona horaria America/Lima"
    if not args:
        return Settings()
    key = _SETTING_KEYS.get(fold(args[0]))
    if key is None:
        return Unknown(text, "bad_argument", "settings")
    if len(args) == 1:
        return Settings(key)
    if len(args) > 2:
        return Unknown(text, "unexpected_argument", "settings")
    value = _setting_value(key, args[1])
    if value is None:
        return Unknown(text, "bad_setting", "settings", setting=key, value=args[1])
    return Settings(key, value)


def _setting_value(key: SettingKey, raw: str) -> str | None:
    """The canonical spelling of a setting's value, or None when it is not valid."""
    if key == "language":
        return _LANGS.get(fold(raw))
    if key == "tz":
        return _zones().get(raw.casefold())
    if key == "digest":
        return _DIGEST_DAYS.get(fold(raw))
    m = (_INT if key == "cap" else _MINUTES).fullmatch(fold(raw))
    if not m:
        return None
    low, high = CAP_RANGE if key == "cap" else LEAD_MINUTES_RANGE
    number = int(m.group(1))
    return str(number) if low <= number <= high else None


# ---- the command table ----


def _never(_cmd: ParsedCommand) -> bool:
    return False


def _always(_cmd: ParsedCommand) -> bool:
    return True


def _to_change(cmd: ParsedCommand) -> bool:
    """Listing is for everyone, changing is for leads."""
    match cmd:
        case Rules(op=op) | Leads(op=op) | Customers(op=op):
            return op != "list"
        case Settings(value=value):
            return value is not None
        case Tips(publish=publish):
            return publish
    return False


def _private(_cmd: ParsedCommand) -> Audience:
    return "private"


def _shareable(_cmd: ParsedCommand) -> Audience:
    return "shareable"


def _thread(cmd: ParsedCommand) -> Audience:
    """Tips and steps suit the thread they were asked in; a tip to publish is about no one."""
    return "shareable" if isinstance(cmd, Tips) and cmd.publish else "thread"


Section = Literal["everyone", "leads"]


@dataclass(frozen=True)
class CommandSpec:
    """One `/coach` command: how its arguments read, who may run it, who may read the answer
    besides its author, and where the reference lists it. Its words, arguments and what it does
    are `commands.<name>.*` in each language's catalogue (`words`, `usage`, `about` below)."""

    name: CommandName
    kind: type
    parse: _Parser
    for_leads: Callable[[ParsedCommand], bool] = _never
    audience: Callable[[ParsedCommand], Audience] = _private
    section: Section = "everyone"

    def words(self, lang: Lang) -> tuple[str, ...]:
        """The keyword (first) and its aliases in `lang`."""
        listed = t(f"commands.{self.name}.words", lang).split(",")
        return tuple(word.strip() for word in listed if word.strip())

    def usage(self, lang: Lang) -> str:
        """`/coach <keyword> <arguments>` in `lang`."""
        key = f"commands.{self.name}.args"
        args = t(key, lang) if key in catalogue(lang) else ""
        return f"/coach {self.words(lang)[0]} {args}".rstrip()

    def about(self, lang: Lang) -> str:
        """What the command does, in `lang`."""
        return t(f"commands.{self.name}.about", lang)


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("help", Help, _words(_help), audience=_shareable),
    CommandSpec("tips", Tips, _words(_tips), for_leads=_to_change, audience=_thread),
    CommandSpec("steps", Steps, _no_args(Steps(), "steps"), audience=_thread),
    CommandSpec("check", Check, _free_text("check", Check)),
    CommandSpec("mute", Mute, _words(_mute)),
    CommandSpec("followups", Followups, _no_args(Followups(), "followups")),
    CommandSpec("remind", Remind, _free_text("remind", Remind)),
    CommandSpec("language", Language, _words(_language)),
    CommandSpec("team", Team, _words(_team), for_leads=_always, section="leads"),
    CommandSpec("channel", ChannelPause, _words(_channel), for_leads=_always, section="leads"),
    CommandSpec("rules", Rules, _rules_line, for_leads=_to_change, section="leads"),
    CommandSpec("leads", Leads, _members("leads", Leads), for_leads=_to_change, section="leads"),
    CommandSpec("settings", Settings, _words(_settings), for_leads=_to_change, section="leads"),
    CommandSpec(
        "customers",
        Customers,
        _members("customers", Customers),
        for_leads=_to_change,
        section="leads",
    ),
    CommandSpec(
        "digest", Digest, _words(_window("digest", Digest)), for_leads=_always, section="leads"
    ),
    CommandSpec("my_figures", MyFigures, _words(_window("my_figures", MyFigures))),
)
_BY_WORD: dict[str, CommandSpec] = {
    fold(word): spec for spec in COMMANDS for lang in LANGS for word in spec.words(lang)
}
_BY_KIND: dict[type, CommandSpec] = {spec.kind: spec for spec in COMMANDS}
_BY_NAME: dict[str, CommandSpec] = {spec.name: spec for spec in COMMANDS}


def keyword(name: CommandName, lang: Lang = "es") -> str:
    """The word that calls a command (a door that builds a command line uses it)."""
    return _BY_NAME[name].words(lang)[0]


def usage(name: CommandName, lang: Lang) -> str:
    """One command's usage line in `lang`, from the table."""
    return _BY_NAME[name].usage(lang)


def reference(lang: Lang, section: Section) -> str:
    """The `/coach ayuda` reference of one section, from the table: a line per command, then
    (for everyone) the notes; the leads' part under its heading. The README shows both."""
    shown = [spec for spec in COMMANDS if spec.section == section]
    lines = [f"{spec.usage(lang)}: {spec.about(lang)}" for spec in shown]
    if section == "leads":
        return "\n".join([t("help.leads", lang), *lines])
    other = next(other for other in LANGS if other != lang)
    words = ", ".join(_BY_NAME[name].words(other)[0] for name in ("help", "tips", "check"))
    return "\n".join([*lines, t("help.notes", lang, words=words)])


def requires_lead(cmd: ParsedCommand) -> bool:
    """Whether only a lead may run `cmd` (as the command table says)."""
    spec = _BY_KIND.get(type(cmd))
    return spec is not None and spec.for_leads(cmd)


def audience(cmd: ParsedCommand) -> Audience:
    """Who may read the answer besides its author; unreadable input gets help, about no one."""
    spec = _BY_KIND.get(type(cmd))
    return "shareable" if spec is None else spec.audience(cmd)
