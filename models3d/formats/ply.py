"""PLY input (binary and ASCII), vertex colours kept. Counts are checked from the header.

A ``comment TextureFile NAME`` in the header is followed only inside a zip, to a file of
the upload that passes the texture checks; a PLY alone reads nothing but itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models3d.errors import ModelError
from models3d.formats.companions import CheckedFiles, checked_texture
from models3d.formats.meshes import check_counts, to_model
from models3d.formats.registry import LoadContext, LoadedModel, register
from models3d.notes import Notes

_ELEMENT = re.compile(rb"^element\s+(\S+)\s+(\d+)\s*$")


@dataclass
class PlyHeader:
    """What the loader needs from a PLY header."""

    counts: dict[str, int] = field(default_factory=dict)
    texture: str | None = None


def read_header(path: Path) -> PlyHeader:
    """Element counts (e.g. {"vertex": 8, "face": 12}) and the texture file a header names.

    The texture is found as trimesh finds it: the text after ``TextureFile`` on the last
    header line (after the format line) that is neither an element nor a property.
    """
    with path.open("rb") as fh:
        head = fh.read(65536)
    end = head.find(b"end_header")
    if not head.startswith(b"ply") or end < 0:
        raise ModelError("parse_error", {"reason": "PLY header is missing or too long"})
    header = PlyHeader()
    for i, line in enumerate(head[:end].splitlines()):
        m = _ELEMENT.match(line.strip())
        if m:
            header.counts[m.group(1).decode("ascii", "replace")] = int(m.group(2))
            continue
        text = line.decode("utf-8", "replace").strip()
        words = text.split()
        if i < 2 or not words or "element" in words[0] or "property" in words[0]:
            continue
        where = text.lower().find("texturefile")
        if where >= 0:
            header.texture = text[where + len("texturefile") :].strip()
    return header


def read_header_counts(path: Path) -> dict[str, int]:
    """Return the element counts declared in a PLY header (e.g. {"vertex": 8, "face": 12})."""
    return read_header(path).counts


@register("ply")
def load_ply(path: Path, ctx: LoadContext) -> LoadedModel:
    """Load a PLY mesh; a PLY without faces (a point cloud) is ``no_geometry``."""
    import trimesh

    header = read_header(path)
    faces = header.counts.get("face", 0)
    if faces == 0:
        raise ModelError("no_geometry", {"reason": "the PLY file has no faces (point cloud?)"})
    check_counts(faces, header.counts.get("vertex", 0), ctx.limits)
    notes = Notes()
    files: dict[str, bytes] = {}
    if header.texture:
        data = checked_texture(header.texture, ctx.base_dir, ctx.limits, notes)
        if data is None:
            notes.add("texture_not_uploaded", {"file": header.texture[:200]})
        else:
            files[header.texture] = data
    try:
        with path.open("rb") as fh:
            geometry = trimesh.load(
                fh,
                file_type="ply",
                resolver=CheckedFiles(files),
                skip_materials=not files,
                process=False,
            )
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError("parse_error", {"reason": f"PLY could not be read: {exc}"}) from exc
    if not files:
        _drop_placeholder_texture(geometry, notes)
    return to_model(geometry, "ply", ctx.limits, notes)


def _drop_placeholder_texture(geometry: Any, notes: Notes) -> None:
    """trimesh gives a PLY with UVs and no texture a made-up 2 x 2 image; drop UVs instead."""
    import trimesh

    meshes = geometry.geometry.values() if isinstance(geometry, trimesh.Scene) else [geometry]
    for mesh in meshes:
        if isinstance(mesh, trimesh.Trimesh) and isinstance(
            mesh.visual, trimesh.visual.TextureVisuals
        ):
            mesh.visual = trimesh.visual.ColorVisuals(mesh=mesh)
            notes.add("unused_uvs_dropped", {})
