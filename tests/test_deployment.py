"""The documented production setup: gunicorn with the repository's config serves the app."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
STARTUP_SECONDS = 60
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
)
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


@contextmanager
def gunicorn(env: dict[str, str], tmp_path: Path) -> Iterator[int]:
    """gunicorn with the repository's config on a free port, ready; stopped afterwards."""
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        port = _wait_for_port(log, server, deadline)
        health = _wait_for_health(f"http://127.0.0.1:{port}/healthz", deadline)
        assert health == {"status": "ok", "checks": {"database": "ok", "blob_store": "ok"}}
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=STARTUP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert server.returncode == 0, log.read_text(errors="replace")


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_gunicorn_serves_the_app(site_env: dict[str, str], tmp_path: Path) -> None:
    with gunicorn(site_env, tmp_path) as port:
        status, headers, _body = _get(f"http://127.0.0.1:{port}/en/", Cookie="lang=en")
        assert status == 200
        assert headers["ETag"].startswith('W/"')
        assert "stale-while-revalidate=" in headers["Cache-Control"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _nginx_config(tmp_path: Path, app_port: int, port: int) -> Path:
    """The documented site, with this checkout's paths and test ports, in a main config."""
    site = (ROOT / "docs" / "nginx.conf").read_text()
    site = site.replace("/srv/heritour/", f"{ROOT}/")
    site = site.replace("/var/cache/nginx/heritour", str(tmp_path / "cache"))
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (tmp_path / "site.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    temp = tmp_path / "temp"
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    types {{ text/css css; application/javascript js; }}
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {tmp_path}/site.conf;
}}
"""
    )
    return main


def test_documented_nginx_serves_static_files_and_keeps_pages(
    site_env: dict[str, str], tmp_path: Path, unavailable: Any
) -> None:
    if NGINX is None:
        unavailable("nginx is not installed", "apt-get install -y nginx")
    (tmp_path / "temp").mkdir()
    port = _free_port()
    with gunicorn(site_env, tmp_path) as app_port:
        config = _nginx_config(tmp_path, app_port, port)
        tested = subprocess.run(
            [NGINX, "-t", "-c", str(config)], capture_output=True, text=True, timeout=30
        )
        assert tested.returncode == 0, tested.stderr
        proxy = subprocess.Popen([NGINX, "-c", str(config)], start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for_health(f"{base}/healthz", time.monotonic() + STARTUP_SECONDS)
            css = (ROOT / "webapp" / "static" / "css" / "app.css").read_bytes()
            status, headers, body = _get(f"{base}/static/css/app.css?v=abc")
            assert (status, body) == (200, css)
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert _get(f"{base}/static/css/app.css")[1]["Cache-Control"] == "no-cache"
            first = _get(f"{base}/en/", Cookie="lang=en")
            second = _get(f"{base}/en/", Cookie="lang=en")
            assert (first[1]["X-Cache-Status"], second[1]["X-Cache-Status"]) == ("MISS", "HIT")
            assert first[2] == second[2]
            assert second[1]["ETag"] == first[1]["ETag"]
            # A page that sets the language cookie is never kept for others.
            assert _get(f"{base}/fr/")[1]["X-Cache-Status"] == "MISS"
            assert _get(f"{base}/fr/")[1]["X-Cache-Status"] == "MISS"
        finally:
            proxy.send_signal(signal.SIGQUIT)
            proxy.wait(timeout=STARTUP_SECONDS)
