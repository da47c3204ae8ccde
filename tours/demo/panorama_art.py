"""360° panoramas for the demo, made by code: the demo's monuments seen from a viewpoint on
the ground, over a painted sky, tree line and ground, as one equirectangular JPEG.

The monuments are drawn with the posters' software rasteriser onto the four side faces of a
cube around the eye (90° each, one fixed sun for all), and each pixel of the panorama takes
the colour of the face its direction falls on. Directions steeper than 45° show only sky or
ground, so viewpoints keep their monuments below that. The panorama's centre looks along
-Z ("ahead"), its right edge wraps through +X; this is the viewer's yaw 0 and yaw 90°.
:func:`paint_panorama` returns the same bytes every time for the same name and width.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from PIL import Image

from models3d.camera import CameraView
from models3d.glb import read_glb
from models3d.gltfscene import draw_batches
from models3d.viewposter import render_view
from tours.demo.monuments import build_monument

SUN = np.array([0.55, 0.62, 0.56])  # towards the sun: right, up and behind the viewer
SKY_ZENITH = np.array([78.0, 128.0, 196.0])
SKY_HORIZON = np.array([226.0, 222.0, 210.0])
HAZE = np.array([206.0, 206.0, 198.0])
TREES = np.array([52.0, 74.0, 46.0])
BAND_ROWS = 256  # rows painted at once (bounds memory at any width)


@dataclass(frozen=True)
class Placement:
    """A monument on the ground at (x, z), turned ``turn`` degrees about +Y (its front faces
    +Z before turning, towards a viewer at the origin when it stands ahead)."""

    monument: str
    x: float
    z: float
    turn: float = 0.0


@dataclass(frozen=True)
class Viewpoint:
    """What is seen from the origin, at ``eye_height``: monuments, and the ground (``water_z``:
    a river between these two distances ahead, grass elsewhere; None: stone paving)."""

    placements: tuple[Placement, ...]
    water_z: tuple[float, float] | None = None
    eye_height: float = 1.6  # metres above the ground


VIEWPOINTS: dict[str, Viewpoint] = {
    # In the citadel's courtyard: the Noon Gate ahead, a dynastic urn on the left.
    "citadel-courtyard": Viewpoint(
        (Placement("ngo-mon", 0.0, -50.0), Placement("cao-dinh", 7.0, -8.0, -35.0))
    ),
    # On the river bank: the bridge across the water ahead, the pagoda's tower on the right.
    "river-bank": Viewpoint(
        (Placement("truong-tien", 0.0, -55.0), Placement("phuoc-duyen", 30.0, 4.0, 80.0)),
        water_z=(-5.0, -400.0),
        eye_height=5.0,  # on the embankment
    ),
}

# The four side faces of the cube: forward directions, in order of yaw 0, 90, 180, 270.
FACES = (
    np.array([0.0, 0.0, -1.0]),
    np.array([1.0, 0.0, 0.0]),
    np.array([0.0, 0.0, 1.0]),
    np.array([-1.0, 0.0, 0.0]),
)


def _turn(vector: np.ndarray, degrees: float) -> np.ndarray:
    """``vector`` rotated about +Y by ``degrees`` (counter-clockwise seen from above)."""
    a = math.radians(degrees)
    x, y, z = vector
    return np.array([x * math.cos(a) + z * math.sin(a), y, -x * math.sin(a) + z * math.cos(a)])


@cache
def _monument(name: str) -> tuple[dict[str, Any], bytes, float, float]:
    """The monument's glTF document, binary, height and horizontal radius (metres)."""
    doc, binary = read_glb(build_monument(name))
    points = np.concatenate([batch.positions for batch in draw_batches(doc, binary or b"")])
    radius = float(np.hypot(points[:, 0], points[:, 2]).max())
    return doc, binary or b"", float(points[:, 1].max()), radius


def _face_layer(forward: np.ndarray, viewpoint: Viewpoint, size: int) -> np.ndarray:
    """The monuments seen on one cube face, far ones first: RGBA floats in [0, 1]."""
    eye = np.array([0.0, viewpoint.eye_height, 0.0])
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    seen = []
    for place in viewpoint.placements:
        doc, binary, height, radius = _monument(place.monument)
        centre = np.array([place.x, height / 2, place.z]) - eye
        distance = float(np.linalg.norm(centre))
        reach = math.asin(min(1.0, math.hypot(radius, height / 2) / distance))
        if math.acos(float(centre @ forward) / distance) < math.radians(45) + reach + 0.1:
            seen.append((distance, place, doc, binary))
    for _, place, doc, binary in sorted(seen, key=lambda item: -item[0]):
        local_eye = _turn(eye - np.array([place.x, 0.0, place.z]), -place.turn)
        look = _turn(forward, -place.turn)
        view = CameraView(
            theta=math.degrees(math.atan2(-look[0], -look[2])),
            phi=math.degrees(math.acos(float(np.clip(-look[1], -1.0, 1.0)))),
            radius=1.0,
            target=tuple(local_eye + look),
            field_of_view=90.0,
        )
        light = tuple(_turn(SUN, -place.turn))
        drawn = render_view(doc, binary, view, size, size, exact=True, light=light)
        layer.alpha_composite(drawn)
    return np.asarray(layer, dtype=np.float32) / 255.0


def _directions(width: int, rows: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit view directions (x, y, z) of the panorama's pixels in ``rows``."""
    height = width // 2
    lon = (np.arange(width, dtype=np.float32) + 0.5) / width * 2 * np.pi - np.pi
    lat = np.pi / 2 - (np.arange(rows.start, rows.stop, dtype=np.float32) + 0.5) / height * np.pi
    lon, lat = np.meshgrid(lon, lat)
    return np.sin(lon) * np.cos(lat), np.sin(lat), -np.cos(lon) * np.cos(lat)


def _noise(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """A smooth, repeatable pattern in [-1, 1] (sums of sines: no random state)."""
    return (
        np.sin(u * 1.7 + np.sin(v * 0.9)) * 0.5
        + np.sin(u * 0.37 - v * 1.3) * 0.3
        + np.sin((u + v) * 3.1) * 0.2
    )


def _backdrop(x: np.ndarray, y: np.ndarray, z: np.ndarray, viewpoint: Viewpoint) -> np.ndarray:
    """Sky, sun, tree line and ground for the given directions: RGB floats in [0, 255]."""
    up = np.clip(y, 0.0, 1.0)[..., None]
    sky = SKY_HORIZON + (SKY_ZENITH - SKY_HORIZON) * up**0.6
    sun = np.clip(x * SUN[0] + y * SUN[1] + z * SUN[2], 0.0, 1.0)[..., None]
    sky = sky + (255.0 - sky) * (sun**60 * 0.9 + sun**8 * 0.15)
    lon = np.arctan2(x, -z)
    treetop = np.radians(1.6 + 0.9 * _noise(lon * 9.0, lon * 4.0) + 0.5 * np.sin(lon * 31.0))
    in_trees = (y >= 0) & (np.arcsin(np.clip(y, -1, 1)) < treetop)
    shade = (1.0 + 0.15 * _noise(lon * 60.0, y * 90.0))[..., None]
    sky = np.where(in_trees[..., None], TREES * shade, sky)
    # The ground: where each downward direction meets the plane y = 0.
    down = np.maximum(-y, 1e-4)
    reach = viewpoint.eye_height / down
    gx, gz = x * reach, z * reach
    detail = np.exp(-reach / 40.0)[..., None]  # patterns fade into the distance (no aliasing)
    if viewpoint.water_z is None:
        tile_x, tile_z = np.floor(gx / 1.2), np.floor(gz / 1.2)
        tone = 0.08 * np.sin(tile_x * 12.9898 + tile_z * 78.233)
        grout = (np.abs(gx / 1.2 - np.round(gx / 1.2)) < 0.03) | (
            np.abs(gz / 1.2 - np.round(gz / 1.2)) < 0.03
        )
        stone = np.array([168.0, 158.0, 142.0])
        ground = stone * (1.0 + detail * (tone[..., None] - 0.25 * grout[..., None]))
    else:
        near, far = viewpoint.water_z
        river = (gz < near) & (gz > far)
        grass = np.array([96.0, 124.0, 64.0]) * (1.0 + 0.12 * detail * _noise(gx, gz)[..., None])
        water = np.array([88.0, 112.0, 120.0]) + 60.0 * (1.0 - down[..., None]) ** 8
        ripple = 1.0 + 0.05 * detail * np.sin(gz * 2.0 + np.sin(gx * 0.3))[..., None]
        ground = np.where(river[..., None], water * ripple, grass)
    ground = HAZE + (ground - HAZE) * np.exp(-reach / 350.0)[..., None]
    return np.where((y < 0)[..., None], ground, sky)


def _bands(height: int) -> Iterator[slice]:
    for start in range(0, height, BAND_ROWS):
        yield slice(start, min(height, start + BAND_ROWS))


def paint_panorama(name: str, width: int) -> bytes:
    """The named viewpoint (a key of :data:`VIEWPOINTS`) as a ``width`` × ``width / 2``
    equirectangular JPEG. Raises KeyError for an unknown name."""
    viewpoint = VIEWPOINTS[name]
    width -= width % 2
    height = width // 2
    size = max(64, width // 4)
    layers = [_face_layer(forward, viewpoint, size) for forward in FACES]
    out = np.empty((height, width, 3), dtype=np.uint8)
    for rows in _bands(height):
        x, y, z = _directions(width, rows)
        colour = _backdrop(x, y, z, viewpoint)
        for forward, layer in zip(FACES, layers, strict=True):
            right = np.cross(forward, [0.0, 1.0, 0.0])
            ahead = x * forward[0] + z * forward[2]
            side = np.maximum(np.abs(x), np.abs(z))
            mine = (ahead > 0) & (np.abs(ahead) >= side) & (np.abs(y) < ahead)
            safe = np.where(mine, ahead, 1.0)
            col = (size / 2 + (x * right[0] + z * right[2]) / safe * size / 2).astype(np.int32)
            row = (size / 2 - y / safe * size / 2).astype(np.int32)
            pixel = layer[np.clip(row, 0, size - 1), np.clip(col, 0, size - 1)]
            alpha = np.where(mine, pixel[..., 3], 0.0)[..., None]
            colour = colour * (1.0 - alpha) + pixel[..., :3] * 255.0 * alpha
        out[rows] = np.clip(colour, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(out, "RGB").save(buffer, format="JPEG", quality=88, optimize=True)
    return buffer.getvalue()
