"""The documented production setup: gunicorn with the repository's config serves the app."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
STARTUP_SECONDS = 60
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@pytest.fixture
def site_env(tmp_path: Path) -> dict[str, str]:
    """Environment of a fresh embedded site in ``tmp_path``, migrated, on a free port."""
    from tours.db import make_engine, migrate

    database = f"sqlite:///{tmp_path / 'site.db'}"
    engine = make_engine(database)
    migrate(engine)
    engine.dispose()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HERITOUR_", "GUNICORN_"))
    }
    env.update(
        HERITOUR_DATABASE_URL=database,
        HERITOUR_BLOB_DIR=str(tmp_path / "blobs"),
        HERITOUR_UPLOAD_DIR=str(tmp_path / "uploads"),
        HERITOUR_JOBS_SQLITE_PATH=str(tmp_path / "jobs.db"),
        HERITOUR_SECRET_KEY="deployment-test",
        HERITOUR_BIND="127.0.0.1:0",
        HERITOUR_WEB_WORKERS="2",
    )
    return env


def test_gunicorn_accepts_the_config(site_env: dict[str, str]) -> None:
    checked = subprocess.run(
        [str(GUNICORN), "--check-config", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=site_env,
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_config_sets_what_the_proxy_relies_on(site_env: dict[str, str]) -> None:
    """Printed by gunicorn itself, so a misspelt setting cannot pass unnoticed."""
    printed = subprocess.run(
        [str(GUNICORN), "--print-config", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=site_env,
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    assert printed.returncode == 0, printed.stderr
    settings = dict(
        (name.strip(), value.strip())
        for name, _eq, value in (line.partition("=") for line in printed.stdout.splitlines())
    )
    assert settings["bind"] == "['127.0.0.1:0']"
    assert settings["workers"] == "2"
    assert settings["worker_class"] == "sync"
    assert settings["timeout"] == "30"
    assert settings["preload_app"] == "False"
    assert settings["max_requests"] == "2000"


def _wait_for_port(log: Path, server: subprocess.Popen[bytes], deadline: float) -> int:
    while time.monotonic() < deadline:
        match = LISTENING.search(log.read_text(errors="replace"))
        if match:
            return int(match.group(1))
        assert server.poll() is None, log.read_text(errors="replace")
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not start listening: {log.read_text(errors='replace')}")


def _wait_for_health(url: str, deadline: float) -> dict[str, object]:
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                assert response.headers["Cache-Control"] == "no-store"
                answer: dict[str, object] = json.loads(response.read())
                return answer
        except (urllib.error.URLError, ConnectionError) as error:
            last = error
            time.sleep(0.1)
    raise AssertionError(f"/healthz never answered 200: {last}")


def test_gunicorn_serves_the_app(site_env: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=site_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        port = _wait_for_port(log, server, deadline)
        health = _wait_for_health(f"http://127.0.0.1:{port}/healthz", deadline)
        assert health == {"status": "ok", "checks": {"database": "ok", "blob_store": "ok"}}
        returning = urllib.request.Request(
            f"http://127.0.0.1:{port}/en/", headers={"Cookie": "lang=en"}
        )
        with urllib.request.urlopen(returning, timeout=10) as page:
            assert page.status == 200
            assert page.headers["ETag"].startswith('W/"')
            assert "stale-while-revalidate=" in page.headers["Cache-Control"]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=STARTUP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert server.returncode == 0, log.read_text(errors="replace")
