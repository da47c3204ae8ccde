"""Command-line tasks: migrations, importing a scan, configuration from the environment."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tours.models import AssetStatus, ModelAsset
from webapp.config import load_config

SERVE_TIMEOUT = 60  # seconds; the app starts slowly on a loaded machine


def test_db_upgrade_is_repeatable(app: Any) -> None:
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Database is up to date." in result.output


def test_models_import_processes_a_scan(app: Any, db: Any, testdata: Path) -> None:
    result = app.test_cli_runner().invoke(
        args=["models", "import", str(testdata / "teapot.stl"), "--up", "z", "--unit", "mm"]
    )
    assert result.exit_code == 0, result.output
    asset = db.query(ModelAsset).one()
    assert (asset.name, asset.status, asset.options) == (
        "teapot.stl",
        AssetStatus.READY,
        {"up_axis": "z", "unit": "mm"},
    )
    assert f"Model {asset.id} is ready" in result.output


def test_models_import_reports_a_rejection(app: Any, db: Any, tmp_path: Path) -> None:
    bad = tmp_path / "scan.ply"
    bad.write_bytes(b"ply\nformat ascii 1.0\nelement vertex 0\nend_header\n")
    result = app.test_cli_runner().invoke(args=["models", "import", str(bad)])
    assert result.exit_code == 2
    asset = db.query(ModelAsset).one()
    assert asset.status == AssetStatus.REJECTED
    assert asset.error_code in result.output


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HERITOUR_BLOB_STORE", "s3")
    monkeypatch.setenv("HERITOUR_S3_CREATE_BUCKET", "yes")
    monkeypatch.setenv("HERITOUR_MAX_UPLOAD_MB", "5")
    config = load_config(tmp_path, {"S3_BUCKET": "override"})
    assert (config["BLOB_STORE"], config["S3_CREATE_BUCKET"], config["S3_BUCKET"]) == (
        "s3",
        True,
        "override",
    )
    assert config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'heritour.db'}"
    assert config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert load_config(tmp_path)["SECRET_KEY"] == config["SECRET_KEY"]  # kept across restarts


def test_requeue_finishes_interrupted_work(app: Any, db: Any, store: Any, testdata: Path) -> None:
    import io

    from tours.ingest import store_original

    stuck = store_original(
        db, store, io.BytesIO((testdata / "BoxTextured.glb").read_bytes()), "b.glb"
    )
    stuck.status = AssetStatus.PROCESSING
    db.commit()
    result = app.test_cli_runner().invoke(args=["jobs", "requeue"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 model(s) again." in result.output
    db.refresh(stuck)
    assert stuck.status == AssetStatus.READY  # the immediate queue ran it


def _cli_app(tmp_path: Path, **settings: Any) -> Any:
    from webapp import create_app

    return create_app(
        {
            "SECRET_KEY": "cli",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
            "BLOB_DIR": str(tmp_path / "blobs"),
            "JOBS": "immediate",
            **settings,
        }
    )


def test_storage_cors_lets_the_site_use_the_bucket(tmp_path: Path, moto_endpoint: str) -> None:
    app = _cli_app(
        tmp_path,
        BLOB_STORE="s3",
        S3_ENDPOINT_URL=moto_endpoint,
        S3_BUCKET="heritour-cors",
        S3_ACCESS_KEY_ID="testing",
        S3_SECRET_ACCESS_KEY="testing",
        S3_CREATE_BUCKET=True,
    )
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["storage", "cors", "https://tours.example.org/path"])
    assert bad.exit_code == 2 and "is not an origin" in bad.output
    origins = ["https://tours.example.org", "http://127.0.0.1:5000"]
    result = runner.invoke(args=["storage", "cors", *origins])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from webapp.extensions import blobs

        client = blobs.store.client  # type: ignore[attr-defined]
        rules = client.get_bucket_cors(Bucket="heritour-cors")["CORSRules"]
    assert len(rules) == 1
    assert rules[0]["AllowedOrigins"] == origins
    assert rules[0]["ExposeHeaders"] == ["ETag"]


def test_storage_cors_needs_a_bucket(tmp_path: Path) -> None:
    runner = _cli_app(tmp_path).test_cli_runner()
    result = runner.invoke(args=["storage", "cors", "https://tours.example.org"])
    assert result.exit_code == 2 and "needs no CORS rule" in result.output


def test_serve_and_worker_with_immediate_jobs(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Immediate jobs run inside requests: serving starts no consumer, a worker is refused."""
    import webapp.cli.serve

    served: list[int] = []
    monkeypatch.setattr(
        webapp.cli.serve, "run_simple", lambda host, port, app, **kw: served.append(port)
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["serve", "--port", "5099"])
    assert result.exit_code == 0, result.output
    assert served == [5099]
    worker = runner.invoke(args=["jobs", "worker"])
    assert worker.exit_code == 2 and "run inline" in worker.output


@pytest.mark.parametrize(
    ("stop", "returncode"),
    [(signal.SIGTERM, -signal.SIGTERM), (signal.SIGINT, 0)],  # killed; Ctrl+C handled
    ids=["SIGTERM", "SIGINT"],
)
def test_serve_stops_on_a_signal(tmp_path: Path, stop: signal.Signals, returncode: int) -> None:
    """`flask serve` with its in-process job worker ends on Ctrl+C or SIGTERM (Huey's
    consumer would otherwise swallow both).

    The server picks a free port itself (port 0) and the test learns it from werkzeug's
    "Running on" line, so no other process can take the port in between; every wait is
    for an event, with a timeout generous enough for a loaded machine.
    """
    env = {
        **os.environ,
        "HERITOUR_SECRET_KEY": "serve",
        "HERITOUR_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "HERITOUR_BLOB_DIR": str(tmp_path / "blobs"),
        "HERITOUR_JOBS": "sqlite",
        "HERITOUR_JOBS_SQLITE_PATH": str(tmp_path / "jobs.db"),
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    root = Path(__file__).resolve().parents[2]
    subprocess.run([*flask, "db", "upgrade"], cwd=root, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*flask, "serve", "--port", "0"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read_log() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            lines.put(line)

    threading.Thread(target=read_log, daemon=True).start()
    try:
        url = None
        while url is None:
            try:
                line = lines.get(timeout=SERVE_TIMEOUT)
            except queue.Empty:
                pytest.fail("flask serve did not say where it runs")
            if found := re.search(r"Running on (http://127\.0\.0\.1:\d+)", line):
                url = found.group(1)
        with urllib.request.urlopen(f"{url}/healthz", timeout=SERVE_TIMEOUT) as answer:
            assert answer.status == 200
        server.send_signal(stop)
        # raises TimeoutExpired if the signal was swallowed
        assert server.wait(timeout=SERVE_TIMEOUT) == returncode
    finally:
        server.kill()
        server.wait()
