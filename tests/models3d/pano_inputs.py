"""Panoramas made by code for the tests: sound ones, odd ones and hostile ones.

The sound panorama's colour says where each pixel is: red grows with the longitude
(left to right), green with the latitude (top to bottom), blue is a constant 100, so a
test can tell where a pixel of any output came from.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

import numpy as np
import pyvips
from PIL import Image

XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\0"
GPANO_NS = "http://ns.google.com/photos/1.0/panorama/"


def gradient(width: int, height: int) -> np.ndarray:
    """``height`` x ``width`` x 3 uint8: red by column, green by row, blue 100."""
    red = np.linspace(0, 255, width)[None, :]
    green = np.linspace(0, 255, height)[:, None]
    return np.stack(
        [
            np.broadcast_to(red, (height, width)),
            np.broadcast_to(green, (height, width)),
            np.full((height, width), 100.0),
        ],
        axis=2,
    ).astype(np.uint8)


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    """``image`` saved by Pillow in ``fmt``."""
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def pano(width: int = 1024, height: int = 512, fmt: str = "JPEG", **options: Any) -> bytes:
    """A gradient panorama (see the module's docstring)."""
    return encode(Image.fromarray(gradient(width, height)), fmt, **options)


def noise(width: int, height: int) -> Image.Image:
    """Random pixels (they do not compress, so cutting a file cuts its pixel data)."""
    rng = np.random.default_rng(3)
    return Image.fromarray(rng.integers(0, 255, (height, width, 3), np.uint8))


def noisy_png(width: int = 1024, height: int = 512) -> bytes:
    """A PNG of noise."""
    return encode(noise(width, height), "PNG")


def noisy_jpeg(width: int = 1024, height: int = 512) -> bytes:
    """A JPEG of noise."""
    return encode(noise(width, height), "JPEG")


def cmyk_jpeg(width: int = 1024, height: int = 512) -> bytes:
    """The gradient as a CMYK JPEG."""
    return encode(Image.fromarray(gradient(width, height)).convert("CMYK"), "JPEG")


def rgb16_png(width: int = 1024, height: int = 512) -> bytes:
    """The gradient as a 16-bit RGB PNG."""
    data = gradient(width, height).astype(np.uint16) * 257
    image = pyvips.Image.new_from_memory(data.tobytes(), width, height, 3, "ushort")
    return bytes(image.copy(interpretation="rgb16").pngsave_buffer())


def grey16_png(width: int = 1024, height: int = 512) -> bytes:
    """The gradient's red channel as a 16-bit grey PNG."""
    data = gradient(width, height)[..., 0].astype(np.uint16) * 257
    return encode(Image.fromarray(data), "PNG")


def alpha_image(fmt: str, width: int = 1024, height: int = 512) -> bytes:
    """The gradient, half transparent, as PNG or WebP."""
    image = Image.fromarray(gradient(width, height)).convert("RGBA")
    image.putalpha(128)
    return encode(image, fmt, **({"lossless": True} if fmt == "WEBP" else {}))


def rotated_jpeg(orientation: int = 6, width: int = 1024, height: int = 512) -> bytes:
    """The gradient stored turned a quarter (portrait), EXIF orientation 6 to show it 2:1."""
    stored = Image.fromarray(gradient(width, height)).transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(stored, "JPEG", exif=exif.tobytes(), quality=95)


def p3_jpeg(width: int = 1024, height: int = 512) -> bytes:
    """The gradient in Display P3, with its profile embedded."""
    data = gradient(width, height)
    image = pyvips.Image.new_from_memory(data.tobytes(), width, height, 3, "uchar")
    p3 = image.copy(interpretation="srgb").icc_transform("p3", input_profile="srgb")
    return bytes(p3.jpegsave_buffer(Q=95))


def jpeg_12bit() -> bytes:
    """A JPEG whose frame header says 12-bit samples (libjpeg here reads 8-bit only)."""
    data = bytearray(pano(64, 32))
    frame = data.find(b"\xff\xc0")
    data[frame + 4] = 12
    return bytes(data)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk with its CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` x ``height`` (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 4096))
        + png_chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header declares ``width`` x ``height``."""
    data = bytearray(pano(64, 32))
    frame = data.find(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def png_with_chunk(png: bytes, chunk: bytes) -> bytes:
    """``png`` with ``chunk`` inserted right after its header."""
    return png[:33] + chunk + png[33:]


def ztxt_bomb(inflated: int = 64 << 20) -> bytes:
    """A PNG panorama with a compressed text chunk that inflates to ``inflated`` bytes."""
    text = b"Comment\0\0" + zlib.compress(b"a" * inflated, 9)
    return png_with_chunk(pano(fmt="PNG"), png_chunk(b"zTXt", text))


def big_text_png(size: int = 20 << 20) -> bytes:
    """A PNG panorama with a plain text chunk of ``size`` bytes."""
    return png_with_chunk(pano(fmt="PNG"), png_chunk(b"tEXt", b"Comment\0" + b"a" * size))


def zip_bytes() -> bytes:
    """A small zip archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "also a zip")
    return out.getvalue()


def gpano_xmp(props: dict[str, Any], *, elements: bool = False, prefix: str = "GPano") -> bytes:
    """An XMP packet with the GPano ``props``, as attributes or as elements."""
    if elements:
        body = "".join(f"<{prefix}:{k}>{v}</{prefix}:{k}>" for k, v in props.items())
        description = f'<rdf:Description xmlns:{prefix}="{GPANO_NS}">{body}</rdf:Description>'
    else:
        body = "".join(f' {prefix}:{k}="{v}"' for k, v in props.items())
        description = f'<rdf:Description xmlns:{prefix}="{GPANO_NS}"{body}/>'
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f"{description}</rdf:RDF></x:xmpmeta>"
    ).encode()


def with_xmp(jpeg: bytes, packet: bytes) -> bytes:
    """``jpeg`` with an APP1 XMP segment holding ``packet``."""
    segment = XMP_HEADER + packet
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment + jpeg[2:]


# A 600 x 200 image covering 180° x 60° in the middle of a 1200 x 600 sphere.
PARTIAL = {
    "ProjectionType": "equirectangular",
    "CroppedAreaImageWidthPixels": 600,
    "CroppedAreaImageHeightPixels": 200,
    "FullPanoWidthPixels": 1200,
    "FullPanoHeightPixels": 600,
    "CroppedAreaLeftPixels": 300,
    "CroppedAreaTopPixels": 200,
}


def partial_jpeg(props: dict[str, Any] | None = None, **changes: Any) -> bytes:
    """A 600 x 200 JPEG with GPano ``props`` (default :data:`PARTIAL` with ``changes``)."""
    return with_xmp(pano(600, 200), gpano_xmp(props or {**PARTIAL, **changes}))


def half(data: bytes) -> bytes:
    """The first half of ``data`` (a transfer cut short)."""
    return data[: len(data) // 2]


def partial_with_xmp_in(fmt: str) -> bytes:
    """The :data:`PARTIAL` panorama as PNG (XMP in an iTXt chunk, compressed) or WebP."""
    from PIL.PngImagePlugin import PngInfo

    image = Image.fromarray(gradient(600, 200))
    packet = gpano_xmp(PARTIAL)
    if fmt == "PNG":
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", packet.decode(), zip=True)
        return encode(image, "PNG", pnginfo=info)
    return encode(image, "WEBP", xmp=packet, lossless=True)
