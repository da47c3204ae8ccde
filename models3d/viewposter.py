"""Posters drawn from a stop's exact camera, so they line up with the viewer's first frame.

The same software rasteriser as the model's own poster (``models3d.poster``), with a
perspective camera placed as model-viewer places it: orbit angles and distance around the
target, the vertical field of view widened as model-viewer widens it on canvases narrower
than the model (its "ideal aspect"), and the distance that keeps the curator's framed
rectangle in view on the poster's aspect (``models3d.camera.fit_radius``).
"""

from __future__ import annotations

import io
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from models3d import poster as raster
from models3d.camera import CameraView, fit_radius
from models3d.formats.registry import LoadedModel
from models3d.glb import read_glb, write_glb_file
from models3d.gltfscene import DrawBatch, draw_batches
from models3d.ktx2input import BASISU, decode_ktx2_images
from models3d.nodetools import run_gltfpack
from models3d.options import DEFAULT_LIMITS

NEAR_FRACTION = 1e-3  # triangles closer than this fraction of the distance are left out


def _ideal_aspect(positions: np.ndarray, target: np.ndarray, fov: float) -> float:
    """model-viewer's idealAspect: how wide the model is seen from any side, around the target."""
    offsets = positions - target
    radius = float(np.sqrt((offsets**2).sum(axis=1).max()))
    half = math.radians(fov) / 2
    distance = radius / math.sin(half)
    radial = np.sqrt(offsets[:, 0] ** 2 + offsets[:, 2] ** 2)
    widest = float((radial / (distance - np.abs(offsets[:, 1]))).max())
    return widest / math.tan(half)


def shown_view(
    positions: np.ndarray, view: CameraView, aspect: float, framing: dict[str, float] | None
) -> CameraView:
    """The camera model-viewer shows on a canvas of ``aspect``: its field of view widened
    like model-viewer's, and its distance fitted to ``framing`` when there is one."""
    ideal = _ideal_aspect(positions, np.array(view.target), view.field_of_view)
    tangent = math.tan(math.radians(view.field_of_view) / 2) * max(1.0, ideal / aspect)
    fov = math.degrees(2 * math.atan(tangent))
    radius = fit_radius(framing, fov, aspect) if framing else view.radius
    return replace(view, field_of_view=fov, radius=radius)


def _axes(view: CameraView) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    eye = np.array(view.position())
    forward = np.array(view.target) - eye
    forward /= np.linalg.norm(forward)
    world_up = np.array([0.0, 1.0, 0.0])
    if abs(float(forward @ world_up)) > 0.999:  # straight down or up: model-viewer keeps -Z up
        world_up = np.array([0.0, 0.0, -1.0])
    right = np.cross(forward, world_up)
    right /= np.linalg.norm(right)
    return eye, forward, right, np.cross(right, forward)


def _vertices(
    batch: DrawBatch, view: CameraView, size: int, focal: float, light: np.ndarray
) -> np.ndarray:
    eye, forward, right, up = _axes(view)
    offsets = batch.positions - eye
    depth = offsets @ forward
    safe = np.where(depth > 0, depth, 1.0)
    v = np.zeros((len(offsets), raster.NATTR))
    v[:, 0] = size / 2 + (offsets @ right) / safe * focal
    v[:, 1] = size / 2 - (offsets @ up) / safe * focal
    v[:, 2] = np.where(depth > view.radius * NEAR_FRACTION, 1.0 / safe, -np.inf)  # nearer: larger
    if batch.uvs is not None:
        v[:, 3:5] = batch.uvs[:, :2]
    v[:, 5:9] = 1.0
    if batch.colors is not None:
        v[:, 5:8] = batch.colors
    v[:, 9] = raster._vertex_shade(batch, light)
    return v


def render_view(
    doc: dict[str, Any],
    binary: bytes,
    view: CameraView,
    width: int,
    height: int,
    framing: dict[str, float] | None = None,
    base_color: list[float] | None = None,
    supersample: int = 2,
    exact: bool = False,
    light: tuple[float, float, float] | None = None,
) -> Image.Image:
    """Draw the model (plain float accessors, e.g. gltfpack -noq output) as model-viewer shows
    it on a ``width`` × ``height`` canvas from ``view``; RGBA, transparent background.
    ``base_color`` replaces every material's colour and texture (the "clay" lighting).
    ``supersample`` is the drawing scale before reduction (1 for high-density sizes).
    ``exact`` draws ``view`` as given, without model-viewer's widening and framing;
    ``light`` is a fixed direction towards the light (else it follows the camera)."""
    batches = draw_batches(doc, binary)
    if not batches:
        return Image.new("RGBA", (width, height), (0, 0, 0, 0))
    positions = np.concatenate([batch.positions for batch in batches])
    shown = view if exact else shown_view(positions, view, width / height, framing)
    k = supersample
    size = k * max(width, height)  # drawn k times larger, then reduced (anti-aliasing)
    focal = k * height / 2 / math.tan(math.radians(shown.field_of_view) / 2)
    _, forward, right, up = _axes(shown)
    towards = (
        np.array(light, dtype=float) if light is not None else -forward + 0.6 * up - 0.4 * right
    )
    towards /= np.linalg.norm(towards)
    cache: dict[int, np.ndarray] = {}
    materials, triangles, mat_ids = [], [], []
    for batch in batches:
        material = raster._material(doc, binary, batch.material, cache)
        if base_color is not None:
            material.color, material.texture = np.array(base_color, dtype=float), None
        materials.append(material)
        tri = _vertices(batch, shown, size, focal, towards)[batch.faces]
        tri = tri[np.isfinite(tri[:, :, 2]).all(axis=1)]
        if not batch.material.get("doubleSided", False):
            tri = tri[raster._front_facing(tri, batch.mirrored)]
        triangles.append(tri)
        mat_ids.append(np.full(len(tri), len(materials) - 1))
    tri, mats = raster._subdivide(np.concatenate(triangles), np.concatenate(mat_ids), size)
    depth, attrs = raster._rasterise(tri, mats, size)
    rgba = raster._shade(depth, attrs, materials).reshape(size, size, 4)
    top, left = (size - k * height) // 2, (size - k * width) // 2
    crop = rgba[top : top + k * height, left : left + k * width]
    image = Image.fromarray(np.round(crop * 255).astype(np.uint8), "RGBA")
    return image.reduce(k) if k > 1 else image


# Posters of a stop: per canvas shape, its CSS size and the widths stored (for srcset); "og"
# is the link preview (1200 × 630, JPEG on the page's background colour).
POSTER_SHAPES: dict[str, tuple[int, int, tuple[int, ...]]] = {
    "phone": (412, 420, (412, 824)),
    "wide": (637, 420, (637, 1274)),
    "og": (1200, 630, (1200,)),
}
BACKGROUND = (0xEF, 0xE9, 0xE1)


def decode_glb(data: bytes, workdir: Path) -> tuple[dict[str, Any], bytes]:
    """A stored level (quantised, meshopt-compressed, KTX2 textures) as plain float
    accessors (via gltfpack) and PNG textures (transcoded as a browser would show them).

    The result is also written to ``workdir/plain.glb``: AR apps (Scene Viewer, and
    model-viewer's USDZ export for Quick Look) read neither meshopt nor KTX2.
    """
    src, dst = workdir / "level.glb", workdir / "plain.glb"
    src.write_bytes(data)
    run_gltfpack(src, dst, ["-noq"])
    doc, binary = read_glb(dst.read_bytes())
    if BASISU in doc.get("extensionsUsed", []):
        model = LoadedModel("glb", doc, binary or b"")
        decode_ktx2_images(model, workdir, DEFAULT_LIMITS)
        doc, binary = model.doc, model.binary
        write_glb_file(dst, doc, binary)
    return doc, binary or b""


def stop_posters(
    doc: dict[str, Any],
    binary: bytes,
    view: CameraView,
    framing: dict[str, float] | None,
    base_color: list[float] | None = None,
) -> dict[str, bytes]:
    """Every poster of a stop, encoded: ``{"phone-412": webp, ..., "og-1200": jpeg}``. Each
    shape is drawn once at its largest width and reduced for the smaller ones."""
    out: dict[str, bytes] = {}
    for shape, (width, height, widths) in POSTER_SHAPES.items():
        large = max(widths)
        scale = large / width
        image = render_view(
            doc, binary, view, large, round(height * scale), framing, base_color, supersample=1
        )
        for each in widths:
            size = (each, round(height * each / width))
            sized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            if shape == "og":
                flat = Image.new("RGB", sized.size, BACKGROUND)
                flat.paste(sized, mask=sized.getchannel("A"))
                flat.save(buffer, format="JPEG", quality=85)
            else:
                sized.save(buffer, format="WEBP", quality=80, method=4)
            out[f"{shape}-{each}"] = buffer.getvalue()
    return out
