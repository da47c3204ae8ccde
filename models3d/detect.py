"""Format detection: magic bytes first, the original file name's extension second."""

from __future__ import annotations

import re
import struct
from pathlib import Path, PurePosixPath

from models3d.errors import ModelError

EXTENSIONS: dict[str, str] = {
    ".glb": "glb",
    ".gltf": "gltf",
    ".zip": "zip",
    ".obj": "obj",
    ".ply": "ply",
    ".stl": "stl",
    ".las": "las",
    ".laz": "laz",
    ".e57": "e57",
    ".jpg": "panorama",
    ".jpeg": "panorama",
    ".png": "panorama",
    ".webp": "panorama",
}

_OBJ_LINE = re.compile(rb"^(v|vn|vt|f|o|g|mtllib|usemtl|s)[ \t]", re.MULTILINE)
HEAD_BYTES = 65536
GLTF_KEY = b'"asset"'


def image_format(head: bytes) -> str | None:
    """``jpeg``, ``png`` or ``webp`` from an image's first bytes, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def sniff_bytes(head: bytes, size: int) -> str | None:
    """Guess a format from the first bytes of a file and its total size (None if unknown).

    JPEG, PNG and WebP images are ``panorama`` (see :mod:`models3d.panorama`).
    """
    if image_format(head) is not None:
        return "panorama"
    if head.startswith(b"glTF"):
        return "glb"
    if head.startswith(b"LASF"):
        # Bit 7 of the point data format marks LAZ (compressed) records.
        return "laz" if len(head) > 104 and head[104] & 0x80 else "las"
    if head.startswith(b"ASTM-E57"):
        return "e57"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith((b"ply\n", b"ply\r\n", b"ply\r")):
        return "ply"
    if len(head) >= 84 and size == 84 + 50 * struct.unpack_from("<I", head, 80)[0]:
        return "stl"
    if b"\0" in head[:4096]:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{") and b'"asset"' in head:
        return "gltf"
    if text[:5].lower() == b"solid" and b"facet" in head:
        return "stl"
    if len(_OBJ_LINE.findall(head)) >= 3:
        return "obj"
    return None


def _json_object_with_asset(path: Path, head: bytes) -> bool:
    """A JSON object whose ``"asset"`` key comes after the head (searched in a stream)."""
    if b"\0" in head[:4096] or not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return False
    tail = b""
    with path.open("rb") as fh:
        fh.seek(len(head))
        while chunk := fh.read(1 << 20):
            if GLTF_KEY in tail + chunk:
                return True
            tail = chunk[-len(GLTF_KEY) :]
    return False


def extension_format(name: str | None) -> str | None:
    """Return the format named by a file name's extension, "" for an unknown extension."""
    if not name:
        return None
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if not suffix:
        return None
    return EXTENSIONS.get(suffix, "")


def detect_format(path: Path, original_name: str | None = None) -> str:
    """Detect the format of the file at ``path``.

    Magic bytes decide; the extension of ``original_name`` (or of ``path``) must agree with
    them, else ``content_mismatch``. Raises ``unsupported_format`` or ``parse_error``.
    """
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    by_magic = sniff_bytes(head, size)
    if by_magic is None and size > len(head) and _json_object_with_asset(path, head):
        by_magic = "gltf"
    by_name = extension_format(original_name if original_name is not None else path.name)
    detail = {"name": original_name, "detected": by_magic, "extension": by_name}
    if by_magic is None:
        if by_name == "panorama":
            raise ModelError("not_a_panorama", {**detail, "reason": "not a JPEG, PNG or WebP"})
        if by_name:
            raise ModelError("parse_error", {**detail, "reason": f"not a readable {by_name} file"})
        raise ModelError("unsupported_format", detail)
    # LAS and LAZ are one family: readers go by the header's compression bit, not the name.
    same_family = {by_name, by_magic} <= {"las", "laz"}
    if by_name and by_name != by_magic and not same_family:
        raise ModelError("content_mismatch", detail)
    return by_magic
