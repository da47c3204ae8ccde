"""Static files compressed by our delivery against Flask-Compress, in the same run.

``python -m bench static_delivery``. For a few files a tourist's phone downloads, both
apps answer ``Accept-Encoding: br, gzip`` through Flask's test client (no network): ours
(copies made at setup or once per process) and a bare Flask app serving the same folder
with Flask-Compress's defaults (which compress a streamed file on every request). Bytes
sent and milliseconds per request (first request, then the median of the next ones).
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

FILES = ("vendor/model-viewer.min.js", "vendor/uppy.min.js", "js/viewer.js", "css/app.css")
REPEAT = 15
ACCEPT = {"Accept-Encoding": "br, gzip"}


def _ours(root: Path) -> Any:
    from webapp import create_app

    return create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{root / 'bench.db'}",
            "BLOB_DIR": str(root / "blobs"),
            "JOBS": "immediate",
        }
    )


def _flask_compress(static_folder: str) -> Any:
    from flask import Flask
    from flask_compress import Compress

    app = Flask("flask_compress_baseline", static_folder=static_folder)
    Compress(app)
    return app


def _measure(app: Any, filename: str) -> tuple[int, str, float, float]:
    """Bytes, encoding, first request ms and median ms of the next requests."""
    client = app.test_client()
    times = []
    body = b""
    encoding = ""
    for _ in range(REPEAT + 1):
        started = time.perf_counter()
        response = client.get(f"/static/{filename}", headers=ACCEPT)
        body = response.get_data()
        times.append((time.perf_counter() - started) * 1000)
        encoding = response.headers.get("Content-Encoding", "identity")
        response.close()
    return len(body), encoding, times[0], statistics.median(times[1:])


def main() -> None:
    """Print one line per file and app."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        ours = _ours(Path(folder))
        assert ours.static_folder is not None
        baseline = _flask_compress(ours.static_folder)
        print(f"{'file':28} {'app':15} {'bytes':>9} {'enc':4} {'first ms':>9} {'next ms':>8}")
        for filename in FILES:
            original = (Path(ours.static_folder) / filename).stat().st_size
            print(f"{filename:28} {'uncompressed':15} {original:9d}")
            for name, app in (("ours", ours), ("Flask-Compress", baseline)):
                size, encoding, first, median = _measure(app, filename)
                print(f"{'':28} {name:15} {size:9d} {encoding:4} {first:9.1f} {median:8.1f}")
