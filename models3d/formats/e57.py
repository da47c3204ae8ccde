"""E57 point clouds (ASTM E57, read with pye57 / libE57Format), every scan, in chunks.

Each scan's points are read a chunk at a time through a compressed-vector reader,
spherical coordinates are turned Cartesian and every scan is placed by its pose. Points
flagged invalid are skipped. Colours are kept; intensity becomes grey when there are
none. The root's ``coordinateMetadata`` (WKT or a reference name) goes to the report.
The XML section is parsed when the file is opened: a broken one is ``parse_error``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from models3d.errors import ModelError
from models3d.formats.crs import crs_from_wkt
from models3d.formats.points import (
    CHUNK_POINTS,
    Chunk,
    PointSource,
    check_point_count,
    intensity_scale,
    intensity_to_grey,
    register_points,
)
from models3d.options import Limits

CARTESIAN = ("cartesianX", "cartesianY", "cartesianZ")
SPHERICAL = ("sphericalRange", "sphericalAzimuth", "sphericalElevation")
COLOURS = ("colorRed", "colorGreen", "colorBlue")


def _open(path: Path) -> Any:
    import pye57

    try:
        return pye57.E57(str(path))
    except Exception as exc:
        raise ModelError("parse_error", {"reason": f"E57: {exc}"[:300]}) from exc


def _scans(e57: Any) -> list[Any]:
    try:
        return [e57.get_header(i) for i in range(e57.scan_count)]
    except Exception as exc:
        raise ModelError("parse_error", {"reason": f"E57 scan header: {exc}"[:300]}) from exc


def _cartesian(data: dict[str, np.ndarray], spherical: bool) -> np.ndarray:
    if not spherical:
        return np.stack([data[f].astype(np.float64) for f in CARTESIAN], axis=1)
    r, az, el = (data[f].astype(np.float64) for f in SPHERICAL)
    return np.stack([r * np.cos(el) * np.cos(az), r * np.cos(el) * np.sin(az), r * np.sin(el)], 1)


def _read_scan(e57: Any, header: Any) -> Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]:
    fields = set(header.point_fields)
    spherical = not set(CARTESIAN) <= fields
    if spherical and not set(SPHERICAL) <= fields:
        raise ModelError("parse_error", {"reason": "E57 scan has no coordinates"})
    wanted = list(SPHERICAL if spherical else CARTESIAN)
    wanted += [f for f in (*COLOURS, "intensity") if f in fields]
    invalid = "sphericalInvalidState" if spherical else "cartesianInvalidState"
    if invalid in fields:
        wanted.append(invalid)
    rotation = header.rotation_matrix if header.has_pose() else np.eye(3)
    translation = header.translation if header.has_pose() else np.zeros(3)
    capacity = max(1, min(CHUNK_POINTS, header.point_count))
    data, buffers = e57.make_buffers(wanted, capacity)
    reader = header.points.reader(buffers)
    try:
        while count := reader.read():
            chunk = {k: v[:count] for k, v in data.items()}
            keep = chunk[invalid] == 0 if invalid in chunk else slice(None)
            xyz = _cartesian(chunk, spherical)[keep] @ np.asarray(rotation).T + translation
            yield xyz, {k: v[keep] for k, v in chunk.items()}
    finally:
        reader.close()


@register_points("e57")
def open_e57(path: Path, limits: Limits) -> PointSource:
    """Open an E57 file: XML and scan headers are read here, bounds in one pass."""
    e57 = _open(path)
    try:
        headers = _scans(e57)
        count = sum(int(h.point_count) for h in headers)
        check_point_count(count, limits)
        fields = set().union(*(set(h.point_fields) for h in headers)) if headers else set()
        try:
            metadata = str(e57.root["coordinateMetadata"].value())
        except Exception:  # optional in the standard
            metadata = ""
    finally:
        e57.close()
    colour = "rgb" if set(COLOURS) <= fields else "intensity" if "intensity" in fields else "none"
    crs: dict[str, Any] = {}
    scale = 1.0
    if metadata.strip():
        if "[" in metadata:
            crs, scale = crs_from_wkt(metadata)
        else:
            crs = {"citation": metadata.strip()[:500]}

    def chunks() -> Iterator[Chunk]:
        full_scale: float | None = None
        handle = _open(path)
        try:
            for header in _scans(handle):
                for xyz, values in _read_scan(handle, header):
                    rgb: np.ndarray | None = None
                    if colour == "rgb" and all(c in values for c in COLOURS):
                        rgb = np.stack([values[c] for c in COLOURS], axis=1).astype(np.uint8)
                    elif colour != "none" and "intensity" in values:
                        found = values["intensity"]
                        full_scale = intensity_scale(found) if full_scale is None else full_scale
                        rgb = intensity_to_grey(found, full_scale)
                    elif colour != "none":
                        rgb = np.zeros((len(xyz), 3), np.uint8)
                    yield xyz, rgb
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError("parse_error", {"reason": f"E57 points: {exc}"[:300]}) from exc
        finally:
            handle.close()

    lo, hi = np.full(3, np.inf), np.full(3, -np.inf)
    for xyz, _ in chunks():
        finite = xyz[np.isfinite(xyz).all(axis=1)]
        if len(finite):
            lo, hi = np.minimum(lo, finite.min(axis=0)), np.maximum(hi, finite.max(axis=0))
    if not np.isfinite(lo).all():
        raise ModelError("no_geometry", {"reason": "the E57 file has no valid point"})
    return PointSource(
        format="e57",
        count=count,
        bounds_min=lo,
        bounds_max=hi,
        read_chunks=chunks,
        unit_scale=scale,
        crs=crs,
        colour_source=colour,
    )
