"""Per-level texture preparation inside a glTF: resize and re-encode with Pillow.

gltfpack's npm build cannot encode WebP or KTX2, so textures are prepared here before it
runs: each image is scaled so its longer side fits the level, then kept as is when it is
already a JPEG (or a PNG whose alpha is really used) of the right size, else re-encoded as
JPEG — or PNG where alpha is used. A PNG that needs no resize keeps its own bytes when its
JPEG would be larger. JPEG and PNG need no glTF extension, render in model-viewer and pass
the validator. WebP inputs (EXT_texture_webp) are converted too. Images with identical
bytes are merged into one (gltfpack would otherwise store each copy), see
:func:`dedupe_images`.

Images are decoded lazily and only as far as a level needs: a JPEG is decoded at a reduced
scale by the JPEG decoder itself (Pillow's ``draft``) before the final Lanczos resize.
"""

from __future__ import annotations

import copy
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from models3d.extensions import undeclare_extension
from models3d.textures import (
    check_image,
    decode_image,
    encode_texture,
    fit_size,
    uses_alpha,
)

ALIGN = 8


@dataclass
class ImageInfo:
    """An image of the source model: its bytes, header facts and (lazily) its pixels."""

    data: bytes
    mime: str
    width: int
    height: int
    needs_alpha: bool
    max_pixels: int
    where: str = ""  # names the image in errors, e.g. "image 0"
    _full: Image.Image | None = field(default=None, repr=False, compare=False)

    def decoded(self, max_px: int) -> Image.Image:
        """The pixels, at least as large as the level size for ``max_px`` (never enlarged).

        A JPEG is decoded at the smallest DCT scale (1/1 … 1/8) that still covers the
        target size; other formats are decoded once at full size and kept.
        """
        size = fit_size(self.width, self.height, max_px)
        if self.mime == "image/jpeg" and size != (self.width, self.height):
            return decode_image(self.data, self.max_pixels, self.where, draft=size)
        if self._full is None:
            self._full = decode_image(self.data, self.max_pixels, self.where)
        return self._full


def image_bytes(doc: dict[str, Any], binary: bytes, index: int) -> bytes:
    """Bytes of image ``index`` (stored in a buffer view of the single buffer)."""
    view = doc["bufferViews"][doc["images"][index]["bufferView"]]
    start = view.get("byteOffset", 0)
    return binary[start : start + view["byteLength"]]


def alpha_images(doc: dict[str, Any]) -> set[int]:
    """Images used as base colour of a material whose alpha mode is MASK or BLEND."""
    used = set()
    textures = doc.get("textures", [])
    for mat in doc.get("materials", []):
        if mat.get("alphaMode", "OPAQUE") == "OPAQUE":
            continue
        refs = [mat.get("pbrMetallicRoughness", {}).get("baseColorTexture")]
        refs.append(
            mat.get("extensions", {})
            .get("KHR_materials_pbrSpecularGlossiness", {})
            .get("diffuseTexture")
        )
        for ref in refs:
            if ref and 0 <= ref.get("index", -1) < len(textures):
                tex = textures[ref["index"]]
                for src in _texture_sources(tex):
                    used.add(src)
    return used


def _texture_sources(tex: dict[str, Any]) -> list[int]:
    sources = [tex["source"]] if "source" in tex else []
    webp = tex.get("extensions", {}).get("EXT_texture_webp", {})
    if "source" in webp:
        sources.append(webp["source"])
    return sources


def image_info(data: bytes, max_pixels: int, alpha_candidate: bool, where: str) -> ImageInfo:
    """Describe one image from its header; pixels are decoded only to check alpha use."""
    mime, width, height = check_image(data, max_pixels, where)
    info = ImageInfo(data, mime, width, height, False, max_pixels, where)
    if alpha_candidate and mime != "image/jpeg":
        info.needs_alpha = uses_alpha(info.decoded(max(width, height)))
    return info


def load_images(doc: dict[str, Any], binary: bytes, max_pixels: int) -> list[ImageInfo]:
    """Describe every image of the model (they were header-checked at load)."""
    alpha = alpha_images(doc)
    return [
        image_info(image_bytes(doc, binary, i), max_pixels, i in alpha, f"image {i}")
        for i in range(len(doc.get("images", [])))
    ]


def planned_size(info: ImageInfo, max_px: int) -> tuple[int, int]:
    """Size an image will have at a level with ``max_px``."""
    return fit_size(info.width, info.height, max_px)


def encode_for_level(info: ImageInfo, max_px: int, quality: int) -> tuple[bytes, str]:
    """Bytes and media type of an image for a level (never larger than needed)."""
    size = planned_size(info, max_px)
    unchanged = size == (info.width, info.height)
    if unchanged and info.mime == "image/jpeg":
        return info.data, "image/jpeg"
    if unchanged and info.mime == "image/png" and info.needs_alpha:
        return info.data, "image/png"
    data = encode_texture(info.decoded(max_px), max_px, info.needs_alpha, quality)
    if unchanged and info.mime == "image/png" and len(info.data) <= len(data):
        return info.data, "image/png"  # a graphic PNG can be smaller than its JPEG
    return data, "image/png" if info.needs_alpha else "image/jpeg"


def _drop_webp_extension(doc: dict[str, Any]) -> None:
    for tex in doc.get("textures", []):
        ext = tex.get("extensions", {})
        webp = ext.pop("EXT_texture_webp", None)
        if webp is not None and "source" in webp:
            tex["source"] = webp["source"]
        if "extensions" in tex and not ext:
            del tex["extensions"]
    undeclare_extension(doc, "EXT_texture_webp")


def with_images(
    doc: dict[str, Any], binary: bytes, images: list[tuple[bytes, str]]
) -> tuple[dict[str, Any], bytes]:
    """A copy of the model with image ``i`` replaced by ``images[i]`` (buffer rebuilt)."""
    out_doc = copy.deepcopy(doc)
    _drop_webp_extension(out_doc)
    replacements: dict[int, bytes] = {}
    for i, (data, mime) in enumerate(images):
        out_doc["images"][i]["mimeType"] = mime
        replacements[out_doc["images"][i]["bufferView"]] = data
    out = io.BytesIO()
    for v, view in enumerate(out_doc.get("bufferViews", [])):
        if view.get("buffer", 0) != 0:
            continue
        if view.get("extensions", {}).get("EXT_meshopt_compression") is not None:
            raise ValueError("meshopt views must be decoded before texture preparation")
        start = view.get("byteOffset", 0)
        new = replacements.get(v)
        out.write(b"\0" * (-out.tell() % ALIGN))
        view["byteOffset"] = out.tell()
        if new is None:
            out.write(memoryview(binary)[start : start + view["byteLength"]])
        else:
            view["byteLength"] = len(new)
            out.write(new)
    out.write(b"\0" * (-out.tell() % 4))
    result = out.getvalue()
    if out_doc.get("buffers"):
        out_doc["buffers"][0]["byteLength"] = len(result)
    return out_doc, result


def dedupe_images(doc: dict[str, Any], binary: bytes) -> int:
    """Point textures at one copy of each distinct image and drop the unused images.

    Returns how many images were removed. Image indices anywhere in a texture (``source``
    and the ``source`` of texture extensions) are renumbered; buffer views are left as they
    are (gltfpack drops the ones nothing refers to).
    """
    images = doc.get("images", [])
    if not images:
        return 0
    first: dict[bytes, int] = {}
    same: dict[int, int] = {}
    for i in range(len(images)):
        key = hashlib.sha256(image_bytes(doc, binary, i)).digest()
        same[i] = first.setdefault(key, i)
    used = sorted({same[s] for tex in doc.get("textures", []) for s in _all_sources(tex)})
    renumber = {old: new for new, old in enumerate(used)}
    if len(used) == len(images) and all(same[i] == i for i in range(len(images))):
        return 0
    for tex in doc.get("textures", []):
        if "source" in tex:
            tex["source"] = renumber[same[tex["source"]]]
        for ext in tex.get("extensions", {}).values():
            if isinstance(ext, dict) and isinstance(ext.get("source"), int):
                ext["source"] = renumber[same[ext["source"]]]
    doc["images"] = [images[i] for i in used]
    if not doc["images"]:
        del doc["images"]
    return len(images) - len(used)


def _all_sources(tex: dict[str, Any]) -> list[int]:
    sources = [tex["source"]] if isinstance(tex.get("source"), int) else []
    for ext in tex.get("extensions", {}).values():
        if isinstance(ext, dict) and isinstance(ext.get("source"), int):
            sources.append(ext["source"])
    return sources
