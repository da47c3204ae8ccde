"""Resumable uploads in chunks (the server side of the tus protocol, minus HTTP).

Each upload is a pair of files in one folder: ``<id>.part`` (the bytes so far) and
``<id>.json`` (its declared length, name, options and owner). Upload ids are random hex,
checked before any path is built, so no request can name a file outside the folder.
A chunk must start where the last one ended; the total can never exceed the declared
length, and the declared length can never exceed the configured limit.

Only one request at a time may write to an upload: :meth:`ChunkedUploads.lease` takes an
exclusive ``flock`` on the ``.part`` file without waiting, and a second request is told
``upload_busy`` at once. The lock lives with the bytes, so it holds between threads,
between gunicorn processes, and between machines sharing the folder over NFS (which
carries ``flock`` as a lock of the file server); the kernel releases it when a process dies.
A curator may hold a limited number of unfinished uploads; the ones nobody touched for a
day are removed by a periodic job (:meth:`ChunkedUploads.remove_stale`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from tours.errors import CodedError

CHUNK = 1024 * 1024
STALE_SECONDS = 24 * 3600
_ID = re.compile(r"^[0-9a-f]{32}$")
_UNSAFE = re.compile(r"[^\w .()+-]+")


class UploadError(CodedError):
    """An upload request that cannot be accepted."""


@dataclass
class Upload:
    """What is known about one upload in progress."""

    id: str
    length: int
    name: str
    owner: int
    options: dict[str, Any] = field(default_factory=dict)
    offset: int = 0

    @property
    def complete(self) -> bool:
        return self.offset == self.length


def sanitize_name(name: str, default: str = "upload") -> str:
    """A file name safe to show and store: no folders, no control characters, 1-255 chars."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > 255:  # keep the extension: ingest reads the format from it
        stem, dot, extension = name.rpartition(".")
        name = (
            stem[: 254 - len(extension)] + dot + extension
            if dot and len(extension) <= 8
            else name[:255]
        )
    return name or default


class ChunkedUploads:
    """Uploads in progress, kept in ``root`` (a folder inside the app's instance folder)."""

    def __init__(
        self, root: str | os.PathLike[str], max_bytes: int, max_unfinished: int = 0
    ) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.max_unfinished = max_unfinished  # per owner; 0: no limit

    def _paths(self, upload_id: str) -> tuple[Path, Path]:
        if not _ID.match(upload_id):
            raise UploadError("upload_not_found", "No upload has this id.")
        return self.root / f"{upload_id}.part", self.root / f"{upload_id}.json"

    def create(self, length: int, name: str, owner: int, options: dict[str, Any]) -> Upload:
        """Start an upload of ``length`` bytes."""
        if length <= 0:
            raise UploadError("empty_upload", "The file is empty.")
        if length > self.max_bytes:
            raise UploadError(
                "upload_too_large",
                f"The file is larger than the limit of {self.max_bytes // (1024 * 1024)} MB.",
            )
        self.root.mkdir(parents=True, exist_ok=True)
        self.remove_stale()
        if self.max_unfinished and self.count(owner) >= self.max_unfinished:
            raise UploadError(
                "too_many_uploads",
                f"{self.max_unfinished} uploads are unfinished; finish or cancel one first.",
            )
        upload = Upload(secrets.token_hex(16), length, sanitize_name(name), owner, options)
        part, meta = self._paths(upload.id)
        part.touch(mode=0o600)
        meta.write_text(json.dumps(asdict(upload)))
        return upload

    def get(self, upload_id: str, owner: int) -> Upload:
        """The upload ``upload_id`` of ``owner``; someone else's upload is not found."""
        part, meta = self._paths(upload_id)
        try:
            data = json.loads(meta.read_text())
            data["offset"] = part.stat().st_size
        except (OSError, ValueError) as error:
            raise UploadError("upload_not_found", "No upload has this id.") from error
        upload = Upload(**data)
        if upload.owner != owner:
            raise UploadError("upload_not_found", "No upload has this id.")
        return upload

    def count(self, owner: int) -> int:
        """How many unfinished uploads ``owner`` has."""
        found = 0
        for meta in self.root.glob("*.json"):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                found += json.loads(meta.read_text()).get("owner") == owner
        return found

    @contextlib.contextmanager
    def lease(self, upload_id: str, owner: int) -> Iterator[Upload]:
        """Hold the upload alone while the block runs (it may write, finish or delete it).

        Raises ``upload_busy`` at once when another request holds it."""
        part, _meta = self._paths(upload_id)
        try:
            handle = part.open("rb")
        except OSError as error:
            raise UploadError("upload_not_found", "No upload has this id.") from error
        with handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise UploadError(
                    "upload_busy", "Another request is sending this upload."
                ) from error
            try:
                # Read again under the lock: the holder before may have finished or deleted it.
                upload = self.get(upload_id, owner)
                if os.fstat(handle.fileno()).st_ino != part.stat().st_ino:
                    raise UploadError("upload_not_found", "No upload has this id.")
                yield upload
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def append(self, upload_id: str, owner: int, offset: int, data: IO[bytes]) -> Upload:
        """Write the chunk in ``data`` at ``offset``, which must be where the last one ended."""
        with self.lease(upload_id, owner) as upload:
            return self.write(upload, offset, data)

    def write(self, upload: Upload, offset: int, data: IO[bytes]) -> Upload:
        """:meth:`append` for an upload the caller holds with :meth:`lease`."""
        if offset != upload.offset:
            raise UploadError(
                "offset_mismatch", f"The upload is at byte {upload.offset}, not {offset}."
            )
        part, _meta = self._paths(upload.id)
        left = upload.length - upload.offset
        with part.open("r+b") as out:
            out.seek(upload.offset)
            while chunk := data.read(min(CHUNK, left + 1)):
                if len(chunk) > left:
                    out.truncate(upload.offset)
                    raise UploadError(
                        "upload_too_large", "The chunks are longer than the declared length."
                    )
                out.write(chunk)
                left -= len(chunk)
                upload.offset += len(chunk)
        return upload

    def open_complete(self, upload: Upload) -> IO[bytes]:
        """The finished file, for reading."""
        if not upload.complete:
            raise UploadError("upload_incomplete", "The upload is not finished.")
        return self._paths(upload.id)[0].open("rb")

    def rewind(self, upload: Upload, offset: int) -> Upload:
        """Drop the bytes after ``offset`` (a chunk whose upload could not be finished), so
        that the client sends them again; for an upload held with :meth:`lease`."""
        with self._paths(upload.id)[0].open("r+b") as out:
            out.truncate(offset)
        upload.offset = offset
        return upload

    def delete(self, upload_id: str) -> None:
        """Forget an upload and its bytes."""
        for path in self._paths(upload_id):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def remove_stale(self, now: float | None = None) -> int:
        """Remove uploads nobody touched for a day (none that a request holds); how many."""
        limit = (now or time.time()) - STALE_SECONDS
        removed = 0
        for meta in self.root.glob("*.json"):
            part = meta.with_suffix(".part")
            with contextlib.suppress(OSError):
                touched = max(meta.stat().st_mtime, part.stat().st_mtime if part.exists() else 0)
                if touched < limit and _ID.match(meta.stem):
                    removed += self._remove_idle(meta.stem)
        return removed

    def _remove_idle(self, upload_id: str) -> int:
        part, _meta = self._paths(upload_id)
        try:
            handle = part.open("rb")
        except FileNotFoundError:
            self.delete(upload_id)  # metadata without bytes
            return 1
        with handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0  # a request is sending it right now: not stale
            self.delete(upload_id)
        return 1
