"""Camera views in model-viewer's notation, the region a curator framed, and lighting presets.

A stop's camera is kept as model-viewer writes it (``"30deg 75deg 2m"``, ``"0m 0.5m 0m"``,
``"30deg"``). What the curator *framed* is the rectangle seen around the camera target, at the
target's distance: ``half_width`` × ``half_height`` metres. On another canvas the orbit's
direction, target and field of view stay; the distance is chosen so that the whole rectangle
is in view (:func:`fit_radius`), so a phone in portrait shows what a desktop shows, smaller.
The same functions place the server's poster camera (``models3d.poster``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

_NUMBER = r"(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)"
_ORBIT = re.compile(rf"^{_NUMBER}(deg|rad) {_NUMBER}(deg|rad) {_NUMBER}(m|cm|mm)$")
_TARGET = re.compile(rf"^{_NUMBER}m {_NUMBER}m {_NUMBER}m$")
_FOV = re.compile(rf"^{_NUMBER}(deg|rad)$")
_METRES = {"m": 1.0, "cm": 0.01, "mm": 0.001}
MAX_EXTENT_M = 1e5

# Lighting presets for a stop (model-viewer attributes). "clay" also gives every material a
# plain matte clay colour in the viewer, so untextured scans read as objects, not white blobs.
LIGHTING: dict[str, dict[str, Any]] = {
    "neutral": {
        "environment_image": "neutral",
        "exposure": 1.0,
        "shadow_intensity": 1.0,
        "shadow_softness": 1.0,
        "tone_mapping": "neutral",
    },
    "daylight": {
        "environment_image": "legacy",
        "exposure": 1.25,
        "shadow_intensity": 1.0,
        "shadow_softness": 0.25,
        "tone_mapping": "aces",
    },
    "museum": {
        "environment_image": "neutral",
        "exposure": 0.8,
        "shadow_intensity": 1.6,
        "shadow_softness": 0.6,
        "tone_mapping": "agx",
    },
    "clay": {
        "environment_image": "neutral",
        "exposure": 1.1,
        "shadow_intensity": 1.4,
        "shadow_softness": 0.8,
        "tone_mapping": "neutral",
        "base_color": [0.78, 0.72, 0.64, 1.0],
        "roughness": 0.9,
    },
}
DEFAULT_LIGHTING = "neutral"


@dataclass(frozen=True)
class CameraView:
    """A camera orbiting ``target``: angles in degrees (model-viewer's theta and phi),
    distance in metres, vertical field of view in degrees."""

    theta: float
    phi: float
    radius: float
    target: tuple[float, float, float]
    field_of_view: float

    def position(self) -> tuple[float, float, float]:
        """Where the camera is, in model coordinates (theta turns about +Y from +Z, phi is
        measured down from +Y)."""
        theta, phi = math.radians(self.theta), math.radians(self.phi)
        x, y, z = self.target
        return (
            x + self.radius * math.sin(phi) * math.sin(theta),
            y + self.radius * math.cos(phi),
            z + self.radius * math.sin(phi) * math.cos(theta),
        )


def _degrees(number: str, unit: str) -> float:
    return float(number) if unit == "deg" else math.degrees(float(number))


def parse_view(orbit: str, target: str, field_of_view: str) -> CameraView | None:
    """A :class:`CameraView` from model-viewer's notation, or None when a part is missing
    or not in that form."""
    o, t = _ORBIT.match(orbit.strip()), _TARGET.match(target.strip())
    f = _FOV.match(field_of_view.strip())
    if not (o and t and f):
        return None
    theta, phi = _degrees(o.group(1), o.group(2)), _degrees(o.group(3), o.group(4))
    radius = float(o.group(5)) * _METRES[o.group(6)]
    fov = _degrees(f.group(1), f.group(2))
    if radius <= 0 or not 0 < fov < 180:
        return None
    x, y, z = (float(value) for value in t.groups())
    return CameraView(theta, phi, radius, (x, y, z), fov)


def framed_box(radius: float, field_of_view: float, aspect: float) -> dict[str, float]:
    """The rectangle in view at the target's distance on a canvas of ``aspect`` (width /
    height), as half sizes in metres."""
    half_height = radius * math.tan(math.radians(field_of_view) / 2)
    return {"half_width": half_height * aspect, "half_height": half_height}


def fit_radius(framing: dict[str, float], field_of_view: float, aspect: float) -> float:
    """The camera distance that keeps the framed rectangle wholly in view on a canvas of
    ``aspect`` with this vertical field of view."""
    tangent = math.tan(math.radians(field_of_view) / 2)
    return max(framing["half_height"] / tangent, framing["half_width"] / (aspect * tangent))


def check_framing(value: Any) -> dict[str, float] | None:
    """``value`` as a framing (two positive finite half sizes in metres), or None."""
    if not isinstance(value, dict) or set(value) != {"half_width", "half_height"}:
        return None
    sizes = {name: value[name] for name in ("half_width", "half_height")}
    for size in sizes.values():
        if isinstance(size, bool) or not isinstance(size, int | float):
            return None
        if not (math.isfinite(size) and 0 < size <= MAX_EXTENT_M):
            return None
    return {name: float(size) for name, size in sizes.items()}
