"""Input formats: one module per format, registered in :mod:`models3d.formats.registry`."""

from models3d.formats import e57, glb, gltf, las, obj, ply, plypoints, stl, zipped
from models3d.formats.registry import LoadContext, LoadedModel, load, registered_formats

__all__ = [
    "LoadContext",
    "LoadedModel",
    "e57",
    "glb",
    "gltf",
    "las",
    "load",
    "obj",
    "ply",
    "plypoints",
    "registered_formats",
    "stl",
    "zipped",
]
