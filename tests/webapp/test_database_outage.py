"""PostgreSQL restarts while the app runs: requests fail cleanly (503, coded) during the
outage and work again afterwards, with the same app (no restart, no new engine).

The test starts its own PostgreSQL cluster (``initdb`` and ``pg_ctl`` from Debian's
``/usr/lib/postgresql/*/bin``) in a temporary folder on a free port, and stops and starts it.
Without those tools the test is skipped, and under ``CI=true`` it fails (``.ci/run``
installs the ``postgresql`` package).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _pg_bin() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    path = found[-1] if found else shutil.which("pg_ctl")
    return Path(path).parent if path else None


class Cluster:
    """A private PostgreSQL cluster; as root, its server runs as the ``postgres`` user."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="heritour-pg-"))
        self.data = self.folder / "data"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._as: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.folder, "postgres", "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def cluster(unavailable: Any) -> Iterator[Cluster]:
    bin_dir = _pg_bin()
    if bin_dir is None:
        unavailable(
            "backend unavailable: PostgreSQL server tools (pg_ctl) not installed",
            ".ci/run installs postgresql",
        )
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def outage_app(cluster: Cluster, tmp_path: Path) -> Iterator[Any]:
    from tours.db import make_engine, migrate
    from webapp import create_app

    engine = make_engine(cluster.url)
    migrate(engine)
    engine.dispose()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": cluster.url,
            "JOBS": "immediate",
            "BLOB_DIR": str(tmp_path / "blobs"),
            "JOBS_SQLITE_PATH": str(tmp_path / "jobs.db"),
        }
    )
    yield app  # no app context held: each request has its own (and its own language)


def test_requests_fail_cleanly_while_postgres_restarts(cluster: Cluster, outage_app: Any) -> None:
    client = outage_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.get("/api/v1/tours").status_code == 200
    assert client.get("/en/").status_code == 200  # the pool now holds a live connection

    cluster.stop()
    api = client.get("/api/v1/tours")
    assert api.status_code == 503 and api.headers["Retry-After"]
    assert api.json["error"]["code"] == "database_unavailable"
    assert api.json["error"]["message"].startswith("The database did not answer.")
    page = client.get("/en/")
    assert page.status_code == 503
    assert "The database did not answer." in page.get_data(as_text=True)
    fresh = outage_app.test_client()  # no language cookie: Accept-Language decides
    vietnamese = fresh.get("/api/v1/tours", headers={"Accept-Language": "vi"})
    assert vietnamese.status_code == 503
    assert not vietnamese.json["error"]["message"].startswith("The database")

    cluster.start()
    assert client.get("/api/v1/tours").status_code == 200
    assert client.get("/en/").status_code == 200
