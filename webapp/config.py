"""Every setting of the app, read from the environment in this one place.

``load_config`` returns the defaults overlaid with ``HERITOUR_*`` environment variables
and then with the mapping passed to ``create_app`` (tests pass one). The README lists
each variable.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from models3d import Limits
from tours.locales import DEFAULT_LOCALE

MB = 1024 * 1024
_LIMITS = Limits()  # the ingest limits' defaults live in models3d; settings start from them

# name -> (default, parser). A default of None means "derived from the instance folder".
_SETTINGS: dict[str, tuple[Any, type]] = {
    "SECRET_KEY": (None, str),
    "DATABASE_URL": (None, str),
    "BLOB_STORE": ("local", str),
    "BLOB_DIR": (None, str),
    "S3_BUCKET": ("heritour", str),
    "S3_ENDPOINT_URL": ("", str),
    "S3_REGION": ("us-east-1", str),
    "S3_ACCESS_KEY_ID": ("", str),
    "S3_SECRET_ACCESS_KEY": ("", str),
    "S3_PUBLIC_URL": ("", str),
    "S3_CREATE_BUCKET": (False, bool),
    "PRESIGN_SECONDS": (3600, int),
    "JOBS": ("sqlite", str),
    "JOBS_QUEUE": ("heritour", str),
    "JOBS_SQLITE_PATH": (None, str),
    "JOBS_WORKERS": (1, int),
    "JOBS_LEASE_SECONDS": (60, int),
    "JOBS_MAX_ATTEMPTS": (3, int),
    "REDIS_URL": ("redis://127.0.0.1:6379/0", str),
    "MAX_UPLOAD_MB": (_LIMITS.max_upload_bytes // MB, int),
    "MAX_UNPACKED_MB": (_LIMITS.max_unpacked_bytes // MB, int),
    "MAX_ARCHIVE_FILES": (_LIMITS.max_archive_files, int),
    "MAX_TRIANGLES": (_LIMITS.max_triangles, int),
    "MAX_VERTICES": (_LIMITS.max_vertices, int),
    "MAX_POINTS": (_LIMITS.max_points, int),
    "MAX_TEXTURE_PIXELS": (_LIMITS.max_texture_pixels, int),
    "MAX_PANORAMA_WIDTH": (_LIMITS.max_panorama_width, int),
    "MAX_PANORAMA_HEIGHT": (_LIMITS.max_panorama_height, int),
    "PROCESS_TIME_LIMIT_S": (int(_LIMITS.time_limit_s), int),
    "PROCESS_MEMORY_MB": (_LIMITS.memory_limit_bytes // MB, int),
    "SITE_NAME": ("Heritour", str),
    # The site's public address (scheme and host, e.g. https://tours.example.org): printed
    # QR codes, short links and shared links use it, never the address a page was opened on.
    "PUBLIC_URL": ("", str),
    # Origins (space-separated CSP sources) whose pages may frame the embed pages; every
    # other page refuses to be framed.
    "EMBED_ANCESTORS": ("*", str),
    "SESSION_COOKIE_SECURE": (True, bool),
    # Proxies in front of the app (webapp/proxies.py): empty for none, a number of hops,
    # or proxy addresses/networks; and the host names the site answers to (others get 400).
    "TRUSTED_PROXIES": ("", str),
    "ALLOWED_HOSTS": ("", str),
    "LOGIN_RATE_LIMIT": ("10 per minute", str),
    "API_TOKEN_RATE_LIMIT": ("600 per minute", str),
    # Public reads of the API (/api/v1/ catalogue, tours, stops, dumps; IIIF) per client address.
    "API_READ_RATE_LIMIT": ("120 per minute", str),
    "RATELIMIT_STORAGE_URI": ("memory://", str),
    "UPLOAD_CHUNK_MB": (8, int),
    "UPLOAD_DIR": (None, str),
    # Uploads a curator may have started and not finished at once (0: no limit).
    "MAX_UNFINISHED_UPLOADS": (20, int),
    "MAX_AUDIO_MB": (50, int),
    # Images in narration and hotspot texts: file size, and pixels (width x height) and
    # longest side checked from the header before anything is decoded.
    "MAX_IMAGE_MB": (20, int),
    "MAX_IMAGE_PIXELS": (40_000_000, int),
    "MAX_IMAGE_SIDE": (12_000, int),
    # Caching of public pages (seconds): browsers revalidate after PAGE_MAX_AGE, shared
    # caches (a proxy, a CDN) keep a page PAGE_SHARED_MAX_AGE and may then serve it for
    # PAGE_STALE_WHILE_REVALIDATE more while they fetch the new one.
    "PAGE_MAX_AGE": (0, int),
    "PAGE_SHARED_MAX_AGE": (10, int),
    "PAGE_STALE_WHILE_REVALIDATE": (60, int),
    # Visitor insight (counts without tracking, see tours.insight): on or off, and when the
    # counts gathered in a web process are written (after this many events or seconds).
    "INSIGHT": (True, bool),
    "INSIGHT_BATCH": (200, int),
    "INSIGHT_FLUSH_SECONDS": (10, int),
}


def _parse(value: str, kind: type) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def _secret_key(instance: Path) -> str:
    """A key kept in the instance folder, so sessions survive restarts of a dev server."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance: Path, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The app's settings: defaults, then ``HERITOUR_<NAME>`` variables, then ``overrides``."""
    config: dict[str, Any] = {}
    for name, (default, kind) in _SETTINGS.items():
        raw = os.environ.get(f"HERITOUR_{name}")
        config[name] = _parse(raw, kind) if raw is not None else default
    config.update(overrides or {})
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'heritour.db'}"
    if not config["BLOB_DIR"]:
        config["BLOB_DIR"] = str(instance / "blobs")
    if not config["UPLOAD_DIR"]:
        config["UPLOAD_DIR"] = str(instance / "uploads")
    if not config["JOBS_SQLITE_PATH"]:
        config["JOBS_SQLITE_PATH"] = str(instance / "jobs.db")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _secret_key(instance)
    config["MAX_CONTENT_LENGTH"] = ingest_limits(config).max_upload_bytes
    config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent.parent / "translations")
    )
    # Cookies (the session's and the language's) are never readable by scripts nor sent
    # with requests from other sites' forms, whatever the overrides say.
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    return config


def ingest_limits(config: Mapping[str, Any]) -> Limits:
    """The size, triangle and time limits set in the app's configuration (one reading)."""
    return Limits(
        max_upload_bytes=config["MAX_UPLOAD_MB"] * MB,
        max_unpacked_bytes=config["MAX_UNPACKED_MB"] * MB,
        max_archive_files=config["MAX_ARCHIVE_FILES"],
        max_triangles=config["MAX_TRIANGLES"],
        max_vertices=config["MAX_VERTICES"],
        max_points=config["MAX_POINTS"],
        max_texture_pixels=config["MAX_TEXTURE_PIXELS"],
        max_panorama_width=config["MAX_PANORAMA_WIDTH"],
        max_panorama_height=config["MAX_PANORAMA_HEIGHT"],
        time_limit_s=config["PROCESS_TIME_LIMIT_S"],
        memory_limit_bytes=config["PROCESS_MEMORY_MB"] * MB,
    )
