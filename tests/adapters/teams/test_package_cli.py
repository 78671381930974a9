"""`calma teams-package` run as a child would run it (in-process: `tests.inproc.run_calma`): the
zip it writes passes the v1.19 manifest checks."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.adapters.teams import manifest_schema
from tests.inproc import run_calma

ROOT = Path(__file__).resolve().parents[3]
APP_ID = "2f9a7c1e-3b4d-4e5f-8a6b-7c8d9e0f1a2b"


def calma(args, cwd, **env_vars):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALMA_", "Microsoft"))}
    env.update(PYTHONPATH=str(ROOT), PYTHONUTF8="1", **env_vars)
    ran = run_calma(["teams-package", *args], env, cwd)
    return SimpleNamespace(
        returncode=ran.returncode, stdout=ran.stdout.decode(), stderr=ran.stderr.decode()
    )


def test_package_from_microsoft_app_id_is_a_valid_v1_19_app(tmp_path):
    proc = calma(
        ["--out", "build/calma.zip", "--version", "1.2.3"], tmp_path, MicrosoftAppId=APP_ID
    )
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "build" / "calma.zip"
    assert proc.stdout.strip() == "build/calma.zip"
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        data = json.loads(archive.read("manifest.json"))
    assert {"manifest.json", "color.png", "outline.png"} <= names
    assert manifest_schema.errors(data, manifest_schema.MANIFEST) == []
    assert data["manifestVersion"] == "1.19"
    assert data["version"] == "1.2.3"
    assert data["id"] == APP_ID
    [bot] = data["bots"]
    assert bot["botId"] == APP_ID
    assert bot["scopes"] == ["personal", "team"]
    assert {tuple(c["scopes"]) for c in bot["commandLists"]} == {("personal",), ("team",)}
    assert data["webApplicationInfo"]["id"] == APP_ID
    assert {"name": "ChannelMessage.Read.Group", "type": "Application"} in data["authorization"][
        "permissions"
    ]["resourceSpecific"]
    assert (data["icons"]["color"], data["icons"]["outline"]) == ("color.png", "outline.png")


def test_app_id_option_wins_and_default_out_name(tmp_path):
    proc = calma(
        ["--app-id", APP_ID], tmp_path, MicrosoftAppId="8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6"
    )
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(tmp_path / "calma-teams.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == APP_ID


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "set MicrosoftAppId or pass --app-id"),
        (["--app-id", "calma"], "must be a GUID"),
        (["--app-id", APP_ID, "--version", "abc"], "version must be MAJOR.MINOR.PATCH"),
        (["--app-id", APP_ID, "--version", "1.02.3"], "version must be MAJOR.MINOR.PATCH"),
        (["--app-id", APP_ID, "--version", "1.2"], "version must be MAJOR.MINOR.PATCH"),
        (["--app-id", APP_ID, "--version", "1" * 300 + ".0.0"], "version must be"),
    ],
)
def test_without_a_usable_app_id_it_says_why_and_writes_nothing(tmp_path, args, message):
    proc = calma(args, tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "calma-teams.zip").exists()
