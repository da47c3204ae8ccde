"""Faults around resumable uploads, caused for real: two requests sending the same upload at
once (over real HTTP, to a threaded server), and the file store failing as the last chunk
arrives (the local store's folder broken; S3 cut off behind a TCP relay to moto)."""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from select import select as wait_readable
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

TUS = {"Tus-Resumable": "1.0.0"}


class Relay:
    """A TCP relay on a fixed loopback port to ``target``; :meth:`cut` makes the target
    unreachable (connections dropped, new ones refused), :meth:`restore` brings it back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        assert self._listener is not None
        self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._listener = None
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relay(backend: str, request: pytest.FixtureRequest) -> Iterator[Relay | None]:
    """On postgres-s3, a relay between the app and moto; None on sqlite-local."""
    if backend != "postgres-s3":
        yield None
        return
    target = urlsplit(request.getfixturevalue("moto_endpoint"))
    relay = Relay((str(target.hostname), int(target.port or 80)))
    yield relay
    if relay._listener is not None:
        relay.cut()


@pytest.fixture
def app_config(app_config: dict[str, Any], relay: Relay | None) -> dict[str, Any]:
    """The studio's settings, the S3 store reached through the relay."""
    if relay is not None:
        app_config["S3_ENDPOINT_URL"] = relay.url
    return app_config


def _create(client: Any, length: int, name: str = "Duck.glb") -> str:
    meta = "filename " + base64.b64encode(name.encode()).decode()
    created = client.post(
        "/api/v1/uploads", headers={**TUS, "Upload-Length": str(length), "Upload-Metadata": meta}
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    return str(created.headers["Location"])


def _patch(client: Any, location: str, offset: int, data: bytes) -> Any:
    headers = {**TUS, "Upload-Offset": str(offset)}
    return client.patch(
        location, data=data, headers=headers, content_type="application/offset+octet-stream"
    )


@pytest.fixture
def live(app: Any) -> Iterator[str]:
    """The app served over HTTP by a threaded server (requests really run at once)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _original(store: Any, asset: Any) -> bytes:
    data: bytes = store.read(asset.original_key)
    return data


def test_two_requests_sending_one_upload_at_once(
    app: Any, curator: Any, live: str, db: Any, store: Any, testdata: Path
) -> None:
    from sqlalchemy import func, select

    from tours.models import ModelAsset

    data = (testdata / "Duck.glb").read_bytes()
    location = _create(curator, len(data))
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    cookie = curator.get_cookie(cookie_name)
    assert cookie is not None
    headers = {
        **TUS,
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
        "Content-Length": str(len(data)),
        "Cookie": f"{cookie_name}={cookie.value}",
        "X-CSRFToken": curator.environ_base["HTTP_X_CSRFTOKEN"],
        "Accept-Language": "en",
    }
    # Both requests are under way (headers sent, body not yet): the app takes the first to
    # arrive, and answers the other at once without reading its body.
    connections = []
    for _ in range(2):
        connection = http.client.HTTPConnection(live, timeout=60)
        connection.putrequest("PATCH", location)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        connections.append(connection)
    sockets = [connection.sock for connection in connections]
    readable, _w, _x = wait_readable(sockets, [], [], 60)
    assert len(readable) == 1, "exactly one request is answered before its body is sent"
    loser = connections[sockets.index(readable[0])]
    winner = connections[1 - sockets.index(readable[0])]
    refused = loser.getresponse()
    body = json.loads(refused.read())
    assert refused.status == 423 and body["error"]["code"] == "upload_busy"
    assert body["error"]["message"].startswith("Another window or tab is sending this file")
    winner.send(data)
    answer = winner.getresponse()
    assert answer.status == 204, answer.read()
    assert answer.getheader("Upload-Offset") == str(len(data))
    model_id = int(answer.getheader("Heritour-Model-Id") or 0)
    for connection in connections:
        connection.close()

    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ModelAsset)) == 1
    asset = db.get(ModelAsset, model_id)
    assert asset is not None and _original(store, asset) == data  # not interleaved
    # The loser's retry finds the upload finished and gone, and makes no second model.
    again = _patch(curator, location, 0, data)
    assert again.status_code == 404
    assert db.scalar(select(func.count()).select_from(ModelAsset)) == 1


def _break_store(app: Any, relay: Relay | None) -> Any:
    """Make the store fail for real; returns what mends it."""
    if relay is not None:
        relay.cut()
        return relay.restore
    objects = Path(app.config["BLOB_DIR"]) / "objects"
    objects.mkdir(parents=True, exist_ok=True)
    aside = objects.with_name("objects-aside")
    objects.rename(aside)
    objects.write_text("not a folder")  # every write into the store now fails

    def mend() -> None:
        objects.unlink()
        aside.rename(objects)

    return mend


def test_store_failing_as_the_last_chunk_arrives(
    curator: Any, app: Any, db: Any, store: Any, relay: Relay | None, testdata: Path
) -> None:
    from sqlalchemy import func, select

    from tours.models import ModelAsset

    data = (testdata / "Duck.glb").read_bytes()
    half = len(data) // 2
    location = _create(curator, len(data))
    assert _patch(curator, location, 0, data[:half]).status_code == 204

    mend = _break_store(app, relay)
    failed = _patch(curator, location, half, data[half:])
    assert failed.status_code == 503, failed.get_data(as_text=True)
    assert failed.json["error"]["code"] == "upload_not_stored"
    assert failed.json["error"]["message"].startswith("The file arrived but could not be stored")
    assert failed.headers["Tus-Resumable"] == "1.0.0" and failed.headers["Retry-After"]
    # Nothing says "uploaded": the last chunk is to be sent again, and no model exists.
    head = curator.head(location, headers=TUS)
    assert (head.status_code, head.headers["Upload-Offset"]) == (200, str(half))
    assert db.scalar(select(func.count()).select_from(ModelAsset)) == 0

    mend()
    resumed = _patch(curator, location, half, data[half:])
    assert resumed.status_code == 204, resumed.get_data(as_text=True)
    asset = db.get(ModelAsset, int(resumed.headers["Heritour-Model-Id"]))
    assert asset is not None and _original(store, asset) == data
    assert db.scalar(select(func.count()).select_from(ModelAsset)) == 1
    assert curator.head(location, headers=TUS).status_code == 404  # finished and forgotten


def test_unfinished_uploads_are_capped_per_curator(app: Any, curator: Any, client_as: Any) -> None:
    app.config["MAX_UNFINISHED_UPLOADS"] = 2
    first = _create(curator, 10)
    _create(curator, 10)
    third = curator.post("/api/v1/uploads", headers={**TUS, "Upload-Length": "10"})
    assert third.status_code == 403
    assert third.json["error"]["code"] == "too_many_uploads"
    assert third.json["error"]["message"].startswith("You have too many unfinished uploads")
    assert _create(client_as("admin"), 10)  # the cap is each curator's own
    assert curator.delete(first, headers=TUS).status_code == 204
    assert _create(curator, 10)  # cancelling one makes room


def test_abandoned_uploads_are_cleaned_by_a_periodic_job_and_the_cli(
    app: Any, curator: Any
) -> None:
    import datetime
    import os
    import time

    from webapp.extensions import jobs

    folder = Path(app.config["UPLOAD_DIR"])

    def abandon(location: str) -> None:
        past = time.time() - 2 * 24 * 3600
        upload_id = location.rsplit("/", 1)[1]
        for suffix in (".json", ".part"):
            os.utime(folder / f"{upload_id}{suffix}", (past, past))

    old, fresh = _create(curator, 10), _create(curator, 10)
    abandon(old)
    task = jobs.queue.clean_uploads
    assert task.task_class().validate_datetime(datetime.datetime(2026, 12, 5, 3, 17))  # hourly
    assert task.call_local() == 1
    assert curator.head(old, headers=TUS).status_code == 404
    assert curator.head(fresh, headers=TUS).status_code == 200

    abandon(fresh)
    result = app.test_cli_runner().invoke(args=["models", "clean-uploads"])
    assert result.exit_code == 0 and "Removed 1 abandoned uploads." in result.output
    assert curator.head(fresh, headers=TUS).status_code == 404
    shutil.rmtree(folder)
    assert app.test_cli_runner().invoke(args=["models", "clean-uploads"]).exit_code == 0


def test_finishing_a_direct_upload_leaves_the_object_to_the_job(
    curator: Any, db: Any, store: Any, backend: str, testdata: Path, monkeypatch: Any
) -> None:
    """The web process records the upload and queues it; the job reads the object, keeps
    it under its hash and removes it from ``incoming/``."""
    from tours.blobstore.multipart import incoming_key
    from tours.models import ModelAsset
    from webapp.extensions import jobs

    if backend != "postgres-s3":
        answer = curator.post("/api/v1/s3-uploads/finish", json={"key": incoming_key()})
        assert answer.status_code == 409
        return
    data = (testdata / "Duck.glb").read_bytes()
    key = incoming_key()
    store.put_bytes(key, data, "application/octet-stream")  # as the browser left it
    huey = jobs.queue.huey
    huey.immediate = False  # queue the job instead of running it inside the request
    opened: list[str] = []
    real_open = type(store).open

    def watched_open(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        opened.append(name)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(type(store), "open", watched_open)
    finished = curator.post("/api/v1/s3-uploads/finish", json={"key": key, "name": "Duck.glb"})
    assert finished.status_code == 200, finished.json
    assert opened == []  # the request never read the object
    asset = db.get(ModelAsset, finished.json["model"]["id"])
    assert (asset.status, asset.original_key, asset.size_bytes) == ("uploaded", key, len(data))
    again = curator.post("/api/v1/s3-uploads/finish", json={"key": key, "name": "Duck.glb"})
    assert again.status_code == 404  # one upload, one model

    task = huey.dequeue()
    assert task is not None
    huey.execute(task)
    assert opened and opened[0] == key  # the job did
    db.expire_all()
    asset = db.get(ModelAsset, asset.id)
    assert asset.status == "ready", asset.error_message
    assert asset.original_key.startswith("originals/") and asset.sha256 in asset.original_key
    assert store.read(asset.original_key) == data
    assert store.stat(key) is None
