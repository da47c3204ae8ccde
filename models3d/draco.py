"""Draco-compressed input (``KHR_draco_mesh_compression``), decoded with DracoPy.

gltfpack cannot read Draco, so each compressed primitive is decoded here, in the isolated
processing worker (the decoder is native code fed with untrusted bytes, run under the
worker's memory and time limits). The decoded attributes and indices are appended to the
model's buffer as plain accessors, the extension is removed, and a note says so. The counts
the document declares (already checked against the limits) must match what was decoded.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from models3d.bufferappend import BufferAppender
from models3d.errors import ModelError
from models3d.extensions import undeclare_extension
from models3d.formats.registry import LoadedModel
from models3d.gltfscene import COMPONENT_DTYPES, TYPE_SIZES

log = logging.getLogger(__name__)

DRACO = "KHR_draco_mesh_compression"
TRIANGLES = 4


def _fail(at: str, reason: str) -> ModelError:
    return ModelError("invalid_gltf", {"pointer": at, "reason": reason})


def _decode(data: bytes, at: str) -> Any:
    import DracoPy

    try:
        return DracoPy.decode(data)
    except Exception as exc:  # the decoder's own error types vary by failure
        raise _fail(at, f"the Draco data could not be decoded: {exc}") from exc


def _store_accessor(
    doc: dict[str, Any], appender: BufferAppender, index: int, values: Any, at: str
) -> None:
    accessor = doc["accessors"][index]
    if "bufferView" in accessor:
        return  # uncompressed fallback data is already there
    width = TYPE_SIZES[accessor["type"]]
    array = np.asarray(values)
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    if array.shape != (accessor["count"], width):
        raise _fail(at, f"decoded {array.shape} values, the accessor declares {accessor['count']}")
    dtype = np.dtype(COMPONENT_DTYPES[accessor["componentType"]]).newbyteorder("<")
    accessor["bufferView"] = appender.view(np.ascontiguousarray(array, dtype=dtype).tobytes())
    accessor.pop("byteOffset", None)


def _decode_primitive(
    doc: dict[str, Any], binary: bytes, appender: BufferAppender, prim: dict[str, Any], at: str
) -> None:
    ext = prim["extensions"].pop(DRACO)
    if not prim["extensions"]:
        del prim["extensions"]
    if not isinstance(ext, dict) or not isinstance(ext.get("attributes"), dict):
        raise _fail(at, "the Draco extension has no attributes")
    view_index = ext.get("bufferView")
    views = doc.get("bufferViews", [])
    if not isinstance(view_index, int) or not 0 <= view_index < len(views):
        raise _fail(at, "the Draco extension has no valid bufferView")
    view = views[view_index]
    start = view.get("byteOffset", 0)
    mesh = _decode(binary[start : start + view["byteLength"]], at)
    if prim.get("mode", TRIANGLES) == TRIANGLES and "indices" in prim:
        faces = getattr(mesh, "faces", None)
        if faces is None:
            raise _fail(at, "the Draco data holds no triangles")
        _store_accessor(doc, appender, prim["indices"], np.asarray(faces).reshape(-1), at)
    for name, unique_id in ext["attributes"].items():
        if name not in prim.get("attributes", {}):
            continue
        attribute = mesh.get_attribute_by_unique_id(unique_id)
        if attribute is None:
            raise _fail(at, f"the Draco data has no attribute {unique_id!r} for {name}")
        _store_accessor(doc, appender, prim["attributes"][name], attribute["data"], at)


def decode_draco(model: LoadedModel) -> None:
    """Replace every Draco-compressed primitive of ``model`` by plain accessors (noted)."""
    doc = model.doc
    if DRACO not in doc.get("extensionsUsed", []):
        return
    appender = BufferAppender(doc, model.binary)
    decoded = 0
    for m, mesh in enumerate(doc.get("meshes", [])):
        for p, prim in enumerate(mesh.get("primitives", [])):
            if DRACO in prim.get("extensions", {}):
                _decode_primitive(doc, model.binary, appender, prim, f"/meshes/{m}/primitives/{p}")
                decoded += 1
    undeclare_extension(doc, DRACO)
    if decoded:
        model.binary = appender.binary()
        model.compressed = True
        model.notes.add("draco_decoded", {"primitives": decoded})
    log.info("decoded %d Draco primitives", decoded)
