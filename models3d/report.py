"""The JSON-able report on a model: contents, validation, normalisation, phone readiness."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from models3d.errors import PHONE_READY_REASONS
from models3d.formats import LoadedModel
from models3d.glb import dump_json
from models3d.gltfscene import count_geometry
from models3d.normalise import Normalisation
from models3d.texprep import image_bytes
from models3d.textures import check_image

MAX_MESSAGES = 20
PHONE_MAX_TRIANGLES = 500_000
PHONE_MAX_TEXTURE_PX = 4096
PHONE_MAX_BYTES = 15_000_000
# Texture memory a phone browser can spend on one model without risk of losing its WebGL
# context: iOS Safari caps a tab's GPU memory at a few hundred MB and mid-range Android
# phones have 3 to 4 GB shared by everything, so one model gets at most 64 MiB of textures.
PHONE_MAX_TEXTURE_GPU_BYTES = 64 << 20
# Geometry data below this size loads in a few seconds even on a slow mobile network
# uncompressed, so missing compression does not count against it.
PHONE_UNCOMPRESSED_MAX_BYTES = 1_000_000


def texture_list(model: LoadedModel, max_pixels: int) -> list[dict[str, Any]]:
    """Each image: index, name, mime type, width, height, bytes."""
    result = []
    for i, image in enumerate(model.doc.get("images", [])):
        data = image_bytes(model.doc, model.binary, i)
        mime, width, height = check_image(data, max_pixels, f"image {i}")
        result.append(
            {
                "index": i,
                "name": image.get("name"),
                "mime_type": mime,
                "width": width,
                "height": height,
                "bytes": len(data),
            }
        )
    return result


def texture_gpu_bytes(width: int, height: int) -> int:
    """GPU memory of one texture decoded to RGBA8 with its mipmaps (4 bytes a pixel, 4/3)."""
    return width * height * 4 * 4 // 3


def textures_gpu_bytes(textures: list[dict[str, Any]]) -> int:
    """GPU memory of every texture in ``textures`` (dicts with width and height)."""
    return sum(texture_gpu_bytes(t["width"], t["height"]) for t in textures)


def validator_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The validator's counts and first messages (code, message, pointer, severity)."""
    return {
        "scope": result.get("scope", "full"),  # "structure": JSON only (huge inputs)
        "numErrors": result["numErrors"],
        "numWarnings": result["numWarnings"],
        "numInfos": result["numInfos"],
        "numHints": result.get("numHints", 0),
        "messages": [
            {k: m.get(k) for k in ("code", "message", "pointer", "severity")}
            for m in result.get("messages", [])[:MAX_MESSAGES]
        ],
    }


def phone_ready(
    model: LoadedModel,
    triangles: int,
    textures: list[dict[str, Any]],
    size_bytes: int,
    validation: dict[str, Any],
    norm: Normalisation,
) -> dict[str, Any]:
    """Is the uploaded model usable on a phone as it is? Reasons are stable codes.

    Texture memory counts, not only download size: a phone decodes every texture to RGBA
    with mipmaps, and more than :data:`PHONE_MAX_TEXTURE_GPU_BYTES` of them is a reason.

    The verdict is true when there is no reason against it. Missing compression is a reason
    only when the geometry data (the binary data besides the texture images) is above
    :data:`PHONE_UNCOMPRESSED_MAX_BYTES`: compression shrinks geometry, not images.
    """
    codes = []
    if triangles > PHONE_MAX_TRIANGLES:
        codes.append("too_many_triangles")
    if any(max(t["width"], t["height"]) > PHONE_MAX_TEXTURE_PX for t in textures):
        codes.append("textures_too_large")
    if textures_gpu_bytes(textures) > PHONE_MAX_TEXTURE_GPU_BYTES:
        codes.append("texture_memory_too_large")
    if size_bytes > PHONE_MAX_BYTES:
        codes.append("file_too_heavy")
    compressed = model.compressed or "EXT_meshopt_compression" in model.doc.get(
        "extensionsUsed", []
    )
    geometry_bytes = len(model.binary) - sum(t["bytes"] for t in textures)
    if not compressed and geometry_bytes > PHONE_UNCOMPRESSED_MAX_BYTES:
        codes.append("not_compressed")
    if norm.up_axis == "z":
        codes.append("z_up")
    if validation["numErrors"]:
        codes.append("validator_errors")
    return {
        "verdict": not codes,
        "reasons": [{"code": c, "message": PHONE_READY_REASONS[c]} for c in codes],
    }


def build_report(
    model: LoadedModel,
    *,
    original_name: str | None,
    size_bytes: int,
    validation: dict[str, Any],
    norm: Normalisation,
    max_pixels: int,
) -> dict[str, Any]:
    """The inspection report (before levels are built)."""
    doc = model.doc
    triangles, vertices = count_geometry(doc)
    textures = texture_list(model, max_pixels)
    report: dict[str, Any] = {
        "original_name": original_name,
        "format": model.format,
        "container": model.container,
        "bytes": size_bytes,
        "triangles": triangles,
        "vertices": vertices,
        "meshes": len(doc.get("meshes", [])),
        "materials": len(doc.get("materials", [])),
        "animations": len(doc.get("animations", [])),
        "textures": textures,
        "texture_gpu_bytes": textures_gpu_bytes(textures),
        "extensions_used": list(model.extensions_used),
        "generator": doc.get("asset", {}).get("generator"),
        "validator": validator_summary(validation),
        **norm.to_dict(),
        "notes": model.notes.to_list(),
    }
    report["phone_ready"] = phone_ready(model, triangles, textures, size_bytes, validation, norm)
    dump_json(report)  # fails loudly if anything is not JSON-able
    return report


def publish_outputs(
    stage: Path, out_dir: Path, report: dict[str, Any], poster: bytes, px: int
) -> None:
    """Write the poster and the report beside the levels in ``stage``, then move everything
    into ``out_dir`` (each file by a rename, so a reader never sees half a file)."""
    (stage / "poster.webp").write_bytes(poster)
    report["poster"] = {"bytes": len(poster), "width": px, "height": px, "mime_type": "image/webp"}
    (stage / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in sorted(stage.iterdir()):
        os.replace(item, out_dir / item.name)
