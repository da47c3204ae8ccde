"""GLB (binary glTF 2.0) input: kept as glTF, external references confined and embedded."""

from __future__ import annotations

from pathlib import Path

from models3d.formats.embedding import embed_resources, used_extensions
from models3d.formats.registry import LoadContext, LoadedModel, register
from models3d.glb import read_glb
from models3d.notes import Notes
from models3d.structure import reading_structure


@register("glb")
def load_glb(path: Path, ctx: LoadContext) -> LoadedModel:
    """Load a GLB file; companion files (if any) are looked up in ``ctx.base_dir``."""
    notes = Notes()
    doc, binary = read_glb(path.read_bytes(), notes)
    with reading_structure("GLB document"):
        doc, embedded = embed_resources(doc, binary, ctx.base_dir, ctx.limits, notes)
    return LoadedModel("glb", doc, embedded, notes=notes, extensions_used=used_extensions(doc))
