"""KTX2 textures (``KHR_texture_basisu``) in uploads, decoded to PNG as three.js would show them.

Files optimised for the web (gltf-transform, gltfpack ``-tc``) carry their textures as
KTX2 with Basis Universal; three.js and model-viewer read them with the Basis transcoder.
So does ingest: the header's size is checked against the texture limits first, then the
transcoder that three.js ships (run by Node, in the isolated worker) turns each image into
RGBA pixels, kept as PNG. Textures whose only image was KTX2 now use the PNG; the extension
is removed from the working copy (the report's ``extensions_used`` still names it), with a
note. A texture that also names a PNG or JPEG fallback simply uses the fallback.
"""

from __future__ import annotations

import io
import logging
import struct
from pathlib import Path

from PIL import Image

from models3d.bufferappend import BufferAppender
from models3d.errors import ModelError
from models3d.extensions import undeclare_extension
from models3d.formats.registry import LoadedModel
from models3d.nodetools import decode_ktx2_files
from models3d.options import Limits
from models3d.texprep import image_bytes
from models3d.textures import is_ktx2

log = logging.getLogger(__name__)

BASISU = "KHR_texture_basisu"
HEADER = struct.Struct("<IIIIIIIIII")  # vkFormat .. supercompressionScheme, from byte 12


def _check_header(data: bytes, index: int, limits: Limits) -> None:
    where = f"image {index}"
    if len(data) < 12 + HEADER.size:
        raise ModelError("unsupported_texture", {"image": where, "reason": "truncated KTX2"})
    _vk, _type, width, height, depth, _layers, faces, _levels, _sc = HEADER.unpack_from(data, 12)[
        :9
    ]
    if width == 0 or height == 0 or depth > 1 or faces > 1:
        raise ModelError("unsupported_texture", {"image": where, "reason": "not a 2D KTX2 image"})
    if width * height > limits.max_texture_pixels:
        raise ModelError("texture_too_large", {"image": where, "width": width, "height": height})


def _png(pixels: bytes, width: int, height: int, alpha: bool) -> bytes:
    image = Image.frombytes("RGBA", (width, height), pixels)
    out = io.BytesIO()
    (image if alpha else image.convert("RGB")).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def decode_ktx2_images(model: LoadedModel, workdir: Path, limits: Limits) -> None:
    """Replace the upload's KTX2 images by PNG and drop ``KHR_texture_basisu`` (noted)."""
    doc = model.doc
    if BASISU not in doc.get("extensionsUsed", []):
        return
    needed = [
        i
        for i, image in enumerate(doc.get("images", []))
        if "bufferView" in image and is_ktx2(image_bytes(doc, model.binary, i))
    ]
    files = []
    for index in needed:
        data = image_bytes(doc, model.binary, index)
        _check_header(data, index, limits)
        path = workdir / f"ktx2-{index}.ktx2"
        path.write_bytes(data)
        files.append(path)
    out = workdir / "ktx2-decoded"
    out.mkdir(exist_ok=True)
    results = decode_ktx2_files(files, out)
    appender = BufferAppender(doc, model.binary)
    for n, (index, result) in enumerate(zip(needed, results, strict=True)):
        if "error" in result:
            raise ModelError(
                "unsupported_texture", {"image": f"image {index}", "reason": result["error"]}
            )
        pixels = (out / f"{n}.rgba").read_bytes()
        png = _png(pixels, result["width"], result["height"], result["alpha"])
        doc["images"][index] = {
            **{k: v for k, v in doc["images"][index].items() if k not in ("uri", "mimeType")},
            "bufferView": appender.view(png),
            "mimeType": "image/png",
        }
    for texture in doc.get("textures", []):
        ext = texture.get("extensions", {}).pop(BASISU, None)
        if isinstance(ext, dict) and "source" not in texture and "source" in ext:
            texture["source"] = ext["source"]
        if "extensions" in texture and not texture["extensions"]:
            del texture["extensions"]
    undeclare_extension(doc, BASISU)
    if appender.changed:
        model.binary = appender.binary()
    model.notes.add("ktx2_decoded", {"images": len(needed)})
    log.info("decoded %d KTX2 images", len(needed))
