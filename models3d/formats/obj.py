"""Wavefront OBJ input, with its MTL files and textures when they came in a zip.

Every ``mtllib`` and texture reference is confined to the upload folder and every texture
is checked from its header before trimesh reads anything.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path

from models3d.errors import ModelError
from models3d.formats.meshes import check_counts, to_model
from models3d.formats.registry import LoadContext, LoadedModel, register
from models3d.textures import check_image
from models3d.uris import resolve_local_name

log = logging.getLogger(__name__)

_MAP = re.compile(r"^\s*(map_\w+|bump|disp|decal|norm|refl)\s+(.+?)\s*$", re.IGNORECASE)
_MTLLIB = re.compile(r"^\s*mtllib\s+(.+?)\s*$")


def scan_obj(path: Path) -> tuple[int, int, list[str]]:
    """Stream the OBJ once: (face lines, vertex lines, mtllib names)."""
    faces = verts = 0
    libs: list[str] = []
    with path.open("rb") as fh:
        for raw in fh:
            if raw.startswith(b"f ") or raw.startswith(b"f\t"):
                faces += max(len(raw.split()) - 3, 1)
            elif raw.startswith(b"v ") or raw.startswith(b"v\t"):
                verts += 1
            elif raw.startswith(b"mtllib"):
                m = _MTLLIB.match(raw.decode("utf-8", "replace"))
                if m:
                    libs.append(m.group(1))
    return faces, verts, libs


def texture_names(mtl: Path) -> list[str]:
    """Texture file names referenced by an MTL file (options before the name are skipped)."""
    names = []
    for line in mtl.read_text("utf-8", "replace").splitlines():
        m = _MAP.match(line)
        if m:
            names.append(m.group(2).split()[-1])
    return names


@register("obj")
def load_obj(path: Path, ctx: LoadContext) -> LoadedModel:
    """Load an OBJ; companions (MTL, textures) are read only from ``ctx.base_dir``."""
    import trimesh
    from trimesh.resolvers import FilePathResolver

    faces, verts, libs = scan_obj(path)
    if faces == 0:
        raise ModelError("no_geometry", {"reason": "the OBJ file has no faces"})
    check_counts(faces, verts, ctx.limits)
    notes: list[str] = []
    for lib in libs:
        mtl = resolve_local_name(lib, ctx.base_dir)
        if mtl is None:
            notes.append(f"material file {lib!r} was not uploaded; the model has no textures")
            continue
        for name in texture_names(mtl):
            tex = resolve_local_name(name, ctx.base_dir)
            if tex is not None:
                check_image(tex.read_bytes(), ctx.limits.max_texture_pixels, name)
    with tempfile.TemporaryDirectory(dir=ctx.workdir) as empty:
        # A single OBJ has no companions: resolve against an empty folder, never its own.
        resolver = FilePathResolver(str(ctx.base_dir or empty))
        try:
            with path.open("rb") as fh:
                geometry = trimesh.load(fh, file_type="obj", resolver=resolver, process=False)
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError("parse_error", {"reason": f"OBJ could not be read: {exc}"}) from exc
    return to_model(geometry, "obj", ctx.limits, notes)
