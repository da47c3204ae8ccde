"""Point clouds through the pipeline: header checks, one streaming pass, levels, poster.

The scan is read once, chunk by chunk; each chunk is re-centred on the middle of the
header's bounds (the offset is recorded in the report, in the file's units), converted to
metres (the CRS's linear unit, else the curator's unit), turned Y-up when the scan is Z-up,
and offered to a :class:`models3d.voxels.VoxelSampler` with the ``high`` budget. Lower
levels are subsampled from the level above in memory. So memory stays bounded by the
``high`` budget and the chunk size, whatever the number of points.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models3d.errors import PHONE_READY_REASONS, ModelError
from models3d.formats.plypoints import is_point_cloud
from models3d.formats.points import POINT_FORMATS, PointSource, open_points
from models3d.nodetools import validate_files
from models3d.options import LEVELS, UNIT_SCALE, ProcessOptions
from models3d.pointlevels import render_points_poster, write_level
from models3d.poster import encode_poster
from models3d.report import publish_outputs, validator_summary
from models3d.voxels import VoxelSampler, subsample

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
POSTER_LEVEL = "low"


def _phone_verdict() -> dict[str, Any]:
    """A scan file itself is never ready for phones; its glTF levels are."""
    reason = {"code": "point_cloud", "message": PHONE_READY_REASONS["point_cloud"]}
    return {"verdict": False, "reasons": [reason]}


def point_format(path: Path, fmt: str) -> str | None:
    """The point-cloud format of a detected file, or None for a mesh."""
    if fmt in POINT_FORMATS:
        return fmt
    if fmt == "ply" and is_point_cloud(path):
        return "ply_points"
    return None


@dataclass(frozen=True)
class Frame:
    """From file coordinates to the viewing frame: ``R · (p - offset) · scale``."""

    offset: np.ndarray
    scale: float
    z_up: bool

    def apply(self, xyz: np.ndarray) -> np.ndarray:
        """File coordinates (n, 3) to metres, re-centred, Y-up."""
        local = (xyz - self.offset) * self.scale
        if self.z_up:
            local = np.stack([local[:, 0], local[:, 2], -local[:, 1]], axis=1)
        return local


def _frame(source: PointSource, options: ProcessOptions) -> tuple[Frame, str, str]:
    centre = (source.bounds_min + source.bounds_max) / 2
    if "linear_unit" in source.crs:
        scale, unit = source.unit_scale, str(source.crs["linear_unit"])
    else:
        scale, unit = UNIT_SCALE[options.unit], options.unit
    z_up = {"auto": source.z_up, "y": False, "z": True}[options.up_axis]
    evidence = (
        "chosen by the curator"
        if options.up_axis != "auto"
        else f"{source.format.upper()} scans are Z-up by convention"
    )
    return Frame(centre, scale, z_up), unit, evidence


def _describe(source: PointSource, frame: Frame, unit: str, evidence: str) -> dict[str, Any]:
    corners = np.array([source.bounds_min, source.bounds_max])
    local = frame.apply(corners)
    lo, hi = local.min(axis=0), local.max(axis=0)
    return {
        "kind": "point_cloud",
        "format": source.format,
        "format_version": source.version,
        "points": source.count,
        "triangles": 0,
        "vertices": source.count,
        "meshes": 1,
        "materials": 0,
        "animations": 0,
        "textures": [],
        "texture_gpu_bytes": 0,
        "extensions_used": [],
        "generator": None,
        "colours": source.colour_source,
        "georeferenced": bool(source.crs),
        "crs": source.crs or None,
        "offset": [float(v) for v in frame.offset],
        "up_axis": "z" if frame.z_up else "y",
        "up_axis_detected": False,
        "up_axis_evidence": evidence,
        "unit": unit,
        "scale": frame.scale,
        "bounds": {
            "min": [round(float(v), 6) for v in lo],
            "max": [round(float(v), 6) for v in hi],
        },
        "size": [round(float(v), 6) for v in hi - lo],
        "notes": _notes(source, frame, unit),
    }


def _notes(source: PointSource, frame: Frame, unit: str) -> list[dict[str, Any]]:
    """Notes on what viewing changes: re-centring, units (the subsample is added later)."""
    notes = source.notes
    offset = ", ".join(f"{v:.3f}" for v in frame.offset)
    if np.abs(frame.offset).max() > 0:
        notes.add("point_cloud_recentred", {"offset": offset})
    if "linear_unit" in source.crs and frame.scale != 1.0:
        notes.add("point_cloud_units_converted", {"unit": unit})
    return notes.to_list()


def open_checked(path: Path, fmt: str, options: ProcessOptions) -> PointSource:
    """Open the point source and check its header (nothing else is read)."""
    return open_points(path, fmt, options.limits)


def inspect_points(
    path: Path, fmt: str, *, original_name: str | None, options: ProcessOptions
) -> dict[str, Any]:
    """The report of a point cloud from its header alone."""
    source = open_checked(path, fmt, options)
    frame, unit, evidence = _frame(source, options)
    return {
        "original_name": original_name,
        "container": None,
        "bytes": path.stat().st_size,
        **_describe(source, frame, unit, evidence),
        "phone_ready": _phone_verdict(),
    }


def sample_levels(
    source: PointSource, frame: Frame, budgets: dict[str, int], progress: Progress
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray | None, float]], int]:
    """Subsampled points of every level and the number of points read."""
    corners = frame.apply(np.array([source.bounds_min, source.bounds_max]))
    lower, upper = corners.min(axis=0), corners.max(axis=0)
    # A cloud within the budget keeps every point (only exact duplicates merge): the
    # sampler then starts from its finest grid instead of a guess near the budget.
    finest = 1e-12 if source.count <= budgets["high"] else None
    sampler = VoxelSampler(budgets["high"], lower, upper, finest)
    for xyz, rgb in source.chunks():
        finite = np.isfinite(xyz).all(axis=1)
        local = frame.apply(xyz[finite])
        colours = rgb[finite] if rgb is not None else np.zeros((len(local), 3), np.uint8)
        sampler.add(local, colours)
        if source.count:
            progress(10 + int(50 * min(sampler.seen / source.count, 1.0)), "reading points")
    xyz, rgb = sampler.result()
    if len(xyz) == 0:
        raise ModelError("no_geometry", {"reason": "the point cloud has no finite point"})
    keep_rgb = source.colour_source != "none"
    levels = {"high": (xyz, rgb if keep_rgb else None, sampler.voxel)}
    for above, name in zip(reversed(LEVELS[1:]), reversed(LEVELS[:-1]), strict=True):
        parent_xyz, parent_rgb, voxel = levels[above]
        if len(parent_xyz) <= budgets[name]:
            levels[name] = levels[above]
            continue
        colours = parent_rgb if parent_rgb is not None else np.zeros((len(parent_xyz), 3), np.uint8)
        # Points per voxel grow with the area of a surface: start just below the voxel
        # that would leave the budget, judging from the level above.
        start = 0.9 * voxel * (len(parent_xyz) / budgets[name]) ** 0.5
        sub_xyz, sub_rgb, voxel = subsample(parent_xyz, colours, budgets[name], lower, upper, start)
        levels[name] = (sub_xyz, sub_rgb if keep_rgb else None, voxel)
    return levels, sampler.seen


def process_points(
    path: Path,
    fmt: str,
    out_dir: Path,
    *,
    original_name: str | None,
    options: ProcessOptions,
    progress: Progress,
) -> tuple[dict[str, Any], dict[str, Path], Path]:
    """Levels, poster and report of a point cloud; files appear in ``out_dir`` at the end."""
    started = time.monotonic()
    source = open_checked(path, fmt, options)
    frame, unit, evidence = _frame(source, options)
    report: dict[str, Any] = {
        "original_name": original_name,
        "container": None,
        "bytes": path.stat().st_size,
        **_describe(source, frame, unit, evidence),
    }
    progress(10, "reading points")
    levels, seen = sample_levels(source, frame, dict(options.point_budgets), progress)
    report["points_read"] = seen
    high_points, high_voxel = len(levels["high"][0]), levels["high"][2]
    if seen > options.point_budgets["high"]:  # below, only exact duplicates were merged
        report["notes"].append(
            {
                "code": "point_cloud_subsampled",
                "detail": {
                    "points": f"{seen:,}",
                    "kept": f"{high_points:,}",
                    "voxel": f"{high_voxel:.3g}",
                },
            }
        )
    with tempfile.TemporaryDirectory(prefix="models3d-points-") as tmp:
        stage = Path(tmp)
        data: dict[str, bytes] = {}
        for i, name in enumerate(reversed(LEVELS)):
            progress(60 + 6 * i, f"level {name}")
            above = LEVELS[LEVELS.index(name) + 1] if name != "high" else None
            if above is not None and levels[name] is levels[above]:
                data[name] = data[above]
            else:
                xyz, rgb, _voxel = levels[name]
                data[name] = write_level(xyz, rgb, stage, name)
            (stage / f"{name}.glb").write_bytes(data[name])
        progress(85, "validating outputs")
        distinct = [
            n for n in LEVELS if not any(data[m] == data[n] for m in LEVELS[: LEVELS.index(n)])
        ]
        results = dict(
            zip(distinct, validate_files([stage / f"{n}.glb" for n in distinct]), strict=True)
        )
        figures: dict[str, Any] = {}
        for name in LEVELS:
            first = next(n for n in LEVELS if data[n] == data[name])
            result = results[first]
            if result["numErrors"]:
                raise ModelError(
                    "invalid_gltf", {"level": name, "validator": validator_summary(result)}
                )
            xyz, _rgb, voxel = levels[name]
            figures[name] = {
                "points": len(xyz),
                "triangles": 0,
                "bytes": len(data[name]),
                "voxel_size": round(float(voxel), 6),
                "texture_gpu_bytes": 0,
                "validator": {k: result[k] for k in ("numErrors", "numWarnings", "numInfos")},
            }
            same = [n for n in LEVELS[LEVELS.index(name) + 1 :] if data[n] == data[name]]
            if same:
                figures[name]["same_as"] = same[0]
        report["levels"] = figures
        high_first = next(n for n in LEVELS if data[n] == data["high"])
        report["validator"] = validator_summary(results[high_first])
        report["phone_ready"] = _phone_verdict()
        progress(92, "poster")
        poster_xyz, poster_rgb, _ = levels[POSTER_LEVEL]
        image = render_points_poster(poster_xyz, poster_rgb, options.poster_px)
        poster = encode_poster(image, options.poster_max_bytes)
        publish_outputs(stage, out_dir, report, poster, options.poster_px)
    log.info("point cloud %s in %.1f s", original_name or path.name, time.monotonic() - started)
    return report, {n: out_dir / f"{n}.glb" for n in LEVELS}, out_dir / "poster.webp"
