"""STL input (binary and ASCII). Triangle counts are checked before parsing."""

from __future__ import annotations

import struct
from pathlib import Path

from models3d.errors import ModelError
from models3d.formats.meshes import check_counts, to_model
from models3d.formats.registry import LoadContext, LoadedModel, register
from models3d.notes import Notes


def count_triangles(path: Path) -> int:
    """Triangles declared in a binary STL, or counted (streaming) in an ASCII STL."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(84)
        if len(head) == 84 and size == 84 + 50 * struct.unpack_from("<I", head, 80)[0]:
            return int(struct.unpack_from("<I", head, 80)[0])
        fh.seek(0)
        count = 0
        tail = b""
        while chunk := fh.read(1 << 20):
            block = (tail + chunk).lower()
            count += block.count(b"endfacet")
            tail = block[-7:]
        return count


@register("stl")
def load_stl(path: Path, ctx: LoadContext) -> LoadedModel:
    """Load an STL mesh (vertices merged so normals are smooth)."""
    import trimesh

    triangles = count_triangles(path)
    if triangles == 0:
        raise ModelError("no_geometry", {"reason": "the STL file has no triangles"})
    check_counts(triangles, 0, ctx.limits)
    try:
        with path.open("rb") as fh:
            geometry = trimesh.load(fh, file_type="stl", process=True)
    except Exception as exc:
        raise ModelError("parse_error", {"reason": f"STL could not be read: {exc}"}) from exc
    return to_model(geometry, "stl", ctx.limits, Notes())
