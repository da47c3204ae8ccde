"""Media delivery: local files with Range/ETag/immutable caching, S3 by redirect."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tours.blobstore import IMMUTABLE


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
    assert response.headers["Cache-Control"] == IMMUTABLE
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
