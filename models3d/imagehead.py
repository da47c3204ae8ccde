"""What an uploaded image holds besides its pixels, read from its structure alone.

Before libvips reads a JPEG, PNG or WebP, its segments or chunks are walked here (lengths
only, seeking past pixel data) to find:

- its metadata (text, XMP, EXIF, ICC, comments), counted decompressed: a PNG text chunk
  that inflates to gigabytes is refused before any library inflates it;
- its XMP packet (for the GPano metadata of partial panoramas);
- a structure cut short (``image_truncated``) and a zip archive hidden in the same file.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from models3d.errors import ModelError

XMP_JPEG = b"http://ns.adobe.com/xap/1.0/\0"
XMP_PNG_KEY = b"XML:com.adobe.xmp"
# A zip's end-of-central-directory record lies in the last 22 + 65,535 bytes.
ZIP_EOCD = b"PK\x05\x06"
ZIP_TAIL = 22 + 65535
PNG_CRITICAL = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
WEBP_METADATA = frozenset({b"ICCP", b"EXIF", b"XMP "})
MAX_SEGMENTS = 1_000_000


@dataclass
class ImageHead:
    """The structure of one image file."""

    format: str
    metadata_bytes: int = 0
    xmp: bytes | None = None


class _Budget:
    """Counts metadata bytes; refuses past ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def add(self, n: int, where: str) -> None:
        self.used += n
        if self.used > self.limit:
            raise ModelError(
                "image_metadata_too_large",
                {"where": where, "bytes_at_least": self.used, "max_bytes": self.limit},
            )

    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def _read_exact(fh: BinaryIO, n: int, where: str) -> bytes:
    data = fh.read(n)
    if len(data) < n:
        raise ModelError("image_truncated", {"where": where})
    return data


def _inflate(data: bytes, budget: _Budget, where: str) -> bytes:
    """Inflate zlib ``data`` within what is left of the budget (never more)."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, budget.remaining() + 1)
    except zlib.error as exc:
        raise ModelError("image_corrupt", {"where": where, "reason": str(exc)}) from exc
    budget.add(len(out), where)
    return out


def _jpeg(fh: BinaryIO, size: int, budget: _Budget) -> ImageHead:
    head = ImageHead("jpeg")
    fh.seek(2)
    for _ in range(MAX_SEGMENTS):
        byte = _read_exact(fh, 1, "JPEG markers")
        if byte != b"\xff":
            raise ModelError("image_corrupt", {"where": "JPEG markers", "offset": fh.tell() - 1})
        marker = _read_exact(fh, 1, "JPEG markers")[0]
        while marker == 0xFF:  # fill bytes
            marker = _read_exact(fh, 1, "JPEG markers")[0]
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            continue
        if marker == 0xD9:
            raise ModelError("image_corrupt", {"where": "JPEG", "reason": "no image data"})
        (length,) = struct.unpack(">H", _read_exact(fh, 2, "JPEG segment"))
        if length < 2:
            raise ModelError("image_corrupt", {"where": "JPEG segment", "length": length})
        if marker == 0xDA:  # start of scan: the pixels follow
            if fh.tell() + length - 2 > size:
                raise ModelError("image_truncated", {"where": "JPEG scan header"})
            return head
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            budget.add(length - 2, f"JPEG APP{marker - 0xE0}" if marker != 0xFE else "JPEG COM")
            if marker == 0xE1 and head.xmp is None and length - 2 > len(XMP_JPEG):
                data = _read_exact(fh, length - 2, "JPEG APP1")
                if data.startswith(XMP_JPEG):
                    head.xmp = data[len(XMP_JPEG) :]
                continue
        if fh.tell() + length - 2 > size:
            raise ModelError("image_truncated", {"where": "JPEG segment"})
        fh.seek(length - 2, 1)
    raise ModelError("image_corrupt", {"where": "JPEG", "reason": "too many segments"})


def _png_text(kind: bytes, data: bytes, budget: _Budget, head: ImageHead) -> None:
    """Count a text or profile chunk decompressed; keep the XMP packet."""
    where = f"PNG {kind.decode('latin-1')}"
    keyword, _, rest = data.partition(b"\0")
    if kind == b"zTXt" or kind == b"iCCP":
        _inflate(rest[1:], budget, where)
    elif kind == b"iTXt" and len(rest) >= 2:
        compressed = rest[0] == 1
        _lang, _, rest = rest[2:].partition(b"\0")
        _translated, _, text = rest.partition(b"\0")
        if compressed:
            text = _inflate(text, budget, where)
        if keyword == XMP_PNG_KEY and head.xmp is None:
            head.xmp = text


def _png(fh: BinaryIO, size: int, budget: _Budget) -> tuple[ImageHead, int]:
    """Walk the chunks; returns what was found and the offset where the PNG ends."""
    head = ImageHead("png")
    fh.seek(8)
    seen_data = False
    for _ in range(MAX_SEGMENTS):
        length, kind = struct.unpack(">I4s", _read_exact(fh, 8, "PNG chunk"))
        end = fh.tell() + length + 4
        if end > size:
            raise ModelError("image_truncated", {"where": f"PNG {kind!r}"})
        if kind == b"IEND":
            if not seen_data:
                raise ModelError("image_corrupt", {"where": "PNG", "reason": "no image data"})
            return head, end
        if kind == b"IDAT":
            seen_data = True
        elif kind not in PNG_CRITICAL:
            budget.add(length, f"PNG {kind.decode('latin-1')}")
            if kind in (b"zTXt", b"iTXt", b"iCCP"):
                _png_text(kind, fh.read(length), budget, head)
        fh.seek(end)
    raise ModelError("image_corrupt", {"where": "PNG", "reason": "too many chunks"})


def _webp(fh: BinaryIO, size: int, budget: _Budget) -> tuple[ImageHead, int]:
    head = ImageHead("webp")
    riff = struct.unpack("<I", _read_exact(fh, 12, "RIFF header")[4:8])[0]
    end = 8 + riff
    if end > size:
        raise ModelError("image_truncated", {"where": "WebP", "declared": end, "bytes": size})
    offset = 12
    for _ in range(MAX_SEGMENTS):
        if offset + 8 > end:
            return head, end
        fh.seek(offset)
        kind, length = struct.unpack("<4sI", _read_exact(fh, 8, "WebP chunk"))
        if offset + 8 + length > end:
            raise ModelError("image_truncated", {"where": f"WebP {kind!r}"})
        if kind in WEBP_METADATA:
            budget.add(length, f"WebP {kind.decode('latin-1').strip()}")
            if kind == b"XMP ":
                head.xmp = fh.read(length)
        offset += 8 + length + (length & 1)
    raise ModelError("image_corrupt", {"where": "WebP", "reason": "too many chunks"})


def _hides_zip(fh: BinaryIO, size: int, image_end: int | None) -> bool:
    """Is a zip archive in the file too (its end record where zip readers look for it, or
    a zip entry right after the image's own end)?"""
    if image_end is not None and image_end < size:
        fh.seek(image_end)
        if fh.read(4) == b"PK\x03\x04":
            return True
    start = max(size - ZIP_TAIL, 0)
    fh.seek(start)
    tail = fh.read()
    at = tail.rfind(ZIP_EOCD)
    while at >= 0:
        if at + 22 <= len(tail):
            (comment,) = struct.unpack_from("<H", tail, at + 20)
            if start + at + 22 + comment == size:
                return True
        at = tail.rfind(ZIP_EOCD, 0, at)
    return False


def read_image_head(path: Path, fmt: str, max_metadata_bytes: int) -> ImageHead:
    """Walk the structure of the ``fmt`` image at ``path`` (see the module's docstring).

    Raises ``image_metadata_too_large``, ``image_truncated``, ``image_corrupt`` or
    ``not_a_panorama`` (a zip archive in the same file).
    """
    size = path.stat().st_size
    budget = _Budget(max_metadata_bytes)
    image_end: int | None = None
    with path.open("rb") as fh:
        if fmt == "jpeg":
            head = _jpeg(fh, size, budget)
        elif fmt == "png":
            head, image_end = _png(fh, size, budget)
        else:
            head, image_end = _webp(fh, size, budget)
        if _hides_zip(fh, size, image_end):
            raise ModelError("not_a_panorama", {"reason": "the image is also a zip archive"})
    head.metadata_bytes = budget.used
    return head
