"""Ingest benchmark: our whole pipeline against plain gltfpack, on the same inputs.

Inputs: a generated scan (``bench.scan``; 5 M triangles and a 4096 px texture unless
``BENCH_SCAN_TRIANGLES`` says otherwise) and every model in ``../shared/testdata``. For each
input it runs ``python -m models3d process`` in a child process (wall time, peak memory of the
process tree), then, per level, gltfpack alone at the same triangle ratio (``-cc -si r``,
textures untouched) as the baseline. It prints triangles, bytes and seconds per level and
the ratio of our bytes to gltfpack's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from models3d.nodetools import node_binary, node_modules

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = ROOT.parent / "shared" / "testdata"
OUT = ROOT / "bench" / "out"


def _run(command: list[str]) -> tuple[float, float, int, bytes]:
    """Run ``command``; return wall seconds, peak resident MB, exit status and stdout."""
    with tempfile.TemporaryFile() as stdout:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        return seconds, usage.ru_maxrss / 1024, process.returncode, stdout.read()


def _inputs() -> list[Path]:
    triangles = int(os.environ.get("BENCH_SCAN_TRIANGLES", "5000000"))
    scan = OUT / f"scan-{triangles}.glb"
    if not scan.exists():  # in a child, so this process stays small and its children's
        # peak memory (which Linux counts from the fork) is their own
        subprocess.run(
            [sys.executable, "-m", "bench.scan", str(scan), "--triangles", str(triangles)],
            check=True,
        )
    return [scan, *sorted(p for p in TESTDATA.iterdir() if p.suffix != ".md")]


def _gltfpack_bytes(source: Path, ratio: float, work: Path) -> tuple[int, float]:
    target = work / "baseline.glb"
    gltfpack = [node_binary(), str(node_modules() / "gltfpack" / "cli.js")]
    command = [*gltfpack, "-i", str(source), "-o", str(target), "-cc", "-si", f"{ratio:.6f}"]
    seconds, _peak, status, _out = _run(command)
    if status != 0:
        return -1, seconds
    return target.stat().st_size, seconds


def bench_input(source: Path, work: Path) -> None:
    """Process one input and print its rows."""
    out = work / source.stem
    seconds, peak_mb, status, stdout = _run(
        [sys.executable, "-m", "models3d", "process", str(source), "-o", str(out)]
    )
    if status != 0:
        print(f"{source.name}: rejected or failed ({status}): {stdout[:300]!r}")
        return
    report = json.loads((out / "report.json").read_text())
    source_triangles = report["triangles"]
    per_million = seconds / max(source_triangles / 1e6, 1e-9)
    print(
        f"{source.name}: {source_triangles:,} triangles in, {seconds:.2f} s "
        f"({per_million:.2f} s per M triangles), peak {peak_mb:,.0f} MB"
    )
    baseline_input = source if source.suffix == ".glb" else out / "high.glb"
    for level in ("thumb", "low", "medium", "high"):
        info = report["levels"][level]
        ratio = min(1.0, info["triangles"] / max(source_triangles, 1))
        base_bytes, base_seconds = _gltfpack_bytes(baseline_input, ratio, work)
        vs = f"{info['bytes'] / base_bytes:.2f}x" if base_bytes > 0 else "n/a"
        print(
            f"  {level:<6} {info['triangles']:>9,} tris {info['bytes']:>11,} B"
            f" | gltfpack {base_bytes:>11,} B in {base_seconds:.2f} s | bytes ratio {vs}"
        )


def main() -> None:
    """Run the ingest benchmark over every input."""
    with tempfile.TemporaryDirectory(prefix="heritour-bench-") as folder:
        work = Path(folder)
        for source in _inputs():
            bench_input(source, work)


if __name__ == "__main__":
    main()
