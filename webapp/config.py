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

LOCALES = ("vi", "en", "fr", "zh", "ko", "ja")
DEFAULT_LOCALE = "vi"

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
    "REDIS_URL": ("redis://127.0.0.1:6379/0", str),
    "MAX_UPLOAD_MB": (1024, int),
    "MAX_UNPACKED_MB": (2048, int),
    "MAX_ARCHIVE_FILES": (2000, int),
    "MAX_TRIANGLES": (10_000_000, int),
    "MAX_VERTICES": (10_000_000, int),
    "MAX_TEXTURE_PIXELS": (8192 * 8192, int),
    "PROCESS_TIME_LIMIT_S": (600, int),
    "PROCESS_MEMORY_MB": (4096, int),
    "SITE_NAME": ("Heritour", str),
    # The site's public address (scheme and host, e.g. https://tours.example.org): printed
    # QR codes, short links and shared links use it, never the address a page was opened on.
    "PUBLIC_URL": ("", str),
    "SESSION_COOKIE_SECURE": (True, bool),
    "LOGIN_RATE_LIMIT": ("10 per minute", str),
    "RATELIMIT_STORAGE_URI": ("memory://", str),
    "UPLOAD_CHUNK_MB": (8, int),
    "UPLOAD_DIR": (None, str),
    "MAX_AUDIO_MB": (50, int),
    # Images in narration and hotspot texts: file size, and pixels (width x height) and
    # longest side checked from the header before anything is decoded.
    "MAX_IMAGE_MB": (20, int),
    "MAX_IMAGE_PIXELS": (40_000_000, int),
    "MAX_IMAGE_SIDE": (12_000, int),
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
    config["MAX_CONTENT_LENGTH"] = config["MAX_UPLOAD_MB"] * 1024 * 1024
    config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent.parent / "translations")
    )
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    return config
