"""Reading and writing the GLB container (glTF 2.0 binary): a JSON chunk and a BIN chunk."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

from models3d.errors import ModelError
from models3d.notes import Notes

GLB_MAGIC = b"glTF"
CHUNK_JSON = 0x4E4F534A
CHUNK_BIN = 0x004E4942


KNOWN_CHUNKS = frozenset({CHUNK_JSON, CHUNK_BIN})
# Trailing bytes some exporters leave in the JSON chunk (NUL padding, a byte order mark).
JSON_JUNK = b"\0 \t\r\n"


def _chunk_type_at(data: bytes, offset: int, length: int) -> int | None:
    if offset + 8 > length:
        return None
    chunk_type: int = struct.unpack_from("<I", data, offset + 4)[0]
    return chunk_type


def _next_chunk(data: bytes, start: int, chunk_len: int, length: int, notes: Notes) -> int:
    """Where the chunk after one ending at ``start + chunk_len`` begins.

    The specification pads chunks to 4 bytes; some exporters do not, and three.js reads the
    next chunk right after the data. When the padded place holds no known chunk but the
    unpadded one does, the unpadded reading wins (and is noted).
    """
    padded, unpadded = start + ((chunk_len + 3) & ~3), start + chunk_len
    if padded == unpadded:
        return padded
    if _chunk_type_at(data, padded, length) in KNOWN_CHUNKS:
        return padded
    if unpadded >= length or _chunk_type_at(data, unpadded, length) in KNOWN_CHUNKS:
        notes.add("glb_padding_repaired", {})
        return unpadded
    return padded


def read_glb(data: bytes, notes: Notes | None = None) -> tuple[dict[str, Any], bytes | None]:
    """Split GLB bytes into the parsed JSON and the BIN chunk (None when absent).

    Reads what three.js reads: chunks not padded to 4 bytes, a header length that counts
    missing padding or misses trailing bytes, a JSON chunk padded with NUL bytes. Each such
    repair is added to ``notes``. Raises ``parse_error`` for a truncated or damaged
    container, or JSON that does not parse.
    """
    notes = notes if notes is not None else Notes()
    if len(data) < 20 or data[:4] != GLB_MAGIC:
        raise ModelError("parse_error", {"reason": "not a GLB container"})
    version, length = struct.unpack_from("<II", data, 4)
    if version != 2:
        raise ModelError("invalid_gltf", {"reason": f"GLB version {version}, expected 2"})
    if length < 20 or length > len(data) + 3:
        raise ModelError(
            "parse_error", {"reason": "GLB is truncated", "declared": length, "actual": len(data)}
        )
    if length != len(data):
        notes.add("glb_length_repaired", {"declared": length, "actual": len(data)})
        length = min(length, len(data))
    offset = 12
    chunks: list[tuple[int, bytes]] = []
    while offset + 8 <= length:
        chunk_len, chunk_type = struct.unpack_from("<II", data, offset)
        start = offset + 8
        if 0 < start + chunk_len - length <= 3:
            # The length counts padding that was never written: the data is all there.
            notes.add("glb_padding_repaired", {})
            chunk_len = length - start
        if start + chunk_len > length:
            raise ModelError(
                "parse_error",
                {
                    "reason": "GLB is truncated: a chunk is longer than the rest of the file",
                    "chunk": len(chunks),
                    "declared": chunk_len,
                    "actual": length - start,
                },
            )
        chunks.append((chunk_type, data[start : start + chunk_len]))
        offset = _next_chunk(data, start, chunk_len, length, notes)
    if not chunks or chunks[0][0] != CHUNK_JSON:
        raise ModelError("parse_error", {"reason": "GLB does not start with a JSON chunk"})
    text = chunks[0][1]
    cleaned = text.removeprefix(b"\xef\xbb\xbf").rstrip(JSON_JUNK)
    if cleaned != text.rstrip(b" \t\r\n"):
        notes.add("glb_json_repaired", {})
    doc = parse_json(cleaned, "GLB JSON")
    if not isinstance(doc, dict):
        raise ModelError("parse_error", {"reason": "GLB JSON is not an object"})
    binary = next((c for t, c in chunks[1:] if t == CHUNK_BIN), None)
    return doc, binary


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(data: bytes, what: str, encoding: str = "utf-8") -> Any:
    """Parse JSON from an upload; ``NaN`` and ``Infinity`` (not JSON) are refused.

    Raises ``parse_error`` naming ``what`` when the bytes are not JSON or nest too deeply.
    """
    try:
        return json.loads(data.decode(encoding), parse_constant=_no_constants)
    except RecursionError as exc:
        raise ModelError("parse_error", {"reason": f"{what} is nested too deeply"}) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelError("parse_error", {"reason": f"{what} does not parse: {exc}"}) from exc


def dump_json(doc: dict[str, Any]) -> bytes:
    """Serialise glTF JSON compactly and deterministically."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def write_glb(doc: dict[str, Any], binary: bytes | None) -> bytes:
    """Build GLB bytes from glTF JSON and an optional BIN chunk (padded as the spec says)."""
    js = dump_json(doc)
    js += b" " * (-len(js) % 4)
    parts = [struct.pack("<II", len(js), CHUNK_JSON), js]
    if binary:
        pad = b"\0" * (-len(binary) % 4)
        parts += [struct.pack("<II", len(binary) + len(pad), CHUNK_BIN), binary, pad]
    body = b"".join(parts)
    return GLB_MAGIC + struct.pack("<II", 2, 12 + len(body)) + body


def write_glb_file(path: Path, doc: dict[str, Any], binary: bytes | None) -> None:
    """Write the same bytes as :func:`write_glb` to ``path``, without joining them in memory."""
    js = dump_json(doc)
    js += b" " * (-len(js) % 4)
    pad = b"\0" * (-len(binary) % 4) if binary else b""
    bin_length = len(binary) + len(pad) if binary else 0
    total = 12 + 8 + len(js) + (8 + bin_length if binary else 0)
    with path.open("wb") as fh:
        fh.write(GLB_MAGIC + struct.pack("<II", 2, total))
        fh.write(struct.pack("<II", len(js), CHUNK_JSON) + js)
        if binary:
            fh.write(struct.pack("<II", bin_length, CHUNK_BIN))
            fh.write(binary)
            fh.write(pad)


def glb_json(data: bytes) -> dict[str, Any]:
    """Return only the JSON of GLB bytes."""
    return read_glb(data)[0]
