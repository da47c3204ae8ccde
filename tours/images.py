"""Images that curators put in narration and hotspot texts.

An upload is checked before it is decoded (a known format, bytes and pixels within the
configured limits, so a decompression bomb is refused from its header), turned upright,
stripped of every metadata block (EXIF, GPS, ICC, XMP, comments) by re-encoding, and
resized to WebP copies 320, 640 and 1280 pixels wide (never wider than the original). The
copies are stored content-addressed in the blob store, like posters and model levels.

Texts refer to an image as ``![](image:REF)``, where ``REF`` is derived from the uploaded
bytes; the alternative text is kept per language beside the image.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
WIDTHS = (320, 640, 1280)
WEBP_QUALITY = 82
REF_LENGTH = 16
REFERENCE = re.compile(r"!\[[^\]]*\]\(image:([0-9a-f]{16})\)")


@dataclass(frozen=True)
class ImageLimits:
    """How large an uploaded image may be: bytes of the file, pixels and longest side."""

    max_bytes: int
    max_pixels: int
    max_side: int = 16384


class ImageError(Exception):
    """An upload that is not an image Heritour takes; ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    """An accepted image: its reference, size upright, and WebP copies by the width asked
    for (a copy is the original's width when that is smaller: see :func:`variant_width`)."""

    ref: str
    width: int
    height: int
    variants: dict[int, bytes]


def _opened(data: bytes, limits: ImageLimits) -> Image.Image:
    """The image, decoded only once its header says it is within the limits."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise ImageError(
                    "image_format_not_allowed", f"{image.format} images are not accepted."
                )
            width, height = image.size
            if width * height > limits.max_pixels or max(width, height) > limits.max_side:
                raise ImageError("image_too_many_pixels", f"The image is {width}x{height}.")
            image.seek(0)  # the first frame of an animation
            image.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageError("image_too_many_pixels", str(error)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageError("image_not_an_image", "The file is not an image.") from error
    return image


def process_image(data: bytes, limits: ImageLimits) -> ProcessedImage:
    """Check, clean and resize an uploaded image (see the module's docstring)."""
    if not data:
        raise ImageError("image_empty", "The file is empty.")
    if len(data) > limits.max_bytes:
        raise ImageError("image_too_large", f"The file has {len(data)} bytes.")
    image = _opened(data, limits)
    upright = ImageOps.exif_transpose(image)
    mode = (
        "RGBA" if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info else "RGB"
    )
    clean = upright.convert(mode)
    clean.info = {}  # no EXIF, ICC profile, XMP or comments in the copies
    width, height = clean.size
    variants: dict[int, bytes] = {}
    for target in WIDTHS:
        size = (min(target, width), max(1, round(height * min(target, width) / width)))
        copy = clean if size == clean.size else clean.resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        copy.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        variants[target] = buffer.getvalue()
        if target >= width:
            break  # the original's own width: never enlarged
    ref = hashlib.sha256(data).hexdigest()[:REF_LENGTH]
    return ProcessedImage(ref, width, height, variants)


def variant_width(target: int, width: int) -> int:
    """The real width of the copy made for ``target`` from an image ``width`` pixels wide."""
    return min(target, width)


def referenced_images(markdown: str) -> list[str]:
    """The references of the images a text shows, in order, without repeats."""
    return list(dict.fromkeys(REFERENCE.findall(markdown)))


def image_markdown(ref: str) -> str:
    """What a curator writes in a text to show the image ``ref``."""
    return f"![](image:{ref})"
