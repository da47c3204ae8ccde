"""Panorama ingest: a 16,384 x 8,192 JPEG into tiles, against libvips' own ``dzsave``.

``python -m bench panorama`` (``BENCH_PANORAMA_WIDTH`` sets the width, 16384 by default).
The input is made by code with libvips (sky, ground, a ring of buildings, noise for
texture, so it compresses like a photograph) and kept in ``instance/bench/``. Each side runs
in its own process; its peak resident memory is read from the kernel (``wait4``):

- Heritour: the whole chain (header and structure checks, colour, ``dzsave`` of the tile
  pyramid, ``equirect.jpg``, ``preview.jpg``, the poster, the report);
- baseline: ``vips dzsave`` on the same file with the same tile size, overlap, depth and
  JPEG quality, nothing else.

Goals (issue 12): at most 1.5 x the baseline's time, peak memory under 1 GB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

GOAL_RATIO = 1.5
GOAL_BYTES = 1 << 30

HERITOUR = """
import json, sys, time
from pathlib import Path
from models3d.pipeline import process_file
started = time.monotonic()
result = process_file(Path(sys.argv[1]), Path(sys.argv[2]), original_name="pano.jpg")
info = result.report["panorama"]
print(json.dumps({
    "seconds": time.monotonic() - started,
    "tile_size": info["tile_size"],
    "levels": [level["width"] for level in info["levels"]],
    "tiles": info["tiles"],
    "equirect": info["equirect"]["bytes"],
    "preview": info["preview"]["bytes"],
}))
"""


def generate_panorama(path: Path, width: int) -> Path:
    """Write an equirectangular JPEG ``width`` x ``width / 2`` (libvips, streamed)."""
    import pyvips

    height = width // 2
    xy = pyvips.Image.xyz(width, height)
    x, y = xy[0], xy[1]
    lon = x * (360.0 / width)
    lat = 90 - y * (180.0 / height)
    # A skyline: buildings of varied height along the horizon, a sky, a paved ground.
    skyline = ((lon / 7).floor() * 37 % 23) + ((lon / 3).sin() * 2) + 4
    sky = (lat > skyline).ifthenelse([110, 160, 230], [150, 110, 80])
    ground = (lat < -2).ifthenelse([120, 120, 110], sky)
    noise = pyvips.Image.gaussnoise(width, height, sigma=18, mean=0)
    image = (ground + noise).cast("uchar").copy(interpretation="srgb")
    part = path.with_suffix(".part")
    image.jpegsave(str(part), Q=90)
    part.replace(path)
    return path


def _measure(command: list[str]) -> tuple[str, float, int]:
    """Run ``command``; its output, wall time in seconds and peak RSS in bytes."""
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"benchmark process failed: {command[:3]}")
    return output, seconds, usage.ru_maxrss * 1024


def main() -> None:
    """Generate (once) the JPEG, run Heritour and ``vips dzsave``, print both."""
    width = int(os.environ.get("BENCH_PANORAMA_WIDTH", "16384"))
    folder = Path("instance/bench")
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"panorama-{width}.jpg"
    if not source.exists():
        started = time.monotonic()
        generate_panorama(source, width)
        print(f"generated {source} in {time.monotonic() - started:.0f} s")
    print(f"input: {width} x {width // 2} JPEG, {source.stat().st_size / 1e6:.0f} MB")
    out, base_out = folder / "panorama-out", folder / "panorama-dzsave"
    for folder_ in (out, base_out):
        shutil.rmtree(folder_, ignore_errors=True)
    output, _, ours_peak = _measure([sys.executable, "-c", HERITOUR, str(source), str(out)])
    ours = json.loads(output.strip().splitlines()[-1])
    base_out.mkdir()
    baseline = [
        "vips",
        "dzsave",
        str(source),
        str(base_out / "pyramid"),
        "--tile-size",
        str(ours["tile_size"]),
        "--overlap",
        "0",
        "--depth",
        "onetile",
        "--suffix",
        ".jpg[Q=85]",
    ]
    _, base_seconds, base_peak = _measure(baseline)
    ratio = ours["seconds"] / base_seconds
    print(f"{'':30} {'time':>8} {'peak memory':>12}")
    print(f"{'Heritour (whole chain)':30} {ours['seconds']:7.1f}s {ours_peak / 2**20:9.0f} MiB")
    print(f"{'vips dzsave (tiles only)':30} {base_seconds:7.1f}s {base_peak / 2**20:9.0f} MiB")
    verdict = "ok" if ratio <= GOAL_RATIO else "OVER"
    print(f"time ratio {ratio:.2f} (goal <= {GOAL_RATIO}):", verdict)
    print(
        f"peak memory {ours_peak / 2**20:.0f} MiB (goal < {GOAL_BYTES / 2**20:.0f} MiB):",
        "ok" if ours_peak < GOAL_BYTES else "OVER",
    )
    print(
        f"tile size {ours['tile_size']}, levels {ours['levels']}, tiles {ours['tiles']['count']}"
        f" ({ours['tiles']['bytes'] / 1e6:.1f} MB), equirect {ours['equirect'] / 1e6:.1f} MB,"
        f" preview {ours['preview'] / 1e3:.0f} kB"
    )


if __name__ == "__main__":
    main()
