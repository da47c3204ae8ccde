"""Blob storage behind one small interface, with a local-directory and an S3 implementation.

Model outputs, posters and originals are stored under content-addressed keys
(``<kind>/<sha256>.<ext>``), so their URLs can be cached forever.

Callers never ask which store they have: what differs (a file on this machine, uploads
straight from the browser, CORS rules, creating the bucket) is a method of every store.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from tours.blobstore.multipart import UploadRequest

IMMUTABLE = "public, max-age=31536000, immutable"
CHUNK = 1024 * 1024
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-zA-Z0-9][a-zA-Z0-9._-]*)+$")
MAX_KEY_LENGTH = 200  # keys the app makes are under 100 characters; file systems allow 255


class BlobStoreError(Exception):
    """The store could not be reached or refused an operation (worth a retry)."""


class BlobNotFound(BlobStoreError):
    """No blob is stored under the key."""


class InvalidKey(BlobStoreError):
    """A key that could name something outside the store."""


@dataclass(frozen=True)
class BlobInfo:
    """What the store knows about one blob."""

    key: str
    size: int
    content_type: str
    etag: str
    cache_control: str | None = None


def check_key(key: str) -> str:
    """Return ``key`` if it is a safe store key (``kind/name``, no ``..``), else raise."""
    if len(key) > MAX_KEY_LENGTH or not _KEY.match(key) or ".." in key:
        raise InvalidKey(f"invalid blob key: {key!r}")
    return key


def content_key(kind: str, sha256: str, extension: str) -> str:
    """The content-addressed key of a blob of ``kind`` with the given hash and extension."""
    return check_key(f"{kind}/{sha256}.{extension.lstrip('.')}")


def spool_with_hash(source: IO[bytes]) -> tuple[IO[bytes], str, int]:
    """Copy ``source`` into a temporary file; return it rewound, its sha256 and its size."""
    digest = hashlib.sha256()
    spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        spool.write(chunk)
        size += len(chunk)
    spool.seek(0)
    return spool, digest.hexdigest(), size


class BlobStore(ABC):
    """Where blobs live. Implementations turn their own failures into :class:`BlobStoreError`."""

    @abstractmethod
    def put(
        self,
        key: str,
        data: IO[bytes],
        content_type: str,
        cache_control: str | None = None,
    ) -> BlobInfo:
        """Store ``data`` (read in a stream) under ``key``; readers never see a partial blob."""

    @abstractmethod
    def open(self, key: str, byte_range: tuple[int, int | None] | None = None) -> BinaryIO:
        """A stream of the blob, or of bytes ``start..end`` (inclusive) of it."""

    @abstractmethod
    def stat(self, key: str) -> BlobInfo | None:
        """What is known about the blob, or None when there is none."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the blob; removing a missing blob is not an error."""

    @abstractmethod
    def delivery_url(self, key: str, expires_in: int = 3600) -> str | None:
        """A URL a browser can fetch the blob from directly, or None if the app must serve it."""

    @abstractmethod
    def check(self) -> None:
        """Raise :class:`BlobStoreError` when the store is not reachable."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the blobs are, for people: a folder or a bucket."""

    @abstractmethod
    def create_if_missing(self) -> None:
        """Create the folder or bucket the blobs go in, if it does not exist yet."""

    @abstractmethod
    def local_path(self, key: str) -> Path | None:
        """The file holding the blob when it is on this machine (the app then sends it with
        the operating system's help), else None."""

    @property
    @abstractmethod
    def takes_direct_uploads(self) -> bool:
        """Whether browsers send uploads straight to the store (see :meth:`presign_upload`)."""

    @abstractmethod
    def presign_upload(self, request: UploadRequest, expires_in: int) -> str:
        """A URL that lets the browser send ``request`` (checked first) for ``expires_in`` s.

        Raises :class:`BlobStoreError` when the store takes no direct uploads."""

    @abstractmethod
    def allow_origins(self, origins: list[str]) -> bool:
        """Let pages from ``origins`` fetch blobs and upload straight to the store (CORS).

        False when the store needs no such rule, because the app serves its blobs itself."""

    def exists(self, key: str) -> bool:
        """Whether a blob is stored under ``key``."""
        return self.stat(key) is not None

    def read(self, key: str) -> bytes:
        """The whole blob as bytes (for small blobs)."""
        with self.open(key) as stream:
            return stream.read()

    def put_bytes(
        self, key: str, data: bytes, content_type: str, cache_control: str | None = None
    ) -> BlobInfo:
        """Store ``data`` under ``key``."""
        import io

        return self.put(key, io.BytesIO(data), content_type, cache_control)

    def put_content(self, kind: str, data: IO[bytes], extension: str, content_type: str) -> str:
        """Store ``data`` under its content-addressed key, once; return the key."""
        return self.add_content(kind, data, extension, content_type)[0]

    def add_content(
        self, kind: str, data: IO[bytes], extension: str, content_type: str
    ) -> tuple[str, bool]:
        """Like :meth:`put_content`; also says whether this call wrote the blob (it was new)."""
        spool, sha256, _size = spool_with_hash(data)
        with spool:
            key = content_key(kind, sha256, extension)
            if self.exists(key):
                return key, False
            self.put(key, spool, content_type, IMMUTABLE)
        return key, True

    def copy_to(self, key: str, target: IO[bytes]) -> None:
        """Stream the blob into ``target``."""
        with self.open(key) as stream:
            shutil.copyfileobj(stream, target, CHUNK)


def make_blob_store(config: Mapping[str, Any]) -> BlobStore:
    """Build the store named by ``config["BLOB_STORE"]`` (``local`` or ``s3``)."""
    kind = config.get("BLOB_STORE", "local")
    if kind == "local":
        from tours.blobstore.local import LocalBlobStore

        return LocalBlobStore(config["BLOB_DIR"])
    if kind == "s3":
        from tours.blobstore.s3 import S3BlobStore

        return S3BlobStore(
            bucket=config["S3_BUCKET"],
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or None,
            access_key=config.get("S3_ACCESS_KEY_ID") or None,
            secret_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            public_url=config.get("S3_PUBLIC_URL") or None,
        )
    raise ValueError(f"unknown BLOB_STORE {kind!r}: use 'local' or 's3'")
