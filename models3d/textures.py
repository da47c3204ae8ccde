"""Texture images: sniffing, size checks before decoding, decoding and re-encoding.

Only PNG, JPEG and WebP are kept; OBJ and PLY textures in BMP, GIF, TIFF or TGA are
converted to PNG first (:func:`convert_to_png`). Pixel counts are read from the header and checked
against the limit before any pixel is decoded; Pillow's decompression-bomb guard is kept
as an error too.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image

from models3d.errors import ModelError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
JPEG_QUALITY = 85


KTX2_MAGIC = b"\xabKTX 20\xbb\r\n\x1a\n"


def is_ktx2(data: bytes) -> bool:
    """True when ``data`` starts like a KTX 2.0 file (a Basis Universal texture)."""
    return data.startswith(KTX2_MAGIC)


def sniff_image(data: bytes) -> str | None:
    """Return the media type of PNG, JPEG or WebP bytes, else None."""
    if data.startswith(PNG_MAGIC):
        return "image/png"
    if data.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _open(data: bytes, where: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ModelError("texture_too_large", {"texture": where, "reason": str(exc)}) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ModelError("parse_error", {"texture": where, "reason": str(exc)}) from exc


# Formats that Blender, trimesh and browsers read for OBJ and PLY textures, converted to PNG.
# TGA has no signature: it is tried only for files named .tga.
CONVERTIBLE_FORMATS = ("BMP", "GIF", "TIFF")


def convert_to_png(data: bytes, max_pixels: int, where: str) -> tuple[bytes, str] | None:
    """A BMP, GIF (first frame), TIFF or TGA texture as PNG bytes, with its format's name.

    None when ``data`` is none of these. The size is checked from the header first
    (``texture_too_large``); damaged pixel data is ``parse_error``.
    """
    formats = [*CONVERTIBLE_FORMATS, *(["TGA"] if where.lower().endswith(".tga") else [])]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ModelError("texture_too_large", {"texture": where, "reason": str(exc)}) from exc
    except (OSError, SyntaxError, ValueError):
        return None
    width, height = img.size
    if width * height > max_pixels:
        raise ModelError(
            "texture_too_large",
            {"texture": where, "width": width, "height": height, "max_pixels": max_pixels},
        )
    try:
        img.load()
        keep_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
        out = io.BytesIO()
        img.convert("RGBA" if keep_alpha else "RGB").save(out, format="PNG", compress_level=1)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ModelError("parse_error", {"texture": where, "reason": str(exc)}) from exc
    return out.getvalue(), str(img.format)


def check_image(data: bytes, max_pixels: int, where: str = "") -> tuple[str, int, int]:
    """Check an image from its header: returns (media type, width, height).

    Raises ``unsupported_texture`` (not PNG/JPEG/WebP) or ``texture_too_large``.
    """
    mime = sniff_image(data)
    if mime is None:
        raise ModelError("unsupported_texture", {"texture": where, "magic": data[:8].hex()})
    img = _open(data, where)
    width, height = img.size
    if width * height > max_pixels:
        raise ModelError(
            "texture_too_large",
            {"texture": where, "width": width, "height": height, "max_pixels": max_pixels},
        )
    return mime, width, height


def decode_image(
    data: bytes, max_pixels: int, where: str = "", draft: tuple[int, int] | None = None
) -> Image.Image:
    """Decode a checked image (see :func:`check_image`).

    With ``draft``, a JPEG is decoded at the smallest scale whose size still covers it.
    """
    check_image(data, max_pixels, where)
    img = _open(data, where)
    if draft is not None and img.format == "JPEG":
        img.draft("RGB", draft)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ModelError("parse_error", {"texture": where, "reason": str(exc)}) from exc
    return img


def uses_alpha(img: Image.Image) -> bool:
    """True when the image has an alpha channel with at least one non-opaque pixel."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        alpha = img.convert("RGBA").getchannel("A")
        lowest = alpha.getextrema()[0]
        return isinstance(lowest, int | float) and lowest < 255
    return False


def fit_size(width: int, height: int, max_px: int) -> tuple[int, int]:
    """Scale (width, height) down so the longer side is at most ``max_px`` (never up)."""
    longest = max(width, height)
    if longest <= max_px:
        return width, height
    scale = max_px / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def encode_texture(img: Image.Image, max_px: int, keep_alpha: bool, quality: int) -> bytes:
    """Resize to fit ``max_px`` and encode: PNG when alpha is kept, else JPEG."""
    size = fit_size(img.width, img.height, max_px)
    mode = "RGBA" if keep_alpha else "RGB"
    work = img.convert(mode)
    if size != work.size:
        work = work.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if keep_alpha:
        work.save(out, format="PNG", optimize=True)
    else:
        work.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()
