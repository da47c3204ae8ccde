"""A stop page served by the documented setup, against nginx serving it as a static file.

``python -m bench serving`` (needs ``nginx`` and ``wrk`` from Debian). One embedded site
with one published tour runs under gunicorn with ``gunicorn.conf.py`` (2 workers) behind the
site in ``docs/nginx.conf``. ``wrk`` (10 s, 50 connections, loopback only) then asks for:

- the same stop page saved as a file and served by nginx: the baseline;
- the stop page through nginx, whose page cache keeps it as the app's headers allow;
- the stop page from gunicorn directly, every request rendered or revalidated by the app.

Requests per second and p99 latency of each, and the ratio to the baseline. The proxied
page is asked for once before the measurement (the cache's cold start is not measured).
Takes about 40 seconds.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = "10s"
CONNECTIONS = 50
STOP = "/en/tours/tour-0/1"
COOKIE = "Cookie: lang=en"
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def _site(root: Path) -> dict[str, str]:
    """A migrated site with one published tour; the environment gunicorn needs for it."""
    from bench.catalogue import _app, _asset, _publish
    from webapp.extensions import blobs, db

    app = _app(root)
    with app.app_context():
        _publish(db.session, _asset(db.session, blobs.store), 0, 1)
        db.session.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HERITOUR_", "GUNICORN_"))}
    env.update(
        HERITOUR_DATABASE_URL=f"sqlite:///{root / 'bench.db'}",
        HERITOUR_BLOB_DIR=str(root / "blobs"),
        HERITOUR_JOBS_SQLITE_PATH=str(root / "jobs.db"),
        HERITOUR_SECRET_KEY="bench",
        HERITOUR_BIND="127.0.0.1:0",
        HERITOUR_WEB_WORKERS="2",
        HERITOUR_LOG_LEVEL="warning",
    )
    return env


def _wait(check: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


def _gunicorn(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(gunicorn), "-c", "gunicorn.conf.py", "--log-level", "info", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _wait(lambda: _LISTENING.search(log.read_text(errors="replace")), "gunicorn")
    match = _LISTENING.search(log.read_text(errors="replace"))
    assert match is not None
    return server, int(match.group(1))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _nginx_config(root: Path, app_port: int, port: int, baseline: Path) -> Path:
    site = (ROOT / "docs" / "nginx.conf").read_text()
    site = site.replace("/srv/heritour/", f"{ROOT}/")
    site = site.replace("/var/cache/nginx/heritour", str(root / "cache"))
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace(
        "    location /static/ {",
        f"    location = /baseline.html {{ alias {baseline}; }}\n\n    location /static/ {{",
    )
    (root / "site.conf").write_text(site)
    temp = root / "temp"
    temp.mkdir()
    user = "user root;" if os.geteuid() == 0 else ""
    main = root / "nginx.conf"
    main.write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    types {{ text/html html; text/css css; application/javascript js; }}
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {root}/site.conf;
}}
"""
    )
    return main


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": "lang=en"})):
            return True
    except OSError:
        return False


def _wrk(url: str, *options: str) -> tuple[float, float, int]:
    """Requests per second, p99 in milliseconds, and errors (non-2xx/3xx, socket errors)."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}",
            "--latency",
            "-H",
            COOKIE,
            *options,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rate, p99, errors


def main() -> None:
    """Print requests per second and p99 of each way of serving the stop page."""
    logging.disable(logging.INFO)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists() or not shutil.which("wrk"):
        print("skipped: needs nginx and wrk (apt-get install -y nginx wrk)")
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        env = _site(root)
        server, app_port = _gunicorn(env, root / "gunicorn.log")
        proxy = None
        try:
            direct = f"http://127.0.0.1:{app_port}{STOP}"
            _wait(lambda: _answers(direct), "the app")
            with urllib.request.urlopen(
                urllib.request.Request(direct, headers={"Cookie": "lang=en"})
            ) as page:
                baseline = root / "stop.html"
                baseline.write_bytes(page.read())
            size = baseline.stat().st_size
            port = _free_port()
            config = _nginx_config(root, app_port, port, baseline)
            proxy = subprocess.Popen([nginx, "-c", str(config)], start_new_session=True)
            base = f"http://127.0.0.1:{port}"
            _wait(lambda: _answers(f"{base}/baseline.html"), "nginx")
            # One request first: a cold page makes concurrent requests wait on nginx's cache
            # lock (polled every 500 ms), which is start-up, not the steady state measured.
            _wait(lambda: _answers(f"{base}{STOP}"), "the proxied page")
            rows = [
                ("nginx, the page as a static file (baseline)", _wrk(f"{base}/baseline.html")),
                ("stop page through the documented nginx", _wrk(f"{base}{STOP}")),
                ("stop page from gunicorn directly", _wrk(direct)),
            ]
        finally:
            if proxy is not None:
                proxy.send_signal(signal.SIGQUIT)
                proxy.wait(timeout=30)
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    static = rows[0][1][0]
    print(f"wrk -t2 -c{CONNECTIONS} -d{DURATION} on loopback; the stop page is {size:,} bytes")
    print("\n| served by | requests/s | p99 ms | errors | share of static |")
    print("|---|---:|---:|---:|---:|")
    for name, (rate, p99, errors) in rows:
        print(f"| {name} | {rate:,.0f} | {p99:.1f} | {errors} | {rate / static:.3f} |")


if __name__ == "__main__":
    main()
