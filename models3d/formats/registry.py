"""The format registry: one loader per format, one entry point (:func:`load`).

A loader turns an uploaded file into a :class:`LoadedModel`: a self-contained glTF 2.0
document (JSON plus a single binary buffer with every resource embedded). Adding a format
means adding a module that calls :func:`register`; callers never change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models3d.errors import ModelError
from models3d.notes import Notes
from models3d.options import Limits


@dataclass
class LoadedModel:
    """A model loaded into memory as glTF, whatever its original format."""

    format: str
    doc: dict[str, Any]
    binary: bytes
    container: str | None = None
    up_hint: str | None = None
    up_evidence: str = ""
    notes: Notes = field(default_factory=Notes)
    compressed: bool = False  # the upload's geometry was meshopt-compressed (now decoded)
    # The upload's own extensionsUsed (the document may change: decoded, converted).
    extensions_used: list[str] = field(default_factory=list)

    @property
    def is_gltf(self) -> bool:
        """True when the source was glTF or GLB (Y-up by specification)."""
        return self.format in ("glb", "gltf")


@dataclass(frozen=True)
class LoadContext:
    """Where a loader may look for companion files, its limits and a scratch folder."""

    base_dir: Path | None
    limits: Limits
    workdir: Path


Loader = Callable[[Path, LoadContext], LoadedModel]
_LOADERS: dict[str, Loader] = {}


def register(name: str) -> Callable[[Loader], Loader]:
    """Decorator registering ``loader`` for format ``name``."""

    def wrap(loader: Loader) -> Loader:
        _LOADERS[name] = loader
        return loader

    return wrap


def registered_formats() -> tuple[str, ...]:
    """Names of all registered formats."""
    return tuple(sorted(_LOADERS))


def load(path: Path, fmt: str, ctx: LoadContext) -> LoadedModel:
    """Load ``path`` as format ``fmt`` (see :func:`models3d.detect.detect_format`)."""
    loader = _LOADERS.get(fmt)
    if loader is None:
        raise ModelError("unsupported_format", {"format": fmt})
    return loader(path, ctx)
