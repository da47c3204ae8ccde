"""Google Photo Sphere (GPano) XMP: where a partial panorama lies on the full sphere.

The XMP packet is searched with regular expressions, never parsed as XML (no entities, no
external references, bounded work). Properties may be attributes or elements, under any
prefix bound to the GPano namespace.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from models3d.errors import ModelError

NAMESPACE = "http://ns.google.com/photos/1.0/panorama/"
_PREFIX = re.compile(r'xmlns:([A-Za-z_][\w.-]*)\s*=\s*["\']' + re.escape(NAMESPACE) + "[\"']")
INTEGERS = (
    "CroppedAreaImageWidthPixels",
    "CroppedAreaImageHeightPixels",
    "FullPanoWidthPixels",
    "FullPanoHeightPixels",
    "CroppedAreaLeftPixels",
    "CroppedAreaTopPixels",
)
ANGLES = (
    "PoseHeadingDegrees",
    "PosePitchDegrees",
    "PoseRollDegrees",
    "InitialViewHeadingDegrees",
    "InitialViewPitchDegrees",
    "InitialHorizontalFOVDegrees",
)
TEXTS = ("ProjectionType", "UsePanoramaViewer")
# How far the image's own aspect may be from the one its metadata gives (1 %).
ASPECT_TOLERANCE = 0.01


def parse_gpano(xmp: bytes | None) -> dict[str, Any] | None:
    """The GPano properties of an XMP packet (numbers as floats), or None when it has none."""
    if not xmp:
        return None
    text = xmp.decode("utf-8", "replace")
    prefixes = set(_PREFIX.findall(text)) or {"GPano"}
    found: dict[str, str] = {}
    for prefix in prefixes:
        p = re.escape(prefix)
        for name, value in re.findall(p + r':(\w+)\s*=\s*"([^"]{0,200})"', text):
            found.setdefault(name, value)
        for name, value in re.findall(p + r":(\w+)>\s*([^<]{0,200}?)\s*</" + p + r":\1>", text):
            found.setdefault(name, value)
    known = {k: v.strip() for k, v in found.items() if k in INTEGERS + ANGLES + TEXTS}
    if not known:
        return None
    result: dict[str, Any] = {}
    for name, value in known.items():
        if name in TEXTS:
            result[name] = value[:64]
            continue
        try:
            number = float(value)
        except ValueError as exc:
            raise ModelError("gpano_invalid", {"property": name, "value": value[:64]}) from exc
        if not math.isfinite(number):
            raise ModelError("gpano_invalid", {"property": name, "value": value[:64]})
        result[name] = int(number) if name in INTEGERS and number.is_integer() else number
    return result


@dataclass(frozen=True)
class Placement:
    """Where the image goes on the full sphere, in the image's own pixels (scaled)."""

    full_width: float
    full_height: float
    left: float
    top: float
    width: float  # of the image, in full-sphere pixels
    height: float
    heading: float  # degrees: the compass heading of the full image's centre column

    @property
    def partial(self) -> bool:
        """Does the image cover less than the whole sphere?"""
        return self.width < self.full_width - 0.5 or self.height < self.full_height - 0.5


def _invalid(reason: str, **detail: Any) -> ModelError:
    return ModelError("gpano_invalid", {"reason": reason, **detail})


def placement(gpano: dict[str, Any] | None, width: int, height: int) -> Placement | None:
    """Where the ``width`` x ``height`` image lies on the sphere by its GPano metadata.

    None when the metadata does not say (no sizes): the image must then be 2:1. Raises
    ``gpano_invalid`` when the values contradict each other or the image.
    """
    if not gpano or "FullPanoWidthPixels" not in gpano:
        return None
    projection = str(gpano.get("ProjectionType", "equirectangular")).lower()
    if projection != "equirectangular":
        raise _invalid("projection", projection=projection)
    g = {k: gpano.get(k) for k in INTEGERS}
    full_w = g["FullPanoWidthPixels"]
    full_h = g["FullPanoHeightPixels"] or (full_w / 2 if full_w else None)
    crop_w = g["CroppedAreaImageWidthPixels"] or full_w
    crop_h = g["CroppedAreaImageHeightPixels"] or full_h
    left, top = g["CroppedAreaLeftPixels"] or 0.0, g["CroppedAreaTopPixels"] or 0.0
    sizes = {"full": (full_w, full_h), "cropped": (crop_w, crop_h), "offset": (left, top)}
    if not (full_w and full_h and crop_w and crop_h) or min(full_w, full_h, crop_w, crop_h) < 1:
        raise _invalid("sizes", **sizes)
    if left < 0 or top < 0 or left >= full_w or crop_w > full_w or top + crop_h > full_h:
        raise _invalid("cropped area outside the sphere", **sizes)
    if abs(full_w / full_h - 2) > 2 * ASPECT_TOLERANCE:
        raise _invalid("full panorama not 2:1", **sizes)
    scale = width / crop_w
    if abs(height / crop_h / scale - 1) > ASPECT_TOLERANCE:
        raise _invalid("image does not match the cropped area", image=(width, height), **sizes)
    heading = gpano.get("PoseHeadingDegrees", 0.0)
    return Placement(
        full_width=full_w * scale,
        full_height=full_w * scale / 2,
        left=left * scale,
        top=top * scale * (full_w / 2) / full_h,
        width=float(width),
        height=height * (full_w / 2) / full_h,
        heading=float(heading) % 360,
    )
