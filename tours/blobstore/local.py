"""A blob store in a local directory: objects in ``objects/``, their metadata beside them."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any, BinaryIO

from tours.blobstore import CHUNK, BlobInfo, BlobNotFound, BlobStore, BlobStoreError, check_key
from tours.blobstore.multipart import UploadRequest


class _RangeReader(io.RawIOBase):
    """A read-only window of ``length`` bytes over an open file."""

    def __init__(self, file: BinaryIO, length: int) -> None:
        self._file = file
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        data = self._file.read(min(len(buffer), self._left))
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)

    def close(self) -> None:
        self._file.close()
        super().close()


class LocalBlobStore(BlobStore):
    """Blobs as files under ``root``. Writes go to a temporary file, then an atomic rename."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._objects = self.root / "objects"
        self._meta = self.root / "meta"

    def _paths(self, key: str) -> tuple[Path, Path]:
        check_key(key)
        return self._objects / key, self._meta / f"{key}.json"

    def local_path(self, key: str) -> Path:
        return self._paths(key)[0]

    @property
    def location(self) -> str:
        return f"folder {self.root}"

    def create_if_missing(self) -> None:
        try:
            self._objects.mkdir(parents=True, exist_ok=True)
            self._meta.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BlobStoreError(f"could not create {self.root}: {error}") from error

    @property
    def takes_direct_uploads(self) -> bool:
        return False  # uploads come through the app (tus), which writes them here

    def presign_upload(self, request: UploadRequest, expires_in: int) -> str:
        raise BlobStoreError(f"the {self.location} takes uploads through the app")

    def allow_origins(self, origins: list[str]) -> bool:
        return False  # the app serves local blobs from its own origin

    def put(
        self, key: str, data: IO[bytes], content_type: str, cache_control: str | None = None
    ) -> BlobInfo:
        target, meta = self._paths(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            meta.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.md5(usedforsecurity=False)
            size = 0
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    while chunk := data.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
                info = BlobInfo(key, size, content_type, digest.hexdigest(), cache_control)
                meta.write_text(json.dumps(info.__dict__))
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
        except OSError as error:
            raise BlobStoreError(f"could not write {key}: {error}") from error
        return info

    def open(self, key: str, byte_range: tuple[int, int | None] | None = None) -> BinaryIO:
        target, _meta = self._paths(key)
        try:
            file = target.open("rb")
        except FileNotFoundError as error:
            raise BlobNotFound(key) from error
        if byte_range is None:
            return file
        start, end = byte_range
        size = os.fstat(file.fileno()).st_size
        last = size - 1 if end is None else min(end, size - 1)
        file.seek(start)
        return io.BufferedReader(_RangeReader(file, max(0, last - start + 1)))

    def stat(self, key: str) -> BlobInfo | None:
        target, meta = self._paths(key)
        if not target.is_file():
            return None
        try:
            return BlobInfo(**json.loads(meta.read_text()))
        except (OSError, ValueError) as error:
            raise BlobStoreError(f"metadata of {key} unreadable: {error}") from error

    def delete(self, key: str) -> None:
        for path in self._paths(key):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def delivery_url(self, key: str, expires_in: int = 3600) -> str | None:
        check_key(key)
        return None

    def check(self) -> None:
        try:
            self._objects.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self._objects, prefix=".probe-")  # noqa: SIM115
            probe.close()
        except OSError as error:
            raise BlobStoreError(f"blob directory {self.root} is not writable: {error}") from error
