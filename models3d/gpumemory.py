"""GPU memory of a level's textures, as a phone holds them.

A PNG, JPEG or WebP texture is decoded to RGBA8: 4 bytes a pixel. A KTX2 texture with
Basis Universal is transcoded by the browser to a compressed GPU format the phone has:

- ETC1S without alpha: ETC2 RGB (or ETC1) on Android and iOS, 0.5 byte a pixel;
- ETC1S with alpha and UASTC: ETC2 RGBA or ASTC 4×4, 1 byte a pixel.

(Desktop GPUs get BC1, 0.5 byte, or BC3/BC7, 1 byte: the same figures.) Mipmaps add a
third in every case. A device with none of these formats would get RGBA8; no phone sold in
the last ten years lacks ETC2.
"""

from __future__ import annotations

import struct
from typing import Any

from models3d.glb import read_glb
from models3d.texprep import image_bytes
from models3d.textures import check_image, is_ktx2

HEADER = struct.Struct("<9I4I2Q")  # vkFormat .. supercompressionScheme, then the index
BASISLZ = 1  # supercompressionScheme of ETC1S (BasisLZ)
UASTC_ALPHA_CHANNELS = {3, 5}  # KHR_DF_CHANNEL_UASTC_RGBA, _RG (RRRG)


def ktx2_facts(data: bytes) -> dict[str, Any]:
    """Width, height, codec (``etc1s`` or ``uastc``) and alpha of a Basis Universal KTX2."""
    fields = HEADER.unpack_from(data, 12)
    width, height, scheme = fields[2], fields[3], fields[8]
    dfd_offset = fields[9]
    # Data format descriptor: total size (4), block header (8), colour model... (16), samples.
    block_size = struct.unpack_from("<H", data, dfd_offset + 4 + 6)[0]
    samples = max((block_size - 24) // 16, 0)
    first_sample = dfd_offset + 4 + 24
    if scheme == BASISLZ:
        alpha = samples > 1
        codec = "etc1s"
    else:
        channel = (struct.unpack_from("<I", data, first_sample)[0] >> 24) & 0xF
        alpha = channel in UASTC_ALPHA_CHANNELS
        codec = "uastc"
    return {"width": width, "height": height, "codec": codec, "alpha": alpha}


def bytes_per_pixel(codec: str, alpha: bool) -> float:
    """GPU bytes a pixel of one texture, mip level 0 (see the module's docstring)."""
    if codec == "etc1s":
        return 1.0 if alpha else 0.5
    if codec == "uastc":
        return 1.0
    return 4.0


def gpu_bytes(width: int, height: int, codec: str, alpha: bool) -> int:
    """GPU memory of one texture with its mipmaps."""
    return int(width * height * bytes_per_pixel(codec, alpha) * 4 / 3)


def rgba8_bytes(width: int, height: int) -> int:
    """GPU memory of one texture as RGBA8 with mipmaps (what PNG or JPEG costs)."""
    return width * height * 4 * 4 // 3


def level_textures(data: bytes, max_pixels: int) -> list[dict[str, Any]]:
    """Each image of GLB bytes: width, height, codec (``etc1s``, ``uastc`` or the image's
    media type), alpha (KTX2 only), GPU bytes as held and as RGBA8 (headers only)."""
    doc, binary = read_glb(data)
    out = []
    for i in range(len(doc.get("images", []))):
        raw = image_bytes(doc, binary or b"", i)
        if is_ktx2(raw):
            facts = ktx2_facts(raw)
        else:
            mime, width, height = check_image(raw, max_pixels, f"image {i}")
            facts = {"width": width, "height": height, "codec": mime, "alpha": None}
        w, h = facts["width"], facts["height"]
        facts["gpu_bytes"] = gpu_bytes(w, h, facts["codec"], bool(facts["alpha"]))
        facts["rgba8_bytes"] = rgba8_bytes(w, h)
        out.append(facts)
    return out
