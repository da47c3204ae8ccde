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
from models3d.options import Limits
from models3d.textures import check_image
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


def checked_texture(name: str, base_dir: Path | None, limits: Limits) -> bytes | None:
    """The bytes of texture ``name`` in the upload folder, checked like any texture.

    None when the upload is a single file (it has no companions). Raises ``unsafe_path``,
    ``external_uri_not_allowed``, ``missing_resource``, ``archive_too_large``,
    ``unsupported_texture`` (not PNG, JPEG or WebP) or ``texture_too_large`` (from the
    header, before any pixel is decoded).
    """
    path = resolve_local_name(name, base_dir)
    if path is None:
        return None
    if path.stat().st_size > limits.max_unpacked_bytes:
        raise ModelError("archive_too_large", {"uri": name[:200]})
    data = path.read_bytes()
    check_image(data, limits.max_texture_pixels, name)
    return data
