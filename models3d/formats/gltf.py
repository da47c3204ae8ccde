"""glTF JSON input (with its buffers and images next to it, or as data URIs)."""

from __future__ import annotations

from pathlib import Path

from models3d.formats.embedding import embed_resources, used_extensions
from models3d.formats.registry import LoadContext, LoadedModel, register
from models3d.glb import parse_json
from models3d.notes import Notes
from models3d.structure import reading_structure


@register("gltf")
def load_gltf(path: Path, ctx: LoadContext) -> LoadedModel:
    """Load a .gltf JSON file, embedding its resources from ``ctx.base_dir``."""
    doc = parse_json(path.read_bytes(), "glTF JSON", "utf-8-sig")
    notes = Notes()
    with reading_structure("glTF document"):
        doc, embedded = embed_resources(doc, None, ctx.base_dir, ctx.limits, notes)
    return LoadedModel("gltf", doc, embedded, notes=notes, extensions_used=used_extensions(doc))
