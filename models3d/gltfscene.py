"""Reading glTF scenes in numpy: accessors, node transforms, counts, bounds and geometry.

Works on an in-memory glTF (JSON dict plus one BIN buffer, as produced by the loaders).
Accessors stored in meshopt-compressed buffer views cannot be read here; callers fall back
to accessor min/max (bounds) or decode the file with gltfpack first (poster).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from models3d.errors import ModelError

COMPONENT_DTYPES = {
    5120: np.int8,
    5121: np.uint8,
    5122: np.int16,
    5123: np.uint16,
    5125: np.uint32,
    5126: np.float32,
}
NORMALIZE_DIVISOR = {5120: 127.0, 5121: 255.0, 5122: 32767.0, 5123: 65535.0}
AREA_CHUNK = 1 << 16  # triangles read at a time by draws_area
TYPE_SIZES = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}


class UnreadableAccessor(Exception):
    """The accessor's data is compressed or otherwise not readable with plain numpy."""


def _view_bytes(doc: dict[str, Any], binary: bytes, view_index: int) -> tuple[bytes, int | None]:
    view = doc["bufferViews"][view_index]
    if "EXT_meshopt_compression" in view.get("extensions", {}):
        raise UnreadableAccessor("meshopt-compressed buffer view")
    if view.get("buffer", 0) != 0:
        raise UnreadableAccessor("data outside the binary chunk")
    start = view.get("byteOffset", 0)
    length = view["byteLength"]
    if start + length > len(binary):
        raise ModelError("invalid_gltf", {"reason": f"bufferView {view_index} out of range"})
    return binary[start : start + length], view.get("byteStride")


def _read_raw(
    binary: bytes, doc: dict[str, Any], view: int, offset: int, count: int, ctype: int, n: int
) -> np.ndarray:
    data, stride = _view_bytes(doc, binary, view)
    dtype = np.dtype(COMPONENT_DTYPES[ctype]).newbyteorder("<")
    elem = dtype.itemsize * n
    stride = stride or elem
    if count == 0:
        return np.zeros((0, n), dtype=dtype)
    needed = offset + stride * (count - 1) + elem
    if needed > len(data):
        raise ModelError("invalid_gltf", {"reason": "accessor runs past its bufferView"})
    if stride == elem:
        return np.frombuffer(data, dtype=dtype, count=count * n, offset=offset).reshape(count, n)
    arr = np.lib.stride_tricks.as_strided(
        np.frombuffer(data, dtype=np.uint8, offset=offset),
        shape=(count, elem),
        strides=(stride, 1),
    )
    return np.ascontiguousarray(arr).view(dtype).reshape(count, n)


def read_accessor(doc: dict[str, Any], binary: bytes, index: int) -> np.ndarray:
    """Return accessor ``index`` as a (count, components) array (floats when normalised)."""
    acc = doc["accessors"][index]
    ctype = acc["componentType"]
    n = TYPE_SIZES[acc["type"]]
    count = acc["count"]
    if "bufferView" in acc:
        out = _read_raw(binary, doc, acc["bufferView"], acc.get("byteOffset", 0), count, ctype, n)
        out = out.copy()
    else:
        out = np.zeros((count, n), dtype=COMPONENT_DTYPES[ctype])
    sparse = acc.get("sparse")
    if sparse:
        sc = sparse["count"]
        idx = sparse["indices"]
        vals = sparse["values"]
        where = _read_raw(
            binary, doc, idx["bufferView"], idx.get("byteOffset", 0), sc, idx["componentType"], 1
        )[:, 0]
        voff = vals.get("byteOffset", 0)
        out[where] = _read_raw(binary, doc, vals["bufferView"], voff, sc, ctype, n)
    if acc.get("normalized") and ctype in NORMALIZE_DIVISOR:
        return np.maximum(out.astype(np.float64) / NORMALIZE_DIVISOR[ctype], -1.0)
    return out


def local_matrix(node: dict[str, Any]) -> np.ndarray:
    """The node's local 4x4 transform (row-major numpy, column vectors)."""
    if "matrix" in node:
        return np.array(node["matrix"], dtype=np.float64).reshape(4, 4).T
    t = np.array(node.get("translation", [0, 0, 0]), dtype=np.float64)
    x, y, z, w = node.get("rotation", [0, 0, 0, 1])
    s = np.array(node.get("scale", [1, 1, 1]), dtype=np.float64)
    r = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    m = np.eye(4)
    m[:3, :3] = r * s
    m[:3, 3] = t
    return m


def scene_roots(doc: dict[str, Any]) -> list[int]:
    """Root nodes of the default scene (all parentless nodes when there is no scene)."""
    scenes = doc.get("scenes") or []
    if scenes:
        return list(scenes[doc.get("scene", 0)].get("nodes", []))
    children = {c for n in doc.get("nodes", []) for c in n.get("children", [])}
    return [i for i in range(len(doc.get("nodes", []))) if i not in children]


def walk_nodes(doc: dict[str, Any]) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (node index, world matrix) for every node reachable from the default scene."""
    nodes = doc.get("nodes", [])
    stack = [(i, np.eye(4), 0) for i in reversed(scene_roots(doc))]
    visits = 0
    while stack:
        idx, parent, depth = stack.pop()
        visits += 1
        if depth > 256 or visits > 1_000_000 or not 0 <= idx < len(nodes):
            raise ModelError("invalid_gltf", {"reason": "node hierarchy is cyclic or broken"})
        world = parent @ local_matrix(nodes[idx])
        yield idx, world
        stack.extend((c, world, depth + 1) for c in reversed(nodes[idx].get("children", [])))


def primitive_triangles(doc: dict[str, Any], prim: dict[str, Any]) -> int:
    """Number of triangles a primitive draws (0 for points and lines)."""
    mode = prim.get("mode", 4)
    if "indices" in prim:
        count = doc["accessors"][prim["indices"]]["count"]
    else:
        count = doc["accessors"][prim["attributes"]["POSITION"]]["count"]
    if mode == 4:
        return int(count // 3)
    if mode in (5, 6):
        return int(max(count - 2, 0))
    return 0


def mesh_instances(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], np.ndarray]]:
    """Yield (primitive, world matrix) for every drawn primitive."""
    for idx, world in walk_nodes(doc):
        mesh = doc["nodes"][idx].get("mesh")
        if mesh is None:
            continue
        for prim in doc["meshes"][mesh].get("primitives", []):
            if "POSITION" in prim.get("attributes", {}):
                yield prim, world


def count_geometry(doc: dict[str, Any]) -> tuple[int, int]:
    """(triangles, vertices) drawn by the default scene, counted from the JSON alone."""
    tris = verts = 0
    for prim, _world in mesh_instances(doc):
        tris += primitive_triangles(doc, prim)
        verts += int(doc["accessors"][prim["attributes"]["POSITION"]]["count"])
    return tris, verts


def _transform(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return points @ matrix[:3, :3].T + matrix[:3, 3]


def _axis_aligned(matrix: np.ndarray) -> bool:
    """Each output axis depends on one input axis (scale, axis permutation, translation)."""
    return bool(((matrix[:3, :3] != 0).sum(axis=1) <= 1).all())


def world_bounds(doc: dict[str, Any], binary: bytes) -> np.ndarray | None:
    """World-space (2, 3) bounds of the drawn triangles; None when nothing is drawn."""
    lo = np.full(3, math.inf)
    hi = np.full(3, -math.inf)
    for prim, world in mesh_instances(doc):
        if primitive_triangles(doc, prim) == 0:
            continue
        pos_index = prim["attributes"]["POSITION"]
        try:
            pts = read_accessor(doc, binary, pos_index)
            if len(pts) and _axis_aligned(world):
                # min/max commute with a scale, axis swap and shift: transform 2 points only
                pts = np.stack([pts.min(axis=0), pts.max(axis=0)]).astype(np.float64)
            else:
                pts = pts.astype(np.float64)
        except UnreadableAccessor:
            acc = doc["accessors"][pos_index]
            amin, amax = acc.get("min"), acc.get("max")
            if amin is None or amax is None:
                continue
            pts = np.array(
                [[(amin, amax)[(k >> a) & 1][a] for a in range(3)] for k in range(8)], dtype=float
            )
        if len(pts) == 0:
            continue
        pts = _transform(pts, world)
        lo = np.minimum(lo, pts.min(axis=0))
        hi = np.maximum(hi, pts.max(axis=0))
    if not np.all(np.isfinite(lo)):
        return None
    return np.stack([lo, hi])


@dataclass
class DrawBatch:
    """Triangles of one primitive instance in world space, ready for rendering."""

    positions: np.ndarray  # (n, 3) float64
    faces: np.ndarray  # (m, 3) int64
    uvs: np.ndarray | None
    colors: np.ndarray | None  # (n, 3) float in 0..1
    material: dict[str, Any]
    mirrored: bool = False  # the world matrix flips handedness (winding is reversed)


def _faces(doc: dict[str, Any], binary: bytes, prim: dict[str, Any], nverts: int) -> np.ndarray:
    mode = prim.get("mode", 4)
    if "indices" in prim:
        idx = read_accessor(doc, binary, prim["indices"])[:, 0].astype(np.int64)
    else:
        idx = np.arange(nverts, dtype=np.int64)
    if mode == 4:
        return idx[: len(idx) // 3 * 3].reshape(-1, 3)
    if mode == 5 and len(idx) >= 3:
        tri = np.stack([idx[:-2], idx[1:-1], idx[2:]], axis=1)
        tri[1::2] = tri[1::2][:, [1, 0, 2]]
        return tri
    if mode == 6 and len(idx) >= 3:
        return np.stack([np.full(len(idx) - 2, idx[0]), idx[1:-1], idx[2:]], axis=1)
    return np.zeros((0, 3), dtype=np.int64)


def draw_batches(doc: dict[str, Any], binary: bytes) -> list[DrawBatch]:
    """Read every drawn primitive into world-space batches (for software rendering)."""
    batches = []
    materials = doc.get("materials", [])
    for prim, world in mesh_instances(doc):
        attrs = prim["attributes"]
        pos = _transform(read_accessor(doc, binary, attrs["POSITION"]).astype(np.float64), world)
        faces = _faces(doc, binary, prim, len(pos))
        if len(faces) == 0:
            continue
        uvs = None
        if "TEXCOORD_0" in attrs:
            uvs = read_accessor(doc, binary, attrs["TEXCOORD_0"]).astype(np.float64)
        colors = None
        if "COLOR_0" in attrs:
            col = read_accessor(doc, binary, attrs["COLOR_0"]).astype(np.float64)
            colors = col[:, :3] if col.max(initial=0) <= 1.0 else col[:, :3] / 255.0
        mat_index = prim.get("material")
        material = materials[mat_index] if mat_index is not None else {}
        mirrored = bool(np.linalg.det(world[:3, :3]) < 0)
        batches.append(DrawBatch(pos, faces, uvs, colors, material, mirrored))
    return batches


def check_geometry_data(doc: dict[str, Any], binary: bytes) -> None:
    """The data checks that matter for safety when the validator saw only the JSON.

    Every drawn primitive: attributes as long as POSITION, positions finite, indices within
    the vertices. Raises ``invalid_gltf`` with the validator's code for the problem.
    """
    seen: set[int] = set()
    for prim, _world in mesh_instances(doc):
        if id(prim) in seen:
            continue
        seen.add(id(prim))
        attrs = prim["attributes"]
        count = doc["accessors"][attrs["POSITION"]]["count"]
        if any(doc["accessors"][a]["count"] != count for a in attrs.values()):
            raise ModelError("invalid_gltf", {"code": "MESH_PRIMITIVE_UNEQUAL_ACCESSOR_COUNT"})
        try:
            positions = read_accessor(doc, binary, attrs["POSITION"])
            if not np.isfinite(positions).all():
                raise ModelError("invalid_gltf", {"code": "ACCESSOR_INVALID_FLOAT"})
            if "indices" in prim:
                indices = read_accessor(doc, binary, prim["indices"])
                if indices.size and int(indices.max()) >= count:
                    raise ModelError("invalid_gltf", {"code": "ACCESSOR_INDEX_OOB"})
        except UnreadableAccessor:
            continue


def _triangle_chunks(
    doc: dict[str, Any], binary: bytes, prim: dict[str, Any], nverts: int
) -> Iterator[np.ndarray]:
    """The primitive's triangles as (k, 3) vertex indices, at most AREA_CHUNK at a time.

    Plain indexed triangle lists (nearly every model) are read a chunk at a time.
    """
    acc = doc["accessors"][prim["indices"]] if "indices" in prim else None
    if prim.get("mode", 4) != 4 or acc is None or "sparse" in acc or "bufferView" not in acc:
        faces = _faces(doc, binary, prim, nverts)
        for start in range(0, len(faces), AREA_CHUNK):
            yield faces[start : start + AREA_CHUNK]
        return
    ctype = acc["componentType"]
    stride = (
        doc["bufferViews"][acc["bufferView"]].get("byteStride")
        or np.dtype(COMPONENT_DTYPES[ctype]).itemsize
    )
    total = acc["count"] // 3
    for start in range(0, total, AREA_CHUNK):
        count = min(AREA_CHUNK, total - start)
        offset = acc.get("byteOffset", 0) + start * 3 * stride
        rows = _read_raw(binary, doc, acc["bufferView"], offset, count * 3, ctype, 1)
        yield rows[:, 0].astype(np.int64).reshape(-1, 3)


def draws_area(doc: dict[str, Any], binary: bytes) -> bool:
    """True when at least one drawn triangle has a non-zero area (in its mesh's own space).

    Stops at the first such triangle, so a real model costs one chunk of one primitive;
    only a model made of degenerate triangles is read to the end. Data that cannot be read
    here (compressed) counts as drawing an area. Call it on a validated document.
    """
    seen: set[int] = set()
    for prim, _world in mesh_instances(doc):
        if id(prim) in seen or primitive_triangles(doc, prim) == 0:
            continue
        seen.add(id(prim))
        try:
            positions = read_accessor(doc, binary, prim["attributes"]["POSITION"])
            for faces in _triangle_chunks(doc, binary, prim, len(positions)):
                corners = positions[faces].astype(np.float64)
                edges = corners[:, 1:] - corners[:, :1]
                if np.cross(edges[:, 0], edges[:, 1]).any():
                    return True
        except UnreadableAccessor:
            return True
    return False
