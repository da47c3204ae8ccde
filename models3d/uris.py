"""Confinement of URIs found in glTF files and MTL/OBJ references.

Only relative names that exist inside the upload folder, or ``data:`` URIs of allowed
media types, are accepted. Never a network request, never a read outside the folder.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from models3d.errors import ModelError

DATA_MEDIA_TYPES = frozenset(
    {
        "application/octet-stream",
        "application/gltf-buffer",
        "image/png",
        "image/jpeg",
        "image/webp",
    }
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Resource:
    """A resolved reference: either embedded bytes or a confined file path."""

    data: bytes | None = None
    path: Path | None = None
    media_type: str | None = None


def _check_relative(decoded: str, uri: str) -> str:
    unified = decoded.replace("\\", "/")
    detail = {"uri": uri[:200]}
    if "\0" in unified:
        raise ModelError("unsafe_path", detail)
    if unified.startswith("//"):
        raise ModelError("external_uri_not_allowed", {**detail, "reason": "network path"})
    if unified.startswith("/") or _DRIVE.match(unified) or unified.startswith("~"):
        raise ModelError("unsafe_path", {**detail, "reason": "absolute path"})
    if any(p == ".." for p in unified.split("/")):
        raise ModelError("unsafe_path", {**detail, "reason": "parent directory reference"})
    return unified


def _data_uri(uri: str) -> Resource:
    header, sep, payload = uri[5:].partition(",")
    if not sep:
        raise ModelError("parse_error", {"uri": uri[:60], "reason": "malformed data URI"})
    params = header.split(";")
    media_type = params[0].strip().lower() or "text/plain"
    if media_type not in DATA_MEDIA_TYPES:
        raise ModelError(
            "external_uri_not_allowed",
            {"uri": uri[:60], "reason": f"embedded data of type {media_type}"},
        )
    try:
        if "base64" in params[1:]:
            data = base64.b64decode(payload, validate=True)
        else:
            data = unquote(payload).encode("latin-1")
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise ModelError("parse_error", {"uri": uri[:60], "reason": "bad data URI"}) from exc
    return Resource(data=data, media_type=media_type)


def resolve_uri(uri: str, base_dir: Path | None) -> Resource:
    """Resolve a glTF URI against ``base_dir`` (the upload folder; None for a single file).

    Raises ``external_uri_not_allowed`` (schemes, network paths, data of a wrong type),
    ``unsafe_path`` (absolute, ``..`` in any encoding) or ``missing_resource``.
    """
    if not isinstance(uri, str):
        raise ModelError("invalid_gltf", {"reason": "uri is not a string"})
    if uri[:5].lower() == "data:":
        return _data_uri(uri)
    scheme = _SCHEME.match(uri)
    if scheme:
        if len(scheme.group(1)) == 1:
            raise ModelError("unsafe_path", {"uri": uri[:200], "reason": "drive letter"})
        raise ModelError("external_uri_not_allowed", {"uri": uri[:200]})
    _check_relative(uri, uri)
    # Check every percent-decoding stage, so %2e%2e and %252e%252e are caught too.
    stage = uri
    for _ in range(4):
        decoded = unquote(stage)
        if decoded == stage:
            break
        inner = _SCHEME.match(decoded)
        if inner and len(inner.group(1)) > 1:
            raise ModelError("external_uri_not_allowed", {"uri": uri[:200]})
        _check_relative(decoded, uri)
        stage = decoded
    rel = _check_relative(unquote(uri), uri)
    if base_dir is None:
        raise ModelError("missing_resource", {"uri": uri[:200]})
    return Resource(path=_file_inside(base_dir, rel, uri))


def read_resource(uri: str, base_dir: Path | None, max_bytes: int) -> bytes:
    """Resolve ``uri`` (see :func:`resolve_uri`) and return its bytes (at most ``max_bytes``)."""
    res = resolve_uri(uri, base_dir)
    if res.data is not None:
        return res.data
    assert res.path is not None
    if res.path.stat().st_size > max_bytes:
        raise ModelError("archive_too_large", {"uri": uri[:200]})
    return res.path.read_bytes()


def resolve_local_name(name: str, base_dir: Path | None) -> Path | None:
    """Resolve a plain file name from an OBJ/MTL file inside ``base_dir``.

    Applies the same confinement as :func:`resolve_uri` (without percent-decoding).
    Returns None when ``base_dir`` is None (a single uploaded file has no companions);
    raises ``missing_resource`` when the file is not in the upload.
    """
    scheme = _SCHEME.match(name)
    if scheme:
        if len(scheme.group(1)) == 1:
            raise ModelError("unsafe_path", {"uri": name[:200], "reason": "drive letter"})
        raise ModelError("external_uri_not_allowed", {"uri": name[:200]})
    rel = _check_relative(name, name)
    if base_dir is None:
        return None
    return _file_inside(base_dir, rel, name)


def _file_inside(base_dir: Path, rel: str, uri: str) -> Path:
    """The existing file ``rel`` inside ``base_dir``, reached without symbolic links or
    ``..``; ``unsafe_path`` or ``missing_resource`` (naming ``uri``) otherwise."""
    root = base_dir.resolve()
    candidate = root / rel
    if candidate.is_symlink():
        raise ModelError("unsafe_path", {"uri": uri[:200], "reason": "symbolic link"})
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root):
        raise ModelError("unsafe_path", {"uri": uri[:200]})
    if not resolved.is_file():
        raise ModelError("missing_resource", {"uri": uri[:200]})
    return resolved
