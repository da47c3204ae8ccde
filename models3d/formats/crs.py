"""Coordinate references of georeferenced scans: WKT or GeoTIFF keys, to report and units.

No projection library is needed: the report keeps the reference as the file gives it
(WKT text, GeoTIFF keys, EPSG code when one is named), and the only thing applied is the
linear unit, so that a scan in feet is shown in metres.
"""

from __future__ import annotations

import re
from typing import Any

# GeoTIFF keys (OGC GeoTIFF 1.1): the ones worth reporting by name.
GEO_KEY_NAMES = {
    1024: "model_type",
    2048: "geographic_type",
    3072: "projected_cs_type",
    3076: "proj_linear_units",
    4096: "vertical_cs_type",
    4099: "vertical_units",
}
# EPSG unit codes: metres per unit.
LINEAR_UNITS = {9001: 1.0, 9002: 0.3048, 9003: 1200.0 / 3937.0, 9036: 1000.0}
_UNIT_NAMES = {9001: "metre", 9002: "foot", 9003: "US survey foot", 9036: "kilometre"}
_WKT_UNIT = re.compile(r'UNIT\s*\[\s*"([^"]*)"\s*,\s*([0-9.eE+-]+)')
_WKT_ID = re.compile(r'(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]')
MAX_WKT_CHARS = 20_000


def _top_level_spans(text: str, keyword: str) -> list[tuple[int, int]]:
    """Spans of ``keyword[...]`` sections, brackets balanced."""
    spans = []
    for match in re.finditer(rf"\b{keyword}\s*\[", text):
        depth = 0
        for i in range(match.end() - 1, len(text)):
            depth += {"[": 1, "]": -1}.get(text[i], 0)
            if depth == 0:
                spans.append((match.start(), i + 1))
                break
    return spans


def _depth(text: str, at: int) -> int:
    """Bracket depth at position ``at``."""
    head = text[:at]
    return head.count("[") - head.count("]")


def _parent_keyword(text: str, at: int) -> str:
    """The keyword of the section enclosing position ``at``."""
    depth = 0
    for i in range(at - 1, -1, -1):
        depth += {"]": 1, "[": -1}.get(text[i], 0)
        if depth < 0:
            match = re.search(r"([A-Z_]+)\s*$", text[:i])
            return match.group(1) if match else ""
    return ""


def _linear_unit(wkt: str) -> tuple[str, float] | None:
    """The linear unit of a projected CRS in WKT 1 or 2, or None (geographic, none given)."""
    for keyword in ("PROJCS", "PROJCRS"):
        for start, end in _top_level_spans(wkt, keyword):
            section = wkt[start:end]
            # The PROJCS's own UNIT is a direct child; nested ones belong to GEOGCS etc.
            inner = _top_level_spans(section, "UNIT") + _top_level_spans(section, "LENGTHUNIT")
            # Its own unit is a direct child (WKT 1, or WKT 2's shared unit) or inside an
            # AXIS (WKT 2); units nested elsewhere belong to the base geographic CRS etc.
            depth_one = [
                s
                for s in inner
                if _depth(section, s[0]) == 1
                or (_depth(section, s[0]) == 2 and _parent_keyword(section, s[0]) == "AXIS")
            ]
            for s, e in reversed(depth_one):
                match = _WKT_UNIT.search(section[s:e].replace("LENGTHUNIT", "UNIT"))
                if match:
                    return match.group(1), float(match.group(2))
    return None


def crs_from_wkt(wkt: str) -> tuple[dict[str, Any], float]:
    """Report entry and scale to metres of a WKT coordinate reference."""
    wkt = wkt.strip("\0 \n")[:MAX_WKT_CHARS]
    crs: dict[str, Any] = {"wkt": wkt}
    # The outermost reference's own identifier (nested ones name its datum, units, ...).
    ids = sorted(_WKT_ID.finditer(wkt), key=lambda m: (_depth(wkt, m.start()), -m.start()))
    if ids:
        crs["epsg"] = int(ids[0].group(1))
    unit = _linear_unit(wkt)
    scale = 1.0
    if unit is not None:
        crs["linear_unit"] = unit[0]
        scale = unit[1] if unit[1] > 0 else 1.0
    return crs, scale


def crs_from_geokeys(keys: dict[int, int], ascii_params: str = "") -> tuple[dict[str, Any], float]:
    """Report entry and scale to metres from GeoTIFF keys (id → value)."""
    named = {GEO_KEY_NAMES[k]: v for k, v in sorted(keys.items()) if k in GEO_KEY_NAMES}
    crs: dict[str, Any] = {"geotiff_keys": named}
    for key in (3072, 2048):
        if 0 < keys.get(key, 0) < 32767:
            crs["epsg"] = keys[key]
            break
    if ascii_params.strip("\0 |"):
        crs["citation"] = ascii_params.strip("\0 |")[:500]
    unit = keys.get(3076)
    if unit in LINEAR_UNITS:
        crs["linear_unit"] = _UNIT_NAMES[unit]
        return crs, LINEAR_UNITS[unit]
    return crs, 1.0
