"""`calma report`: a self-contained HTML page with inline SVG charts, opened in headless Chromium
(Debian's `chromium`; .ci/run installs it) to check the charts really render."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import main
from app.cli_report import days_of
from tests.bot.service_kit import Kit
from tests.fakes import FakeClock

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
JUDGEMENT = "Usted debería haber leído el correo"


def seeded_db(tmp_path: Path) -> Path:
    """Three agents' nudges this month and last, and an abusive customer line."""
    db = tmp_path / "calma.db"
    now = datetime.now(UTC)
    kit = Kit(db, FakeClock(now - timedelta(days=40)))
    kit.say(JUDGEMENT, author="U1")
    kit.clock.set(now - timedelta(days=2))
    for agent in ("U1", "U2", "U3"):
        kit.say(JUDGEMENT, author=agent)
    kit.say("Comprendo el inconveniente, pero son las políticas", author="U2")
    kit.say("eres un idiota", author="C9", customer=True)
    kit.service.reminders.shutdown()
    kit.store.close()
    return db


def test_since_reads_days_and_weeks():
    assert [days_of(x) for x in ("30d", "7", "4w", "14 días")] == [30, 7, 28, 14]
    for bad in ("0d", "999d", "ayer", ""):
        with pytest.raises(ValueError):
            days_of(bad)


def test_report_is_one_self_contained_page(tmp_path, capsys):
    db, out = seeded_db(tmp_path), tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--since", "30d", "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") == 2
    assert not re.search(r"""(src|href)=["']?https?:""", html)  # nothing fetched from outside
    assert "Juicios sobre el cliente" in html and "Por persona" in html


def test_report_refuses_a_missing_database_and_a_bad_period(tmp_path):
    assert main(["report", "--db", str(tmp_path / "nope.db"), "--out", "x.html"]) == 2
    db = seeded_db(tmp_path)
    assert main(["report", "--db", str(db), "--since", "ayer"]) == 2


def test_report_makes_its_folder_and_names_a_file_it_cannot_write(tmp_path, capsys):
    db = seeded_db(tmp_path)
    out = tmp_path / "informes" / "noviembre" / "report.html"
    assert main(["report", "--db", str(db), "--out", str(out)]) == 0
    assert "<svg" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    (tmp_path / "a-file").write_text("")
    for blocked in (tmp_path, tmp_path / "a-file" / "report.html"):  # a folder; under a file
        assert main(["report", "--db", str(db), "--out", str(blocked)]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"calma report: cannot write {blocked}: "), err
        assert "Traceback" not in err


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium is not installed (.ci/run installs it; under CI=true this fails instead)",
)
def test_the_charts_render_in_headless_chromium(tmp_path):
    db, out = seeded_db(tmp_path), tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--out", str(out), "--lang", "en"]) == 0
    assert CHROMIUM is not None
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--virtual-time-budget=2000",
            "--dump-dom",
            out.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    charts = re.findall(r"<svg[^>]*>", dom)
    assert len(charts) == 2
    assert all('data-rendered="true"' in tag for tag in charts), charts
    bars = [int(n) for n in re.findall(r'data-bars="(\d+)"', " ".join(charts))]
    # categories: judgement now and before, defensive now; episodes: one abusive conversation
    assert bars == [3, 1], charts
    assert "Team figures" in dom or "team figures" in dom
