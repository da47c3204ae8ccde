"""Companion files of mesh formats (MTL files, textures), handed to trimesh only once checked.

trimesh follows references by itself: an OBJ's ``mtllib`` and ``map_Kd``, a PLY's
``comment TextureFile``, resolved next to the file and decoded whatever their format.
Our loaders never let it: they find the references themselves, confine and check every
file (:func:`checked_texture`), and give trimesh a :class:`CheckedFiles` resolver that
serves those bytes and nothing else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from models3d.errors import ModelError
from models3d.notes import Notes
from models3d.options import Limits
from models3d.textures import check_image, convert_to_png, sniff_image
from models3d.uris import resolve_local_name


class CheckedFiles(Mapping[str, bytes]):
    """A trimesh resolver over checked bytes: it never opens a file or the network.

    trimesh asks for an OBJ's material library with ``resolver[name]``, ``name`` being the
    rest of its first ``mtllib`` line however it is written: it gets ``library``, put
    together from the checked MTL files. Textures are asked for with ``resolver.get(name)``
    and served from ``files`` by the exact names that library (or a PLY header) uses.
    """

    def __init__(self, files: dict[str, bytes] | None = None, library: bytes | None = None):
        self.files = dict(files or {})
        self.library = library

    def __getitem__(self, name: str) -> bytes:
        if self.library is None:
            raise KeyError(name)
        return self.library

    def get(self, name: str, default: bytes | None = None) -> bytes | None:  # type: ignore[override]
        """The checked bytes of ``name``, else ``default``."""
        return self.files.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def __contains__(self, name: object) -> bool:
        return name in self.files


def local_file(name: str, base_dir: Path | None) -> Path | None:
    """The uploaded file ``name`` names, or None (never raises).

    For references that may be a name with spaces or several names: the caller tries the
    whole text first, then its parts, each of which is confined when it is used.
    """
    if base_dir is None:
        return None
    with contextlib.suppress(ModelError):
        return resolve_local_name(name, base_dir)
    return None


# Why a reference is absolute: the path on the author's computer that an exporter wrote.
ABSOLUTE_REASONS = frozenset({"absolute path", "drive letter"})


def _by_base_name(name: str, base_dir: Path) -> Path | None:
    """The one uploaded file whose name is the base name of ``name`` (any folder, exact case
    first, then any case), or None. Symbolic links are never followed or returned."""
    base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    if not base or base in (".", ".."):
        return None
    root = base_dir.resolve()
    files = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    for matches in (
        [p for p in files if p.name == base],
        [p for p in files if p.name.lower() == base.lower()],
    ):
        if len(matches) == 1 and matches[0].resolve().is_relative_to(root):
            return matches[0]
    return None


def find_companion(name: str, base_dir: Path | None, notes: Notes) -> Path | None:
    """The uploaded file an OBJ, MTL or PLY reference names, looked for as Blender does.

    The exact path first (:func:`resolve_local_name`). When it is an absolute path (from the
    author's computer) or is not in the upload, the file of the same base name anywhere in
    the upload is used instead, with a note. Nothing outside the upload is ever read. Returns
    None for an absolute path with nothing of its name uploaded (the caller notes it), and
    raises as :func:`resolve_local_name` does otherwise (``..``, links, web addresses, a
    relative name that is missing).
    """
    try:
        return resolve_local_name(name, base_dir)
    except ModelError as error:
        absolute = error.code == "unsafe_path" and error.detail.get("reason") in ABSOLUTE_REASONS
        if error.code != "missing_resource" and not absolute:
            raise
        found = _by_base_name(name, base_dir) if base_dir is not None else None
        if found is None:
            if absolute:
                return None
            raise
        used = found.resolve().relative_to(base_dir.resolve()).as_posix()  # type: ignore[union-attr]
        notes.add("companion_path_repaired", {"file": name[:200], "used": used[:200]})
        return found


def checked_texture(
    name: str, base_dir: Path | None, limits: Limits, notes: Notes | None = None
) -> bytes | None:
    """The bytes of texture ``name`` in the upload folder, checked like any texture.

    Found by :func:`find_companion`. None when the upload is a single file (it has no
    companions) or when an absolute path names nothing uploaded. Raises ``unsafe_path``,
    ``external_uri_not_allowed``, ``missing_resource``, ``archive_too_large``,
    ``unsupported_texture`` (not PNG, JPEG or WebP) or ``texture_too_large`` (from the
    header, before any pixel is decoded).
    """
    path = find_companion(name, base_dir, notes if notes is not None else Notes())
    if path is None:
        return None
    if path.stat().st_size > limits.max_unpacked_bytes:
        raise ModelError("archive_too_large", {"uri": name[:200]})
    data = path.read_bytes()
    if sniff_image(data) is None:
        converted = convert_to_png(data, limits.max_texture_pixels, name)
        if converted is not None:
            data = converted[0]
            if notes is not None:
                notes.add("texture_converted", {"file": name[:200], "format": converted[1]})
    check_image(data, limits.max_texture_pixels, name)
    return data
