"""Levels of detail (thumb, low, medium, high) built with Pillow textures and gltfpack.

Each level gets a triangle target ``min(budget, source, level above)`` and a texture size
``min(budget, level above)``. Textures are prepared with :mod:`models3d.texprep`, then
gltfpack simplifies (keeping UVs and other attributes), quantises and meshopt-compresses.
A level whose effective parameters equal the level above reuses its bytes, so identical
levels are stored once. A byte budget (thumb) is met by shrinking textures, then quality,
then triangles. Output is deterministic: same input and options, same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models3d.errors import ModelError
from models3d.glb import read_glb, write_glb
from models3d.gltfscene import count_geometry
from models3d.nodetools import run_gltfpack
from models3d.options import LEVELS, LevelBudget
from models3d.texprep import ImageInfo, planned_size, with_level_textures
from models3d.textures import check_image

log = logging.getLogger(__name__)

GLTFPACK_BASE = ["-cc"]
QUALITIES = (85, 70, 55)
MIN_TEXTURE_PX = 64
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class LevelParams:
    """Effective parameters of one gltfpack run."""

    triangles: int
    texture_px: int
    quality: int
    aggressive: bool = False


@dataclass
class Level:
    """A built level: its GLB bytes and measured figures."""

    data: bytes
    triangles: int
    texture_px: int
    params: LevelParams

    def to_dict(self) -> dict[str, Any]:
        """JSON-able figures for the report."""
        return {
            "triangles": self.triangles,
            "bytes": len(self.data),
            "max_texture_px": self.texture_px,
        }


def measure(data: bytes, max_pixels: int) -> tuple[int, int]:
    """(triangles, longest texture side) of GLB bytes."""
    doc, binary = read_glb(data)
    triangles, _ = count_geometry(doc)
    longest = 0
    for image in doc.get("images", []):
        view = doc["bufferViews"][image["bufferView"]]
        start = view.get("byteOffset", 0)
        _, w, h = check_image((binary or b"")[start : start + view["byteLength"]], max_pixels)
        longest = max(longest, w, h)
    return triangles, longest


class LevelBuilder:
    """Builds levels from one normalised source, caching runs by their parameters."""

    def __init__(
        self,
        doc: dict[str, Any],
        binary: bytes,
        images: list[ImageInfo],
        workdir: Path,
        max_pixels: int,
    ) -> None:
        self.doc = doc
        self.binary = binary
        self.images = images
        self.workdir = workdir
        self.max_pixels = max_pixels
        self.source_triangles, _ = count_geometry(doc)
        self.source_texture_px = max(
            (max(i.image.width, i.image.height) for i in images), default=0
        )
        self._cache: dict[LevelParams, Level] = {}
        self._sources: dict[tuple[int, int], Path] = {}

    def _source_for(self, texture_px: int, quality: int) -> Path:
        key = (texture_px, quality)
        if key not in self._sources:
            doc, binary = with_level_textures(
                self.doc, self.binary, self.images, texture_px, quality
            )
            path = self.workdir / f"src_{texture_px}_{quality}.glb"
            path.write_bytes(write_glb(doc, binary))
            self._sources[key] = path
        return self._sources[key]

    def effective_texture_px(self, max_px: int) -> int:
        """Longest texture side actually produced for ``max_px`` (never enlarged)."""
        sizes = [max(planned_size(i, max_px)) for i in self.images]
        return max(sizes, default=0)

    def build(self, params: LevelParams) -> Level:
        """Run gltfpack with ``params`` (cached)."""
        if params in self._cache:
            return self._cache[params]
        src = self._source_for(params.texture_px, params.quality)
        options = list(GLTFPACK_BASE)
        if params.triangles < self.source_triangles:
            ratio = params.triangles / self.source_triangles
            options += ["-si", f"{ratio:.6f}"]
            options += ["-sa"] if params.aggressive else ["-se", "0.05"]
        dst = self.workdir / f"lod_{len(self._cache)}.glb"
        run_gltfpack(src, dst, options)
        data = dst.read_bytes()
        triangles, texture_px = measure(data, self.max_pixels)
        level = Level(data, triangles, texture_px, params)
        self._cache[params] = level
        return level

    def build_level(self, budget: LevelBudget, above: Level | None) -> Level:
        """Build one level within ``budget`` and never above the level ``above``."""
        target = min(budget.max_triangles, self.source_triangles)
        tex_px = self.effective_texture_px(budget.max_texture_px)
        if above is not None:
            target = min(target, above.params.triangles)
            tex_px = min(tex_px, above.params.texture_px)
        quality = QUALITIES[0]
        params = LevelParams(target, tex_px, quality)
        if above is not None and params == above.params:
            return above
        level = self.build(params)
        for _ in range(MAX_ATTEMPTS):
            too_many = level.triangles > target
            too_big = budget.max_bytes is not None and len(level.data) > budget.max_bytes
            if not too_many and not too_big:
                break
            params = self._shrink(params, level, target, budget, too_many)
            if above is not None and params == above.params:
                return above
            level = self.build(params)
        else:
            raise ModelError(
                "model_too_large",
                {"reason": "could not meet the level budget", "budget": budget.__dict__},
            )
        if above is not None and (
            level.triangles > above.triangles or level.texture_px > above.texture_px
        ):
            return above
        return level

    def _shrink(
        self, params: LevelParams, level: Level, target: int, budget: LevelBudget, too_many: bool
    ) -> LevelParams:
        if too_many:
            if not params.aggressive:
                return LevelParams(params.triangles, params.texture_px, params.quality, True)
            scaled = int(params.triangles * target / max(level.triangles, 1) * 0.95)
            return LevelParams(max(scaled, 1), params.texture_px, params.quality, True)
        if self.images and params.texture_px > MIN_TEXTURE_PX:
            px = self.effective_texture_px(max(params.texture_px // 2, MIN_TEXTURE_PX))
            return LevelParams(params.triangles, px, params.quality, params.aggressive)
        lower = [q for q in QUALITIES if q < params.quality]
        if self.images and lower:
            return LevelParams(params.triangles, params.texture_px, lower[0], params.aggressive)
        assert budget.max_bytes is not None
        ratio = budget.max_bytes / len(level.data) * 0.9
        return LevelParams(
            max(int(params.triangles * ratio), 1), params.texture_px, params.quality, True
        )


def build_levels(
    builder: LevelBuilder,
    budgets: dict[str, LevelBudget],
    progress: Callable[[str], None] | None = None,
) -> dict[str, Level]:
    """Build all levels from high down to thumb."""
    levels: dict[str, Level] = {}
    above: Level | None = None
    for name in reversed(LEVELS):
        if progress:
            progress(name)
        above = levels[name] = builder.build_level(budgets[name], above)
        log.info("level %s: %d triangles, %d bytes", name, above.triangles, len(above.data))
    return {name: levels[name] for name in LEVELS}


def decoded_copy(builder: LevelBuilder, triangles: int, texture_px: int) -> bytes:
    """An uncompressed, unquantised GLB (gltfpack -noq) for reading in numpy (poster)."""
    src = builder._source_for(builder.effective_texture_px(texture_px), QUALITIES[0])
    options = ["-noq"]
    if triangles < builder.source_triangles:
        options += ["-si", f"{triangles / builder.source_triangles:.6f}", "-se", "0.05"]
    dst = builder.workdir / "poster_source.glb"
    run_gltfpack(src, dst, options)
    return dst.read_bytes()
