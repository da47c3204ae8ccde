"""Normalisation: up axis, unit and placement, applied as one root node transform.

The geometry is never rewritten: a new root node holds ``T · R · S`` where S converts the
unit to metres, R turns Z-up into Y-up (x, y, z) → (x, z, -y) when needed, and T centres
the model on x/z with its lowest point on the ground plane (y = 0).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

from models3d.errors import ModelError
from models3d.formats import LoadedModel
from models3d.gltfscene import world_bounds
from models3d.options import UNIT_SCALE

log = logging.getLogger(__name__)

Z_UP_TO_Y_UP = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, -1, 0, 0], [0, 0, 0, 1]], dtype=float)
ROOT_NAME = "heritour_root"


@dataclass(frozen=True)
class Normalisation:
    """What normalisation chose and the resulting bounds (metres, Y-up)."""

    up_axis: str
    up_detected: bool
    up_evidence: str
    unit: str
    scale: float
    matrix: np.ndarray
    bounds: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary for the report."""
        lo, hi = self.bounds
        return {
            "up_axis": self.up_axis,
            "up_axis_detected": self.up_detected,
            "up_axis_evidence": self.up_evidence,
            "unit": self.unit,
            "scale": self.scale,
            "bounds": {"min": _rounded(lo), "max": _rounded(hi)},
            "size": _rounded(hi - lo),
        }


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) + 0.0 for v in values]


def _gltf_up_hint(doc: dict[str, Any]) -> str | None:
    extras = doc.get("asset", {}).get("extras")
    if isinstance(extras, dict):
        for key in ("upAxis", "up_axis", "up"):
            value = str(extras.get(key, "")).strip().lstrip("+").lower()
            if value in ("y", "z"):
                return value
    return None


def choose_up_axis(model: LoadedModel, requested: str) -> tuple[str, bool, str]:
    """Return (up axis, detected?, evidence) for ``requested`` in auto / y / z."""
    if requested in ("y", "z"):
        return requested, False, "chosen by the curator"
    if model.is_gltf:
        hint = _gltf_up_hint(model.doc)
        if hint:
            return hint, True, "asset.extras up-axis hint"
        return "y", False, "glTF is Y-up by specification"
    return model.up_hint or "y", True, model.up_evidence


def plan_normalisation(model: LoadedModel, up_axis: str, unit: str) -> Normalisation:
    """Compute the root transform for ``model`` (without changing it)."""
    bounds = world_bounds(model.doc, model.binary)
    if bounds is None:
        raise ModelError("no_geometry", {"reason": "the scene draws no triangles"})
    up, detected, evidence = choose_up_axis(model, up_axis)
    scale = UNIT_SCALE[unit]
    rs = np.diag([scale, scale, scale, 1.0])
    if up == "z":
        rs = Z_UP_TO_Y_UP @ rs
    corners = np.array([[bounds[(k >> a) & 1][a] for a in range(3)] for k in range(8)])
    moved = corners @ rs[:3, :3].T
    lo, hi = moved.min(axis=0), moved.max(axis=0)
    shift = np.array([-(lo[0] + hi[0]) / 2, -lo[1], -(lo[2] + hi[2]) / 2])
    matrix = np.eye(4)
    matrix[:3, 3] = shift
    matrix = matrix @ rs
    new_bounds = np.stack([lo + shift, hi + shift])
    return Normalisation(up, detected, evidence, unit, scale, matrix, new_bounds)


def apply_normalisation(model: LoadedModel, norm: Normalisation) -> None:
    """Insert a root node carrying ``norm.matrix`` above the default scene's nodes."""
    if np.allclose(norm.matrix, np.eye(4), rtol=0, atol=1e-12):
        return
    doc = model.doc
    scenes = doc.setdefault("scenes", [])
    nodes = doc.setdefault("nodes", [])
    if not scenes:
        children = {c for n in nodes for c in n.get("children", [])}
        scenes.append({"nodes": [i for i in range(len(nodes)) if i not in children]})
        doc["scene"] = 0
    scene = scenes[doc.get("scene", 0)]
    matrix = [float(v) + 0.0 for v in norm.matrix.T.reshape(-1)]
    nodes.append({"name": ROOT_NAME, "matrix": matrix, "children": list(scene.get("nodes", []))})
    scene["nodes"] = [len(nodes) - 1]
    log.debug("root transform %s", matrix)
