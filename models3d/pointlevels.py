"""Point-cloud levels: glTF ``POINTS`` primitives, packed by gltfpack, and their poster.

A level is one mesh with one primitive of mode 0 (points): float positions and, when the
scan has colours or intensity, ``COLOR_0`` as normalised bytes. gltfpack then quantises
the positions and applies meshopt compression (``EXT_meshopt_compression``), as for
meshes. model-viewer (three.js) draws such a primitive as one-pixel points.

The poster is drawn in software as small square splats, far points first, from the same
3/4 view as mesh posters (:func:`models3d.poster._camera`), sized to the cloud's density.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from models3d.glb import write_glb_file
from models3d.nodetools import run_gltfpack
from models3d.poster import _camera

GLTFPACK_POINTS = ["-cc", "-vp", "16"]  # 16-bit positions: 1.5 mm over 100 m
GREY = 170  # colour of points when the scan has neither colours nor intensity
POINTS_MODE = 0


def points_document(xyz: np.ndarray, rgb: np.ndarray | None) -> tuple[dict[str, Any], bytes]:
    """A glTF document (and its binary buffer) with one POINTS primitive."""
    positions = np.ascontiguousarray(xyz, np.float32)
    n = len(positions)
    chunks = [positions.tobytes()]
    attributes = {"POSITION": 0}
    accessors: list[dict[str, Any]] = [
        {
            "bufferView": 0,
            "componentType": 5126,
            "count": n,
            "type": "VEC3",
            "min": [float(v) for v in positions.min(axis=0)],
            "max": [float(v) for v in positions.max(axis=0)],
        }
    ]
    views: list[dict[str, Any]] = [{"buffer": 0, "byteOffset": 0, "byteLength": len(chunks[0])}]
    if rgb is not None:
        rgba = np.empty((n, 4), np.uint8)  # 4 bytes: vertex attributes stay 4-byte aligned
        rgba[:, :3] = rgb
        rgba[:, 3] = 255
        views.append({"buffer": 0, "byteOffset": len(chunks[0]), "byteLength": rgba.nbytes})
        accessors.append(
            {"bufferView": 1, "componentType": 5121, "normalized": True, "count": n, "type": "VEC4"}
        )
        attributes["COLOR_0"] = 1
        chunks.append(rgba.tobytes())
    for view in views:
        view["target"] = 34962
    binary = b"".join(chunks)
    doc = {
        "asset": {"version": "2.0", "generator": "Heritour models3d (point cloud)"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": "scan"}],
        "meshes": [{"primitives": [{"attributes": attributes, "mode": POINTS_MODE}]}],
        "accessors": accessors,
        "bufferViews": views,
        "buffers": [{"byteLength": len(binary)}],
    }
    return doc, binary


def write_level(xyz: np.ndarray, rgb: np.ndarray | None, workdir: Path, name: str) -> bytes:
    """Write the level as GLB, quantised and meshopt-compressed by gltfpack; its bytes."""
    raw, packed = workdir / f"{name}.points.glb", workdir / f"{name}.packed.glb"
    doc, binary = points_document(xyz, rgb)
    write_glb_file(raw, doc, binary)
    run_gltfpack(raw, packed, GLTFPACK_POINTS)
    data = packed.read_bytes()
    raw.unlink()
    packed.unlink()
    return data


def count_points(glb: bytes) -> int:
    """Points drawn by the POINTS primitives of a GLB (from its JSON chunk)."""
    (length,) = struct.unpack_from("<I", glb, 12)
    doc = json.loads(glb[20 : 20 + length])
    total = 0
    for mesh in doc.get("meshes", []):
        for prim in mesh.get("primitives", []):
            if prim.get("mode", 4) == POINTS_MODE:
                total += doc["accessors"][prim["attributes"]["POSITION"]]["count"]
    return int(total)


def render_points_poster(xyz: np.ndarray, rgb: np.ndarray | None, px: int) -> Image.Image:
    """An RGBA poster of a point cloud: square splats, far to near, transparent background."""
    size = px * 2
    image = np.zeros((size, size, 4), np.uint8)
    if len(xyz) == 0:
        return Image.fromarray(image, "RGBA").reduce(2)
    view, right, up = _camera()
    pos = np.asarray(xyz, np.float64)
    sx, sy, depth = pos @ right, pos @ up, pos @ view
    lo = np.array([sx.min(), sy.min()])
    hi = np.array([sx.max(), sy.max()])
    scale = 0.9 * size / max(float((hi - lo).max()), 1e-12)
    centre = (lo + hi) / 2
    col = np.round((sx - centre[0]) * scale + size / 2).astype(np.int64)
    row = np.round(size / 2 - (sy - centre[1]) * scale).astype(np.int64)
    # Splats large enough that the points of a surface seen face-on touch.
    footprint = float((hi - lo).prod()) * scale * scale
    splat = int(np.clip(math.ceil(math.sqrt(footprint / len(pos)) * 1.5), 1, 12))
    colours = np.full((len(pos), 3), GREY, np.uint8) if rgb is None else np.asarray(rgb)
    rank = np.argsort(np.argsort(depth, kind="stable"))  # larger rank: nearer the eye
    pixels, owners = [], []
    for dy in range(splat):
        for dx in range(splat):
            r = row + dy - splat // 2
            c = col + dx - splat // 2
            inside = np.flatnonzero((r >= 0) & (r < size) & (c >= 0) & (c < size))
            pixels.append(r[inside] * size + c[inside])
            owners.append(inside)
    pixel, owner = np.concatenate(pixels), np.concatenate(owners)
    order = np.lexsort((-rank[owner], pixel))  # per pixel, the nearest point first
    pixel, owner = pixel[order], owner[order]
    nearest = np.ones(len(pixel), bool)
    nearest[1:] = pixel[1:] != pixel[:-1]
    flat = image.reshape(-1, 4)
    flat[pixel[nearest], :3] = colours[owner[nearest]]
    flat[pixel[nearest], 3] = 255
    return Image.fromarray(image, "RGBA").reduce(2)
