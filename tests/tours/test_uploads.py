"""Chunked (tus) uploads on disk: names, limits, offsets, owners, stale uploads."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from tours.uploads import ChunkedUploads, UploadError, sanitize_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Duck.glb", "Duck.glb"),
        ("../../etc/passwd", "passwd"),
        ("C:\\scans\\Ngọ Môn.obj", "Ngọ Môn.obj"),
        ("a\x00b\nc.stl", "abc.stl"),
        ("<script>.glb", "_script_.glb"),
        ("...", "upload"),
        ("", "upload"),
        ("x" * 300 + ".glb", "x" * 251 + ".glb"),
        ("y" * 300, "y" * 255),
    ],
)
def test_sanitize_name(name: str, expected: str) -> None:
    assert sanitize_name(name) == expected


def _code(call: object) -> str:
    with pytest.raises(UploadError) as raised:
        call()  # type: ignore[operator]
    return raised.value.code


def test_chunks_append_in_order_and_stay_in_their_folder(tmp_path: Path) -> None:
    uploads = ChunkedUploads(tmp_path / "uploads", max_bytes=100)
    upload = uploads.create(10, "../a.glb", owner=1, options={"unit": "m"})
    assert upload.name == "a.glb"
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == [
        f"{upload.id}.json",
        f"{upload.id}.part",
    ]
    assert uploads.append(upload.id, 1, 0, io.BytesIO(b"01234")).offset == 5
    assert _code(lambda: uploads.append(upload.id, 1, 0, io.BytesIO(b"x"))) == "offset_mismatch"
    assert _code(lambda: uploads.get(upload.id, 2)) == "upload_not_found"
    assert _code(lambda: uploads.open_complete(uploads.get(upload.id, 1))) == "upload_incomplete"
    too_long = lambda: uploads.append(upload.id, 1, 5, io.BytesIO(b"567890"))  # noqa: E731
    assert _code(too_long) == "upload_too_large"
    assert uploads.get(upload.id, 1).offset == 5  # the over-long chunk left nothing behind
    done = uploads.append(upload.id, 1, 5, io.BytesIO(b"56789"))
    assert done.complete
    with uploads.open_complete(done) as stream:
        assert stream.read() == b"0123456789"
    uploads.delete(upload.id)
    assert list((tmp_path / "uploads").iterdir()) == []


@pytest.mark.parametrize("upload_id", ["../x", "a" * 31, "A" * 32, "/etc/passwd", ""])
def test_ids_never_name_other_files(tmp_path: Path, upload_id: str) -> None:
    uploads = ChunkedUploads(tmp_path, max_bytes=100)
    assert _code(lambda: uploads.get(upload_id, 1)) == "upload_not_found"


def test_limits(tmp_path: Path) -> None:
    uploads = ChunkedUploads(tmp_path, max_bytes=100)
    assert _code(lambda: uploads.create(101, "a", 1, {})) == "upload_too_large"
    assert _code(lambda: uploads.create(0, "a", 1, {})) == "empty_upload"


def test_stale_uploads_are_removed(tmp_path: Path) -> None:
    uploads = ChunkedUploads(tmp_path, max_bytes=100)
    old = uploads.create(5, "old", 1, {})
    fresh = uploads.create(5, "fresh", 1, {})
    past = time.time() - 2 * 24 * 3600
    for suffix in (".json", ".part"):
        os.utime(tmp_path / f"{old.id}{suffix}", (past, past))
    uploads.remove_stale()
    assert _code(lambda: uploads.get(old.id, 1)) == "upload_not_found"
    assert uploads.get(fresh.id, 1).offset == 0


def test_one_request_at_a_time_holds_an_upload(tmp_path: Path) -> None:
    uploads = ChunkedUploads(tmp_path, max_bytes=100)
    upload = uploads.create(10, "a.glb", 1, {})
    with uploads.lease(upload.id, 1) as held:
        # Another request (here the same thread, with its own open file) is refused at once.
        assert _code(lambda: uploads.append(upload.id, 1, 0, io.BytesIO(b"x"))) == "upload_busy"
        past = time.time() - 2 * 24 * 3600
        for suffix in (".json", ".part"):
            os.utime(tmp_path / f"{upload.id}{suffix}", (past, past))
        assert uploads.remove_stale() == 0  # held: not abandoned
        uploads.write(held, 0, io.BytesIO(b"01234"))
        assert uploads.rewind(held, 2).offset == 2
    assert uploads.get(upload.id, 1).offset == 2
    assert uploads.append(upload.id, 1, 2, io.BytesIO(b"x")).offset == 3
    with uploads.lease(upload.id, 1):
        uploads.delete(upload.id)
    assert _code(lambda: uploads.append(upload.id, 1, 3, io.BytesIO(b"x"))) == "upload_not_found"


def test_unfinished_uploads_are_capped_per_owner(tmp_path: Path) -> None:
    uploads = ChunkedUploads(tmp_path, max_bytes=100, max_unfinished=2)
    first = uploads.create(5, "a", 1, {})
    uploads.create(5, "b", 1, {})
    assert _code(lambda: uploads.create(5, "c", 1, {})) == "too_many_uploads"
    assert uploads.create(5, "c", 2, {}).owner == 2
    uploads.delete(first.id)
    assert uploads.create(5, "c", 1, {}).owner == 1
