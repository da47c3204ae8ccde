"""Sample model names and builders for hostile inputs (shared by the models3d tests)."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

from models3d.glb import read_glb, write_glb

TESTDATA = Path("/work/shared/testdata")
SAMPLES = [
    "Duck.glb",
    "BoxTextured.glb",
    "CesiumMilkTruck.glb",
    "AlphaBlendModeTest.glb",
    "bunny.ply",
    "fuze.zip",
    "pbr_cubes_emissive_spec_gloss.zip",
    "teapot.stl",
]
TEXTURED = {
    "Duck.glb",
    "BoxTextured.glb",
    "CesiumMilkTruck.glb",
    "AlphaBlendModeTest.glb",
    "fuze.zip",
    "pbr_cubes_emissive_spec_gloss.zip",
}


def make_zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    """A zip archive (in memory) with the given raw entry names and contents."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height (no real pixel data)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def tiny_png() -> bytes:
    """A real 2x2 PNG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def triangle_gltf(**extra: Any) -> dict[str, Any]:
    """A minimal valid glTF with one triangle (buffer given by 'uri', default a .bin name)."""
    doc: dict[str, Any] = {
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": 3,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [1, 1, 0],
            }
        ],
        "bufferViews": [{"buffer": 0, "byteLength": 36, "target": 34962}],
        "buffers": [{"byteLength": 36, "uri": "tri.bin"}],
    }
    doc.update(extra)
    return doc


TRIANGLE_BIN = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)


def gltf_zip(doc: dict[str, Any], files: dict[str, bytes] | None = None) -> bytes:
    """A zip holding model.gltf and companion files."""
    entries = [("model.gltf", json.dumps(doc).encode())]
    entries += list((files if files is not None else {"tri.bin": TRIANGLE_BIN}).items())
    return make_zip(entries)  # type: ignore[arg-type]


def patched_glb(path: Path, edit: Any) -> bytes:
    """GLB bytes of ``path`` after ``edit(doc, binary) -> (doc, binary)``."""
    doc, binary = read_glb(path.read_bytes())
    doc, binary = edit(doc, binary or b"")
    return write_glb(doc, binary)
