"""Shared conversion of trimesh geometry (OBJ, PLY, STL) into an in-memory glTF."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from models3d.errors import ModelError
from models3d.formats.registry import LoadedModel
from models3d.glb import read_glb
from models3d.notes import Notes
from models3d.options import Limits
from models3d.upaxis import detect_up_axis

if TYPE_CHECKING:  # trimesh is imported only when a mesh format is loaded (it is slow)
    import trimesh

log = logging.getLogger(__name__)


def check_counts(triangles: int, vertices: int, limits: Limits) -> None:
    """Raise ``model_too_large`` when counts exceed the limits."""
    if triangles > limits.max_triangles or vertices > limits.max_vertices:
        raise ModelError(
            "model_too_large",
            {
                "triangles": triangles,
                "vertices": vertices,
                "max_triangles": limits.max_triangles,
                "max_vertices": limits.max_vertices,
            },
        )


def _check_faces(mesh: trimesh.Trimesh) -> None:
    """Faces refer to existing vertices, and the vertices they use are finite numbers."""
    faces = np.asarray(mesh.faces)
    vertices = np.asarray(mesh.vertices)
    if faces.size and (int(faces.min()) < 0 or int(faces.max()) >= len(vertices)):
        raise ModelError("parse_error", {"reason": "a face refers to a vertex that does not exist"})
    finite = np.isfinite(vertices).all(axis=1)
    if not finite.all() and not finite[faces].all():
        raise ModelError("parse_error", {"reason": "vertex coordinates are not finite numbers"})


def _clean(mesh: trimesh.Trimesh) -> None:
    """Drop degenerate faces and unused vertices; give every vertex a unit normal."""
    if len(mesh.faces) == 0:
        return
    mesh.update_faces(mesh.nondegenerate_faces())
    mesh.remove_unreferenced_vertices()
    if len(mesh.faces) == 0:
        return
    normals = np.array(mesh.vertex_normals, dtype=np.float64)
    length = np.linalg.norm(normals, axis=1)
    bad = ~np.isfinite(length) | (length < 1e-6)
    if bad.any():
        normals[bad] = [0.0, 1.0, 0.0]
        length[bad] = 1.0
    mesh.vertex_normals = normals / length[:, None]  # type: ignore[method-assign]


def to_model(geometry: Any, fmt: str, limits: Limits, notes: Notes) -> LoadedModel:
    """Convert a trimesh Trimesh or Scene into a :class:`LoadedModel` (GLB layout).

    Degenerate (zero-area) faces are dropped; a model made only of them is ``no_geometry``.
    """
    import trimesh
    from trimesh.exchange.gltf import export_glb

    if isinstance(geometry, trimesh.Trimesh):
        scene = trimesh.Scene(geometry)
    elif isinstance(geometry, trimesh.Scene):
        scene = geometry
    else:
        raise ModelError("no_geometry", {"reason": f"the file holds {type(geometry).__name__}"})
    had_faces = False
    for name, geom in list(scene.geometry.items()):
        if isinstance(geom, trimesh.Trimesh):
            had_faces = had_faces or len(geom.faces) > 0
            _check_faces(geom)
            _clean(geom)
            if len(geom.faces) == 0:
                scene.delete_geometry(name)
    meshes = [g for g in scene.dump() if isinstance(g, trimesh.Trimesh) and len(g.faces)]
    if not meshes:
        reason = "every triangle has zero area" if had_faces else "no triangles"
        raise ModelError("no_geometry", {"reason": reason})
    check_counts(sum(len(m.faces) for m in meshes), sum(len(m.vertices) for m in meshes), limits)
    combined_v = np.concatenate([m.vertices for m in meshes])
    offsets = np.cumsum([0] + [len(m.vertices) for m in meshes[:-1]])
    combined_f = np.concatenate([m.faces + off for m, off in zip(meshes, offsets, strict=True)])
    up, evidence = detect_up_axis(combined_v, combined_f)
    try:
        data = export_glb(scene, include_normals=True)
    except (ValueError, TypeError, KeyError) as exc:  # pragma: no cover - trimesh internals
        raise ModelError("parse_error", {"reason": f"could not convert: {exc}"}) from exc
    doc, binary = read_glb(data)
    doc["asset"]["generator"] = "Heritour models3d (trimesh)"
    log.debug("converted %s: %d meshes, up axis guess %s", fmt, len(meshes), up)
    return LoadedModel(fmt, doc, binary or b"", up_hint=up, up_evidence=evidence, notes=notes)
