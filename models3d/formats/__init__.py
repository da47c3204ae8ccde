"""Input formats: one module per format, registered in :mod:`models3d.formats.registry`."""

from models3d.formats import glb, gltf, obj, ply, stl, zipped
from models3d.formats.registry import LoadContext, LoadedModel, load, registered_formats

__all__ = [
    "LoadContext",
    "LoadedModel",
    "glb",
    "gltf",
    "load",
    "obj",
    "ply",
    "registered_formats",
    "stl",
    "zipped",
]
