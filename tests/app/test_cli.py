"""The `calma` command line: analyze --jsonl, check, tips, --help. What a command prints is checked
in-process (`tests.inproc.run_calma`: its own environment, directory and standard streams); the
installed script, streaming over a pipe, a terminal and the imports of a start run for real in a
subprocess."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.cli import build_parser
from app.cli_coaching import highlight, render_tips
from tests.inproc import Ran, run_calma

ROOT = Path(__file__).resolve().parents[2]
CALMA = [sys.executable, "-m", "app.cli"]


@pytest.fixture
def env(tmp_path):
    """A clean environment: no CALMA_* settings, no .env file in the working directory."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "NO_COLOR"))}
    clean["PYTHONUTF8"] = "1"
    return clean


def calma(args, env, cwd, stdin: str | bytes = "") -> Ran:
    """`calma ARGS` in this process, as a child with `env` in `cwd` would run it."""
    return run_calma(args, env, cwd, stdin)


def jsonl(lines):
    return "".join((ln if isinstance(ln, str) else json.dumps(ln)) + "\n" for ln in lines)


# ---- --help ----


def test_help_lists_every_command(env, tmp_path):
    proc = calma(["--help"], env, tmp_path)
    assert proc.returncode == 0
    out = proc.stdout.decode()
    for command in ("analyze", "check", "tips"):
        assert command in out


def test_installed_script_runs():
    script = Path(sys.executable).parent / "calma"
    assert script.exists(), "pip install -e . puts the calma script beside the interpreter"
    proc = subprocess.run([str(script), "--help"], capture_output=True, timeout=60)
    assert proc.returncode == 0
    assert b"analyze" in proc.stdout


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"calma {name}" in readme, f"`calma {name}` is missing from README.md"


def test_no_command_is_a_usage_error(env, tmp_path):
    assert calma([], env, tmp_path).returncode == 2


# ---- analyze --jsonl ----


def test_analyze_keeps_order_and_survives_bad_lines(env, tmp_path):
    lines = [
        {"id": 1, "text": "Usted debería haber leído el correo", "ts": "2025-03-04T09:00:00-06:00"},
        "{not json",
        {"id": "tz", "text": "hola", "tz": "Mars/Olympus"},
        {"id": "role", "text": "hola", "role": "boss"},
        {"id": "naive", "text": "hola", "ts": "2025-03-04T09:00:00"},
        {"id": "notext"},
        "[1, 2]",
        "",
        {"id": 2, "text": "Gracias por escribirnos, ya reviso su pedido.", "role": "agent"},
        {"id": None, "text": "Eres un inútil", "role": "customer"},
    ]
    proc = calma(["analyze", "--jsonl"], env, tmp_path, jsonl(lines))
    assert proc.returncode == 0, proc.stderr.decode()
    out = [json.loads(ln) for ln in proc.stdout.decode().splitlines()]
    assert [o.get("id") for o in out] == [1, None, "tz", "role", "naive", "notext", None, 2, None]
    assert "judgement" in {f["category"] for f in out[0]["findings"]}
    assert "JSON" in out[1]["error"]
    assert "Mars/Olympus" in out[2]["error"]
    assert "role" in out[3]["error"]
    assert "offset" in out[4]["error"]
    assert "text" in out[5]["error"]
    assert "object" in out[6]["error"]
    assert out[7] == {"id": 2, "findings": [], "followups": []}
    assert "error" not in out[8]


def test_analyze_output_matches_the_contract(env, tmp_path):
    line = {
        "id": "f",
        "text": "Usted debería haber leído el correo. Le llamo mañana a las 10.",
        "ts": "2025-03-04T09:00:00-06:00",
        "tz": "America/Mexico_City",
    }
    proc = calma(["analyze", "--jsonl"], env, tmp_path, jsonl([line]))
    (out,) = [json.loads(ln) for ln in proc.stdout.decode().splitlines()]
    assert set(out) == {"id", "findings", "followups"}
    for f in out["findings"]:
        assert set(f) == {
            "category",
            "rule",
            "start",
            "end",
            "excerpt",
            "explanation",
            "suggestion",
            "tip",
        }
        assert line["text"][f["start"] : f["end"]] == f["excerpt"]
        assert 1 <= f["tip"] <= 7
    (followup,) = out["followups"]
    assert set(followup) == {"due", "start", "end", "excerpt"}
    due = datetime.fromisoformat(followup["due"])
    assert due.utcoffset() is not None
    assert (
        due.astimezone(ZoneInfo("America/Mexico_City")).isoformat() == "2025-03-05T10:00:00-06:00"
    )


def test_analyze_uses_calma_tz_as_default(env, tmp_path):
    line = {"id": 1, "text": "Le escribo mañana a las 10", "ts": "2025-03-04T09:00:00+00:00"}
    proc = calma(
        ["analyze", "--jsonl"], {**env, "CALMA_TZ": "Europe/Madrid"}, tmp_path, jsonl([line])
    )
    (out,) = [json.loads(ln) for ln in proc.stdout.decode().splitlines()]
    assert [u["due"] for u in out["followups"]] == ["2025-03-05T10:00:00+01:00"]


def test_analyze_streams_one_answer_per_line(env, tmp_path):
    proc = subprocess.Popen(
        [*CALMA, "analyze", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for i in range(3):
            proc.stdin.write((json.dumps({"id": i, "text": "hola"}) + "\n").encode())
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            assert ready, "no answer before stdin closed: output is not streamed"
            assert json.loads(proc.stdout.readline())["id"] == i
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0


@pytest.mark.parametrize(
    "args",
    [["analyze"], ["analyze", "--jsonl", "--tz", "Nowhere/Atlantis"], ["analyze", "--xml"]],
)
def test_analyze_unusable_arguments_exit_nonzero(env, tmp_path, args):
    proc = calma(args, env, tmp_path, jsonl([{"id": 1, "text": "hola"}]))
    assert proc.returncode == 2
    assert proc.stdout == b""


def test_analyze_survives_invalid_utf8_and_lone_surrogates(env, tmp_path):
    data = b'{"id": 1, "text": "caf\xff"}\n' + b'{"id": 2, "text": "a \\ud800 b"}\n'
    proc = calma(["analyze", "--jsonl"], env, tmp_path, data)
    assert proc.returncode == 0
    out = [json.loads(ln) for ln in proc.stdout.decode("utf-8").splitlines()]
    assert "UTF-8" in out[0]["error"]
    assert out[1]["id"] == 2


# ---- check ----


def test_check_explains_a_judgement(env, tmp_path):
    proc = calma(["check", "Usted debería haber leído el correo"], env, tmp_path)
    assert proc.returncode == 0
    out = proc.stdout.decode()
    first = out.splitlines()[0]
    assert "«" in first and "»" in first and "\x1b[" not in out
    assert "Por qué:" in out
    assert "Prueba así:" in out
    assert "Consejo " in out


def test_check_reads_stdin_and_praises_a_clean_line(env, tmp_path):
    proc = calma(["check"], env, tmp_path, "Gracias por escribirnos, ya reviso su pedido.\n")
    assert proc.returncode == 0
    assert "Nada que corregir" in proc.stdout.decode()


def test_check_in_english(env, tmp_path):
    proc = calma(
        ["check", "--lang", "en", "Thanks for your patience, checking now."], env, tmp_path
    )
    assert "Nothing to fix" in proc.stdout.decode()


def test_check_lang_sets_the_answer_not_the_reading(env, tmp_path):
    """Issue 10: detection reads both languages; --lang only says which one to answer in."""
    proc = calma(["check", "--lang", "en", "Usted debería haber leído el correo"], env, tmp_path)
    out = proc.stdout.decode()
    assert "Nothing to fix" not in out
    assert "«Usted debería haber leído»" in out.splitlines()[0]
    assert "Why: It sounds like blame" in out
    assert "Try this: Leamos juntos el correo." in out


def test_check_without_text_on_a_terminal_says_it_is_reading(env, tmp_path):
    """Issue 10: on a terminal, `calma check` with no argument says what it waits for."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*CALMA, "check"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    os.close(follower)
    os.write(leader, "Usted debería haber leído el correo\n".encode() + b"\x04")
    out, err = proc.communicate(timeout=60)
    os.close(leader)
    assert "Leyendo el mensaje de la entrada estándar" in err.decode()
    assert "debería" in out.decode()


def test_check_never_echoes_terminal_escapes(env, tmp_path):
    proc = calma(["check", "Usted debería haber leído \x1b[2J el correo\x07"], env, tmp_path)
    out = proc.stdout.decode()
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J" in out


def test_check_names_the_connective_the_line_used(env, tmp_path):
    proc = calma(["check", "Entiendo perfectamente, sin embargo no es posible."], env, tmp_path)
    out = proc.stdout.decode()
    assert "«sin embargo»" in out and "«pero»" not in out


def test_check_shows_promised_times_in_the_users_zone(env, tmp_path):
    proc = calma(
        ["check", "--tz", "America/Bogota", "Le llamo mañana a las 10 para confirmar."],
        env,
        tmp_path,
    )
    out = proc.stdout.decode()
    assert "Seguimientos prometidos (America/Bogota)" in out
    assert "mañana a las 10:00" in out


def test_check_without_text_is_a_usage_error(env, tmp_path):
    assert calma(["check"], env, tmp_path, "  \n").returncode == 2


# ---- tips ----


def test_tips_lists_seven_tips(env, tmp_path):
    out = calma(["tips"], env, tmp_path).stdout.decode()
    for n in range(1, 8):
        assert f"\n{n}. " in out
    assert "Escucha activa" in out


def test_tips_one_in_english(env, tmp_path):
    out = calma(["tips", "3", "--lang", "en"], env, tmp_path).stdout.decode()
    assert "3. Beginner's mind" in out
    assert "1. " not in out


def test_tips_steps_follow_calma_lang(env, tmp_path):
    out = calma(["tips", "--steps"], {**env, "CALMA_LANG": "en"}, tmp_path).stdout.decode()
    assert out.startswith("Seven steps with an angry customer")
    assert "7. Be honest" in out


def test_one_tip_or_step_has_no_seven_heading(env, tmp_path):
    tip = calma(["tips", "3"], env, tmp_path).stdout.decode()
    assert tip.startswith("Consejo 3 de 7") and "Siete" not in tip
    step = calma(["tips", "--steps", "2"], env, tmp_path).stdout.decode()
    assert step.startswith("2. ") and "Siete" not in step


def test_check_of_a_customer_line_speaks_of_the_customer(env, tmp_path):
    out = calma(["check", "--role", "customer", "eres un idiota"], env, tmp_path).stdout.decode()
    assert "Este mensaje cruza un límite" in out
    assert "Qué hacer:" in out and "Prueba así" not in out
    clean = calma(["check", "--role", "customer", "¿Cuándo llega?"], env, tmp_path)
    assert "este mensaje del cliente no cruza ningún límite" in clean.stdout.decode()


@pytest.mark.parametrize("n", ["0", "8", "tres"])
def test_tips_out_of_range_is_a_usage_error(env, tmp_path, n):
    assert calma(["tips", n], env, tmp_path).returncode == 2


# ---- pieces ----


def test_highlight_merges_overlaps_and_styles_only_on_request():
    text = "usted debería haber leído"
    assert highlight(text, [(6, 19), (14, 25)], styled=False) == "usted «debería haber leído»"
    assert highlight(text, [(0, 5)], styled=True) == "\x1b[1;4musted\x1b[0m debería haber leído"
    assert highlight(text, [(3, 99)], styled=False) == text


def test_render_tips_wraps_within_width():
    assert all(len(line) <= 78 for line in render_tips("es", None, False).splitlines())


def test_jsonl_chunks_an_over_long_line_and_a_last_line_without_newline() -> None:
    """Answers come a chunk at a time; a line past MAX_LINE_BYTES gets one error and is skipped
    across chunks; the last line needs no newline."""
    from io import BytesIO

    from app import jsonl

    long = b'{"id": "big", "text": "' + b"a" * (jsonl.MAX_LINE_BYTES + 10) + b'"}\n'
    data = (
        b'{"id": 1, "text": "hola"}\n\n'
        + long
        + b'{"id": 2, "text": "Usted debi\xc3\xb3 leer el correo"}\n'
        + b'{"id": 3, "text": "hola"}'
    )
    out = BytesIO()
    jsonl.run(BytesIO(data), out, ZoneInfo("UTC"))
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [a["id"] for a in answers] == [1, None, 2, 3]
    assert "longer than" in answers[1]["error"]
    assert [f["category"] for f in answers[2]["findings"]] == ["judgement"]


def test_analyze_imports_no_store_server_or_door() -> None:
    """`calma analyze` starts fast: the coaching commands load no database, web server, door or
    event loop."""
    code = (
        "import sys, app.cli; app.cli.build_parser(); "
        "heavy = [m for m in ('bot.store', 'bot.service', 'aiohttp', 'slack_bolt', 'botbuilder',"
        " 'sqlite_utils', 'adapters.console.door', 'app.runtime', 'asyncio')"
        " if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_analyze_start_imports_only_what_it_uses(tmp_path: Path) -> None:
    """With its cache kept, `calma analyze` starts without python-dotenv (no .env to read),
    OpenSSL's hashlib, importlib.resources' zip readers, tempfile (nothing to write) or
    textwrap (nothing to wrap): each a few ms of every start."""
    code = (
        "import sys, app.cli; app.cli.build_parser(['analyze']); "
        "print([m for m in ('dotenv', '_hashlib', 'zipfile', 'importlib.resources', 'tempfile',"
        " 'textwrap') if m in sys.modules])"
    )
    env = {**os.environ, "CALMA_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the first start fills the cache
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=tmp_path,
        )
    assert out.stdout.strip() == "[]"


def test_what_the_parser_imports_is_frozen_before_the_collector_runs_again() -> None:
    """Else the collector's first young pass walks every object of the rules and tables (about
    10 ms of every `calma` start); any subcommand."""
    code = (
        "import gc, app.cli; app.cli.main(['tips', '1']); "
        "print(gc.get_freeze_count() > 10_000, gc.get_count()[0] < 10_000)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "True True"


def test_coaching_commands_are_the_coaching_modules_own() -> None:
    from app import cli

    parser = cli.build_parser(["analyze"])
    choices = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(choices) == cli.COACHING_COMMANDS
    code = (
        "import sys, app.cli; app.cli.build_parser(['analyze']); "
        "print([m for m in ('app.cli_report', 'app.cli_doors', 'app.cli_console', 'yaml')"
        " if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
