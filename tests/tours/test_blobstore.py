"""One contract, two stores: the local directory and S3 (moto's server over real HTTP)."""

from __future__ import annotations

import hashlib
import io
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from tours.blobstore import (
    IMMUTABLE,
    BlobNotFound,
    BlobStore,
    BlobStoreError,
    InvalidKey,
    content_key,
    make_blob_store,
)
from tours.blobstore.local import LocalBlobStore
from tours.blobstore.multipart import UploadRequest, incoming_key
from tours.blobstore.s3 import S3BlobStore


@pytest.fixture(params=["local", "s3"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return make_blob_store({"BLOB_STORE": "local", "BLOB_DIR": str(tmp_path)})
    store = make_blob_store(
        {
            "BLOB_STORE": "s3",
            "S3_BUCKET": f"contract-{uuid.uuid4().hex[:12]}",
            "S3_ENDPOINT_URL": request.getfixturevalue("moto_endpoint"),
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
        }
    )
    store.create_if_missing()
    return store


def test_put_then_read_round_trips_bytes_and_metadata(any_store: BlobStore) -> None:
    data = bytes(range(256)) * 4096
    info = any_store.put("models/a.glb", io.BytesIO(data), "model/gltf-binary", IMMUTABLE)
    assert (info.key, info.size, info.content_type) == (
        "models/a.glb",
        len(data),
        "model/gltf-binary",
    )
    assert any_store.read("models/a.glb") == data
    stat = any_store.stat("models/a.glb")
    assert stat is not None
    assert (stat.size, stat.content_type, stat.cache_control) == (
        len(data),
        "model/gltf-binary",
        IMMUTABLE,
    )
    assert stat.etag == info.etag and stat.etag


@pytest.mark.parametrize(
    ("byte_range", "expected"),
    [((0, 0), b"0"), ((2, 5), b"2345"), ((7, None), b"789"), ((8, 100), b"89")],
)
def test_byte_ranges(
    any_store: BlobStore, byte_range: tuple[int, int | None], expected: bytes
) -> None:
    any_store.put_bytes("models/digits.bin", b"0123456789", "application/octet-stream")
    with any_store.open("models/digits.bin", byte_range) as stream:
        assert stream.read() == expected


def test_large_blob_streams_in_parts(any_store: BlobStore) -> None:
    data = hashlib.sha256(b"seed").digest() * (20 * 1024 * 1024 // 32)  # 20 MiB: multipart on S3
    any_store.put("originals/big.bin", io.BytesIO(data), "application/octet-stream")
    sink = io.BytesIO()
    any_store.copy_to("originals/big.bin", sink)
    assert hashlib.sha256(sink.getvalue()).digest() == hashlib.sha256(data).digest()


def test_missing_blob(any_store: BlobStore) -> None:
    assert any_store.stat("models/none.glb") is None
    assert not any_store.exists("models/none.glb")
    with pytest.raises(BlobNotFound):
        any_store.read("models/none.glb")
    any_store.delete("models/none.glb")  # deleting nothing is fine


def test_delete(any_store: BlobStore) -> None:
    any_store.put_bytes("posters/p.webp", b"RIFF", "image/webp")
    assert any_store.exists("posters/p.webp")
    any_store.delete("posters/p.webp")
    assert not any_store.exists("posters/p.webp")


def test_put_content_is_content_addressed_and_stored_once(any_store: BlobStore) -> None:
    data = b"glTF model bytes"
    key = any_store.put_content("models", io.BytesIO(data), "glb", "model/gltf-binary")
    assert key == content_key("models", hashlib.sha256(data).hexdigest(), "glb")
    assert any_store.put_content("models", io.BytesIO(data), "glb", "model/gltf-binary") == key
    stat = any_store.stat(key)
    assert stat is not None and stat.cache_control == IMMUTABLE
    assert any_store.read(key) == data


@pytest.mark.parametrize(
    "key",
    [
        "../etc/passwd",
        "/abs/key",
        "models/../../x",
        "models",
        "models/",
        "MODELS/x",
        "models/.hidden",
        "models/a\\b",
        "",
        "models/a b",
    ],
)
def test_unsafe_keys_are_refused(any_store: BlobStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        any_store.put_bytes(key, b"x", "text/plain")
    with pytest.raises(InvalidKey):
        any_store.stat(key)


def test_check_passes_when_reachable(any_store: BlobStore) -> None:
    any_store.check()


def test_delivery_url(any_store: BlobStore) -> None:
    any_store.put_bytes("models/d.glb", b"glb!", "model/gltf-binary")
    url = any_store.delivery_url("models/d.glb", 60)
    if isinstance(any_store, LocalBlobStore):
        assert url is None  # the app serves local blobs itself
    else:
        assert url is not None and "models/d.glb" in url and "Signature" in url
        request = urllib.request.Request(url, headers={"Range": "bytes=1-2"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert (response.status, response.read()) == (206, b"lb")


def test_local_write_is_atomic(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)

    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            raise OSError("connection dropped")

    with pytest.raises(BlobStoreError):
        store.put("models/half.glb", Broken(), "model/gltf-binary")  # type: ignore[arg-type]
    assert not store.exists("models/half.glb")
    assert [p.name for p in (tmp_path / "objects" / "models").iterdir()] == []


def test_s3_unreachable_becomes_our_error() -> None:
    store = S3BlobStore(
        bucket="b", endpoint_url="http://127.0.0.1:9", access_key="x", secret_key="y"
    )
    with pytest.raises(BlobStoreError):
        store.check()
    with pytest.raises(BlobStoreError):
        store.stat("models/x.glb")


def test_s3_public_url(moto_endpoint: str) -> None:
    store = S3BlobStore(bucket="b", endpoint_url=moto_endpoint, public_url="https://cdn.example/h/")
    assert store.delivery_url("models/x.glb") == "https://cdn.example/h/models/x.glb"


def test_unknown_store_kind() -> None:
    with pytest.raises(ValueError, match="unknown BLOB_STORE"):
        make_blob_store({"BLOB_STORE": "ftp"})


ROOT = Path(__file__).resolve().parents[2]
INTERFACE = {
    "location",
    "create_if_missing",
    "local_path",
    "takes_direct_uploads",
    "presign_upload",
    "allow_origins",
}


def test_every_store_implements_the_whole_interface() -> None:
    assert set(BlobStore.__abstractmethods__) >= INTERFACE
    for store in (LocalBlobStore, S3BlobStore):
        assert not store.__abstractmethods__, store  # nothing left to the caller to check
        for name in BlobStore.__abstractmethods__:
            assert getattr(store, name) is not getattr(BlobStore, name), (store, name)


def test_what_differs_between_stores_is_a_method(any_store: BlobStore) -> None:
    any_store.create_if_missing()  # twice is fine
    any_store.put_bytes("models/i.glb", b"glb!", "model/gltf-binary")
    with pytest.raises(InvalidKey):
        any_store.local_path("../secret")
    request = UploadRequest("put_object", incoming_key())
    path = any_store.local_path("models/i.glb")
    if any_store.takes_direct_uploads:
        assert path is None and any_store.location.startswith("bucket ")
        url = any_store.presign_upload(request, 60)
        headers = {"Content-Type": "application/octet-stream"}
        put = urllib.request.Request(url, b"sent by a browser", headers, method="PUT")
        with urllib.request.urlopen(put, timeout=10) as response:
            assert response.status == 200
        assert any_store.read(request.key) == b"sent by a browser"
        assert any_store.allow_origins(["https://tours.example.org"]) is True
        client: Any = any_store.client  # type: ignore[attr-defined]
        rules = client.get_bucket_cors(Bucket=any_store.bucket)["CORSRules"]  # type: ignore[attr-defined]
        assert [rule["AllowedOrigins"] for rule in rules] == [["https://tours.example.org"]]
    else:
        assert path is not None and path.read_bytes() == b"glb!"
        assert any_store.location == f"folder {path.parents[2]}"
        with pytest.raises(BlobStoreError):
            any_store.presign_upload(request, 60)
        assert any_store.allow_origins(["https://tours.example.org"]) is False


def test_the_web_layer_never_asks_which_store_it_has() -> None:
    for path in (ROOT / "webapp").rglob("*.py"):
        text = path.read_text()
        for sign in ("LocalBlobStore", "S3BlobStore", "DirectUploads", "hasattr(", "blobstore.s3"):
            assert sign not in text, (path, sign)
