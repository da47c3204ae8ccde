"""Repairs of optional or derivable glTF data that viewers do without, made before validation.

three.js and Blender open files whose POSITION accessors lack ``min``/``max`` or give wrong
ones (they compute the bounds), whose normals or tangents are not of unit length or whose
tangents have a ``w`` other than ±1 (shaders normalise them), whose extensions are used but
not declared, or whose buffer views carry a ``target`` contradicting their use (ignored).
The Khronos validator calls each of these an error (one per vertex for vectors), so they
are repaired here, from the file's own data, with a note each. Repaired vectors are written
as new buffer views; the old data is left unused (gltfpack drops it from the levels).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from models3d.bufferappend import BufferAppender
from models3d.formats.registry import LoadedModel
from models3d.gltfscene import TYPE_SIZES, UnreadableAccessor, read_accessor

log = logging.getLogger(__name__)

ARRAY_BUFFER = 34962
ELEMENT_ARRAY_BUFFER = 34963
FLOAT = 5126
DRACO = "KHR_draco_mesh_compression"
# The validator's own tolerance for unit length is 0.00005; repaired vectors are well within.
UNIT_TOLERANCE = 0.00005


def _primitives(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for mesh in doc.get("meshes", []) for p in mesh.get("primitives", [])]


def _attribute_accessors(doc: dict[str, Any], name: str) -> list[int]:
    """Accessors of attribute ``name`` that hold their own data (not Draco-compressed)."""
    found = set()
    for prim in _primitives(doc):
        index = prim.get("attributes", {}).get(name)
        if index is None or DRACO in prim.get("extensions", {}):
            continue
        accessor = doc["accessors"][index]
        if "bufferView" in accessor or "sparse" in accessor:
            found.add(index)
    return sorted(found)


def _readable(model: LoadedModel, index: int) -> np.ndarray | None:
    """Accessor ``index`` as numbers, or None when it is compressed or not finite."""
    try:
        values = read_accessor(model.doc, model.binary, index)
    except UnreadableAccessor:
        return None  # compressed: the validator says what it makes of it
    if not len(values) or not np.isfinite(values).all():
        return None  # the validator reports non-finite numbers
    return values


def _same_bounds(accessor: dict[str, Any], low: np.ndarray, high: np.ndarray) -> bool:
    declared = [accessor.get("min"), accessor.get("max")]
    if not all(isinstance(d, list) and len(d) == len(low) for d in declared):
        return False
    try:
        as_float = [np.asarray(d, dtype=np.float32) for d in declared]
    except (TypeError, ValueError):
        return False
    return bool((as_float[0] == low).all() and (as_float[1] == high).all())


def _repair_bounds(model: LoadedModel, thorough: bool) -> None:
    doc = model.doc
    missing = wrong = 0
    for index in _attribute_accessors(doc, "POSITION"):
        accessor = doc["accessors"][index]
        if accessor.get("normalized") or accessor.get("componentType") != FLOAT:
            continue
        if not thorough and "min" in accessor and "max" in accessor:
            continue
        values = _readable(model, index)
        if values is None:
            continue
        low, high = values.min(axis=0), values.max(axis=0)
        if _same_bounds(accessor, low, high):
            continue
        if "min" in accessor and "max" in accessor:
            wrong += 1
        else:
            missing += 1
        accessor["min"] = [v.item() for v in low]
        accessor["max"] = [v.item() for v in high]
    if missing:
        model.notes.add("bounds_repaired", {"accessors": missing})
    if wrong:
        model.notes.add("accessor_bounds_repaired", {"accessors": wrong})


def _unit_vectors(values: np.ndarray) -> np.ndarray | None:
    """``values`` (xyz or xyzw) with unit xyz and w of ±1; None when nothing needs a change."""
    length = np.linalg.norm(values[:, :3], axis=1)  # float32: precise enough to check
    bad = np.abs(length - 1.0) > UNIT_TOLERANCE
    sign_bad = values.shape[1] == 4 and bool((np.abs(values[:, 3]) != 1.0).any())
    if not bad.any() and not sign_bad:
        return None
    xyz = values[:, :3].astype(np.float64)
    length = np.linalg.norm(xyz, axis=1)
    zero = length < 1e-12
    xyz[zero] = [0.0, 1.0, 0.0] if values.shape[1] == 3 else [1.0, 0.0, 0.0]
    length[zero] = 1.0
    fixed = xyz / length[:, None]
    if values.shape[1] == 4:
        w = np.where(values[:, 3] < 0, -1.0, 1.0)
        fixed = np.column_stack([fixed, w])
    return fixed.astype("<f4")


def _repair_vectors(model: LoadedModel, appender: BufferAppender) -> None:
    doc = model.doc
    for name, width, note in (
        ("NORMAL", 3, "normals_repaired"),
        ("TANGENT", 4, "tangents_repaired"),
    ):
        repaired = 0
        for index in _attribute_accessors(doc, name):
            accessor = doc["accessors"][index]
            if (
                accessor.get("componentType") != FLOAT
                or TYPE_SIZES.get(accessor.get("type", "")) != width
            ):
                continue  # quantised vectors are left to the validator
            values = _readable(model, index)
            fixed = None if values is None else _unit_vectors(values)
            if fixed is None:
                continue
            accessor["bufferView"] = appender.view(fixed.tobytes())
            for key in ("byteOffset", "sparse", "min", "max"):
                accessor.pop(key, None)
            repaired += 1
        if repaired:
            model.notes.add(note, {"accessors": repaired})


def _extension_names(value: Any) -> set[str]:
    names: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            extensions = item.get("extensions")
            if isinstance(extensions, dict):
                names.update(k for k in extensions if isinstance(k, str))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return names


def _declare_extensions(model: LoadedModel) -> None:
    doc = model.doc
    for key in ("extensionsUsed", "extensionsRequired"):
        if key in doc and len(set(doc[key])) < len(doc[key]):
            doc[key] = list(dict.fromkeys(doc[key]))
            model.notes.add("extension_list_repaired", {})
    declared = doc.get("extensionsUsed", [])
    required = doc.get("extensionsRequired", [])
    undeclared = sorted((_extension_names(doc) | set(required)) - set(declared))
    if undeclared:
        doc["extensionsUsed"] = [*declared, *undeclared]
        model.extensions_used = sorted({*model.extensions_used, *undeclared})
        model.notes.add("extensions_declared", {"extensions": undeclared})


def _repair_transforms(model: LoadedModel) -> None:
    """A node with a matrix uses it (its TRS is dropped); rotations become unit quaternions."""
    repaired = 0
    for node in model.doc.get("nodes", []):
        changed = False
        if "matrix" in node and any(k in node for k in ("translation", "rotation", "scale")):
            for key in ("translation", "rotation", "scale"):
                node.pop(key, None)
            changed = True
        rotation = node.get("rotation")
        if rotation is not None:
            length = float(np.linalg.norm(rotation))
            if abs(length - 1.0) > UNIT_TOLERANCE:
                node["rotation"] = (
                    [x / length for x in rotation] if length > 1e-12 else [0.0, 0.0, 0.0, 1.0]
                )
                changed = True
        repaired += changed
    if repaired:
        model.notes.add("node_transforms_repaired", {"nodes": repaired})


def _repair_targets(model: LoadedModel) -> None:
    doc = model.doc
    accessors, views = doc.get("accessors", []), doc.get("bufferViews", [])
    uses: dict[int, set[int]] = {}
    for prim in _primitives(doc):
        pairs = [(a, ARRAY_BUFFER) for a in prim.get("attributes", {}).values()]
        if "indices" in prim:
            pairs.append((prim["indices"], ELEMENT_ARRAY_BUFFER))
        for accessor, target in pairs:
            view = accessors[accessor].get("bufferView")
            if view is not None:
                uses.setdefault(view, set()).add(target)
    wrong = [
        v
        for v, targets in uses.items()
        if "target" in views[v] and (len(targets) > 1 or views[v]["target"] not in targets)
    ]
    for v in wrong:
        del views[v]["target"]
    if wrong:
        model.notes.add("buffer_view_targets_repaired", {"buffer_views": len(wrong)})


def repair_document(model: LoadedModel, thorough: bool = True) -> None:
    """Repair what viewers do without (see the module docstring); glTF inputs only.

    With ``thorough`` false (inputs whose data the validator does not read, being huge),
    only missing bounds are computed from the data: the levels get their own bounds and
    vectors from gltfpack, and reading everything here would cost time for nothing.
    """
    if not model.is_gltf:
        return
    _declare_extensions(model)
    _repair_transforms(model)
    _repair_targets(model)
    _repair_bounds(model, thorough)
    if not thorough:
        return
    appender = BufferAppender(model.doc, model.binary)
    _repair_vectors(model, appender)
    if appender.changed:
        model.binary = appender.binary()
