"""Wavefront OBJ input, with its MTL files and textures when they came in a zip.

Every ``mtllib`` and texture reference is confined to the upload folder and every texture
is checked from its header before trimesh reads anything. trimesh then gets the checked
bytes only (:class:`models3d.formats.companions.CheckedFiles`): one material library put
together from every MTL file the OBJ names, whose ``map_Kd`` lines name checked textures.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from models3d.errors import ModelError
from models3d.formats.companions import CheckedFiles, checked_texture, find_companion, local_file
from models3d.formats.meshes import check_counts, to_model
from models3d.formats.registry import LoadContext, LoadedModel, register
from models3d.notes import Notes

log = logging.getLogger(__name__)

_MAP = re.compile(r"^\s*(map_\w+|bump|disp|decal|norm|refl)\s+(\S.*?)\s*$", re.IGNORECASE)


def scan_obj(path: Path) -> tuple[int, int, list[str]]:
    """Stream the OBJ once: (triangles of face lines, vertex lines, ``mtllib`` arguments).

    Statements may be indented, as readers (trimesh among them) accept.
    """
    faces = verts = 0
    libs: list[str] = []
    with path.open("rb") as fh:
        # The cost of a huge scan is this loop: dispatch on the first byte, an int (32 space,
        # 9 tab, 102 "f", 118 "v", 109 "m"), so blank and other lines cost one comparison.
        for raw in fh:
            first = raw[0]
            if first == 32 or first == 9:  # rare: an indented statement
                raw = raw.lstrip() or b"\n"
                first = raw[0]
            if first == 102 and (raw.startswith(b"f ") or raw.startswith(b"f\t")):
                faces += max(len(raw.split()) - 3, 1)
            elif first == 118 and (raw.startswith(b"v ") or raw.startswith(b"v\t")):
                verts += 1
            elif first == 109 and raw.startswith((b"mtllib ", b"mtllib\t")):
                argument = raw[7:].decode("utf-8", "replace").strip()
                if argument:
                    libs.append(argument)
    return faces, verts, libs


def library_names(argument: str, base_dir: Path | None) -> list[str]:
    """The file names of one ``mtllib`` statement: one or more, separated by spaces.

    A name with spaces in it is kept whole when a file of that name was uploaded.
    """
    names = argument.split()
    if len(names) > 1 and local_file(argument, base_dir) is not None:
        return [argument]
    return names


def texture_name(argument: str, base_dir: Path | None) -> str:
    """The file name of a texture statement: the last word, after any options.

    A name with spaces in it is kept whole when a file of that name was uploaded.
    """
    if local_file(argument, base_dir) is not None:
        return argument
    return argument.split()[-1]


def texture_names(mtl: Path, base_dir: Path | None = None) -> list[str]:
    """Texture file names referenced by an MTL file (options before the name are skipped)."""
    names = []
    for line in mtl.read_text("utf-8", "replace").splitlines():
        m = _MAP.match(line)
        if m:
            names.append(texture_name(m.group(2), base_dir))
    return names


def _checked_library(mtl: Path, ctx: LoadContext, textures: dict[str, bytes], notes: Notes) -> str:
    """The MTL text with each ``map_Kd`` naming its checked texture; textures are added."""
    lines = []
    for line in mtl.read_text("utf-8", "replace").splitlines():
        m = _MAP.match(line)
        if m:
            name = texture_name(m.group(2), ctx.base_dir)
            data = checked_texture(name, ctx.base_dir, ctx.limits, notes)
            if data is not None:
                textures[name] = data
            elif ctx.base_dir is not None:  # an absolute path naming nothing uploaded
                notes.add("texture_not_uploaded", {"file": name[:200]})
            if m.group(1).lower() == "map_kd":
                line = f"map_Kd {name}"
        lines.append(line)
    return "\n".join(lines)


@register("obj")
def load_obj(path: Path, ctx: LoadContext) -> LoadedModel:
    """Load an OBJ; companions (MTL, textures) are read only from ``ctx.base_dir``."""
    import trimesh

    faces, verts, libs = scan_obj(path)
    if faces == 0:
        raise ModelError("no_geometry", {"reason": "the OBJ file has no faces"})
    check_counts(faces, verts, ctx.limits)
    notes = Notes()
    library: list[str] = []
    textures: dict[str, bytes] = {}
    for argument in libs:
        for lib in library_names(argument, ctx.base_dir):
            mtl = find_companion(lib, ctx.base_dir, notes)
            if mtl is None:
                notes.add("material_file_not_uploaded", {"file": lib[:200]})
                continue
            library.append(_checked_library(mtl, ctx, textures, notes))
    resolver = CheckedFiles(textures, "\n".join(library).encode() if library else None)
    try:
        with path.open("rb") as fh:
            geometry = trimesh.load(fh, file_type="obj", resolver=resolver, process=False)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError("parse_error", {"reason": f"OBJ could not be read: {exc}"}) from exc
    return to_model(geometry, "obj", ctx.limits, notes)
