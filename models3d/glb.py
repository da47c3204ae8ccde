"""Reading and writing the GLB container (glTF 2.0 binary): a JSON chunk and a BIN chunk."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

from models3d.errors import ModelError

GLB_MAGIC = b"glTF"
CHUNK_JSON = 0x4E4F534A
CHUNK_BIN = 0x004E4942


def read_glb(data: bytes) -> tuple[dict[str, Any], bytes | None]:
    """Split GLB bytes into the parsed JSON and the BIN chunk (None when absent).

    Raises ``parse_error`` for a damaged container or JSON that does not parse.
    """
    if len(data) < 20 or data[:4] != GLB_MAGIC:
        raise ModelError("parse_error", {"reason": "not a GLB container"})
    version, length = struct.unpack_from("<II", data, 4)
    if version != 2:
        raise ModelError("invalid_gltf", {"reason": f"GLB version {version}, expected 2"})
    if length > len(data) or length < 20:
        raise ModelError(
            "parse_error", {"reason": "GLB is truncated", "declared": length, "actual": len(data)}
        )
    offset = 12
    chunks: list[tuple[int, bytes]] = []
    while offset + 8 <= length:
        chunk_len, chunk_type = struct.unpack_from("<II", data, offset)
        start = offset + 8
        if start + chunk_len > length:
            raise ModelError("parse_error", {"reason": "GLB chunk runs past the end of the file"})
        chunks.append((chunk_type, data[start : start + chunk_len]))
        offset = start + ((chunk_len + 3) & ~3)
    if not chunks or chunks[0][0] != CHUNK_JSON:
        raise ModelError("parse_error", {"reason": "GLB does not start with a JSON chunk"})
    doc = parse_json(chunks[0][1], "GLB JSON")
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
