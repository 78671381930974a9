"""The deployment files hold together: compose.yaml runs two Calma instances on one PostgreSQL
database, and the Dockerfile builds a slim non-root image with a health check.

Docker itself is not run here (not available on this project's machines): these tests read the
files' structure with PyYAML and plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.store.postgres import is_postgres_url

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def calma_services(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: svc for name, svc in spec["services"].items() if name.startswith("calma")}


def test_compose_runs_two_instances_on_one_postgres() -> None:
    spec = compose()
    services = spec["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert "healthcheck" in services["postgres"]
    instances = calma_services(spec)
    assert len(instances) == 2
    urls = {svc["environment"]["CALMA_DB"] for svc in instances.values()}
    assert len(urls) == 1
    (url,) = urls
    assert is_postgres_url(url) and "@postgres:5432/" in url
    for svc in instances.values():
        assert svc["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert svc["command"][0] == "serve" and "0.0.0.0" in svc["command"]
        assert svc["build"] == "."
    published = [svc["ports"][0].split(":")[0] for svc in instances.values()]
    assert len(set(published)) == 2  # each instance reachable on its own host port
    assert "pgdata" in spec["volumes"]


def test_the_image_is_slim_non_root_and_checks_its_health() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = [line for line in text.splitlines() if line.startswith("FROM ")]
    assert stages and all("-slim" in line for line in stages)
    user_lines = [line for line in text.splitlines() if line.startswith("USER ")]
    assert user_lines and user_lines[-1].split()[1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'ENTRYPOINT ["calma"]' in text
    for room in ("coaching", "bot", "adapters", "app"):
        assert f"COPY {room} {room}" in text
    # The wheel is built with setup.py and a compiler: its coaching core compiled (Cython).
    build = text.split("\nFROM ")[1]  # the first stage
    assert "setup.py" in build and "gcc" in build and "pip wheel" in build
