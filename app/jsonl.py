"""`calma analyze --jsonl`: one JSON request per input line, one JSON answer per line, in order.

A line that cannot be analysed gives `{"id", "error"}` and the run goes on. Lines are answered a
chunk of input at a time (what one read gives, at most 64 KiB) and flushed, so memory stays flat
however long the input is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from io import BufferedIOBase
from typing import Any, BinaryIO, NamedTuple
from zoneinfo import ZoneInfo

import orjson

from bot.config import ConfigError, valid_zone
from bot.message_time import FIRST_YEAR, LAST_YEAR, in_calendar
from coaching import analyze
from coaching.analyze import analyze_many
from coaching.model import Analysis, Finding, Lang, Role

MAX_LINE_BYTES = 1 << 20  # longer lines get an error answer instead of filling memory
_TOO_LONG = f"line longer than {MAX_LINE_BYTES} bytes; not analysed"
_ROLES: tuple[Role, ...] = ("agent", "customer")
_LANGS: tuple[Lang, ...] = ("es", "en")


class RequestError(ValueError):
    """A line is valid JSON but not a usable request."""


class Request(NamedTuple):
    """One parsed input line: `analyze`'s arguments, in its order. `now` is the message time,
    aware, but not yet in `tz` (`analyze` converts it only for a line that promises a follow-up).
    """

    text: str
    role: Role
    lang: Lang | None
    now: datetime
    tz: ZoneInfo


# `Request(...)` without the Python-level `__new__` the named tuple class defines for it.
_request = tuple.__new__


def _now() -> datetime:
    return datetime.now(UTC)


def parse_request(
    obj: dict[str, Any], default_tz: ZoneInfo, clock: Callable[[], datetime] = _now
) -> Request:
    """Validate one request object; raises RequestError with a message meant for the caller."""
    text = obj.get("text")
    if text is None:
        raise RequestError("missing 'text'")
    if not isinstance(text, str):
        raise RequestError("'text' must be a string")
    role = obj.get("role") or "agent"
    if role not in _ROLES:
        raise RequestError(f"'role' must be 'agent' or 'customer', not {role!r}")
    lang = obj.get("lang")
    if lang is not None and lang not in _LANGS:
        raise RequestError(f"'lang' must be 'es' or 'en', not {lang!r}")
    tz = default_tz
    name = obj.get("tz")
    if name is not None:
        if not isinstance(name, str):
            raise RequestError("'tz' must be an IANA time zone name")
        try:
            tz = _ZONES.get(name) or _zone(name)
        except ConfigError as exc:
            raise RequestError(str(exc)) from None
    ts = obj.get("ts")
    if ts is None:
        now = clock().astimezone(tz)
    else:
        now = _parse_ts(ts)
        if not in_calendar(now):
            raise RequestError(
                f"'ts' must lie between the years {FIRST_YEAR} and {LAST_YEAR}; got {ts!r}"
            )
    return _request(Request, (text, role, lang, now, tz))


# Zones already named by a line (a run names a handful): a dictionary look-up instead of
# ZoneInfo's own cache and checks. Bounded, so a stream of made-up names cannot fill memory.
_ZONES: dict[str, ZoneInfo] = {}
_ZONES_MAX = 1024


def _zone(name: str) -> ZoneInfo:
    zone = valid_zone(name)
    if len(_ZONES) < _ZONES_MAX:
        _ZONES[name] = zone
    return zone


def _parse_ts(value: object) -> datetime:
    hint = "'ts' must be ISO 8601 with a UTC offset, e.g. 2025-03-04T09:15:00-06:00"
    if not isinstance(value, str):
        raise RequestError(hint)
    try:
        ts = datetime.fromisoformat(value)
    except ValueError:
        raise RequestError(f"{hint}; got {value!r}") from None
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise RequestError(f"{hint}; {value!r} has no offset")
    return ts


def to_json(result: Analysis, request_id: object) -> dict[str, Any]:
    """The output contract for one analysed line.

    Each finding is written as its fields, in order (category, rule, start, end, excerpt,
    explanation, suggestion, tip): orjson writes the dataclass itself, without a dict a finding
    (`encode`'s careful path turns it into one)."""
    return {
        "id": request_id,
        "findings": result.findings,
        "followups": [
            {"due": u.due.isoformat(), "start": u.start, "end": u.end, "excerpt": u.excerpt}
            for u in result.followups
        ]
        if result.followups  # most lines: none, and no comprehension run for them
        else [],
    }


def answer(
    raw: bytes, default_tz: ZoneInfo, clock: Callable[[], datetime] = _now
) -> dict[str, Any]:
    """The answer object for one raw input line (never raises for bad input)."""
    return answers([raw], default_tz, clock)[0]


def answers(
    raws: Sequence[bytes], default_tz: ZoneInfo, clock: Callable[[], datetime] = _now
) -> list[dict[str, Any]]:
    """`answer` of each raw line, in order: the valid requests analysed together
    (`coaching.analyze_many`, stage by stage: a third less time than one at a time). A line
    that trips the engine must not cost the others their answers: when the batch raises, each
    of its requests is analysed alone, and only the one that raises gets an internal error."""
    out: list[dict[str, Any] | None] = []
    requests: list[Request] = []
    ids: list[tuple[int, object]] = []  # (place in `out`, id) of each request
    for raw in raws:
        prepared = _prepared(raw, default_tz, clock)
        if isinstance(prepared, dict):
            out.append(prepared)
            continue
        request_id, req = prepared
        ids.append((len(out), request_id))
        requests.append(req)
        out.append(None)
    if requests:
        try:
            results: list[Analysis | str] = list(analyze_many(requests))
        except Exception:  # one of them: find which, analysing each alone
            results = [_analysed(req) for req in requests]
        for (place, request_id), result in zip(ids, results, strict=True):
            out[place] = (
                {"id": request_id, "error": result}
                if isinstance(result, str)
                else to_json(result, request_id)
            )
    return [a for a in out if a is not None]


def _analysed(req: Request) -> Analysis | str:
    """`analyze(*req)`, or the internal error it raised, as the line's error message."""
    try:
        return analyze(*req)
    except Exception as exc:  # one line that trips the engine must not stop the run
        return f"internal error: {type(exc).__name__}: {exc}"


def _prepared(
    raw: bytes, default_tz: ZoneInfo, clock: Callable[[], datetime]
) -> tuple[object, Request] | dict[str, Any]:
    """One raw line as (its id, its request), or the error answer it gets instead."""
    try:
        obj = orjson.loads(raw)  # the fast path; anything it refuses takes the careful one
    except orjson.JSONDecodeError:
        try:
            line = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            return {"id": None, "error": f"line is not valid UTF-8 (byte {exc.start})"}
        try:
            obj = json.loads(line)  # also takes lone surrogates, which orjson refuses
        except json.JSONDecodeError as exc:
            return {"id": None, "error": f"invalid JSON: {exc.msg} (column {exc.colno})"}
    if not isinstance(obj, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    request_id = obj.get("id")
    try:
        return request_id, parse_request(obj, default_tz, clock)
    except RequestError as exc:
        return {"id": request_id, "error": str(exc)}


def encode(obj: dict[str, Any]) -> bytes:
    """One JSON line in UTF-8; lone surrogates from the input are kept as \\u escapes."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # a lone surrogate: orjson only writes valid UTF-8
        pass
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_fields)
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(obj, separators=(",", ":"), default=_fields).encode("ascii") + b"\n"


def _fields(value: object) -> dict[str, Any]:
    """A finding as the mapping orjson writes for it (its fields, in order)."""
    if isinstance(value, Finding):
        return asdict(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def run(stdin: BufferedIOBase, stdout: BinaryIO, default_tz: ZoneInfo) -> None:
    """Answer every non-blank line of `stdin` on `stdout`, in order.

    Input is read as it comes (`read1`: what is there, waiting only when nothing is); the
    answers to a chunk's lines are written and flushed together before the next read. A caller
    feeding one line at a time gets each answer at once; a file costs one write per chunk, not
    one per line. A line longer than MAX_LINE_BYTES gets an error answer and is skipped.
    """
    pending = b""
    skipping = False  # inside an over-long line whose error was already written
    while True:
        chunk = stdin.read1(1 << 16)
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop() if chunk else b""
        # Answers in input order: an over-long line's error, or its place among the answers
        # to the chunk's requests (None), which are worked out together.
        written: list[bytes | None] = []
        raws: list[bytes] = []
        for raw in lines:
            if skipping:
                skipping = False  # the end of the over-long line
            elif len(raw) > MAX_LINE_BYTES:
                written.append(encode({"id": None, "error": _TOO_LONG}))
            elif raw and not raw.isspace():  # `raw.strip()`, without a copy of the line
                raws.append(raw)
                written.append(None)
        answered = iter(answers(raws, default_tz))
        out = [line if line is not None else encode(next(answered)) for line in written]
        if len(pending) > MAX_LINE_BYTES:
            if not skipping:
                out.append(encode({"id": None, "error": _TOO_LONG}))
            skipping, pending = True, b""
        if out:
            stdout.write(b"".join(out))
            stdout.flush()
        if not chunk:
            return
