"""Simplifying one huge mesh on two cores: split it in space, simplify both halves at once.

gltfpack is single-threaded, and the first simplification of a scan (millions of triangles
down to the high level) is most of the ingest time. When the model draws a single indexed
triangle primitive, its triangles are split in two halves at the median of their centroids
along the longest axis. Each half keeps only the vertices it uses and is simplified by its
own gltfpack process with its border vertices locked (``-slb``), so the cut cannot open.
The two results are merged back into one primitive; the locked vertices along the cut are
identical in both, and gltfpack welds them in the next run. Any other model (several
primitives, morph targets, skins, points or lines) is not split: the caller simplifies it
in one process.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from models3d.glb import read_glb, write_glb_file
from models3d.gltfscene import COMPONENT_DTYPES, TYPE_SIZES, mesh_instances
from models3d.nodetools import run_gltfpack

MIN_TRIANGLES = 1_000_000
ALIGN = 8


def single_primitive(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The one indexed triangle primitive the scene draws, or None."""
    instances = list(mesh_instances(doc))
    if len(instances) != 1 or any("skin" in node for node in doc.get("nodes", [])):
        return None
    prim = instances[0][0]
    if prim.get("mode", 4) != 4 or "indices" not in prim or prim.get("targets"):
        return None
    accessors = doc["accessors"]
    used = [prim["indices"], *prim["attributes"].values()]
    if any("sparse" in accessors[a] or "bufferView" not in accessors[a] for a in used):
        return None
    return prim


def _raw(doc: dict[str, Any], binary: bytes, index: int) -> np.ndarray:
    """Accessor data in its stored type, shape (count, components)."""
    acc = doc["accessors"][index]
    view = doc["bufferViews"][acc["bufferView"]]
    dtype = np.dtype(COMPONENT_DTYPES[acc["componentType"]]).newbyteorder("<")
    n = TYPE_SIZES[acc["type"]]
    elem = dtype.itemsize * n
    stride = view.get("byteStride") or elem
    start = view.get("byteOffset", 0) + acc.get("byteOffset", 0)
    count = acc["count"]
    rows = np.lib.stride_tricks.as_strided(
        np.frombuffer(binary, dtype=np.uint8, count=stride * (count - 1) + elem, offset=start),
        shape=(count, elem),
        strides=(stride, 1),
    )
    return np.ascontiguousarray(rows).view(dtype).reshape(count, n)


def _with_primitive_data(
    doc: dict[str, Any],
    binary: bytes,
    prim_path: tuple[int, int],
    arrays: dict[str, np.ndarray],
    indices: np.ndarray,
) -> tuple[dict[str, Any], bytes]:
    """A copy of the model whose primitive holds ``arrays`` and ``indices``.

    The primitive's accessors are rewritten in place (same indices, new buffer views);
    buffer views only they used are dropped; every other view is kept.
    """
    out_doc = copy.deepcopy(doc)
    mesh, index = prim_path
    prim = out_doc["meshes"][mesh]["primitives"][index]
    old = {prim["indices"], *prim["attributes"].values()}
    accessors = out_doc["accessors"]
    keep_views = {a.get("bufferView") for i, a in enumerate(accessors) if i not in old}
    keep_views |= {img["bufferView"] for img in out_doc.get("images", []) if "bufferView" in img}
    views = out_doc.get("bufferViews", [])
    renumber: dict[int, int] = {}
    out = io.BytesIO()
    new_views: list[dict[str, Any]] = []
    for v, view in enumerate(views):
        if v not in keep_views:
            continue
        start = view.get("byteOffset", 0)
        out.write(b"\0" * (-out.tell() % ALIGN))
        renumber[v] = len(new_views)
        new_views.append({**view, "byteOffset": out.tell()})
        out.write(memoryview(binary)[start : start + view["byteLength"]])

    def put(array: np.ndarray, index: int, changes: dict[str, Any]) -> None:
        out.write(b"\0" * (-out.tell() % ALIGN))
        new_views.append({"buffer": 0, "byteOffset": out.tell(), "byteLength": array.nbytes})
        out.write(np.ascontiguousarray(array).tobytes())
        acc = {k: v for k, v in accessors[index].items() if k not in ("byteOffset", "min", "max")}
        acc.update(changes, bufferView=len(new_views) - 1, count=len(array))
        accessors[index] = acc

    for i, acc in enumerate(accessors):
        if i not in old and "bufferView" in acc:
            acc["bufferView"] = renumber[acc["bufferView"]]
    for img in out_doc.get("images", []):
        if "bufferView" in img:
            img["bufferView"] = renumber[img["bufferView"]]
    for name, array in arrays.items():
        bounds: dict[str, Any] = {}
        if name == "POSITION":
            bounds = {"min": array.min(axis=0).tolist(), "max": array.max(axis=0).tolist()}
        put(array, prim["attributes"][name], bounds)
    index_type = {"componentType": 5125, "type": "SCALAR"}
    put(indices.astype("<u4").reshape(-1), prim["indices"], index_type)
    out.write(b"\0" * (-out.tell() % 4))
    out_doc["bufferViews"] = new_views
    result = out.getvalue()
    out_doc["buffers"] = [{"byteLength": len(result)}]
    return out_doc, result


def _primitive_path(doc: dict[str, Any], prim: dict[str, Any]) -> tuple[int, int]:
    for m, mesh in enumerate(doc["meshes"]):
        for p, candidate in enumerate(mesh["primitives"]):
            if candidate is prim:
                return m, p
    raise ValueError("primitive not in the document")


def splittable(doc: dict[str, Any]) -> bool:
    """Is the model one indexed triangle primitive with at least ``MIN_TRIANGLES``?"""
    prim = single_primitive(doc)
    return prim is not None and doc["accessors"][prim["indices"]]["count"] // 3 >= MIN_TRIANGLES


def half_writers(doc: dict[str, Any], binary: bytes, workdir: Path) -> list[Callable[[], Path]]:
    """Two functions, each writing one half of a :func:`splittable` model as a GLB.

    Each returns the path it wrote. They can run at the same time (numpy and file writes
    release the GIL), so both halves are ready about when one would be.
    """
    prim = single_primitive(doc)
    assert prim is not None
    faces = _raw(doc, binary, prim["indices"]).reshape(-1, 3)
    attributes = {name: _raw(doc, binary, a) for name, a in prim["attributes"].items()}
    positions = attributes["POSITION"]
    accessor = doc["accessors"][prim["attributes"]["POSITION"]]
    if "min" in accessor and "max" in accessor:
        extent = np.subtract(accessor["max"], accessor["min"])
    else:
        extent = positions.max(axis=0) - positions.min(axis=0)
    column = positions[:, int(np.argmax(extent))]
    key = column[faces[:, 0]] + column[faces[:, 1]] + column[faces[:, 2]]
    median = np.partition(key, len(key) // 2)[len(key) // 2]
    lower = key < median
    where = _primitive_path(doc, prim)

    def writer(k: int, mask: np.ndarray) -> Callable[[], Path]:
        def write() -> Path:
            part = faces[mask]
            used = np.zeros(len(positions), dtype=bool)
            used[part.reshape(-1)] = True
            remap = np.cumsum(used, dtype=np.uint32) - 1
            arrays = {name: values[used] for name, values in attributes.items()}
            part_doc, part_binary = _with_primitive_data(doc, binary, where, arrays, remap[part])
            path = workdir / f"half_{k}.glb"
            write_glb_file(path, part_doc, part_binary)
            return path

        return write

    return [writer(0, lower), writer(1, ~lower)]


def _simplify_half(write: Callable[[], Path], options: list[str], dst: Path) -> Path:
    run_gltfpack(write(), dst, [*options, "-slb"])
    return dst


def simplify_in_halves(
    doc: dict[str, Any], binary: bytes, workdir: Path, options: list[str], dst: Path
) -> int | None:
    """Simplify a :func:`splittable` model with ``options`` into ``dst``; returns triangles.

    Each half is written and simplified by its own gltfpack process, both at once. None
    when the results cannot be merged (the caller then simplifies in one process).
    """
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [
            pool.submit(_simplify_half, write, options, workdir / f"half_{k}_simplified.glb")
            for k, write in enumerate(half_writers(doc, binary, workdir))
        ]
        outputs = [run.result() for run in runs]
    return merge_halves(outputs, dst)


def merge_halves(paths: list[Path], dst: Path) -> int | None:
    """Merge simplified halves (uncompressed GLBs) into one primitive; returns its triangles.

    None when the halves do not have the same single primitive layout.
    """
    parts = [read_glb(p.read_bytes()) for p in paths]
    prims = [single_primitive(doc) for doc, _ in parts]
    if any(p is None for p in prims):
        return None
    first_doc, first_binary = parts[0]
    first = prims[0]
    assert first is not None
    names = sorted(first["attributes"])
    layout = [
        [
            (
                doc["accessors"][prim["attributes"][n]]["componentType"],
                doc["accessors"][prim["attributes"][n]]["type"],
            )
            for n in names
        ]
        for (doc, _), prim in zip(parts, prims, strict=True)
        if prim is not None and sorted(prim["attributes"]) == names
    ]
    if len(layout) != len(parts) or any(entry != layout[0] for entry in layout):
        return None
    arrays: dict[str, list[np.ndarray]] = {n: [] for n in names}
    indices, offset = [], 0
    for (doc, binary), prim in zip(parts, prims, strict=True):
        assert prim is not None
        data = binary or b""
        for n in names:
            arrays[n].append(_raw(doc, data, prim["attributes"][n]))
        indices.append(_raw(doc, data, prim["indices"]).reshape(-1).astype(np.int64) + offset)
        offset += len(arrays["POSITION"][-1]) if "POSITION" in arrays else 0
    merged = {n: np.concatenate(arrays[n]) for n in names}
    all_indices = np.concatenate(indices)
    doc, binary = _with_primitive_data(
        first_doc, first_binary or b"", _primitive_path(first_doc, first), merged, all_indices
    )
    write_glb_file(dst, doc, binary)
    return len(all_indices) // 3
