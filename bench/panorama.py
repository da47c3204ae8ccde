"""Panorama ingest: a 16,384 x 8,192 JPEG into tiles, against libvips' own ``dzsave``.

``python -m bench panorama`` (``BENCH_PANORAMA_WIDTH`` sets the width, 16384 by default).
The input is made by code with libvips (sky, ground, a ring of buildings, noise for
texture, so it compresses like a photograph) and kept in ``instance/bench/``. Each side runs
in its own process; its peak resident memory is read from the kernel (``wait4``):

- Heritour: the whole chain (header and structure checks, colour, ``dzsave`` of the tile
  pyramid, ``equirect.jpg``, ``preview.jpg``, the poster, the report);
- baseline: ``vips dzsave`` on the same file with the same tile size, overlap, depth and
  JPEG quality, nothing else.

Each side runs ``BENCH_REPEAT`` times (3 by default), alternating, and its fastest run counts:
on a shared machine the fastest run is the one least slowed by other work. CPU time (user +
system, all threads) is printed too.

Goals (issue 12): at most 1.5 x the baseline's time, peak memory under 1 GB.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from bench._runs import Run, generated, measure

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


def _measure(command: list[str], folder: Path) -> Run:
    """Run ``command`` with ``folder`` emptied first."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return measure(command)


def main() -> None:
    """Generate (once) the JPEG, run Heritour and ``vips dzsave``, print both."""
    width = int(os.environ.get("BENCH_PANORAMA_WIDTH", "16384"))
    source = generated(f"panorama-{width}.jpg", lambda path: generate_panorama(path, width))
    folder = source.parent
    print(f"input: {width} x {width // 2} JPEG, {source.stat().st_size / 1e6:.0f} MB")
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    out, base_out = folder / "panorama-out", folder / "panorama-dzsave"
    heritour = [sys.executable, "-c", HERITOUR, str(source), str(out / "result")]
    ours_runs: list[Run] = []
    base_runs: list[Run] = []
    for _ in range(repeat):
        ours_runs.append(_measure(heritour, out))
        tile = ours_runs[-1].result()["tile_size"]
        base_runs.append(_measure(_baseline(source, base_out, tile), base_out))

    def processing(run: Run) -> float:
        return float(run.result()["seconds"])

    ours = min(ours_runs, key=processing)
    base = min(base_runs, key=lambda r: r.seconds)
    figures = ours.result()
    ratio = figures["seconds"] / base.seconds
    print(f"fastest of {repeat} runs each; Heritour's time is process_file's own (Python's")
    print("start and imports are in its process time and CPU time, vips' start in its time)")
    print(f"{'':28} {'time':>7} {'process':>8} {'CPU time':>9} {'peak memory':>12}")
    rows = (
        ("Heritour (whole chain)", figures["seconds"], ours),
        ("vips dzsave (tiles only)", base.seconds, base),
    )
    for label, seconds, run in rows:
        print(
            f"{label:28} {seconds:6.1f}s {run.seconds:7.1f}s {run.cpu_seconds:8.1f}s"
            f" {run.peak_bytes / 2**20:8.0f} MiB"
        )
    verdict = "ok" if ratio <= GOAL_RATIO else "OVER"
    print(f"time ratio {ratio:.2f} (goal <= {GOAL_RATIO}):", verdict)
    print(f"whole-process time ratio {ours.seconds / base.seconds:.2f}")
    print(f"CPU time ratio {ours.cpu_seconds / base.cpu_seconds:.2f}")
    peak = max(r.peak_bytes for r in ours_runs)
    print(
        f"peak memory {peak / 2**20:.0f} MiB (goal < {GOAL_BYTES / 2**20:.0f} MiB):",
        "ok" if peak < GOAL_BYTES else "OVER",
    )
    print(
        f"tile size {figures['tile_size']}, levels {figures['levels']}, tiles"
        f" {figures['tiles']['count']} ({figures['tiles']['bytes'] / 1e6:.1f} MB), equirect"
        f" {figures['equirect'] / 1e6:.1f} MB, preview {figures['preview'] / 1e3:.0f} kB"
    )


def _baseline(source: Path, folder: Path, tile: int) -> list[str]:
    """``vips dzsave`` with the tile size, overlap, depth and quality Heritour uses."""
    return [
        "vips",
        "dzsave",
        str(source),
        str(folder / "pyramid"),
        "--tile-size",
        str(tile),
        "--overlap",
        "0",
        "--depth",
        "onetile",
        "--suffix",
        ".jpg[Q=85]",
    ]


if __name__ == "__main__":
    main()
