"""Point-cloud ingest: a large generated LAZ, peak memory and time against plain laspy.

``python -m bench pointcloud`` (``BENCH_POINTS`` sets the size, 50 M by default). The
input is a scan-like cloud (ground, walls, columns, georeferenced offsets, colours and
intensity) written in chunks by :func:`generate_laz`, kept in ``instance/bench/`` so a
second run does not pay for it. Each side runs in its own process and its peak resident
memory is read from the kernel (``wait4``, the largest process of its tree):

- Heritour: the whole chain (streaming read, voxel levels of 8 M / 2 M / 500 k / 100 k
  points, gltfpack, validation, poster, report);
- baseline: plain laspy, ``laspy.read`` of the whole file, then one voxel-grid subsample
  (``numpy.unique`` on voxel keys) at the voxel size Heritour's ``high`` level used.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from bench._runs import generated, measure

CHUNK = 2_000_000
GOAL_BYTES = 2 << 30
OFFSET = (500_000.0, 4_000_000.0, 20.0)

BASELINE = """
import json, sys, time
import laspy, numpy as np
path, voxel = sys.argv[1], float(sys.argv[2])
started = time.monotonic()
las = laspy.read(path, laz_backend=laspy.LazBackend.Lazrs)
xyz = np.stack([las.x, las.y, las.z], axis=1)
rgb = np.stack([las.red, las.green, las.blue], axis=1)
cells = np.floor((xyz - xyz.min(axis=0)) / voxel).astype(np.int64)
keys = (cells[:, 0] << 42) | (cells[:, 1] << 21) | cells[:, 2]
_, first = np.unique(keys, return_index=True)
kept = xyz[first], rgb[first]
print(json.dumps({"seconds": time.monotonic() - started, "points": int(len(first))}))
"""

HERITOUR = """
import json, sys, time
from pathlib import Path
from models3d.pipeline import process_file
started = time.monotonic()
result = process_file(Path(sys.argv[1]), Path(sys.argv[2]), original_name="scan.laz")
levels = result.report["levels"]
print(json.dumps({
    "seconds": time.monotonic() - started,
    "points": {k: v["points"] for k, v in levels.items()},
    "bytes": {k: v["bytes"] for k, v in levels.items()},
    "voxel": levels["high"]["voxel_size"],
}))
"""


def _scene_chunk(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` points of a scanned courtyard: ground, four walls, sixteen columns."""
    kind = rng.integers(0, 3, n)
    u, v = rng.random(n), rng.random(n)
    xyz = np.empty((n, 3))
    ground = kind == 0
    xyz[ground] = np.stack([u[ground] * 60, v[ground] * 40, 0.05 * np.sin(u[ground] * 40)], 1)
    wall = kind == 1
    side = rng.integers(0, 4, n)[wall]
    along, up = u[wall], v[wall] * 8
    x = np.where(side < 2, along * 60, np.where(side == 2, 0.0, 60.0))
    y = np.where(side < 2, np.where(side == 0, 0.0, 40.0), along * 40)
    xyz[wall] = np.stack([x, y, up], 1)
    col = kind == 2
    which = rng.integers(0, 16, n)[col]
    angle = u[col] * 2 * np.pi
    cx, cy = 10 + (which % 4) * 13, 8 + (which // 4) * 8
    xyz[col] = np.stack([cx + 0.4 * np.cos(angle), cy + 0.4 * np.sin(angle), v[col] * 6], 1)
    xyz += rng.normal(0, 0.003, xyz.shape)
    shade = (0.6 + 0.4 * np.sin(xyz[:, 0] * 0.7) * np.cos(xyz[:, 1] * 0.5)) * 60000
    rgb = np.stack([shade, shade * 0.85, shade * 0.7], 1).astype(np.uint16)
    intensity = (xyz[:, 2] * 5000).clip(0, 65535).astype(np.uint16)
    return xyz + np.array(OFFSET), rgb, intensity


def generate_laz(path: Path, points: int, seed: int = 11) -> Path:
    """Write a LAZ of ``points`` points in chunks (memory stays at one chunk)."""
    import laspy

    rng = np.random.default_rng(seed)
    header = laspy.LasHeader(point_format=3, version="1.2")
    header.scales = np.array([0.001, 0.001, 0.001])
    header.offsets = np.array(OFFSET)
    part = path.with_suffix(".part")
    with laspy.open(
        str(part), mode="w", header=header, do_compress=True, laz_backend=laspy.LazBackend.Lazrs
    ) as writer:
        for start in range(0, points, CHUNK):
            n = min(CHUNK, points - start)
            xyz, rgb, intensity = _scene_chunk(rng, n)
            record = laspy.ScaleAwarePointRecord.zeros(n, header=header)
            record.x, record.y, record.z = xyz[:, 0], xyz[:, 1], xyz[:, 2]
            record.red, record.green, record.blue = rgb[:, 0], rgb[:, 1], rgb[:, 2]
            record.intensity = intensity
            writer.write_points(record)
    part.replace(path)
    return path


def _run(script: str, *args: str) -> tuple[dict, int]:
    """Run ``script`` in a fresh Python; its JSON output and peak RSS in bytes."""
    run = measure([sys.executable, "-c", script, *args])
    return run.result(), run.peak_bytes


def main() -> None:
    """Generate (once) the LAZ, run Heritour and the baseline, print both."""
    points = int(os.environ.get("BENCH_POINTS", "50000000"))
    laz = generated(f"courtyard-{points}.laz", lambda path: generate_laz(path, points))
    folder = laz.parent
    size = laz.stat().st_size
    print(f"input: {points:,} points, {size / 1e6:.0f} MB LAZ")
    ours, our_peak = _run(HERITOUR, str(laz), str(folder / "pointcloud-out"))
    base, base_peak = _run(BASELINE, str(laz), str(ours["voxel"]))
    print(f"{'':28} {'time':>8} {'peak memory':>12}")
    print(f"{'Heritour (whole chain)':28} {ours['seconds']:7.1f}s {our_peak / 2**30:10.2f} GB")
    print(f"{'laspy read + voxel (high)':28} {base['seconds']:7.1f}s {base_peak / 2**30:10.2f} GB")
    print(f"time ratio {ours['seconds'] / base['seconds']:.2f}")
    print(
        f"peak memory {our_peak / 2**30:.2f} GB (goal < {GOAL_BYTES / 2**30:.0f} GB):",
        "ok" if our_peak < GOAL_BYTES else "OVER",
    )
    print(f"levels (points): {ours['points']}; baseline high: {base['points']:,} points")
    print(f"levels (bytes): {ours['bytes']}")


if __name__ == "__main__":
    main()
