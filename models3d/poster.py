"""Poster rendering without a GPU: a small z-buffered software rasteriser (numpy + Pillow).

The model is drawn from a 3/4 view (35° around, 25° above), orthographic, fitted to the
frame, at twice the poster size and then reduced (anti-aliasing). Colours come from the
material's base colour, vertex colours and the base colour texture sampled per pixel at the
interpolated UV (KHR_texture_transform honoured); Lambert shading from smoothed normals with
a soft ambient term; emitted light (emissive factor, texture and strength) added on top.
The background is transparent. Encoded as WebP within a byte budget.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from models3d.gltfscene import DrawBatch, draw_batches
from models3d.texprep import image_bytes

log = logging.getLogger(__name__)

AZIMUTH = math.radians(35.0)
ELEVATION = math.radians(25.0)
MAX_PIXELS_PER_TRIANGLE = 16.0
RASTER_SAMPLES = 1_000_000  # pixel tests per vectorised chunk (bounds memory)
MAX_RASTER_TRIANGLES = 600_000
QUALITIES = (80, 70, 60, 50, 40, 30, 20)
# Attribute columns per vertex: x, y, depth, u, v, r, g, b, a, shade
NATTR = 10


@dataclass
class _Material:
    color: np.ndarray  # RGBA factor
    texture: np.ndarray | None  # (h, w, 4) float
    uv_matrix: np.ndarray  # 3x3
    emissive: np.ndarray
    emissive_texture: np.ndarray | None
    emissive_uv_matrix: np.ndarray
    cutoff: float | None


def _uv_matrix(ref: dict[str, Any]) -> np.ndarray:
    ext = ref.get("extensions", {}).get("KHR_texture_transform")
    if not ext:
        return np.eye(3)
    ox, oy = ext.get("offset", [0.0, 0.0])
    sx, sy = ext.get("scale", [1.0, 1.0])
    r = ext.get("rotation", 0.0)
    t = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1]], dtype=float)
    rot = np.array([[math.cos(r), math.sin(r), 0], [-math.sin(r), math.cos(r), 0], [0, 0, 1]])
    s = np.diag([sx, sy, 1.0])
    return t @ rot @ s


def _texture(
    doc: dict[str, Any], binary: bytes, ref: dict[str, Any] | None, cache: dict
) -> tuple[np.ndarray | None, np.ndarray]:
    """A texture reference as (RGBA float pixels at most 512 px, UV matrix)."""
    if ref is None or not 0 <= ref.get("index", -1) < len(doc.get("textures", [])):
        return None, np.eye(3)
    source = doc["textures"][ref["index"]].get("source")
    if source is None:
        return None, np.eye(3)
    if source not in cache:
        opened = Image.open(io.BytesIO(image_bytes(doc, binary, source)))
        opened.draft("RGB", (512, 512))
        img = opened.convert("RGBA")
        img.thumbnail((512, 512))
        cache[source] = np.asarray(img, dtype=np.float32) / 255.0
    return cache[source], _uv_matrix(ref)


def _material(doc: dict[str, Any], binary: bytes, mat: dict[str, Any], cache: dict) -> _Material:
    pbr = mat.get("pbrMetallicRoughness", {})
    color = np.array(pbr.get("baseColorFactor", [1, 1, 1, 1]), dtype=float)
    ref = pbr.get("baseColorTexture")
    sg = mat.get("extensions", {}).get("KHR_materials_pbrSpecularGlossiness")
    if sg:
        color = np.array(sg.get("diffuseFactor", [1, 1, 1, 1]), dtype=float)
        ref = sg.get("diffuseTexture", ref)
    texture, matrix = _texture(doc, binary, ref, cache)
    strength = mat.get("extensions", {}).get("KHR_materials_emissive_strength", {})
    emissive = np.array(mat.get("emissiveFactor", [0, 0, 0]), dtype=float)
    emissive = emissive * float(strength.get("emissiveStrength", 1.0))
    emissive_texture, emissive_matrix = _texture(doc, binary, mat.get("emissiveTexture"), cache)
    if not emissive.any():
        emissive_texture = None
    cutoff = mat.get("alphaCutoff", 0.5) if mat.get("alphaMode") == "MASK" else None
    return _Material(color, texture, matrix, emissive, emissive_texture, emissive_matrix, cutoff)


def _sample(texture: np.ndarray, uv_matrix: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Nearest-neighbour lookup of RGBA texels at (u, v), wrapping (REPEAT)."""
    uv = np.stack([u, v, np.ones(len(u))], axis=1) @ uv_matrix.T
    h, w = texture.shape[:2]
    tx = np.floor(np.mod(uv[:, 0], 1.0) * w).astype(np.int64).clip(0, w - 1)
    ty = np.floor(np.mod(uv[:, 1], 1.0) * h).astype(np.int64).clip(0, h - 1)
    return np.take(texture.reshape(-1, texture.shape[2]), ty * w + tx, axis=0)


def _camera() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    view = np.array(
        [
            math.sin(AZIMUTH) * math.cos(ELEVATION),
            math.sin(ELEVATION),
            math.cos(AZIMUTH) * math.cos(ELEVATION),
        ]
    )
    right = np.cross(np.array([0.0, 1.0, 0.0]), view)
    right /= np.linalg.norm(right)
    up = np.cross(view, right)
    return view, right, up


def _vertex_shade(batch: DrawBatch, light: np.ndarray) -> np.ndarray:
    pos, faces = batch.positions, batch.faces
    face_n = np.cross(pos[faces[:, 1]] - pos[faces[:, 0]], pos[faces[:, 2]] - pos[faces[:, 0]])
    vert_n = np.zeros_like(pos)
    for k in range(3):
        np.add.at(vert_n, faces[:, k], face_n)
    norm = np.linalg.norm(vert_n, axis=1, keepdims=True)
    vert_n = np.divide(vert_n, norm, out=np.zeros_like(vert_n), where=norm > 0)
    lambert = np.abs(vert_n @ light)
    return np.asarray(0.35 + 0.65 * lambert)


def _on_canvas(tri: np.ndarray, size: int) -> np.ndarray:
    """Which triangles' screen bounding boxes touch the ``size`` × ``size`` canvas."""
    xy = tri[:, :, :2]
    return ((xy.max(axis=1) >= 0) & (xy.min(axis=1) < size)).all(axis=1)


def _subdivide(tri: np.ndarray, mats: np.ndarray, canvas: int) -> tuple[np.ndarray, np.ndarray]:
    """Split triangles whose screen size exceeds the rasteriser window (4-way, repeated);
    parts that fall off the canvas are dropped (a close camera leaves many)."""
    while len(tri) < MAX_RASTER_TRIANGLES:
        shown = _on_canvas(tri, canvas)
        tri, mats = tri[shown], mats[shown]
        xy = tri[:, :, :2]
        size = (xy.max(axis=1) - xy.min(axis=1)).max(axis=1)
        big = size > MAX_PIXELS_PER_TRIANGLE
        if not big.any():
            break
        b = tri[big]
        a, c, e = b[:, 0], b[:, 1], b[:, 2]
        ab, bc, ca = (a + c) / 2, (c + e) / 2, (e + a) / 2
        parts = np.concatenate(
            [np.stack(t, axis=1) for t in ((a, ab, ca), (ab, c, bc), (ca, bc, e), (ab, bc, ca))]
        )
        tri = np.concatenate([tri[~big], parts])
        mats = np.concatenate([mats[~big], np.tile(mats[big], 4)])
    return tri, mats


def _rasterise(tri: np.ndarray, mats: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return per-pixel (depth, attributes+material) winners via a z-buffer.

    Triangles are grouped by the pixel window their bounding box needs, so a small
    triangle tests only the few pixel centres it can cover.
    """
    depth = np.full(size * size, -np.inf)
    attrs = np.zeros((size * size, NATTR + 1))
    lo = np.floor(tri[:, :, :2].min(axis=1)).astype(np.int64)
    hi = np.floor(tri[:, :, :2].max(axis=1)).astype(np.int64)
    need = np.minimum((hi - lo).max(axis=1) + 1, int(MAX_PIXELS_PER_TRIANGLE) + 2)
    for win in np.unique(need):
        group = np.nonzero(need == win)[0]
        grid_x, grid_y = np.meshgrid(np.arange(win), np.arange(win))
        gx, gy = grid_x.ravel(), grid_y.ravel()
        chunk = max(1, RASTER_SAMPLES // int(win * win))
        for start in range(0, len(group), chunk):
            sel = group[start : start + chunk]
            _raster_chunk(tri[sel], mats[sel], lo[sel], gx, gy, size, depth, attrs)
    return depth, attrs


def _raster_chunk(
    t: np.ndarray,
    m: np.ndarray,
    lo: np.ndarray,
    gx: np.ndarray,
    gy: np.ndarray,
    size: int,
    depth: np.ndarray,
    attrs: np.ndarray,
) -> None:
    px = lo[:, 0, None] + gx[None, :]
    py = lo[:, 1, None] + gy[None, :]
    cx, cy = px + 0.5, py + 0.5
    (ax, ay), (bx, by), (qx, qy) = (t[:, k, :2].T for k in range(3))
    den = (by - qy) * (ax - qx) + (qx - bx) * (ay - qy)
    ok_tri = np.abs(den) > 1e-12
    den = np.where(ok_tri, den, 1.0)
    w0 = (by - qy)[:, None] * (cx - qx[:, None]) + (qx - bx)[:, None] * (cy - qy[:, None])
    w0 /= den[:, None]
    w1 = (qy - ay)[:, None] * (cx - qx[:, None]) + (ax - qx)[:, None] * (cy - qy[:, None])
    w1 /= den[:, None]
    w2 = 1.0 - w0 - w1
    eps = -1e-6
    inside = (w0 >= eps) & (w1 >= eps) & (w2 >= eps) & ok_tri[:, None]
    inside &= (px >= 0) & (px < size) & (py >= 0) & (py < size)
    ti, si = np.nonzero(inside)
    if len(ti) == 0:
        return
    bary = np.stack([w0[ti, si], w1[ti, si], w2[ti, si]], axis=1)
    values = np.einsum("nk,nkc->nc", bary, t[ti])
    pix = py[ti, si] * size + px[ti, si]
    order = np.lexsort((-values[:, 2], pix))
    pix, values, mat_ids = pix[order], values[order], m[ti][order]
    first = np.ones(len(pix), dtype=bool)
    first[1:] = pix[1:] != pix[:-1]
    pix, values, mat_ids = pix[first], values[first], mat_ids[first]
    nearer = values[:, 2] > depth[pix]
    pix = pix[nearer]
    depth[pix] = values[nearer, 2]
    attrs[pix, :NATTR] = values[nearer]
    attrs[pix, NATTR] = mat_ids[nearer]


def _shade(depth: np.ndarray, attrs: np.ndarray, materials: list[_Material]) -> np.ndarray:
    rgba = np.zeros((len(depth), 4))
    covered = np.isfinite(depth)
    for mi, mat in enumerate(materials):
        sel = covered & (attrs[:, NATTR] == mi)
        if not sel.any():
            continue
        a = attrs[sel]
        colour = a[:, 5:9] * mat.color
        if mat.texture is not None:
            colour = colour * _sample(mat.texture, mat.uv_matrix, a[:, 3], a[:, 4])
        emitted = np.broadcast_to(mat.emissive, (len(a), 3))
        if mat.emissive_texture is not None:
            texels = _sample(mat.emissive_texture, mat.emissive_uv_matrix, a[:, 3], a[:, 4])
            emitted = emitted * texels[:, :3]
        rgb = colour[:, :3] * a[:, 9:10] + emitted
        alpha = colour[:, 3]
        keep = alpha >= (mat.cutoff if mat.cutoff is not None else 0.05)
        idx = np.nonzero(sel)[0]
        rgba[idx[keep], :3] = rgb[keep]
        rgba[idx[keep], 3] = 1.0
    return np.clip(rgba, 0.0, 1.0)


def _front_facing(tri: np.ndarray, mirrored: bool) -> np.ndarray:
    """Triangles facing the camera: counter-clockwise in glTF, so clockwise on screen (y down)."""
    ab = tri[:, 1, :2] - tri[:, 0, :2]
    ac = tri[:, 2, :2] - tri[:, 0, :2]
    area = ab[:, 0] * ac[:, 1] - ab[:, 1] * ac[:, 0]
    return np.asarray(area > 0 if mirrored else area < 0)


def render_poster(doc: dict[str, Any], binary: bytes, px: int) -> Image.Image:
    """Render the model (plain float accessors, e.g. gltfpack -noq output) to an RGBA image."""
    size = px * 2
    view, right, up = _camera()
    light = view + 0.6 * up - 0.4 * right
    light /= np.linalg.norm(light)
    cache: dict[int, np.ndarray] = {}
    triangles = []
    mat_ids = []
    materials: list[_Material] = []
    batches = draw_batches(doc, binary)
    if not batches:
        return Image.new("RGBA", (px, px), (0, 0, 0, 0))
    allpos = np.concatenate([b.positions for b in batches])
    proj = np.stack([allpos @ right, allpos @ up], axis=1)
    lo, hi = proj.min(axis=0), proj.max(axis=0)
    scale = 0.9 * size / max(float((hi - lo).max()), 1e-12)
    centre = (lo + hi) / 2
    for batch in batches:
        materials.append(_material(doc, binary, batch.material, cache))
        n = len(batch.positions)
        v = np.zeros((n, NATTR))
        v[:, 0] = (batch.positions @ right - centre[0]) * scale + size / 2
        v[:, 1] = size / 2 - (batch.positions @ up - centre[1]) * scale
        v[:, 2] = batch.positions @ view
        if batch.uvs is not None:
            v[:, 3:5] = batch.uvs[:, :2]
        v[:, 5:9] = 1.0
        if batch.colors is not None:
            v[:, 5:8] = batch.colors
        v[:, 9] = _vertex_shade(batch, light)
        tri = v[batch.faces]
        if not batch.material.get("doubleSided", False):
            tri = tri[_front_facing(tri, batch.mirrored)]  # back faces are culled, as in glTF
        triangles.append(tri)
        mat_ids.append(np.full(len(tri), len(materials) - 1))
    tri, mats = _subdivide(np.concatenate(triangles), np.concatenate(mat_ids), size)
    depth, attrs = _rasterise(tri, mats, size)
    rgba = _shade(depth, attrs, materials).reshape(size, size, 4)
    image = Image.fromarray(np.round(rgba * 255).astype(np.uint8), "RGBA")
    log.debug("poster: %d raster triangles", len(tri))
    return image.reduce(2)


def encode_poster(image: Image.Image, max_bytes: int) -> bytes:
    """Encode as WebP, lowering quality until it fits ``max_bytes``."""
    data = b""
    for quality in QUALITIES:
        out = io.BytesIO()
        image.save(out, format="WEBP", quality=quality, method=4)
        data = out.getvalue()
        if len(data) <= max_bytes:
            return data
    small = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.resize(image.size, Image.Resampling.NEAREST).save(out, format="WEBP", quality=20)
    return out.getvalue()
