"""KTX2 benchmark: GPU memory, download bytes, poster likeness and encoder time of the
KTX2 (Basis Universal) levels, each against a baseline measured in the same run.

For every textured model in ``tests/data`` the whole pipeline runs twice in this process:
once as it is (``low``, ``medium`` and ``high`` get KTX2 textures) and once with
``ktx2_levels=()`` (JPEG/PNG textures everywhere, the baseline). Per level it prints:

- GPU texture memory on a phone against the same textures as RGBA8 with mipmaps (goal for
  ``low`` and ``medium``: at most 0.25);
- download bytes against the same level without KTX2;
- SSIM of the level's poster (drawn by models3d.poster from the level decoded as a browser
  decodes it) against the poster of the same level with its JPEG/PNG textures (goal: at
  least 0.95);

and per model the time spent making KTX2 levels (encoder runs, files, GLB rewriting)
against the Basis Universal command line run by itself, afterwards, with the same options
on the same images (goal: at most 1.2). Both are measured :data:`REPEATS` times, taking
turns (the first of ours inside the pipeline, the others on the same levels with an empty
cache), and the fastest of each is compared: the machine is shared, and a burst of load
during one run says nothing about either. ``python -m bench ktx2``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from models3d import basis
from models3d.options import ProcessOptions
from models3d.pipeline import process_file
from models3d.poster import render_poster
from models3d.viewposter import decode_glb

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = ROOT / "tests" / "data"
MODELS = ("AlphaBlendModeTest.glb", "CesiumMilkTruck.glb", "Duck.glb", "fuze.zip")
LEVELS = ("thumb", "low", "medium", "high")
POSTER_PX = 512
GPU_GOAL = 0.25
SSIM_GOAL = 0.95
TIME_GOAL = 1.2
REPEATS = 3


def ssim(a: Image.Image, b: Image.Image, window: int = 7) -> float:
    """Mean structural similarity of two images' luminance (box window, the usual constants)."""
    x = np.asarray(a.convert("L"), np.float64)
    y = np.asarray(b.convert("L"), np.float64)

    def box(values: np.ndarray) -> np.ndarray:
        summed = values.cumsum(0).cumsum(1)
        summed = np.pad(summed, ((1, 0), (1, 0)))
        w = window
        total = summed[w:, w:] - summed[:-w, w:] - summed[w:, :-w] + summed[:-w, :-w]
        return total / (w * w)

    mx, my = box(x), box(y)
    vx, vy = box(x * x) - mx * mx, box(y * y) - my * my
    cov = box(x * y) - mx * my
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    value = ((2 * mx * my + c1) * (2 * cov + c2)) / ((mx**2 + my**2 + c1) * (vx + vy + c2))
    return float(value.mean())


def poster_of(level: Path, work: Path) -> Image.Image:
    folder = Path(tempfile.mkdtemp(dir=work))
    doc, binary = decode_glb(level.read_bytes(), folder)
    image = render_poster(doc, binary, POSTER_PX)
    grey = Image.new("RGBA", image.size, (128, 128, 128, 255))
    return Image.alpha_composite(grey, image).convert("RGB")


class Recorder:
    """Records every encoder run (command, copies of its inputs), the levels given to the
    encoder and the KTX2 time."""

    def __init__(self, keep: Path) -> None:
        self.keep = keep
        self.runs: list[tuple[str, list[Path]]] = []
        self.datas: list[list[bytes]] = []
        self.seconds = 0.0
        self._run = basis.run_encoder
        self._levels = basis.Ktx2Encoder.levels

    def __enter__(self) -> Recorder:
        recorder = self

        def run_encoder(kind: str, files: list[Path], out_dir: Path) -> None:
            recorder._run(kind, files, out_dir)
            copy = recorder.keep / f"run-{len(recorder.runs)}"
            copy.mkdir()
            recorder.runs.append((kind, [Path(shutil.copy(f, copy)) for f in files]))

        def levels(encoder: basis.Ktx2Encoder, datas: list[bytes]) -> list[bytes]:
            recorder.datas.append(datas)
            started = time.monotonic()
            try:
                return recorder._levels(encoder, datas)
            finally:
                recorder.seconds += time.monotonic() - started

        basis.run_encoder = run_encoder  # type: ignore[assignment]
        basis.Ktx2Encoder.levels = levels  # type: ignore[method-assign]
        return self

    def __exit__(self, *_exc: object) -> None:
        basis.run_encoder = self._run  # type: ignore[assignment]
        basis.Ktx2Encoder.levels = self._levels  # type: ignore[method-assign]

    def cli_seconds(self) -> float:
        """The same encoder runs on the same images, from the command line alone."""
        total = 0.0
        for kind, files in self.runs:
            out = Path(tempfile.mkdtemp(prefix="cli-out-", dir=files[0].parent))
            command = basis.encoder_command(kind, files, out)
            started = time.monotonic()
            subprocess.run(command, capture_output=True, check=True, cwd=out)
            total += time.monotonic() - started
        return total

    def ours_seconds(self, work: Path) -> float:
        """The KTX2 levels made again from the same levels, with an empty cache."""
        started = time.monotonic()
        for datas in self.datas:
            self._levels(basis.Ktx2Encoder(Path(tempfile.mkdtemp(dir=work))), datas)
        return time.monotonic() - started


def bench_model(name: str, work: Path) -> dict[str, Any]:
    source = TESTDATA / name
    keep = work / "runs"
    keep.mkdir()
    with Recorder(keep) as recorder:
        ktx2 = process_file(source, work / "ktx2", original_name=name)
    plain = process_file(
        source, work / "plain", original_name=name, options=ProcessOptions(ktx2_levels=())
    )
    ours, cli = [recorder.seconds], [recorder.cli_seconds()]
    for _ in range(REPEATS - 1):
        ours.append(recorder.ours_seconds(work))
        cli.append(recorder.cli_seconds())
    rows = {}
    for level in LEVELS:
        figures = ktx2.report["levels"][level]
        base = plain.report["levels"][level]
        rows[level] = {
            "ktx2": figures["ktx2"],
            "gpu_ratio": figures["texture_gpu_bytes"] / max(figures["texture_rgba8_bytes"], 1),
            "gpu_bytes": figures["texture_gpu_bytes"],
            "bytes_ratio": figures["bytes"] / base["bytes"],
            "bytes": figures["bytes"],
            "ssim": ssim(poster_of(ktx2.levels[level], work), poster_of(plain.levels[level], work)),
        }
    return {"levels": rows, "ktx2_seconds": min(ours), "cli_seconds": min(cli)}


def main() -> None:
    """Print the figures of every model and whether the goals are met."""
    print(f"load average: {os.getloadavg()[0]:.2f}")
    worst = {"gpu": 0.0, "ssim": 1.0, "time": 0.0}
    for name in MODELS:
        with tempfile.TemporaryDirectory(prefix="bench-ktx2-") as tmp:
            result = bench_model(name, Path(tmp))
        ratio = result["ktx2_seconds"] / max(result["cli_seconds"], 1e-9)
        worst["time"] = max(worst["time"], ratio)
        print(
            f"\n{name}: KTX2 {result['ktx2_seconds']:.2f} s, basisu CLI alone "
            f"{result['cli_seconds']:.2f} s (fastest of {REPEATS}), ratio {ratio:.2f}"
        )
        print("level   ktx2  GPU MB  GPU/RGBA8  bytes    bytes/plain  poster SSIM")
        for level, row in result["levels"].items():
            if level in ("low", "medium"):
                worst["gpu"] = max(worst["gpu"], row["gpu_ratio"])
            worst["ssim"] = min(worst["ssim"], row["ssim"])
            print(
                f"{level:7} {'yes' if row['ktx2'] else 'no':4} {row['gpu_bytes'] / 2**20:7.2f} "
                f"{row['gpu_ratio']:9.3f}  {row['bytes']:8d} {row['bytes_ratio']:11.2f}  "
                f"{row['ssim']:.4f}"
            )
    print("\ngoals:")
    print(f"  GPU memory of low/medium vs RGBA8 <= {GPU_GOAL}: {worst['gpu']:.3f}", end=" ")
    print("met" if worst["gpu"] <= GPU_GOAL else "NOT met")
    print(f"  poster SSIM >= {SSIM_GOAL}: {worst['ssim']:.4f}", end=" ")
    print("met" if worst["ssim"] >= SSIM_GOAL else "NOT met")
    print(f"  KTX2 time vs basisu CLI <= {TIME_GOAL}: {worst['time']:.2f}", end=" ")
    print("met" if worst["time"] <= TIME_GOAL else "NOT met")
