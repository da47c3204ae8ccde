"""glTF JSON input (with its buffers and images next to it, or as data URIs)."""

from __future__ import annotations

import json
from pathlib import Path

from models3d.errors import ModelError
from models3d.formats.embedding import embed_resources
from models3d.formats.registry import LoadContext, LoadedModel, register


@register("gltf")
def load_gltf(path: Path, ctx: LoadContext) -> LoadedModel:
    """Load a .gltf JSON file, embedding its resources from ``ctx.base_dir``."""
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError("parse_error", {"reason": f"glTF JSON does not parse: {exc}"}) from exc
    doc, embedded = embed_resources(doc, None, ctx.base_dir, ctx.limits)
    return LoadedModel("gltf", doc, embedded)
