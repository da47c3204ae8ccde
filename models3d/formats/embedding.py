"""Turning a glTF with external or data URIs into one self-contained buffer (GLB layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models3d.errors import ModelError
from models3d.notes import Notes
from models3d.options import Limits
from models3d.structure import check_structure
from models3d.textures import is_ktx2, sniff_image
from models3d.uris import read_resource, resolve_uri

ALIGN = 8


def check_document(doc: Any) -> dict[str, Any]:
    """Shape checks before touching anything: glTF 2.x, then :func:`check_structure`."""
    if not isinstance(doc, dict) or not isinstance(doc.get("asset"), dict):
        raise ModelError("invalid_gltf", {"reason": "no asset object"})
    version = str(doc["asset"].get("version", ""))
    if not version.startswith("2."):
        raise ModelError("invalid_gltf", {"reason": f"glTF version {version!r}, expected 2.0"})
    check_structure(doc)
    return doc


def used_extensions(doc: dict[str, Any]) -> list[str]:
    """The extensions a document says it uses (sorted, without duplicates)."""
    return sorted(set(doc.get("extensionsUsed", [])))


def _views_end(doc: dict[str, Any], buffer: int) -> int:
    """Where the last byte that buffer views of ``buffer`` read ends."""
    ends = [0]
    for view in doc.get("bufferViews", []):
        if view.get("buffer", 0) == buffer:
            ends.append(view.get("byteOffset", 0) + view.get("byteLength", 0))
        meshopt = view.get("extensions", {}).get("EXT_meshopt_compression")
        if meshopt is not None and meshopt.get("buffer", 0) == buffer:
            ends.append(meshopt.get("byteOffset", 0) + meshopt.get("byteLength", 0))
    return max(ends)


def _buffer_length(doc: dict[str, Any], index: int, available: int, notes: Notes) -> int:
    """The usable length of buffer ``index`` whose data has ``available`` bytes.

    Like three.js, a missing byteLength, or one longer than the data while every buffer
    view still fits in the data, is repaired (and noted); otherwise it is ``invalid_gltf``.
    """
    declared = doc["buffers"][index].get("byteLength")
    if declared is not None and declared <= available:
        return int(declared)
    if _views_end(doc, index) > available:
        raise ModelError(
            "invalid_gltf", {"buffer": index, "reason": "buffer shorter than its byteLength"}
        )
    notes.add("buffer_length_repaired", {"buffer": index, "declared": declared})
    return available


def repair_image_types(doc: dict[str, Any], binary: bytes, notes: Notes) -> None:
    """Give each embedded image the MIME type its bytes show (viewers sniff it too)."""
    views = doc.get("bufferViews", [])
    for i, image in enumerate(doc.get("images", [])):
        v = image.get("bufferView")
        if v is None or "extensions" in views[v]:
            continue
        start = views[v].get("byteOffset", 0)
        mime = sniff_image(binary[start : start + min(views[v].get("byteLength", 0), 64)])
        if mime is not None and image.get("mimeType") != mime:
            notes.add("image_type_repaired", {"image": i, "declared": image.get("mimeType")})
            image["mimeType"] = mime


def _append(out: bytearray, data: bytes) -> int:
    out.extend(b"\0" * (-len(out) % ALIGN))
    offset = len(out)
    out.extend(data)
    return offset


def _single_buffer(doc: dict[str, Any], glb_bin: bytes, notes: Notes) -> bytes:
    """The common GLB case, everything already in the BIN chunk: no copy of the data."""
    for v, view in enumerate(doc.get("bufferViews", [])):
        if view.get("buffer", 0) != 0:
            raise ModelError("invalid_gltf", {"bufferView": v, "reason": "bad buffer index"})
        meshopt = view.get("extensions", {}).get("EXT_meshopt_compression")
        if meshopt is not None and meshopt.get("buffer", 0) != 0:
            raise ModelError("invalid_gltf", {"bufferView": v, "reason": "bad buffer index"})
    length = _buffer_length(doc, 0, len(glb_bin), notes)
    data = glb_bin[:length] if length < len(glb_bin) else glb_bin
    data += b"\0" * (-len(data) % 4)
    if data:
        doc["buffers"] = [{"byteLength": len(data)}]
    else:
        doc.pop("buffers", None)
    return data


def embed_resources(
    doc: dict[str, Any],
    glb_bin: bytes | None,
    base_dir: Path | None,
    limits: Limits,
    notes: Notes | None = None,
) -> tuple[dict[str, Any], bytes]:
    """Return (doc, binary) with every buffer and image inside a single binary buffer.

    URIs are confined by :func:`models3d.uris.resolve_uri` before anything is read.
    """
    doc = check_document(doc)
    notes = notes if notes is not None else Notes()
    # Confine every URI first, before reading any of them.
    uris = [b.get("uri") for b in doc.get("buffers", [])] + [
        i.get("uri") for i in doc.get("images", [])
    ]
    for uri in uris:
        if uri is not None:
            resolve_uri(uri, base_dir)
    buffers = doc.get("buffers", [])
    if (
        glb_bin is not None
        and len(buffers) == 1
        and buffers[0].get("uri") is None
        and not any("uri" in image for image in doc.get("images", []))
    ):
        binary = _single_buffer(doc, glb_bin, notes)
        repair_image_types(doc, binary, notes)
        return doc, binary
    out = bytearray()
    offsets: list[int | None] = []
    for i, buf in enumerate(doc.get("buffers", [])):
        uri = buf.get("uri")
        if uri is not None:
            data = read_resource(uri, base_dir, limits.max_unpacked_bytes)
        elif i == 0 and glb_bin is not None:
            data = glb_bin
        elif buf.get("extensions", {}).get("EXT_meshopt_compression", {}).get("fallback"):
            offsets.append(None)
            continue
        else:
            raise ModelError("missing_resource", {"buffer": i, "reason": "buffer has no data"})
        offsets.append(_append(out, data[: _buffer_length(doc, i, len(data), notes)]))
    # Meshopt fallback buffers hold no data; they stay as buffers 1.. after the embedded one.
    fallback = [i for i, off in enumerate(offsets) if off is None]
    new_index = {old: 1 + k for k, old in enumerate(fallback)}
    fallback_buffers = [doc["buffers"][i] for i in fallback]
    for v, view in enumerate(doc.get("bufferViews", [])):
        b = view.get("buffer", 0)
        if not 0 <= b < len(offsets):
            raise ModelError("invalid_gltf", {"bufferView": v, "reason": "bad buffer index"})
        base = offsets[b]
        if base is None:
            view["buffer"] = new_index[b]
        else:
            view["buffer"] = 0
            view["byteOffset"] = view.get("byteOffset", 0) + base
        meshopt = view.get("extensions", {}).get("EXT_meshopt_compression")
        if meshopt is not None:
            mb = meshopt.get("buffer", 0)
            moff = offsets[mb] if 0 <= mb < len(offsets) else None
            if moff is None:
                raise ModelError("invalid_gltf", {"bufferView": v, "reason": "bad buffer index"})
            meshopt["buffer"] = 0
            meshopt["byteOffset"] = meshopt.get("byteOffset", 0) + moff
    views = doc.setdefault("bufferViews", [])
    for i, image in enumerate(doc.get("images", [])):
        uri = image.pop("uri", None)
        if uri is None:
            continue
        data = read_resource(uri, base_dir, limits.max_unpacked_bytes)
        mime = sniff_image(data) or ("image/ktx2" if is_ktx2(data) else None)
        if mime is None:
            raise ModelError("unsupported_texture", {"image": i, "uri": uri[:200]})
        views.append({"buffer": 0, "byteOffset": _append(out, data), "byteLength": len(data)})
        image["bufferView"] = len(views) - 1
        image["mimeType"] = mime
    out.extend(b"\0" * (-len(out) % 4))
    repair_image_types(doc, bytes(out), notes)
    if out or fallback_buffers:
        doc["buffers"] = [{"byteLength": len(out)}, *fallback_buffers]
    else:
        doc.pop("buffers", None)
        if not views:
            doc.pop("bufferViews", None)
    return doc, bytes(out)
