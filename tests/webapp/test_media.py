"""Media delivery: local files with Range/ETag/immutable caching, S3 by redirect."""

from __future__ import annotations

import io
from typing import Any

import pytest


@pytest.fixture
def model_key(store: Any) -> str:
    key: str = store.put_content("models", io.BytesIO(b"0123456789"), "glb", "model/gltf-binary")
    return key


def test_blob_is_delivered(client: Any, backend: str, model_key: str) -> None:
    response = client.get(f"/media/{model_key}")
    if backend == "postgres-s3":
        assert response.status_code == 302
        assert model_key in response.headers["Location"]
        return
    assert response.status_code == 200
    assert response.data == b"0123456789"
    assert response.headers["Content-Type"] == "model/gltf-binary"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("backend", ["sqlite-local"], indirect=True)
def test_local_range_and_conditional(client: Any, model_key: str) -> None:
    partial = client.get(f"/media/{model_key}", headers={"Range": "bytes=2-4"})
    assert (partial.status_code, partial.data) == (206, b"234")
    assert partial.headers["Content-Range"] == "bytes 2-4/10"
    etag = client.get(f"/media/{model_key}").headers["ETag"]
    again = client.get(f"/media/{model_key}", headers={"If-None-Match": etag})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    ["/media/models/missing.glb", "/media/../etc/passwd", "/media/models/..%2F..%2Fx", "/media/x"],
)
def test_missing_or_unsafe_keys_are_404(client: Any, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("backend", ["sqlite-local"], indirect=True)
@pytest.mark.parametrize(
    ("range_header", "status", "body"),
    [
        ("items=0-5", 200, b"0123456789"),  # another unit: ignored (RFC 9110, 14.2)
        ("bytes=0-1,3-4", 200, b"0123456789"),  # several ranges: the whole file instead
        ("bytes=7-", 206, b"789"),
        ("bytes=-2", 206, b"89"),
    ],
)
def test_local_ranges_follow_http(
    client: Any, model_key: str, range_header: str, status: int, body: bytes
) -> None:
    response = client.get(f"/media/{model_key}", headers={"Range": range_header})
    assert (response.status_code, response.data) == (status, body)


@pytest.mark.parametrize("backend", ["sqlite-local"], indirect=True)
def test_unsatisfiable_range_says_the_length_in_the_visitors_language(
    client: Any, model_key: str
) -> None:
    response = client.get(
        f"/media/{model_key}", headers={"Range": "bytes=50-60", "Accept-Language": "vi"}
    )
    assert response.status_code == 416
    assert response.headers["Content-Range"] == "bytes */10"
    assert "Requested Range" not in response.get_data(as_text=True)


@pytest.mark.parametrize("backend", ["sqlite-local"], indirect=True)
def test_matching_etag_wins_over_range(client: Any, model_key: str) -> None:
    etag = client.get(f"/media/{model_key}").headers["ETag"]
    response = client.get(
        f"/media/{model_key}", headers={"If-None-Match": etag, "Range": "bytes=0-3"}
    )
    assert response.status_code == 304


def test_overlong_key_is_404(client: Any) -> None:
    assert client.get("/media/models/" + "a" * 300 + ".glb").status_code == 404


def test_unreachable_store_is_503(client: Any, app: Any, monkeypatch: Any) -> None:
    from tours.blobstore import BlobStoreError

    def fail(key: str) -> None:
        raise BlobStoreError("connection refused")

    monkeypatch.setattr(app.extensions["blob_store"], "stat", fail)
    response = client.get("/media/models/abc.glb", headers={"Accept": "application/json"})
    assert response.status_code == 503
