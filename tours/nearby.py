"""Distances on the Earth for "near me": how far a tour's site is from the visitor.

The visitor's position comes from their browser, with their permission, as ``lat,lon``
rounded to three decimals (about 100 m) by the page before it leaves the phone. Nothing
here stores it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
_POINT = re.compile(r"^\s*(-?\d{1,3}(?:\.\d{1,7})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,7})?)\s*$")


@dataclass(frozen=True)
class Point:
    """A place on the Earth, in degrees (WGS 84)."""

    latitude: float
    longitude: float


def parse_point(text: str) -> Point | None:
    """The point written ``lat,lon`` in ``text`` (``16.47,107.58``), or None if it is not one."""
    found = _POINT.match(text or "")
    if not found:
        return None
    latitude, longitude = float(found.group(1)), float(found.group(2))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return Point(latitude, longitude)


def location_point(location: dict[str, Any] | None) -> Point | None:
    """The point of a tour document's ``location`` (``{"latitude", "longitude"}``), if any."""
    if not location:
        return None
    try:
        return Point(float(location["latitude"]), float(location["longitude"]))
    except (KeyError, TypeError, ValueError):
        return None


def distance_km(a: Point, b: Point) -> float:
    """The great-circle distance between ``a`` and ``b`` in kilometres (haversine)."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    d_lat = lat2 - lat1
    d_lon = math.radians(b.longitude - a.longitude)
    h = math.sin(d_lat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(d_lon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
