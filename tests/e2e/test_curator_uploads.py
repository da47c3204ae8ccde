"""Model uploads in Chromium, both ways the studio takes them.

With the local store the page sends the file to the app in tus chunks; with an S3 store it
sends presigned multipart parts straight to the bucket (moto's server, over HTTP), and the
app only signs each request and then takes the finished object. Every test compares the
stored original with the file byte for byte (sha256) and counts the requests the page sent:
after a dropped connection, chunks and parts that had arrived are not sent again, and a file
of a few hundred MB goes through the app without being held in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from sqlalchemy import select

from tours.blobstore.s3 import S3BlobStore
from tours.db import migrate

pytestmark = pytest.mark.e2e
log = logging.getLogger(__name__)
EMAIL, PASSWORD = "uploader@example.org", "a long enough password"
LAPTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
MB = 1024 * 1024
SPHERE_ROWS = 360  # 518,400 triangles, 25.9 MB: over the 500k of the "high" level
LARGE_ROWS = 1255  # 6,300,100 triangles, 315 MB (300.4 MiB)
# Ingest refuses a binary STL with more triangles than this from its header alone, so
# tests about the transfer need not wait for a full conversion.
FEW_TRIANGLES = 100_000

# Reports each upload row's progress, class and note to Python (``heritourUploadRow``)
# whenever they change: the page reloads once its uploads are done, so the test cannot
# look at the rows afterwards.
WATCH_ROWS = """() => {
    const last = new WeakMap();
    const report = () => {
        for (const item of document.querySelectorAll('#uploads li')) {
            const bar = item.querySelector('progress');
            const note = item.querySelector('.note');
            const state = [bar.getAttribute('aria-label'), bar.value, item.className,
                           note ? note.textContent : ''];
            if (last.get(item) !== state.join('|')) {
                last.set(item, state.join('|'));
                window.heritourUploadRow(...state);
            }
        }
    };
    new MutationObserver(report).observe(document.getElementById('uploads'),
        {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def write_sphere_stl(path: Path, rows: int) -> tuple[str, int]:
    """Write a binary STL of a UV sphere (4·rows² triangles); return its sha256 and size.

    Written in bands of latitude rows, so even a file of hundreds of MB needs little memory.
    """
    lat = np.linspace(0.0, np.pi, rows + 1)
    lon = np.linspace(0.0, 2 * np.pi, 2 * rows + 1)
    record = np.dtype([("normal", "<f4", 3), ("corners", "<f4", (3, 3)), ("attribute", "<u2")])
    digest = hashlib.sha256()
    with path.open("wb") as out:
        head = b"Heritour upload test".ljust(80) + struct.pack("<I", 4 * rows * rows)
        digest.update(head)
        size = out.write(head)
        for start in range(0, rows, 64):
            theta, phi = np.meshgrid(lat[start : start + 65], lon, indexing="ij")
            points = np.stack(
                [np.sin(theta) * np.cos(phi), np.cos(theta), np.sin(theta) * np.sin(phi)], axis=-1
            ).astype("<f4")
            a, b, c, d = points[:-1, :-1], points[1:, :-1], points[1:, 1:], points[:-1, 1:]
            triangles = np.zeros(2 * a.shape[0] * a.shape[1], record)
            triangles["corners"] = np.concatenate(
                [
                    np.stack([a, b, c], -2).reshape(-1, 3, 3),
                    np.stack([a, c, d], -2).reshape(-1, 3, 3),
                ]
            )
            block = triangles.tobytes()
            digest.update(block)
            size += out.write(block)
    return digest.hexdigest(), size


@dataclass
class Studio:
    """A served Heritour with one curator; ``app`` reads its database and store."""

    url: str
    app: Any
    pid: int | None = None  # the server's own process, when it has one

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    def asset(self, name: str) -> Any:
        """The one model asset called ``name`` (detached, for reading its fields)."""
        from tours.models import ModelAsset
        from webapp.extensions import db

        with self.app.app_context():
            asset = db.session.scalars(select(ModelAsset).where(ModelAsset.name == name)).one()
            db.session.expunge(asset)
            return asset

    def stored_sha256(self, key: str) -> tuple[str, int]:
        """The sha256 and size of the blob stored under ``key``, read back from the store."""
        from webapp.extensions import blobs

        digest, size = hashlib.sha256(), 0
        with self.app.app_context(), blobs.store.open(key) as stream:
            while chunk := stream.read(MB):
                digest.update(chunk)
                size += len(chunk)
        return digest.hexdigest(), size


# The app served from a process of its own, so that its memory can be measured apart from
# this one's (Playwright hands this process a copy of every request body it routes).
SERVE = """
import json, sys
from werkzeug.serving import make_server
from webapp import create_app
server = make_server("127.0.0.1", 0, create_app(json.loads(sys.argv[1])), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture
def studio(tmp_path: Path, serve: Any) -> Iterator[Callable[..., Studio]]:
    """Make and serve a Heritour with the given settings (jobs run as soon as queued), in
    this process or, with ``own_process=True``, in a child process."""
    with ExitStack() as stack:

        def make(own_process: bool = False, **overrides: Any) -> Studio:
            from tours.accounts import create_user
            from webapp import create_app
            from webapp.extensions import db

            settings = {
                "SECRET_KEY": "e2e-uploads",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'studio.db'}",
                "BLOB_DIR": str(tmp_path / "blobs"),
                "UPLOAD_DIR": str(tmp_path / "uploads"),
                "JOBS": "immediate",
                **overrides,
            }
            app = create_app(settings)
            with app.app_context():
                migrate(db.engine)
                create_user(db.session, EMAIL, PASSWORD, "curator")
            if own_process:
                log_file = stack.enter_context((tmp_path / "server.log").open("w"))
                child = subprocess.Popen(
                    [sys.executable, "-c", SERVE, json.dumps(settings)],
                    stdout=subprocess.PIPE,
                    stderr=log_file,
                    text=True,
                )
                stack.callback(child.wait, 30)
                stack.callback(child.terminate)
                port = int(child.stdout.readline()) if child.stdout else 0
                return Studio(f"http://127.0.0.1:{port}", app, child.pid)
            return Studio(stack.enter_context(serve(app)), app)

        yield make


@pytest.fixture
def s3_studio(studio: Callable[..., Studio], moto_endpoint: str) -> Callable[..., Studio]:
    """Make a Heritour whose blobs live in a fresh bucket on moto, set up for direct uploads."""

    def make(**settings: Any) -> Studio:
        bucket = f"heritour-e2e-{uuid.uuid4().hex[:12]}"
        served = studio(
            BLOB_STORE="s3",
            S3_ENDPOINT_URL=moto_endpoint,
            S3_BUCKET=bucket,
            S3_ACCESS_KEY_ID="testing",
            S3_SECRET_ACCESS_KEY="testing",
            S3_CREATE_BUCKET=True,
            **settings,
        )
        # What the README asks of an operator: `flask storage cors ORIGIN` lets the site's
        # origin send the S3 requests and read each part's ETag. moto 5.2.5 honours such a
        # rule (preflight and responses). Without one, moto server's blanket flask-cors still
        # allows the origin but exposes no header, so the page cannot read the ETag ("Missing
        # ETag in uploadPart response headers").
        S3BlobStore(bucket, moto_endpoint, "us-east-1", "testing", "testing").allow_origins(
            [served.url]
        )
        return served

    return make


@dataclass
class Sent:
    """One request the page sent: how it ended (HTTP status, or 0 when it failed)."""

    method: str
    url: str
    status: int
    headers: dict[str, str]
    response_headers: dict[str, str] = field(default_factory=dict)

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)


@dataclass
class Traffic:
    """Every request the page sent, in the order they ended, and each row's states."""

    sent: list[Sent] = field(default_factory=list)
    rows: list[tuple[str, int, str, str]] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        page.on(
            "response",
            lambda r: self.sent.append(
                Sent(r.request.method, r.url, r.status, r.request.headers, r.headers)
            ),
        )
        page.on("requestfailed", lambda q: self.sent.append(Sent(q.method, q.url, 0, q.headers)))
        page.expose_function(
            "heritourUploadRow",
            lambda name, value, kind, note: self.rows.append((name, int(value), kind, note)),
        )

    def progress(self, name: str) -> list[int]:
        return [value for row, value, _kind, _note in self.rows if row == name]

    def kinds(self, name: str) -> list[str]:
        return [kind for row, _value, kind, _note in self.rows if row == name]


def is_tus_chunk(sent: Any) -> bool:
    return sent.method == "PATCH" and urlsplit(sent.url).path.startswith("/api/v1/uploads/")


def is_s3_part(sent: Any) -> bool:
    query = parse_qs(urlsplit(sent.url).query)
    return sent.method == "PUT" and "uploadId" in query and "partNumber" in query


def open_models_page(context: Any, traffic: Traffic) -> Any:
    """Sign in as the curator and open the model library, its requests and rows watched."""
    page = context.new_page()
    traffic.watch(page)
    page.goto("/studio/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Tours").wait_for()
    page.goto("/studio/models/")
    page.evaluate(WATCH_ROWS)
    return page


def wait_for_model(page: Any, name: str, status: str, timeout: float = 180_000) -> None:
    """Wait until the library (reloaded by the page once its uploads are done) lists it."""
    page.locator("#models tr", has_text=name).locator(f".status-{status}").wait_for(timeout=timeout)


class Drop:
    """Takes the network down as the ``at``-th chunk (or part) request starts, and fails it.

    The page sees what a dropped connection looks like: the request fails and
    ``navigator.onLine`` turns false. The test brings the network back with :meth:`restore`.
    """

    def __init__(self, context: Any, is_chunk: Callable[[Any], bool], at: int) -> None:
        self.context, self.is_chunk, self.at = context, is_chunk, at
        self.seen = 0
        self.dropped = False
        context.route("**/*", self._handle)  # the last route registered runs first

    def _handle(self, route: Any) -> None:
        if not self.dropped and self.is_chunk(route.request):
            self.seen += 1
            if self.seen == self.at:
                self.dropped = True
                self.context.set_offline(True)
                route.abort("internetdisconnected")
                return
        route.fallback()

    def wait(self, page: Any, timeout_s: float = 120) -> None:
        """Until the dropped request has failed in the browser (its ``requestfailed`` event)."""
        if not self.dropped:
            self.context.wait_for_event(
                "requestfailed", predicate=lambda _request: self.dropped, timeout=timeout_s * 1000
            )

    def restore(self) -> None:
        self.context.set_offline(False)


def list_parts_as_s3_does(context: Any, moto: str) -> None:
    """Give moto's ListParts answers the root element S3 gives them, and change nothing else.

    moto 5.2.5 serializes ListParts with its generic REST-XML root, ``<ListPartsResponse>``;
    S3 answers ``<ListPartsResult>`` (as moto does for CreateMultipartUpload and
    CompleteMultipartUpload), and that is the element Uppy's S3 client reads the parts from.
    Against moto as it is, a resumed upload finds no parts in the bucket and sends them all
    again, which real S3 would not make it do.
    """

    def rename_root(route: Any) -> None:
        query = parse_qs(urlsplit(route.request.url).query)
        if route.request.method != "GET" or "uploadId" not in query or "partNumber" in query:
            route.fallback()
            return
        response = route.fetch()
        body = response.text().replace("ListPartsResponse>", "ListPartsResult>")
        body = body.replace("<ListPartsResponse ", "<ListPartsResult ", 1)
        route.fulfill(response=response, body=body)

    context.route(lambda url: urlsplit(url).netloc == moto, rename_root)


def test_s3_upload_goes_from_the_browser_to_the_bucket(
    s3_studio: Callable[..., Studio], new_context: Any, moto_endpoint: str, tmp_path: Path
) -> None:
    served = s3_studio()
    moto = urlsplit(moto_endpoint).netloc
    path = tmp_path / "sphere.stl"
    sha256, size = write_sphere_stl(path, SPHERE_ROWS)
    parts = -(-size // (8 * MB))  # the default UPLOAD_CHUNK_MB
    assert size > 8 * MB and parts >= 3

    traffic = Traffic()
    context = new_context(served.url, extra_netloc=moto, locale="en-US", **LAPTOP)
    page = open_models_page(context, traffic)
    page.locator("#file").set_input_files(str(path))
    wait_for_model(page, "sphere.stl", "ready")

    # The bytes went to the bucket, in parts, each once; the app saw none of them.
    part_puts = [s for s in traffic.sent if is_s3_part(s)]
    assert sorted(int(s.query["partNumber"][0]) for s in part_puts) == list(range(1, parts + 1))
    assert {(s.netloc, s.status) for s in part_puts} == {(moto, 200)}
    assert all(s.response_headers.get("access-control-expose-headers") == "ETag" for s in part_puts)
    to_app = [s for s in traffic.sent if s.netloc == served.netloc]
    assert not [s for s in to_app if s.method in {"PUT", "PATCH"}]
    signed = [s for s in to_app if s.url.endswith("/api/v1/s3-uploads/sign")]
    assert len(signed) == parts + 2  # create, each part, complete
    finished = [s for s in to_app if s.url.endswith("/api/v1/s3-uploads/finish")]
    assert [s.status for s in finished] == [200]
    assert max(traffic.progress("sphere.stl")) == 100
    assert "done" in traffic.kinds("sphere.stl")

    # The app took the object out of incoming/, kept it unchanged, and processed it.
    asset = served.asset("sphere.stl")
    assert (asset.sha256, asset.size_bytes, asset.status) == (sha256, size, "ready")
    assert asset.original_key == f"originals/{sha256}.stl"
    assert served.stored_sha256(asset.original_key) == (sha256, size)
    with served.app.app_context():
        from webapp.extensions import blobs

        client, bucket = blobs.store.client, blobs.store.bucket
        assert client.list_objects_v2(Bucket=bucket, Prefix="incoming/")["KeyCount"] == 0
        assert not client.list_multipart_uploads(Bucket=bucket).get("Uploads")


@dataclass(frozen=True)
class Mode:
    """How one blob store takes uploads, for the resume test."""

    name: str
    chunk_mb: int
    drop_at: int  # which chunk request fails

    def chunks(self, traffic: Traffic) -> list[Sent]:
        return [s for s in traffic.sent if (is_tus_chunk if self.name == "tus" else is_s3_part)(s)]

    def position(self, sent: Sent) -> int:
        """Where a chunk starts (tus: its byte offset) or which part it is (S3: its number)."""
        if self.name == "tus":
            return int(sent.headers["upload-offset"])
        return int(sent.query["partNumber"][0])

    def positions(self, size: int) -> list[int]:
        step = self.chunk_mb * MB
        if self.name == "tus":
            return list(range(0, size, step))
        return list(range(1, -(-size // step) + 1))


@pytest.mark.parametrize(
    "mode",
    [Mode("tus", chunk_mb=2, drop_at=6), Mode("s3", chunk_mb=5, drop_at=3)],
    ids=lambda mode: mode.name,
)
def test_upload_resumes_after_a_dropped_connection(
    mode: Mode,
    studio: Callable[..., Studio],
    s3_studio: Callable[..., Studio],
    new_context: Any,
    moto_endpoint: str,
    tmp_path: Path,
) -> None:
    settings = {"UPLOAD_CHUNK_MB": mode.chunk_mb, "MAX_TRIANGLES": FEW_TRIANGLES}
    served = studio(**settings) if mode.name == "tus" else s3_studio(**settings)
    path = tmp_path / "sphere.stl"
    sha256, size = write_sphere_stl(path, SPHERE_ROWS)
    expected = mode.positions(size)
    assert len(expected) >= mode.drop_at + 2  # chunks before the drop, and after it

    traffic = Traffic()
    context = new_context(
        served.url, extra_netloc=urlsplit(moto_endpoint).netloc, locale="en-US", **LAPTOP
    )
    if mode.name == "s3":
        list_parts_as_s3_does(context, urlsplit(moto_endpoint).netloc)
    drop = Drop(context, is_tus_chunk if mode.name == "tus" else is_s3_part, mode.drop_at)
    page = open_models_page(context, traffic)
    page.locator("#file").set_input_files(str(path))
    drop.wait(page)
    # The page notices: the row says the connection was lost and that it will resume.
    page.locator("#uploads li.retrying").wait_for(timeout=60_000)
    assert page.evaluate("() => navigator.onLine") is False
    answered_while_down = len([s for s in mode.chunks(traffic) if s.status])
    drop.restore()
    wait_for_model(page, "sphere.stl", "rejected")  # too many triangles, by design

    chunks = mode.chunks(traffic)
    failed = [mode.position(s) for s in chunks if s.status == 0]
    delivered = [mode.position(s) for s in chunks if s.status in {200, 204}]
    # Each chunk arrived exactly once, in order; the one that failed was sent again, and
    # none of those that had arrived before the drop was.
    assert delivered == expected
    assert answered_while_down == mode.drop_at - 1
    assert failed == [expected[mode.drop_at - 1]]
    assert len(chunks) == len(expected) + len(failed)  # so nothing else was sent twice
    if mode.name == "tus":  # the page asked the app where to go on
        heads = [s for s in traffic.sent if s.method == "HEAD" and s.status == 200]
        assert heads, "no HEAD after the drop"
    else:  # the page asked the bucket which parts it holds
        listed = [s for s in traffic.sent if s.method == "GET" and "uploadId" in s.query]
        assert [s.status for s in listed] == [200]
    assert max(traffic.progress("sphere.stl")) == 100
    assert "retrying" in traffic.kinds("sphere.stl")

    asset = served.asset("sphere.stl")
    assert (asset.sha256, asset.size_bytes, asset.error_code) == (sha256, size, "model_too_large")
    assert served.stored_sha256(asset.original_key) == (sha256, size)


def memory_mb(pid: int, name: str) -> float:
    """A memory figure of process ``pid`` from /proc (VmRSS: now, VmHWM: its peak), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"{name} not in /proc/{pid}/status")


@pytest.fixture
def large_stl(tmp_path: Path) -> Iterator[tuple[Path, str, int]]:
    """A 300 MiB binary STL, its sha256 and size. Afterwards the file and the copies the
    app made of it are removed, rather than left in pytest's kept temporary folders."""
    path = tmp_path / "large.stl"
    yield path, *write_sphere_stl(path, LARGE_ROWS)
    path.unlink(missing_ok=True)
    for folder in ("blobs", "uploads"):
        shutil.rmtree(tmp_path / folder, ignore_errors=True)


def test_a_large_file_streams_through_the_app(
    large_stl: tuple[Path, str, int], studio: Callable[..., Studio], new_context: Any
) -> None:
    path, sha256, size = large_stl
    assert size > 300 * MB
    # The default chunk size (UPLOAD_CHUNK_MB 8) and upload limit (MAX_UPLOAD_MB 1024).
    served = studio(own_process=True, MAX_TRIANGLES=FEW_TRIANGLES)
    assert served.pid is not None and served.pid != os.getpid()  # measured on its own

    traffic = Traffic()
    context = new_context(served.url, locale="en-US", **LAPTOP)
    page = open_models_page(context, traffic)
    before = memory_mb(served.pid, "VmRSS")
    started = time.monotonic()
    page.locator("#file").set_input_files(str(path))
    wait_for_model(page, "large.stl", "rejected", timeout=300_000)
    seconds = time.monotonic() - started
    growth = memory_mb(served.pid, "VmHWM") - before

    chunks = [s for s in traffic.sent if is_tus_chunk(s)]
    assert [int(s.headers["upload-offset"]) for s in chunks] == list(range(0, size, 8 * MB))
    assert {s.status for s in chunks} == {204}
    assert max(traffic.progress("large.stl")) == 100
    assert "done" in traffic.kinds("large.stl")
    asset = served.asset("large.stl")
    assert (asset.sha256, asset.size_bytes, asset.error_code) == (sha256, size, "model_too_large")
    assert served.stored_sha256(asset.original_key) == (sha256, size)
    # The server streams: chunks to the upload folder, the finished file to the store.
    assert growth < 64, f"the server grew by {growth:.0f} MB for a {size // MB} MB file"
    log.info("large upload: %d bytes in %.1f s, server peak +%.0f MB", size, seconds, growth)
