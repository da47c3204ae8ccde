"""Per-level texture preparation inside a glTF: resize and re-encode with Pillow.

gltfpack's npm build cannot encode WebP or KTX2, so textures are prepared here before it
runs: each image is scaled so its longer side fits the level, then kept as is when it is
already a JPEG (or a PNG whose alpha is really used) of the right size, else re-encoded as
JPEG — or PNG where alpha is used. JPEG and PNG need no glTF extension, render in
model-viewer and pass the validator. WebP inputs (EXT_texture_webp) are converted too.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from PIL import Image

from models3d.textures import decode_image, encode_texture, fit_size, sniff_image, uses_alpha

ALIGN = 8


@dataclass(frozen=True)
class ImageInfo:
    """An image of the source model, decoded once."""

    data: bytes
    mime: str
    image: Image.Image
    needs_alpha: bool


def image_bytes(doc: dict[str, Any], binary: bytes, index: int) -> bytes:
    """Bytes of image ``index`` (stored in a buffer view of the single buffer)."""
    view = doc["bufferViews"][doc["images"][index]["bufferView"]]
    start = view.get("byteOffset", 0)
    return binary[start : start + view["byteLength"]]


def _alpha_images(doc: dict[str, Any]) -> set[int]:
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


def load_images(doc: dict[str, Any], binary: bytes, max_pixels: int) -> list[ImageInfo]:
    """Decode every image of the model (they were header-checked at load)."""
    alpha = _alpha_images(doc)
    infos = []
    for i in range(len(doc.get("images", []))):
        data = image_bytes(doc, binary, i)
        img = decode_image(data, max_pixels, f"image {i}")
        mime = sniff_image(data) or "image/png"
        infos.append(ImageInfo(data, mime, img, i in alpha and uses_alpha(img)))
    return infos


def planned_size(info: ImageInfo, max_px: int) -> tuple[int, int]:
    """Size an image will have at a level with ``max_px``."""
    return fit_size(info.image.width, info.image.height, max_px)


def encode_for_level(info: ImageInfo, max_px: int, quality: int) -> tuple[bytes, str]:
    """Bytes and media type of an image for a level."""
    size = planned_size(info, max_px)
    unchanged = size == info.image.size
    if unchanged and info.mime == "image/jpeg":
        return info.data, "image/jpeg"
    if unchanged and info.mime == "image/png" and info.needs_alpha:
        return info.data, "image/png"
    data = encode_texture(info.image, max_px, info.needs_alpha, quality)
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
    for key in ("extensionsUsed", "extensionsRequired"):
        if key in doc:
            doc[key] = [e for e in doc[key] if e != "EXT_texture_webp"]
            if not doc[key]:
                del doc[key]


def with_level_textures(
    doc: dict[str, Any], binary: bytes, images: list[ImageInfo], max_px: int, quality: int
) -> tuple[dict[str, Any], bytes]:
    """A copy of the model whose images are prepared for a level (buffer rebuilt)."""
    out_doc = copy.deepcopy(doc)
    _drop_webp_extension(out_doc)
    replacements: dict[int, bytes] = {}
    for i, info in enumerate(images):
        data, mime = encode_for_level(info, max_px, quality)
        out_doc["images"][i]["mimeType"] = mime
        replacements[out_doc["images"][i]["bufferView"]] = data
    out = bytearray()
    for v, view in enumerate(out_doc.get("bufferViews", [])):
        if view.get("buffer", 0) != 0:
            continue
        start = view.get("byteOffset", 0)
        data = replacements.get(v, binary[start : start + view["byteLength"]])
        out.extend(b"\0" * (-len(out) % ALIGN))
        view["byteOffset"] = len(out)
        view["byteLength"] = len(data)
        out.extend(data)
        meshopt = view.get("extensions", {}).get("EXT_meshopt_compression")
        if meshopt is not None:
            raise ValueError("meshopt views must be decoded before texture preparation")
    out.extend(b"\0" * (-len(out) % 4))
    if out_doc.get("buffers"):
        out_doc["buffers"][0]["byteLength"] = len(out)
    return out_doc, bytes(out)
