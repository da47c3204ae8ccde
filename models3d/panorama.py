"""360° panoramas: header checks, colour, placement on the full sphere, tiles, previews.

An equirectangular JPEG, PNG or WebP goes through libvips (pyvips) as a stream:

1. its structure is walked (:mod:`models3d.imagehead`) and its size read from the header
   by libvips before any pixel is decoded; limits apply to both the upload and the full
   sphere it is placed on;
2. colours are made 8-bit sRGB (CMYK, 16-bit, grey, embedded ICC profiles), EXIF
   orientation is applied, alpha is flattened onto neutral grey;
3. a partial panorama is placed on the full 2:1 sphere by its GPano metadata
   (:mod:`models3d.gpano`), the rest filled with neutral grey;
4. the tile pyramid is written by ``dzsave``: every level a full 2:1 image of
   ``cols x rows`` square tiles (powers of two, ``rows = cols / 2``, one tile size for all
   levels), as Photo Sphere Viewer's EquirectangularTilesAdapter wants them;
5. ``equirect.jpg`` (at most 8192 wide), ``preview.jpg`` (1024 x 512) and ``poster.webp``
   (the start view rendered rectilinear, as :func:`render_view` does) are made from the
   tiles of the smallest level that is large enough: they decode far faster than the
   upload.

Files appear in ``out_dir`` only when everything succeeded.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyvips
from PIL import Image

from models3d.detect import image_format
from models3d.errors import ModelError, ProcessingError
from models3d.gpano import Placement, parse_gpano, placement
from models3d.imagehead import ImageHead, read_image_head
from models3d.options import Limits, ProcessOptions
from models3d.poster import encode_poster
from models3d.report import publish_outputs

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

# The operation cache would keep decoded images and open files alive between uploads.
pyvips.cache_set_max(0)

PREVIEW_SIZE = (1024, 512)
EQUIRECT_MAX_WIDTH = 8192
MIN_TILE = 512  # tiles are MIN_TILE to 2 * MIN_TILE - 1 pixels square
# Photo Sphere Viewer refuses more columns than its sphere has segments (64 by default).
MAX_COLS_LOG2 = 6
TILE_QUALITY = 85
PREVIEW_QUALITY = 80
DEFAULT_VIEW = {"yaw": 0.0, "pitch": 0.0, "fov": 75.0}
NEUTRAL = [128.0, 128.0, 128.0]
# How far from 2:1 a panorama without GPano metadata may be (it is stretched to 2:1).
ASPECT_TOLERANCE = 0.01
TRUNCATED_MARKERS = ("premature end", "truncat", "not enough data", "unexpected end", "eof")
COLOUR_MARKERS = ("precision", "colour space", "color space", "unsupported color", "components")
ORIENTATION_ROTATES = frozenset({3, 5, 6, 7, 8})


@dataclass
class Plan:
    """What the header says and what will be made of the upload."""

    fmt: str
    source: dict[str, Any]
    gpano: dict[str, Any] | None
    place: Placement | None
    width: int  # of the full sphere as output (level widths are fractions of it)
    tile_size: int
    levels: list[dict[str, int]]
    corrections: list[str] = field(default_factory=list)

    @property
    def height(self) -> int:
        """The full sphere's height (half its width)."""
        return self.width // 2

    def field_of_view(self) -> dict[str, float]:
        """Degrees of the sphere the upload covers."""
        if self.place is None:
            return {"horizontal": 360.0, "vertical": 180.0}
        p = self.place
        return {
            "horizontal": round(min(p.width / p.full_width, 1.0) * 360, 3),
            "vertical": round(min(p.height / p.full_height, 1.0) * 180, 3),
        }

    def view(self) -> dict[str, float]:
        """The suggested start view: GPano's initial view, else the centre of the upload."""
        if self.place is None or self.gpano is None:
            return dict(DEFAULT_VIEW)
        p, g = self.place, self.gpano
        centre_yaw = ((p.left + p.width / 2) / p.full_width - 0.5) * 360 + p.heading
        centre_pitch = (0.5 - (p.top + p.height / 2) / p.full_height) * 180
        yaw = g.get("InitialViewHeadingDegrees", centre_yaw)
        pitch = g.get("InitialViewPitchDegrees", centre_pitch)
        fov = DEFAULT_VIEW["fov"]
        return {
            "yaw": round((yaw + 180) % 360 - 180, 3),
            "pitch": round(max(-90.0, min(90.0, pitch)), 3),
            "fov": fov,
        }


def plan_levels(width: float) -> tuple[int, int, list[dict[str, int]]]:
    """Tile size, output width and levels (smallest first) for a sphere ``width`` wide.

    The output width is ``tile * 2**k`` as close to ``width`` as a tile of
    :data:`MIN_TILE` to ``2 * MIN_TILE - 1`` pixels allows (the top level keeps the
    upload's resolution); level ``j`` has ``2**j`` columns and ``2**(j-1)`` rows, at most
    64 columns (larger tiles beyond 32,768 pixels).
    """
    k = max(1, math.floor(math.log2(max(width, 2) / MIN_TILE))) if width >= 2 * MIN_TILE else 1
    k = min(k, MAX_COLS_LOG2)
    tile = max(1, round(width / 2**k))
    levels = [{"width": tile * 2**j, "cols": 2**j, "rows": 2 ** (j - 1)} for j in range(1, k + 1)]
    return tile, tile * 2**k, levels


@contextlib.contextmanager
def vips_errors(where: str) -> Iterator[None]:
    """Turn libvips' errors on the upload into codes (``image_truncated``, ...)."""
    try:
        yield
    except pyvips.Error as exc:
        text = f"{exc.message} {exc.detail}".lower()
        detail = {"where": where, "reason": text.strip()[-500:]}
        if "no space left" in text or "disk quota" in text:
            raise ProcessingError(detail) from exc
        if "out of memory" in text or "cannot allocate" in text:
            raise MemoryError(text) from exc
        if any(marker in text for marker in TRUNCATED_MARKERS):
            raise ModelError("image_truncated", detail) from exc
        if any(marker in text for marker in COLOUR_MARKERS):
            raise ModelError("unsupported_colour_mode", detail) from exc
        raise ModelError("image_corrupt", detail) from exc


def _load(path: Path, fmt: str, access: str = "sequential") -> pyvips.Image:
    """Open (header only) with the loader of ``fmt``, failing on errors and truncation."""
    loader = {"jpeg": pyvips.Image.jpegload, "png": pyvips.Image.pngload}.get(
        fmt, pyvips.Image.webpload
    )
    with vips_errors("header"):
        return loader(str(path), access=access, fail_on="error")


def _field(image: pyvips.Image, name: str) -> Any:
    return image.get(name) if image.get_typeof(name) else None


def icc_description(profile: bytes | None) -> str | None:
    """The description of an ICC profile (its ``desc`` tag), "embedded" if unreadable."""
    if not profile:
        return None
    try:
        count = int.from_bytes(profile[128:132], "big")
        for i in range(min(count, 100)):
            entry = profile[132 + 12 * i : 144 + 12 * i]
            if entry[:4] != b"desc":
                continue
            offset, size = int.from_bytes(entry[4:8], "big"), int.from_bytes(entry[8:12], "big")
            tag = profile[offset : offset + min(size, 1024)]
            if tag[:4] == b"desc":
                length = int.from_bytes(tag[8:12], "big")
                return tag[12 : 12 + length].rstrip(b"\0").decode("latin-1")[:200]
            if tag[:4] == b"mluc":
                length = int.from_bytes(tag[20:24], "big")
                start = int.from_bytes(tag[24:28], "big")
                return tag[start : start + length].decode("utf-16-be", "replace")[:200]
    except (ValueError, IndexError):
        pass
    return "embedded"


def _is_srgb(profile: bytes) -> bool:
    description = icc_description(profile) or ""
    return "srgb" in description.lower().replace(" ", "")


def _colour_name(image: pyvips.Image) -> str:
    interpretation = str(image.interpretation)
    return {
        "srgb": "rgb",
        "rgb16": "rgb",
        "rgb": "rgb",
        "b-w": "grey",
        "grey16": "grey",
        "cmyk": "cmyk",
    }.get(interpretation, interpretation)


def _source(image: pyvips.Image, head: ImageHead, icc: bytes | None) -> dict[str, Any]:
    colour = _colour_name(image)
    alpha = image.hasalpha() if colour != "cmyk" else image.bands > 4
    return {
        "width": image.width,
        "height": image.height,
        "format": head.format,
        "colour": colour + ("+alpha" if alpha else ""),
        "bits": 16 if str(image.format) == "ushort" else 8,
        "orientation": int(_field(image, "orientation") or 1),
        "icc": icc_description(icc),
        "metadata_bytes": head.metadata_bytes,
    }


def check_header(path: Path, limits: Limits) -> Plan:
    """Everything known before decoding: structure, size, GPano, levels.

    Raises :class:`ModelError` (``not_a_panorama``, ``panorama_too_large``,
    ``panorama_aspect``, ``gpano_invalid``, ``image_*``, ``unsupported_colour_mode``).
    """
    with path.open("rb") as fh:
        fmt = image_format(fh.read(16))
    if fmt is None:
        raise ModelError("not_a_panorama", {"reason": "not a JPEG, PNG or WebP"})
    head = read_image_head(path, fmt, limits.max_image_metadata_bytes)
    image = _load(path, fmt)
    icc = _field(image, "icc-profile-data")
    source = _source(image, head, icc)
    width, height = image.width, image.height
    if source["orientation"] in (5, 6, 7, 8):
        width, height = height, width
    maximum = {"max_width": limits.max_panorama_width, "max_height": limits.max_panorama_height}
    if width > limits.max_panorama_width or height > limits.max_panorama_height:
        raise ModelError("panorama_too_large", {"width": width, "height": height, **maximum})
    if str(image.format) not in ("uchar", "ushort") or source["colour"].split("+")[0] not in (
        "rgb",
        "grey",
        "cmyk",
    ):
        raise ModelError(
            "unsupported_colour_mode",
            {"interpretation": str(image.interpretation), "format": str(image.format)},
        )
    gpano = parse_gpano(head.xmp)
    place = placement(gpano, width, height)
    if place is None:
        if abs(width / height - 2) > 2 * ASPECT_TOLERANCE:
            raise ModelError("panorama_aspect", {"width": width, "height": height})
        full_width: float = width
    else:
        full_width = place.full_width
        if full_width > limits.max_panorama_width or full_width / 2 > limits.max_panorama_height:
            raise ModelError(
                "panorama_too_large",
                {"width": round(full_width), "height": round(full_width / 2), **maximum},
            )
    tile, out_width, levels = plan_levels(full_width)
    plan = Plan(fmt, source, gpano, place, out_width, tile, levels)
    plan.corrections = _expected_corrections(plan, image, icc, (width, height))
    return plan


def _expected_corrections(
    plan: Plan, image: pyvips.Image, icc: bytes | None, size: tuple[int, int]
) -> list[str]:
    codes = []
    source = plan.source
    if source["orientation"] != 1:
        codes.append("orientation_applied")
    colour = source["colour"].split("+")[0]
    if colour == "cmyk":
        codes.append("cmyk_converted")
    elif icc and not _is_srgb(icc):
        codes.append("icc_converted")
    if colour == "grey":
        codes.append("grey_converted")
    if source["bits"] == 16:
        codes.append("sixteen_bit_reduced")
    if "+alpha" in source["colour"]:
        codes.append("alpha_flattened")
    if plan.place is not None and plan.place.partial:
        codes.append("gpano_placed")
    if plan.place is not None and plan.place.heading:
        codes.append("gpano_heading_applied")
    if plan.place is None and size[0] != 2 * size[1]:
        codes.append("aspect_adjusted")
    return codes


def _to_srgb(image: pyvips.Image, plan: Plan) -> pyvips.Image:
    """8-bit sRGB, three bands, alpha flattened onto neutral grey."""
    icc = _field(image, "icc-profile-data")
    if "cmyk_converted" in plan.corrections:
        image = image.icc_transform("srgb", embedded=bool(icc), input_profile="cmyk", depth=8)
    elif "icc_converted" in plan.corrections:
        image = image.icc_transform("srgb", embedded=True, depth=8)
    if image.interpretation != "srgb" or image.format != "uchar":
        image = image.colourspace("srgb")
    if image.hasalpha():
        image = image.flatten(background=NEUTRAL)
    if image.bands > 3:
        image = image.extract_band(0, n=3)
    if image.format != "uchar":
        image = image.cast("uchar")
    return image.copy(interpretation="srgb")


def sphere(path: Path, plan: Plan) -> pyvips.Image:
    """The upload as the full 2:1 sphere, ``plan.width`` wide, 8-bit sRGB (lazy)."""
    width, height = plan.width, plan.height
    rotates = plan.source["orientation"] in ORIENTATION_ROTATES
    image = _load(path, plan.fmt, "random" if rotates else "sequential")
    with vips_errors("colour"):
        if plan.source["orientation"] != 1:
            image = image.autorot()
        image = _to_srgb(image, plan)
        p = plan.place
        if p is None:
            if (image.width, image.height) != (width, height):
                image = image.resize(width / image.width, vscale=height / image.height)
            return image
        scale = width / p.full_width
        w, h = max(1, round(p.width * scale)), max(1, round(p.height * scale))
        w, h = min(w, width), min(h, height)
        if (image.width, image.height) != (w, h):
            image = image.resize(w / image.width, vscale=h / image.height)
        top = min(round(p.top * scale), height - h)
        image = image.embed(0, top, width, height, extend="background", background=NEUTRAL)
        shift = (round(p.left * scale) + round(p.heading / 360 * width)) % width
        if shift:
            image = image.wrap(x=shift, y=0)
        return image


def _source_report(path: Path, original_name: str | None, plan: Plan) -> dict[str, Any]:
    return {
        "kind": "panorama",
        "original_name": original_name,
        "format": plan.fmt,
        "bytes": path.stat().st_size,
        "panorama": {
            "projection": "equirectangular",
            "source": plan.source,
            "width": plan.width,
            "height": plan.height,
            "field_of_view": plan.field_of_view(),
            "gpano": plan.gpano,
            "corrections": list(plan.corrections),
            "view": plan.view(),
            "tile_size": plan.tile_size,
            "levels": plan.levels,
            "tiles": None,
            "preview": None,
            "equirect": None,
        },
        "phone_ready": {"verdict": True, "reasons": []},
    }


def inspect_panorama(path: Path, *, original_name: str | None, limits: Limits) -> dict[str, Any]:
    """The report of a panorama from its header alone (nothing decoded)."""
    return _source_report(path, original_name, check_header(path, limits))


def _write_tiles(image: pyvips.Image, plan: Plan, stage: Path, progress: Progress) -> Path:
    """dzsave the sphere; keep the levels of the plan as ``tiles/<level>/<col>_<row>.jpg``."""
    last = [-1]

    def on_eval(_image: pyvips.Image, status: Any) -> None:
        percent = int(status.percent)
        if percent // 10 != last[0]:
            last[0] = percent // 10
            progress(20 + percent * 60 // 100, "tiles")

    image.set_progress(True)
    image.signal_connect("eval", on_eval)
    with vips_errors("pixels"):
        image.dzsave(
            str(stage / "dz"),
            layout="dz",
            tile_size=plan.tile_size,
            overlap=0,
            depth="onetile",
            suffix=f".jpg[Q={TILE_QUALITY}]",
        )
    # dzsave numbers its levels from its smallest one; ours are the largest len(levels).
    top = max(int(p.name) for p in (stage / "dz_files").iterdir() if p.name.isdigit())
    tiles = stage / "tiles"
    tiles.mkdir()
    count = len(plan.levels)
    for index in range(count):
        os.replace(stage / "dz_files" / str(top - (count - 1 - index)), tiles / str(index))
    shutil.rmtree(stage / "dz_files")
    (stage / "dz.dzi").unlink()
    return tiles


def _level(tiles: Path, plan: Plan, width: int) -> pyvips.Image:
    """The smallest level at least ``width`` wide (else the largest), joined from its tiles.

    Its tiles decode much faster than the upload (fewer pixels, fewer bytes), so the
    equirect, the preview and the poster are made from them.
    """
    index = next(
        (i for i, level in enumerate(plan.levels) if level["width"] >= width),
        len(plan.levels) - 1,
    )
    level = plan.levels[index]
    parts = [
        pyvips.Image.jpegload(str(tiles / str(index) / f"{col}_{row}.jpg"))
        for row in range(level["rows"])
        for col in range(level["cols"])
    ]
    return pyvips.Image.arrayjoin(parts, across=level["cols"])


def _save_jpeg(image: pyvips.Image, size: tuple[int, int], target: Path, q: int) -> dict[str, int]:
    if (image.width, image.height) != size:
        image = image.resize(size[0] / image.width, vscale=size[1] / image.height)
    image.jpegsave(str(target), Q=q, strip=True)
    return {"width": size[0], "height": size[1], "bytes": target.stat().st_size}


def _small_outputs(
    tiles: Path, plan: Plan, stage: Path, options: ProcessOptions
) -> tuple[dict[str, int], dict[str, int], bytes]:
    """``equirect.jpg``, ``preview.jpg`` and the poster (WebP bytes) at the plan's view."""
    width = min(plan.width, EQUIRECT_MAX_WIDTH)
    view, px = plan.view(), options.poster_px
    with vips_errors("equirect"):
        equirect = _save_jpeg(
            _level(tiles, plan, width), (width, width // 2), stage / "equirect.jpg", TILE_QUALITY
        )
        preview = _save_jpeg(
            _level(tiles, plan, PREVIEW_SIZE[0]),
            PREVIEW_SIZE,
            stage / "preview.jpg",
            PREVIEW_QUALITY,
        )
        source = _level(tiles, plan, _source_width(px, view["fov"]))
    image = _render(source, view["yaw"], view["pitch"], view["fov"], px, px)
    return equirect, preview, encode_poster(image, options.poster_max_bytes)


def staging_prefix(out_dir: Path) -> str:
    """The name of the staging folders of ``out_dir`` start with this."""
    return f".{out_dir.name}.panorama-"


def _staging(out_dir: Path) -> tempfile.TemporaryDirectory[str]:
    """A folder beside ``out_dir`` (same file system: outputs move by renames)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=staging_prefix(out_dir), dir=out_dir.parent)


def remove_staging(out_dir: Path) -> None:
    """Remove what a killed process (out of time or memory) left beside ``out_dir``."""
    if out_dir.parent.is_dir():
        for stale in out_dir.parent.glob(staging_prefix(out_dir) + "*"):
            shutil.rmtree(stale, ignore_errors=True)


def process_panorama(
    path: Path,
    out_dir: Path,
    *,
    original_name: str | None,
    options: ProcessOptions,
    progress: Progress,
) -> tuple[dict[str, Any], dict[str, Path], Path, Path]:
    """Tiles, equirect, preview, poster and report; returns (report, levels, poster, tiles)."""
    started = time.monotonic()
    progress(5, "checking")
    plan = check_header(path, options.limits)
    report = _source_report(path, original_name, plan)
    with _staging(out_dir) as tmp:
        stage = Path(tmp)
        progress(20, "tiles")
        info = report["panorama"]
        tiles = _write_tiles(sphere(path, plan), plan, stage, progress)
        progress(82, "equirect")
        info["equirect"], info["preview"], poster = _small_outputs(tiles, plan, stage, options)
        progress(92, "poster")
        files = sorted(p for p in tiles.rglob("*.jpg"))
        info["tiles"] = {"count": len(files), "bytes": sum(p.stat().st_size for p in files)}
        if (out_dir / "tiles").is_dir():
            shutil.rmtree(out_dir / "tiles")
        publish_outputs(stage, out_dir, report, poster, options.poster_px)
    log.info("panorama %s in %.1f s", original_name or path.name, time.monotonic() - started)
    levels = {"preview": out_dir / "preview.jpg", "equirect": out_dir / "equirect.jpg"}
    return report, levels, out_dir / "poster.webp", out_dir / "tiles"


def _view_map(
    yaw: float, pitch: float, fov: float, width: int, height: int, src_w: int, src_h: int
) -> np.ndarray:
    """For each output pixel, the (x, y) it samples in a ``src_w`` x ``src_h`` equirect."""
    y0, p0 = math.radians(yaw), math.radians(max(-90.0, min(90.0, pitch)))
    half = math.tan(math.radians(max(1.0, min(fov, 170.0))) / 2)
    u = (np.arange(width, dtype=np.float64) + 0.5 - width / 2) / (height / 2) * half
    v = (height / 2 - np.arange(height, dtype=np.float64) - 0.5) / (height / 2) * half
    uu, vv = np.meshgrid(u, v)
    right = np.array([math.cos(y0), 0.0, -math.sin(y0)])
    up = np.array([-math.sin(p0) * math.sin(y0), math.cos(p0), -math.sin(p0) * math.cos(y0)])
    forward = np.array([math.cos(p0) * math.sin(y0), math.sin(p0), math.cos(p0) * math.cos(y0)])
    ray = uu[..., None] * right + vv[..., None] * up + forward
    lon = np.arctan2(ray[..., 0], ray[..., 2])
    lat = np.arctan2(ray[..., 1], np.hypot(ray[..., 0], ray[..., 2]))
    x = np.mod((lon / (2 * math.pi) + 0.5) * src_w - 0.5, src_w)
    y = np.clip((0.5 - lat / math.pi) * src_h - 0.5, 0, src_h - 1)
    return np.ascontiguousarray(np.stack([x, y], axis=-1).astype(np.float32))


def _source_width(height: int, fov: float) -> int:
    """The equirect width whose pixels are about as large as a view's (``fov`` high)."""
    return max(64, math.ceil(360 * height / max(fov, 1.0)))


def _render(
    source: pyvips.Image, yaw: float, pitch: float, fov: float, width: int, height: int
) -> Image.Image:
    """The rectilinear view of the equirectangular ``source`` (see :func:`render_view`)."""
    if width < 1 or height < 1 or not all(map(math.isfinite, (yaw, pitch, fov))):
        raise ValueError(f"no view of {width} x {height} at {yaw}, {pitch}, {fov}")
    with vips_errors("view"):
        needed = _source_width(height, fov)
        if source.width >= 2 * needed:
            source = source.resize(needed / source.width)
        source = source.colourspace("srgb") if source.interpretation != "srgb" else source
        if source.hasalpha():
            source = source.flatten(background=NEUTRAL)
        source = source.extract_band(0, n=3).cast("uchar")
        # One more column on the right (the first one) so sampling wraps around the seam.
        source = source.join(source.crop(0, 0, 1, source.height), "horizontal")
        grid = _view_map(yaw, pitch, fov, width, height, source.width - 1, source.height)
        index = pyvips.Image.new_from_memory(grid.tobytes(), width, height, 2, "float")
        view = source.mapim(index, interpolate=pyvips.Interpolate.new("bilinear"))
        pixels = np.ndarray(
            buffer=view.write_to_memory(), dtype=np.uint8, shape=(height, width, view.bands)
        )
    return Image.fromarray(pixels[..., :3].copy(), "RGB")


def render_view(
    equirect: Path, yaw: float, pitch: float, fov: float, width: int, height: int
) -> Image.Image:
    """The rectilinear view of an equirectangular image, as Photo Sphere Viewer shows it.

    Degrees: yaw 0 is the image's centre and grows to the right (east), pitch is positive
    upwards, ``fov`` is the vertical field of view. Returns an RGB image
    ``width`` x ``height``. The equirect is read at about the view's own resolution (a JPEG
    decodes at a smaller scale). Raises ValueError for a size below one pixel or angles that
    are not finite.
    """
    with vips_errors("view"):
        full = pyvips.Image.new_from_file(str(equirect)).width
        needed = _source_width(max(height, 1), fov if math.isfinite(fov) else 1.0)
        shrunk = full
        while shrunk % 2 == 0 and shrunk // 2 >= needed:
            shrunk //= 2  # a JPEG then decodes at a smaller scale, exactly
        source = pyvips.Image.thumbnail(str(equirect), shrunk, height=shrunk // 2, size="force")
    return _render(source, yaw, pitch, fov, width, height)
