"""Delivering static files and media to phones: fingerprinted URLs and compressed bodies.

``url_for("static", filename=...)`` gains ``?v=<hash of the file>``. A request that carries
the file's current hash is answered with a year-long immutable ``Cache-Control``; other
requests revalidate. Text-like bodies (scripts, styles, JSON, SVG, WebAssembly, glTF,
captions, pages) are sent with brotli or gzip when the browser accepts it.

Pages and JSON are compressed by Flask-Compress. Files (static and local media) are not: we
keep our own delivery for them because Flask-Compress compresses a streamed file again on
every request, at a low level and also on partial (206) answers, where we send copies made
once per file at the best level (measured by ``python -m bench static_delivery``). Those
copies are made once per process and kept in memory; the large third-party files
(model-viewer, decoders) are compressed at setup instead (``flask static precompress``, run
by ``make setup``): ``NAME.br`` and ``NAME.gz`` beside each file, used while they are newer
than it, so no visitor waits for the best compression.

Fingerprints stay ours too: WhiteNoise marks a file immutable only by a hashed file name
written at build time, while ``?v=`` needs no build step, and it could not serve the blob
store's media, which share this delivery.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import brotli
from flask import Flask, Response, current_app, request
from flask_compress import Compress
from werkzeug.security import safe_join

from tours.blobstore import IMMUTABLE, BlobStore, InvalidKey

COMPRESSIBLE = {
    "application/javascript",
    "text/javascript",
    "text/css",
    "text/html",
    "text/plain",
    "text/vtt",
    "application/json",
    "application/ld+json",
    "application/manifest+json",
    "text/csv",
    "image/svg+xml",
    "application/wasm",
    "model/gltf-binary",
    "model/gltf+json",
}
MIN_BYTES = 1024
MAX_FILE_BYTES = 32 * 1024 * 1024
CACHE_BYTES = 96 * 1024 * 1024
# Static files are few and small: the best ratio is worth a second once. Media files can be
# several megabytes: a fast setting keeps the first download quick.
STATIC_QUALITY = {"br": 11, "gzip": 9}
MEDIA_QUALITY = {"br": 5, "gzip": 6}
# Pages and JSON change on each request: Flask-Compress's fast levels (brotli 4, gzip 6).
PAGE_COMPRESSION = {
    "COMPRESS_REGISTER": False,  # init_assets calls it for the responses that are not files
    "COMPRESS_MIMETYPES": sorted(COMPRESSIBLE),
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIN_SIZE": MIN_BYTES,
    "COMPRESS_BR_LEVEL": 4,
    "COMPRESS_LEVEL": 6,
    "COMPRESS_STREAMS": False,
}


SUFFIXES = {"br": ".br", "gzip": ".gz"}


def _encode(data: bytes, encoding: str, quality: int) -> bytes:
    if encoding == "br":
        result: bytes = brotli.compress(data, quality=quality)
        return result
    return gzip.compress(data, compresslevel=quality, mtime=0)


class CompressedFiles:
    """Compressed copies of files, keyed by path, size, mtime and encoding; bounded in size."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple[str, int, int, str], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, path: Path, encoding: str, quality: int) -> bytes | None:
        """The compressed bytes of ``path``, or None when the file is too large or missing."""
        try:
            stat = path.stat()
        except OSError:
            return None
        if stat.st_size > MAX_FILE_BYTES:
            return None
        key = (str(path), stat.st_size, stat.st_mtime_ns, encoding)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        body = _precompressed(path, stat.st_mtime_ns, encoding)
        if body is None:
            body = _encode(path.read_bytes(), encoding, quality)
        with self._lock:
            self._items[key] = body
            self._size += len(body)
            while self._size > self.limit and len(self._items) > 1:
                _old, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)
        return body


def _precompressed(path: Path, mtime_ns: int, encoding: str) -> bytes | None:
    """The bytes of ``path``'s compressed copy made at setup, if it is newer than the file."""
    copy = path.with_name(path.name + SUFFIXES[encoding])
    try:
        if copy.stat().st_mtime_ns >= mtime_ns:
            return copy.read_bytes()
    except OSError:
        pass
    return None


def precompress(folder: Path) -> list[Path]:
    """Write ``.br`` and ``.gz`` copies of the compressible files under ``folder``."""
    written = []
    for path in sorted(folder.rglob("*")):
        mimetype, _ = mimetypes.guess_type(path.name)
        if not path.is_file() or mimetype not in COMPRESSIBLE or path.stat().st_size < MIN_BYTES:
            continue
        data = path.read_bytes()
        for encoding, suffix in SUFFIXES.items():
            copy = path.with_name(path.name + suffix)
            copy.write_bytes(_encode(data, encoding, STATIC_QUALITY[encoding]))
            written.append(copy)
    return written


class Fingerprints:
    """Short content hashes of static files, recomputed when a file changes."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[int, str]] = {}

    def of(self, path: Path) -> str | None:
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            return None
        cached = self._known.get(str(path))
        if cached and cached[0] == mtime:
            return cached[1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self._known[str(path)] = (mtime, digest)
        return digest


def _static_path(app: Flask, filename: str) -> Path | None:
    if app.static_folder is None:
        return None
    joined = safe_join(app.static_folder, filename)
    return Path(joined) if joined and os.path.isfile(joined) else None


def static_fingerprint(filename: str) -> str | None:
    """The fingerprint of the static file ``filename`` (what ``?v=`` carries)."""
    path = _static_path(current_app, filename)
    fingerprints: Fingerprints = current_app.extensions["fingerprints"]
    return fingerprints.of(path) if path else None


def _file_behind(response: Response) -> tuple[Path, dict[str, int]] | None:
    """The file a streamed static or media response sends, with its compression settings."""
    args = request.view_args or {}
    if request.endpoint == "static":
        path = _static_path(current_app, str(args.get("filename", "")))
        return (path, STATIC_QUALITY) if path else None
    if request.endpoint == "media.blob":
        store: BlobStore = current_app.extensions["blob_store"]
        try:
            path = store.local_path(str(args.get("key", "")))
        except InvalidKey:
            return None
        return (path, MEDIA_QUALITY) if path else None
    return None


def _accepted_encoding() -> str | None:
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted[encoding]:
            return encoding
    return None


def compress_file(response: Response) -> Response:
    """Send the compressed copy of the file behind ``response`` when the browser accepts it."""
    if (
        request.method != "GET"
        or response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
    ):
        return response
    response.vary.add("Accept-Encoding")
    encoding = _accepted_encoding()
    found = _file_behind(response)
    if encoding is None or found is None:
        return response
    path, quality = found
    if path.stat().st_size < MIN_BYTES:
        return response
    cache: CompressedFiles = current_app.extensions["compressed_files"]
    body = cache.get(path, encoding, quality[encoding])
    if body is None:
        return response
    response.close()
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.headers.pop("Accept-Ranges", None)
    if response.headers.get("ETag", "").startswith('"'):
        # The same entity in another encoding: a weak validator still answers If-None-Match.
        response.headers["ETag"] = "W/" + response.headers["ETag"]
    return response


def cache_static(response: Response) -> Response:
    """Year-long immutable caching for static files requested by their current fingerprint."""
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    version = request.args.get("v")
    filename = str((request.view_args or {}).get("filename", ""))
    if version and version == static_fingerprint(filename):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response


def init_assets(app: Flask) -> None:
    """Fingerprint static URLs, cache them for a year, and compress what the app sends."""
    app.extensions["fingerprints"] = Fingerprints()
    app.extensions["compressed_files"] = CompressedFiles()
    for name, value in PAGE_COMPRESSION.items():
        app.config.setdefault(name, value)
    pages = Compress(app)

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = static_fingerprint(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _deliver(response: Response) -> Response:
        response = cache_static(response)
        if response.direct_passthrough:  # a file: static or local media
            return compress_file(response)
        return pages.after_request(response)
