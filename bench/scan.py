"""A generator of large, textured, scan-like models for benchmarks.

The model is a displaced UV sphere (a boulder-like "scan") with a noisy 4096 px photo-like
texture, written as GLB. The same arguments always give the same bytes, so anyone can
regenerate the benchmark input: ``python -m bench.scan OUT.glb --triangles 2000000``.
"""

from __future__ import annotations

import argparse
import io
import math
from pathlib import Path

import numpy as np
import trimesh
from PIL import Image


def _texture(size: int, rng: np.random.Generator) -> Image.Image:
    """A stone-like texture: smooth colour fields plus fine grain, like a photogrammetry atlas."""
    coarse = rng.random((size // 64, size // 64, 3)).astype(np.float32)
    image = Image.fromarray((coarse * 255).astype(np.uint8)).resize((size, size), Image.BICUBIC)
    base = np.asarray(image, dtype=np.float32) * 0.35 + np.array([120, 105, 90], np.float32)
    grain = rng.normal(0, 12, (size, size, 1)).astype(np.float32)
    return Image.fromarray(np.clip(base + grain, 0, 255).astype(np.uint8))


def generate_scan(
    path: Path, triangles: int = 2_000_000, texture_px: int = 4096, seed: int = 7
) -> Path:
    """Write a scan-like textured GLB with about ``triangles`` triangles to ``path``."""
    rng = np.random.default_rng(seed)
    side = max(8, int(math.sqrt(triangles / 2)))
    theta, phi = np.meshgrid(
        np.linspace(0, np.pi, side + 1), np.linspace(0, 2 * np.pi, side + 1), indexing="ij"
    )
    bumps = sum(
        rng.uniform(0.01, 0.05)
        * np.sin(k * theta + rng.uniform(0, 6))
        * np.cos(k * phi + rng.uniform(0, 6))
        for k in range(2, 12)
    )
    radius = 1.0 + bumps + rng.normal(0, 0.002, theta.shape)
    vertices = np.stack(
        [
            radius * np.sin(theta) * np.cos(phi),
            radius * np.cos(theta) * 0.7 + 0.7,
            radius * np.sin(theta) * np.sin(phi),
        ],
        axis=-1,
    ).reshape(-1, 3)
    uv = np.stack([phi / (2 * np.pi), 1 - theta / np.pi], axis=-1).reshape(-1, 2)
    index = np.arange((side + 1) * (side + 1)).reshape(side + 1, side + 1)
    a, b, c, d = index[:-1, :-1], index[1:, :-1], index[1:, 1:], index[:-1, 1:]
    faces = np.concatenate(
        [np.stack([a, b, c], -1).reshape(-1, 3), np.stack([a, c, d], -1).reshape(-1, 3)]
    )
    texture = _texture(texture_px, rng)
    buffer = io.BytesIO()
    texture.save(buffer, "JPEG", quality=90)
    material = trimesh.visual.material.PBRMaterial(
        baseColorTexture=Image.open(io.BytesIO(buffer.getvalue())),
        metallicFactor=0.0,
        roughnessFactor=0.9,
    )
    mesh = trimesh.Trimesh(
        vertices=vertices,
        faces=faces,
        visual=trimesh.visual.TextureVisuals(uv=uv, material=material),
        process=False,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(mesh.export(file_type="glb"))
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--triangles", type=int, default=2_000_000)
    parser.add_argument("--texture", type=int, default=4096)
    args = parser.parse_args()
    generate_scan(args.out, args.triangles, args.texture)
