"""Levels of detail (thumb, low, medium, high) built with Pillow textures and gltfpack.

Geometry is simplified as a cascade: ``high`` from the source, ``medium`` from ``high``,
``low`` from ``medium`` and ``thumb`` from ``low``. Only the first step reads the full
source; every later one starts from an already simplified, uncompressed mesh (gltfpack
``-noq``), which is much cheaper and changes the result very little. Each level is then
packed on its own: its textures are prepared with :mod:`models3d.texprep` (mapped back to
the decoded source images by their bytes) and gltfpack quantises and meshopt-compresses it.
The first step runs in two processes for a huge single mesh (:mod:`models3d.partsimplify`),
and each level is packed while the next level's simplification already runs in a
background thread, so both cores are used.

Each level gets a triangle target ``min(budget, source, level above)`` and a texture size
``min(budget, level above)``. A level whose effective parameters equal the level above
reuses its bytes, so identical levels are stored once. A byte budget (thumb) is met by
shrinking textures, then quality, then triangles. Output is deterministic: same input and
options, same bytes.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import threading
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from models3d.basis import Ktx2Encoder
from models3d.errors import ModelError
from models3d.glb import read_glb, write_glb_file
from models3d.gltfscene import count_geometry
from models3d.nodetools import run_gltfpack
from models3d.options import LEVELS, LevelBudget
from models3d.partsimplify import simplify_in_halves, splittable
from models3d.texprep import (
    ImageInfo,
    alpha_images,
    dedupe_images,
    encode_for_level,
    image_bytes,
    image_info,
    planned_size,
    with_images,
)
from models3d.textures import check_image

log = logging.getLogger(__name__)

GLTFPACK_BASE = ["-cc"]
SIMPLIFY_ERROR = "0.05"
SPLIT_SOURCE = True  # see models3d.partsimplify
QUALITIES = (85, 70, 55)
MIN_TEXTURE_PX = 64
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class LevelParams:
    """Effective parameters of one level."""

    triangles: int
    texture_px: int
    quality: int
    aggressive: bool = False


@dataclass(frozen=True)
class Geometry:
    """An uncompressed GLB in the simplification cascade and the triangles it draws."""

    path: Path
    triangles: int


@dataclass
class Level:
    """A built level: its GLB bytes, measured figures and what it was made from."""

    data: bytes
    triangles: int
    texture_px: int
    params: LevelParams
    geometry: Geometry
    unpacked: Path  # the geometry with this level's textures, before compression
    ktx2: bool = False  # textures are KTX2 (models3d.basis); ``unpacked`` keeps JPEG/PNG

    def to_dict(self) -> dict[str, Any]:
        """JSON-able figures for the report."""
        return {
            "triangles": self.triangles,
            "bytes": len(self.data),
            "max_texture_px": self.texture_px,
            "ktx2": self.ktx2,
        }


def image_sizes(data: bytes, max_pixels: int) -> list[tuple[int, int]]:
    """(width, height) of each image in GLB bytes (image headers only)."""
    doc, binary = read_glb(data)
    sizes = []
    for image in doc.get("images", []):
        view = doc["bufferViews"][image["bufferView"]]
        start = view.get("byteOffset", 0)
        _, w, h = check_image((binary or b"")[start : start + view["byteLength"]], max_pixels)
        sizes.append((w, h))
    return sizes


def measure(data: bytes, max_pixels: int) -> tuple[int, int]:
    """(triangles, longest texture side) of GLB bytes (JSON and image headers only)."""
    triangles, _ = count_geometry(read_glb(data)[0])
    longest = max((max(w, h) for w, h in image_sizes(data, max_pixels)), default=0)
    return triangles, longest


class LevelBuilder:
    """Builds levels from one normalised source, caching every gltfpack run."""

    def __init__(
        self,
        doc: dict[str, Any],
        binary: bytes,
        images: list[ImageInfo],
        workdir: Path,
        max_pixels: int,
    ) -> None:
        self.workdir = workdir
        self.max_pixels = max_pixels
        self.images = images
        self.source_triangles, _ = count_geometry(doc)
        # The cascade's source: WebP converted, identical images merged. Every other image
        # keeps its bytes, so each one found later in the cascade maps back to its decoded
        # source image by digest.
        chain_images = [
            encode_for_level(i, max(i.width, i.height), QUALITIES[0])
            if i.mime == "image/webp"
            else (i.data, i.mime)
            for i in images
        ]
        chain_doc, chain_binary = with_images(doc, binary, chain_images)
        dedupe_images(chain_doc, chain_binary)
        self._by_digest: dict[bytes, ImageInfo] = {}
        for info, (data, _mime) in zip(images, chain_images, strict=True):
            digest = hashlib.sha256(data).digest()
            known = self._by_digest.get(digest)
            if known is None or (info.needs_alpha and not known.needs_alpha):
                self._by_digest[digest] = info  # a merged image keeps alpha if any use needs it
        # Written only when a gltfpack run needs it (a split model may never need it).
        self.source = Geometry(workdir / "cascade_source.glb", self.source_triangles)
        self._source_data: tuple[dict[str, Any], bytes] | None = (chain_doc, chain_binary)
        # A huge single mesh is simplified from the source in two halves at once.
        self._split = SPLIT_SOURCE and splittable(chain_doc)
        self._geometries: dict[tuple[Path, int, bool], Future[Geometry]] = {}
        self._packed: dict[tuple[Path, int, int], tuple[bytes, Path]] = {}
        self._runs = itertools.count(1)
        self._background = ThreadPoolExecutor(max_workers=1)  # simplification runs
        self.ktx2 = Ktx2Encoder(workdir)
        self._source_lock = threading.Lock()  # both threads may need the source written

    def _written(self, geometry: Geometry) -> Path:
        """The path of ``geometry``, writing the cascade source first if needed."""
        if geometry is self.source:
            with self._source_lock:
                if not geometry.path.exists():
                    assert self._source_data is not None
                    write_glb_file(geometry.path, *self._source_data)
        return geometry.path

    def _next_path(self, kind: str) -> Path:
        return self.workdir / f"{kind}_{next(self._runs)}.glb"

    def _simplified(self, parent: Geometry, target: int, aggressive: bool) -> Geometry:
        ratio = target / parent.triangles
        options = ["-noq", "-si", f"{ratio:.6f}"]
        options += ["-sa"] if aggressive else ["-se", SIMPLIFY_ERROR]
        dst = self._next_path("geometry")
        triangles = None
        if parent is self.source and self._split and self._source_data is not None:
            doc, binary = self._source_data
            triangles = simplify_in_halves(doc, binary, self.workdir, options, dst)
        if triangles is None:
            run_gltfpack(self._written(parent), dst, options)
            triangles = count_geometry(read_glb(dst.read_bytes())[0])[0]
        return Geometry(dst, triangles)

    def simplify(self, parent: Geometry, target: int, aggressive: bool) -> Geometry:
        """``parent`` simplified to about ``target`` triangles (uncompressed; cached)."""
        if target >= parent.triangles:
            return parent
        key = (parent.path, target, aggressive)
        if key not in self._geometries:
            self._geometries[key] = self._background.submit(
                self._simplified, parent, target, aggressive
            )
        return self._geometries[key].result()

    def prefetch(self, parent: Geometry, target: int) -> None:
        """Start simplifying ``parent`` to ``target`` in the background (the likely next level).

        The level above is packed meanwhile, so the two gltfpack runs use both cores. The
        result is the same as :meth:`simplify` would give; if unused, it is only wasted work.
        """
        key = (parent.path, target, False)
        if target < parent.triangles and key not in self._geometries:
            self._geometries[key] = self._background.submit(self._simplified, parent, target, False)

    def close(self) -> None:
        """Wait for background work (call once the levels are built)."""
        self._background.shutdown(wait=True)

    def _level_images(self, doc: dict[str, Any], binary: bytes) -> list[ImageInfo]:
        alpha = alpha_images(doc)
        infos = []
        for i in range(len(doc.get("images", []))):
            data = image_bytes(doc, binary, i)
            digest = hashlib.sha256(data).digest()
            known = self._by_digest.get(digest)
            if known is None:  # not expected: gltfpack copies images unchanged
                known = image_info(data, self.max_pixels, i in alpha, f"image {i}")
                self._by_digest[digest] = known
            infos.append(known)
        return infos

    def pack(self, geometry: Geometry, texture_px: int, quality: int) -> tuple[bytes, Path]:
        """Compressed GLB bytes of ``geometry`` with textures for ``texture_px`` (cached)."""
        key = (geometry.path, texture_px, quality)
        if key not in self._packed:
            doc, binary = read_glb(self._written(geometry).read_bytes())
            infos = self._level_images(doc, binary or b"")
            prepared = [encode_for_level(i, texture_px, quality) for i in infos]
            doc, packed_binary = with_images(doc, binary or b"", prepared)
            src = self._next_path("unpacked")
            write_glb_file(src, doc, packed_binary)
            dst = self._next_path("level")
            run_gltfpack(src, dst, GLTFPACK_BASE)
            self._packed[key] = (dst.read_bytes(), src)
        return self._packed[key]

    def with_ktx2(self, levels: dict[str, Level], names: Collection[str]) -> dict[str, Level]:
        """``levels`` with KTX2 textures in those named (see :mod:`models3d.basis`).

        All their images are encoded together (one encoder run per kind of image); levels
        with equal bytes stay equal. Call it once nothing else runs (the levels are built,
        the poster drawn): the encoder uses every core.
        """
        chosen = [name for name in levels if name in names]
        if not self.images or not chosen:
            return levels
        distinct = list(dict.fromkeys(levels[name].data for name in chosen))
        converted = dict(zip(distinct, self.ktx2.levels(distinct), strict=True))
        return {
            name: replace(level, data=converted[level.data], ktx2=True) if name in chosen else level
            for name, level in levels.items()
        }

    def effective_texture_px(self, max_px: int) -> int:
        """Longest texture side actually produced for ``max_px`` (never enlarged)."""
        sizes = [max(planned_size(i, max_px)) for i in self.images]
        return max(sizes, default=0)

    def build(
        self, parent: Geometry, params: LevelParams, below: LevelBudget | None = None
    ) -> Level:
        """Simplify ``parent`` and pack the result as ``params`` say.

        With ``below`` (the budget of the next level down), that level's simplification is
        started in the background while this one is packed.
        """
        geometry = self.simplify(parent, params.triangles, params.aggressive)
        if below is not None:
            self.prefetch(geometry, min(below.max_triangles, params.triangles))
        data, unpacked = self.pack(geometry, params.texture_px, params.quality)
        triangles, texture_px = measure(data, self.max_pixels)
        if triangles == 0 and geometry is self.source:
            # Packing alone (no simplification) removed every triangle: all were degenerate.
            raise ModelError("no_geometry", {"reason": "every triangle has zero area"})
        return Level(data, triangles, texture_px, params, geometry, unpacked)

    def build_level(
        self, budget: LevelBudget, above: Level | None, below: LevelBudget | None = None
    ) -> Level:
        """Build one level within ``budget`` and never above the level ``above``."""
        target = min(budget.max_triangles, self.source_triangles)
        tex_px = self.effective_texture_px(budget.max_texture_px)
        parent = self.source
        if above is not None:
            target = min(target, above.params.triangles)
            tex_px = min(tex_px, above.params.texture_px)
            parent = above.geometry
        params = LevelParams(target, tex_px, QUALITIES[0])
        if above is not None and params == above.params:
            return above
        level = self.build(parent, params, below)
        for _ in range(MAX_ATTEMPTS):
            too_many = level.triangles > target
            too_big = budget.max_bytes is not None and len(level.data) > budget.max_bytes
            if not too_many and not too_big:
                break
            params = self._shrink(params, level, target, budget, too_many)
            if above is not None and params == above.params:
                return above
            level = self.build(parent, params)
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
    built: Callable[[str, Level], None] | None = None,
) -> dict[str, Level]:
    """Build all levels from high down to thumb, each simplified from the one above.

    ``progress`` is called with each level's name before it is built, ``built`` with the
    name and the level once it is. Textures become KTX2 afterwards
    (:meth:`LevelBuilder.with_ktx2`).
    """
    levels: dict[str, Level] = {}
    above: Level | None = None
    order = list(reversed(LEVELS))
    try:
        for i, name in enumerate(order):
            if progress:
                progress(name)
            below = budgets[order[i + 1]] if i + 1 < len(order) else None
            above = levels[name] = builder.build_level(budgets[name], above, below)
            log.info("level %s: %d triangles, %d bytes", name, above.triangles, len(above.data))
            if built:
                built(name, above)
    finally:
        builder.close()
    return {name: levels[name] for name in LEVELS}
