"""PLY point clouds (a PLY without faces), read in chunks.

Binary PLY is mapped from the file (numpy memmap) with the vertex record described by the
header; ASCII PLY is parsed a chunk of lines at a time. Colours come from ``red``,
``green``, ``blue`` (or ``diffuse_*``); ``intensity`` (or ``scalar_intensity``) becomes
grey when there are none. PLY has no axis convention: scanners mostly write Z-up, so
``auto`` turns the cloud Z-up to Y-up (the report says so).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models3d.errors import ModelError
from models3d.formats.points import (
    CHUNK_POINTS,
    Chunk,
    PointSource,
    check_point_count,
    colour_scale,
    intensity_scale,
    intensity_to_grey,
    register_points,
)
from models3d.options import Limits

TYPES = {
    "char": "i1", "int8": "i1", "uchar": "u1", "uint8": "u1",
    "short": "i2", "int16": "i2", "ushort": "u2", "uint16": "u2",
    "int": "i4", "int32": "i4", "uint": "u4", "uint32": "u4",
    "float": "f4", "float32": "f4", "double": "f8", "float64": "f8",
}  # fmt: skip
COLOUR_NAMES = (("red", "green", "blue"), ("diffuse_red", "diffuse_green", "diffuse_blue"))
INTENSITY_NAMES = ("intensity", "scalar_intensity", "scalar_Intensity")


@dataclass
class PlyLayout:
    """The parts of a PLY header a point reader needs."""

    encoding: str = "ascii"
    data_offset: int = 0
    vertices: int = 0
    faces: int = 0
    properties: list[tuple[str, str]] = field(default_factory=list)
    vertex_first: bool = True


def read_layout(path: Path) -> PlyLayout:
    """Parse the header: encoding, where data starts, the vertex record."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    end = head.find(b"end_header")
    if not head.startswith(b"ply") or end < 0:
        raise ModelError("parse_error", {"reason": "PLY header is missing or too long"})
    newline = head.find(b"\n", end)
    layout = PlyLayout(data_offset=newline + 1 if newline >= 0 else len(head))
    element = ""
    for raw in head[:end].decode("ascii", "replace").splitlines():
        words = raw.split()
        if not words:
            continue
        if words[0] == "format" and len(words) > 1:
            layout.encoding = words[1]
        elif words[0] == "element" and len(words) == 3:
            element = words[1]
            if element == "vertex":
                layout.vertices = int(words[2]) if words[2].isdigit() else -1
            elif element == "face":
                layout.faces = int(words[2]) if words[2].isdigit() else -1
            elif layout.vertices == 0:
                layout.vertex_first = False
        elif words[0] == "property" and element == "vertex":
            if words[1] == "list" or len(words) != 3 or words[1] not in TYPES:
                raise ModelError("parse_error", {"reason": f"unsupported vertex property {raw!r}"})
            layout.properties.append((words[2], TYPES[words[1]]))
    return layout


def is_point_cloud(path: Path) -> bool:
    """A PLY with vertices and no faces."""
    try:
        layout = read_layout(path)
    except ModelError:
        return False
    return layout.faces == 0 and layout.vertices != 0


def _colour(records: np.ndarray, names: set[str]) -> str:
    if any(set(group) <= names for group in COLOUR_NAMES):
        return "rgb"
    return "intensity" if any(n in names for n in INTENSITY_NAMES) else "none"


@register_points("ply_points")
def open_ply_points(path: Path, limits: Limits) -> PointSource:
    """Open a face-less PLY; the header is checked, bounds come from one pass over x, y, z."""
    layout = read_layout(path)
    check_point_count(layout.vertices, limits)
    names = [n for n, _ in layout.properties]
    if not {"x", "y", "z"} <= set(names) or not layout.vertex_first:
        raise ModelError("parse_error", {"reason": "PLY vertices need x, y, z first"})
    order = {"binary_little_endian": "<", "binary_big_endian": ">"}.get(layout.encoding)
    if order is None and layout.encoding != "ascii":
        raise ModelError("parse_error", {"reason": f"unknown PLY format {layout.encoding!r}"})
    dtype = np.dtype([(n, order + t if order else t) for n, t in layout.properties])
    if order is not None:
        needed = layout.data_offset + layout.vertices * dtype.itemsize
        if needed > path.stat().st_size:
            raise ModelError("parse_error", {"reason": "the PLY file is shorter than its header"})
    colour = _colour(np.empty(0, dtype), set(names))
    rgb_names = next((g for g in COLOUR_NAMES if set(g) <= set(names)), None)
    intensity = next((n for n in INTENSITY_NAMES if n in names), None)

    def records() -> Iterator[np.ndarray]:
        if order is not None:
            data = np.memmap(path, dtype, "r", layout.data_offset, (layout.vertices,))
            for start in range(0, layout.vertices, CHUNK_POINTS):
                yield np.asarray(data[start : start + CHUNK_POINTS])
            return
        with path.open("rb") as fh:
            fh.seek(layout.data_offset)
            left = layout.vertices
            while left > 0:
                rows = min(left, CHUNK_POINTS)
                try:
                    table = np.loadtxt(fh, dtype=np.float64, max_rows=rows, ndmin=2)
                except ValueError as exc:
                    raise ModelError("parse_error", {"reason": f"PLY: {exc}"[:300]}) from exc
                if table.shape[0] != rows or table.shape[1] < len(names):
                    raise ModelError("parse_error", {"reason": "PLY vertex lines are incomplete"})
                out = np.empty(rows, dtype)
                for i, name in enumerate(names):
                    out[name] = table[:, i]
                left -= rows
                yield out

    def chunks() -> Iterator[Chunk]:
        shift: int | None = None
        full_scale: float | None = None
        for rec in records():
            xyz = np.stack([rec["x"], rec["y"], rec["z"]], axis=1).astype(np.float64)
            rgb: np.ndarray | None = None
            if rgb_names is not None:
                raw = np.stack([rec[c] for c in rgb_names], axis=1)
                if raw.dtype.kind == "f":  # colours as floats in [0, 1]
                    raw = np.clip(raw * 255.0, 0, 255)
                    shift = 0
                shift = colour_scale(raw.astype(np.int64)) if shift is None else shift
                rgb = np.clip(raw.astype(np.int64) >> shift, 0, 255).astype(np.uint8)
            elif intensity is not None:
                values = rec[intensity].astype(np.float64)
                full_scale = intensity_scale(values) if full_scale is None else full_scale
                rgb = intensity_to_grey(values, full_scale)
            yield xyz, rgb

    lo = np.full(3, np.inf)
    hi = np.full(3, -np.inf)
    for xyz, _ in chunks():
        finite = xyz[np.isfinite(xyz).all(axis=1)]
        if len(finite):
            lo, hi = np.minimum(lo, finite.min(axis=0)), np.maximum(hi, finite.max(axis=0))
    if not np.isfinite(lo).all():
        raise ModelError("no_geometry", {"reason": "the PLY has no finite point"})
    return PointSource(
        format="ply",
        count=layout.vertices,
        bounds_min=lo,
        bounds_max=hi,
        read_chunks=chunks,
        colour_source=colour,
    )
