"""Repairs of optional or derivable glTF fields that viewers do without, made before validation.

three.js and Blender open files whose POSITION accessors lack ``min``/``max`` (they compute
the bounds), whose extensions are used but not declared, or whose buffer views carry a
``target`` contradicting their use (they ignore it). The Khronos validator calls each of
these an error, so they are repaired here, from the file's own data, with a note each.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from models3d.formats.registry import LoadedModel
from models3d.gltfscene import UnreadableAccessor, read_accessor

log = logging.getLogger(__name__)

ARRAY_BUFFER = 34962
ELEMENT_ARRAY_BUFFER = 34963


def _primitives(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for mesh in doc.get("meshes", []) for p in mesh.get("primitives", [])]


def _repair_bounds(model: LoadedModel) -> None:
    doc = model.doc
    missing = sorted(
        {
            p["attributes"]["POSITION"]
            for p in _primitives(doc)
            if "POSITION" in p.get("attributes", {})
        }
    )
    repaired = 0
    for index in missing:
        accessor = doc["accessors"][index]
        if ("min" in accessor and "max" in accessor) or accessor.get("normalized"):
            continue
        try:
            values = read_accessor(doc, model.binary, index)
        except UnreadableAccessor:
            continue  # compressed: the validator will say what it makes of it
        if not len(values) or not np.isfinite(values).all():
            continue  # the validator reports non-finite positions
        accessor["min"] = [v.item() for v in values.min(axis=0)]
        accessor["max"] = [v.item() for v in values.max(axis=0)]
        repaired += 1
    if repaired:
        model.notes.add("bounds_repaired", {"accessors": repaired})


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
    declared = model.doc.get("extensionsUsed", [])
    undeclared = sorted(_extension_names(model.doc) - set(declared))
    if undeclared:
        model.doc["extensionsUsed"] = [*declared, *undeclared]
        model.extensions_used = sorted({*model.extensions_used, *undeclared})
        model.notes.add("extensions_declared", {"extensions": undeclared})


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


def repair_document(model: LoadedModel) -> None:
    """Repair what viewers do without (see the module docstring); glTF inputs only."""
    if not model.is_gltf:
        return
    _declare_extensions(model)
    _repair_targets(model)
    _repair_bounds(model)
